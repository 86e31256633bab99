import XCTest
@testable import ReconcileCore

/// Ordering changes into phases, holding back destructive steps, numbering, and hazards.
final class PlannerTests: XCTestCase {
    private let t = QualifiedName(name: "t")
    private let u = QualifiedName(name: "u")

    private var table: Table {
        Table(name: t, columns: [Column(name: "id", type: "integer", isNullable: false)],
              primaryKey: PrimaryKey(name: "t_pkey", columns: ["id"]),
              seed: Seed(key: ["id"], rows: [SeedRow(values: [("id", .number("1"))])]))
    }

    private var fk: ForeignKey {
        ForeignKey(name: "t_u_fkey", columns: ["id"], referencedTable: u, referencedColumns: ["id"])
    }

    /// One change of every phase, listed in reverse phase order.
    private var everyPhaseReversed: [Change.Kind] {
        [
            .dropTable(u),
            .seedRows(table, rows: table.seed!.rows, mode: .insertMissing),
            .createIndex(t, Index(name: "t_x_idx", keys: [.column("x")])),
            .addForeignKey(t, fk),
            .addCheck(t, CheckConstraint(name: "t_x_check", expression: "x > 0")),
            setNotNullKind(t, "x", type: "integer"),
            .addColumn(t, Column(name: "x", type: "integer")),
            .createTable(table, inlineForeignKeys: []),
            .createEnum(EnumType(name: QualifiedName(schema: "s", name: "mood"), values: ["ok"])),
            .createSchema("s"),
        ]
    }

    func testPhasesRunInFixedOrder() {
        let plan = Planner.plan(everyPhaseReversed.map { Change($0) }, allowDestructive: true)
        XCTAssertEqual(plan.steps.map(\.change.phase), [.schemas, .types, .tables, .columns, .columnChanges, .constraints,
                                                        .foreignKeys, .indexes, .seeds, .destructive])
        XCTAssertEqual(plan.steps.map(\.change.kind), everyPhaseReversed.reversed())
        XCTAssertEqual(plan.steps.map(\.number), Array(1...10))
        XCTAssertEqual(plan.blocked, [])
    }

    func testPhaseOfEachChangeKind() {
        let expected: [(Change.Kind, Change.Phase)] = [
            (.createSchema("s"), .schemas),
            (.createTable(table, inlineForeignKeys: []), .tables),
            (.addColumn(t, Column(name: "x", type: "integer")), .columns),
            (alterTypeKind(t, "x", from: "integer", to: "bigint"), .columnChanges),
            (.setDefault(t, column: "x", .literal(.number("1"))), .columnChanges),
            (.dropDefault(t, column: "x"), .columnChanges),
            (setNotNullKind(t, "x", type: "integer"), .columnChanges),
            (.dropNotNull(t, column: "x"), .columnChanges),
            (.addIdentity(t, column: "x", .always), .columnChanges),
            (.setIdentity(t, column: "x", .byDefault), .columnChanges),
            (.dropIdentity(t, column: "x"), .columnChanges),
            (.addPrimaryKey(t, PrimaryKey(name: "p", columns: ["id"])), .constraints),
            (.addUnique(t, UniqueConstraint(name: "k", columns: ["id"])), .constraints),
            (.addCheck(t, CheckConstraint(name: "c", expression: "id > 0")), .constraints),
            (.renameConstraint(t, from: "a", to: "b"), .constraints),
            (.dropConstraint(t, name: "c", replaced: true), .drops),
            (.dropConstraint(t, name: "c", replaced: false), .drops),
            (.addForeignKey(t, fk), .foreignKeys),
            (.createIndex(t, Index(name: "i", keys: [.column("id")])), .indexes),
            (.renameIndex(t, from: "a", to: "b"), .indexes),
            (.dropIndex(t, name: "i", replaced: true), .drops),
            (.dropIndex(t, name: "i", replaced: false), .drops),
            (.seedRows(table, rows: [], mode: .enforce), .seeds),
            (.dropColumn(t, column: "x"), .drops),
            (.dropTable(t), .destructive),
        ]
        // Drops that lose something need --allow-destructive; a replaced constraint or index loses nothing.
        let destructive: [Change.Kind] = [.dropConstraint(t, name: "c", replaced: false), .dropIndex(t, name: "i", replaced: false),
                                          .dropColumn(t, column: "x"), .dropTable(t)]
        for (kind, phase) in expected {
            XCTAssertEqual(Change(kind).phase, phase, "\(kind)")
            XCTAssertEqual(Change(kind).isDestructive, destructive.contains(kind), "\(kind)")
        }
    }

    func testMarkers() {
        let expected: [(Change.Kind, Character)] = [
            (.createSchema("s"), "+"), (.createTable(table, inlineForeignKeys: []), "+"),
            (.addColumn(t, Column(name: "x", type: "integer")), "+"), (.addIdentity(t, column: "x", .always), "+"),
            (.addPrimaryKey(t, PrimaryKey(name: "p", columns: ["id"])), "+"), (.addForeignKey(t, fk), "+"),
            (.createIndex(t, Index(name: "i", keys: [.column("id")])), "+"),
            (.seedRows(table, rows: [], mode: .insertMissing), "+"), (.seedRows(table, rows: [], mode: .enforce), "~"),
            (alterTypeKind(t, "x", from: "a", to: "b"), "~"), (setNotNullKind(t, "x", type: "integer"), "~"),
            (.renameConstraint(t, from: "a", to: "b"), "~"), (.renameIndex(t, from: "a", to: "b"), "~"),
            (.dropConstraint(t, name: "c", replaced: true), "~"), (.dropIndex(t, name: "i", replaced: true), "~"),
            (.dropConstraint(t, name: "c", replaced: false), "-"), (.dropIndex(t, name: "i", replaced: false), "-"),
            (.dropColumn(t, column: "x"), "-"), (.dropTable(t), "-"),
        ]
        for (kind, marker) in expected { XCTAssertEqual(Change(kind).marker, marker, "\(kind)") }
    }

    func testWithinAPhaseTheDifferOrderIsKept() {
        let kinds: [Change.Kind] = [
            .addColumn(u, Column(name: "b", type: "text")),
            setNotNullKind(t, "z", type: "integer"),
            .addColumn(t, Column(name: "a", type: "text")),
            .addColumn(u, Column(name: "c", type: "text")),
            .dropNotNull(u, column: "y"),
        ]
        let plan = Planner.plan(kinds.map { Change($0) }, allowDestructive: false)
        XCTAssertEqual(plan.steps.map(\.change.kind), [kinds[0], kinds[2], kinds[3], kinds[1], kinds[4]])
    }

    func testDestructiveStepsAreBlockedUnlessAllowed() {
        let kinds: [Change.Kind] = [
            .dropTable(u),
            .addColumn(t, Column(name: "x", type: "integer")),
            .dropColumn(t, column: "old"),
            .createIndex(t, Index(name: "t_x_idx", keys: [.column("x")])),
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
            .dropTable(u),
            .dropColumn(t, column: "x"),
            .dropIndex(t, name: "t_x_idx", replaced: false),
            .dropConstraint(t, name: "t_x_check", replaced: false),
            .dropTable(t),
            .dropConstraint(u, name: "u_y_check", replaced: false),
        ]
        let plan = Planner.plan(kinds.map { Change($0) }, allowDestructive: true)
        XCTAssertEqual(plan.steps.map(\.change.kind), [kinds[3], kinds[5], kinds[2], kinds[1], kinds[0], kinds[4]])
    }

    /// Regression (fixed in 7d3f964): a replaced index must be dropped before it is re-created, or
    /// `CREATE INDEX IF NOT EXISTS` is a no-op and the drop then removes the index for good.
    func testReplacedIndexIsDroppedBeforeItIsRecreated() {
        let index = Index(name: "t_x_idx", keys: [.column("x")], predicate: "x > 0")
        let kinds: [Change.Kind] = [
            .createIndex(t, Index(name: "t_a_idx", keys: [.column("a")])),
            .dropIndex(t, name: "t_x_idx", replaced: true),
            .createIndex(t, index),
        ]
        let plan = Planner.plan(kinds.map { Change($0) }, allowDestructive: false)
        XCTAssertEqual(plan.steps.map(\.change.kind), [kinds[1], kinds[0], kinds[2]])
        XCTAssertEqual(plan.steps.flatMap(\.statements), [
            "DROP INDEX IF EXISTS \"public\".\"t_x_idx\"",
            "CREATE INDEX IF NOT EXISTS \"t_a_idx\" ON \"public\".\"t\" USING btree (\"a\")",
            "CREATE INDEX IF NOT EXISTS \"t_x_idx\" ON \"public\".\"t\" USING btree (\"x\") WHERE (x > 0)",
        ])
    }

    func testReplacedConstraintIsDroppedBeforeItIsReAdded() {
        let check = CheckConstraint(name: "t_x_check", expression: "x > 1")
        let kinds: [Change.Kind] = [.dropConstraint(t, name: "t_x_check", replaced: true), .addCheck(t, check)]
        let plan = Planner.plan(kinds.map { Change($0) }, allowDestructive: false)
        XCTAssertEqual(plan.steps.map(\.change.kind), kinds)
        XCTAssertEqual(plan.blocked, [])
    }

    func testStepsCarryTheRenderedStatementsAndSummary() {
        let change = Change(.addColumn(t, Column(name: "x", type: "integer")))
        let plan = Planner.plan([change], allowDestructive: false)
        XCTAssertEqual(plan.steps, [PlanStep(number: 1, change: change,
                                             statements: ["ALTER TABLE \"public\".\"t\" ADD COLUMN IF NOT EXISTS \"x\" integer"],
                                             hazards: [.accessExclusiveLock])])
        XCTAssertEqual(plan.steps[0].summary, "add column x integer")
        XCTAssertTrue(plan.steps[0].takesHeavyLock)
    }

    func testHazardsPerChangeKind() {
        let expected: [(Change.Kind, [Hazard])] = [
            (.createSchema("s"), []),
            (.createTable(table, inlineForeignKeys: []), []),
            (.addColumn(t, Column(name: "x", type: "integer")), [.accessExclusiveLock]),
            (.addColumn(t, Column(name: "x", type: "integer", defaultValue: .literal(.number("0")))), [.accessExclusiveLock]),
            (.addColumn(t, Column(name: "x", type: "timestamptz", defaultValue: .expression("now()"))),
             [.accessExclusiveLock, .rewritesTable]),
            (.addColumn(t, Column(name: "x", type: "integer", isNullable: false)), [.accessExclusiveLock, .mayFailOnExistingRows]),
            (.addColumn(t, Column(name: "x", type: "integer", isNullable: false, backfill: .number("0"))),
             [.accessExclusiveLock, .rewritesTable]),
            (.addColumn(t, Column(name: "x", type: "integer", isNullable: false, defaultValue: .literal(.number("0")))),
             [.accessExclusiveLock]),
            (.addColumn(t, Column(name: "x", type: "bigint", isNullable: false, identity: .always)),
             [.accessExclusiveLock, .rewritesTable]),
            (.addColumn(t, Column(name: "x", type: "integer", isNullable: false, isSerial: true)),
             [.accessExclusiveLock, .rewritesTable]),
            (alterTypeKind(t, "x", from: "integer", to: "bigint"), [.accessExclusiveLock, .rewritesTable]),
            (alterTypeKind(t, "x", from: "bigint", to: "integer"),
             [.accessExclusiveLock, .rewritesTable, .mayFailOnExistingRows, .deletesData]),
            (.setDefault(t, column: "x", .literal(.number("1"))), [.accessExclusiveLock]),
            (.dropDefault(t, column: "x"), [.accessExclusiveLock]),
            (setNotNullKind(t, "x", type: "integer"), [.accessExclusiveLock, .rewritesTable, .mayFailOnExistingRows]),
            (.dropNotNull(t, column: "x"), [.accessExclusiveLock]),
            (.addIdentity(t, column: "x", .always), [.accessExclusiveLock, .mayFailOnExistingRows]),
            (.setIdentity(t, column: "x", .always), [.accessExclusiveLock]),
            (.dropIdentity(t, column: "x"), [.accessExclusiveLock]),
            (.addPrimaryKey(t, PrimaryKey(name: "p", columns: ["id"])), [.accessExclusiveLock, .blocksWrites, .mayFailOnExistingRows]),
            (.addUnique(t, UniqueConstraint(name: "k", columns: ["id"])), [.accessExclusiveLock, .blocksWrites, .mayFailOnExistingRows]),
            (.addCheck(t, CheckConstraint(name: "c", expression: "id > 0")), [.accessExclusiveLock, .rewritesTable, .mayFailOnExistingRows]),
            (.addForeignKey(t, fk), [.rewritesTable, .mayFailOnExistingRows]),
            (.renameConstraint(t, from: "a", to: "b"), []),
            (.dropConstraint(t, name: "c", replaced: true), [.accessExclusiveLock]),
            (.dropConstraint(t, name: "c", replaced: false), [.accessExclusiveLock, .deletesData]),
            (.createIndex(t, Index(name: "i", keys: [.column("id")])), [.blocksWrites]),
            (.createIndex(t, Index(name: "i", keys: [.column("id")], isUnique: true)), [.blocksWrites, .mayFailOnExistingRows]),
            (.renameIndex(t, from: "a", to: "b"), []),
            (.dropIndex(t, name: "i", replaced: true), [.accessExclusiveLock]),
            (.dropIndex(t, name: "i", replaced: false), [.accessExclusiveLock, .deletesData]),
            (.seedRows(table, rows: table.seed!.rows, mode: .enforce), []),
            (.dropColumn(t, column: "x"), [.accessExclusiveLock, .deletesData]),
            (.dropTable(t), [.accessExclusiveLock, .deletesData]),
        ]
        for (kind, hazards) in expected {
            XCTAssertEqual(Hazard.of(Change(kind)), hazards, "\(kind)")
            let step = Planner.plan([Change(kind)], allowDestructive: true).steps.first
            XCTAssertEqual(step?.hazards, hazards, "\(kind)")
        }
    }

    func testHazardRawValuesAndExplanations() {
        XCTAssertEqual(Hazard.allCases.map(\.rawValue), ["access-exclusive-lock", "rewrites-table", "blocks-writes",
                                                         "deletes-data", "may-fail-on-existing-rows"])
        XCTAssertEqual(Hazard.allCases.map(\.explanation), [
            "takes an ACCESS EXCLUSIVE lock on the table", "rewrites or scans the whole table",
            "builds an index while blocking writes", "deletes data", "may fail on existing rows",
        ])
    }

    func testTakesHeavyLock() {
        func step(_ hazards: [Hazard]) -> PlanStep {
            PlanStep(number: 1, change: Change(.createSchema("s")), statements: [], hazards: hazards)
        }
        XCTAssertFalse(step([]).takesHeavyLock)
        XCTAssertFalse(step([.rewritesTable, .mayFailOnExistingRows, .deletesData]).takesHeavyLock)
        XCTAssertTrue(step([.accessExclusiveLock]).takesHeavyLock)
        XCTAssertTrue(step([.blocksWrites]).takesHeavyLock)
    }

    func testIsInSync() {
        XCTAssertTrue(Planner.plan([], allowDestructive: false).isInSync)
        XCTAssertTrue(Plan(steps: [], blocked: [], unmanagedTables: [u]).isInSync, "unmanaged tables alone are not drift to apply")
        XCTAssertFalse(Planner.plan([Change(.createSchema("s"))], allowDestructive: false).isInSync)
        let onlyBlocked = Planner.plan([Change(.dropTable(u))], allowDestructive: false)
        XCTAssertEqual(onlyBlocked.steps, [])
        XCTAssertEqual(onlyBlocked.blocked.count, 1)
        XCTAssertFalse(onlyBlocked.isInSync)
    }

    func testUnmanagedTablesAreListedSortedWhetherBlockedOrNot() {
        let a = QualifiedName(schema: "public", name: "a"), z = QualifiedName(schema: "billing", name: "z")
        let changes = [Change(.dropTable(u)), Change(.dropColumn(t, column: "x")), Change(.dropTable(a)), Change(.dropTable(z))]
        XCTAssertEqual(Planner.plan(changes, allowDestructive: false).unmanagedTables, [z, a, u])
        XCTAssertEqual(Planner.plan(changes, allowDestructive: true).unmanagedTables, [z, a, u])
    }

    func testChangeTableGrouping() {
        XCTAssertNil(Change(.createSchema("s")).table)
        XCTAssertEqual(Change(.createTable(table, inlineForeignKeys: [])).table, t)
        XCTAssertEqual(Change(.seedRows(table, rows: [], mode: .enforce)).table, t)
        XCTAssertEqual(Change(.renameIndex(u, from: "a", to: "b")).table, u)
        XCTAssertEqual(Change(.dropTable(u)).table, u)
    }

    func testPhaseComparable() {
        XCTAssertEqual(Change.Phase.allCases.sorted(), [.schemas, .types, .tables, .columns, .drops, .columnChanges, .constraints,
                                                        .foreignKeys, .indexes, .seeds, .destructive])
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
        XCTAssertEqual(caseFields(.dropTable(t)).name, "dropTable")
        XCTAssertEqual(caseFields(.dropTable(t)).fields, [".0": "s.t"])
        XCTAssertEqual(caseFields(.createSchema("x")).fields, [".0": "x"])
    }
}
