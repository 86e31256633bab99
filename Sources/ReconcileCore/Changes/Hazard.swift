/// Something a reviewer should know before a step runs against production. Attached when the planner
/// creates the step, from the change's kind, never guessed from SQL text.
public enum Hazard: String, Hashable, Sendable, CaseIterable {
    /// Blocks all reads and writes of the table while the statement runs.
    case accessExclusiveLock = "access-exclusive-lock"
    /// Rewrites or scans the whole table under that lock: time grows with the table.
    case rewritesTable = "rewrites-table"
    /// Builds an index while blocking writes to the table.
    case blocksWrites = "blocks-writes"
    /// Removes data or an object for good.
    case deletesData = "deletes-data"
    /// Can fail if existing rows violate the new rule; the whole apply then rolls back.
    case mayFailOnExistingRows = "may-fail-on-existing-rows"

    /// Says what a lock blocks: the step's `TableLock` decides these two, its family the rest.
    var isLockEffect: Bool { self == .accessExclusiveLock || self == .blocksWrites }

    public var explanation: String {
        switch self {
        case .accessExclusiveLock: return "takes an ACCESS EXCLUSIVE lock on the table"
        case .rewritesTable: return "rewrites or scans the whole table"
        case .blocksWrites: return "builds an index while blocking writes"
        case .deletesData: return "deletes data"
        case .mayFailOnExistingRows: return "may fail on existing rows"
        }
    }
}
