import Yams

/// The walk over one schema file's top-level keys: hands each object to its kind's parser and returns what
/// the file declares, with where. Cross references are checked later, by `SchemaValidator`, once every file
/// of a schema folder is read. Problems go to `reader.diagnostics` with their line and column.
struct SchemaDocumentParser {
    enum Key: String, SchemaFileKey {
        case version, schemas, extensions, enums, domains, types, sequences, functions, procedures, tables, views
        case materializedViews = "materialized_views"
    }

    /// An item of `extensions:` written as a mapping: `{ name: postgis, schema: postgis }`.
    enum ExtensionKey: String, SchemaFileKey {
        case name, schema
    }

    /// A table or type without a schema belongs to this one.
    static let defaultSchema = "public"

    let reader: YAMLReader

    func parse(_ root: Node) -> ParsedDocument {
        var document = ParsedDocument()
        guard let mapping = reader.mapping(root, "the schema file") else { return document }
        var version: Int?
        for entry in reader.entries(mapping, of: Key.self, "the schema file") {
            let value = entry.value
            switch entry.key {
            case .version:
                guard let text = reader.string(value, "version") else { continue }
                guard let number = Int(text), number == SchemaLoader.formatVersion else {
                    reader.error(
                        "unsupported version '\(text)'; this reconcile reads version "
                            + "\(SchemaLoader.formatVersion)", at: value)
                    version = -1
                    continue
                }
                version = number
            case .schemas:
                document.schemaNames = reader.stringList(value, "schemas") ?? []
                for name in document.schemaNames { reader.checkIdentifierLength(name, "schema", at: value) }
            case .extensions:
                (document.extensions, document.extensionSchemas) = parseExtensions(value)
            case .enums:
                document.enums = EnumTypeParser(reader: reader).parse(value, positions: &document.positions)
            case .domains:
                document.domains = DomainParser(reader: reader).parse(value, positions: &document.positions)
            case .types:
                document.compositeTypes = CompositeTypeParser(reader: reader)
                    .parse(value, positions: &document.positions)
            case .sequences:
                document.sequences = SequenceParser(reader: reader)
                    .parseStandalone(value, positions: &document.positions)
            case .functions:
                document.routines += RoutineParser(reader: reader, kind: .function)
                    .parse(value, positions: &document.positions)
            case .procedures:
                document.routines += RoutineParser(reader: reader, kind: .procedure)
                    .parse(value, positions: &document.positions)
            case .views:
                document.views += ViewParser(reader: reader, kind: .view).parse(value, positions: &document.positions)
            case .materializedViews:
                document.views += ViewParser(reader: reader, kind: .materializedView)
                    .parse(value, positions: &document.positions)
            case .tables:
                guard let tables = reader.mapping(value, "tables") else { continue }
                let parser = TableParser(reader: reader)
                for (keyNode, tableNode) in tables {
                    if let table = parser.parse(keyNode, tableNode, positions: &document.positions) {
                        document.tables.append(table)
                    }
                }
            }
        }
        if version == nil {
            reader.error("missing 'version: \(SchemaLoader.formatVersion)' at the top of the file", at: root)
        }
        return document
    }

    /// `extensions: [pg_trgm, { name: postgis, schema: postgis }]`: names, or a name and the schema to create
    /// the extension in.
    private func parseExtensions(_ node: Node) -> ([String], [String: String]) {
        let items: [Node]
        if case .sequence(let sequence) = node { items = Array(sequence) } else { items = [node] }
        var names: [String] = [], schemas: [String: String] = [:]
        for item in items {
            guard case .mapping(let mapping) = item else {
                if let name = reader.string(item, "each item of extensions") { names.append(name) }
                continue
            }
            var name: String?, schema: String?
            for entry in reader.entries(mapping, of: ExtensionKey.self, "an extension") {
                switch entry.key {
                case .name: name = reader.string(entry.value, "name of an extension")
                case .schema: schema = reader.string(entry.value, "schema of an extension")
                }
            }
            guard let name else {
                reader.error("an extension needs 'name' (and 'schema' where it is not public)", at: item)
                continue
            }
            names.append(name)
            if let schema, schema != "public" { schemas[name] = schema }
        }
        return (names, schemas)
    }
}
