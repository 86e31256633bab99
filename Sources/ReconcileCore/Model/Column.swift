/// A column's default: a literal value the column's type parses, or an SQL expression evaluated per row.
public enum ColumnDefault: Hashable, Sendable, Codable {
    case literal(Literal)
    case expression(String)
}

public enum IdentityKind: String, Hashable, Sendable, Codable, CaseIterable {
    case always
    case byDefault = "by_default"

    public var sql: String { self == .always ? "ALWAYS" : "BY DEFAULT" }
}

/// `GENERATED ALWAYS AS (expression) STORED | VIRTUAL`: a column computed from the others of its row.
public struct GeneratedColumn: Hashable, Sendable, Codable {
    /// As written in YAML, or `pg_get_expr`'s canonical text.
    public var expression: String
    /// STORED (computed on write, PostgreSQL 12+) or VIRTUAL (computed on read, PostgreSQL 18+).
    public var isStored: Bool

    public init(expression: String, isStored: Bool = true) {
        self.expression = expression
        self.isStored = isStored
    }

    public var sql: String { "GENERATED ALWAYS AS (\(expression)) \(isStored ? "STORED" : "VIRTUAL")" }
}

public struct Column: Hashable, Sendable, Codable {
    public var name: String
    /// The type as written in YAML, or `format_type()`'s canonical text for a live or canonical column.
    public var type: String
    public var isNullable: Bool
    public var defaultValue: ColumnDefault?
    public var identity: IdentityKind?
    /// `serial`-style columns: the default is `nextval()` of a sequence the column owns.
    public var isSerial: Bool
    /// `COMMENT ON COLUMN`; nil means no comment.
    public var comment: String?
    /// The column's previous name: renamed in place when only the old name exists.
    public var renamedFrom: String?
    /// Written into existing rows whose value is NULL before the column becomes NOT NULL.
    public var backfill: Literal?
    /// A generated column has no default, identity or sequence: its value is computed.
    public var generated: GeneratedColumn?
    /// The sequence of a serial or identity column, where it differs from PostgreSQL's defaults.
    public var sequence: SequenceOptions?
    /// `COLLATE "C"`: a collation of pg_catalog other than the type's default, by name.
    public var collation: String?
    /// `SET STATISTICS 1000`: the planner's sample size for this column; nil is the server's default.
    public var statistics: Int?
    /// `SET STORAGE`: nil is the type's default (`pg_type.typstorage`).
    public var storage: ColumnStorage?
    /// `SET COMPRESSION` (PostgreSQL 14+): nil is the default (`default_toast_compression` when stored).
    public var compression: ColumnCompression?
    /// The name of the column's NOT NULL constraint (PostgreSQL 18 names them). Declared: enforced when set,
    /// any name accepted when nil. Live: the name on PostgreSQL 18 and later, nil before. A renamed table
    /// keeps its columns' old names, which is why an export writes the ones that are not the default.
    public var notNullName: String?

    public init(
        name: String, type: String, isNullable: Bool = true, defaultValue: ColumnDefault? = nil,
        identity: IdentityKind? = nil, isSerial: Bool = false, comment: String? = nil,
        renamedFrom: String? = nil, backfill: Literal? = nil, generated: GeneratedColumn? = nil,
        sequence: SequenceOptions? = nil
    ) {
        self.name = name
        self.type = type
        self.isNullable = isNullable
        self.defaultValue = defaultValue
        self.identity = identity
        self.isSerial = isSerial
        self.comment = comment
        self.renamedFrom = renamedFrom
        self.backfill = backfill
        self.generated = generated
        self.sequence = sequence
    }

    /// NOT NULL with nothing that fills it: an insert must give a value, and existing rows need a backfill
    /// before the column is added.
    public var needsExplicitValue: Bool {
        !isNullable && defaultValue == nil && identity == nil && !isSerial && generated == nil
    }
}
