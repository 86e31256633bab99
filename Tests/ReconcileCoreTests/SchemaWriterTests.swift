import Foundation
import XCTest

@testable import ReconcileCore

/// `SchemaWriter` (used by --export) writes a schema file that `SchemaLoader` reads back to the same schema.
final class SchemaWriterTests: XCTestCase {
    /// The writer lists constraints and indexes in name order; the loader keeps file order. Neither order
    /// matters to the differ, so compare with both sorted.
    private func normalized(_ schema: Schema) -> Schema {
        var schema = schema
        for index in schema.tables.indices {
            schema.tables[index].uniqueConstraints.sort { $0.name < $1.name }
            schema.tables[index].checks.sort { $0.name < $1.name }
            schema.tables[index].foreignKeys.sort { $0.name < $1.name }
            schema.tables[index].indexes.sort { $0.name < $1.name }
        }
        return schema
    }

    private func assertRoundTrips(_ schema: Schema, _ what: String, file: StaticString = #filePath, line: UInt = #line)
    {
        let text = SchemaWriter.yaml(schema)
        do {
            let reloaded = try SchemaLoader.load(yaml: text, file: what)
            XCTAssertEqual(
                normalized(reloaded), normalized(schema), "\(what) changed on the way back:\n\(text)", file: file,
                line: line)
            XCTAssertEqual(
                SchemaWriter.yaml(reloaded), text, "\(what): a second export differs", file: file, line: line)
        } catch {
            XCTFail("\(what): the exported file does not load:\n\(error)\n\(text)", file: file, line: line)
        }
    }

    func testRootSchemaRoundTrips() throws {
        assertRoundTrips(try SchemaLoader.load(path: Fixture.rootSchemaPath), "schema.yaml")
    }

    func testExamplesRoundTrip() throws {
        let directory = Fixture.repoRoot.appendingPathComponent("examples")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }
            .sorted()
        XCTAssertFalse(files.isEmpty, "no examples found in \(directory.path)")
        for file in files {
            let schema = try SchemaLoader.load(path: directory.appendingPathComponent(file).path)
            assertRoundTrips(schema, "examples/\(file)")
        }
    }

    /// `CREATE TABLE t ()` is legal and real schemas have such tables: the writer says `columns: {}`, which the
    /// loader reads back (a bare `columns:` would not load).
    /// An extension outside `public` keeps its schema, so the types it brings (`extensions.citext`) exist where
    /// the columns say; a name and schema missing is a located error.
    func testExtensionSchemasRoundTrip() throws {
        let schema = try SchemaLoader.load(
            yaml: """
                version: 1
                extensions: [pg_trgm, { name: citext, schema: extensions }, { name: hstore, schema: public }]
                tables:
                  profiles:
                    columns:
                      name: extensions.citext
                """)
        XCTAssertEqual(schema.extensions, ["citext", "hstore", "pg_trgm"])
        XCTAssertEqual(schema.extensionSchemas, ["citext": "extensions"])
        XCTAssertTrue(
            SchemaWriter.yaml(schema).contains(
                "extensions: [{ name: citext, schema: extensions }, hstore, pg_trgm]\n"), SchemaWriter.yaml(schema))
        assertRoundTrips(schema, "extension schemas")
        let changes = Differ(desired: schema, live: Schema()).prerequisiteChanges().flatMap(\.statements)
        XCTAssertTrue(
            changes.contains("CREATE EXTENSION IF NOT EXISTS \"citext\" WITH SCHEMA \"extensions\""), "\(changes)")
        XCTAssertThrowsError(try SchemaLoader.load(yaml: "version: 1\nextensions: [{ schema: x }]\ntables: {}\n")) {
            error in
            XCTAssertTrue("\(error)".contains("2:14: error: an extension needs 'name'"), "\(error)")
        }
    }

    func testTableWithoutColumnsRoundTrips() throws {
        let schema = Schema(tables: [
            Table(name: Fixture.name("marker"), comment: "no columns"),
            Table(name: Fixture.name("t"), columns: [Column(name: "id", type: "integer")]),
        ])
        XCTAssertTrue(
            SchemaWriter.yaml(schema).contains("  marker:\n    comment: no columns\n    columns: {}\n"),
            SchemaWriter.yaml(schema))
        assertRoundTrips(schema, "empty-table.yaml")
    }

    /// Of a partition's NOT NULL names, only those PARTITION OF would not give (the table's own) are written.
    func testPartitionNotNullNamesOtherThanTheTablesAreWritten() throws {
        var id = Column(name: "id", type: "integer", isNullable: false)
        id.notNullName = "events_id_not_null"
        let at = Column(name: "at", type: "date", isNullable: false)
        var table = Table(name: Fixture.name("events"), columns: [id, at])
        table.partitionBy = "RANGE (at)"
        table.partitions = [
            Partition(
                name: Fixture.name("events_a"), bound: "DEFAULT",
                notNullNames: ["id": "events_id_not_null", "at": "events_a_at_not_null"]),
            Partition(name: Fixture.name("events_b"), bound: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"),
        ]
        let yaml = SchemaWriter.yaml(Schema(tables: [table]))
        XCTAssertTrue(
            yaml.contains(
                "      events_a: { bound: \"DEFAULT\", not_null_names: { at: events_a_at_not_null } }\n"
                    + "      events_b: \"FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')\"\n"), yaml)
        let reloaded = try SchemaLoader.load(yaml: yaml).tables.first?.partitions.first
        XCTAssertEqual(reloaded?.notNullNames, ["at": "events_a_at_not_null"])
    }

    func testStorageAndCompressionRoundTrip() throws {
        var body = Column(name: "body", type: "text")
        body.storage = .external
        body.compression = .lz4
        let schema = Schema(tables: [Table(name: Fixture.name("documents"), columns: [body])])
        XCTAssertTrue(
            SchemaWriter.yaml(schema).contains("body: { type: text, storage: external, compression: lz4 }"),
            SchemaWriter.yaml(schema))
        assertRoundTrips(schema, "storage.yaml")
    }

    /// A foreign key between two tables of the same non-public schema is written schema-qualified: the
    /// loader reads unqualified references as `public` (as the README documents).
    func testReferenceWithinANonPublicSchemaRoundTrips() throws {
        let schema = try loadValid(
            """
            version: 1
            tables:
              billing.cases:
                columns:
                  id: { type: bigint, primary_key: true }
              billing.invoices:
                columns:
                  case_id: { type: bigint, references: billing.cases(id) }
            """)
        XCTAssertTrue(SchemaWriter.yaml(schema).contains("references: billing.cases(id)"), SchemaWriter.yaml(schema))
        assertRoundTrips(schema, "billing.yaml")
    }

    func testHostileNamesAndValuesRoundTrip() throws {
        let schema = try loadValid(
            """
            version: 1
            schemas: [extra]
            extensions: [citext]
            enums:
              state: [open, "it's closed", "null", "12"]
            tables:
              cases:
                columns:
                  id: { type: bigserial, primary_key: true }
              invoices:
                comment: "Invoices: one per case"
                columns:
                  id: { type: integer, primary_key: true }
                  case_id: { type: bigint, references: cases, on_delete: set null }
                  state: { type: state, default: open }
                  note: { type: text, default: "null", comment: "multi\\nline\\ttab \\"quoted\\"" }
                  flag: { type: boolean, default: false }
                  code: { type: text, default: '0012' }
                  ratio: { type: "numeric(3,2)", default: -0.5 }
                  at: { type: timestamptz, default_sql: "now() + interval '1 day'" }
                checks:
                  invoices_code_check: "code <> 'x: y # z'"
              '"odd.schema"."Mixed Case"':
                columns:
                  'Weird "Col"': text
                  'with space': { type: int, primary_key: true }
                  'yes': { type: text, unique: true }
                indexes:
                  - { columns: ['Weird "Col"', { expression: "lower(\\"yes\\")" }], where: "\\"Weird \\"\\"Col\\"\\"\\" <> ''", using: btree }
                  - { name: "odd idx", columns: ['with space'], unique: true, using: hash }
                seed:
                  mode: enforce
                  rows:
                    - { 'with space': 1, 'Weird "Col"': "yes", 'yes': true }
                    - { 'with space': 2, 'Weird "Col"': ~ }
                    - { 'with space': 3, 'Weird "Col"': "12" }
                    - { 'with space': 4, 'Weird "Col"': "", 'yes': "- item" }
            """)
        assertRoundTrips(schema, "hostile.yaml")
    }

    func testGoldenExport() throws {
        let schema = try loadValid(
            """
            version: 1
            schemas: [empty]
            tables:
              orders:
                columns:
                  id: { type: bigint, identity: by_default, primary_key: true }
                  email: { type: text, nullable: false, unique: true }
                  total: { type: "numeric(12,2)", nullable: false, default: 0, check: total >= 0 }
                  placed_at: { type: timestamptz, default_sql: now() }
                indexes:
                  - columns: [placed_at]
                  - { name: orders_recent, columns: [placed_at], where: "placed_at > '2024-01-01'" }
            """)
        XCTAssertEqual(
            SchemaWriter.yaml(schema, header: "Exported from db\nDo not edit"),
            """
            # Exported from db
            # Do not edit
            version: 1
            schemas: [empty]
            tables:
              orders:
                columns:
                  id: { type: bigint, identity: by_default }
                  email: { type: text, nullable: false }
                  total: { type: "numeric(12,2)", nullable: false, default: 0 }
                  placed_at: { type: timestamptz, default_sql: "now()" }
                primary_key: [id]
                unique:
                  - [email]
                checks:
                  orders_total_check: "total >= 0"
                indexes:
                  - { columns: [placed_at] }
                  - { name: orders_recent, columns: [placed_at], where: "placed_at > '2024-01-01'" }

            """)
    }

    func testEmptySchema() {
        XCTAssertEqual(SchemaWriter.yaml(Schema()), "version: 1\ntables: {}\n")
    }

    func testYAMLScalars() {
        XCTAssertEqual(YAMLText.string("orders"), "orders")
        XCTAssertEqual(YAMLText.string("numeric(12,2)"), "\"numeric(12,2)\"")
        XCTAssertEqual(YAMLText.string("varchar(100)"), "varchar(100)")
        for reserved in ["null", "True", "no", "~", "12", "0.8", "1e3", "", "trailing "] {
            XCTAssertEqual(YAMLText.string(reserved), "\"\(reserved)\"", reserved)
        }
        XCTAssertEqual(YAMLText.quoted("a\"b\\c\nd\te\u{1}"), "\"a\\\"b\\\\c\\nd\\te\\u0001\"")
        XCTAssertEqual(YAMLText.literal(.null), "null")
        XCTAssertEqual(YAMLText.literal(.bool(true)), "true")
        XCTAssertEqual(YAMLText.literal(.number("0012")), "0012")
        XCTAssertEqual(YAMLText.literal(.string("0012")), "\"0012\"")
        XCTAssertEqual(YAMLText.literal(.string("gpt-4")), "gpt-4")
        XCTAssertEqual(YAMLText.list(["a", "b c", "true"]), "[a, b c, \"true\"]")
    }

    func testCheckExpressionFromServerText() {
        XCTAssertEqual(SchemaWriter.checkExpression("CHECK ((a > 0))"), "(a > 0)")
        XCTAssertEqual(SchemaWriter.checkExpression("CHECK ((a > 0)) NOT VALID"), "(a > 0)")
        XCTAssertEqual(SchemaWriter.checkExpression("CHECK (((a > 0) AND (b > 0)))"), "((a > 0) AND (b > 0))")
        XCTAssertEqual(SchemaWriter.checkExpression("a > 0"), "a > 0")
    }

    func testNameSyntaxForExport() {
        XCTAssertEqual(SchemaWriter.name(QualifiedName(schema: "public", name: "t")), "t")
        XCTAssertEqual(SchemaWriter.name(QualifiedName(schema: "s", name: "t")), "s.t")
        XCTAssertEqual(
            SchemaWriter.name(QualifiedName(schema: "odd.schema", name: "Mixed Case")), "\"odd.schema\".\"Mixed Case\"")
        XCTAssertEqual(SchemaWriter.nameSyntax("a\"b"), "\"a\"\"b\"")
        XCTAssertEqual(SchemaWriter.nameSyntax("Mixed"), "Mixed")
    }
}
