/// A five-character SQLSTATE error code (`55P03`). A value type rather than a closed enum: the server has
/// hundreds of codes and new versions add more; the ones reconcile acts on are named below, so no code
/// appears as a bare string at the places that decide.
public struct SQLState: RawRepresentable, Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }

    /// The first two characters: `40` is "transaction rollback", `23` "integrity constraint violation".
    public var errorClass: Substring { rawValue.prefix(2) }

    /// A lock was not granted within `lock_timeout` (or NOWAIT).
    public static let lockNotAvailable: SQLState = "55P03"
    /// `statement_timeout` fired.
    public static let queryCanceled: SQLState = "57014"
    public static let notNullViolation: SQLState = "23502"
    public static let foreignKeyViolation: SQLState = "23503"
    public static let uniqueViolation: SQLState = "23505"
    public static let checkViolation: SQLState = "23514"
    /// The role lacks a privilege, or does not own the object (`must be owner of function ...`).
    public static let insufficientPrivilege: SQLState = "42501"

    /// Class 40 (serialization failure, deadlock) and a lock not granted: the same work may succeed if retried.
    public var isTransient: Bool { errorClass == "40" || self == .lockNotAvailable }
}
