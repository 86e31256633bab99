/// Something in the database that uses a domain or composite type: a table's column, a composite type's
/// attribute, or a domain over it. Read from the catalog, for changes PostgreSQL refuses while the type is used.
public struct TypeUser: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable, Codable {
        case column, attribute, domain
    }

    public var kind: Kind
    /// The table, the composite type or the domain.
    public var relation: QualifiedName
    /// The column or attribute; nil for a domain.
    public var column: String?
    /// The column or attribute is an array of the type (`quantity[]`), or the domain is over such an array.
    public var isArray: Bool

    public init(kind: Kind, relation: QualifiedName, column: String? = nil, isArray: Bool = false) {
        self.kind = kind
        self.relation = relation
        self.column = column
        self.isArray = isArray
    }

    public var description: String {
        "\(kind.rawValue) \(relation)" + (column.map { ".\(SQL.displayIdentifier($0))" } ?? "")
            + (isArray ? " (an array of it)" : "")
    }
}

extension [TypeUser] {
    /// The tables whose columns use the type, sorted.
    public var tables: [QualifiedName] {
        let names: [QualifiedName] = filter { $0.kind == .column }.map { $0.relation }
        return Set(names).sorted()
    }
}
