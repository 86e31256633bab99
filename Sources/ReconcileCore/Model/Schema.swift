/// A whole database as reconcile sees it: the declared one, a live one, or a canonicalised one.
public struct Schema: Hashable, Sendable, Codable {
    /// PostgreSQL schemas (namespaces) this document manages, sorted.
    public var schemaNames: [String]
    /// Tables sorted by qualified name.
    public var tables: [Table]
    /// Enum types sorted by qualified name.
    public var enums: [EnumType]
    /// Extensions the database must have (`CREATE EXTENSION IF NOT EXISTS`), sorted.
    public var extensions: [String]
    /// Standalone sequences (not owned by a serial or identity column), sorted by qualified name.
    public var sequences: [StandaloneSequence]
    /// The schema of each extension installed (or to be created) outside `public`, where `CREATE EXTENSION`
    /// would put it, e.g. PostGIS in `postgis`, so its types are `postgis.geography`; nil when there is none.
    public var extensionSchemas: [String: String]?
    /// Functions and procedures, sorted by name and identity arguments.
    public var routines: [Routine]

    public init(
        schemaNames: [String] = [], tables: [Table] = [], enums: [EnumType] = [], extensions: [String] = [],
        sequences: [StandaloneSequence] = [], routines: [Routine] = []
    ) {
        self.tables = tables.sorted { $0.name < $1.name }
        self.enums = enums.sorted { $0.name < $1.name }
        self.extensions = Array(Set(extensions)).sorted()
        self.sequences = sequences.sorted { $0.name < $1.name }
        self.routines = routines.sorted { $0.key < $1.key }
        self.schemaNames = Array(
            Set(
                schemaNames + tables.map(\.name.schema) + enums.map(\.name.schema)
                    + sequences.map(\.name.schema) + routines.map(\.name.schema))
        ).sorted()
    }

    public func table(_ name: QualifiedName) -> Table? { tables.first { $0.name == name } }

    public var tablesByName: [QualifiedName: Table] {
        Dictionary(tables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Only what lies in the given schemas (extensions are database-wide and stay).
    public func restricted(to schemas: Set<String>) -> Schema {
        Schema(
            schemaNames: schemaNames.filter(schemas.contains),
            tables: tables.filter { schemas.contains($0.name.schema) },
            enums: enums.filter { schemas.contains($0.name.schema) }, extensions: extensions,
            sequences: sequences.filter { schemas.contains($0.name.schema) },
            routines: routines.filter { schemas.contains($0.name.schema) })
    }
}
