import Foundation
import PostgresClient
import Reconcile
import XCTest

/// Issue 4: faults, contention and hostile input, against a real server. Every test ends by showing that
/// nothing was lost or half-changed.
final class SafetyTests: XCTestCase {
    var database: TestDatabase!
    let schemaPath = repositoryRoot.appendingPathComponent("schema.yaml").path

    override func setUpWithError() throws {
        database = try TestDatabase()
        try database.execute(
            """
            CREATE TABLE cases (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
            INSERT INTO cases (title) VALUES ('a'), ('b');
            """)
    }

    /// Waits until a `reconcile` session is blocked on a lock, so a test can act in the middle of an apply.
    private func waitForReconcileBlockedOnLock(timeout: TimeInterval = 20) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let waiting = try database.scalar(
                """
                SELECT count(*) FROM pg_stat_activity
                WHERE application_name = 'reconcile' AND datname = current_database() AND wait_event_type = 'Lock'
                """)
            if waiting == "1" { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTFail("reconcile never waited for the lock")
    }

    /// A separate session holding an ACCESS EXCLUSIVE lock on `cases` until it is closed.
    private func lockCases() throws -> Connection {
        let holder = try Connection(ConnectionInfo(database.url), applicationName: "lock-holder")
        try holder.query("BEGIN")
        try holder.query("LOCK TABLE cases IN ACCESS EXCLUSIVE MODE")
        return holder
    }

    /// A schema whose plan creates the outage tables and then alters `cases`, so a lock on `cases` stops it
    /// halfway, after steps have run.
    private func schemaThatAltersCasesLast() throws -> String {
        let yaml = try String(contentsOfFile: schemaPath, encoding: .utf8)
            .replacingOccurrences(
                of: "      title:      { type: text, nullable: false }",
                with:
                    "      title:      { type: text, nullable: false }\n      archived:   { type: boolean, nullable: false, default: false }"
            )
        return try writeSchema(yaml)
    }

    func testKilledMidApplyLeavesTheDatabaseAsBeforeAndTheNextApplyCompletes() throws {
        let path = try schemaThatAltersCasesLast()
        let before = try database.fingerprint(rowsOf: ["cases"])
        var holder: Connection? = try lockCases()
        let run = try CLI.start(["--apply", "--schema", path, "--database-url", database.url, "--lock-timeout", "60s"])
        try waitForReconcileBlockedOnLock()
        kill(run.0.processIdentifier, SIGKILL)
        _ = CLI.finish(run)
        holder = nil  // closing the session releases the lock
        _ = holder
        // The server notices the dead client and rolls its transaction back.
        let deadline = Date().addingTimeInterval(20)
        while try database.scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'reconcile' AND datname = current_database()"
        ) != "0",
            Date() < deadline
        {
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertEqual(try database.fingerprint(rowsOf: ["cases"]), before)
        let next = try CLI.run(["--apply", "--schema", path, "--database-url", database.url])
        XCTAssertEqual(next.exitCode, 0, next.stdout + next.stderr)
        XCTAssertEqual(try database.reconciler(path).check().drift.map(\.summary), [])
    }

    func testLockContentionGivesUpAfterLockTimeoutNamesTheTableAndChangesNothing() throws {
        let path = try schemaThatAltersCasesLast()
        let before = try database.fingerprint(rowsOf: ["cases"])
        let holder = try lockCases()
        let result = try CLI.run([
            "--apply", "--schema", path, "--database-url", database.url, "--lock-timeout", "300ms",
        ])
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertTrue(result.stderr.contains("(SQLSTATE 55P03)"), result.stderr)
        XCTAssertTrue(result.stderr.contains("\nAnother session holds a lock on public.cases (pid "), result.stderr)
        XCTAssertTrue(
            result.stderr.contains("application lock-holder, holding AccessExclusiveLock for "), result.stderr)
        try holder.query("ROLLBACK")
        XCTAssertEqual(try database.fingerprint(rowsOf: ["cases"]), before)
    }

    /// Reads never hang: deparsing a check or an index waits for its table's lock, so --check, --plan and
    /// --export are bounded by --lock-timeout, exit 1 and name the session holding the lock.
    func testReadsGiveUpAfterLockTimeoutAndNameTheHolder() throws {
        try database.execute("ALTER TABLE cases ADD CONSTRAINT cases_title_check CHECK (title <> '')")
        try database.execute("CREATE INDEX cases_lower_title ON cases (lower(title))")
        let exported = try CLI.run(["--export", "--database-url", database.url])
        XCTAssertEqual(exported.exitCode, 0, exported.stderr)
        let path = try writeSchema(exported.stdout)
        let holder = try lockCases()
        defer { _ = try? holder.query("ROLLBACK") }
        for mode in [["--check", "--schema", path], ["--plan", "--schema", path], ["--export"]] {
            let started = Date()
            // --timeout only so that a regression fails instead of hanging the suite.
            let result = try CLI.run(
                mode + ["--database-url", database.url, "--lock-timeout", "300ms", "--timeout", "30s"])
            XCTAssertEqual(result.exitCode, 1, "\(mode[0]): \(result.stdout)\(result.stderr)")
            XCTAssertLessThan(Date().timeIntervalSince(started), 20, mode[0])
            XCTAssertTrue(result.stderr.contains("(SQLSTATE 55P03)"), result.stderr)
            XCTAssertTrue(result.stderr.contains("\nAnother session holds a lock on public.cases (pid "), result.stderr)
            XCTAssertTrue(
                result.stderr.contains("application lock-holder, holding AccessExclusiveLock for "),
                result.stderr)
        }
    }

    func testRetriesStartOverUntilTheLockIsReleased() throws {
        let path = try schemaThatAltersCasesLast()
        let holder = try lockCases()
        let run = try CLI.start([
            "--apply", "--schema", path, "--database-url", database.url, "--lock-timeout", "200ms", "--retries", "6",
        ])
        Thread.sleep(forTimeInterval: 1.5)
        try holder.query("ROLLBACK")
        let result = CLI.finish(run)
        XCTAssertEqual(result.exitCode, 0, result.stdout + result.stderr)
        XCTAssertTrue(
            result.stdout.contains(
                "Rolled back: a table lock was not granted within --lock-timeout. Retrying in 1.0 s (retry 1 of 6)..."),
            result.stdout)
        XCTAssertEqual(try database.reconciler(path).check().drift.map(\.summary), [])
    }

    func testAWaitingApplySaysSoAndGivesUpAfterLockWait() throws {
        let other = try Connection(ConnectionInfo(database.url), applicationName: "other-reconcile")
        try other.query("SELECT pg_advisory_lock(\(0x7265_636F_6E63_696C as Int64))")
        let before = try database.fingerprint()
        let result = try CLI.run([
            "--apply", "--schema", schemaPath, "--database-url", database.url, "--lock-wait", "500ms",
        ])
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertEqual(
            result.stdout, "Waiting for another reconcile --apply on this database to finish (up to --lock-wait)...\n")
        XCTAssertEqual(
            result.stderr,
            "error: another reconcile --apply held the apply lock for more than 0.5s (--lock-wait); nothing was changed\n"
        )
        XCTAssertEqual(try database.fingerprint(), before)
    }

    func testServerGoneMidApplyIsAClearErrorAndNothingChanges() throws {
        let path = try schemaThatAltersCasesLast()
        let before = try database.fingerprint(rowsOf: ["cases"])
        let holder = try lockCases()
        let run = try CLI.start(["--apply", "--schema", path, "--database-url", database.url, "--lock-timeout", "60s"])
        try waitForReconcileBlockedOnLock()
        // What a server restart does to a session: the backend goes away mid-transaction.
        try database.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'reconcile' AND datname = current_database()"
        )
        let result = CLI.finish(run)
        try holder.query("ROLLBACK")
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertTrue(
            result.stderr.contains("server closed the connection unexpectedly")
                || result.stderr.contains("terminating connection due to administrator command"), result.stderr)
        XCTAssertTrue(result.stderr.contains("nothing was changed"), result.stderr)
        XCTAssertFalse(result.stderr.contains("Fatal error"), result.stderr)
        XCTAssertEqual(try database.fingerprint(rowsOf: ["cases"]), before)
    }

    func testConnectionFaultsAreClearAndNeverShowThePassword() throws {
        try database.execute(
            "DROP ROLE IF EXISTS reconcile_app; CREATE ROLE reconcile_app LOGIN PASSWORD 'right-horse-battery'")
        defer { _ = try? database.execute("DROP ROLE IF EXISTS reconcile_app") }
        guard var components = URLComponents(string: database.url) else { return XCTFail("bad url") }
        components.user = "reconcile_app"
        components.password = "wrong-S3cret-staple"
        let wrongPassword = components.string!
        components.port = 1
        let wrongPort = components.string!
        components.port = URLComponents(string: database.url)!.port
        components.password = "right-horse-battery"
        components.path = "/no_such_database"
        let missingDatabase = components.string!
        let cases: [(String, [String], String)] = [
            (wrongPassword, [], "password authentication failed for user \"reconcile_app\""),
            (wrongPort, [], "Connection refused"),
            (missingDatabase, [], "database \"no_such_database\" does not exist"),
            (
                wrongPassword.replacingOccurrences(of: "?", with: "") + "?sslmode=require", [],
                "server does not support SSL"
            ),
        ]
        for (url, extra, expected) in cases {
            for mode in ["--plan", "--apply", "--check", "--export"] {
                let result = try CLI.run([mode, "--schema", schemaPath, "--database-url", url] + extra)
                XCTAssertEqual(result.exitCode, 1, "\(mode) \(expected)")
                XCTAssertTrue(
                    result.stderr.hasPrefix("error: cannot connect to reconcile_app@127.0.0.1:"), result.stderr)
                XCTAssertTrue(result.stderr.contains(expected), "\(mode): \(result.stderr)")
                for secret in ["wrong-S3cret-staple", "right-horse-battery"] {
                    XCTAssertFalse(
                        (result.stdout + result.stderr).contains(secret), "\(mode) printed a password: \(result.stderr)"
                    )
                }
                XCTAssertLessThanOrEqual(
                    result.stderr.filter { $0 == "\n" }.count, 2, "a short message, no stack trace: \(result.stderr)")
                XCTAssertFalse(
                    result.stderr.contains("Fatal error") || result.stderr.contains("Backtrace"), result.stderr)
            }
        }
        // The password in PGPASSWORD is never echoed either.
        let viaEnvironment = try CLI.run(
            ["--check", "--schema", schemaPath, "--database-url", "postgresql://reconcile_app@127.0.0.1:1/x"],
            environment: ["PGPASSWORD": "env-secret-value"])
        XCTAssertFalse((viaEnvironment.stdout + viaEnvironment.stderr).contains("env-secret-value"))
    }

    func testReadOnlyRoleCanPlanAndCheckButApplyIsRefusedBeforeAnyChange() throws {
        try database.applyAndAssertConverged(schemaPath)
        let (role, readerURL) = try database.readOnlyRole(grants: "GRANT SELECT ON admin_settings TO $role;")
        defer { database.dropRole(role) }

        XCTAssertEqual(try CLI.run(["--check", "--schema", schemaPath, "--database-url", readerURL]).exitCode, 0)
        // Drift (a dropped index) is seen and planned with read access only.
        try database.execute("DROP INDEX ai_usage_logs_created_at_idx")
        let check = try CLI.run(["--check", "--schema", schemaPath, "--database-url", readerURL])
        XCTAssertEqual(check.exitCode, 2, check.stderr)
        let plan = try CLI.run(["--plan", "--schema", schemaPath, "--database-url", readerURL])
        XCTAssertEqual(plan.exitCode, 0, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("create index ai_usage_logs_created_at_idx"), plan.stdout)

        let before = try database.fingerprint()
        let apply = try CLI.run(["--apply", "--schema", schemaPath, "--database-url", readerURL])
        XCTAssertEqual(apply.exitCode, 1)
        XCTAssertEqual(
            apply.stderr,
            """
            error: refusing to apply: role \(role) lacks privileges the plan needs; nothing was changed.
              step 1: needs ownership of public.ai_usage_logs

            """)
        XCTAssertEqual(try database.fingerprint(), before)
    }

    /// A plan renames a routine (`renamed_from`) in a savepoint to compare its users as they will print: the
    /// trigger that calls it is no drift. A role that does not own it cannot, and its check still reports the
    /// rename (and the trigger, as the catalog prints it until then).
    func testReadOnlyRoleChecksAPendingFunctionRename() throws {
        let database = try TestDatabase()
        try database.execute(
            """
            CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
            CREATE TABLE counters (n integer);
            CREATE TRIGGER counters_touch BEFORE INSERT ON counters FOR EACH ROW EXECUTE FUNCTION touch();
            """)
        let path = try writeSchema(
            """
            version: 1
            functions:
              keep: { renamed_from: touch, returns: trigger, language: plpgsql, body: "BEGIN RETURN NEW; END" }
            tables:
              counters:
                columns: { n: integer }
                triggers:
                  counters_touch: { timing: before, events: [insert], for_each: row, function: keep }
            """)
        let owner = try CLI.run(["--check", "--schema", path, "--database-url", database.url])
        XCTAssertEqual(owner.exitCode, 2, owner.stderr)
        XCTAssertEqual(
            owner.stdout.split(separator: "\n").filter { $0.hasPrefix("  ") },
            ["  ~ function public.keep() is still named touch (renamed_from)"])
        let (role, readerURL) = try database.readOnlyRole()
        defer { database.dropRole(role) }
        let reader = try CLI.run(["--check", "--schema", path, "--database-url", readerURL])
        XCTAssertEqual(reader.exitCode, 2, reader.stderr)
        XCTAssertTrue(
            reader.stdout.contains("  ~ function public.keep() is still named touch (renamed_from)"),
            reader.stdout)
    }

    /// Functions and triggers are judged by scratch copies in pg_temp, which TEMPORARY allows: a read-only
    /// role checks them, and sees a changed body, a missing trigger function and its missing trigger as drift
    /// (never a permission error from trying to create the function).
    func testReadOnlyRoleChecksFunctionsAndTriggers() throws {
        let path = try writeSchema(
            """
            version: 1
            functions:
              touch: { returns: trigger, language: plpgsql, body: "BEGIN RETURN NEW; END" }
              positive: { arguments: "n int", returns: bool, language: SQL, body: SELECT n > 0 }
            tables:
              t:
                columns:
                  n: { type: int, check: positive(n) }
                triggers:
                  t_touch: { timing: BEFORE, events: update, for_each: row, when: "NEW.n <> 0", function: touch }
            """)
        let database = try TestDatabase()
        try database.applyAndAssertConverged(path)
        let (role, readerURL) = try database.readOnlyRole()
        defer { database.dropRole(role) }

        let inSync = try CLI.run(["--check", "--schema", path, "--database-url", readerURL])
        XCTAssertEqual(inSync.exitCode, 0, inSync.stdout + inSync.stderr)
        try database.execute(
            """
            CREATE OR REPLACE FUNCTION positive(n integer) RETURNS boolean LANGUAGE sql AS $$SELECT n >= 0$$;
            DROP TRIGGER t_touch ON t;
            DROP FUNCTION touch();
            """)
        let check = try CLI.run(["--check", "--schema", path, "--database-url", readerURL])
        XCTAssertEqual(check.exitCode, 2, check.stdout + check.stderr)
        for drift in [
            "missing function public.touch()", "function public.positive(n integer) differs from the file",
            "missing trigger public.t/t_touch",
        ] {
            XCTAssertTrue(check.stdout.contains(drift), check.stdout)
        }
    }

    /// Without a lock timeout, a read waits behind the lock until --timeout: the partner connection's read
    /// (constraints, whose deparsing opens the table) is cancelled with the main one's, and the run ends.
    func testTimeoutCancelsAReadWaitingOnThePartnerConnection() throws {
        try database.execute("ALTER TABLE cases ADD CONSTRAINT cases_title_check CHECK (title <> '')")
        let exported = try CLI.run(["--export", "--database-url", database.url])
        XCTAssertEqual(exported.exitCode, 0, exported.stderr)
        let path = try writeSchema(exported.stdout)
        let holder = try lockCases()
        // Released after 6 s whatever happens, so that a regression fails this test instead of hanging it.
        let released = DispatchSemaphore(value: 0)
        // The holder is used by that thread alone from here on.
        nonisolated(unsafe) let lockHolder = holder
        DispatchQueue.global().asyncAfter(deadline: .now() + 6) {
            _ = try? lockHolder.query("ROLLBACK")
            released.signal()
        }
        defer { released.wait() }
        let started = Date()
        let result = try CLI.run([
            "--check", "--schema", path, "--database-url", database.url, "--lock-timeout", "0", "--timeout", "1s",
        ])
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertEqual(result.exitCode, 1, result.stdout + result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("error: gave up after 1s (--timeout)"), result.stderr)
        // Nobody is left waiting on the server.
        XCTAssertEqual(
            try database.scalar(
                "SELECT count(*) FROM pg_catalog.pg_stat_activity WHERE wait_event_type = 'Lock' "
                    + "AND datname = current_database()"), "0")
    }

    func testStatementTimeoutBoundsAStepAndTimeoutBoundsTheRun() throws {
        // A check that takes 0.3 s per existing row: validating it on two rows takes 0.6 s.
        let path = try writeSchema(
            """
            version: 1
            tables:
              cases:
                columns:
                  id: { type: bigint, identity: always, primary_key: true }
                  title: { type: text, nullable: false, check: "pg_sleep(0.3) IS NOT NULL" }
                  created_at: { type: timestamptz, nullable: false, default_sql: now() }
            """)
        let before = try database.fingerprint(rowsOf: ["cases"])
        let step = try CLI.run([
            "--apply", "--schema", path, "--database-url", database.url, "--statement-timeout", "200ms",
        ])
        XCTAssertEqual(step.exitCode, 1)
        XCTAssertTrue(
            step.stderr.contains("canceling statement due to statement timeout (SQLSTATE 57014)"), step.stderr)
        let total = try CLI.run(["--apply", "--schema", path, "--database-url", database.url, "--timeout", "300ms"])
        XCTAssertEqual(total.exitCode, 1)
        XCTAssertEqual(
            total.stderr,
            "error: gave up after 0.3s (--timeout); the running statement was cancelled and the transaction rolled back: nothing was changed\n"
        )
        XCTAssertEqual(try database.fingerprint(rowsOf: ["cases"]), before)
    }

    /// The privilege check asks about every altered table in one statement; with more tables than a select
    /// list may have columns (1,664) it must still work.
    func testPrivilegeCheckCopesWithThousandsOfSteps() throws {
        let count = 1_700
        try database.execute((0..<count).map { "CREATE TABLE p\($0) (id integer);" }.joined(separator: "\n"))
        var yaml =
            "version: 1\ntables:\n  cases:\n    columns:\n      id: { type: bigint, identity: always, primary_key: true }\n      title: { type: text, nullable: false }\n      created_at: { type: timestamptz, nullable: false, default_sql: now() }\n"
        for number in 0..<count { yaml += "  p\(number):\n    columns:\n      id: integer\n      note: text\n" }
        let path = try writeSchema(yaml)
        let result = try database.reconciler(path).apply()
        XCTAssertEqual(result.executed.count, count)
        XCTAssertEqual(
            try database.scalar(
                "SELECT count(*) FROM pg_attribute WHERE attname = 'note' AND attrelid::regclass::text LIKE 'p%'"),
            "\(count)")
    }
}
