import Reconcile
import XCTest

/// The incident reconcile exists for: the code shipped, the `ai_usage_logs` table did not.
final class OutageScenarioTests: XCTestCase {
    var database: TestDatabase!
    var schemaPath: String!

    override func setUpWithError() throws {
        database = try TestDatabase()
        schemaPath = repositoryRoot.appendingPathComponent("schema.yaml").path
        // Production before the deploy: only `cases` exists, created by an earlier hand-written migration.
        try database.execute(
            """
            CREATE TABLE cases (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title text NOT NULL,
                                created_at timestamptz NOT NULL DEFAULT now());
            INSERT INTO cases (title) VALUES ('Smith v. Jones');
            """)
    }

    func testDeployCreatesTheMissingTablesAndSeedsSettingsThenStaysConverged() throws {
        let check = try CLI.run(["--check", "--schema", schemaPath, "--database-url", database.url])
        XCTAssertEqual(check.exitCode, 2, check.stdout + check.stderr)
        XCTAssertTrue(check.stdout.contains("+ missing table public.ai_usage_logs\n"), check.stdout)

        let apply = try CLI.run(["--apply", "--schema", schemaPath, "--database-url", database.url])
        XCTAssertEqual(apply.exitCode, 0, apply.stdout + apply.stderr)
        XCTAssertEqual(try database.tableNames(), ["public.admin_settings", "public.ai_usage_logs", "public.cases"])
        XCTAssertEqual(
            try database.column(
                "SELECT id || ',' || coalesce(monthly_spending_cap::text, 'NULL') || ',' || cap_warning_threshold FROM admin_settings"
            ),
            ["1,NULL,0.80"])

        // The feature's insert now works, with the declared defaults.
        try database.execute(
            "INSERT INTO ai_usage_logs (case_id, analysis_type, tokens_used, estimated_cost) VALUES (1, 'comprehensive', 1200, 0.036)"
        )
        XCTAssertEqual(try database.scalar("SELECT model_used FROM ai_usage_logs"), "gpt-4")

        let recheck = try CLI.run(["--check", "--schema", schemaPath, "--database-url", database.url])
        XCTAssertEqual(recheck.exitCode, 0, recheck.stdout + recheck.stderr)
        XCTAssertEqual(recheck.stdout, "In sync: the database matches the schema file.\n")

        let again = try CLI.run(["--apply", "--schema", schemaPath, "--database-url", database.url])
        XCTAssertEqual(again.exitCode, 0, again.stderr)
        XCTAssertEqual(again.stdout, "No changes. The database matches the schema file.\n")
    }

    func testAnAdminsChangeSurvivesInsertMissingButEnforceRestoresTheRow() throws {
        try database.applyAndAssertConverged(schemaPath)
        try database.execute("UPDATE admin_settings SET cap_warning_threshold = 0.9, monthly_spending_cap = 500")

        // insert-missing: the admin's values are theirs to keep.
        let keep = try database.reconciler(schemaPath).apply()
        XCTAssertEqual(keep.executed.map(\.summary), [])
        XCTAssertEqual(
            try database.scalar("SELECT cap_warning_threshold || '/' || monthly_spending_cap FROM admin_settings"),
            "0.90/500.00")

        // enforce: the declaration wins, and only the differing row is touched.
        let yaml = try String(contentsOfFile: schemaPath, encoding: .utf8)
            .replacingOccurrences(of: "mode: insert-missing", with: "mode: enforce")
        let enforced = try writeSchema(yaml)
        let plan = try database.reconciler(enforced).plan().plan
        XCTAssertEqual(plan.steps.map(\.summary), ["insert or restore seeded row id=1"])
        try database.applyAndAssertConverged(enforced)
        XCTAssertEqual(
            try database.scalar(
                "SELECT cap_warning_threshold || '/' || coalesce(monthly_spending_cap::text, 'NULL') FROM admin_settings"
            ), "0.80/NULL")
    }

    func testADeletedSettingsRowIsSeededAgain() throws {
        try database.applyAndAssertConverged(schemaPath)
        try database.execute("DELETE FROM admin_settings")
        let check = try database.reconciler(schemaPath).check()
        XCTAssertEqual(check.drift.map(\.summary), ["insert missing seeded row id=1"])
        try database.applyAndAssertConverged(schemaPath)
        XCTAssertEqual(try database.scalar("SELECT count(*) FROM admin_settings"), "1")
    }
}
