import XCTest

@testable import ReconcileCore

/// The plan as a person reads it, and as an SQL script.
final class PlanRendererTests: XCTestCase {
    private let users = QualifiedName(name: "users")
    private let invoices = QualifiedName(schema: "billing", name: "invoices")

    private var invoicesTable: Table {
        Table(
            name: invoices,
            columns: [
                Column(name: "id", type: "bigint", isNullable: false, identity: .always),
                Column(name: "total", type: "numeric(12,2)", isNullable: false, defaultValue: .literal(.number("0"))),
            ],
            primaryKey: PrimaryKey(name: "invoices_pkey", columns: ["id"]))
    }

    private var settings: Table {
        Table(
            name: QualifiedName(name: "settings"),
            columns: [
                Column(name: "id", type: "integer", isNullable: false),
                Column(name: "label", type: "text"),
            ],
            primaryKey: PrimaryKey(name: "settings_pkey", columns: ["id"]),
            seed: Seed(key: ["id"], rows: [SeedRow(values: [("id", .number("1")), ("label", .string("it's"))])]))
    }

    /// Listed out of order on purpose: the planner sorts them.
    private var changes: [Change] {
        [
            Change(.table(.dropTable(QualifiedName(name: "legacy")))),
            Change(.constraint(.addCheck(users, CheckConstraint(name: "users_age_check", expression: "age >= 0")))),
            Change(.column(.addColumn(users, Column(name: "age", type: "integer")))),
            Change(.table(.createTable(invoicesTable, inlineForeignKeys: []))),
            Change(.schema(.createSchema("billing"))),
            Change(.seed(.seedRows(settings, rows: settings.seed!.rows, mode: .insertMissing))),
            Change(.column(.dropColumn(users, column: "nickname"))),
        ]
    }

    func testGoldenTextWithBlockedStepsAndSQL() {
        let plan = Planner.plan(changes, allowDestructive: false)
        let expected = """
            Plan: 5 steps (5 to add, 0 to change, 0 to remove); 2 blocked.

              database
                + 1. create schema billing
              billing.invoices
                + 2. create table billing.invoices (2 columns)
              public.users
                + 3. add column age integer  [ACCESS EXCLUSIVE lock: blocks reads and writes]
                + 4. add check users_age_check  [ACCESS EXCLUSIVE lock: blocks reads and writes; rewrites or scans the whole table; may fail on existing rows]
              public.settings
                + 5. insert missing seeded row id=1

            Blocked: destructive, run with --allow-destructive to include (--apply refuses while any remain):
              public.users
                - 6. drop column nickname  [ACCESS EXCLUSIVE lock: blocks reads and writes; deletes data]
              public.legacy
                - 7. drop table public.legacy (not declared in the schema file)  [ACCESS EXCLUSIVE lock: blocks reads and writes; deletes data]

            SQL (each statement is idempotent):

            -- 1. create schema billing
            CREATE SCHEMA IF NOT EXISTS "billing";

            -- 2. billing.invoices: create table billing.invoices (2 columns)
            CREATE TABLE IF NOT EXISTS "billing"."invoices" (
                "id" bigint GENERATED ALWAYS AS IDENTITY,
                "total" numeric(12,2) DEFAULT 0 NOT NULL,
                CONSTRAINT "invoices_pkey" PRIMARY KEY ("id")
            );

            -- 3. public.users: add column age integer
            ALTER TABLE "public"."users" ADD COLUMN IF NOT EXISTS "age" integer;

            -- 4. public.users: add check users_age_check
            DO $reconcile$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = '"public"."users"'::regclass AND conname = 'users_age_check') THEN
                    ALTER TABLE "public"."users" ADD CONSTRAINT "users_age_check" CHECK (age >= 0);
                END IF;
            END
            $reconcile$;

            -- 5. public.settings: insert missing seeded row id=1
            INSERT INTO "public"."settings" ("id", "label")
            VALUES (1, 'it''s')
            ON CONFLICT ("id") DO NOTHING;


            """
        XCTAssertEqual(PlanTextRenderer.render(plan), expected)
    }

    func testGoldenTextWithoutSQLWhenDestructiveIsAllowed() {
        let plan = Planner.plan(changes, allowDestructive: true)
        XCTAssertEqual(
            PlanTextRenderer.render(plan, includeSQL: false),
            """
            Plan: 7 steps (5 to add, 0 to change, 2 to remove).

              database
                + 1. create schema billing
              billing.invoices
                + 2. create table billing.invoices (2 columns)
              public.users
                + 3. add column age integer  [ACCESS EXCLUSIVE lock: blocks reads and writes]
                - 4. drop column nickname  [ACCESS EXCLUSIVE lock: blocks reads and writes; deletes data]
                + 5. add check users_age_check  [ACCESS EXCLUSIVE lock: blocks reads and writes; rewrites or scans the whole table; may fail on existing rows]
              public.settings
                + 6. insert missing seeded row id=1
              public.legacy
                - 7. drop table public.legacy (not declared in the schema file)  [ACCESS EXCLUSIVE lock: blocks reads and writes; deletes data]

            """)
    }

    func testSingleStepChangeCountsAndMarkers() {
        let plan = Planner.plan(
            [Change(.column(.setDefault(users, column: "age", .literal(.number("18")))))], allowDestructive: false)
        XCTAssertEqual(
            PlanTextRenderer.render(plan, includeSQL: false),
            """
            Plan: 1 step (0 to add, 1 to change, 0 to remove).

              public.users
                ~ 1. set default of age to 18  [ACCESS EXCLUSIVE lock: blocks reads and writes]

            """)
    }

    func testOnlyBlockedStepsShowNoSQL() {
        let plan = Planner.plan(
            [Change(.index(.dropIndex(users, name: "users_age_idx", replaced: false)))], allowDestructive: false)
        XCTAssertEqual(
            PlanTextRenderer.render(plan),
            """
            Plan: 0 steps (0 to add, 0 to change, 0 to remove); 1 blocked.

            Blocked: destructive, run with --allow-destructive to include (--apply refuses while any remain):
              public.users
                - 1. drop index users_age_idx  [ACCESS EXCLUSIVE lock: blocks reads and writes; deletes data]

            """)
    }

    func testNoChanges() {
        XCTAssertEqual(
            PlanTextRenderer.render(Planner.plan([], allowDestructive: false)),
            "No changes. The database matches the schema file.\n")
        XCTAssertEqual(
            PlanTextRenderer.render(Planner.plan([], allowDestructive: true), includeSQL: false),
            "No changes. The database matches the schema file.\n")
    }

    func testSQLScriptIsWrappedInATransaction() {
        let plan = Planner.plan(
            [
                Change(.schema(.createSchema("billing"))),
                Change(.table(.createTable(invoicesTable, inlineForeignKeys: []))),
                Change(.table(.dropTable(QualifiedName(name: "legacy")))),
            ], allowDestructive: false)
        XCTAssertEqual(
            PlanSQLRenderer.render(plan),
            """
            BEGIN;
            SET CONSTRAINTS ALL IMMEDIATE;

            -- 1. create schema billing
            CREATE SCHEMA IF NOT EXISTS "billing";

            -- 2. billing.invoices: create table billing.invoices (2 columns)
            CREATE TABLE IF NOT EXISTS "billing"."invoices" (
                "id" bigint GENERATED ALWAYS AS IDENTITY,
                "total" numeric(12,2) DEFAULT 0 NOT NULL,
                CONSTRAINT "invoices_pkey" PRIMARY KEY ("id")
            );

            COMMIT;

            """, "blocked steps are not in the script")
    }

    func testSQLScriptForAnEmptyPlan() {
        XCTAssertEqual(
            PlanSQLRenderer.render(Planner.plan([], allowDestructive: false)),
            "BEGIN;\nSET CONSTRAINTS ALL IMMEDIATE;\n\nCOMMIT;\n")
        XCTAssertEqual(PlanSQLRenderer.render(Planner.plan([], allowDestructive: false), transaction: false), "")
    }

    func testSQLScriptWithoutTransactionHasOneStatementPerLineGroup() {
        let rows = [
            SeedRow(values: [("id", .number("1"))]), SeedRow(values: [("id", .number("2")), ("label", .null)]),
        ]
        let plan = Planner.plan(
            [Change(.seed(.seedRows(settings, rows: rows, mode: .enforce)))], allowDestructive: false)
        XCTAssertEqual(
            PlanSQLRenderer.render(plan, transaction: false),
            """
            -- 1. public.settings: insert or restore seeded rows id=1; id=2
            INSERT INTO "public"."settings" ("id")
            VALUES (1)
            ON CONFLICT ("id") DO NOTHING;
            INSERT INTO "public"."settings" AS "t" ("id", "label")
            VALUES (2, NULL)
            ON CONFLICT ("id") DO UPDATE SET "label" = EXCLUDED."label"
                WHERE ROW("t"."label")::text IS DISTINCT FROM ROW(EXCLUDED."label")::text;


            """)
    }

    func testSummaries() {
        let t = QualifiedName(name: "t")
        let expected: [(Change.Kind, String)] = [
            (.schema(.createSchema("Billing")), "create schema \"Billing\""),
            (
                .table(.createTable(Table(name: t, columns: [Column(name: "a", type: "int")]), inlineForeignKeys: [])),
                "create table public.t (1 column)"
            ),
            (.column(.addColumn(t, Column(name: "Age", type: "integer"))), "add column \"Age\" integer"),
            (alterTypeKind(t, "a", from: "integer", to: "bigint"), "change type of a: integer → bigint"),
            (.column(.setDefault(t, column: "a", .literal(.string("x")))), "set default of a to 'x'"),
            (.column(.setDefault(t, column: "a", .expression("now()"))), "set default of a to now()"),
            (.column(.dropDefault(t, column: "a")), "drop default of a"),
            (setNotNullKind(t, "a", type: "int"), "make a NOT NULL"),
            (.column(.dropNotNull(t, column: "a")), "make a nullable"),
            (.column(.addIdentity(t, column: "a", .byDefault)), "make a an identity (BY DEFAULT)"),
            (.column(.setIdentity(t, column: "a", .always)), "make identity a GENERATED ALWAYS"),
            (.column(.dropIdentity(t, column: "a")), "drop identity of a"),
            (
                .constraint(.addPrimaryKey(t, PrimaryKey(name: "t_pkey", columns: ["a", "b"]))),
                "add primary key t_pkey (a, b)"
            ),
            (
                .constraint(.addUnique(t, UniqueConstraint(name: "t_a_key", columns: ["a"]))),
                "add unique constraint t_a_key (a)"
            ),
            (.constraint(.addCheck(t, CheckConstraint(name: "t_a_check", expression: "a > 0"))), "add check t_a_check"),
            (
                .constraint(.addExclusion(t, ExclusionConstraint(name: "t_x", definition: "USING gist (a WITH &&)"))),
                "add exclusion constraint t_x"
            ),
            (
                .constraint(
                    .addForeignKey(
                        t,
                        ForeignKey(
                            name: "t_a_fkey", columns: ["a"], referencedTable: QualifiedName(schema: "s", name: "U"),
                            referencedColumns: ["id"]))), "add foreign key t_a_fkey → s.\"U\""
            ),
            (.constraint(.renameConstraint(t, from: "a", to: "b")), "rename constraint a to b"),
            (.constraint(.dropConstraint(t, name: "c", replaced: true)), "replace constraint c (definition changed)"),
            (.constraint(.dropConstraint(t, name: "c", replaced: false)), "drop constraint c"),
            (.index(.createIndex(t, Index(name: "i", keys: [.column("a")], isUnique: true))), "create unique index i"),
            (.index(.createIndex(t, Index(name: "i", keys: [.column("a")]))), "create index i"),
            (.index(.renameIndex(t, from: "a", to: "b")), "rename index a to b"),
            (.index(.dropIndex(t, name: "i", replaced: true)), "replace index i (definition changed)"),
            (.index(.dropIndex(t, name: "i", replaced: false)), "drop index i"),
            (
                .seed(.seedRows(settings, rows: settings.seed!.rows, mode: .enforce)),
                "insert or restore seeded row id=1"
            ),
            (.column(.dropColumn(t, column: "a")), "drop column a"),
            (.table(.dropTable(t)), "drop table public.t (not declared in the schema file)"),
        ]
        for (kind, summary) in expected { XCTAssertEqual(Change(kind).summary, summary) }
    }

    func testSeedSummaryShowsEveryKeyColumnAndQuotesText() {
        let table = Table(
            name: QualifiedName(name: "t"), columns: [Column(name: "a", type: "text"), Column(name: "b", type: "int")],
            seed: Seed(key: ["a", "b"], rows: []))
        let rows = [
            SeedRow(values: [("a", .string("x")), ("b", .number("1"))]),
            SeedRow(values: [("a", .string("y")), ("b", .null)]),
        ]
        XCTAssertEqual(
            Change(.seed(.seedRows(table, rows: rows, mode: .insertMissing))).summary,
            "insert missing seeded rows a='x',b=1; a='y',b=NULL")
    }

    func testEndToEndRootSchemaAgainstAnEmptyDatabase() throws {
        let desired = try SchemaLoader.load(path: Fixture.rootSchemaPath)
        let plan = Planner.plan(
            Differ(desired: desired, live: Schema(schemaNames: ["public"])).changes(), allowDestructive: false)
        XCTAssertEqual(
            plan.steps.map(\.summary),
            [
                "create table public.admin_settings (4 columns)",
                "create table public.cases (3 columns)",
                "create table public.ai_usage_logs (7 columns)",
                "create index ai_usage_logs_case_id_idx",
                "create index ai_usage_logs_created_at_idx",
                "insert missing seeded row id=1",
            ])
        XCTAssertEqual(plan.blocked, [])
        XCTAssertEqual(
            plan.steps.last?.statements,
            [
                """
                INSERT INTO "public"."admin_settings" ("id", "monthly_spending_cap", "cap_warning_threshold")
                VALUES (1, NULL, 0.8)
                ON CONFLICT ("id") DO NOTHING
                """
            ])
        XCTAssertEqual(
            plan.steps[2].statements,
            [
                """
                CREATE TABLE IF NOT EXISTS "public"."ai_usage_logs" (
                    "id" bigint GENERATED ALWAYS AS IDENTITY,
                    "case_id" bigint NOT NULL,
                    "analysis_type" text NOT NULL,
                    "tokens_used" integer DEFAULT 0 NOT NULL,
                    "estimated_cost" numeric(12,6) DEFAULT 0 NOT NULL,
                    "model_used" varchar(100) DEFAULT 'gpt-4' NOT NULL,
                    "created_at" timestamptz DEFAULT now() NOT NULL,
                    CONSTRAINT "ai_usage_logs_pkey" PRIMARY KEY ("id"),
                    CONSTRAINT "ai_usage_logs_analysis_type_check" CHECK (analysis_type IN ('comprehensive', 'letter_generation')),
                    CONSTRAINT "ai_usage_logs_tokens_used_check" CHECK (tokens_used >= 0),
                    CONSTRAINT "ai_usage_logs_estimated_cost_check" CHECK (estimated_cost >= 0),
                    CONSTRAINT "ai_usage_logs_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "public"."cases" ("id") ON DELETE CASCADE
                )
                """
            ])
        // Applying the plan and diffing again finds nothing: the desired schema against itself.
        XCTAssertTrue(
            Planner.plan(
                Differ(
                    desired: desired, live: desired,
                    seedStates: [QualifiedName(name: "admin_settings"): [.matches]]
                ).changes(),
                allowDestructive: true
            ).isInSync)
    }
}
