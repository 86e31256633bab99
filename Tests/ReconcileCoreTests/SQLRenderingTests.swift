import XCTest

@testable import ReconcileCore

/// Quoting, literal rendering, default names, and the exact idempotent SQL of every change kind.
final class SQLRenderingTests: XCTestCase {
    private let t = QualifiedName(name: "t")

    private func sql(_ kind: Change.Kind) -> [String] { Change(kind).statements }

    // MARK: - Quoting

    func testIdentifiersAreAlwaysQuotedWithQuotesDoubled() {
        XCTAssertEqual(SQL.identifier("orders"), "\"orders\"")
        XCTAssertEqual(SQL.identifier("Mixed Case"), "\"Mixed Case\"")
        XCTAssertEqual(SQL.identifier("a\"b"), "\"a\"\"b\"")
        XCTAssertEqual(SQL.identifier("\"\""), "\"\"\"\"\"\"")
        XCTAssertEqual(SQL.identifier("select"), "\"select\"")
        XCTAssertEqual(SQL.qualified(QualifiedName(schema: "odd.schema", name: "T\"x")), "\"odd.schema\".\"T\"\"x\"")
        XCTAssertEqual(SQL.identifierList(["a", "B c"]), "\"a\", \"B c\"")
        XCTAssertEqual(SQL.identifierList([]), "")
    }

    func testLiteralsDoubleSingleQuotes() {
        XCTAssertEqual(SQL.literal(""), "''")
        XCTAssertEqual(SQL.literal("plain"), "'plain'")
        XCTAssertEqual(SQL.literal("it's"), "'it''s'")
        XCTAssertEqual(SQL.literal("''"), "''''''")
        XCTAssertEqual(SQL.literal("\"double\""), "'\"double\"'")
    }

    func testLiteralsWithBackslashUseTheEscapeForm() {
        XCTAssertEqual(SQL.literal("a\\b"), "E'a\\\\b'")
        XCTAssertEqual(SQL.literal("\\'"), "E'\\\\'''")
        XCTAssertEqual(SQL.literal("C:\\path\\n"), "E'C:\\\\path\\\\n'")
    }

    func testDisplayIdentifierQuotesOnlyWhenNeeded() {
        XCTAssertEqual(SQL.displayIdentifier("orders"), "orders")
        XCTAssertEqual(SQL.displayIdentifier("_x1"), "_x1")
        XCTAssertEqual(SQL.displayIdentifier("Orders"), "\"Orders\"")
        XCTAssertEqual(SQL.displayIdentifier("1abc"), "\"1abc\"")
        XCTAssertEqual(SQL.displayIdentifier("a b"), "\"a b\"")
        XCTAssertEqual(SQL.displayIdentifier("a-b"), "\"a-b\"")
        XCTAssertEqual(SQL.displayIdentifier("café"), "\"café\"")
        XCTAssertEqual(SQL.displayIdentifier("select"), "\"select\"")
        XCTAssertEqual(SQL.displayIdentifier("user"), "\"user\"")
        XCTAssertEqual(SQL.displayIdentifier("users"), "users")
        XCTAssertEqual(SQL.displayIdentifier(""), "\"\"")
        XCTAssertEqual(SQL.displayIdentifier("a\"b"), "\"a\"\"b\"")
        XCTAssertEqual(QualifiedName(schema: "public", name: "case").description, "public.\"case\"")
    }

    func testDollarQuotingPicksATagNotInTheBody() {
        XCTAssertEqual(SQL.dollarQuoted("body"), "$reconcile$body$reconcile$")
        XCTAssertEqual(SQL.dollarQuoted("a $reconcile$ b"), "$reconcile1$a $reconcile$ b$reconcile1$")
        XCTAssertEqual(SQL.dollarQuoted("$reconcile$ $reconcile1$"), "$reconcile2$$reconcile$ $reconcile1$$reconcile2$")
        XCTAssertEqual(SQL.dollarQuoted("$$ and $x$"), "$reconcile$$$ and $x$$reconcile$")
    }

    /// A body ending in `$reconcile` would run into the closing tag and end the quoted text early
    /// (`$reconcile$x$reconcile$reconcile$` is the string 'x' followed by `reconcile$`).
    func testDollarQuotingHandlesABodyEndingInThePartialTag() {
        let quoted = SQL.dollarQuoted("x$reconcile")
        XCTAssertFalse(quoted.hasPrefix("$reconcile$"), "got \(quoted)")
        XCTAssertEqual(quoted, "$reconcile1$x$reconcile$reconcile1$")
    }

    // MARK: - Literals and defaults by column type

    func testNumbersAreUnquotedOnlyForNumericTypes() {
        let numericTypes = [
            "integer", "int", "INT4", "bigint", "smallint", "int2", "int8", "numeric", "numeric(12,6)",
            "NUMERIC (3, 2)", "decimal(10,2)", "real", "double precision", "float", "float4", "float8", "float(53)",
        ]
        for type in numericTypes {
            XCTAssertEqual(SQLRenderer.literalSQL(.number("0012"), type: type), "0012", type)
        }
        for type in [
            "text", "varchar(100)", "character varying", "integer[]", "int4[]", "jsonb", "money", "timestamptz", "",
        ] {
            XCTAssertEqual(SQLRenderer.literalSQL(.number("0012"), type: type), "'0012'", type)
        }
    }

    func testOtherLiteralsByType() {
        XCTAssertEqual(SQLRenderer.literalSQL(.null, type: "integer"), "NULL")
        XCTAssertEqual(SQLRenderer.literalSQL(.null, type: "text"), "NULL")
        XCTAssertEqual(SQLRenderer.literalSQL(.bool(true), type: "boolean"), "true")
        XCTAssertEqual(SQLRenderer.literalSQL(.bool(false), type: "BOOL"), "false")
        XCTAssertEqual(SQLRenderer.literalSQL(.bool(true), type: "text"), "'true'")
        XCTAssertEqual(SQLRenderer.literalSQL(.string("5"), type: "integer"), "'5'")
        XCTAssertEqual(SQLRenderer.literalSQL(.string("it's"), type: "text"), "'it''s'")
        XCTAssertEqual(SQLRenderer.literalSQL(.string("a\\b"), type: "text"), "E'a\\\\b'")
        XCTAssertEqual(SQLRenderer.literalSQL(.string("1; DROP TABLE t; --"), type: "integer"), "'1; DROP TABLE t; --'")
    }

    func testDefaultSQLAndText() {
        XCTAssertEqual(SQLRenderer.defaultSQL(.expression("now()"), type: "timestamptz"), "now()")
        XCTAssertEqual(SQLRenderer.defaultSQL(.literal(.number("0.8")), type: "numeric(3,2)"), "0.8")
        XCTAssertEqual(SQLRenderer.defaultSQL(.literal(.number("0012")), type: "text"), "'0012'")
        XCTAssertEqual(SQLRenderer.defaultSQL(.literal(.string("gpt-4")), type: "varchar(100)"), "'gpt-4'")
        XCTAssertEqual(SQLRenderer.defaultText(.expression("now()")), "now()")
        XCTAssertEqual(SQLRenderer.defaultText(.literal(.string("gpt-4"))), "'gpt-4'")
        XCTAssertEqual(SQLRenderer.defaultText(.literal(.number("0"))), "0")
    }

    func testIdentitySequenceOptions() {
        let sequence = SequenceOptions(name: "t_counter", start: 1000, increment: 5, cycle: true)
        XCTAssertEqual(
            SQLRenderer.columnDefinition(
                Column(
                    name: "id", type: "bigint", isNullable: false, identity: .always,
                    sequence: sequence), schema: "app"),
            "\"id\" bigint GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME \"app\".\"t_counter\" "
                + "START WITH 1000 INCREMENT BY 5 CYCLE)")
    }

    func testSequenceOptionsResolveAndMinimize() {
        let t = QualifiedName(name: "t")
        // Resolved, persistence is spelled out too: the table's, unless declared.
        var logged = SequenceOptions(
            name: "t_id_seq", type: "integer", start: 1, increment: 1, minValue: 1,
            maxValue: 2147483647, cache: 1)
        logged.unlogged = false
        XCTAssertEqual(SequenceOptions().resolved(table: t, column: "id", columnType: "integer"), logged)
        var unlogged = logged
        unlogged.unlogged = true
        XCTAssertEqual(
            SequenceOptions().resolved(table: t, column: "id", columnType: "integer", tableUnlogged: true),
            unlogged)
        var descending = SequenceOptions(
            name: "t_id_seq", type: "smallint", start: -1, increment: -1,
            minValue: -32768, maxValue: -1, cache: 1)
        descending.unlogged = false
        XCTAssertEqual(
            SequenceOptions(increment: -1).resolved(table: t, column: "id", columnType: "smallint"),
            descending)
        // What the catalog says of a default sequence minimizes to nothing; a renamed, bigint, later-starting
        // one to exactly those options.
        let live = SequenceOptions(
            name: "t_id_seq", type: "integer", start: 1, increment: 1, minValue: 1,
            maxValue: 2147483647, cache: 1)
        XCTAssertNil(live.minimized(table: t, column: "id", columnType: "integer"))
        let other = SequenceOptions(
            name: "posts_id_seq", type: "bigint", start: 1000, increment: 1, minValue: 1,
            maxValue: Int64.max, cache: 1)
        XCTAssertEqual(
            other.minimized(table: t, column: "id", columnType: "integer"),
            SequenceOptions(name: "posts_id_seq", type: "bigint", start: 1000))
    }

    func testColumnDefinitions() {
        XCTAssertEqual(SQLRenderer.columnDefinition(Column(name: "a", type: "text"), schema: "public"), "\"a\" text")
        XCTAssertEqual(
            SQLRenderer.columnDefinition(Column(name: "a", type: "text", isNullable: false), schema: "public"),
            "\"a\" text NOT NULL")
        XCTAssertEqual(
            SQLRenderer.columnDefinition(
                Column(
                    name: "n", type: "integer", isNullable: false,
                    defaultValue: .literal(.number("0"))), schema: "public"),
            "\"n\" integer DEFAULT 0 NOT NULL")
        XCTAssertEqual(
            SQLRenderer.columnDefinition(
                Column(name: "id", type: "bigint", isNullable: false, identity: .byDefault), schema: "public"),
            "\"id\" bigint GENERATED BY DEFAULT AS IDENTITY")
        XCTAssertEqual(
            SQLRenderer.columnDefinition(
                Column(name: "id", type: "smallint", isNullable: false, isSerial: true), schema: "public"),
            "\"id\" smallserial")
        XCTAssertEqual(
            SQLRenderer.columnDefinition(
                Column(name: "id", type: "integer", isNullable: false, isSerial: true), schema: "public"),
            "\"id\" serial")
        XCTAssertEqual(
            SQLRenderer.columnDefinition(
                Column(name: "id", type: "bigint", isNullable: false, isSerial: true), schema: "public"),
            "\"id\" bigserial")
    }

    // MARK: - Exact SQL per change kind

    private var fullTable: Table {
        Table(
            name: t,
            columns: [
                Column(name: "id", type: "bigint", isNullable: false, identity: .always),
                Column(name: "name", type: "text", isNullable: false),
                Column(name: "score", type: "numeric(5,2)", defaultValue: .literal(.number("0"))),
                Column(name: "code", type: "text", defaultValue: .literal(.number("0012"))),
                Column(name: "at", type: "timestamptz", isNullable: false, defaultValue: .expression("now()")),
                Column(name: "p", type: "bigint"),
            ],
            primaryKey: PrimaryKey(name: "t_pkey", columns: ["id"]),
            uniqueConstraints: [UniqueConstraint(name: "t_name_key", columns: ["name"])],
            checks: [
                CheckConstraint(name: "t_score_check", expression: "score >= 0"),
                CheckConstraint(name: "t_canonical", expression: "CHECK ((score < 100))"),
            ],
            foreignKeys: [parentKey])
    }

    private var parentKey: ForeignKey {
        ForeignKey(
            name: "t_p_fkey", columns: ["p"], referencedTable: QualifiedName(name: "p"), referencedColumns: ["id"],
            onDelete: .cascade, onUpdate: .setNull)
    }

    func testCreateSchema() {
        XCTAssertEqual(sql(.schema(.createSchema("billing"))), ["CREATE SCHEMA IF NOT EXISTS \"billing\""])
    }

    func testCreateTableWithInlineConstraints() {
        XCTAssertEqual(
            sql(.table(.createTable(fullTable, inlineForeignKeys: [parentKey]))),
            [
                """
                CREATE TABLE IF NOT EXISTS "public"."t" (
                    "id" bigint GENERATED ALWAYS AS IDENTITY,
                    "name" text NOT NULL,
                    "score" numeric(5,2) DEFAULT 0,
                    "code" text DEFAULT '0012',
                    "at" timestamptz DEFAULT now() NOT NULL,
                    "p" bigint,
                    CONSTRAINT "t_pkey" PRIMARY KEY ("id"),
                    CONSTRAINT "t_name_key" UNIQUE ("name"),
                    CONSTRAINT "t_score_check" CHECK (score >= 0),
                    CONSTRAINT "t_canonical" CHECK ((score < 100)),
                    CONSTRAINT "t_p_fkey" FOREIGN KEY ("p") REFERENCES "public"."p" ("id") ON UPDATE SET NULL ON DELETE CASCADE
                )
                """
            ])
    }

    func testATableWithoutColumns() {
        XCTAssertEqual(
            sql(.table(.createTable(Table(name: t), inlineForeignKeys: []))),
            ["CREATE TABLE IF NOT EXISTS \"public\".\"t\" ()"])
    }

    func testCreateTableLeavesOutForeignKeysNotInlined() {
        let table = Table(name: t, columns: [Column(name: "p", type: "bigint")], foreignKeys: [parentKey])
        XCTAssertEqual(
            sql(.table(.createTable(table, inlineForeignKeys: []))),
            ["CREATE TABLE IF NOT EXISTS \"public\".\"t\" (\n    \"p\" bigint\n)"])
    }

    func testColumnStatements() {
        XCTAssertEqual(
            sql(
                .column(
                    .addColumn(t, Column(name: "score", type: "numeric(5,2)", defaultValue: .literal(.number("0")))))),
            ["ALTER TABLE \"public\".\"t\" ADD COLUMN IF NOT EXISTS \"score\" numeric(5,2) DEFAULT 0"])
        XCTAssertEqual(
            sql(.column(.addColumn(t, Column(name: "s", type: "integer", isNullable: false, isSerial: true)))),
            ["ALTER TABLE \"public\".\"t\" ADD COLUMN IF NOT EXISTS \"s\" serial"])
        XCTAssertEqual(
            sql(alterTypeKind(t, "score", from: "integer", to: "numeric(5,2)")),
            ["ALTER TABLE \"public\".\"t\" ALTER COLUMN \"score\" TYPE numeric(5,2) USING \"score\"::numeric(5,2)"])
        XCTAssertEqual(
            sql(.column(.setDefault(t, column: "score", .literal(.number("0"))))),
            ["ALTER TABLE \"public\".\"t\" ALTER COLUMN \"score\" SET DEFAULT '0'"])
        XCTAssertEqual(
            sql(.column(.setDefault(t, column: "at", .expression("now()")))),
            ["ALTER TABLE \"public\".\"t\" ALTER COLUMN \"at\" SET DEFAULT now()"])
        XCTAssertEqual(
            sql(.column(.dropDefault(t, column: "score"))),
            ["ALTER TABLE \"public\".\"t\" ALTER COLUMN \"score\" DROP DEFAULT"])
        XCTAssertEqual(
            sql(setNotNullKind(t, "name", type: "text")),
            ["ALTER TABLE \"public\".\"t\" ALTER COLUMN \"name\" SET NOT NULL"])
        XCTAssertEqual(
            sql(.column(.dropNotNull(t, column: "name"))),
            ["ALTER TABLE \"public\".\"t\" ALTER COLUMN \"name\" DROP NOT NULL"])
        XCTAssertEqual(
            sql(.column(.setIdentity(t, column: "id", .always))),
            ["ALTER TABLE \"public\".\"t\" ALTER COLUMN \"id\" SET GENERATED ALWAYS"])
        XCTAssertEqual(
            sql(.column(.dropIdentity(t, column: "id"))),
            ["ALTER TABLE \"public\".\"t\" ALTER COLUMN \"id\" DROP IDENTITY IF EXISTS"])
        XCTAssertEqual(
            sql(.column(.dropColumn(t, column: "code"))),
            ["ALTER TABLE \"public\".\"t\" DROP COLUMN IF EXISTS \"code\""])
        XCTAssertEqual(sql(.table(.dropTable(t))), ["DROP TABLE IF EXISTS \"public\".\"t\""])
    }

    func testAddIdentityIsGuarded() {
        XCTAssertEqual(
            sql(.column(.addIdentity(t, column: "id", .byDefault))),
            [
                """
                DO $reconcile$
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = '"public"."t"'::regclass AND attname = 'id' AND attidentity <> '') THEN
                        ALTER TABLE "public"."t" ALTER COLUMN "id" ADD GENERATED BY DEFAULT AS IDENTITY;
                    END IF;
                END
                $reconcile$
                """,
                // The identity continues after the existing values.
                """
                SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence('"public"."t"', 'id'), \
                coalesce(max("id"), 0) + 1, false) FROM "public"."t"
                """,
            ])
    }

    func testSerialTransitionsAreGuardedAndRestartAfterTheMaximum() {
        XCTAssertEqual(
            sql(.column(.dropSerial(t, column: "id"))),
            [
                """
                DO $reconcile$
                DECLARE
                    sequence_name text := pg_catalog.pg_get_serial_sequence('"public"."t"', 'id');
                BEGIN
                    IF sequence_name IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = \
                '"public"."t"'::regclass AND attname = 'id' AND attidentity <> '') THEN
                        ALTER TABLE "public"."t" ALTER COLUMN "id" DROP DEFAULT;
                        EXECUTE 'DROP SEQUENCE ' || sequence_name;
                    END IF;
                END
                $reconcile$
                """
            ])
        XCTAssertEqual(
            sql(.column(.addSerial(t, column: "id", type: "bigint"))),
            [
                "CREATE SEQUENCE IF NOT EXISTS \"public\".\"t_id_seq\" AS bigint OWNED BY \"public\".\"t\".\"id\"",
                "ALTER TABLE \"public\".\"t\" ALTER COLUMN \"id\" SET DEFAULT pg_catalog.nextval('\"public\".\"t_id_seq\"'::regclass)",
                "SELECT pg_catalog.setval('\"public\".\"t_id_seq\"', coalesce(max(\"id\"), 0) + 1, false) FROM \"public\".\"t\"",
            ])
    }

    private func guardedAdd(_ name: String, _ clause: String) -> String {
        """
        DO $reconcile$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = '"public"."t"'::regclass AND conname = '\(name)') THEN
                ALTER TABLE "public"."t" ADD CONSTRAINT "\(name)" \(clause);
            END IF;
        END
        $reconcile$
        """
    }

    func testConstraintsAreAddedInGuardedDoBlocks() {
        XCTAssertEqual(
            sql(.constraint(.addPrimaryKey(t, PrimaryKey(name: "t_pkey", columns: ["id", "name"])))),
            [guardedAdd("t_pkey", "PRIMARY KEY (\"id\", \"name\")")])
        XCTAssertEqual(
            sql(.constraint(.addUnique(t, UniqueConstraint(name: "t_name_key", columns: ["name"])))),
            [guardedAdd("t_name_key", "UNIQUE (\"name\")")])
        XCTAssertEqual(
            sql(.constraint(.addCheck(t, CheckConstraint(name: "t_score_check", expression: "score >= 0")))),
            [guardedAdd("t_score_check", "CHECK (score >= 0)")])
        XCTAssertEqual(
            sql(.constraint(.addCheck(t, CheckConstraint(name: "t_c", expression: "CHECK ((score >= 0))")))),
            [guardedAdd("t_c", "CHECK ((score >= 0))")])
        let exclusion = ExclusionConstraint(
            name: "t_during_excl",
            definition: "USING gist (during WITH &&) WHERE (a > 0)",
            deferral: .initiallyDeferred)
        XCTAssertEqual(
            sql(.constraint(.addExclusion(t, exclusion))),
            [
                guardedAdd(
                    "t_during_excl",
                    "EXCLUDE USING gist (during WITH &&) WHERE (a > 0) DEFERRABLE INITIALLY DEFERRED")
            ])
        XCTAssertEqual(
            sql(.constraint(.addForeignKey(t, parentKey))),
            [
                guardedAdd(
                    "t_p_fkey",
                    "FOREIGN KEY (\"p\") REFERENCES \"public\".\"p\" (\"id\") ON UPDATE SET NULL ON DELETE CASCADE")
            ])
        let plain = ForeignKey(
            name: "t_ab_fkey", columns: ["a", "b"], referencedTable: QualifiedName(schema: "s", name: "q"),
            referencedColumns: ["x", "y"])
        XCTAssertEqual(
            sql(.constraint(.addForeignKey(t, plain))),
            [guardedAdd("t_ab_fkey", "FOREIGN KEY (\"a\", \"b\") REFERENCES \"s\".\"q\" (\"x\", \"y\")")])
    }

    func testRenameAndDropConstraint() {
        XCTAssertEqual(
            sql(.constraint(.renameConstraint(t, from: "old", to: "new"))),
            [
                """
                DO $reconcile$
                BEGIN
                    IF EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = '"public"."t"'::regclass AND conname = 'old') THEN
                        ALTER TABLE "public"."t" RENAME CONSTRAINT "old" TO "new";
                    END IF;
                END
                $reconcile$
                """
            ])
        XCTAssertEqual(
            sql(.constraint(.dropConstraint(t, name: "t_x", replaced: false))),
            ["ALTER TABLE \"public\".\"t\" DROP CONSTRAINT IF EXISTS \"t_x\""])
        XCTAssertEqual(
            sql(.constraint(.dropConstraint(t, name: "t_x", replaced: true))),
            ["ALTER TABLE \"public\".\"t\" DROP CONSTRAINT IF EXISTS \"t_x\""])
    }

    func testIndexStatements() {
        XCTAssertEqual(
            sql(.index(.createIndex(t, Index(name: "t_name_idx", keys: [.column("name")], method: "gin")))),
            ["CREATE INDEX IF NOT EXISTS \"t_name_idx\" ON \"public\".\"t\" USING gin (\"name\")"])
        XCTAssertEqual(
            sql(
                .index(
                    .createIndex(
                        t,
                        Index(
                            name: "t_ab_key", keys: [.column("a"), .column("B")], isUnique: true,
                            predicate: "a IS NOT NULL")))),
            [
                "CREATE UNIQUE INDEX IF NOT EXISTS \"t_ab_key\" ON \"public\".\"t\" USING btree (\"a\", \"B\") WHERE (a IS NOT NULL)"
            ])
        XCTAssertEqual(
            sql(.index(.renameIndex(QualifiedName(schema: "s", name: "t"), from: "a", to: "b"))),
            ["ALTER INDEX IF EXISTS \"s\".\"a\" RENAME TO \"b\""])
        XCTAssertEqual(
            sql(.index(.dropIndex(QualifiedName(schema: "s", name: "t"), name: "t_name_idx", replaced: false))),
            ["DROP INDEX IF EXISTS \"s\".\"t_name_idx\""])
    }

    func testExpressionIndexKeysAreWrittenVerbatim() {
        // An expression key is written exactly as inside CREATE INDEX (...): a function call needs no
        // parentheses of its own, an operator expression carries them, and ordering/opclass words pass through.
        let index = Index(name: "t_lower_idx", keys: [.expression("lower(name)"), .column("id")], isUnique: true)
        XCTAssertEqual(
            sql(.index(.createIndex(t, index))),
            ["CREATE UNIQUE INDEX IF NOT EXISTS \"t_lower_idx\" ON \"public\".\"t\" USING btree (lower(name), \"id\")"])
        XCTAssertEqual(SQLRenderer.indexDefinitionTail(index), "USING btree (lower(name), \"id\")")
        let mixed = Index(
            name: "t_mixed",
            keys: [
                .expression("(a + b)"), .expression("created_at DESC"),
                .expression("name text_pattern_ops"),
            ], method: "btree", predicate: "a > 0")
        XCTAssertEqual(
            SQLRenderer.indexDefinitionTail(mixed),
            "USING btree ((a + b), created_at DESC, name text_pattern_ops) WHERE (a > 0)")
    }

    // MARK: - Seeded rows

    private var seededTable: Table {
        Table(
            name: t,
            columns: [
                Column(name: "id", type: "integer", isNullable: false),
                Column(name: "label", type: "text"),
                Column(name: "ratio", type: "numeric(3,2)"),
                Column(name: "on", type: "boolean"),
            ],
            primaryKey: PrimaryKey(name: "t_pkey", columns: ["id"]),
            seed: Seed(key: ["id"], rows: []))
    }

    func testInsertMissingSeedRows() {
        let rows = [
            SeedRow(values: [("id", .number("1")), ("label", .string("it's")), ("ratio", .number("0.8"))]),
            SeedRow(values: [("id", .number("2")), ("label", .number("0012")), ("ratio", .null)]),
        ]
        XCTAssertEqual(
            sql(.seed(.seedRows(seededTable, rows: rows, mode: .insertMissing))),
            [
                """
                INSERT INTO "public"."t" ("id", "label", "ratio")
                VALUES (1, 'it''s', 0.8),
                       (2, '0012', NULL)
                ON CONFLICT ("id") DO NOTHING
                """
            ])
    }

    func testEnforceSeedRowsUpdateOnlyWhenDistinct() {
        let rows = [SeedRow(values: [("id", .number("1")), ("label", .string("a")), ("on", .bool(true))])]
        XCTAssertEqual(
            sql(.seed(.seedRows(seededTable, rows: rows, mode: .enforce))),
            [
                """
                INSERT INTO "public"."t" AS "t" ("id", "label", "on")
                VALUES (1, 'a', true)
                ON CONFLICT ("id") DO UPDATE SET "label" = EXCLUDED."label", "on" = EXCLUDED."on"
                    WHERE ROW("t"."label", "t"."on")::text IS DISTINCT FROM ROW(EXCLUDED."label", EXCLUDED."on")::text
                """
            ])
    }

    func testEnforceWithOnlyKeyColumnsDoesNothingOnConflict() {
        let rows = [SeedRow(values: [("id", .number("1"))])]
        XCTAssertEqual(
            sql(.seed(.seedRows(seededTable, rows: rows, mode: .enforce))),
            ["INSERT INTO \"public\".\"t\" (\"id\")\nVALUES (1)\nON CONFLICT (\"id\") DO NOTHING"])
    }

    func testRowsWithDifferentColumnsGetSeparateInserts() {
        let rows = [
            SeedRow(values: [("id", .number("1")), ("label", .string("a"))]),
            SeedRow(values: [("id", .number("2"))]),
            SeedRow(values: [("id", .number("3")), ("label", .string("c"))]),
        ]
        XCTAssertEqual(
            sql(.seed(.seedRows(seededTable, rows: rows, mode: .insertMissing))),
            [
                "INSERT INTO \"public\".\"t\" (\"id\", \"label\")\nVALUES (1, 'a'),\n       (3, 'c')\nON CONFLICT (\"id\") DO NOTHING",
                "INSERT INTO \"public\".\"t\" (\"id\")\nVALUES (2)\nON CONFLICT (\"id\") DO NOTHING",
            ])
    }

    func testSeedKeyOtherThanThePrimaryKey() {
        var table = seededTable
        table.uniqueConstraints = [UniqueConstraint(name: "t_label_key", columns: ["label"])]
        table.seed = Seed(mode: .enforce, key: ["label"], rows: [])
        let rows = [SeedRow(values: [("label", .string("x")), ("ratio", .number("1"))])]
        XCTAssertEqual(
            sql(.seed(.seedRows(table, rows: rows, mode: .enforce))),
            [
                """
                INSERT INTO "public"."t" AS "t" ("label", "ratio")
                VALUES ('x', 1)
                ON CONFLICT ("label") DO UPDATE SET "ratio" = EXCLUDED."ratio"
                    WHERE ROW("t"."ratio")::text IS DISTINCT FROM ROW(EXCLUDED."ratio")::text
                """
            ])
    }

    private var identityTable: Table {
        Table(
            name: t,
            columns: [
                Column(name: "id", type: "bigint", isNullable: false, identity: .always),
                Column(name: "code", type: "text", isNullable: false),
            ],
            primaryKey: PrimaryKey(name: "t_pkey", columns: ["id"]),
            uniqueConstraints: [UniqueConstraint(name: "t_code_key", columns: ["code"])],
            seed: Seed(key: ["code"], rows: []))
    }

    func testSeedingAnIdentityAlwaysColumnOverridesSystemValue() {
        let rows = [SeedRow(values: [("id", .number("1")), ("code", .string("a"))])]
        XCTAssertEqual(
            sql(.seed(.seedRows(identityTable, rows: rows, mode: .insertMissing))),
            [
                """
                INSERT INTO "public"."t" ("id", "code") OVERRIDING SYSTEM VALUE
                VALUES (1, 'a')
                ON CONFLICT ("code") DO NOTHING
                """
            ])
        // Rows that leave the identity column out let the sequence fill it: no OVERRIDING.
        let generated = [SeedRow(values: [("code", .string("b"))])]
        XCTAssertEqual(
            sql(.seed(.seedRows(identityTable, rows: generated, mode: .insertMissing))),
            ["INSERT INTO \"public\".\"t\" (\"code\")\nVALUES ('b')\nON CONFLICT (\"code\") DO NOTHING"])
        // BY DEFAULT identities accept explicit values without it.
        var byDefault = identityTable
        byDefault.columns[0].identity = .byDefault
        XCTAssertEqual(
            sql(.seed(.seedRows(byDefault, rows: rows, mode: .insertMissing))),
            ["INSERT INTO \"public\".\"t\" (\"id\", \"code\")\nVALUES (1, 'a')\nON CONFLICT (\"code\") DO NOTHING"])
    }

    /// Regression (fixed in 5ef347d): OVERRIDING SYSTEM VALUE was decided from the first row only, but rows
    /// are split into one INSERT per column list; a later group that set the identity column went without it
    /// and PostgreSQL rejected it ("cannot insert a non-DEFAULT value into column "id"").
    func testOverridingSystemValueIsDecidedPerInsert() {
        let rows = [
            SeedRow(values: [("code", .string("a"))]),
            SeedRow(values: [("id", .number("5")), ("code", .string("b"))]),
        ]
        XCTAssertEqual(
            sql(.seed(.seedRows(identityTable, rows: rows, mode: .insertMissing))),
            [
                "INSERT INTO \"public\".\"t\" (\"code\")\nVALUES ('a')\nON CONFLICT (\"code\") DO NOTHING",
                "INSERT INTO \"public\".\"t\" (\"id\", \"code\") OVERRIDING SYSTEM VALUE\nVALUES (5, 'b')\nON CONFLICT (\"code\") DO NOTHING",
            ])
    }

    // MARK: - Hostile identifiers

    private let hostileNames = [
        "x\"; DROP TABLE users; --", "it's", "a\\b", "Mixed Case", "select", "täble ✓ 名前", "$reconcile$", "\"", "'",
        "a\"\"b", "--", "/*", "e'", "$1",
    ]

    func testHostileIdentifiersRoundTripThroughQuoting() {
        for name in hostileNames {
            XCTAssertEqual(unquoteIdentifier(SQL.identifier(name)), name, name)
            XCTAssertEqual(unquoteLiteral(SQL.literal(name)), name, name)
        }
    }

    func testHostileNamesStayInsideTheirQuotesInStatements() {
        for name in hostileNames {
            let table = QualifiedName(schema: name, name: name)
            let q = SQL.identifier(name)
            XCTAssertEqual(sql(.table(.dropTable(table))), ["DROP TABLE IF EXISTS \(q).\(q)"], name)
            XCTAssertEqual(
                sql(.column(.addColumn(table, Column(name: name, type: "text")))),
                ["ALTER TABLE \(q).\(q) ADD COLUMN IF NOT EXISTS \(q) text"], name)
            XCTAssertEqual(
                sql(.index(.createIndex(table, Index(name: name, keys: [.column(name)])))),
                ["CREATE INDEX IF NOT EXISTS \(q) ON \(q).\(q) USING btree (\(q))"], name)
            let regclass = SQL.literal("\(q).\(q)")
            let statement = "ALTER TABLE \(q).\(q) ADD CONSTRAINT \(q) UNIQUE (\(q))"
            let body =
                "\nBEGIN\n    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = \(regclass)::regclass AND conname = \(SQL.literal(name))) THEN\n        \(statement);\n    END IF;\nEND\n"
            XCTAssertEqual(
                sql(.constraint(.addUnique(table, UniqueConstraint(name: name, columns: [name])))),
                ["DO " + SQL.dollarQuoted(body)], name)
        }
    }

    func testHostileNameInsideADoBlockGetsAnotherDollarTag() {
        let name = "x$reconcile$y"
        XCTAssertEqual(
            sql(.constraint(.dropConstraint(t, name: name, replaced: false))),
            ["ALTER TABLE \"public\".\"t\" DROP CONSTRAINT IF EXISTS \"x$reconcile$y\""])
        let statements = sql(.constraint(.addCheck(t, CheckConstraint(name: name, expression: "true"))))
        XCTAssertEqual(statements.count, 1)
        XCTAssertTrue(statements[0].hasPrefix("DO $reconcile1$\nBEGIN\n"), statements[0])
        XCTAssertTrue(statements[0].hasSuffix("\nEND\n$reconcile1$"), statements[0])
        XCTAssertTrue(statements[0].contains("AND conname = 'x$reconcile$y')"), statements[0])
    }

    func testHostileQuotesInGuardLiterals() {
        let table = QualifiedName(schema: "it's", name: "a\\b")
        XCTAssertEqual(
            sql(.constraint(.renameConstraint(table, from: "o'ld", to: "n\"ew"))),
            [
                """
                DO $reconcile$
                BEGIN
                    IF EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = E'"it''s"."a\\\\b"'::regclass AND conname = 'o''ld') THEN
                        ALTER TABLE "it's"."a\\b" RENAME CONSTRAINT "o'ld" TO "n""ew";
                    END IF;
                END
                $reconcile$
                """
            ])
    }

    // MARK: - Default names

    func testDefaultNamesForShortNames() {
        XCTAssertEqual(DefaultNames.primaryKey(table: "cases"), "cases_pkey")
        XCTAssertEqual(DefaultNames.unique(table: "cases", columns: ["code", "email"]), "cases_code_email_key")
        XCTAssertEqual(DefaultNames.foreignKey(table: "logs", columns: ["case_id"]), "logs_case_id_fkey")
        XCTAssertEqual(DefaultNames.check(table: "logs", column: "tokens"), "logs_tokens_check")
        XCTAssertEqual(DefaultNames.index(table: "logs", keys: [.column("a"), .column("b")]), "logs_a_b_idx")
        XCTAssertEqual(
            DefaultNames.index(table: "logs", keys: [.column("a"), .expression("(a + b)")]), "logs_a_expr_idx")
    }

    func testDefaultNamesTruncateALongTableTo63Bytes() {
        let long = String(repeating: "t", count: 70)
        let pkey = DefaultNames.primaryKey(table: long)
        XCTAssertEqual(pkey, String(repeating: "t", count: 58) + "_pkey")
        XCTAssertEqual(pkey.utf8.count, 63)
        // Only the longer part is shortened, as PostgreSQL's makeObjectName does.
        let fkey = DefaultNames.foreignKey(table: long, columns: ["case_id"])
        XCTAssertEqual(fkey, String(repeating: "t", count: 50) + "_case_id_fkey")
        XCTAssertEqual(fkey.utf8.count, 63)
    }

    func testDefaultNamesShortenTheLongerPartFirstThenBoth() {
        let table = String(repeating: "a", count: 40), column = String(repeating: "b", count: 40)
        let name = DefaultNames.unique(table: table, columns: [column])
        XCTAssertEqual(name, String(repeating: "a", count: 29) + "_" + String(repeating: "b", count: 29) + "_key")
        XCTAssertEqual(name.utf8.count, 63)
    }

    func testDefaultNamesFitExactlyWithoutTruncation() {
        let table = String(repeating: "c", count: 58)
        XCTAssertEqual(DefaultNames.primaryKey(table: table), table + "_pkey")
        XCTAssertEqual(DefaultNames.primaryKey(table: table + "c"), table + "_pkey")
    }

    func testDefaultNamesNeverCutAMultibyteCharacter() {
        // "a" + 40 × "é" (2 bytes each) = 81 bytes; 58 bytes fit before "_pkey", which would split an "é".
        let table = "a" + String(repeating: "é", count: 40)
        let name = DefaultNames.primaryKey(table: table)
        XCTAssertEqual(name, "a" + String(repeating: "é", count: 28) + "_pkey")
        XCTAssertEqual(name.utf8.count, 62)
        XCTAssertNotNil(String(validating: Array(name.utf8), as: UTF8.self))
        // Four-byte characters too.
        let emoji = DefaultNames.check(table: String(repeating: "🙂", count: 20), column: "x")
        XCTAssertEqual(emoji, String(repeating: "🙂", count: 13) + "_x_check")
        XCTAssertEqual(emoji.utf8.count, 60)
    }

    /// PostgreSQL names an unnamed index on `lower(email)` `users_lower_idx` (it uses the function name,
    /// FigureIndexColname), and only falls back to `expr` for operators such as `(a + b)`.
    func testDefaultIndexNameForAFunctionExpressionMatchesPostgreSQL() {
        XCTAssertEqual(DefaultNames.index(table: "users", keys: [.expression("lower(email)")]), "users_lower_idx")
    }
}
