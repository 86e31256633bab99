/// Partitions of partitioned tables: created `PARTITION OF` their table, re-bounded, dropped; and a changed
/// partition key, which no ALTER can make.
public enum PartitionChange: ChangeFamily {
    case createPartition(parent: QualifiedName, Partition)
    /// The partition exists with other bounds: detached and attached again (the attach checks its rows).
    /// `rebound` is every partition of the table that gets new bounds in this plan, with its new bound as the
    /// server spells it: the first such step detaches them all before it attaches its own, so two partitions
    /// that trade a range never overlap halfway (a later step finds the others detached, or re-attached with
    /// their new bounds, and leaves them).
    case changePartitionBound(parent: QualifiedName, Partition, from: String, rebound: [Partition])
    case dropPartition(parent: QualifiedName, QualifiedName)
    /// The partition's NOT NULL constraints (PostgreSQL 18) have other names than it declares (`live`: column →
    /// its name now, for those that differ): detached, renamed and attached again, as an inherited constraint
    /// cannot be renamed.
    case renameNotNullConstraints(parent: QualifiedName, Partition, live: [String: String])
    /// A table whose partition key differs, or that is partitioned on one side only: PostgreSQL cannot alter
    /// that, the table must be rebuilt and its rows moved. Always blocked.
    case partitionKeyNeedsManualChange(QualifiedName, live: String?, declared: String?)

    var table: QualifiedName? {
        switch self {
        case .createPartition(let parent, _), .changePartitionBound(let parent, _, _, _), .dropPartition(let parent, _),
            .renameNotNullConstraints(let parent, _, _), .partitionKeyNeedsManualChange(let parent, _, _):
            return parent
        }
    }

    /// A partition created or attached gives every foreign key to its parent a copy on the referencing table,
    /// named after that table as it is then (`<table>_<column>_fkey`): it comes after the constraints are
    /// renamed, or the copy could take the name a renamed table's key is about to get.
    var phase: Change.Phase {
        switch self {
        case .createPartition, .changePartitionBound, .renameNotNullConstraints: return .constraints
        case .dropPartition, .partitionKeyNeedsManualChange: return .destructive
        }
    }

    /// A dropped partition goes before a dropped table (which would take it along) and its types; created and
    /// attached ones after the parent's constraints.
    var rankInPhase: Int {
        switch self {
        case .dropPartition: return 2
        case .changePartitionBound: return 1
        case .createPartition: return 2  // after re-bounded partitions left the range it may take
        case .renameNotNullConstraints: return 3  // attached again with the bounds it has by then
        case .partitionKeyNeedsManualChange: return 0
        }
    }

    var marker: Change.Marker {
        switch self {
        case .createPartition: return .add
        case .changePartitionBound, .renameNotNullConstraints: return .change
        case .dropPartition, .partitionKeyNeedsManualChange: return .remove
        }
    }

    var isDestructive: Bool {
        switch self {
        case .dropPartition, .partitionKeyNeedsManualChange: return true
        case .createPartition, .changePartitionBound, .renameNotNullConstraints: return false
        }
    }

    var needsManualAction: Bool {
        switch self {
        case .partitionKeyNeedsManualChange: return true
        case .createPartition, .changePartitionBound, .dropPartition, .renameNotNullConstraints: return false
        }
    }

    var kindName: String {
        switch self {
        case .createPartition: return "create_partition"
        case .changePartitionBound: return "change_partition_bound"
        case .dropPartition: return "drop_partition"
        case .renameNotNullConstraints: return "rename_partition_not_null_constraints"
        case .partitionKeyNeedsManualChange: return "partition_key_needs_manual_change"
        }
    }

    func objectName(table: String) -> String {
        switch self {
        case .createPartition(_, let partition), .changePartitionBound(_, let partition, _, _),
            .renameNotNullConstraints(_, let partition, _):
            return partition.name.description
        case .dropPartition(_, let name): return name.description
        case .partitionKeyNeedsManualChange: return table
        }
    }

    var summary: String {
        switch self {
        case .createPartition(_, let partition): return "create partition \(partition.name) \(partition.bound)"
        case .changePartitionBound(_, let partition, let from, _):
            return "change the bounds of partition \(partition.name) from \(from) to \(partition.bound)"
        case .dropPartition(_, let name): return "drop partition \(name) (not declared in the schema file)"
        case .renameNotNullConstraints(_, let partition, let live):
            return "rename NOT NULL constraints of partition \(partition.name) (detached and attached again): "
                + Self.describeRenames(partition, live: live)
        case .partitionKeyNeedsManualChange(_, let live, let declared):
            return "partitioning changes from \(Self.describe(live)) to \(Self.describe(declared)): PostgreSQL "
                + "cannot alter a partition key; rebuild the table and move its rows by hand"
        }
    }

    private static func describe(_ key: String?) -> String { key.map { "PARTITION BY \($0)" } ?? "none" }

    private static func describeRenames(_ partition: Partition, live: [String: String]) -> String {
        live.sorted { $0.key < $1.key }.map { column, name in
            "\(SQL.displayIdentifier(column)) \(SQL.displayIdentifier(name)) → "
                + SQL.displayIdentifier(partition.notNullNames[column] ?? name)
        }.joined(separator: ", ")
    }

    func driftDescription(object: String, details: [String]) -> String {
        switch self {
        case .createPartition: return "missing partition \(object)"
        case .changePartitionBound(_, let partition, let from, _):
            return "partition \(object) is \(from), the file declares \(partition.bound)"
        case .dropPartition: return "partition \(object) is not declared in the file"
        case .renameNotNullConstraints(_, let partition, let live):
            return "partition \(object) names its NOT NULL constraints otherwise than the file: "
                + Self.describeRenames(partition, live: live)
        case .partitionKeyNeedsManualChange(_, let live, let declared):
            return "table \(object) is \(Self.describe(live)), the file declares \(Self.describe(declared))"
        }
    }

    var statements: [String] {
        switch self {
        case .createPartition(let parent, let partition):
            // It takes its table's NOT NULL constraint names; other declared names are given after.
            let create =
                "CREATE TABLE IF NOT EXISTS \(SQL.qualified(partition.name)) PARTITION OF \(SQL.qualified(parent)) "
                + partition.bound
            return partition.notNullNames.isEmpty
                ? [create] : [create, SQLRenderer.renamePartitionNotNulls(partition, of: parent)]
        case .renameNotNullConstraints(let parent, let partition, _):
            return [SQLRenderer.renamePartitionNotNulls(partition, of: parent)]
        case .changePartitionBound(let parent, let partition, _, let rebound):
            func attached(_ name: QualifiedName) -> String {
                "EXISTS (SELECT 1 FROM pg_catalog.pg_inherits WHERE inhparent = \(SQLRenderer.regclass(parent)) "
                    + "AND inhrelid = pg_catalog.to_regclass(\(SQL.literal(SQL.qualified(name)))))"
            }
            let detaches = rebound.map { other in
                // Still attached with its old bounds: a partition already given its new ones stays.
                SQLRenderer.guarded(
                    if: attached(other.name)
                        + " AND pg_catalog.pg_get_expr((SELECT relpartbound FROM pg_catalog.pg_class "
                        + "WHERE oid = pg_catalog.to_regclass(\(SQL.literal(SQL.qualified(other.name))))), "
                        + "pg_catalog.to_regclass(\(SQL.literal(SQL.qualified(other.name))))) IS DISTINCT FROM "
                        + SQL.literal(other.bound),
                    "ALTER TABLE \(SQL.qualified(parent)) DETACH PARTITION \(SQL.qualified(other.name))")
            }
            let attach = SQLRenderer.guarded(
                unless: attached(partition.name),
                "ALTER TABLE \(SQL.qualified(parent)) ATTACH PARTITION \(SQL.qualified(partition.name)) "
                    + partition.bound)
            return detaches + [attach]
        case .dropPartition(let parent, let name):
            // Detached first: a foreign key to the parent has a copy for each partition, which a plain DROP
            // TABLE refuses to drop with it; the detach checks that no row of the partition is referenced.
            let partition = "pg_catalog.to_regclass(\(SQL.literal(SQL.qualified(name))))"
            let attached =
                "EXISTS (SELECT 1 FROM pg_catalog.pg_inherits WHERE inhparent = "
                + "\(SQLRenderer.regclass(parent)) AND inhrelid = \(partition))"
            let detach = "ALTER TABLE \(SQL.qualified(parent)) DETACH PARTITION \(SQL.qualified(name))"
            return [SQLRenderer.guarded(if: attached, detach), "DROP TABLE IF EXISTS \(SQL.qualified(name))"]
        case .partitionKeyNeedsManualChange:
            return []
        }
    }

    /// Creating, attaching or detaching a partition locks its partitioned table.
    var lock: TableLock {
        switch self {
        case .createPartition, .changePartitionBound, .dropPartition, .renameNotNullConstraints: return .accessExclusive
        case .partitionKeyNeedsManualChange: return .none
        }
    }

    var hazards: [Hazard] {
        switch self {
        case .createPartition: return []
        case .changePartitionBound: return [.rewritesTable, .mayFailOnExistingRows]
        // The attach scans the partition's rows against its bounds again.
        case .renameNotNullConstraints: return [.rewritesTable]
        case .dropPartition: return [.deletesData]
        case .partitionKeyNeedsManualChange: return []
        }
    }

    func preflight(tables: PreflightTables) -> PreflightProbe? { nil }
    var blockedByDependents: DependentsProbe? { nil }

    var privilege: PrivilegeNeed {
        switch self {
        case .createPartition(_, let partition): return .createOnSchema(partition.name.schema)
        case .changePartitionBound(let parent, _, _, _), .dropPartition(let parent, _),
            .renameNotNullConstraints(let parent, _, _), .partitionKeyNeedsManualChange(let parent, _, _):
            return .ownership(parent)
        }
    }
}
