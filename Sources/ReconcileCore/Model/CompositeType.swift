/// One attribute of a composite type: a name, a type and, optionally, a collation.
public struct CompositeAttribute: Hashable, Sendable, Codable {
    public var name: String
    /// As written in YAML, or `format_type()`'s canonical text for a live or canonical type.
    public var type: String
    /// A collation of pg_catalog other than the type's default, by name.
    public var collation: String?

    public init(name: String, type: String, collation: String? = nil) {
        self.name = name
        self.type = type
        self.collation = collation
    }
}

/// A `CREATE TYPE ... AS (...)` composite type: its attributes in order.
public struct CompositeType: Hashable, Sendable, Codable {
    public var name: QualifiedName
    public var attributes: [CompositeAttribute]
    /// `COMMENT ON TYPE`; nil means no comment.
    public var comment: String?
    /// `renamed_from`: the type's previous name in its schema (renamed when that one exists and this does not).
    public var renamedFrom: String?
    /// Live only: the table columns, other composite types and domains that use this type.
    public var usedBy: [TypeUser]

    public init(
        name: QualifiedName, attributes: [CompositeAttribute], comment: String? = nil, usedBy: [TypeUser] = []
    ) {
        self.name = name
        self.attributes = attributes
        self.comment = comment
        self.usedBy = usedBy
    }

    public func attribute(_ name: String) -> CompositeAttribute? { attributes.first { $0.name == name } }
}
