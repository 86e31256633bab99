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

    public var explanation: String {
        switch self {
        case .accessExclusiveLock: return "takes an ACCESS EXCLUSIVE lock on the table"
        case .rewritesTable: return "rewrites or scans the whole table"
        case .blocksWrites: return "builds an index while blocking writes"
        case .deletesData: return "deletes data"
        case .mayFailOnExistingRows: return "may fail on existing rows"
        }
    }

    static func of(_ change: Change) -> [Hazard] {
        switch change.kind {
        case .createSchema, .createTable, .renameConstraint, .renameIndex, .seedRows, .createExtension, .createEnum,
             .addEnumValue, .enumValuesNeedManualChange, .setTableComment, .setColumnComment:
            return []
        case .renameTable, .renameColumn:
            return [.accessExclusiveLock]
        case .dropEnum:
            return [.deletesData]
        case .addColumn(_, let column):
            var hazards: [Hazard] = [.accessExclusiveLock]
            if case .expression = column.defaultValue { hazards.append(.rewritesTable) }
            if column.identity != nil || column.isSerial { hazards.append(.rewritesTable) }
            if !column.isNullable && column.defaultValue == nil && column.identity == nil && !column.isSerial {
                hazards.append(column.backfill == nil ? .mayFailOnExistingRows : .rewritesTable)
            }
            return hazards
        case .alterColumnType(_, _, _, _, let lossy):
            return lossy ? [.accessExclusiveLock, .rewritesTable, .mayFailOnExistingRows, .deletesData]
                         : [.accessExclusiveLock, .rewritesTable]
        case .setNotNull(_, _, let backfill, _):
            return backfill == nil ? [.accessExclusiveLock, .rewritesTable, .mayFailOnExistingRows]
                                   : [.accessExclusiveLock, .rewritesTable]
        case .addIdentity:
            return [.accessExclusiveLock, .mayFailOnExistingRows]
        case .setDefault, .dropDefault, .dropNotNull, .setIdentity, .dropIdentity:
            return [.accessExclusiveLock]
        case .addPrimaryKey, .addUnique:
            return [.accessExclusiveLock, .blocksWrites, .mayFailOnExistingRows]
        case .addCheck:
            return [.accessExclusiveLock, .rewritesTable, .mayFailOnExistingRows]
        case .addForeignKey:
            return [.rewritesTable, .mayFailOnExistingRows]
        case .createIndex(_, let index):
            return index.isUnique ? [.blocksWrites, .mayFailOnExistingRows] : [.blocksWrites]
        case .dropConstraint(_, _, let replaced), .dropIndex(_, _, let replaced):
            return replaced ? [.accessExclusiveLock] : [.accessExclusiveLock, .deletesData]
        case .dropColumn, .dropTable:
            return [.accessExclusiveLock, .deletesData]
        }
    }
}
