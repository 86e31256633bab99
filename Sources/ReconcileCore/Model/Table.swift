/// A partition of a partitioned table: its own name and the rows it takes, as `pg_get_expr(relpartbound)`
/// prints them (`FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`, `FOR VALUES IN ('eu')`,
/// `FOR VALUES WITH (modulus 4, remainder 0)`, `DEFAULT`).
public struct Partition: Hashable, Sendable, Codable {
    public var name: QualifiedName
    public var bound: String
    /// Column → name of the partition's NOT NULL constraint on it (PostgreSQL 18 names them). A partition made
    /// `PARTITION OF` its table takes the table's names, one attached after `CREATE TABLE` (as pg_dump restores
    /// it) keeps its own. Declared: only the columns listed are compared; live: every one.
    public var notNullNames: [String: String] = [:]

    public init(name: QualifiedName, bound: String, notNullNames: [String: String] = [:]) {
        self.name = name
        self.bound = bound
        self.notNullNames = notNullNames
    }
}

public struct Table: Hashable, Sendable, Codable {
    public var name: QualifiedName
    public var columns: [Column]
    public var primaryKey: PrimaryKey?
    public var uniqueConstraints: [UniqueConstraint]
    public var checks: [CheckConstraint]
    public var foreignKeys: [ForeignKey]
    /// Exclusion constraints, in the order declared (live: by name).
    public var exclusions: [ExclusionConstraint] = []
    public var indexes: [Index]
    public var seed: Seed?
    /// `COMMENT ON TABLE`; nil means no comment.
    public var comment: String?
    /// The table's previous name: if that table exists and this one does not, it is renamed, keeping its data.
    public var renamedFrom: QualifiedName?
    /// Live tables only: the planner statistics' row estimate (`reltuples`), to show a change's blast radius.
    public var estimatedRows: Int?
    /// `UNLOGGED`: not written to the WAL (faster, emptied after a crash, not replicated).
    public var isUnlogged = false
    /// `WITH (fillfactor = 70, autovacuum_enabled = off)`, in the order declared.
    public var storageParameters: [StorageParameter] = []
    /// `PARTITION BY RANGE (created_at)`: the text after `PARTITION BY`, as `pg_get_partkeydef` prints it.
    public var partitionBy: String?
    /// The partitions of a partitioned table, in name order; each is created `PARTITION OF` this table and
    /// takes its columns, keys and indexes from it.
    public var partitions: [Partition] = []
    /// `ENABLE` / `FORCE ROW LEVEL SECURITY`.
    public var rowLevelSecurity: RowLevelSecurity = .disabled
    /// Row-level security policies, sorted by name.
    public var policies: [Policy] = []
    /// Triggers in the order declared (live: by name).
    public var triggers: [Trigger] = []
    /// Live tables only: what the table has that a schema file cannot declare and a comparison therefore does
    /// not see (a key's index in a tablespace of its own), as `what: definition` texts for `--check` to name.
    public var notComparable: [String] = []

    public init(
        name: QualifiedName, columns: [Column] = [], primaryKey: PrimaryKey? = nil,
        uniqueConstraints: [UniqueConstraint] = [], checks: [CheckConstraint] = [],
        foreignKeys: [ForeignKey] = [], indexes: [Index] = [], seed: Seed? = nil,
        comment: String? = nil, renamedFrom: QualifiedName? = nil
    ) {
        self.name = name
        self.columns = columns
        self.primaryKey = primaryKey
        self.uniqueConstraints = uniqueConstraints
        self.checks = checks
        self.foreignKeys = foreignKeys
        self.indexes = indexes
        self.seed = seed
        self.comment = comment
        self.renamedFrom = renamedFrom
    }

    public func column(_ name: String) -> Column? { columns.first { $0.name == name } }

    /// A primary key or unique constraint on exactly these columns (in any order): what a foreign key can
    /// reference before the table's unique indexes exist.
    public func hasKeyConstraint(on columns: [String]) -> Bool {
        let wanted = Set(columns)
        return primaryKey.map { Set($0.columns) == wanted } == true
            || uniqueConstraints.contains { Set($0.columns) == wanted }
    }

    /// Names of every constraint on the table, whatever its kind.
    public var constraintNames: [String] {
        (primaryKey.map { [$0.name] } ?? []) + uniqueConstraints.map(\.name) + checks.map(\.name)
            + foreignKeys.map(\.name) + exclusions.map(\.name)
    }
}
