import Foundation
import XCTest

@testable import ReconcileCore

/// `--schema DIR`: a folder of schema files read as one schema, and `--export --split`'s writer.
final class SchemaFolderTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("reconcile-folder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func write(_ relative: String, _ text: String) throws {
        let url = folder.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    private func errors() -> [String] {
        do {
            _ = try SchemaLoader.load(path: folder.path)
            XCTFail("expected the folder to be rejected")
            return []
        } catch {
            return (error as? SchemaLoadError)?.diagnostics.map(\.description) ?? ["\(error)"]
        }
    }

    func testFilesAreReadRecursivelyInPathOrderAndMergedIntoOneSchema() throws {
        try write(
            "types.yml",
            "version: 1\nextensions: [citext]\nenums: { billing.state: [open, paid] }\n"
                + "sequences: { billing.numbers: { start: 100 } }\ntables: {}\n")
        try write(
            "billing/invoices.yaml",
            """
            version: 1
            extensions: [citext]
            tables:
              billing.invoices:
                columns:
                  id: { type: bigint, primary_key: true }
                  user_id: { type: bigint, references: users }
                  state: billing.state
            """)
        try write(
            "users.yaml",
            "version: 1\nschemas: [audit]\ntables:\n  users: { columns: { id: { type: bigint, "
                + "primary_key: true }, email: citext } }\n")
        try write(".hidden/ignored.yaml", "not: a schema file")
        try write("README.md", "not read")
        XCTAssertEqual(SchemaFolder.files(in: folder.path), ["billing/invoices.yaml", "types.yml", "users.yaml"])

        let schema = try SchemaLoader.load(path: folder.path)
        let single = try SchemaLoader.load(
            yaml: """
                version: 1
                schemas: [audit]
                extensions: [citext]
                enums: { billing.state: [open, paid] }
                sequences: { billing.numbers: { start: 100 } }
                tables:
                  users: { columns: { id: { type: bigint, primary_key: true }, email: citext } }
                  billing.invoices:
                    columns:
                      id: { type: bigint, primary_key: true }
                      user_id: { type: bigint, references: users }
                      state: billing.state
                """)
        XCTAssertEqual(schema, single)
        XCTAssertEqual(schema.tables.first { $0.name.name == "invoices" }?.foreignKeys.first?.referencedColumns, ["id"])
    }

    func testAnObjectDeclaredInTwoFilesNamesBothPlaces() throws {
        try write(
            "a.yaml",
            """
            version: 1
            enums: { mood: [happy] }
            sequences: { numbers: {} }
            tables:
              users: { columns: { id: bigint } }
            """)
        try write(
            "b/c.yaml",
            """
            version: 1
            enums: { public.mood: [sad] }
            sequences:
              numbers: { start: 5 }
            tables:
              public.users: { columns: { id: bigint } }
            """)
        let a = folder.appendingPathComponent("a.yaml").path, c = folder.appendingPathComponent("b/c.yaml").path
        XCTAssertEqual(
            errors(),
            [
                "\(c):2:10: error: enum public.mood is declared twice: also at \(a):2:10",
                "\(c):4:3: error: sequence public.numbers is declared twice: also at \(a):3:14",
                "\(c):6:3: error: table public.users is declared twice: also at \(a):5:3",
            ])
    }

    func testAnEnumOrSequenceDeclaredTwiceInOneFileIsAnError() throws {
        let errors = loadErrors(
            """
            version: 1
            enums: { mood: [happy], public.mood: [sad] }
            sequences: { n: {}, public.n: {} }
            tables: {}
            """)
        XCTAssertEqual(
            errors,
            [
                "schema.yaml:2:25: error: enum public.mood is declared twice: also at schema.yaml:2:10",
                "schema.yaml:3:21: error: sequence public.n is declared twice: also at schema.yaml:3:14",
            ])
    }

    func testEveryFilesProblemsAreReportedAndReferencesSpanTheFolder() throws {
        try write(
            "a.yaml",
            "version: 1\ntables:\n"
                + "  a: { columns: { id: bigint, b_id: { type: bigint, references: b } } }\n")
        try write("b.yaml", "version: 1\ntables:\n  c: { colums: {} }\n")
        let a = folder.appendingPathComponent("a.yaml").path, b = folder.appendingPathComponent("b.yaml").path
        XCTAssertEqual(
            errors(),
            [
                "\(b):3:8: error: unknown key 'colums' in table public.c (did you mean 'columns'?)",
                "\(b):3:3: error: table public.c has no 'columns'",
                "\(a):3:65: error: foreign key a_b_id_fkey of public.a references public.b, which is not declared in "
                    + "the schema folder (did you mean 'public.a'?); declare it (a minimal table is enough)",
            ])
        try write("a.yaml", "version: 1\ntables: [\n")
        try write("b.yaml", "version: 1\ntables: {\n")
        XCTAssertEqual(errors().map { $0.components(separatedBy: ":").first ?? "" }, [a, b])
    }

    func testAFolderWithoutSchemaFilesIsAnError() throws {
        try write("notes.txt", "version: 1")
        XCTAssertEqual(errors(), ["\(folder.path): error: the schema folder has no *.yaml or *.yml file"])
    }

    func testTheFingerprintCoversEveryFilesPathAndBytes() throws {
        try write("a.yaml", "version: 1\ntables: {}\n")
        let first = try SchemaLoader.fingerprint(path: folder.path)
        XCTAssertEqual(try SchemaLoader.fingerprint(path: folder.path), first)
        try write("b.yaml", "version: 1\ntables: {}\n")
        let second = try SchemaLoader.fingerprint(path: folder.path)
        XCTAssertNotEqual(second, first)
        try FileManager.default.moveItem(
            at: folder.appendingPathComponent("b.yaml"),
            to: folder.appendingPathComponent("c.yaml"))
        XCTAssertNotEqual(try SchemaLoader.fingerprint(path: folder.path), second)
    }

    // MARK: - The split export's writer

    func testFileNamesKeepEveryIdentifierApartOnAnyFileSystem() {
        XCTAssertEqual(SchemaFolderWriter.fileName("order_lines-2"), "order_lines-2")
        XCTAssertEqual(SchemaFolderWriter.fileName("Users"), "%55sers")
        XCTAssertEqual(SchemaFolderWriter.fileName("a.b/c d"), "a%2Eb%2Fc%20d")
        XCTAssertEqual(SchemaFolderWriter.fileName(".."), "%2E%2E")
        XCTAssertEqual(SchemaFolderWriter.fileName("é"), "%C3%A9")
    }

    func testEveryExampleSplitIntoAFolderLoadsBackToTheSameSchema() throws {
        let examples = Fixture.repoRoot.appendingPathComponent("examples")
        let files = try FileManager.default.contentsOfDirectory(atPath: examples.path).filter { $0.hasSuffix(".yaml") }
        XCTAssertFalse(files.isEmpty)
        for file in files.sorted() + ["../schema.yaml"] {
            let schema = try SchemaLoader.load(path: examples.appendingPathComponent(file).path)
            let target = folder.appendingPathComponent(file.replacingOccurrences(of: "../", with: "root-")).path
            let written = SchemaFolderWriter.files(schema, header: "a header")
            XCTAssertEqual(written.count, schema.tables.count + 1, file)
            try SchemaFolderWriter.write(written, to: target)
            // The writer puts constraints in name order, so the folder equals the schema as one file writes it.
            let folderSchema = try SchemaLoader.load(path: target)
            XCTAssertEqual(folderSchema, try SchemaLoader.load(yaml: SchemaWriter.yaml(schema)), file)
            XCTAssertEqual(SchemaWriter.yaml(folderSchema), SchemaWriter.yaml(schema), file)
        }
    }

    func testWritingIntoAFolderWithOtherSchemaFilesIsRefusedAndWritesNothing() throws {
        let schema = try SchemaLoader.load(yaml: "version: 1\ntables: { users: { columns: { id: bigint } } }\n")
        try write("public/dropped_table.yaml", "version: 1\ntables: {}\n")
        XCTAssertThrowsError(
            try SchemaFolderWriter.write(
                SchemaFolderWriter.files(schema, header: nil),
                to: folder.path)
        ) { error in
            XCTAssertTrue("\(error)".contains("public/dropped_table.yaml"), "\(error)")
        }
        XCTAssertEqual(SchemaFolder.files(in: folder.path), ["public/dropped_table.yaml"])
        try FileManager.default.removeItem(at: folder.appendingPathComponent("public/dropped_table.yaml"))
        try SchemaFolderWriter.write(SchemaFolderWriter.files(schema, header: nil), to: folder.path)
        XCTAssertEqual(SchemaFolder.files(in: folder.path), ["database.yaml", "public/users.yaml"])
        // Writing the same schema again replaces the files it wrote before.
        try SchemaFolderWriter.write(SchemaFolderWriter.files(schema, header: nil), to: folder.path)
        XCTAssertEqual(try SchemaLoader.load(path: folder.path), schema)
    }
}
