import XCTest

@testable import ReconcileCore

/// The online form of a plan: which change becomes which steps, in which phase; what is refused; what a run
/// stopped midway left that the next plan completes; and how each renderer shows the phases.
final class OnlinePlannerTests: XCTestCase {
    private let t = QualifiedName(name: "t")
    private let u = QualifiedName(name: "u")

    private var liveTable: Table {
        var table = Table(
            name: t,
            columns: [
                Column(name: "id", type: "integer", isNullable: false), Column(name: "x", type: "integer"),
                Column(name: "code", type: "text"),
            ])
        table.estimatedRows = 3_000_000
        return table
    }

    private func online(
        _ kinds: [Change.Kind], live: [Table]? = nil, allowRewrites: Bool = false, allowDestructive: Bool = false
    ) -> Plan {
        let live = Schema(schemaNames: ["public"], tables: live ?? [liveTable])
        var plan = Planner.plan(kinds.map { Change($0) }, allowDestructive: allowDestructive)
        for index in plan.steps.indices { plan.steps[index].estimatedRows = 3_000_000 }
        return OnlinePlanner.online(plan, live: live, allowRewrites: allowRewrites)
    }

    private func shape(_ plan: Plan) -> [String] {
        plan.steps.map { "\($0.number) \($0.onlinePhase?.rawValue ?? "-") \($0.change.kindName)" }
    }

    func testEachChangeBecomesStepsThatHoldNoLongLock() {
        let fk = ForeignKey(name: "t_x_fkey", columns: ["x"], referencedTable: u, referencedColumns: ["id"])
        let plan = online([
            .column(.setNotNull(t, column: "x", backfill: .number("0"), type: "integer")),
            .constraint(.addUnique(t, UniqueConstraint(name: "t_code_key", columns: ["code"]))),
            .constraint(.addCheck(t, CheckConstraint(name: "t_x_check", expression: "x > 0"))),
            .index(.createIndex(t, Index(name: "t_x_idx", keys: [.column("x")]))),
            .constraint(.addForeignKey(t, fk)),
        ])
        XCTAssertEqual(
            shape(plan),
            [
                "1 backfill backfill_nulls", "2 short-locks add_check", "3 validation validate_constraint",
                "4 short-locks set_not_null_from_check", "5 concurrent-indexes build_key_index_concurrently",
                "6 short-locks add_unique_using_index", "7 short-locks add_check", "8 validation validate_constraint",
                "9 concurrent-indexes create_index_concurrently", "10 short-locks add_foreign_key",
                "11 validation validate_constraint",
            ])
        XCTAssertTrue(plan.isOnline)
        XCTAssertEqual(plan.phases.map(\.number), Array(1...10))
        XCTAssertEqual(plan.phases[5].steps.map(\.number), [6, 7], "consecutive steps of one kind share a phase")
        XCTAssertEqual(
            plan.steps.flatMap(\.statements).filter { $0.contains("NOT VALID") }.count, 3,
            "the NOT NULL check, the check and the foreign key are added NOT VALID")
        XCTAssertEqual(
            plan.steps[3].statements,
            [
                "ALTER TABLE \"public\".\"t\" ALTER COLUMN \"x\" SET NOT NULL",
                "ALTER TABLE \"public\".\"t\" DROP CONSTRAINT IF EXISTS \"reconcile_not_null_x\"",
            ])
        XCTAssertEqual(
            plan.steps[4].statements,
            ["CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"t_code_key\" ON \"public\".\"t\" USING btree (\"code\")"]
        )
        XCTAssertTrue(
            plan.steps[5].statements[0].contains("ADD CONSTRAINT \"t_code_key\" UNIQUE USING INDEX \"t_code_key\""))
        XCTAssertEqual(
            plan.steps[8].statements,
            ["CREATE INDEX CONCURRENTLY IF NOT EXISTS \"t_x_idx\" ON \"public\".\"t\" USING btree (\"x\")"])
        XCTAssertEqual(plan.refusedOnline.count, 0)
        // None of the steps takes a lock that blocks writes while it scans.
        XCTAssertEqual(plan.steps.compactMap(OnlinePlanner.lockedScan), [])
    }

    func testANewNotNullColumnWithABackfillIsAddedNullableFilledAndThenMadeNotNull() {
        var column = Column(name: "status", type: "text", isNullable: false)
        column.backfill = .string("open")
        let plan = online([.column(.addColumn(t, column))])
        XCTAssertEqual(
            shape(plan),
            [
                "1 short-locks add_column", "2 backfill backfill_nulls", "3 short-locks add_check",
                "4 validation validate_constraint", "5 short-locks set_not_null_from_check",
            ])
        XCTAssertEqual(
            plan.steps[0].statements, ["ALTER TABLE \"public\".\"t\" ADD COLUMN IF NOT EXISTS \"status\" text"])
        XCTAssertEqual(
            plan.steps[1].statements, ["UPDATE \"public\".\"t\" SET \"status\" = 'open' WHERE \"status\" IS NULL"])
        XCTAssertEqual(plan.refusedOnline.count, 0)
    }

    func testAPrimaryKeyUsesAConcurrentlyBuiltIndex() {
        let plan = online([.constraint(.addPrimaryKey(t, PrimaryKey(name: "t_pkey", columns: ["id"])))])
        XCTAssertEqual(
            shape(plan),
            ["1 concurrent-indexes build_key_index_concurrently", "2 short-locks add_primary_key_using_index"])
        XCTAssertTrue(
            plan.steps[1].statements[0].contains("ADD CONSTRAINT \"t_pkey\" PRIMARY KEY USING INDEX \"t_pkey\""))
    }

    /// The index built for a key carries its INCLUDE columns and storage parameters, which the key keeps when it
    /// takes the index over; a leftover index of a stopped run is adopted only with the same ones.
    func testAKeyIndexIsBuiltWithItsIncludeColumnsAndStorageParameters() {
        let key = PrimaryKey(
            name: "t_pkey", columns: ["id"],
            index: KeyIndexOptions(
                include: ["code"], storageParameters: [StorageParameter(name: "fillfactor", value: "70")]))
        let plan = online([.constraint(.addPrimaryKey(t, key))])
        XCTAssertEqual(
            plan.steps[0].statements,
            [
                "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"t_pkey\" ON \"public\".\"t\" USING btree (\"id\") "
                    + "INCLUDE (\"code\") WITH (fillfactor='70')"
            ])
        XCTAssertTrue(
            plan.steps[1].statements[0].contains("ADD CONSTRAINT \"t_pkey\" PRIMARY KEY USING INDEX \"t_pkey\""))

        // What a run stopped after the build leaves: an index the differ would drop, kept when it is the key's.
        var leftover = liveTable
        leftover.indexes = [
            Index(
                name: "t_pkey", keys: [], isUnique: true,
                canonicalDefinition: "USING btree (id) INCLUDE (code) WITH (fillfactor='70')")
        ]
        let kinds: [Change.Kind] = [
            .index(.dropIndex(t, name: "t_pkey", replaced: false)), .constraint(.addPrimaryKey(t, key)),
        ]
        XCTAssertEqual(
            online(kinds, live: [leftover], allowDestructive: true).steps.map(\.change.kindName),
            ["build_key_index_concurrently", "add_primary_key_using_index"])
        leftover.indexes[0].canonicalDefinition = "USING btree (id) INCLUDE (code)"
        XCTAssertEqual(
            online(kinds, live: [leftover], allowDestructive: true).steps.map(\.change.kindName),
            ["drop_index_concurrently", "build_key_index_concurrently", "add_primary_key_using_index"],
            "an index without the key's storage parameters is no leftover")
    }

    func testStepsOnTablesThePlanCreatesStayAsTheyAre() {
        let table = Table(name: u, columns: [Column(name: "id", type: "integer")])
        let plan = online([
            .table(.createTable(table, inlineForeignKeys: [])),
            .index(.createIndex(u, Index(name: "u_id_idx", keys: [.column("id")]))),
        ])
        XCTAssertEqual(shape(plan), ["1 short-locks create_table", "2 short-locks create_index"])
        XCTAssertFalse(plan.steps[1].statements[0].contains("CONCURRENTLY"))
    }

    func testRewritesAreRefusedWithAnEstimateUnlessAllowed() {
        let change = Change.Kind.column(.alterColumnType(t, column: "x", from: "integer", to: "bigint", lossy: false))
        let refused = online([change])
        XCTAssertEqual(
            refused.refusedOnline.map(\.onlineRefusal),
            [
                "blocks reads and writes while it rewrites or scans the table (~3000000 rows, about 3 s); --online "
                    + "refuses it (run it with --allow-rewrites, or expand/contract: see the README)"
            ])
        XCTAssertEqual(online([change], allowRewrites: true).refusedOnline.count, 0)
        let exclusion = online([
            .constraint(.addExclusion(t, ExclusionConstraint(name: "t_x_excl", definition: "USING gist (x WITH =)")))
        ])
        XCTAssertEqual(exclusion.refusedOnline.count, 1, "an exclusion constraint builds its index under the lock")
    }

    /// PostgreSQL builds no index `CONCURRENTLY` on a partitioned table and adds no foreign key `NOT VALID` to
    /// one: those steps keep their plain form and are refused (they build or scan under the lock); a check
    /// and NOT NULL still go the online way.
    func testAPartitionedTableKeepsPlainIndexAndForeignKeySteps() {
        var parent = liveTable
        parent.partitionBy = "RANGE (id)"
        let fk = ForeignKey(name: "t_x_fkey", columns: ["x"], referencedTable: u, referencedColumns: ["id"])
        let plan = online(
            [
                .column(.setNotNull(t, column: "x", backfill: nil, type: "integer")),
                .index(.createIndex(t, Index(name: "t_x_idx", keys: [.column("x")]))),
                .constraint(.addForeignKey(t, fk)),
            ], live: [parent])
        XCTAssertEqual(
            shape(plan),
            [
                "1 short-locks add_check", "2 validation validate_constraint", "3 short-locks set_not_null_from_check",
                "4 short-locks create_index", "5 short-locks add_foreign_key",
            ])
        XCTAssertEqual(plan.refusedOnline.map(\.number), [4, 5])
        XCTAssertFalse(plan.steps[3].statements[0].contains("CONCURRENTLY"))
    }

    /// What a run stopped between building a key's index and attaching it left is adopted, not dropped; the
    /// temporary NOT NULL check of a stopped run is kept for the steps that finish it.
    func testWhatAStoppedRunLeftIsCompletedNotDropped() {
        var live = liveTable
        live.indexes = [
            Index(name: "t_code_key", keys: [], isUnique: true, canonicalDefinition: "USING btree (code)"),
            Index(name: "t_other", keys: [], isUnique: true, canonicalDefinition: "USING btree (x)"),
        ]
        live.checks = [
            CheckConstraint(name: "reconcile_not_null_x", expression: "CHECK ((x IS NOT NULL))", notValid: true)
        ]
        let plan = online(
            [
                .index(.dropIndex(t, name: "t_code_key", replaced: false)),
                .index(.dropIndex(t, name: "t_other", replaced: false)),
                .constraint(.dropConstraint(t, name: "reconcile_not_null_x", replaced: false)),
                .column(.setNotNull(t, column: "x", backfill: nil, type: "integer")),
                .constraint(.addUnique(t, UniqueConstraint(name: "t_code_key", columns: ["code"]))),
            ], live: [live])
        XCTAssertEqual(plan.blocked.map(\.summary), ["drop index t_other"], "an index of another shape is no leftover")
        XCTAssertEqual(
            shape(plan),
            [
                "1 short-locks add_check", "2 validation validate_constraint", "3 short-locks set_not_null_from_check",
                "4 concurrent-indexes build_key_index_concurrently", "5 short-locks add_unique_using_index",
            ])
        XCTAssertEqual(plan.blocked.map(\.number), [6])
    }

    func testAnInvalidIndexIsDroppedAndBuiltAgain() {
        var live = liveTable
        var invalid = Index(name: "t_x_idx", keys: [], canonicalDefinition: "USING btree (x)")
        invalid.isInvalid = true
        live.indexes = [invalid]
        var desired = liveTable
        desired.indexes = [Index(name: "t_x_idx", keys: [.column("x")])]
        var canonical = desired
        canonical.indexes[0].canonicalDefinition = "USING btree (x)"
        let changes = Differ(
            desired: Schema(schemaNames: ["public"], tables: [desired]),
            canonical: Schema(schemaNames: ["public"], tables: [canonical]),
            live: Schema(schemaNames: ["public"], tables: [live])
        ).changes()
        let plan = Planner.plan(changes, allowDestructive: false)
        XCTAssertEqual(plan.steps.map(\.change.kindName), ["drop_invalid_index", "create_index"])
        XCTAssertEqual(
            plan.differences.map(\.change.driftDescription),
            ["index public.t/t_x_idx is INVALID (an interrupted CREATE INDEX CONCURRENTLY): it must be rebuilt"])
        let online = OnlinePlanner.online(
            plan, live: Schema(schemaNames: ["public"], tables: [live]), allowRewrites: false)
        XCTAssertEqual(
            online.steps.map(\.statements),
            [
                ["DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"t_x_idx\""],
                ["CREATE INDEX CONCURRENTLY IF NOT EXISTS \"t_x_idx\" ON \"public\".\"t\" USING btree (\"x\")"],
            ])
        XCTAssertEqual(online.phases.count, 1)
    }

    func testTheNotNullCheckNameFitsPostgreSQLsLimit() {
        XCTAssertEqual(OnlineChange.notNullCheckName(column: "x"), "reconcile_not_null_x")
        XCTAssertEqual(OnlineChange.notNullCheckName(column: String(repeating: "é", count: 60)).utf8.count, 63)
    }

    func testEveryFormatShowsThePhases() throws {
        let plan = online([
            .constraint(.addCheck(t, CheckConstraint(name: "t_x_check", expression: "x > 0"))),
            .index(.createIndex(t, Index(name: "t_x_idx", keys: [.column("x")]))),
            .column(.alterColumnType(t, column: "code", from: "text", to: "varchar(10)", lossy: false)),
        ])
        let text = PlanTextRenderer.render(plan)
        XCTAssertTrue(text.contains("Phase 2: validation of existing rows"), text)
        XCTAssertTrue(text.contains("Phase 3: concurrent index builds and drops, outside any transaction"), text)
        XCTAssertTrue(text.contains("Refused by --online"), text)
        XCTAssertTrue(
            text.contains(
                "+ 2. add check t_x_check  [ACCESS EXCLUSIVE lock: blocks reads and writes, for a moment (no scan)"),
            text)
        XCTAssertFalse(
            text.contains("varchar(10)  [ACCESS EXCLUSIVE lock: blocks reads and writes, for a moment"), text)
        let markdown = PlanMarkdownRenderer.render(plan)
        XCTAssertTrue(markdown.contains("**Online plan in 3 phases:**"), markdown)
        XCTAssertTrue(
            markdown.contains("3. concurrent index builds and drops, outside any transaction: step 4"), markdown)
        XCTAssertTrue(markdown.contains("**Refused by `--online` (1):**"), markdown)
        let sql = PlanSQLRenderer.render(plan)
        XCTAssertTrue(sql.contains("BEGIN;\n-- 3. public.t: validate check t_x_check"), sql)
        XCTAssertTrue(
            sql.contains("-- Phase 3: concurrent index builds and drops, outside any transaction\n\n-- 4."), sql)
        XCTAssertFalse(sql.contains("BEGIN;\n-- 4."), "CONCURRENTLY outside any transaction")
        let document = PlanDocument(
            plan: plan, mode: "plan", timeouts: PlanDocument.Timeouts(lockTimeoutMs: 1000, statementTimeoutMs: 0))
        XCTAssertEqual(document.online, true)
        XCTAssertEqual(document.steps.map(\.phase), [1, 1, 2, 3])
        XCTAssertEqual(
            document.steps.map(\.phaseKind), ["short-locks", "short-locks", "validation", "concurrent-indexes"])
        XCTAssertEqual(document.steps.map(\.inTransaction), [true, true, true, false])
        XCTAssertNotNil(document.steps[0].onlineRefusal)
        let decoded = try PlanDocument.decode(Data(document.json().utf8))
        XCTAssertEqual(decoded, document)
        // A plan that is not online keeps its JSON as it was: no phase fields at all.
        let plain = PlanDocument(
            plan: Planner.plan(
                [Change(.index(.createIndex(t, Index(name: "i", keys: [.column("x")]))))], allowDestructive: false),
            mode: "plan", timeouts: PlanDocument.Timeouts(lockTimeoutMs: 1000, statementTimeoutMs: 0)
        ).json()
        XCTAssertFalse(plain.contains("phase"), plain)
        XCTAssertFalse(plain.contains("online"), plain)
    }
}
