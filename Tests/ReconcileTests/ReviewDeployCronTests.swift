import Foundation
import Reconcile
import XCTest

/// Issue 5: what reconcile prints in a pull request, a deploy step and a cron job.
final class ReviewDeployCronTests: XCTestCase {
    var database: TestDatabase!
    let schemaPath = repositoryRoot.appendingPathComponent("schema.yaml").path

    override func setUpWithError() throws {
        database = try TestDatabase()
        try database.execute(
            "CREATE TABLE cases (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
        )
    }

    private func cli(_ arguments: [String]) throws -> CLI.Result {
        try CLI.run(arguments + ["--database-url", database.url])
    }

    func testSavedPlanAppliesExactlyItsStepsWhenNothingChanged() throws {
        let planFile = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString).json")
            .path
        let plan = try cli(["--plan", "--schema", schemaPath, "--out", planFile])
        XCTAssertEqual(plan.exitCode, 0, plan.stderr)
        let saved = try PlanDocument.decode(try Data(contentsOf: URL(fileURLWithPath: planFile)))
        XCTAssertEqual(
            saved.steps.map(\.summary),
            [
                "create table public.admin_settings (4 columns)", "create table public.ai_usage_logs (7 columns)",
                "create index ai_usage_logs_case_id_idx", "create index ai_usage_logs_created_at_idx",
                "insert missing seeded row id=1",
            ])
        XCTAssertEqual(saved.state?.schemaSha256.count, 64)

        let apply = try cli(["--apply", "--schema", schemaPath, "--plan-file", planFile])
        XCTAssertEqual(apply.exitCode, 0, apply.stderr)
        XCTAssertEqual(apply.stdout.split(separator: "\n").filter { $0.contains(" ... done") }.count, 5, apply.stdout)
        XCTAssertEqual(try database.reconciler(schemaPath).check().drift.map(\.summary), [])

        // Applied once, the saved plan is stale: the database is no longer what it was made from.
        let again = try cli(["--apply", "--schema", schemaPath, "--plan-file", planFile])
        XCTAssertEqual(again.exitCode, 1)
        XCTAssertEqual(
            again.stderr,
            "error: stale plan: the database changed since the plan was made; nothing was changed. Make a new plan with --plan --out and review it.\n"
        )
    }

    func testSavedPlanIsRefusedAfterAnUnrelatedDatabaseChange() throws {
        let planFile = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString).json")
            .path
        XCTAssertEqual(try cli(["--plan", "--schema", schemaPath, "--out", planFile]).exitCode, 0)
        try database.execute("CREATE INDEX cases_title_idx ON cases (title)")
        let before = try database.fingerprint()
        let apply = try cli(["--apply", "--schema", schemaPath, "--plan-file", planFile])
        XCTAssertEqual(apply.exitCode, 1)
        XCTAssertTrue(apply.stderr.contains("stale plan: the database changed since the plan was made"), apply.stderr)
        XCTAssertEqual(try database.fingerprint(), before)
    }

    func testSavedPlanIsRefusedAfterTheSchemaFileChanged() throws {
        let yaml = try String(contentsOfFile: schemaPath, encoding: .utf8)
        let path = try writeSchema(yaml)
        let planFile = path + ".plan.json"
        XCTAssertEqual(try cli(["--plan", "--schema", path, "--out", planFile]).exitCode, 0)
        try (yaml + "\n# a comment changes the file\n").write(toFile: path, atomically: true, encoding: .utf8)
        let before = try database.fingerprint()
        let apply = try cli(["--apply", "--schema", path, "--plan-file", planFile])
        XCTAssertEqual(apply.exitCode, 1)
        XCTAssertTrue(
            apply.stderr.contains("stale plan: the schema file \(path) changed since the plan was made"), apply.stderr)
        XCTAssertEqual(try database.fingerprint(), before)

        let garbage = path + ".garbage.json"
        try "not json".write(toFile: garbage, atomically: true, encoding: .utf8)
        let bad = try cli(["--apply", "--schema", path, "--plan-file", garbage])
        XCTAssertEqual(bad.exitCode, 1)
        XCTAssertTrue(bad.stderr.contains("is not a plan written by --plan --out"), bad.stderr)
    }

    func testExcludedTablesAreNeverTouchedEvenWithAllowDestructive() throws {
        try database.execute(
            """
            CREATE TABLE schema_migrations (version text PRIMARY KEY);
            CREATE TABLE audit_tmp (id integer);
            INSERT INTO schema_migrations VALUES ('20240101');
            """)
        let plan = try cli([
            "--plan", "--schema", schemaPath, "--allow-destructive", "--exclude", "schema_migrations",
            "--exclude", "public.audit_*", "--format", "json",
        ])
        XCTAssertEqual(plan.exitCode, 0, plan.stderr)
        XCTAssertFalse(plan.stdout.contains("schema_migrations"), plan.stdout)
        XCTAssertFalse(plan.stdout.contains("audit_tmp"), plan.stdout)
        let apply = try cli([
            "--apply", "--schema", schemaPath, "--allow-destructive", "--exclude", "schema_migrations", "--exclude",
            "public.audit_*",
        ])
        XCTAssertEqual(apply.exitCode, 0, apply.stderr)
        XCTAssertEqual(
            try database.tableNames(),
            [
                "public.admin_settings", "public.ai_usage_logs", "public.audit_tmp", "public.cases",
                "public.schema_migrations",
            ])
        XCTAssertEqual(try database.column("SELECT version FROM schema_migrations"), ["20240101"])
        let check = try cli([
            "--check", "--schema", schemaPath, "--exclude", "schema_migrations", "--exclude", "public.audit_*",
        ])
        XCTAssertEqual(check.exitCode, 0, check.stdout)

        // Without the exclusions the same tables are drift, and --apply refuses to drop them unasked.
        let unscoped = try cli(["--check", "--schema", schemaPath])
        XCTAssertEqual(unscoped.exitCode, 2)
        XCTAssertEqual(
            unscoped.stdout,
            """
            Drift: 2 differences between the database and the schema file.
              - table public.audit_tmp is not declared in the file (unmanaged)
              - table public.schema_migrations is not declared in the file (unmanaged)
            Run `reconcile --plan` to see the SQL, `reconcile --apply` to fix it.

            """)
        let refused = try cli(["--apply", "--schema", schemaPath])
        XCTAssertEqual(refused.exitCode, 1)
        XCTAssertTrue(
            refused.stderr.contains(
                "refusing to apply: the plan needs 2 steps that are not allowed; nothing was changed."), refused.stderr)
    }

    func testDriftReportHasOneLinePerDifference() throws {
        try database.applyAndAssertConverged(schemaPath)
        try database.execute(
            """
            ALTER TABLE ai_usage_logs ALTER COLUMN model_used SET DEFAULT 'gpt-3.5';
            ALTER TABLE ai_usage_logs ADD COLUMN debug text;
            DROP INDEX ai_usage_logs_created_at_idx;
            DELETE FROM admin_settings;
            """)
        let check = try cli(["--check", "--schema", schemaPath])
        XCTAssertEqual(check.exitCode, 2)
        XCTAssertEqual(
            check.stdout,
            """
            Drift: 4 differences between the database and the schema file.
              - column public.ai_usage_logs.debug is not declared in the file
              ~ column public.ai_usage_logs.model_used default differs from the file (declared: 'gpt-4')
              + missing index public.ai_usage_logs/ai_usage_logs_created_at_idx
              + seeded rows of public.admin_settings: row id=1 is missing
            Run `reconcile --plan` to see the SQL, `reconcile --apply` to fix it.

            """)
        let json = try cli(["--check", "--schema", schemaPath, "--format", "json"])
        XCTAssertEqual(json.exitCode, 2)
        let document = try PlanDocument.decode(Data(json.stdout.utf8))
        XCTAssertEqual(document.mode, "check")
        XCTAssertEqual(document.inSync, false)
        XCTAssertEqual(document.drift?.map(\.kind), ["drop_column", "set_default", "create_index", "seed_rows"])
        let markdown = try cli(["--check", "--schema", schemaPath, "--format", "markdown"])
        XCTAssertTrue(markdown.stdout.hasPrefix("### reconcile check: 4 differences\n"), markdown.stdout)

        // A changed index is one difference, not a "differs" and a "missing".
        try database.applyAndAssertConverged(schemaPath, allowDestructive: true)
        try database.execute(
            """
            DROP INDEX ai_usage_logs_created_at_idx;
            CREATE INDEX ai_usage_logs_created_at_idx ON ai_usage_logs (created_at DESC);
            """)
        let changed = try cli(["--check", "--schema", schemaPath])
        XCTAssertEqual(changed.exitCode, 2)
        XCTAssertEqual(
            changed.stdout,
            """
            Drift: 1 difference between the database and the schema file.
              ~ index public.ai_usage_logs/ai_usage_logs_created_at_idx differs from the file
            Run `reconcile --plan` to see the SQL, `reconcile --apply` to fix it.

            """)
    }

    func testFormatsFromTheCLIAndNoColoursWhenPiped() throws {
        for format in ["text", "sql", "json", "markdown"] {
            let result = try cli(["--plan", "--schema", schemaPath, "--format", format])
            XCTAssertEqual(result.exitCode, 0, result.stderr)
            XCTAssertFalse(
                result.stdout.contains("\u{1B}["), "\(format) output has colour codes although stdout is a pipe")
        }
        let sql = try cli(["--plan", "--schema", schemaPath, "--format", "sql"])
        XCTAssertTrue(sql.stdout.hasPrefix("BEGIN;\n"), sql.stdout)
        XCTAssertTrue(sql.stdout.hasSuffix("COMMIT;\n"), sql.stdout)
        // The script is runnable as it is: through psql's protocol, the same server ends up in sync.
        try database.execute(sql.stdout)
        XCTAssertEqual(try cli(["--check", "--schema", schemaPath]).exitCode, 0)
    }

    /// A view the file does not declare in a schema it manages is unmanaged, like a table: --apply refuses to run
    /// while its drop is not allowed. One in a schema of its own is made again around the change it would block,
    /// as it was; one that reads a column the plan drops is named by pre-flight.
    func testViewsThatBlockAChangeAreMadeAgainOrNamedUpFront() throws {
        try database.applyAndAssertConverged(schemaPath)
        try database.execute(
            "CREATE VIEW monthly_costs AS SELECT case_id, sum(estimated_cost) AS cost FROM ai_usage_logs GROUP BY case_id"
        )
        let yaml = try String(contentsOfFile: schemaPath, encoding: .utf8)
            .replacingOccurrences(
                of: "estimated_cost: { type: \"numeric(12,6)\"", with: "estimated_cost: { type: \"numeric(14,6)\"")
        let path = try writeSchema(yaml)
        var before = try database.fingerprint()
        let refused = try cli(["--apply", "--schema", path])
        XCTAssertEqual(refused.exitCode, 1)
        XCTAssertTrue(
            refused.stderr.contains("drop view public.monthly_costs (not declared in the schema file)"), refused.stderr)
        XCTAssertEqual(try database.fingerprint(), before)

        try database.execute(
            """
            DROP VIEW monthly_costs;
            CREATE SCHEMA reports;
            CREATE VIEW reports.monthly_costs AS
                SELECT case_id, sum(estimated_cost) AS cost FROM public.ai_usage_logs GROUP BY case_id;
            COMMENT ON VIEW reports.monthly_costs IS 'for finance';
            CREATE VIEW reports.models AS SELECT DISTINCT model_used FROM public.ai_usage_logs;
            """)
        let apply = try cli(["--apply", "--schema", path])
        XCTAssertEqual(apply.exitCode, 0, apply.stderr)
        XCTAssertTrue(apply.stdout.contains("drop view reports.monthly_costs until it is created again"), apply.stdout)
        XCTAssertTrue(apply.stdout.contains("create view reports.monthly_costs again as it was"), apply.stdout)
        XCTAssertEqual(
            try database.column(
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'ai_usage_logs'::regclass "
                    + "AND attname = 'estimated_cost'"), ["numeric(14,6)"])
        XCTAssertEqual(
            try database.column("SELECT obj_description('reports.monthly_costs'::regclass)"), ["for finance"])
        XCTAssertEqual(try cli(["--check", "--schema", path]).exitCode, 0)

        // A dropped column: the view cannot be made again, and pre-flight says so before anything changes.
        let withoutModel = try writeSchema(
            yaml.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("model_used:") }
                .joined(separator: "\n"))
        before = try database.fingerprint()
        let blocked = try cli(["--apply", "--allow-destructive", "--schema", withoutModel])
        XCTAssertEqual(blocked.exitCode, 1)
        XCTAssertTrue(
            blocked.stderr.contains(
                "drop column model_used: view reports.models depends on it; reconcile does not manage it: "
                    + "change or drop it first"), blocked.stderr)
        XCTAssertEqual(try database.fingerprint(), before)
    }

    func testValidateAndOfflinePlanNeedNoDatabase() throws {
        let validate = try CLI.run([
            "--validate", "--schema", schemaPath, "--database-url", "postgresql://nobody@127.0.0.1:1/none",
        ])
        XCTAssertEqual(validate.exitCode, 0, validate.stderr)
        XCTAssertEqual(validate.stdout, "\(schemaPath): valid (3 tables, 1 seeded)\n")
        let broken = try writeSchema("version: 1\ntables:\n  t:\n    colums: {}\n")
        let invalid = try CLI.run(["--validate", "--schema", broken])
        XCTAssertEqual(invalid.exitCode, 1)
        // Compiler style, and nothing before the file name (the first line was once "error: <file>...: error:").
        XCTAssertTrue(invalid.stderr.hasPrefix("\(broken):4:5: error: unknown key 'colums'"), invalid.stderr)
        // The commonest YAML slip in a schema file: an unquoted comma inside { }.
        let comma = try writeSchema("version: 1\ntables:\n  t:\n    columns:\n      a: { type: numeric(10,2) }\n")
        let commaRun = try CLI.run(["--validate", "--schema", comma])
        XCTAssertEqual(
            commaRun.stderr,
            "\(comma):5:29: error: unknown key '2)' in column public.t.a: inside { }, an "
                + "unquoted ',' ends a value; quote a value that holds a comma, as in type: \"numeric(10,2)\"\n")

        let offline = try CLI.run([
            "--plan", "--offline", "--schema", schemaPath, "--database-url", "postgresql://nobody@127.0.0.1:1/none",
        ])
        XCTAssertEqual(offline.exitCode, 0, offline.stderr)
        XCTAssertTrue(offline.stdout.hasPrefix("Plan: 7 steps (7 to add, 0 to change, 0 to remove).\n"), offline.stdout)
    }

    func testApplyProgressSaysWhichStepsRanAndWhichDidNot() throws {
        try database.execute(
            "CREATE TABLE admin_settings (id integer PRIMARY KEY, n integer); INSERT INTO admin_settings VALUES (1, 0)")
        let path = try writeSchema(
            """
            version: 1
            tables:
              admin_settings:
                columns:
                  id: { type: integer, primary_key: true }
                  n: { type: integer, check: 10 / n > 0 }
              a_first:
                columns:
                  id: integer
              b_second:
                columns:
                  id: integer
                indexes:
                  - columns: [id]
            """)
        let result = try cli(["--apply", "--schema", path, "--exclude", "cases"])
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertTrue(
            result.stdout.contains("FAILED\n\nRolled back (had run): 1, 2\nFailed: 3\nNot run: 4\n"), result.stdout)
    }
}
