/// An error reported by PostgreSQL or by libpq, with the server's diagnostic fields when there are any.
public struct PostgresError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// Could not connect (server down, bad address, authentication failed, database missing...).
        case connection
        /// The server rejected a statement.
        case server
        /// The connection broke while a statement ran.
        case connectionLost
    }

    public var kind: Kind
    /// The SQLSTATE, e.g. `42P01`; nil when libpq produced the error itself.
    public var sqlState: SQLState?
    public var message: String
    public var detail: String?
    public var hint: String?
    /// 1-based character position in the statement text, when the server reported one.
    public var position: Int?

    public init(
        kind: Kind, sqlState: SQLState? = nil, message: String, detail: String? = nil,
        hint: String? = nil, position: Int? = nil
    ) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.position = position
    }

    public var description: String {
        var text = message
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let detail, !detail.isEmpty { text += "\nDETAIL: \(detail)" }
        if let hint, !hint.isEmpty { text += "\nHINT: \(hint)" }
        return text
    }

    /// SQLSTATE class 40 (serialization failure, deadlock) and 55P03 (lock not available): worth a retry.
    public var isTransient: Bool {
        guard let sqlState else { return kind == .connectionLost }
        return sqlState.isTransient
    }
}
