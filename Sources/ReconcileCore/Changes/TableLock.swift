/// The strongest lock a step takes on a table that existed before the plan (tables the plan creates lock no
/// one out), and so what the application cannot do to that table while the step runs. Declared per change
/// kind, and checked against `pg_locks` of a real server by a test that runs every case file step by step.
public enum TableLock: Int, Hashable, Sendable, Comparable, CaseIterable {
    case none
    /// Reads (`SELECT max(id)` to restart a sequence, a guard): blocks nothing but ACCESS EXCLUSIVE.
    case accessShare
    /// Writes rows (seeds): blocks only DDL.
    case rowExclusive
    /// VALIDATE CONSTRAINT, SET STATISTICS, COMMENT: reads and writes go on.
    case shareUpdateExclusive
    /// CREATE INDEX: blocks writes.
    case share
    /// ADD FOREIGN KEY (on both tables): blocks writes.
    case shareRowExclusive
    /// Most of ALTER TABLE: blocks reads and writes.
    case accessExclusive

    public static func < (lhs: TableLock, rhs: TableLock) -> Bool { lhs.rawValue < rhs.rawValue }

    /// As PostgreSQL names the mode (`pg_locks.mode` without `Lock`, spaced); nil for no lock.
    public var mode: String? {
        switch self {
        case .none: return nil
        case .accessShare: return "ACCESS SHARE"
        case .rowExclusive: return "ROW EXCLUSIVE"
        case .shareUpdateExclusive: return "SHARE UPDATE EXCLUSIVE"
        case .share: return "SHARE"
        case .shareRowExclusive: return "SHARE ROW EXCLUSIVE"
        case .accessExclusive: return "ACCESS EXCLUSIVE"
        }
    }

    /// `pg_locks.mode`: `AccessExclusiveLock` and the like.
    public init?(pgLocksMode: String) {
        guard let lock = Self.allCases.first(where: { $0.pgLocksMode == pgLocksMode }) else { return nil }
        self = lock
    }

    var pgLocksMode: String? {
        switch self {
        case .none: return nil
        case .accessShare: return "AccessShareLock"
        case .rowExclusive: return "RowExclusiveLock"
        case .shareUpdateExclusive: return "ShareUpdateExclusiveLock"
        case .share: return "ShareLock"
        case .shareRowExclusive: return "ShareRowExclusiveLock"
        case .accessExclusive: return "AccessExclusiveLock"
        }
    }

    public var blocksReads: Bool { self == .accessExclusive }
    public var blocksWrites: Bool { self >= .share }

    /// The hazard a reviewer is shown for this lock, if it blocks anything.
    var hazard: Hazard? { blocksReads ? .accessExclusiveLock : blocksWrites ? .blocksWrites : nil }

    /// `ACCESS EXCLUSIVE lock: blocks reads and writes`, for a reviewer; nil for no lock.
    public var description: String? {
        guard let mode else { return nil }
        let effect = blocksReads ? "blocks reads and writes" : blocksWrites ? "blocks writes" : "reads and writes go on"
        return "\(mode) lock: \(effect)"
    }
}
