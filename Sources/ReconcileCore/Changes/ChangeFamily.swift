/// What every family of changes (schema, type, table, column, constraint, index, seed ...) knows about its
/// own kinds: order, risk, SQL, text, and what must hold before it runs. One file per family implements it,
/// each with exhaustive switches, so a new kind is a compile error everywhere it still needs handling.
protocol ChangeFamily: Hashable, Sendable {
    /// The table (or type) the change belongs to, for grouping; nil for database-level changes.
    var table: QualifiedName? { get }
    var phase: Change.Phase { get }
    /// Order among changes of one phase that must not keep the differ's order (drops: dependents first).
    var rankInPhase: Int { get }
    var marker: Change.Marker { get }
    /// Loses data or removes an object the YAML does not declare: needs `--allow-destructive`.
    var isDestructive: Bool { get }
    /// No flag makes this runnable: a person has to decide.
    var needsManualAction: Bool { get }
    /// A stable snake_case name, for JSON output and scripts.
    var kindName: String { get }
    /// The object as `schema.table`, `schema.table.column`, `schema.table/constraint`; `table` is the
    /// table part already spelled.
    func objectName(table: String) -> String
    /// One line for a person: what happens, to which object.
    var summary: String { get }
    /// The difference as `--check` reports it; `object` is `objectName`.
    func driftDescription(object: String, details: [String]) -> String
    /// Idempotent statements that make the change.
    var statements: [String] { get }
    /// Risks besides the lock (rewrites, data loss, failure on existing rows).
    var hazards: [Hazard] { get }
    /// The strongest lock on a table that existed before the plan.
    var lock: TableLock { get }
    /// The tables that lock is taken on (a foreign key's too); empty when none.
    var lockedTables: [QualifiedName] { get }
    /// A count of existing rows that would make the step fail, over the rows as earlier steps leave them.
    func preflight(tables: PreflightTables) -> PreflightProbe?
    /// Objects reconcile does not manage could depend on what this change removes or retypes.
    var blockedByDependents: DependentsProbe? { get }
    /// What the applying role must hold.
    var privilege: PrivilegeNeed { get }
}

extension ChangeFamily {
    /// Most changes lock only their own table.
    var lockedTables: [QualifiedName] { lock == .none ? [] : table.map { [$0] } ?? [] }
}

/// The existing tables' rows as a plan's earlier steps leave them (renamed, cast, backfilled), which is
/// what a pre-flight probe must count: it runs before anything changes.
public protocol PreflightTables {
    /// A FROM item (`... AS alias`) with the table's rows, when the table and these columns exist by the
    /// time the step runs; nil when they do not (a new table is empty, a new column unknown).
    func relation(_ table: QualifiedName, columns: [String], as alias: String) -> String?
    /// The planner statistics' row estimate of an existing table (nil: never analysed, or no such table).
    func estimatedRows(_ table: QualifiedName) -> Int?
}

/// Pre-flight questions about the live data, asked in order: each query returns one count; the first count
/// above zero fails the step, and its `explain` says why in the step's words.
public struct PreflightProbe: Sendable {
    public struct Question: Sendable {
        public let query: String
        public let explain: @Sendable (Int) -> String
    }

    public let questions: [Question]

    init(_ query: String, explain: @escaping @Sendable (Int) -> String) {
        questions = [Question(query: query, explain: explain)]
    }

    private init(questions: [Question]) { self.questions = questions }

    /// This probe's questions, then `other`'s.
    func then(_ other: PreflightProbe) -> PreflightProbe { PreflightProbe(questions: questions + other.questions) }
}

/// A table (or one of its columns) whose dependents outside reconcile's model (views, other tables'
/// foreign keys) would make PostgreSQL refuse the change.
public struct DependentsProbe: Hashable, Sendable {
    public let table: QualifiedName
    /// nil: the whole table goes, so foreign keys of other tables count too.
    public let column: String?
}

/// A privilege the applying role needs for one step.
public enum PrivilegeNeed: Hashable, Sendable {
    case none
    case createOnDatabase
    case createOnSchema(String)
    /// e.g. `INSERT` on an existing table; nothing when the table is new (the role will own it).
    case onTable(QualifiedName, String)
    /// Altering a table, its constraints or indexes takes ownership; nothing when the table is new.
    case ownership(QualifiedName)
}

/// Shared wording for pre-flight messages.
func rowsText(_ count: Int, _ singular: String, _ plural: String) -> String {
    count == 1 ? "1 row \(singular)" : "\(count) rows \(plural)"
}

/// Tables as they are, with no earlier steps to follow: the plain tables (for single steps and tests).
extension Dictionary: PreflightTables where Key == QualifiedName, Value == Table {
    public func relation(_ table: QualifiedName, columns: [String], as alias: String) -> String? {
        guard let live = self[table], columns.allSatisfy({ live.column($0) != nil }) else { return nil }
        return "\(SQL.qualified(table)) AS \(alias)"
    }

    public func estimatedRows(_ table: QualifiedName) -> Int? { self[table]?.estimatedRows }
}
