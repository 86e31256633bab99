import Foundation
import XCTest

@testable import ReconcileCore

/// `--export --split DIR` and `--schema DIR` against a real database: the folder is the database, exactly
/// as the single-file export is, and every mode reads it.
final class SchemaFolderExportTests: XCTestCase {
    private static let sourceSQL = """
        CREATE SCHEMA billing;
        CREATE SCHEMA empty_one;
        CREATE TYPE billing.state AS ENUM ('open', 'paid');
        CREATE SEQUENCE billing.numbers START 100;
        CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE);
        CREATE TABLE "Odd Table" (id integer PRIMARY KEY, note text);
        CREATE TABLE billing.invoices (id bigint PRIMARY KEY, user_id bigint REFERENCES users ON DELETE CASCADE,
                                       state billing.state NOT NULL DEFAULT 'open');
        CREATE INDEX ON billing.invoices (user_id);
        CREATE FUNCTION billing.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
        CREATE TRIGGER invoices_touch BEFORE UPDATE ON billing.invoices FOR EACH ROW EXECUTE FUNCTION billing.touch();
        CREATE TABLE events (at timestamptz NOT NULL, kind text) PARTITION BY RANGE (at);
        CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
        CREATE TABLE plans (code text PRIMARY KEY, price numeric(10,2) NOT NULL);
        INSERT INTO plans VALUES ('free', 0), ('pro', 10);
        """

    func testASplitExportIsTheDatabaseAndEveryModeReadsIt() throws {
        let source = try TestDatabase()
        try source.execute(Self.sourceSQL)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reconcile-split-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = directory.appendingPathComponent("schema").path
        let exportFlags = ["--export", "--seed-tables", "plans", "--database-url", source.url]

        let split = try CLI.run(exportFlags + ["--split", folder])
        XCTAssertEqual(split.exitCode, 0, split.stderr)
        XCTAssertEqual(split.stdout, "Exported 5 tables into \(folder) (6 files); load it with --schema \(folder).\n")
        XCTAssertEqual(
            SchemaFolder.files(in: folder),
            [
                "billing/invoices.yaml", "database.yaml",
                "public/%4Fdd%20%54able.yaml", "public/events.yaml",
                "public/plans.yaml", "public/users.yaml",
            ])
        let database = try String(contentsOfFile: folder + "/database.yaml", encoding: .utf8)
        XCTAssertTrue(
            database.contains("schemas: [empty_one]") && database.contains("billing.state: [open, paid]")
                && database.contains("billing.numbers:") && database.contains("functions:\n  billing.touch:"),
            database)
        let invoices = try String(contentsOfFile: folder + "/billing/invoices.yaml", encoding: .utf8)
        XCTAssertTrue(invoices.contains("invoices_touch: { timing: before, events: [update]"), invoices)

        // The folder declares exactly what the one-file export declares.
        let single = try CLI.run(exportFlags)
        XCTAssertEqual(single.exitCode, 0, single.stderr)
        XCTAssertEqual(try SchemaLoader.load(path: folder), try SchemaLoader.load(yaml: single.stdout))

        let check = try CLI.run(["--check", "--schema", folder, "--database-url", source.url])
        XCTAssertEqual(check.exitCode, 0, check.stdout + check.stderr)
        let validate = try CLI.run(["--validate", "--schema", folder])
        XCTAssertEqual(validate.stdout, "\(folder): valid (5 tables, 1 seeded)\n", validate.stderr)

        // Applied to an empty database, the folder makes a database that exports to the same text.
        let target = try TestDatabase()
        let apply = try CLI.run(["--apply", "--schema", folder, "--database-url", target.url])
        XCTAssertEqual(apply.exitCode, 0, apply.stdout + apply.stderr)
        let copy = try CLI.run(["--export", "--seed-tables", "plans", "--database-url", target.url])
        XCTAssertEqual(copy.stdout, single.stdout)

        // Exporting again into the folder rewrites the same bytes.
        func contents() throws -> [String] {
            try SchemaFolder.files(in: folder).map { try String(contentsOfFile: folder + "/" + $0, encoding: .utf8) }
        }
        let before = try contents()
        XCTAssertEqual(try CLI.run(exportFlags + ["--split", folder]).exitCode, 0)
        XCTAssertEqual(try contents(), before)

        // A saved plan made from the folder is stale once a file is added to it.
        let planFile = directory.appendingPathComponent("plan.json").path
        let plan = try CLI.run(["--plan", "--schema", folder, "--out", planFile, "--database-url", target.url])
        XCTAssertEqual(plan.exitCode, 0, plan.stderr)
        try "version: 1\ntables: { extra: { columns: { id: bigint } } }\n"
            .write(toFile: folder + "/extra.yaml", atomically: true, encoding: .utf8)
        let stale = try CLI.run(["--apply", "--schema", folder, "--plan-file", planFile, "--database-url", target.url])
        XCTAssertEqual(stale.exitCode, 1, stale.stdout)
        XCTAssertTrue(stale.stderr.contains("changed since the plan was made"), stale.stderr)
    }

    func testSplitGoesWithExportOnly() throws {
        let misplaced = try CLI.run(["--plan", "--split", "somewhere"])
        XCTAssertEqual(misplaced.exitCode, 64, misplaced.stdout)
        XCTAssertTrue(misplaced.stderr.contains("--split goes with --export"), misplaced.stderr)
    }

    func testExportingIntoAFolderWithAStaleTableFileIsRefusedAndWritesNothing() throws {
        let source = try TestDatabase()
        try source.execute(Self.sourceSQL)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reconcile-split-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        XCTAssertEqual(try CLI.run(["--export", "--split", folder, "--database-url", source.url]).exitCode, 0)
        let users = try String(contentsOfFile: folder + "/public/users.yaml", encoding: .utf8)

        try source.execute("DROP TABLE \"Odd Table\"; ALTER TABLE users ADD COLUMN name text")
        let again = try CLI.run(["--export", "--split", folder, "--database-url", source.url])
        XCTAssertEqual(again.exitCode, 1, again.stdout)
        XCTAssertTrue(again.stderr.contains("public/%4Fdd%20%54able.yaml"), again.stderr)
        XCTAssertTrue(again.stderr.contains("nothing was written"), again.stderr)
        XCTAssertEqual(try String(contentsOfFile: folder + "/public/users.yaml", encoding: .utf8), users)
        XCTAssertFalse(users.contains("name"))
    }
}
