/// A `CREATE DOMAIN` type: a base type with a default, NOT NULL and named checks over `VALUE`.
public struct Domain: Hashable, Sendable, Codable {
    public var name: QualifiedName
    /// As written in YAML, or `format_type()`'s canonical text for a live or canonical domain.
    public var baseType: String
    /// A literal (typed by the base type) or an SQL expression; nil means no default.
    public var defaultValue: ColumnDefault?
    /// `NOT NULL` on the domain: every column of this type refuses NULL.
    public var isNullable: Bool
    /// `COLLATE "C"`: a collation of pg_catalog other than the base type's default, by name.
    public var collation: String?
    /// Named `CHECK (VALUE ...)` constraints, compared by name. `expression` is as written (`VALUE > 0`), or
    /// the server's `CHECK ((VALUE > 0))`; `notValid` as for a table's checks. `noInherit` is not used.
    public var checks: [CheckConstraint]
    /// `COMMENT ON DOMAIN`; nil means no comment.
    public var comment: String?
    /// `renamed_from`: the domain's previous name in its schema (renamed when that one exists and this does not).
    public var renamedFrom: String?
    /// Live only: what uses this type, which a change of the base type would have to rewrite.
    public var usedBy: [TypeUser]

    public init(
        name: QualifiedName, baseType: String, defaultValue: ColumnDefault? = nil, isNullable: Bool = true,
        collation: String? = nil, checks: [CheckConstraint] = [], comment: String? = nil, usedBy: [TypeUser] = []
    ) {
        self.name = name
        self.baseType = baseType
        self.defaultValue = defaultValue
        self.isNullable = isNullable
        self.collation = collation
        self.checks = checks
        self.comment = comment
        self.usedBy = usedBy
    }

    public func check(_ name: String) -> CheckConstraint? { checks.first { $0.name == name } }
}
