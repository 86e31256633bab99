import Reconcile
import XCTest

/// Bad input and failing steps: a clear error, and the database exactly as before.
final class FailureAndRollbackTests: XCTestCase {
    var database: TestDatabase!

    override func setUpWithError() throws {
        database = try TestDatabase()
    }

    func testAFailingStepInTheMiddleRollsBackEverythingAndSaysWhy() throws {
        try database.execute(
            """
            CREATE TABLE accounts (id integer PRIMARY KEY, n integer);
            INSERT INTO accounts VALUES (1, 5), (2, 0);
            """)
        let before = try database.fingerprint(rowsOf: ["accounts"])
        // Steps before the check succeed (a new table, a new column); the check then fails with a division
        // by zero on row 2, which no pre-flight count can foresee (the count itself fails); all is undone.
        let path = try writeSchema(
            """
            version: 1
            tables:
              accounts:
                columns:
                  id: { type: integer, primary_key: true }
                  n: { type: integer, check: 10 / n > 0 }
                  created_at: { type: timestamptz, default_sql: now() }
              audit_log:
                columns:
                  id: { type: bigint, identity: always, primary_key: true }
            """)
        let result = try CLI.run(["--apply", "--schema", path, "--database-url", database.url])
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertTrue(
            result.stderr.contains("step 3 failed: public.accounts: add check accounts_n_check"), result.stderr)
        XCTAssertTrue(
            result.stderr.contains(
                "ALTER TABLE \"public\".\"accounts\" ADD CONSTRAINT \"accounts_n_check\" CHECK (10 / n > 0)"),
            result.stderr)
        XCTAssertTrue(result.stderr.contains("server said: division by zero (SQLSTATE 22012)"), result.stderr)
        XCTAssertTrue(
            result.stderr.contains(
                "The transaction was rolled back: nothing was changed (the 2 steps before it were undone too)."),
            result.stderr)
        XCTAssertEqual(try database.fingerprint(rowsOf: ["accounts"]), before)
    }

    func testApplyRefusesUpFrontWhenPreflightShowsAStepWouldFail() throws {
        try database.execute(
            """
            CREATE TABLE accounts (id integer PRIMARY KEY, email text);
            INSERT INTO accounts VALUES (1, 'a@example.com'), (2, 'a@example.com'), (3, NULL);
            """)
        let before = try database.fingerprint(rowsOf: ["accounts"])
        let path = try writeSchema(
            """
            version: 1
            tables:
              accounts:
                columns:
                  id: { type: integer, primary_key: true }
                  email: { type: text, unique: true, nullable: false }
              audit_log:
                columns:
                  id: { type: bigint, identity: always, primary_key: true }
            """)
        let plan = try CLI.run(["--plan", "--schema", path, "--database-url", database.url])
        XCTAssertEqual(plan.exitCode, 0)
        XCTAssertTrue(
            plan.stdout.contains("Would fail on the current data (--apply refuses until fixed):"), plan.stdout)
        let result = try CLI.run(["--apply", "--schema", path, "--database-url", database.url])
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertEqual(
            result.stderr,
            """
            error: refusing to apply: pre-flight checks show 2 steps would fail on the current data; nothing was changed.
              2. public.accounts: make email NOT NULL: 1 row holds NULL in email; add `backfill: <value>` to the column in the schema file, or fill them first
              3. public.accounts: add unique constraint accounts_email_key (email): 1 value of (email) occurs more than once: unique constraint accounts_email_key cannot be added

            """)
        XCTAssertEqual(try database.fingerprint(rowsOf: ["accounts"]), before)
    }

    func testInvalidYAMLExitsOneWithLineAndColumnAndTouchesNothing() throws {
        try database.execute("CREATE TABLE keep_me (id integer)")
        let before = try database.fingerprint()
        let cases: [(String, String)] = [
            ("version: 1\ntables:\n  t:\n    columns: [unclosed\n", ":5:1: error: invalid YAML"),
            (
                "version: 1\ntables:\n  t:\n    colums:\n      id: integer\n",
                ":4:5: error: unknown key 'colums' in table public.t (did you mean 'columns'?)"
            ),
            (
                "version: 1\ntables:\n  t:\n    columns:\n      id: { type: integer, references: nowhere }\n",
                ":5:40: error: foreign key t_id_fkey of public.t references public.nowhere, which is not declared in this file"
            ),
        ]
        for (yaml, expected) in cases {
            let path = try writeSchema(yaml)
            for mode in ["--plan", "--apply", "--check"] {
                let result = try CLI.run([mode, "--schema", path, "--database-url", database.url])
                XCTAssertEqual(result.exitCode, 1, "\(mode): \(result.stdout)")
                XCTAssertTrue(result.stderr.contains(path + expected), "\(mode): \(result.stderr)")
            }
        }
        XCTAssertEqual(try database.fingerprint(), before)
    }

    func testAnInvalidTypeOrExpressionIsReportedBeforeAnythingChanges() throws {
        let before = try database.fingerprint()
        let path = try writeSchema(
            """
            version: 1
            tables:
              first:
                columns:
                  id: integer
              second:
                columns:
                  amount: { type: integer, check: amount >= no_such_column }
            """)
        // --plan has the server check new tables too, so review catches it...
        let plan = try CLI.run(["--plan", "--schema", path, "--database-url", database.url])
        XCTAssertEqual(plan.exitCode, 1)
        XCTAssertTrue(
            plan.stderr.contains(
                "the declared table public.second is not valid for this server: column \"no_such_column\" does not exist (SQLSTATE 42703)"
            ), plan.stderr)
        XCTAssertTrue(plan.stderr.contains("Nothing was changed."), plan.stderr)
        // ...and --apply fails at that step and rolls everything back.
        let result = try CLI.run(["--apply", "--schema", path, "--database-url", database.url])
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertTrue(
            result.stderr.contains("column \"no_such_column\" does not exist (SQLSTATE 42703)"), result.stderr)
        XCTAssertTrue(result.stderr.contains("The transaction was rolled back: nothing was changed"), result.stderr)
        XCTAssertEqual(try database.fingerprint(), before)
    }

    func testAnExpressionCannotSmuggleInASecondStatement() throws {
        try database.execute("CREATE TABLE victim (id integer)")
        let path = try writeSchema(
            """
            version: 1
            tables:
              t:
                columns:
                  n: { type: integer, check: "n > 0); DROP TABLE victim; --" }
            """)
        let result = try CLI.run(["--apply", "--schema", path, "--database-url", database.url])
        XCTAssertEqual(result.exitCode, 1, result.stdout)
        XCTAssertEqual(try database.tableNames(), ["public.victim"])
    }

    func testConnectionFailureIsClearAndNeverShowsThePassword() throws {
        let result = try CLI.run([
            "--plan", "--schema", repositoryRoot.appendingPathComponent("schema.yaml").path,
            "--database-url", "postgresql://someone:s3cret-pw@127.0.0.1:1/nowhere",
        ])
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertTrue(result.stderr.hasPrefix("error: cannot connect to someone@127.0.0.1:1/nowhere: "), result.stderr)
        XCTAssertFalse((result.stdout + result.stderr).contains("s3cret-pw"))
    }
}
