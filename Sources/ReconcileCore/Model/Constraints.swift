/// When a key or foreign key is checked: after each statement (the default), or, if deferrable, possibly
/// at commit (`SET CONSTRAINTS ... DEFERRED`), or at commit unless told otherwise (initially deferred).
public enum Deferral: String, Hashable, Sendable, CaseIterable, Codable {
    case notDeferrable = "not_deferrable"
    case deferrable
    case initiallyDeferred = "initially_deferred"

    /// The clause after the constraint's definition; empty for the default.
    public var sql: String {
        switch self {
        case .notDeferrable: return ""
        case .deferrable: return " DEFERRABLE"
        case .initiallyDeferred: return " DEFERRABLE INITIALLY DEFERRED"
        }
    }
}

public struct PrimaryKey: Hashable, Sendable, Codable {
    public var name: String
    public var columns: [String]
    public var deferral: Deferral
    /// The key's index: `INCLUDE (...)` columns and `WITH (...)` storage parameters (see `KeyIndexOptions`).
    public var index: KeyIndexOptions?

    public init(
        name: String, columns: [String], deferral: Deferral = .notDeferrable, index: KeyIndexOptions? = nil
    ) {
        self.name = name
        self.columns = columns
        self.deferral = deferral
        self.index = index
    }
}

/// What a primary key or unique constraint says about the index it owns (which has the constraint's name):
/// `INCLUDE (...)` columns, stored in the index but not part of the key, and `WITH (...)` storage parameters.
/// A key has none of these when the value is nil, never an empty one (so that keys without them compare and
/// fingerprint as they did before keys could have them): build it with `init?`.
public struct KeyIndexOptions: Hashable, Sendable, Codable {
    public var include: [String]
    /// In the order declared; compared as a set of name = value, like a table's.
    public var storageParameters: [StorageParameter]

    /// nil when there are neither INCLUDE columns nor storage parameters.
    public init?(include: [String], storageParameters: [StorageParameter]) {
        guard !include.isEmpty || !storageParameters.isEmpty else { return nil }
        self.include = include
        self.storageParameters = storageParameters
    }
}

public struct UniqueConstraint: Hashable, Sendable, Codable {
    public var name: String
    public var columns: [String]
    public var deferral: Deferral
    /// `UNIQUE NULLS NOT DISTINCT` (PostgreSQL 15+): two NULLs count as equal, so only one may exist.
    public var nullsNotDistinct: Bool
    /// The constraint's index: `INCLUDE (...)` columns and `WITH (...)` storage parameters.
    public var index: KeyIndexOptions?

    public init(
        name: String, columns: [String], deferral: Deferral = .notDeferrable, nullsNotDistinct: Bool = false,
        index: KeyIndexOptions? = nil
    ) {
        self.name = name
        self.columns = columns
        self.deferral = deferral
        self.nullsNotDistinct = nullsNotDistinct
        self.index = index
    }
}

public struct CheckConstraint: Hashable, Sendable, Codable {
    public var name: String
    /// As written in YAML (`tokens_used >= 0`), or the server's canonical `CHECK (...)` text (without the
    /// `NO INHERIT` and `NOT VALID` that `pg_get_constraintdef` appends: those are the flags below).
    public var expression: String
    /// `NO INHERIT`: tables that inherit from this one do not get the check.
    public var noInherit: Bool
    /// `NOT VALID`: added without checking existing rows. Declared, it is satisfied by a validated
    /// constraint too; undeclared, a live unvalidated constraint is validated.
    public var notValid: Bool

    public init(name: String, expression: String, noInherit: Bool = false, notValid: Bool = false) {
        self.name = name
        self.expression = expression
        self.noInherit = noInherit
        self.notValid = notValid
    }
}

/// `EXCLUDE USING gist (room_id WITH =, during WITH &&)`: no two rows may have every element's operator
/// return true against each other. Like a unique constraint it owns an index of its own name.
public struct ExclusionConstraint: Hashable, Sendable, Codable {
    public var name: String
    /// The text after `EXCLUDE`, without the deferral: `USING gist (room_id WITH =, during WITH &&)`,
    /// optionally followed by `INCLUDE (...)`, `WITH (...)` and `WHERE (...)`; as written in YAML, or as
    /// `pg_get_constraintdef` prints it for live and canonical constraints.
    public var definition: String
    public var deferral: Deferral

    public init(name: String, definition: String, deferral: Deferral = .notDeferrable) {
        self.name = name
        self.definition = definition
        self.deferral = deferral
    }
}

public enum ReferentialAction: String, Hashable, Sendable, CaseIterable, Codable {
    case noAction = "no action"
    case restrict
    case cascade
    case setNull = "set null"
    case setDefault = "set default"

    public var sql: String { rawValue.uppercased() }
}

public struct ForeignKey: Hashable, Sendable, Codable {
    public var name: String
    public var columns: [String]
    public var referencedTable: QualifiedName
    public var referencedColumns: [String]
    public var onDelete: ReferentialAction
    public var onUpdate: ReferentialAction
    /// `MATCH FULL`: a multi-column key is either all NULL or must match; the default (simple) lets any
    /// NULL column skip the check.
    public var matchFull: Bool
    public var deferral: Deferral
    /// `NOT VALID`: see `CheckConstraint.notValid`.
    public var notValid: Bool

    public init(
        name: String, columns: [String], referencedTable: QualifiedName, referencedColumns: [String],
        onDelete: ReferentialAction = .noAction, onUpdate: ReferentialAction = .noAction,
        matchFull: Bool = false, deferral: Deferral = .notDeferrable, notValid: Bool = false
    ) {
        self.name = name
        self.columns = columns
        self.referencedTable = referencedTable
        self.referencedColumns = referencedColumns
        self.onDelete = onDelete
        self.onUpdate = onUpdate
        self.matchFull = matchFull
        self.deferral = deferral
        self.notValid = notValid
    }
}

/// One key of an index: a column, or an expression written exactly as inside `CREATE INDEX ... (...)`:
/// `lower(email)`, `(a + b)`, `created_at DESC`, `name text_pattern_ops`.
/// The statistics target of one expression column of an index, which ANALYZE samples like a table column's.
public struct IndexColumnStatistics: Hashable, Sendable, Codable {
    /// Position among the index's key columns, from 1 (what `ALTER INDEX ... ALTER COLUMN n` takes).
    public var column: Int
    public var target: Int

    public init(column: Int, target: Int) {
        self.column = column
        self.target = target
    }
}

public enum IndexKey: Hashable, Sendable, Codable {
    case column(String)
    case expression(String)
}

/// A storage parameter (`fillfactor = 70`) of an index, in the order `WITH (...)` lists them.
public struct StorageParameter: Hashable, Sendable, Codable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

public struct Index: Hashable, Sendable, Codable {
    public var name: String
    public var keys: [IndexKey]
    public var isUnique: Bool
    /// Access method: btree, hash, gin, gist, brin, spgist...
    public var method: String
    /// Partial index condition (`WHERE ...`), as written.
    public var predicate: String?
    /// Columns stored in the index but not part of its key (`INCLUDE (...)`).
    public var include: [String]
    /// `NULLS NOT DISTINCT` (PostgreSQL 15+): a unique index then allows one NULL.
    public var nullsNotDistinct: Bool
    public var storageParameters: [StorageParameter]
    /// The server's canonical text from `USING` onwards (`btree (case_id) WHERE ...`); set on live and
    /// canonical indexes, nil on indexes read from YAML.
    public var canonicalDefinition: String?
    /// Statistics targets of expression columns (`ALTER INDEX ... ALTER COLUMN 2 SET STATISTICS 500`) by
    /// column position, counted from 1 over the keys; nil when none is set (kept out of saved-plan
    /// fingerprints of schemas that have none).
    public var statistics: [IndexColumnStatistics]?
    /// True for a live index that `pg_index.indisvalid` marks INVALID: what an interrupted or failed
    /// `CREATE INDEX CONCURRENTLY` leaves. It answers no query yet still costs every write; the differ drops
    /// and rebuilds it. nil otherwise (so valid indexes keep saved-plan fingerprints as they were).
    public var isInvalid: Bool?

    public init(
        name: String, keys: [IndexKey], isUnique: Bool = false, method: String = "btree",
        predicate: String? = nil, include: [String] = [], nullsNotDistinct: Bool = false,
        storageParameters: [StorageParameter] = [], canonicalDefinition: String? = nil
    ) {
        self.name = name
        self.keys = keys
        self.isUnique = isUnique
        self.method = method
        self.predicate = predicate
        self.include = include
        self.nullsNotDistinct = nullsNotDistinct
        self.storageParameters = storageParameters
        self.canonicalDefinition = canonicalDefinition
    }
}
