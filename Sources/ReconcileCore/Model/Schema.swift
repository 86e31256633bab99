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
    /// Domains sorted by qualified name.
    public var domains: [Domain] = []
    /// Composite types sorted by qualified name.
    public var compositeTypes: [CompositeType] = []
    /// Functions and procedures, sorted by name and identity arguments.
    public var routines: [Routine] = []
    /// Views and materialized views, sorted by qualified name.
    public var views: [View] = []
    /// Live only: views reconcile does not manage (in another schema, or excluded by `--exclude`) that read a
    /// managed table or view, at any depth. A change they block drops them and creates them again as they are.
    public var dependentViews: [View] = []

    public init(
        schemaNames: [String] = [], tables: [Table] = [], enums: [EnumType] = [], extensions: [String] = [],
        sequences: [StandaloneSequence] = [], domains: [Domain] = [], compositeTypes: [CompositeType] = [],
        routines: [Routine] = [], views: [View] = []
    ) {
        self.tables = tables.sorted { $0.name < $1.name }
        self.enums = enums.sorted { $0.name < $1.name }
        self.extensions = Array(Set(extensions)).sorted()
        self.sequences = sequences.sorted { $0.name < $1.name }
        self.domains = domains.sorted { $0.name < $1.name }
        self.compositeTypes = compositeTypes.sorted { $0.name < $1.name }
        self.routines = routines.sorted { $0.key < $1.key }
        self.views = views.sorted { $0.name < $1.name }
        self.schemaNames = Array(
            Set(
                schemaNames + tables.map(\.name.schema) + enums.map(\.name.schema)
                    + sequences.map(\.name.schema) + domains.map(\.name.schema)
                    + compositeTypes.map(\.name.schema) + routines.map(\.name.schema) + views.map(\.name.schema))
        ).sorted()
    }

    /// Whether an enum, domain or composite type of this schema is declared (or, for a live schema, exists).
    public func declaresTypes(in schema: String) -> Bool {
        enums.contains { $0.name.schema == schema } || domains.contains { $0.name.schema == schema }
            || compositeTypes.contains { $0.name.schema == schema }
    }

    public func table(_ name: QualifiedName) -> Table? { tables.first { $0.name == name } }

    public var tablesByName: [QualifiedName: Table] {
        Dictionary(tables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Only what lies in the given schemas (extensions are database-wide and stay).
    public func restricted(to schemas: Set<String>) -> Schema {
        var restricted = Schema(
            schemaNames: schemaNames.filter(schemas.contains),
            tables: tables.filter { schemas.contains($0.name.schema) },
            enums: enums.filter { schemas.contains($0.name.schema) }, extensions: extensions,
            sequences: sequences.filter { schemas.contains($0.name.schema) },
            domains: domains.filter { schemas.contains($0.name.schema) },
            compositeTypes: compositeTypes.filter { schemas.contains($0.name.schema) },
            routines: routines.filter { schemas.contains($0.name.schema) },
            views: views.filter { schemas.contains($0.name.schema) })
        // The views elsewhere that read what is kept, at any depth, or use a kept function or type (as the
        // catalog query finds them).
        var reached = Set(restricted.tables.map(\.name) + restricted.views.map(\.name))
        let keptRoutines = Set(restricted.routines.map(\.key))
        let keptTypes = Set(restricted.domains.map(\.name) + restricted.compositeTypes.map(\.name))
        var others = dependentViews + views.filter { !schemas.contains($0.name.schema) }
        var found = true
        while found {
            found = false
            for view in others
            where (view.catalog?.dependencies ?? []).contains(where: { reached.contains($0.relation) })
                || (view.catalog?.routines ?? []).contains(where: keptRoutines.contains)
                || (view.catalog?.types ?? []).contains(where: keptTypes.contains)
            {
                restricted.dependentViews.append(view)
                reached.insert(view.name)
                found = true
            }
            others.removeAll { reached.contains($0.name) }
        }
        restricted.dependentViews.sort { $0.name < $1.name }
        return restricted
    }

    /// The same schema with other tables (declared types, routines, sequences and extensions kept).
    public func with(tables: [Table]) -> Schema {
        var copy = self
        copy.tables = tables.sorted { $0.name < $1.name }
        return copy
    }
}
