/// One semantic difference between the declared and the live database, and what to do about it.
/// The kind names the family that owns it; the family's file says everything about its kinds (SQL, text,
/// hazards, pre-flight, privileges), and `Change` only forwards to it.
public struct Change: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case schema(SchemaChange)
        case type(TypeChange)
        case table(TableChange)
        case column(ColumnChange)
        case constraint(ConstraintChange)
        case index(IndexChange)
        case seed(SeedChange)
        case partition(PartitionChange)
        case sequence(SequenceChange)
        case policy(PolicyChange)
        /// Only in online plans (`OnlinePlanner`): a concurrent index build, a key using it, NOT NULL via a check.
        case online(OnlineChange)
        case routine(RoutineChange)
        case trigger(TriggerChange)
        case view(ViewChange)
    }

    /// The order phases run in; within a phase, changes keep the differ's order (table by table).
    public enum Phase: Int, Comparable, Sendable, CaseIterable {
        /// `drops` removes constraints, indexes and columns before the column changes and seeds they could
        /// block (a check that would not survive a type change, a NOT NULL column a seed row leaves out);
        /// tables and types go last, once nothing refers to them. Foreign keys come after indexes, since a key
        /// may reference a unique index rather than a constraint. All of it is one transaction. Functions come
        /// before the tables whose checks, defaults and indexes call them, except those whose signature uses a
        /// table's row type (`routinesOnTables`). Triggers come once their table, columns and function exist, and
        /// before seeded rows are inserted. Views are dropped first, before anything they could block (a column
        /// type change, a dropped column or function), and created after the seeded rows, once everything they
        /// read exists (a materialized view is then filled with the seeded rows).
        case schemas, viewDrops, types, routines, tables, routinesOnTables, columns, drops, columnChanges, constraints,
            indexes, foreignKeys, triggers, seeds, views, destructive

        public static func < (lhs: Phase, rhs: Phase) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// What a plan shows in front of a change.
    public enum Marker: Character, Hashable, Sendable, CustomStringConvertible {
        case add = "+"
        case change = "~"
        case remove = "-"

        public var description: String { String(rawValue) }
    }

    public var kind: Kind
    /// What exactly differs, where the kind alone does not say (e.g. which seeded rows are missing and
    /// which hold other values). For reports only.
    public var details: [String]

    public init(_ kind: Kind, details: [String] = []) {
        self.kind = kind
        self.details = details
    }

    /// The one switch over families; everything below reads from it.
    var family: any ChangeFamily {
        switch kind {
        case .schema(let change): return change
        case .type(let change): return change
        case .table(let change): return change
        case .column(let change): return change
        case .constraint(let change): return change
        case .index(let change): return change
        case .seed(let change): return change
        case .partition(let change): return change
        case .sequence(let change): return change
        case .policy(let change): return change
        case .online(let change): return change
        case .routine(let change): return change
        case .trigger(let change): return change
        case .view(let change): return change
        }
    }

    /// The table the change belongs to, for grouping; nil for schema-level changes.
    public var table: QualifiedName? { family.table }
    public var phase: Phase { family.phase }
    var rankInPhase: Int { family.rankInPhase }
    public var isDestructive: Bool { family.isDestructive }
    public var needsManualAction: Bool { family.needsManualAction }
    public var marker: Marker { family.marker }
    public var summary: String { family.summary }
    public var kindName: String { family.kindName }
    public var objectName: String { family.objectName(table: table?.description ?? "") }
    public var driftDescription: String { family.driftDescription(object: objectName, details: details) }
    public var statements: [String] { family.statements }
    /// The lock's effect first (ACCESS EXCLUSIVE, or blocking writes), then the family's own risks.
    public var hazards: [Hazard] {
        [lock.hazard].compactMap { $0 } + family.hazards
    }
    public var lock: TableLock { family.lock }
    public var lockedTables: [QualifiedName] { family.lockedTables }
    public func preflight(tables: PreflightTables) -> PreflightProbe? { family.preflight(tables: tables) }
    public var blockedByDependents: DependentsProbe? { family.blockedByDependents }
    public var privilege: PrivilegeNeed { family.privilege }
}
