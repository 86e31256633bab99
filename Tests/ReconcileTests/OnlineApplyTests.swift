import Foundation
import Reconcile
import XCTest

/// `--apply --online` on tables with rows: every online step kind converges, an INVALID index is drift and is
/// rebuilt, a run killed between phases or during a concurrent build is finished by the next run, and a lock
/// timeout retries only the step that waited.
final class OnlineApplyTests: XCTestCase {
    /// `items` (20,000 rows) and `owners`, with nothing but the columns: every constraint and index is to add.
    private func populated() throws -> TestDatabase {
        let database = try TestDatabase()
        try database.execute(
            """
            CREATE TABLE owners (id integer NOT NULL);
            INSERT INTO owners SELECT g FROM generate_series(1, 100) g;
            CREATE TABLE items (id integer NOT NULL, owner_id integer, qty integer, code text, note text);
            INSERT INTO items SELECT g, 1 + g % 100, g % 7, 'c' || g, CASE WHEN g % 2 = 0 THEN 'x' END
            FROM generate_series(1, 20000) g;
            ANALYZE items;
            ANALYZE owners;
            """)
        return database
    }

    private let everything = """
        version: 1
        tables:
          owners:
            columns:
              id: { type: integer, primary_key: true }
          items:
            columns:
              id: { type: integer, primary_key: true }
              owner_id: { type: integer, references: owners(id) }
              qty: { type: integer, nullable: false, check: qty >= 0 }
              code: { type: text, unique: true }
              note: { type: text, nullable: false, backfill: none }
            indexes:
              - { name: items_owner_idx, columns: [owner_id] }
        """

    private func options(_ database: TestDatabase, _ path: String) -> ReconcileOptions {
        var options = ReconcileOptions(schemaPath: path, connection: ConnectionInfo(database.url), retries: 8)
        options.online = true
        options.retryDelay = 0.05
        return options
    }

    func testEveryOnlineStepKindConvergesOnTablesWithRows() throws {
        let database = try populated()
        let path = try writeSchema(everything)
        var started: [String] = []
        var phases: [Int] = []
        let result = try Reconciler(options: options(database, path)).apply { event in
            if case .stepStarted(let step) = event { started.append(step.change.kindName) }
            if case .phaseStarted(let phase, _) = event { phases.append(phase.number) }
        }
        XCTAssertEqual(
            Set(started),
            [
                "build_key_index_concurrently", "add_primary_key_using_index", "add_unique_using_index", "add_check",
                "validate_constraint", "set_not_null_from_check", "backfill_nulls", "create_index_concurrently",
                "add_foreign_key",
            ], started.joined(separator: ", "))
        XCTAssertEqual(result.executed.count, started.count)
        XCTAssertEqual(phases, Array(1...phases.count), "phases run in order, each once")
        // Keys own their concurrently built indexes; nothing is left unvalidated, INVALID or temporary (NOT NULL
        // constraints, which PostgreSQL 18 lists here, are checked through attnotnull below).
        XCTAssertEqual(
            try database.column(
                "SELECT conname || ':' || contype::text || ':' || convalidated FROM pg_constraint "
                    + "WHERE conrelid = 'items'::regclass AND contype <> 'n' ORDER BY conname"),
            ["items_code_key:u:true", "items_owner_id_fkey:f:true", "items_pkey:p:true", "items_qty_check:c:true"])
        XCTAssertEqual(try database.scalar("SELECT count(*) FROM pg_index WHERE NOT indisvalid"), "0")
        XCTAssertEqual(
            try database.column(
                "SELECT attname FROM pg_attribute WHERE attrelid = 'items'::regclass AND attnotnull AND attnum > 0 "
                    + "ORDER BY attname"), ["id", "note", "qty"])
        XCTAssertEqual(try database.scalar("SELECT count(*) FROM items WHERE note = 'none'"), "10000")
        XCTAssertTrue(try Reconciler(options: options(database, path)).check().inSync)
        XCTAssertEqual(try Reconciler(options: options(database, path)).apply().executed.count, 0)
    }

    /// The lock each step in a transaction shows is the one the server takes (as the case files check for the
    /// transactional plan): run one by one, each in its own transaction, the strongest mode `pg_locks` lists
    /// on the tables is the declared one. Steps outside transactions (`CONCURRENTLY`) just run.
    func testOnlineStepsTakeTheLocksTheyDeclare() throws {
        let database = try populated()
        let path = try writeSchema(everything)
        let plan = try Reconciler(options: options(database, path)).plan().plan
        let session = try Connection(ConnectionInfo(database.url), applicationName: "reconcile-tests")
        var checked: [String] = []
        for step in plan.steps {
            guard step.onlinePhase?.inTransaction == true else {
                for statement in step.statements { try session.query(statement) }
                continue
            }
            try session.query("BEGIN")
            for statement in step.statements { try session.query(statement) }
            let held = try session.query(
                """
                SELECT l.mode FROM pg_catalog.pg_locks l
                WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation'
                  AND l.relation IN ('items'::regclass, 'owners'::regclass)
                """
            ).rows.compactMap { $0.first ?? nil }
            try session.query("COMMIT")
            let observed = held.compactMap(TableLock.init(pgLocksMode:)).max() ?? .none
            XCTAssertEqual(observed, step.lock, "step \(step.number), \(step.summary), holds \(held)")
            checked.append(step.change.kindName)
        }
        XCTAssertEqual(
            Set(checked),
            [
                "add_primary_key_using_index", "add_unique_using_index", "add_check", "validate_constraint",
                "set_not_null_from_check", "backfill_nulls", "add_foreign_key",
            ])
        XCTAssertTrue(try database.reconciler(path).check().inSync)
    }

    func testANewNotNullColumnWithABackfillIsAddedOnline() throws {
        let database = try populated()
        let path = try writeSchema(
            """
            version: 1
            tables:
              items:
                columns: { id: { type: integer, nullable: false }, owner_id: integer, qty: integer, code: text,
                           note: text, status: { type: text, nullable: false, backfill: open } }
              owners:
                columns: { id: { type: integer, nullable: false } }
            """)
        let result = try Reconciler(options: options(database, path)).apply()
        XCTAssertEqual(
            result.executed.map(\.change.kindName),
            ["add_column", "backfill_nulls", "add_check", "validate_constraint", "set_not_null_from_check"])
        XCTAssertEqual(try database.scalar("SELECT count(*) FROM items WHERE status = 'open'"), "20000")
        XCTAssertEqual(
            try database.scalar(
                "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'status'"), "t")
        XCTAssertTrue(try database.reconciler(path).check().inSync)
    }

    func testAnInvalidIndexIsDriftAndIsRebuilt() throws {
        let database = try populated()
        // A unique build that fails on a duplicate leaves its index INVALID, as an interrupted one does.
        try database.execute("INSERT INTO items VALUES (1, 1, 1, 'c1', 'x')")
        XCTAssertThrowsError(try database.execute("CREATE UNIQUE INDEX CONCURRENTLY items_code_idx ON items (code)"))
        try database.execute("DELETE FROM items WHERE ctid = (SELECT max(ctid) FROM items WHERE code = 'c1')")
        XCTAssertEqual(
            try database.scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_code_idx'::regclass"), "f")
        let path = try writeSchema(
            """
            version: 1
            tables:
              items:
                columns: { id: { type: integer, nullable: false }, owner_id: integer, qty: integer, code: text, note: text }
                indexes:
                  - { name: items_code_idx, columns: [code], unique: true }
              owners:
                columns: { id: { type: integer, nullable: false } }
            """)
        let check = try database.reconciler(path).check()
        XCTAssertEqual(
            check.drift.map(\.change.driftDescription),
            [
                "index public.items/items_code_idx is INVALID (an interrupted CREATE INDEX CONCURRENTLY): "
                    + "it must be rebuilt"
            ])
        // Both plans rebuild it: the transactional one in its transaction, the online one concurrently.
        XCTAssertEqual(
            try database.reconciler(path).plan().plan.steps.map(\.change.kindName),
            ["drop_invalid_index", "create_index"])
        let online = try Reconciler(options: options(database, path)).plan().plan
        XCTAssertEqual(
            online.steps.map(\.statements),
            [
                ["DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"items_code_idx\""],
                [
                    "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"items_code_idx\" ON \"public\".\"items\" "
                        + "USING btree (\"code\")"
                ],
            ])
        try Reconciler(options: options(database, path)).apply()
        XCTAssertEqual(
            try database.scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_code_idx'::regclass"), "t")
        XCTAssertTrue(try database.reconciler(path).check().inSync)
    }

    /// SIGKILL while `CREATE INDEX CONCURRENTLY` waits for a writer's transaction: the server stops the build
    /// (client_connection_check_interval), the index stays INVALID, and the next run drops and rebuilds it.
    func testAKillDuringAConcurrentBuildLeavesAnInvalidIndexThatTheNextRunRebuilds() throws {
        let database = try populated()
        let path = try writeSchema(
            """
            version: 1
            tables:
              items:
                columns: { id: { type: integer, nullable: false }, owner_id: integer, qty: integer, code: text, note: text }
                indexes:
                  - { name: items_owner_idx, columns: [owner_id] }
              owners:
                columns: { id: { type: integer, nullable: false } }
            """)
        let writer = try Connection(ConnectionInfo(database.url), applicationName: "reconcile-tests")
        try writer.query("BEGIN")
        try writer.query("INSERT INTO items VALUES (0, 1, 1, 'w', 'w')")
        let run = try CLI.start(["--apply", "--online", "--schema", path, "--database-url", database.url])
        try waitFor("the build to wait for the writer") {
            try database.scalar(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'reconcile' AND wait_event_type = 'Lock' "
                    + "AND query LIKE 'CREATE INDEX CONCURRENTLY%'") == "1"
        }
        kill(run.0.processIdentifier, SIGKILL)
        let killed = CLI.finish(run)
        XCTAssertEqual(killed.exitCode, SIGKILL)
        XCTAssertTrue(killed.stdout.contains("Phase 1 of 1: concurrent index builds"), killed.stdout)
        try waitFor("the server to end the killed run's session") {
            try database.scalar("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'reconcile'") == "0"
        }
        try writer.query("COMMIT")
        XCTAssertEqual(
            try database.scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_owner_idx'::regclass"), "f")
        let check = try CLI.run(["--check", "--schema", path, "--database-url", database.url])
        XCTAssertEqual(check.exitCode, 2)
        XCTAssertTrue(check.stdout.contains("items_owner_idx is INVALID"), check.stdout)

        let rerun = try CLI.run(["--apply", "--online", "--schema", path, "--database-url", database.url])
        XCTAssertEqual(rerun.exitCode, 0, rerun.stdout + rerun.stderr)
        XCTAssertTrue(rerun.stdout.contains("drop INVALID index items_owner_idx"), rerun.stdout)
        XCTAssertEqual(
            try database.scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_owner_idx'::regclass"), "t")
        XCTAssertEqual(try CLI.run(["--check", "--schema", path, "--database-url", database.url]).exitCode, 0)
    }

    /// SIGKILL after the index phase, while the foreign key waits for a lock another session holds: the index
    /// stays, the key is not there, and the next run does only the key.
    func testAKillBetweenPhasesKeepsWhatWasCommittedAndTheNextRunDoesTheRest() throws {
        let database = try populated()
        try database.execute("ALTER TABLE owners ADD PRIMARY KEY (id)")
        let path = try writeSchema(
            """
            version: 1
            tables:
              owners:
                columns:
                  id: { type: integer, primary_key: true }
              items:
                columns: { id: { type: integer, nullable: false }, owner_id: { type: integer, references: owners(id) },
                           qty: integer, code: text, note: text }
                indexes:
                  - { name: items_owner_idx, columns: [owner_id] }
            """)
        // Adding the foreign key needs SHARE ROW EXCLUSIVE on owners too, which this lock holds off.
        let holder = try Connection(ConnectionInfo(database.url), applicationName: "reconcile-tests")
        try holder.query("BEGIN")
        try holder.query("LOCK TABLE owners IN ROW EXCLUSIVE MODE")
        let run = try CLI.start([
            "--apply", "--online", "--lock-timeout", "100ms", "--retries", "100", "--schema", path, "--database-url",
            database.url,
        ])
        try waitFor("the index phase to finish") {
            try database.scalar(
                "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                    + "WHERE c.relname = 'items_owner_idx' AND i.indisvalid") == "1"
        }
        Thread.sleep(forTimeInterval: 0.5)
        kill(run.0.processIdentifier, SIGKILL)
        let killed = CLI.finish(run)
        XCTAssertEqual(killed.exitCode, SIGKILL)
        XCTAssertTrue(killed.stdout.contains("Phase 2 of 3: short transactions"), killed.stdout)
        XCTAssertTrue(killed.stdout.contains("retrying this step"), killed.stdout)
        try holder.query("ROLLBACK")
        XCTAssertEqual(try database.scalar("SELECT count(*) FROM pg_constraint WHERE contype = 'f'"), "0")

        let plan = try Reconciler(options: options(database, path)).plan().plan
        XCTAssertEqual(plan.steps.map(\.change.kindName), ["add_foreign_key", "validate_constraint"])
        let rerun = try CLI.run(["--apply", "--online", "--schema", path, "--database-url", database.url])
        XCTAssertEqual(rerun.exitCode, 0, rerun.stdout + rerun.stderr)
        XCTAssertEqual(try database.scalar("SELECT convalidated FROM pg_constraint WHERE contype = 'f'"), "t")
        XCTAssertEqual(try CLI.run(["--check", "--schema", path, "--database-url", database.url]).exitCode, 0)
    }

    /// A unique build that fails on a duplicate a writer committed during the build (pre-flight saw none):
    /// the error names the phase, step, SQL and SQLSTATE, what stays committed and the INVALID index left;
    /// once the duplicate is gone, the next run rebuilds the index.
    func testAFailedConcurrentBuildSaysWhatItLeftAndTheNextRunFinishes() throws {
        let database = try populated()
        let path = try writeSchema(
            """
            version: 1
            tables:
              items:
                columns: { id: { type: integer, nullable: false }, owner_id: integer, qty: integer, code: text,
                           note: text }
                indexes:
                  - { name: items_code_idx, columns: [code], unique: true }
              owners:
                columns: { id: { type: integer, nullable: false, check: id > 0 } }
            """)
        // The writer holds items only: the check on owners commits first, the build then waits for the writer.
        let writer = try Connection(ConnectionInfo(database.url), applicationName: "reconcile-tests")
        try writer.query("BEGIN")
        try writer.query("INSERT INTO items VALUES (0, 1, 1, 'c1', 'w')")
        let run = try CLI.start(["--apply", "--online", "--schema", path, "--database-url", database.url])
        try waitFor("the build to wait for the writer") {
            try database.scalar(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'reconcile' AND wait_event_type = 'Lock' "
                    + "AND query LIKE 'CREATE UNIQUE INDEX CONCURRENTLY%'") == "1"
        }
        try writer.query("COMMIT")
        let failed = CLI.finish(run)
        XCTAssertEqual(failed.exitCode, 1)
        XCTAssertTrue(failed.stdout.contains("Committed (stays): 1, 2\nFailed: 3, in phase 3 of 3"), failed.stdout)
        for expected in [
            "error: phase 3 of 3 (concurrent index builds and drops, outside any transaction) failed at step 3: "
                + "public.items: create unique index items_code_idx CONCURRENTLY",
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"items_code_idx\"", "(SQLSTATE 23505)",
            "The index items_code_idx may be left INVALID (pg_index.indisvalid = false); the next run drops it",
            "Committed before it, and kept: steps 1, 2.",
        ] {
            XCTAssertTrue(failed.stderr.contains(expected), "missing \(expected) in:\n\(failed.stderr)")
        }
        XCTAssertEqual(
            try database.scalar("SELECT convalidated FROM pg_constraint WHERE conname = 'owners_id_check'"), "t")
        XCTAssertEqual(
            try database.scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_code_idx'::regclass"), "f")
        try database.execute("DELETE FROM items WHERE id = 0")
        let rerun = try CLI.run(["--apply", "--online", "--schema", path, "--database-url", database.url])
        XCTAssertEqual(rerun.exitCode, 0, rerun.stdout + rerun.stderr)
        XCTAssertEqual(
            try database.scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_code_idx'::regclass"), "t")
    }

    /// A key whose index was built before the run stopped takes that index over; a NOT NULL whose check was
    /// added before the run stopped keeps and finishes it. Neither is dropped as undeclared.
    func testARunStoppedMidwayThroughAKeyOrANotNullIsFinished() throws {
        let database = try populated()
        try database.execute(
            """
            CREATE UNIQUE INDEX items_code_key ON items (code);
            ALTER TABLE items ADD CONSTRAINT reconcile_not_null_qty CHECK (qty IS NOT NULL) NOT VALID;
            """)
        let path = try writeSchema(
            """
            version: 1
            tables:
              items:
                columns:
                  id: { type: integer, nullable: false }
                  owner_id: integer
                  qty: { type: integer, nullable: false }
                  code: { type: text, unique: true }
                  note: text
              owners:
                columns: { id: { type: integer, nullable: false } }
            """)
        let plan = try Reconciler(options: options(database, path)).plan().plan
        XCTAssertEqual(plan.blocked.map(\.summary), [], "nothing left behind is dropped as undeclared")
        XCTAssertEqual(
            plan.steps.map(\.change.kindName),
            [
                "add_check", "validate_constraint", "set_not_null_from_check", "build_key_index_concurrently",
                "add_unique_using_index",
            ])
        let indexBefore = try database.scalar("SELECT 'items_code_key'::regclass::oid")
        try Reconciler(options: options(database, path)).apply()
        XCTAssertEqual(
            try database.scalar("SELECT conindid FROM pg_constraint WHERE conname = 'items_code_key'"), indexBefore)
        XCTAssertEqual(try database.scalar("SELECT count(*) FROM pg_constraint WHERE conname LIKE 'reconcile_%'"), "0")
        XCTAssertTrue(try database.reconciler(path).check().inSync)
    }

    /// A competing session holds a lock briefly: the waiting step is rolled back and retried until it gets
    /// the lock; the steps before it are not run again.
    func testALockTimeoutRetriesOnlyTheStepThatWaited() throws {
        let database = try populated()
        let path = try writeSchema(
            """
            version: 1
            tables:
              items:
                columns: { id: { type: integer, nullable: false }, owner_id: integer,
                           qty: { type: integer, check: qty >= 0 }, code: text, note: text }
                indexes:
                  - { name: items_owner_idx, columns: [owner_id] }
              owners:
                columns: { id: { type: integer, nullable: false } }
            """)
        let holder = try Connection(ConnectionInfo(database.url), applicationName: "reconcile-tests")
        try holder.query("BEGIN")
        try holder.query("SELECT count(*) FROM items")  // ACCESS SHARE: the check's ACCESS EXCLUSIVE waits
        var options = options(database, path)
        options.lockTimeout = 0.1
        var started: [Int] = [], retries: [Int] = []
        let result = try Reconciler(options: options).apply { event in
            if case .stepStarted(let step) = event { started.append(step.number) }
            if case .stepRetrying(let step, let attempt, _, _, _) = event {
                retries.append(step.number)
                if attempt == 2 { _ = try? holder.query("COMMIT") }
            }
        }
        XCTAssertEqual(
            result.executed.map(\.change.kindName), ["add_check", "validate_constraint", "create_index_concurrently"])
        XCTAssertEqual(started, [1, 2, 3], "each step started once")
        XCTAssertEqual(retries, [1, 1], "only the step that waited was retried, twice")
        XCTAssertTrue(try database.reconciler(path).check().inSync)
    }

    /// `--timeout` ends an online run that keeps waiting for a lock: the error says which steps stay committed.
    func testATimeoutSaysWhatStaysCommitted() throws {
        let database = try populated()
        let path = try writeSchema(
            """
            version: 1
            tables:
              items:
                columns: { id: { type: integer, nullable: false }, owner_id: integer,
                           qty: { type: integer, check: qty >= 0 }, code: text, note: text }
              owners:
                columns: { id: { type: integer, nullable: false, check: id > 0 } }
            """)
        let holder = try Connection(ConnectionInfo(database.url), applicationName: "reconcile-tests")
        try holder.query("BEGIN")
        try holder.query("LOCK TABLE owners IN ROW EXCLUSIVE MODE")
        let result = try CLI.run([
            "--apply", "--online", "--timeout", "2s", "--lock-timeout", "300ms", "--schema", path, "--database-url",
            database.url,
        ])
        try holder.query("ROLLBACK")
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertTrue(result.stdout.contains("Committed (stays): 1, 2\nFailed: 3, in phase 3 of 4"), result.stdout)
        XCTAssertTrue(
            result.stderr.contains("failed at step 3: public.owners: add check owners_id_check"), result.stderr)
        XCTAssertTrue(result.stderr.contains("Committed before it, and kept: steps 1, 2."), result.stderr)
        // The last wait either ran into --timeout (cancelled) or would have: both are said.
        XCTAssertTrue(
            result.stderr.contains("(SQLSTATE 57014)")
                || result.stderr.contains("one more would have run past --timeout"),
            result.stderr)
        XCTAssertEqual(
            try database.scalar("SELECT convalidated FROM pg_constraint WHERE conname = 'items_qty_check'"), "t")
        XCTAssertEqual(try database.scalar("SELECT count(*) FROM pg_constraint WHERE conname = 'owners_id_check'"), "0")
    }

    func testTableRewritesAreRefusedUnlessAllowed() throws {
        let database = try populated()
        let path = try writeSchema(
            """
            version: 1
            tables:
              items:
                columns: { id: { type: bigint, nullable: false }, owner_id: integer, qty: integer, code: text, note: text }
              owners:
                columns: { id: { type: integer, nullable: false } }
            """)
        let refused = try CLI.run(["--apply", "--online", "--schema", path, "--database-url", database.url])
        XCTAssertEqual(refused.exitCode, 1)
        XCTAssertTrue(refused.stderr.contains("refusing to apply online"), refused.stderr)
        XCTAssertTrue(
            refused.stderr.contains("blocks reads and writes while it rewrites or scans the table"), refused.stderr)
        XCTAssertEqual(
            try database.scalar(
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'id'"
            ), "integer")
        let plan = try CLI.run(["--plan", "--online", "--schema", path, "--database-url", database.url])
        XCTAssertTrue(plan.stdout.contains("Refused by --online"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("~20000 rows, about 1 s"), plan.stdout)

        let allowed = try CLI.run([
            "--apply", "--online", "--allow-rewrites", "--schema", path, "--database-url", database.url,
        ])
        XCTAssertEqual(allowed.exitCode, 0, allowed.stdout + allowed.stderr)
        XCTAssertEqual(
            try database.scalar(
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'id'"
            ), "bigint")
    }

    func testASavedOnlinePlanAppliesOnline() throws {
        let database = try populated()
        let path = try writeSchema(everything)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("online-\(UUID().uuidString).json").path
        let saved = try CLI.run(["--plan", "--online", "--out", out, "--schema", path, "--database-url", database.url])
        XCTAssertEqual(saved.exitCode, 0, saved.stderr)
        let document = try PlanDocument.decode(try Data(contentsOf: URL(fileURLWithPath: out)))
        XCTAssertEqual(document.online, true)
        XCTAssertEqual(document.state?.online, true)
        let build = try XCTUnwrap(document.steps.first { $0.kind == "create_index_concurrently" })
        XCTAssertEqual(build.inTransaction, false)
        XCTAssertEqual(build.phaseKind, "concurrent-indexes")
        XCTAssertNotNil(build.phase)

        let mixed = try CLI.run([
            "--apply", "--online", "--plan-file", out, "--schema", path, "--database-url", database.url,
        ])
        XCTAssertEqual(mixed.exitCode, 64, "the saved plan says how it runs")
        let applied = try CLI.run(["--apply", "--plan-file", out, "--schema", path, "--database-url", database.url])
        XCTAssertEqual(applied.exitCode, 0, applied.stdout + applied.stderr)
        XCTAssertTrue(applied.stdout.contains("Phase 1 of"), applied.stdout)
        XCTAssertTrue(applied.stdout.contains("online, each committed on its own"), applied.stdout)
        XCTAssertTrue(try database.reconciler(path).check().inSync)
    }

    private func waitFor(_ what: String, timeout: TimeInterval = 30, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTFail("timed out waiting for \(what)")
        throw CancellationError()
    }
}
