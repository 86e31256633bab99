import XCTest

@testable import ReconcileCore

/// Ordering changes into phases, holding back destructive steps, numbering, and hazards.
final class PlannerTests: XCTestCase {
    private let t = QualifiedName(name: "t")
    private let u = QualifiedName(name: "u")

    private var table: Table {
        Table(
            name: t, columns: [Column(name: "id", type: "integer", isNullable: false)],
            primaryKey: PrimaryKey(name: "t_pkey", columns: ["id"]),
            seed: Seed(key: ["id"], rows: [SeedRow(values: [("id", .number("1"))])]))
    }

    private var fk: ForeignKey {
        ForeignKey(name: "t_u_fkey", columns: ["id"], referencedTable: u, referencedColumns: ["id"])
    }

    /// One change of every phase, listed in reverse phase order.
    private var everyPhaseReversed: [Change.Kind] {
        [
            .table(.dropTable(u)),
            .seed(.seedRows(table, rows: table.seed!.rows, mode: .insertMissing)),
            .constraint(.addForeignKey(t, fk)),
            .index(.createIndex(t, Index(name: "t_x_idx", keys: [.column("x")]))),
            .constraint(.addCheck(t, CheckConstraint(name: "t_x_check", expression: "x > 0"))),
            setNotNullKind(t, "x", type: "integer"),
            .column(.addColumn(t, Column(name: "x", type: "integer"))),
            .table(.createTable(table, inlineForeignKeys: [])),
            .type(.createEnum(EnumType(name: QualifiedName(schema: "s", name: "mood"), values: ["ok"]))),
            .schema(.createSchema("s")),
        ]
    }

    func testPhasesRunInFixedOrder() {
        let plan = Planner.plan(everyPhaseReversed.map { Change($0) }, allowDestructive: true)
        XCTAssertEqual(
            plan.steps.map(\.change.phase),
            [
                .schemas, .types, .tables, .columns, .columnChanges, .constraints,
                .indexes, .foreignKeys, .seeds, .destructive,
            ])
        XCTAssertEqual(plan.steps.map(\.change.kind), everyPhaseReversed.reversed())
        XCTAssertEqual(plan.steps.map(\.number), Array(1...10))
        XCTAssertEqual(plan.blocked, [])
    }

    func testPhaseOfEachChangeKind() {
        let expected: [(Change.Kind, Change.Phase)] = [
            (.schema(.createSchema("s")), .schemas),
            (.table(.createTable(table, inlineForeignKeys: [])), .tables),
            (.column(.addColumn(t, Column(name: "x", type: "integer"))), .columns),
            (alterTypeKind(t, "x", from: "integer", to: "bigint"), .columnChanges),
            (.column(.setDefault(t, column: "x", .literal(.number("1")))), .columnChanges),
            (.column(.dropDefault(t, column: "x")), .columnChanges),
            (setNotNullKind(t, "x", type: "integer"), .columnChanges),
            (.column(.dropNotNull(t, column: "x")), .columnChanges),
            (.column(.addIdentity(t, column: "x", .always)), .columnChanges),
            (.column(.setIdentity(t, column: "x", .byDefault)), .columnChanges),
            (.column(.dropIdentity(t, column: "x")), .columnChanges),
            (.constraint(.addPrimaryKey(t, PrimaryKey(name: "p", columns: ["id"]))), .constraints),
            (.constraint(.addUnique(t, UniqueConstraint(name: "k", columns: ["id"]))), .constraints),
            (.constraint(.addCheck(t, CheckConstraint(name: "c", expression: "id > 0"))), .constraints),
            (
                .constraint(.addExclusion(t, ExclusionConstraint(name: "x", definition: "USING gist (r WITH &&)"))),
                .constraints
            ),
            (.constraint(.renameConstraint(t, from: "a", to: "b")), .constraints),
            (.constraint(.dropConstraint(t, name: "c", replaced: true)), .drops),
            (.constraint(.dropConstraint(t, name: "c", replaced: false)), .drops),
            (.constraint(.addForeignKey(t, fk)), .foreignKeys),
            (.index(.createIndex(t, Index(name: "i", keys: [.column("id")]))), .indexes),
            (.index(.renameIndex(t, from: "a", to: "b")), .indexes),
            (.index(.dropIndex(t, name: "i", replaced: true)), .drops),
            (.index(.dropIndex(t, name: "i", replaced: false)), .drops),
            (.seed(.seedRows(table, rows: [], mode: .enforce)), .seeds),
            (.column(.dropColumn(t, column: "x")), .drops),
            (.table(.dropTable(t)), .destructive),
        ]
        // Drops that lose something need --allow-destructive; a replaced constraint or index loses nothing.
        let destructive: [Change.Kind] = [
            .constraint(.dropConstraint(t, name: "c", replaced: false)),
            .index(.dropIndex(t, name: "i", replaced: false)),
            .column(.dropColumn(t, column: "x")), .table(.dropTable(t)),
        ]
        for (kind, phase) in expected {
            XCTAssertEqual(Change(kind).phase, phase, "\(kind)")
            XCTAssertEqual(Change(kind).isDestructive, destructive.contains(kind), "\(kind)")
        }
    }

    func testMarkers() {
        let expected: [(Change.Kind, Change.Marker)] = [
            (.schema(.createSchema("s")), .add), (.table(.createTable(table, inlineForeignKeys: [])), .add),
            (.column(.addColumn(t, Column(name: "x", type: "integer"))), .add),
            (.column(.addIdentity(t, column: "x", .always)), .add),
            (.constraint(.addPrimaryKey(t, PrimaryKey(name: "p", columns: ["id"]))), .add),
            (.constraint(.addForeignKey(t, fk)), .add),
            (.index(.createIndex(t, Index(name: "i", keys: [.column("id")]))), .add),
            (.seed(.seedRows(table, rows: [], mode: .insertMissing)), .add),
            (.seed(.seedRows(table, rows: [], mode: .enforce)), .change),
            (alterTypeKind(t, "x", from: "a", to: "b"), .change), (setNotNullKind(t, "x", type: "integer"), .change),
            (.constraint(.renameConstraint(t, from: "a", to: "b")), .change),
            (.index(.renameIndex(t, from: "a", to: "b")), .change),
            (.constraint(.dropConstraint(t, name: "c", replaced: true)), .change),
            (.index(.dropIndex(t, name: "i", replaced: true)), .change),
            (.constraint(.dropConstraint(t, name: "c", replaced: false)), .remove),
            (.index(.dropIndex(t, name: "i", replaced: false)), .remove),
            (.column(.dropColumn(t, column: "x")), .remove), (.table(.dropTable(t)), .remove),
        ]
        for (kind, marker) in expected { XCTAssertEqual(Change(kind).marker, marker, "\(kind)") }
    }

    func testWithinAPhaseTheDifferOrderIsKept() {
        let kinds: [Change.Kind] = [
            .column(.addColumn(u, Column(name: "b", type: "text"))),
            setNotNullKind(t, "z", type: "integer"),
            .column(.addColumn(t, Column(name: "a", type: "text"))),
            .column(.addColumn(u, Column(name: "c", type: "text"))),
            .column(.dropNotNull(u, column: "y")),
        ]
        let plan = Planner.plan(kinds.map { Change($0) }, allowDestructive: false)
        XCTAssertEqual(plan.steps.map(\.change.kind), [kinds[0], kinds[2], kinds[3], kinds[1], kinds[4]])
    }

    func testDestructiveStepsAreBlockedUnlessAllowed() {
        let kinds: [Change.Kind] = [
            .table(.dropTable(u)),
            .column(.addColumn(t, Column(name: "x", type: "integer"))),
            .column(.dropColumn(t, column: "old")),
            .index(.createIndex(t, Index(name: "t_x_idx", keys: [.column("x")]))),
        ]
        let blocked = Planner.plan(kinds.map { Change($0) }, allowDestructive: false)
        XCTAssertEqual(blocked.steps.map(\.change.kind), [kinds[1], kinds[3]])
        XCTAssertEqual(blocked.steps.map(\.number), [1, 2])
        // Blocked steps are numbered after the runnable ones, constraints/indexes/columns/tables in that order.
        XCTAssertEqual(blocked.blocked.map(\.change.kind), [kinds[2], kinds[0]])
        XCTAssertEqual(blocked.blocked.map(\.number), [3, 4])
        XCTAssertFalse(blocked.isInSync)

        let allowed = Planner.plan(kinds.map { Change($0) }, allowDestructive: true)
        // Columns are dropped before later phases they could block; tables last.
        XCTAssertEqual(allowed.steps.map(\.change.kind), [kinds[1], kinds[2], kinds[3], kinds[0]])
        XCTAssertEqual(allowed.steps.map(\.number), [1, 2, 3, 4])
        XCTAssertEqual(allowed.blocked, [])
    }

    func testDestructiveStepsDropConstraintsThenIndexesThenColumnsThenTables() {
        let kinds: [Change.Kind] = [
            .table(.dropTable(u)),
            .column(.dropColumn(t, column: "x")),
            .index(.dropIndex(t, name: "t_x_idx", replaced: false)),
            .constraint(.dropConstraint(t, name: "t_x_check", replaced: false)),
            .table(.dropTable(t)),
            .constraint(.dropConstraint(u, name: "u_y_check", replaced: false)),
        ]
        let plan = Planner.plan(kinds.map { Change($0) }, allowDestructive: true)
        XCTAssertEqual(plan.steps.map(\.change.kind), [kinds[3], kinds[5], kinds[2], kinds[1], kinds[0], kinds[4]])
    }

    /// Regression (fixed in 7d3f964): a replaced index must be dropped before it is re-created, or
    /// `CREATE INDEX IF NOT EXISTS` is a no-op and the drop then removes the index for good.
    func testReplacedIndexIsDroppedBeforeItIsRecreated() {
        let index = Index(name: "t_x_idx", keys: [.column("x")], predicate: "x > 0")
        let kinds: [Change.Kind] = [
            .index(.createIndex(t, Index(name: "t_a_idx", keys: [.column("a")]))),
            .index(.dropIndex(t, name: "t_x_idx", replaced: true)),
            .index(.createIndex(t, index)),
        ]
        let plan = Planner.plan(kinds.map { Change($0) }, allowDestructive: false)
        XCTAssertEqual(plan.steps.map(\.change.kind), [kinds[1], kinds[0], kinds[2]])
        XCTAssertEqual(
            plan.steps.flatMap(\.statements),
            [
                "DROP INDEX IF EXISTS \"public\".\"t_x_idx\"",
                "CREATE INDEX IF NOT EXISTS \"t_a_idx\" ON \"public\".\"t\" USING btree (\"a\")",
                "CREATE INDEX IF NOT EXISTS \"t_x_idx\" ON \"public\".\"t\" USING btree (\"x\") WHERE (x > 0)",
            ])
    }

    func testReplacedConstraintIsDroppedBeforeItIsReAdded() {
        let check = CheckConstraint(name: "t_x_check", expression: "x > 1")
        let kinds: [Change.Kind] = [
            .constraint(.dropConstraint(t, name: "t_x_check", replaced: true)), .constraint(.addCheck(t, check)),
        ]
        let plan = Planner.plan(kinds.map { Change($0) }, allowDestructive: false)
        XCTAssertEqual(plan.steps.map(\.change.kind), kinds)
        XCTAssertEqual(plan.blocked, [])
    }

    func testStepsCarryTheRenderedStatementsAndSummary() {
        let change = Change(.column(.addColumn(t, Column(name: "x", type: "integer"))))
        let plan = Planner.plan([change], allowDestructive: false)
        XCTAssertEqual(
            plan.steps,
            [
                PlanStep(
                    number: 1, change: change,
                    statements: ["ALTER TABLE \"public\".\"t\" ADD COLUMN IF NOT EXISTS \"x\" integer"],
                    hazards: [.accessExclusiveLock], lock: .accessExclusive)
            ])
        XCTAssertEqual(plan.steps[0].summary, "add column x integer")
        XCTAssertTrue(plan.steps[0].lock.blocksReads)
    }

    func testHazardsPerChangeKind() {
        let expected: [(Change.Kind, [Hazard])] = [
            (.schema(.createSchema("s")), []),
            (.table(.createTable(table, inlineForeignKeys: [])), []),
            (.column(.addColumn(t, Column(name: "x", type: "integer"))), [.accessExclusiveLock]),
            (
                .column(.addColumn(t, Column(name: "x", type: "integer", defaultValue: .literal(.number("0"))))),
                [.accessExclusiveLock]
            ),
            (
                .column(.addColumn(t, Column(name: "x", type: "timestamptz", defaultValue: .expression("now()")))),
                [.accessExclusiveLock, .rewritesTable]
            ),
            (
                .column(.addColumn(t, Column(name: "x", type: "integer", isNullable: false))),
                [.accessExclusiveLock, .mayFailOnExistingRows]
            ),
            (
                .column(.addColumn(t, Column(name: "x", type: "integer", isNullable: false, backfill: .number("0")))),
                [.accessExclusiveLock, .rewritesTable]
            ),
            (
                .column(
                    .addColumn(
                        t, Column(name: "x", type: "integer", isNullable: false, defaultValue: .literal(.number("0"))))),
                [.accessExclusiveLock]
            ),
            (
                .column(.addColumn(t, Column(name: "x", type: "bigint", isNullable: false, identity: .always))),
                [.accessExclusiveLock, .rewritesTable]
            ),
            (
                .column(.addColumn(t, Column(name: "x", type: "integer", isNullable: false, isSerial: true))),
                [.accessExclusiveLock, .rewritesTable]
            ),
            (alterTypeKind(t, "x", from: "integer", to: "bigint"), [.accessExclusiveLock, .rewritesTable]),
            (
                alterTypeKind(t, "x", from: "bigint", to: "integer"),
                [.accessExclusiveLock, .rewritesTable, .mayFailOnExistingRows, .deletesData]
            ),
            (.column(.setDefault(t, column: "x", .literal(.number("1")))), [.accessExclusiveLock]),
            (.column(.dropDefault(t, column: "x")), [.accessExclusiveLock]),
            (setNotNullKind(t, "x", type: "integer"), [.accessExclusiveLock, .rewritesTable, .mayFailOnExistingRows]),
            (.column(.dropNotNull(t, column: "x")), [.accessExclusiveLock]),
            (.column(.addIdentity(t, column: "x", .always)), [.accessExclusiveLock, .mayFailOnExistingRows]),
            (.column(.setIdentity(t, column: "x", .always)), [.accessExclusiveLock]),
            (.column(.dropIdentity(t, column: "x")), [.accessExclusiveLock]),
            (
                .constraint(.addPrimaryKey(t, PrimaryKey(name: "p", columns: ["id"]))),
                [.accessExclusiveLock, .mayFailOnExistingRows]
            ),
            (
                .constraint(.addUnique(t, UniqueConstraint(name: "k", columns: ["id"]))),
                [.accessExclusiveLock, .mayFailOnExistingRows]
            ),
            (
                .constraint(.addCheck(t, CheckConstraint(name: "c", expression: "id > 0"))),
                [.accessExclusiveLock, .rewritesTable, .mayFailOnExistingRows]
            ),
            (
                .constraint(
                    .addExclusion(t, ExclusionConstraint(name: "x", definition: "USING gist (during WITH &&)"))),
                [.accessExclusiveLock, .mayFailOnExistingRows]
            ),
            // SHARE ROW EXCLUSIVE on both tables: writes wait while the rows are checked.
            (.constraint(.addForeignKey(t, fk)), [.blocksWrites, .rewritesTable, .mayFailOnExistingRows]),
            (.constraint(.renameConstraint(t, from: "a", to: "b")), [.accessExclusiveLock]),
            (.constraint(.dropConstraint(t, name: "c", replaced: true)), [.accessExclusiveLock]),
            (.constraint(.dropConstraint(t, name: "c", replaced: false)), [.accessExclusiveLock, .deletesData]),
            (.index(.createIndex(t, Index(name: "i", keys: [.column("id")]))), [.blocksWrites]),
            (
                .index(.createIndex(t, Index(name: "i", keys: [.column("id")], isUnique: true))),
                [.blocksWrites, .mayFailOnExistingRows]
            ),
            (.index(.renameIndex(t, from: "a", to: "b")), []),
            (.index(.dropIndex(t, name: "i", replaced: true)), [.accessExclusiveLock]),
            (.index(.dropIndex(t, name: "i", replaced: false)), [.accessExclusiveLock, .deletesData]),
            (.seed(.seedRows(table, rows: table.seed!.rows, mode: .enforce)), []),
            (.column(.dropColumn(t, column: "x")), [.accessExclusiveLock, .deletesData]),
            (.table(.dropTable(t)), [.accessExclusiveLock, .deletesData]),
        ]
        for (kind, hazards) in expected {
            XCTAssertEqual(Change(kind).hazards, hazards, "\(kind)")
            let step = Planner.plan([Change(kind)], allowDestructive: true).steps.first
            XCTAssertEqual(step?.hazards, hazards, "\(kind)")
        }
    }

    /// A step on a table the same plan creates locks no one out; one that also locks an existing table (a new
    /// table's foreign key to it) does.
    func testLocksOfStepsOnNewAndExistingTables() {
        let parent = Table(name: QualifiedName(name: "parent"), columns: [Column(name: "id", type: "integer")])
        let key = ForeignKey(
            name: "child_parent_id_fkey", columns: ["parent_id"], referencedTable: parent.name,
            referencedColumns: ["id"])
        let child = Table(name: QualifiedName(name: "child"), columns: [Column(name: "parent_id", type: "integer")])
        let index = Index(name: "child_parent_id_idx", keys: [.column("parent_id")])
        let changes = [
            Change(.table(.createTable(child, inlineForeignKeys: []))),
            Change(.constraint(.addForeignKey(child.name, key))),
            Change(.index(.createIndex(child.name, index))),
            Change(.index(.createIndex(parent.name, index))),
        ]
        let steps = Planner.plan(changes, allowDestructive: false).steps
        // Foreign keys come after indexes.
        XCTAssertEqual(steps.map(\.change.kind), [changes[0].kind, changes[2].kind, changes[3].kind, changes[1].kind])
        XCTAssertEqual(steps.map(\.lock), [.none, .none, .share, .shareRowExclusive])
        XCTAssertEqual(
            steps.map(\.lock.description),
            [
                nil, nil, "SHARE lock: blocks writes",
                "SHARE ROW EXCLUSIVE lock: blocks writes",
            ])
        XCTAssertEqual(TableLock(pgLocksMode: "ShareUpdateExclusiveLock"), .shareUpdateExclusive)
        XCTAssertTrue(TableLock.accessExclusive.blocksReads && TableLock.share.blocksWrites)
        XCTAssertFalse(TableLock.shareUpdateExclusive.blocksWrites)
    }

    func testHazardRawValuesAndExplanations() {
        XCTAssertEqual(
            Hazard.allCases.map(\.rawValue),
            [
                "access-exclusive-lock", "rewrites-table", "blocks-writes",
                "deletes-data", "may-fail-on-existing-rows",
            ])
        XCTAssertEqual(
            Hazard.allCases.map(\.explanation),
            [
                "takes an ACCESS EXCLUSIVE lock on the table", "rewrites or scans the whole table",
                "builds an index while blocking writes", "deletes data", "may fail on existing rows",
            ])
    }

    func testIsInSync() {
        XCTAssertTrue(Planner.plan([], allowDestructive: false).isInSync)
        XCTAssertTrue(
            Plan(steps: [], blocked: [], unmanagedTables: [u]).isInSync, "unmanaged tables alone are not drift to apply"
        )
        XCTAssertFalse(Planner.plan([Change(.schema(.createSchema("s")))], allowDestructive: false).isInSync)
        let onlyBlocked = Planner.plan([Change(.table(.dropTable(u)))], allowDestructive: false)
        XCTAssertEqual(onlyBlocked.steps, [])
        XCTAssertEqual(onlyBlocked.blocked.count, 1)
        XCTAssertFalse(onlyBlocked.isInSync)
    }

    func testUnmanagedTablesAreListedSortedWhetherBlockedOrNot() {
        let a = QualifiedName(schema: "public", name: "a"), z = QualifiedName(schema: "billing", name: "z")
        let changes = [
            Change(.table(.dropTable(u))), Change(.column(.dropColumn(t, column: "x"))), Change(.table(.dropTable(a))),
            Change(.table(.dropTable(z))),
        ]
        XCTAssertEqual(Planner.plan(changes, allowDestructive: false).unmanagedTables, [z, a, u])
        XCTAssertEqual(Planner.plan(changes, allowDestructive: true).unmanagedTables, [z, a, u])
    }

    func testChangeTableGrouping() {
        XCTAssertNil(Change(.schema(.createSchema("s"))).table)
        XCTAssertEqual(Change(.table(.createTable(table, inlineForeignKeys: []))).table, t)
        XCTAssertEqual(Change(.seed(.seedRows(table, rows: [], mode: .enforce))).table, t)
        XCTAssertEqual(Change(.index(.renameIndex(u, from: "a", to: "b"))).table, u)
        XCTAssertEqual(Change(.table(.dropTable(u))).table, u)
    }

    func testPhaseComparable() {
        XCTAssertEqual(
            Change.Phase.allCases.sorted(),
            [
                .schemas, .viewDrops, .types, .routines, .tables, .routinesOnTables, .columns, .drops,
                .columnChanges, .constraints, .indexes, .foreignKeys, .triggers, .seeds, .views, .destructive,
            ])
        XCTAssertLessThan(Change.Phase.seeds, Change.Phase.destructive)
    }
}

/// The reflection helper the other tests rely on for the two evolving change kinds.
final class ChangeKindHelperTests: XCTestCase {
    func testHelpersBuildTheExpectedKinds() {
        let t = QualifiedName(schema: "s", name: "t")
        let notNull = caseFields(setNotNullKind(t, "a", type: "text"))
        XCTAssertEqual(notNull.name, "setNotNull")
        XCTAssertEqual(notNull.fields[".0"], "s.t")
        XCTAssertEqual(notNull.fields["column"], "a")
        let alter = caseFields(alterTypeKind(t, "a", from: "integer", to: "bigint"))
        XCTAssertEqual(alter.name, "alterColumnType")
        XCTAssertEqual(alter.fields[".0"], "s.t")
        XCTAssertEqual(alter.fields["column"], "a")
        XCTAssertEqual(alter.fields["from"], "integer")
        XCTAssertEqual(alter.fields["to"], "bigint")
        XCTAssertEqual(caseFields(.table(.dropTable(t))).name, "dropTable")
        XCTAssertEqual(caseFields(.table(.dropTable(t))).fields, [".0": "s.t"])
        XCTAssertEqual(caseFields(.schema(.createSchema("x"))).fields, [".0": "x"])
    }
}
