public struct PrimaryKey: Hashable, Sendable {
    public var name: String
    public var columns: [String]

    public init(name: String, columns: [String]) {
        self.name = name
        self.columns = columns
    }
}

public struct UniqueConstraint: Hashable, Sendable {
    public var name: String
    public var columns: [String]

    public init(name: String, columns: [String]) {
        self.name = name
        self.columns = columns
    }
}

public struct CheckConstraint: Hashable, Sendable {
    public var name: String
    /// As written in YAML (`tokens_used >= 0`), or the server's canonical `CHECK (...)` text.
    public var expression: String

    public init(name: String, expression: String) {
        self.name = name
        self.expression = expression
    }
}

public enum ReferentialAction: String, Hashable, Sendable, CaseIterable {
    case noAction = "no action"
    case restrict
    case cascade
    case setNull = "set null"
    case setDefault = "set default"

    public var sql: String { rawValue.uppercased() }
}

public struct ForeignKey: Hashable, Sendable {
    public var name: String
    public var columns: [String]
    public var referencedTable: QualifiedName
    public var referencedColumns: [String]
    public var onDelete: ReferentialAction
    public var onUpdate: ReferentialAction

    public init(name: String, columns: [String], referencedTable: QualifiedName, referencedColumns: [String],
                onDelete: ReferentialAction = .noAction, onUpdate: ReferentialAction = .noAction) {
        self.name = name
        self.columns = columns
        self.referencedTable = referencedTable
        self.referencedColumns = referencedColumns
        self.onDelete = onDelete
        self.onUpdate = onUpdate
    }
}

/// One key of an index: a column, or an expression written exactly as inside `CREATE INDEX ... (...)`:
/// `lower(email)`, `(a + b)`, `created_at DESC`, `name text_pattern_ops`.
public enum IndexKey: Hashable, Sendable {
    case column(String)
    case expression(String)
}

public struct Index: Hashable, Sendable {
    public var name: String
    public var keys: [IndexKey]
    public var isUnique: Bool
    /// Access method: btree, hash, gin, gist, brin, spgist...
    public var method: String
    /// Partial index condition (`WHERE ...`), as written.
    public var predicate: String?
    /// The server's canonical text from `USING` onwards (`btree (case_id) WHERE ...`); set on live and
    /// canonical indexes, nil on indexes read from YAML.
    public var canonicalDefinition: String?

    public init(name: String, keys: [IndexKey], isUnique: Bool = false, method: String = "btree",
                predicate: String? = nil, canonicalDefinition: String? = nil) {
        self.name = name
        self.keys = keys
        self.isUnique = isUnique
        self.method = method
        self.predicate = predicate
        self.canonicalDefinition = canonicalDefinition
    }
}
