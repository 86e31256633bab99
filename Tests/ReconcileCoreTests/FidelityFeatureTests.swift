import XCTest

@testable import ReconcileCore

/// Extensions, enum types, renames, comments, NOT NULL backfills and lossy type changes: loading,
/// diffing, planning and SQL.
final class FidelityFeatureTests: XCTestCase {
    private let t = QualifiedName(name: "t")
    private let mood = QualifiedName(name: "mood")

    private func sql(_ kind: Change.Kind) -> [String] { Change(kind).statements }

    // MARK: - Loading

    func testLoadsExtensionsEnumsCommentsRenamesAndBackfill() throws {
        let schema = try loadValid(
            """
            version: 1
            extensions: [pgcrypto, citext, pgcrypto]
            enums:
              mood: [sad, ok, happy]
              s.level: [low, high]
            tables:
              t:
                comment: A table
                renamed_from: old_t
                columns:
                  a: { type: mood, comment: 'A col', renamed_from: aa, backfill: 0, nullable: false }
              s.u:
                renamed_from: legacy.u
                columns:
                  x: int
              s.v:
                renamed_from: old_v
                columns:
                  x: int
            """)
        XCTAssertEqual(schema.extensions, ["citext", "pgcrypto"])
        XCTAssertEqual(
            schema.enums,
            [
                EnumType(name: mood, values: ["sad", "ok", "happy"]),
                EnumType(name: QualifiedName(schema: "s", name: "level"), values: ["low", "high"]),
            ])
        XCTAssertEqual(schema.schemaNames, ["public", "s"])
        let table = try XCTUnwrap(schema.table(t))
        XCTAssertEqual(table.comment, "A table")
        XCTAssertEqual(table.renamedFrom, QualifiedName(name: "old_t"))
        XCTAssertEqual(
            table.columns,
            [
                Column(
                    name: "a", type: "mood", isNullable: false, comment: "A col", renamedFrom: "aa",
                    backfill: .number("0"))
            ])
        XCTAssertEqual(
            schema.table(QualifiedName(schema: "s", name: "u"))?.renamedFrom, QualifiedName(schema: "legacy", name: "u")
        )
        // An unqualified old name stays in the table's own schema.
        XCTAssertEqual(
            schema.table(QualifiedName(schema: "s", name: "v"))?.renamedFrom, QualifiedName(schema: "s", name: "old_v"))
    }

    func testFidelityDiagnostics() {
        let yaml = """
            version: 1
            enums:
              mood: [sad, sad]
              a.b.c: [x]
            tables:
              t:
                renamed_from: u
                columns:
                  a: { type: int, backfill: null, renamed_from: b }
                  b: { type: int }
              u:
                columns:
                  x: int
              v:
                renamed_from: w
                columns:
                  x: int
              v2:
                renamed_from: w
                columns:
                  x: int
                  y: { type: int, renamed_from: z }
                  y2: { type: int, renamed_from: z }
            """
        XCTAssertEqual(
            loadErrors(yaml),
            [
                "schema.yaml:3:9: error: enum public.mood lists a value twice",
                "schema.yaml:4:3: error: enum type name 'a.b.c' is not a valid [schema.]name",
                "schema.yaml:9:33: error: backfill of column public.t.a must be a value, not null",
                "schema.yaml:7:19: error: table public.t is renamed_from public.u, which is also declared; remove one",
                "schema.yaml:6:3: error: column a of public.t is renamed_from 'b', which is another declared column or claimed twice",
                "schema.yaml:19:19: error: tables public.v and public.v2 are both renamed_from public.w",
                "schema.yaml:18:3: error: column y2 of public.v2 is renamed_from 'z', which is another declared column or claimed twice",
            ])
    }

    // MARK: - Diffing

    func testMissingExtensionAndEnumAreCreatedFirst() {
        let type = EnumType(name: mood, values: ["sad", "ok"])
        let table = Table(name: t, columns: [Column(name: "m", type: "mood")])
        let differ = Differ(
            desired: Schema(tables: [table], enums: [type], extensions: ["citext", "pgcrypto"]),
            live: Schema(schemaNames: ["public"], extensions: ["citext"]))
        XCTAssertEqual(
            differ.changes().map(\.kind),
            [
                .schema(.createExtension("pgcrypto", schema: nil)), .type(.createEnum(type)),
                .table(.createTable(table, inlineForeignKeys: [])),
            ])
    }

    func testEnumValuesAreAddedInPlace() {
        let live = EnumType(name: mood, values: ["sad", "happy"])
        let desired = EnumType(name: mood, values: ["angry", "sad", "ok", "happy", "ecstatic"])
        let changes = Differ(desired: Schema(enums: [desired]), live: Schema(enums: [live])).changes()
        XCTAssertEqual(
            changes.map(\.kind),
            [
                .type(.addEnumValue(mood, value: "angry", before: "sad")),
                .type(.addEnumValue(mood, value: "ok", before: "happy")),
                .type(.addEnumValue(mood, value: "ecstatic", before: nil)),
            ])
        XCTAssertEqual(Differ(desired: Schema(enums: [live]), live: Schema(enums: [live])).changes(), [])
    }

    func testRemovedOrReorderedEnumValuesNeedAPerson() {
        let live = EnumType(name: mood, values: ["sad", "happy"])
        for declared in [["happy", "sad"], ["sad"], ["sad", "ok"]] {
            let changes = Differ(
                desired: Schema(enums: [EnumType(name: mood, values: declared)]), live: Schema(enums: [live])
            ).changes()
            XCTAssertEqual(
                changes.map(\.kind),
                [.type(.enumValuesNeedManualChange(mood, live: ["sad", "happy"], declared: declared))], "\(declared)")
        }
    }

    func testUndeclaredEnumInAManagedSchemaIsDropped() {
        let stray = EnumType(name: QualifiedName(name: "stray"), values: ["a"])
        let elsewhere = EnumType(name: QualifiedName(schema: "other", name: "x"), values: ["a"])
        let changes = Differ(
            desired: Schema(schemaNames: ["public"]),
            live: Schema(schemaNames: ["other", "public"], enums: [stray, elsewhere])
        ).changes()
        XCTAssertEqual(changes.map(\.kind), [.type(.dropEnum(stray.name))])
        XCTAssertEqual(changes.map(\.isDestructive), [true])
    }

    func testTableRenamedFromAnExistingTableIsRenamedThenCompared() {
        let old = QualifiedName(name: "people")
        let liveTable = Table(name: old, columns: [Column(name: "id", type: "integer")])
        var desired = Table(
            name: QualifiedName(name: "users"),
            columns: [Column(name: "id", type: "integer"), Column(name: "email", type: "text")])
        desired.renamedFrom = old
        XCTAssertEqual(
            diffKinds(desired: [desired], live: [liveTable]),
            [
                .table(.renameTable(from: old, to: desired.name)),
                .column(.addColumn(desired.name, Column(name: "email", type: "text"))),
            ])
        // Once renamed (or when both exist), nothing is renamed.
        let renamedLive = Table(name: desired.name, columns: desired.columns)
        XCTAssertEqual(diffKinds(desired: [desired], live: [renamedLive]), [])
    }

    func testColumnRenamedFromAnExistingColumn() {
        var desired = Table(name: t, columns: [Column(name: "email", type: "text", renamedFrom: "mail")])
        let live = Table(name: t, columns: [Column(name: "mail", type: "text")])
        XCTAssertEqual(
            diffKinds(desired: [desired], live: [live]), [.column(.renameColumn(t, from: "mail", to: "email"))])
        // Old name gone: the column is simply added.
        XCTAssertEqual(
            diffKinds(desired: [desired], live: [Table(name: t)]), [.column(.addColumn(t, desired.columns[0]))])
        desired.columns[0].renamedFrom = nil
        XCTAssertEqual(
            diffKinds(desired: [desired], live: [live]),
            [
                .column(.addColumn(t, desired.columns[0])), .column(.dropColumn(t, column: "mail")),
            ])
    }

    func testCommentsAreSetAndDropped() {
        let live = Table(name: t, columns: [Column(name: "a", type: "text", comment: "old")], comment: "old table")
        let desired = Table(
            name: t, columns: [Column(name: "a", type: "text"), Column(name: "b", type: "text", comment: "new col")],
            comment: "new table")
        XCTAssertEqual(
            diffKinds(desired: [desired], live: [live]),
            [
                .table(.setTableComment(t, "new table")),
                .column(.setColumnComment(t, column: "a", nil)),
                .column(.addColumn(t, desired.columns[1])),
                .column(.setColumnComment(t, column: "b", "new col")),
            ])
    }

    func testNotNullWithBackfillCarriesTheValue() {
        let desired = Table(
            name: t, columns: [Column(name: "a", type: "integer", isNullable: false, backfill: .number("0"))])
        let live = Table(name: t, columns: [Column(name: "a", type: "integer")])
        let kinds = diffKinds(desired: [desired], live: [live])
        XCTAssertEqual(kinds.count, 1)
        let change = caseFields(kinds[0])
        XCTAssertEqual(change.name, "setNotNull")
        XCTAssertEqual(change.fields["column"], "a")
        XCTAssertEqual(change.fields["backfill"], "Optional(0)")
        XCTAssertEqual(
            sql(kinds[0]),
            [
                "UPDATE \"public\".\"t\" SET \"a\" = 0 WHERE \"a\" IS NULL",
                "ALTER TABLE \"public\".\"t\" ALTER COLUMN \"a\" SET NOT NULL",
            ])
        XCTAssertEqual(Change(kinds[0]).summary, "make a NOT NULL (NULLs become 0)")
        XCTAssertEqual(Change(kinds[0]).hazards, [.accessExclusiveLock, .rewritesTable])
    }

    func testLossyTypeChangesAreDestructive() {
        let cases: [(from: String, to: String, lossy: Bool)] = [
            ("integer", "bigint", false), ("bigint", "integer", true), ("smallint", "numeric(5,0)", false),
            ("integer", "numeric(5,0)", true), ("character varying(10)", "character varying(20)", false),
            ("character varying(20)", "character varying(10)", true), ("integer", "text", false),
            ("text", "integer", true),
            ("numeric(10,2)", "numeric(12,2)", false), ("numeric(10,2)", "numeric(10,3)", true),
            ("timestamp without time zone", "timestamp with time zone", false), ("integer[]", "bigint", true),
        ]
        for (from, to, lossy) in cases {
            XCTAssertEqual(TypeConversion.isLossless(from: from, to: to), !lossy, "\(from) → \(to)")
            let kind = alterTypeKind(t, "a", from: from, to: to)
            XCTAssertEqual(caseFields(kind).fields["lossy"], "\(lossy)", "\(from) → \(to)")
            XCTAssertEqual(Change(kind).isDestructive, lossy, "\(from) → \(to)")
        }
        let plan = Planner.plan([Change(alterTypeKind(t, "a", from: "bigint", to: "integer"))], allowDestructive: false)
        XCTAssertEqual(plan.steps, [])
        XCTAssertEqual(plan.blocked.map(\.summary), ["change type of a: bigint → integer (may lose data)"])
    }

    // MARK: - Planning and SQL

    func testManualEnumChangeIsAlwaysBlocked() {
        let change = Change(.type(.enumValuesNeedManualChange(mood, live: ["a", "b"], declared: ["b", "a"])))
        XCTAssertTrue(change.needsManualAction)
        for allow in [false, true] {
            let plan = Planner.plan([change, Change(.schema(.createSchema("s")))], allowDestructive: allow)
            XCTAssertEqual(plan.steps.map(\.change), [Change(.schema(.createSchema("s")))])
            XCTAssertEqual(plan.blocked.map(\.change), [change])
            XCTAssertEqual(plan.blocked.map(\.number), [2])
        }
    }

    func testPhasesMarkersAndHazardsOfTheNewKinds() {
        let expected: [(Change.Kind, Change.Phase, Change.Marker, [Hazard])] = [
            (.schema(.createExtension("citext", schema: nil)), .schemas, .add, []),
            (.type(.createEnum(EnumType(name: mood, values: ["a"]))), .types, .add, []),
            (.type(.addEnumValue(mood, value: "b", before: nil)), .types, .add, []),
            (.type(.enumValuesNeedManualChange(mood, live: ["a"], declared: [])), .destructive, .remove, []),
            (.type(.dropEnum(mood)), .destructive, .remove, [.deletesData]),
            (.table(.renameTable(from: t, to: QualifiedName(name: "u"))), .tables, .change, [.accessExclusiveLock]),
            (.column(.renameColumn(t, from: "a", to: "b")), .columns, .change, [.accessExclusiveLock]),
            (.table(.setTableComment(t, "x")), .columnChanges, .change, []),
            (.column(.setColumnComment(t, column: "a", nil)), .columnChanges, .change, []),
        ]
        for (kind, phase, marker, hazards) in expected {
            XCTAssertEqual(Change(kind).phase, phase, "\(kind)")
            XCTAssertEqual(Change(kind).marker, marker, "\(kind)")
            XCTAssertEqual(Change(kind).hazards, hazards, "\(kind)")
        }
        XCTAssertNil(Change(.schema(.createExtension("citext", schema: nil))).table)
        XCTAssertEqual(
            Change(.table(.renameTable(from: t, to: QualifiedName(name: "u")))).table, QualifiedName(name: "u"))
        XCTAssertEqual(Change(.type(.dropEnum(mood))).table, mood)
    }

    func testSQLForExtensionsAndEnums() {
        XCTAssertEqual(
            sql(.schema(.createExtension("pgcrypto", schema: nil))), ["CREATE EXTENSION IF NOT EXISTS \"pgcrypto\""])
        XCTAssertEqual(
            sql(
                .type(
                    .createEnum(EnumType(name: QualifiedName(schema: "s", name: "mood"), values: ["sad", "it's ok"])))),
            [
                """
                DO $reconcile$
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 's' AND t.typname = 'mood') THEN
                        CREATE TYPE "s"."mood" AS ENUM ('sad', 'it''s ok');
                    END IF;
                END
                $reconcile$
                """
            ])
        XCTAssertEqual(
            sql(.type(.addEnumValue(mood, value: "happy", before: "sad"))),
            ["ALTER TYPE \"public\".\"mood\" ADD VALUE IF NOT EXISTS 'happy' BEFORE 'sad'"])
        XCTAssertEqual(
            sql(.type(.addEnumValue(mood, value: "it's", before: nil))),
            ["ALTER TYPE \"public\".\"mood\" ADD VALUE IF NOT EXISTS 'it''s'"])
        XCTAssertEqual(sql(.type(.enumValuesNeedManualChange(mood, live: ["a"], declared: []))), [])
        XCTAssertEqual(sql(.type(.dropEnum(mood))), ["DROP TYPE IF EXISTS \"public\".\"mood\""])
    }

    private func tableExists(_ schema: String, _ name: String) -> String {
        "EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '\(schema)' AND c.relname = '\(name)' AND c.relkind IN ('r', 'p'))"
    }

    private func guardedIf(_ condition: String, _ statement: String) -> String {
        "DO $reconcile$\nBEGIN\n    IF \(condition) THEN\n        \(statement);\n    END IF;\nEND\n$reconcile$"
    }

    func testSQLForRenames() {
        XCTAssertEqual(
            sql(.table(.renameTable(from: QualifiedName(name: "old"), to: QualifiedName(name: "new")))),
            [
                guardedIf(
                    "\(tableExists("public", "old")) AND NOT \(tableExists("public", "new"))",
                    "ALTER TABLE \"public\".\"old\" RENAME TO \"new\"")
            ])
        XCTAssertEqual(
            sql(.table(.renameTable(from: QualifiedName(name: "old"), to: QualifiedName(schema: "s", name: "new")))),
            [
                guardedIf(
                    "\(tableExists("public", "old")) AND NOT \(tableExists("s", "old"))",
                    "ALTER TABLE \"public\".\"old\" SET SCHEMA \"s\""),
                guardedIf(
                    "\(tableExists("s", "old")) AND NOT \(tableExists("s", "new"))",
                    "ALTER TABLE \"s\".\"old\" RENAME TO \"new\""),
            ])
        XCTAssertEqual(
            sql(.table(.renameTable(from: QualifiedName(name: "t"), to: QualifiedName(schema: "s", name: "t")))),
            [
                guardedIf(
                    "\(tableExists("public", "t")) AND NOT \(tableExists("s", "t"))",
                    "ALTER TABLE \"public\".\"t\" SET SCHEMA \"s\"")
            ])
        XCTAssertEqual(
            sql(.column(.renameColumn(t, from: "a", to: "b\"c"))),
            [
                guardedIf(
                    "EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = '\"public\".\"t\"'::regclass AND attname = 'a' AND NOT attisdropped)",
                    "ALTER TABLE \"public\".\"t\" RENAME COLUMN \"a\" TO \"b\"\"c\"")
            ])
    }

    func testSQLForComments() {
        XCTAssertEqual(sql(.table(.setTableComment(t, "it's"))), ["COMMENT ON TABLE \"public\".\"t\" IS 'it''s'"])
        XCTAssertEqual(sql(.table(.setTableComment(t, nil))), ["COMMENT ON TABLE \"public\".\"t\" IS NULL"])
        XCTAssertEqual(
            sql(.column(.setColumnComment(t, column: "a", "c\\d"))),
            ["COMMENT ON COLUMN \"public\".\"t\".\"a\" IS E'c\\\\d'"])
        XCTAssertEqual(
            sql(.column(.setColumnComment(t, column: "a", nil))), ["COMMENT ON COLUMN \"public\".\"t\".\"a\" IS NULL"])
        let table = Table(
            name: t, columns: [Column(name: "a", type: "text", comment: "col"), Column(name: "b", type: "text")],
            comment: "tab")
        XCTAssertEqual(
            sql(.table(.createTable(table, inlineForeignKeys: []))),
            [
                "CREATE TABLE IF NOT EXISTS \"public\".\"t\" (\n    \"a\" text,\n    \"b\" text\n)",
                "COMMENT ON TABLE \"public\".\"t\" IS 'tab'",
                "COMMENT ON COLUMN \"public\".\"t\".\"a\" IS 'col'",
            ])
    }

    func testSQLForAddingANotNullColumnWithBackfill() {
        XCTAssertEqual(
            sql(.column(.addColumn(t, Column(name: "a", type: "text", isNullable: false, backfill: .number("0012"))))),
            [
                "ALTER TABLE \"public\".\"t\" ADD COLUMN IF NOT EXISTS \"a\" text",
                "UPDATE \"public\".\"t\" SET \"a\" = '0012' WHERE \"a\" IS NULL",
                "ALTER TABLE \"public\".\"t\" ALTER COLUMN \"a\" SET NOT NULL",
            ])
        // A default fills existing rows by itself: the backfill is not used.
        XCTAssertEqual(
            sql(
                .column(
                    .addColumn(
                        t,
                        Column(
                            name: "a", type: "integer", isNullable: false, defaultValue: .literal(.number("1")),
                            backfill: .number("0"))))),
            ["ALTER TABLE \"public\".\"t\" ADD COLUMN IF NOT EXISTS \"a\" integer DEFAULT 1 NOT NULL"])
    }

    // MARK: - Text rendering

    func testManualAndPreflightSectionsInThePlanText() {
        var plan = Planner.plan(
            [
                Change(.type(.enumValuesNeedManualChange(mood, live: ["a", "b"], declared: ["b", "a"]))),
                Change(setNotNullKind(t, "a", type: "integer")),
                Change(.table(.dropTable(QualifiedName(name: "legacy")))),
            ], allowDestructive: false)
        plan.steps[0].preflightFailure = "3 rows have NULL in a"
        XCTAssertEqual(plan.failingSteps.map(\.number), [1])
        XCTAssertEqual(
            PlanTextRenderer.render(plan, includeSQL: false),
            """
            Plan: 1 step (0 to add, 1 to change, 0 to remove); 2 blocked.

              public.t
                ~ 1. make a NOT NULL  [ACCESS EXCLUSIVE lock: blocks reads and writes; rewrites or scans the whole table; may fail on existing rows]

            Blocked: destructive, run with --allow-destructive to include (--apply refuses while any remain):
              public.legacy
                - 3. drop table public.legacy (not declared in the schema file)  [ACCESS EXCLUSIVE lock: blocks reads and writes; deletes data]

            Needs a manual change (reconcile cannot do this safely):
              public.mood
                - 2. enum values changed from (a, b) to (b, a): PostgreSQL cannot remove or reorder enum values; migrate by hand

            Would fail on the current data (--apply refuses until fixed):
                ✗ 1. public.t: 3 rows have NULL in a

            """)
    }
}
