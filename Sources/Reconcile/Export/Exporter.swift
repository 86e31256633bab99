import Foundation
import PostgresClient
import ReconcileCore

/// Reads a live database into a schema file: how a team adopts reconcile on a database that exists.
/// What it writes, `--check` reports as in sync, and applying it to an empty database and exporting again
/// gives the same text.
struct Exporter {
    let connection: Connection

    struct Unsupported: Error, CustomStringConvertible {
        let description: String
    }

    func export(schemas requested: [String]?, seedTables: [QualifiedName]) throws -> Schema {
        let schemas = try requested ?? userSchemas()
        let live = try Introspector(connection: connection).liveSchema(schemas: schemas)
        var tables: [Table] = []
        let exported = Set(live.tables.map(\.name))
        for var table in live.tables {
            for key in table.foreignKeys where !exported.contains(key.referencedTable) {
                throw Unsupported(description: "foreign key \(SQL.displayIdentifier(key.name)) of \(table.name) references \(key.referencedTable), which is outside the exported schemas; add its schema to --schemas")
            }
            for index in table.columns.indices {
                let column = table.columns[index]
                if case .expression(let text)? = column.defaultValue, text.contains("nextval(") {
                    throw Unsupported(description: "column \(SQL.displayIdentifier(column.name)) of \(table.name) takes its default from a sequence (\(text)), and the schema file does not declare sequences; use an identity column (identity: by_default)")
                }
                if case .expression(let text)? = column.defaultValue,
                   let literal = CatalogText.literalDefault(text, columnType: column.type) {
                    table.columns[index].defaultValue = .literal(literal)
                }
            }
            table.indexes = try table.indexes.map { index in
                guard let definition = index.canonicalDefinition,
                      let parsed = CatalogText.index(definition, columns: table.columns.map(\.name)) else {
                    throw Unsupported(description: "index \(SQL.displayIdentifier(index.name)) on \(table.name) uses options the schema file cannot express yet: \(index.canonicalDefinition ?? "")")
                }
                var exported = parsed
                exported.name = index.name
                exported.isUnique = index.isUnique
                return exported
            }
            if seedTables.contains(table.name) { table.seed = try seed(of: table) }
            tables.append(table)
        }
        for name in seedTables where !tables.contains(where: { $0.name == name }) {
            throw Unsupported(description: "--seed-tables names \(name), which is not an exported table")
        }
        // plpgsql is installed in every database; declaring it would only add noise.
        let extensions = live.extensions.filter { $0 != "plpgsql" }
        return Schema(schemaNames: live.schemaNames, tables: tables, enums: live.enums, extensions: extensions)
    }

    /// Every schema a user made: not the system's, not an extension's.
    private func userSchemas() throws -> [String] {
        try connection.query("""
            SELECT n.nspname FROM pg_catalog.pg_namespace n
            WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
              AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep
                              WHERE dep.classid = 'pg_catalog.pg_namespace'::regclass AND dep.objid = n.oid AND dep.deptype = 'e')
            ORDER BY n.nspname
            """).rows.compactMap { $0[0] }
    }

    /// The table's rows as seeded rows (insert-missing, keyed by the primary key), values as text.
    private func seed(of table: Table) throws -> Seed {
        guard let key = table.primaryKey?.columns else {
            throw Unsupported(description: "\(table.name) has no primary key, so its rows cannot be seeded")
        }
        let columns = table.columns.map(\.name)
        let values = columns.map { "\(SQL.identifier($0))::text" }.joined(separator: ", ")
        let order = key.map(SQL.identifier).joined(separator: ", ")
        let result = try connection.query("SELECT pg_catalog.to_json(ARRAY[\(values)])::text FROM \(SQL.qualified(table.name)) ORDER BY \(order)")
        let rows = try result.rows.map { row -> SeedRow in
            let texts = try JSONDecoder().decode([String?].self, from: Data((row[0] ?? "[]").utf8))
            return SeedRow(values: zip(columns, texts).map { ($0, $1.map(Literal.string) ?? .null) })
        }
        return Seed(mode: .insertMissing, key: key, rows: rows)
    }
}
