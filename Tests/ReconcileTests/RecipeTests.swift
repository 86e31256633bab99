import Foundation
import PostgresClient
import Reconcile
import XCTest
import Yams

#if canImport(Glibc)
    import Glibc
#endif

/// examples/ci: the code-review, deploy and cron scripts, each run for real with bash against the test server.
final class RecipeTests: XCTestCase {
    let recipes = repositoryRoot.appendingPathComponent("examples/ci")
    let schemaPath = repositoryRoot.appendingPathComponent("schema.yaml").path
    /// A directory of this test's own: scripts run in it, fakes and outputs live in it.
    var scratch: URL!

    static let casesOnlyYAML = """
        version: 1
        tables:
          cases:
            columns:
              id:         { type: bigint, identity: always, primary_key: true }
              title:      { type: text, nullable: false }
              created_at: { type: timestamptz, nullable: false, default_sql: now() }
        """
    static let casesSQL =
        "CREATE TABLE cases (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
    static let rootSchemaSteps = [
        "create table public.admin_settings (4 columns)", "create table public.ai_usage_logs (7 columns)",
        "create index ai_usage_logs_case_id_idx", "create index ai_usage_logs_created_at_idx",
        "insert missing seeded row id=1",
    ]

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("recipe-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
    }

    // MARK: - plan-comment.sh

    func testPlanCommentPlansAgainstTheBaseSchemaOnItsOwnServerAndRemovesIt() throws {
        let base = try file("base.yaml", Self.casesOnlyYAML)
        let run = try script(
            "plan-comment.sh", [base, schemaPath, "review.md"], environment: ["RECONCILE_PLAN_OUT": "plan.json"])
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        XCTAssertEqual(run.stdout, "")

        // The comment is exactly reconcile's own Markdown for a database holding only `cases`, plus the footer.
        let reference = try TestDatabase()
        XCTAssertEqual(try CLI.run(["--apply", "--schema", base, "--database-url", reference.url]).exitCode, 0)
        let expected = try CLI.run([
            "--plan", "--format", "markdown", "--schema", schemaPath, "--database-url", reference.url,
        ])
        XCTAssertEqual(expected.exitCode, 0, expected.stderr)
        let markdown = try read("review.md")
        XCTAssertEqual(
            markdown,
            expected.stdout + """

                ---
                <sub>Planned by reconcile against a throwaway database built from the base branch's schema (\(base)), not against production.</sub>

                """)
        XCTAssertTrue(
            markdown.hasPrefix("### reconcile plan: 5 steps (5 to add, 0 to change, 0 to remove)\n"), markdown)
        XCTAssertTrue(markdown.contains("create table public.ai_usage_logs"), markdown)
        XCTAssertFalse(
            markdown.contains("create table public.cases"), "the base schema was not applied first:\n\(markdown)")

        // The saved plan is the same plan, from the same run.
        let saved = try PlanDocument.decode(try Data(contentsOf: scratch.appendingPathComponent("plan.json")))
        XCTAssertEqual(saved.steps.map(\.summary), Self.rootSchemaSteps)
        XCTAssertNotNil(saved.state)

        XCTAssertTrue(run.stderr.contains("plan-comment: wrote review.md and plan.json\n"), run.stderr)
        XCTAssertTrue(
            run.stderr.contains(
                "plan-comment: not posting a comment: GITHUB_TOKEN, GITHUB_REPOSITORY, PR_NUMBER not set (posting needs GITHUB_TOKEN, GITHUB_REPOSITORY and PR_NUMBER)\n"
            ),
            run.stderr)
        try assertThrowawayServerGone(run.stderr)

        // Review → deploy: the reviewed plan applies, through release.sh, to another database in the base state
        // (one with data in it: the fingerprint covers structure and seeded rows, not row counts).
        let production = try TestDatabase()
        try production.execute(
            Self.casesSQL + "; INSERT INTO cases (title) SELECT 'case ' || g FROM generate_series(1, 50) g")
        let deploy = try script(
            "release.sh", [],
            environment: [
                "DATABASE_URL": production.url, "RECONCILE_SCHEMA": schemaPath,
                "RECONCILE_PLAN_FILE": scratch.appendingPathComponent("plan.json").path,
            ])
        XCTAssertEqual(deploy.exitCode, 0, deploy.stderr)
        XCTAssertEqual(try production.tableNames(), ["public.admin_settings", "public.ai_usage_logs", "public.cases"])
    }

    func testPlanCommentPostsTheFileAsAPullRequestComment() throws {
        // Backslashes, quotes and tabs in the SQL exercise the JSON encoding; an empty base file means an empty database.
        let head = try file(
            "head.yaml",
            """
            version: 1
            tables:
              notes:
                columns:
                  id: { type: bigint, identity: always, primary_key: true }
                  body: { type: text, nullable: false, check: "body !~ '\\\\t' AND body <> '\\\"\tquoted\t\\\"'" }
                  \((1...8).map { "note_\($0): { type: text, check: \"length(note_\($0)) < 1000\" }" }.joined(separator: "\n      "))
                indexes:
                  - columns: [body]
            """)
        let base = try file("empty-base.yaml", "")
        let curl = try fakeCurl()
        let github = [
            "GITHUB_TOKEN": "test-token-123", "GITHUB_REPOSITORY": "acme/shop", "PR_NUMBER": "42",
            "PATH": curl.bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
        ]
        let run = try script("plan-comment.sh", [base, head], environment: github)
        XCTAssertEqual(run.exitCode, 0, run.stderr)

        let reference = try TestDatabase()
        let expected = try CLI.run([
            "--plan", "--format", "markdown", "--schema", head, "--database-url", reference.url,
        ])
        XCTAssertEqual(expected.exitCode, 0, expected.stderr)
        let markdown = try read("plan.md")  // the default output name
        XCTAssertEqual(
            markdown,
            expected.stdout + """

                ---
                <sub>Planned by reconcile against a throwaway database built from an empty database (the base schema file \(base) is empty), not against production.</sub>

                """)
        XCTAssertTrue(markdown.contains("body !~ '\\t'"), markdown)
        XCTAssertTrue(markdown.contains("'\"\tquoted\t\"'"), markdown)

        XCTAssertEqual(
            try String(contentsOfFile: curl.capture + "/request", encoding: .utf8),
            "POST https://api.github.com/repos/acme/shop/issues/42/comments\n")
        XCTAssertEqual(
            try String(contentsOfFile: curl.capture + "/headers", encoding: .utf8),
            """
            Authorization: Bearer test-token-123
            Accept: application/vnd.github+json
            X-GitHub-Api-Version: 2022-11-28
            Content-Type: application/json

            """)
        XCTAssertEqual(try commentBody(curl.capture), markdown)
        XCTAssertFalse(
            try String(contentsOfFile: curl.capture + "/argv", encoding: .utf8).contains("test-token-123"),
            "the token must not be on curl's command line")
        XCTAssertTrue(run.stderr.contains("plan-comment: posted plan.md as a comment on acme/shop#42\n"), run.stderr)
        try assertThrowawayServerGone(run.stderr)

        // A plan longer than a comment may be is posted cut at a line, fences and <details> closed, with a note.
        // The limit here cuts inside the SQL block (the script keeps whole lines within the limit less 600 bytes).
        let sqlStart = try XCTUnwrap(markdown.range(of: "```sql\n")).upperBound
        let limit = markdown.utf8.distance(from: markdown.utf8.startIndex, to: sqlStart) + 600 + 120
        XCTAssertLessThan(limit, markdown.utf8.count - 100, "the plan is too short to cut inside its SQL")
        let cut = try script(
            "plan-comment.sh", [base, head, "long.md"],
            environment: github.merging(["PLAN_COMMENT_MAX_BYTES": String(limit)]) { $1 })
        XCTAssertEqual(cut.exitCode, 0, cut.stderr)
        XCTAssertEqual(try read("long.md"), markdown, "the file keeps the whole plan")
        let body = try commentBody(curl.capture)
        XCTAssertLessThanOrEqual(body.utf8.count, limit)
        XCTAssertEqual(body, Self.truncatedComment(markdown, maxBytes: limit))
        XCTAssertTrue(body.contains("```sql\nBEGIN;\n"), body)
        XCTAssertTrue(
            body.hasSuffix(
                "\n```\n\n</details>\n\n**Plan truncated:** it is \(markdown.utf8.count) bytes, more than a comment holds. The full plan is in the workflow run (artifact or log).\n"
            ), body)
        XCTAssertEqual(
            body.split(separator: "\n").filter { $0.hasPrefix("```") }.count % 2, 0, "unbalanced code fence:\n\(body)")
        XCTAssertEqual(
            body.components(separatedBy: "<details>").count, body.components(separatedBy: "</details>").count, body)
        try assertThrowawayServerGone(cut.stderr)

        // GitHub says no (a fork's read-only token): the file is written, the script fails and says why.
        let refused = try script(
            "plan-comment.sh", [base, head, "refused.md"],
            environment: github.merging([
                "FAKE_CURL_STATUS": "403",
                "FAKE_CURL_RESPONSE": #"{"message":"Resource not accessible by integration"}"#,
            ]) { $1 })
        XCTAssertEqual(refused.exitCode, 1)
        XCTAssertEqual(try read("refused.md"), markdown)
        XCTAssertTrue(refused.stderr.contains(#"{"message":"Resource not accessible by integration"}"#), refused.stderr)
        XCTAssertTrue(
            refused.stderr.contains(
                "plan-comment: posting the comment to https://api.github.com/repos/acme/shop/issues/42/comments failed (HTTP 403); the plan is in refused.md\n"
            ),
            refused.stderr)
        try assertThrowawayServerGone(refused.stderr)
    }

    func testPlanCommentFailsWithReconcilesStatusWritesNothingAndStillRemovesTheServer() throws {
        let base = try file("base.yaml", Self.casesOnlyYAML)
        let broken = try file("broken.yaml", "version: 1\ntables:\n  t:\n    colums: {}\n")
        let run = try script(
            "plan-comment.sh", [base, broken, "plan.md"], environment: ["RECONCILE_PLAN_OUT": "plan.json"])
        XCTAssertEqual(run.exitCode, 1)
        XCTAssertTrue(run.stderr.contains("\(broken):4:5: error: unknown key 'colums'"), run.stderr)
        XCTAssertTrue(
            run.stderr.contains("plan-comment: reconcile --plan failed (exit 1); plan.md not written\n"), run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("plan.md").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("plan.json").path))
        try assertThrowawayServerGone(run.stderr)

        // A base schema that does not apply is reported as such, with reconcile's exit status.
        let badBase = try file(
            "bad-base.yaml", "version: 1\ntables:\n  t:\n    columns:\n      id: { type: no_such_type }\n")
        let baseRun = try script("plan-comment.sh", [badBase, schemaPath, "plan.md"])
        XCTAssertEqual(baseRun.exitCode, 1)
        XCTAssertTrue(baseRun.stderr.contains("no_such_type"), baseRun.stderr)
        XCTAssertTrue(
            baseRun.stderr.contains(
                "plan-comment: applying the base schema \(badBase) failed (reconcile exit 1); plan.md not written\n"),
            baseRun.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("plan.md").path))
        try assertThrowawayServerGone(baseRun.stderr)

        // Usage errors stop before any server starts.
        let usage = try script("plan-comment.sh", [base])
        XCTAssertEqual(usage.exitCode, 1)
        XCTAssertEqual(
            usage.stderr, "usage: plan-comment BASE_SCHEMA HEAD_SCHEMA [OUT.md] [-- EXTRA RECONCILE ARGS...]\n")
        let missing = try script("plan-comment.sh", [scratch.appendingPathComponent("nope.yaml").path, schemaPath])
        XCTAssertEqual(missing.exitCode, 1)
        XCTAssertEqual(
            missing.stderr,
            "plan-comment: base schema \(scratch.appendingPathComponent("nope.yaml").path) does not exist (for no base schema, pass an empty file)\n"
        )
    }

    func testPlanCommentPassesArgumentsAfterTheSeparatorToThePlanOnly() throws {
        let base = try file("base.yaml", Self.casesOnlyYAML + "\n  legacy:\n    columns:\n      id: integer\n")
        let run = try script("plan-comment.sh", [base, schemaPath, "plan.md", "--", "--allow-destructive"])
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        let markdown = try read("plan.md")
        XCTAssertTrue(
            markdown.hasPrefix("### reconcile plan: 6 steps (5 to add, 0 to change, 1 to remove)\n"), markdown)
        XCTAssertTrue(markdown.contains("drop table public.legacy"), markdown)
        XCTAssertFalse(markdown.contains("**Blocked"), markdown)
        try assertThrowawayServerGone(run.stderr)
    }

    func testPlanCommentCancelledMidPlanStillRemovesTheServer() throws {
        // A reconcile that hangs in --plan, and says when it got there; a job cancellation then signals the group.
        let base = try file("base.yaml", Self.casesOnlyYAML)
        let planning = scratch.appendingPathComponent("planning").path
        let slow = scratch.appendingPathComponent("slow-reconcile").path
        try executable(
            slow,
            """
            #!/usr/bin/env bash
            case " $* " in *" --plan "*) touch '\(planning)'; exec sleep 120 ;; esac
            exec '\(CLI.executable.path)' "$@"

            """)
        let stdoutPath = scratch.appendingPathComponent("cancel.stdout").path,
            stderrPath = scratch.appendingPathComponent("cancel.stderr").path
        var env = ProcessInfo.processInfo.environment.filter { key, _ in
            key != "DATABASE_URL" && !key.hasPrefix("RECONCILE") && !key.hasPrefix("GITHUB_")
        }
        env["RECONCILE"] = slow
        let exitCode = try Spawned.run(
            [
                "/bin/bash", "-c", #"cd -- "$1" && exec /bin/bash "$2" "$3" "$4""#, "bash", scratch.path,
                recipes.appendingPathComponent("plan-comment.sh").path, base, schemaPath,
            ],
            environment: env, stdoutPath: stdoutPath, stderrPath: stderrPath, timeout: 90,
            interruptWhen: { FileManager.default.fileExists(atPath: planning) })
        let stderr = try String(contentsOfFile: stderrPath, encoding: .utf8)
        XCTAssertTrue(FileManager.default.fileExists(atPath: planning), "never reached --plan:\n\(stderr)")
        XCTAssertEqual(exitCode, 143, stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("plan.md").path))
        try assertThrowawayServerGone(stderr)
    }

    // MARK: - release.sh

    func testReleaseAppliesTheSchemaAndPassesTheExitCodeThrough() throws {
        let database = try TestDatabase()
        try database.execute(Self.casesSQL)
        let environment = ["DATABASE_URL": database.url, "RECONCILE_SCHEMA": schemaPath]
        let run = try script("release.sh", [], environment: environment)
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        XCTAssertEqual(run.stderr, "release: applying \(schemaPath)\n")
        XCTAssertEqual(
            run.stdout.split(separator: "\n").filter { $0.hasSuffix(" ms)") && $0.contains(" ... done (") }.count, 5,
            run.stdout)
        XCTAssertTrue(
            run.stdout.hasSuffix("Applied 5 steps in one transaction; the database now matches the schema file.\n"),
            run.stdout)
        XCTAssertEqual(try database.tableNames(), ["public.admin_settings", "public.ai_usage_logs", "public.cases"])
        XCTAssertEqual(
            try database.column(
                "SELECT id || ':' || coalesce(monthly_spending_cap::text, 'NULL') || ':' || cap_warning_threshold FROM admin_settings"
            ),
            ["1:NULL:0.80"])
        XCTAssertEqual(try CLI.run(["--check", "--schema", schemaPath, "--database-url", database.url]).exitCode, 0)

        let again = try script("release.sh", [], environment: environment)
        XCTAssertEqual(again.exitCode, 0, again.stderr)
        XCTAssertEqual(again.stdout, "No changes. The database matches the schema file.\n")

        // A failure stops the release: exit 1, nothing changed. Here a table lock the release cannot get.
        let locked = try TestDatabase()
        try locked.execute(Self.casesSQL)
        let before = try locked.fingerprint()
        try locked.execute("BEGIN; LOCK TABLE cases IN ACCESS EXCLUSIVE MODE")
        let blocked = try script(
            "release.sh", [], environment: ["DATABASE_URL": locked.url, "RECONCILE_SCHEMA": schemaPath])
        try locked.execute("ROLLBACK")
        XCTAssertEqual(blocked.exitCode, 1, blocked.stdout)
        XCTAssertTrue(blocked.stderr.contains("lock timeout (SQLSTATE 55P03)"), blocked.stderr)
        XCTAssertEqual(try locked.fingerprint(), before)
    }

    func testReleaseAppliesAReviewedPlanFileAndRefusesAStaleOne() throws {
        let reviewed = try TestDatabase()
        try reviewed.execute(Self.casesSQL)
        let planFile = scratch.appendingPathComponent("plan.json").path
        XCTAssertEqual(
            try CLI.run(["--plan", "--schema", schemaPath, "--database-url", reviewed.url, "--out", planFile]).exitCode,
            0)

        let database = try TestDatabase()
        try database.execute(Self.casesSQL)
        let environment = [
            "DATABASE_URL": database.url, "RECONCILE_SCHEMA": schemaPath, "RECONCILE_PLAN_FILE": planFile,
        ]
        let run = try script("release.sh", [], environment: environment)
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        XCTAssertEqual(run.stderr, "release: applying the reviewed plan \(planFile) to match \(schemaPath)\n")
        XCTAssertTrue(
            run.stdout.hasSuffix("Applied 5 steps in one transaction; the database now matches the schema file.\n"),
            run.stdout)
        XCTAssertEqual(try database.tableNames(), ["public.admin_settings", "public.ai_usage_logs", "public.cases"])

        // The same plan again: the database is no longer what it was made from.
        let stale = try script("release.sh", [], environment: environment)
        XCTAssertEqual(stale.exitCode, 1)
        XCTAssertEqual(
            stale.stderr,
            "release: applying the reviewed plan \(planFile) to match \(schemaPath)\n"
                + "error: stale plan: the database changed since the plan was made; nothing was changed. Make a new plan with --plan --out and review it.\n"
        )

        // A database that changed after review: refused, untouched; without the plan file the release would go ahead.
        let drifted = try TestDatabase()
        try drifted.execute(Self.casesSQL + "; CREATE INDEX cases_title_idx ON cases (title)")
        let before = try drifted.fingerprint()
        let refused = try script(
            "release.sh", [],
            environment: ["DATABASE_URL": drifted.url, "RECONCILE_SCHEMA": schemaPath, "RECONCILE_PLAN_FILE": planFile])
        XCTAssertEqual(refused.exitCode, 1)
        XCTAssertTrue(
            refused.stderr.hasSuffix(
                "error: stale plan: the database changed since the plan was made; nothing was changed. Make a new plan with --plan --out and review it.\n"
            ),
            refused.stderr)
        XCTAssertEqual(try drifted.fingerprint(), before)

        // RECONCILE_PLAN_FILE naming no file: said, then a fresh plan.
        let other = try TestDatabase()
        try other.execute(Self.casesSQL)
        let missing = scratch.appendingPathComponent("no-such-plan.json").path
        let fresh = try script(
            "release.sh", [],
            environment: ["DATABASE_URL": other.url, "RECONCILE_SCHEMA": schemaPath, "RECONCILE_PLAN_FILE": missing])
        XCTAssertEqual(fresh.exitCode, 0, fresh.stderr)
        XCTAssertEqual(
            fresh.stderr,
            "release: RECONCILE_PLAN_FILE=\(missing) does not exist; applying \(schemaPath) with a fresh plan\n")
        XCTAssertEqual(try other.tableNames(), ["public.admin_settings", "public.ai_usage_logs", "public.cases"])
    }

    func testReleaseCommandLineAndExitCodes() throws {
        let fake = try fakeReconcile()
        var run = try script(
            "release.sh", ["--exclude", "public.schema_migrations"],
            environment: ["RECONCILE": fake.path, "FAKE_RECONCILE_EXIT": "3"])
        XCTAssertEqual(run.exitCode, 3, "the exit status passes through")
        XCTAssertEqual(
            try fake.arguments(),
            [
                "--apply", "--schema", "schema.yaml", "--lock-timeout", "3s", "--statement-timeout", "5m",
                "--lock-wait", "2m", "--exclude", "public.schema_migrations",
            ])

        let planFile = try file("reviewed.json", "{}")
        run = try script(
            "release.sh", [],
            environment: [
                "RECONCILE": fake.path, "FAKE_RECONCILE_EXIT": "0", "RECONCILE_SCHEMA": "db/schema.yaml",
                "RECONCILE_PLAN_FILE": planFile,
                "RECONCILE_LOCK_TIMEOUT": "1s", "RECONCILE_STATEMENT_TIMEOUT": "0", "RECONCILE_LOCK_WAIT": "30s",
            ])
        XCTAssertEqual(run.exitCode, 0)
        XCTAssertEqual(
            try fake.arguments(),
            [
                "--apply", "--schema", "db/schema.yaml", "--lock-timeout", "1s", "--statement-timeout", "0",
                "--lock-wait", "30s", "--plan-file", planFile,
            ])
        // reconcile's own output is not touched.
        XCTAssertEqual(run.stdout, "fake reconcile output\n")
    }

    // MARK: - drift-check.sh

    func testDriftCheckIsQuietInSyncAlertsOnDriftAndOnErrors() throws {
        let database = try TestDatabase()
        try database.execute(Self.casesSQL)
        XCTAssertEqual(try CLI.run(["--apply", "--schema", schemaPath, "--database-url", database.url]).exitCode, 0)
        let alert = try recordingAlert()
        let environment = [
            "DATABASE_URL": database.url, "RECONCILE_SCHEMA": schemaPath, "RECONCILE_ALERT_CMD": alert.command,
        ]

        let quiet = try script("drift-check.sh", [], environment: environment)
        XCTAssertEqual(quiet.exitCode, 0, quiet.stderr)
        XCTAssertEqual(quiet.stdout, "")
        XCTAssertEqual(quiet.stderr, "")
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: alert.file), "the alert ran although the database is in sync")

        try database.execute("ALTER TABLE ai_usage_logs ADD COLUMN x integer")
        let drift = try script("drift-check.sh", [], environment: environment)
        XCTAssertEqual(drift.exitCode, 2, drift.stderr)
        XCTAssertEqual(drift.stdout, "")
        XCTAssertEqual(drift.stderr, "")
        // The alert gets reconcile's report as it is, with the drifted column on its line.
        let report = try CLI.run([
            "--check", "--format", "text", "--schema", schemaPath, "--database-url", database.url,
        ])
        XCTAssertEqual(report.exitCode, 2)
        XCTAssertTrue(
            report.stdout.hasPrefix(
                "Drift: 1 difference between the database and the schema file.\n"
                    + "  - column public.ai_usage_logs.x is not declared in the file\n"), report.stdout)
        XCTAssertEqual(try String(contentsOfFile: alert.file, encoding: .utf8), report.stdout)
        XCTAssertEqual(try String(contentsOfFile: alert.file + ".env", encoding: .utf8), "drift 2 \(schemaPath)\n")

        try FileManager.default.removeItem(atPath: alert.file)
        let unreachable = "postgresql://nobody@127.0.0.1:1/none"
        let failed = try script(
            "drift-check.sh", [], environment: environment.merging(["DATABASE_URL": unreachable]) { $1 })
        XCTAssertEqual(failed.exitCode, 1)
        XCTAssertEqual(failed.stdout, "")
        XCTAssertEqual(failed.stderr, "")
        let direct = try CLI.run(["--check", "--format", "text", "--schema", schemaPath, "--database-url", unreachable])
        XCTAssertEqual(direct.exitCode, 1)
        XCTAssertFalse(direct.stderr.isEmpty)
        XCTAssertEqual(
            try String(contentsOfFile: alert.file, encoding: .utf8),
            "reconcile: schema check failed (exit 1) for \(schemaPath)\n" + direct.stderr)
        XCTAssertEqual(try String(contentsOfFile: alert.file + ".env", encoding: .utf8), "error 1 \(schemaPath)\n")
    }

    func testDriftCheckDefaultAlertIsLoggerAndAFailingAlertIsPrinted() throws {
        let database = try TestDatabase()
        try database.execute(Self.casesSQL + "; CREATE TABLE stray (id integer)")
        let direct = try CLI.run(["--check", "--schema", schemaPath, "--database-url", database.url])
        XCTAssertEqual(direct.exitCode, 2)
        XCTAssertTrue(
            direct.stdout.hasPrefix("Drift: 6 differences between the database and the schema file.\n"), direct.stdout)
        XCTAssertTrue(
            direct.stdout.contains("\n  - table public.stray is not declared in the file (unmanaged)\n"), direct.stdout)

        // No RECONCILE_ALERT_CMD: `logger -t reconcile`, here a stand-in on PATH that records what it got.
        let bin = scratch.appendingPathComponent("bin").path
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        let logged = scratch.appendingPathComponent("logger.txt").path
        try executable(bin + "/logger", "#!/usr/bin/env bash\n{ printf 'args: %s\\n' \"$*\"; cat; } > '\(logged)'\n")
        let path = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let run = try script(
            "drift-check.sh", [],
            environment: ["DATABASE_URL": database.url, "RECONCILE_SCHEMA": schemaPath, "PATH": path])
        XCTAssertEqual(run.exitCode, 2, run.stderr)
        XCTAssertEqual(try String(contentsOfFile: logged, encoding: .utf8), "args: -t reconcile\n" + direct.stdout)

        // The alert itself fails: the exit status is still reconcile's, and the alert goes to stderr (cron mails it).
        let failing = try script(
            "drift-check.sh", [],
            environment: [
                "DATABASE_URL": database.url, "RECONCILE_SCHEMA": schemaPath,
                "RECONCILE_ALERT_CMD": "cat >/dev/null; exit 7",
            ])
        XCTAssertEqual(failing.exitCode, 2)
        XCTAssertEqual(failing.stdout, "")
        XCTAssertEqual(
            failing.stderr,
            "drift-check: the alert command failed (exit 7): cat >/dev/null; exit 7\ndrift-check: it was to receive:\n"
                + direct.stdout)
    }

    func testDriftCheckCommandLineAndOtherExitCodes() throws {
        let fake = try fakeReconcile()
        let alert = try recordingAlert()
        let run = try script(
            "drift-check.sh", ["--exclude", "public.schema_migrations"],
            environment: [
                "RECONCILE": fake.path, "FAKE_RECONCILE_EXIT": "64", "RECONCILE_SCHEMA": "/srv/app/schema.yaml",
                "RECONCILE_ALERT_CMD": alert.command,
            ])
        XCTAssertEqual(run.exitCode, 64, "the exit status passes through")
        XCTAssertEqual(
            try fake.arguments(),
            [
                "--check", "--format", "text", "--schema", "/srv/app/schema.yaml",
                "--exclude", "public.schema_migrations",
            ])
        XCTAssertEqual(
            try String(contentsOfFile: alert.file, encoding: .utf8),
            "reconcile: schema check failed (exit 64) for /srv/app/schema.yaml\nfake reconcile error\n")
        XCTAssertEqual(
            try String(contentsOfFile: alert.file + ".env", encoding: .utf8), "error 64 /srv/app/schema.yaml\n")
    }

    // MARK: - The wiring files

    func testWorkflowAndPlatformSnippetsPointAtTheScripts() throws {
        for name in ["plan-comment.sh", "release.sh", "drift-check.sh"] {
            XCTAssertTrue(
                FileManager.default.isExecutableFile(atPath: recipes.appendingPathComponent(name).path),
                "\(name) is not executable")
        }

        let workflow = try XCTUnwrap(
            try Yams.compose(
                yaml: try String(contentsOf: recipes.appendingPathComponent("github-workflow.yml"), encoding: .utf8)))
        // `on` is looked up as written: a YAML 1.1 reader may take the bare key for a boolean.
        let on = try XCTUnwrap(workflow.mapping?.first { $0.key.scalar?.string == "on" }?.value)
        XCTAssertEqual(on["pull_request"]?["paths"]?.sequence?.compactMap(\.string), ["schema.yaml"])
        let steps = try XCTUnwrap(workflow["jobs"]?["plan"]?["steps"]?.sequence)
        let planStep = try XCTUnwrap(steps.first { $0["run"]?.string?.contains("examples/ci/plan-comment.sh") == true })
        XCTAssertEqual(planStep["env"]?["RECONCILE_PLAN_OUT"]?.string, "plan.json")
        XCTAssertEqual(planStep["env"]?["RECONCILE"]?.string, ".build/release/reconcile")
        XCTAssertTrue(
            steps.contains { $0["run"]?.string?.contains("swift build -c release --product reconcile") == true })
        let upload = try XCTUnwrap(steps.first { $0["uses"]?.string?.hasPrefix("actions/upload-artifact@") == true })
        XCTAssertEqual(
            upload["with"]?["path"]?.string?.split(separator: "\n").map(String.init), ["plan.json", "plan.md"])
        XCTAssertEqual(workflow["permissions"]?["pull-requests"]?.string, "write")

        let procfile = try String(contentsOf: recipes.appendingPathComponent("Procfile.example"), encoding: .utf8)
        XCTAssertTrue(procfile.split(separator: "\n").contains("release: examples/ci/release.sh"), procfile)
        let fly = try String(contentsOf: recipes.appendingPathComponent("fly.toml.example"), encoding: .utf8)
        XCTAssertTrue(fly.contains("[deploy]\n  release_command = \"/app/examples/ci/release.sh\"\n"), fly)
        let crontab = try String(contentsOf: recipes.appendingPathComponent("crontab.example"), encoding: .utf8)
        let jobs = crontab.split(separator: "\n").filter {
            !$0.hasPrefix("#") && $0.first.map { "*0123456789".contains($0) } == true
        }
        XCTAssertEqual(jobs.count, 1, crontab)
        XCTAssertTrue(jobs.first?.hasPrefix("*/15 * * * * ") == true, crontab)
        XCTAssertTrue(jobs.first?.contains("/examples/ci/drift-check.sh") == true, crontab)
    }

    // MARK: - Helpers

    struct ScriptResult {
        let exitCode: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs examples/ci/NAME with bash in the scratch directory, with `RECONCILE` set to the built binary and
    /// none of the caller's settings for the scripts (DATABASE_URL, GITHUB_*, RECONCILE_*) leaking in.
    func script(
        _ name: String, _ arguments: [String], environment: [String: String] = [:],
        timeout: TimeInterval = 180
    ) throws -> ScriptResult {
        var env = ProcessInfo.processInfo.environment.filter { key, _ in
            !(key == "DATABASE_URL" || key.hasPrefix("RECONCILE") || key.hasPrefix("GITHUB_") || key == "PR_NUMBER"
                || key == "PLAN_COMMENT_MAX_BYTES" || key.hasPrefix("FAKE_"))
        }
        env["RECONCILE"] = CLI.executable.path
        env["NO_COLOR"] = "1"
        for (key, value) in environment { env[key] = value }

        let id = UUID().uuidString
        let stdoutPath = scratch.appendingPathComponent("\(name).\(id).stdout").path
        let stderrPath = scratch.appendingPathComponent("\(name).\(id).stderr").path
        // bash changes into the scratch directory, then runs the script.
        let argv =
            [
                "/bin/bash", "-c", #"cd -- "$1" && shift && exec /bin/bash "$@""#, "bash", scratch.path,
                recipes.appendingPathComponent(name).path,
            ] + arguments
        let exitCode = try Spawned.run(
            argv, environment: env, stdoutPath: stdoutPath, stderrPath: stderrPath, timeout: timeout)
        if exitCode == Spawned.timedOut { XCTFail("\(name) \(arguments) did not finish within \(Int(timeout)) s") }
        return ScriptResult(
            exitCode: exitCode,
            stdout: try String(contentsOfFile: stdoutPath, encoding: .utf8),
            stderr: try String(contentsOfFile: stderrPath, encoding: .utf8))
    }

    /// plan-comment.sh names its server's URL and, once stopped, its removed data directory: both must be gone.
    func assertThrowawayServerGone(_ stderr: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let lines = stderr.split(separator: "\n").map(String.init)
        let urlPrefix = "plan-comment: throwaway PostgreSQL at "
        let stoppedPrefix = "plan-comment: stopped the throwaway PostgreSQL and removed "
        let url = try XCTUnwrap(
            lines.first { $0.hasPrefix(urlPrefix) }?.dropFirst(urlPrefix.count), stderr, file: file, line: line)
        let directory = try XCTUnwrap(
            lines.first { $0.hasPrefix(stoppedPrefix) }?.dropFirst(stoppedPrefix.count), stderr, file: file, line: line)
        XCTAssertTrue(
            directory.hasPrefix("/tmp/throwaway-postgres.") || directory.contains("/throwaway-postgres."),
            String(directory), file: file, line: line)
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: String(directory)), "\(directory) is still there", file: file,
            line: line)
        XCTAssertThrowsError(
            try Connection(ConnectionInfo(String(url) + "?connect_timeout=5")), "the server at \(url) still answers",
            file: file, line: line)
    }

    func file(_ name: String, _ contents: String) throws -> String {
        let path = scratch.appendingPathComponent(name).path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func read(_ name: String) throws -> String {
        try String(contentsOf: scratch.appendingPathComponent(name), encoding: .utf8)
    }

    func executable(_ path: String, _ contents: String) throws {
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    /// An alert command that writes its stdin to `file` and "KIND EXIT SCHEMA" to `file`.env.
    func recordingAlert() throws -> (command: String, file: String) {
        let alertScript = scratch.appendingPathComponent("alert.sh").path
        let file = scratch.appendingPathComponent("alert.txt").path
        try executable(
            alertScript,
            """
            #!/usr/bin/env bash
            cat > "$1"
            printf '%s %s %s\\n' "$RECONCILE_ALERT_KIND" "$RECONCILE_EXIT_CODE" "$RECONCILE_SCHEMA" > "$1.env"

            """)
        return ("'\(alertScript)' '\(file)'", file)
    }

    /// A stand-in reconcile that records its arguments, prints a line to each stream and exits with $FAKE_RECONCILE_EXIT.
    func fakeReconcile() throws -> (path: String, arguments: () throws -> [String]) {
        let path = scratch.appendingPathComponent("fake-reconcile").path
        let argv = scratch.appendingPathComponent("fake-reconcile.argv").path
        try executable(
            path,
            """
            #!/usr/bin/env bash
            printf '%s\\n' "$@" > '\(argv)'
            echo 'fake reconcile output'
            echo 'fake reconcile error' >&2
            exit "${FAKE_RECONCILE_EXIT:-0}"

            """)
        return (
            path,
            {
                try String(contentsOfFile: argv, encoding: .utf8).split(
                    separator: "\n", omittingEmptySubsequences: false
                ).dropLast().map(String.init)
            }
        )
    }

    /// A stand-in curl for the GitHub API: records the request line, the header file, the body file and its own argv
    /// into `capture`, and answers $FAKE_CURL_STATUS (201) with $FAKE_CURL_RESPONSE.
    func fakeCurl() throws -> (bin: String, capture: String) {
        let bin = scratch.appendingPathComponent("curl-bin").path
        let capture = scratch.appendingPathComponent("curl-capture").path
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: capture, withIntermediateDirectories: true)
        try executable(
            bin + "/curl",
            """
            #!/usr/bin/env bash
            printf '%s\\n' "$@" > '\(capture)/argv'
            method=GET url= output=/dev/null
            while (($#)); do
              case $1 in
                --request) method=$2; shift 2 ;;
                --header) [[ $2 == @* ]] && cp "${2#@}" '\(capture)/headers'; shift 2 ;;
                --data-binary) cp "${2#@}" '\(capture)/body.json'; shift 2 ;;
                --output) output=$2; shift 2 ;;
                --write-out) shift 2 ;;
                -*) shift ;;
                *) url=$1; shift ;;
              esac
            done
            printf '%s %s\\n' "$method" "$url" > '\(capture)/request'
            printf '%s' "${FAKE_CURL_RESPONSE:-{\\"id\\": 1}}" > "$output"
            printf '%s' "${FAKE_CURL_STATUS:-201}"

            """)
        return (bin, capture)
    }

    /// What plan-comment.sh posts for a plan over `maxBytes`: whole lines within `maxBytes - 600`, an open code fence
    /// and an open <details> closed, then a note.
    static func truncatedComment(_ markdown: String, maxBytes: Int) -> String {
        var kept = String(decoding: Array(markdown.utf8.prefix(maxBytes - 600)), as: UTF8.self)
        if kept.hasSuffix("\n") { kept.removeLast() }
        kept = kept.lastIndex(of: "\n").map { String(kept[...$0]) } ?? ""
        let lines = kept.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.filter({ $0.hasPrefix("```") }).count % 2 == 1 { kept += "```\n" }
        if lines.contains(where: { $0.hasPrefix("<details>") })
            && !lines.contains(where: { $0.hasPrefix("</details>") })
        {
            kept += "\n</details>\n"
        }
        return kept
            + "\n**Plan truncated:** it is \(markdown.utf8.count) bytes, more than a comment holds. The full plan is in the workflow run (artifact or log).\n"
    }

    /// The `body` of the JSON the script posted.
    func commentBody(_ capture: String) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: capture + "/body.json"))
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(object.keys.sorted(), ["body"])
        return try XCTUnwrap(object["body"] as? String)
    }
}

/// posix_spawn and waitpid rather than Foundation's Process: Process learns that a child ended only when every
/// holder of a socket it hands the child has closed it, and a PostgreSQL server that plan-comment.sh failed to
/// stop would hold it forever. Here the script's own exit is what counts, and a leftover server fails the test
/// instead of hanging it.
enum Spawned {
    static let timedOut: Int32 = -1

    /// Runs argv[0] with stdin from /dev/null and stdout/stderr into files; returns the exit status (128 + signal
    /// when killed), or `timedOut` after sending SIGTERM, then SIGKILL, once `timeout` has passed.
    /// The child leads a process group of its own; `interruptWhen`, polled while it runs, sends SIGTERM to that whole
    /// group once it returns true, as a CI runner cancelling a job does.
    static func run(
        _ argv: [String], environment: [String: String], stdoutPath: String, stderrPath: String,
        timeout: TimeInterval, interruptWhen: (() -> Bool)? = nil
    ) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        // Default signal handling and an empty mask: the test process may ignore SIGPIPE, and ignoring is inherited.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t(), none = sigset_t()
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArguments + cEnvironment).forEach { free($0) } }

        var pid = pid_t()
        let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment)
        guard spawned == 0 else { throw SpawnError(argv: argv, errno: spawned) }

        var status: Int32 = 0
        var interrupted = false
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let waited = waitpid(pid, &status, WNOHANG)
            if waited == pid { break }
            if waited == -1 && errno != EINTR { throw SpawnError(argv: argv, errno: errno) }
            if !interrupted, let interruptWhen, interruptWhen() {
                kill(-pid, SIGTERM)
                interrupted = true
            }
            if Date() > deadline {
                kill(-pid, SIGTERM)  // the scripts' traps still clean up
                var exited = false
                for _ in 0..<100 where !exited {
                    exited = waitpid(pid, &status, WNOHANG) == pid
                    if !exited { usleep(50_000) }
                }
                if !exited {
                    kill(-pid, SIGKILL)
                    waitpid(pid, &status, 0)
                }
                return timedOut
            }
            usleep(20_000)
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    struct SpawnError: Error, CustomStringConvertible {
        let argv: [String]
        let errno: Int32
        var description: String { "cannot run \(argv.joined(separator: " ")): \(String(cString: strerror(errno)))" }
    }
}
