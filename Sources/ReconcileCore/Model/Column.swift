/// A column's default: a literal value the column's type parses, or an SQL expression evaluated per row.
public enum ColumnDefault: Hashable, Sendable {
    case literal(Literal)
    case expression(String)
}

public enum IdentityKind: String, Hashable, Sendable {
    case always
    case byDefault = "by_default"

    public var sql: String { self == .always ? "ALWAYS" : "BY DEFAULT" }
}

public struct Column: Hashable, Sendable {
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

    public init(name: String, type: String, isNullable: Bool = true, defaultValue: ColumnDefault? = nil,
                identity: IdentityKind? = nil, isSerial: Bool = false, comment: String? = nil,
                renamedFrom: String? = nil, backfill: Literal? = nil) {
        self.name = name
        self.type = type
        self.isNullable = isNullable
        self.defaultValue = defaultValue
        self.identity = identity
        self.isSerial = isSerial
        self.comment = comment
        self.renamedFrom = renamedFrom
        self.backfill = backfill
    }
}
