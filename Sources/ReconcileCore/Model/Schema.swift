/// A whole database as reconcile sees it: the declared one, a live one, or a canonicalised one.
public struct Schema: Hashable, Sendable {
    /// PostgreSQL schemas (namespaces) this document manages, sorted.
    public var schemaNames: [String]
    /// Tables sorted by qualified name.
    public var tables: [Table]

    public init(schemaNames: [String] = [], tables: [Table] = []) {
        self.tables = tables.sorted { $0.name < $1.name }
        self.schemaNames = Array(Set(schemaNames + tables.map(\.name.schema))).sorted()
    }

    public func table(_ name: QualifiedName) -> Table? { tables.first { $0.name == name } }

    public var tablesByName: [QualifiedName: Table] {
        Dictionary(tables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
