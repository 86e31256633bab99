import Reconcile
import XCTest

/// Kinds reconcile does not model are named at `--plan` and `--export`, never silently left out.
final class CoverageListingTests: XCTestCase {
    static let unmodelled = """
        CREATE TABLE docs (id integer PRIMARY KEY, owner text);
        CREATE RULE docs_no_delete AS ON DELETE TO docs DO INSTEAD NOTHING;
        CREATE TYPE floatrange AS RANGE (subtype = float8);
        CREATE AGGREGATE total(integer) (sfunc = int4pl, stype = integer);
        CREATE OPERATOR === (leftarg = integer, rightarg = integer, function = int4eq);
        CREATE STATISTICS docs_stats ON id, owner FROM docs;
        CREATE COLLATION plain_c (locale = 'C');
        CREATE TEXT SEARCH CONFIGURATION english_copy (COPY = english);
        CREATE CAST (docs AS text) WITH INOUT;
        CREATE VIEW docs_owners AS SELECT DISTINCT owner FROM docs;
        CREATE MATERIALIZED VIEW docs_count AS SELECT count(*) FROM docs;
        CREATE FUNCTION docs_owners_insert() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
        CREATE TRIGGER docs_owners_insert INSTEAD OF INSERT ON docs_owners
            FOR EACH ROW EXECUTE FUNCTION docs_owners_insert();
        ALTER VIEW docs_owners ALTER COLUMN owner SET DEFAULT 'nobody';
        """

    static let expected = [
        "aggregate public.total(integer)", "cast (docs AS text)", "collation public.plain_c",
        "operator public.===(integer, integer)", "range type public.floatrange", "rule public.docs/docs_no_delete",
        "statistics object public.docs_stats", "text search configuration public.english_copy",
        "trigger on a view public.docs_owners/docs_owners_insert", "view column default public.docs_owners.owner",
    ]

    func testThePlanNamesWhatIsNotModelled() throws {
        let database = try TestDatabase()
        try database.execute(Self.unmodelled)
        let schema = try writeSchema(
            """
            version: 1
            functions:
              docs_owners_insert: { returns: trigger, language: plpgsql, body: "BEGIN RETURN NEW; END" }
            tables:
              docs:
                columns: { id: { type: integer, primary_key: true }, owner: text }
            views:
              docs_owners: { sql: "SELECT DISTINCT owner FROM docs" }
            materialized_views:
              docs_count: { sql: "SELECT count(*) FROM docs" }
            """)
        let plan = try database.reconciler(schema).plan().plan
        XCTAssertTrue(plan.isInSync, plan.steps.map(\.summary).joined(separator: "\n"))
        XCTAssertEqual(plan.notModelled, Self.expected)
        let text = PlanTextRenderer.render(plan)
        XCTAssertTrue(text.contains("Not modelled by reconcile"), text)
        XCTAssertTrue(text.contains("    rule public.docs/docs_no_delete\n"), text)
        XCTAssertTrue(PlanMarkdownRenderer.render(plan).contains("- rule public.docs/docs_no_delete\n"))
        let timeouts = PlanDocument.Timeouts(lockTimeoutMs: 0, statementTimeoutMs: 0)
        XCTAssertEqual(PlanDocument(plan: plan, mode: "plan", timeouts: timeouts).notModelled, Self.expected)
        XCTAssertTrue(PlanDocument(plan: plan, mode: "plan", timeouts: timeouts).json().contains("\"not_modelled\""))
    }

    func testTheExportSaysWhatItDoesNotRebuild() throws {
        let database = try TestDatabase()
        try database.execute(Self.unmodelled)
        let exported = try CLI.run(["--export", "--database-url", database.url])
        XCTAssertEqual(exported.exitCode, 0, exported.stderr)
        XCTAssertTrue(exported.stdout.contains("# This file does not rebuild these objects"), exported.stdout)
        for object in Self.expected {
            XCTAssertTrue(exported.stdout.contains("#   \(object)\n"), object)
            XCTAssertTrue(exported.stderr.contains(object), exported.stderr)
        }
        XCTAssertTrue(exported.stderr.hasPrefix("warning: the export does not rebuild 10 objects"), exported.stderr)
        // Views are modelled now: exported, not listed.
        XCTAssertTrue(exported.stdout.contains("views:\n  docs_owners:\n"), exported.stdout)
        XCTAssertTrue(exported.stdout.contains("materialized_views:\n  docs_count:\n"), exported.stdout)
    }

    func testNothingIsListedForAPlainSchema() throws {
        let database = try TestDatabase()
        try database.execute("CREATE TABLE docs (id integer PRIMARY KEY)")
        let exported = try CLI.run(["--export", "--database-url", database.url])
        XCTAssertEqual(exported.stderr, "")
        XCTAssertFalse(exported.stdout.contains("does not rebuild"))
    }
}
