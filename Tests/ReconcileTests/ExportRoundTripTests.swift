import Foundation
import Reconcile
import XCTest

/// `--export` promises three things about the file it writes (see `Exporter`):
///   (1) `--check` of the file against the database it came from is in sync;
///   (2) applying the file to an empty database and exporting that gives the same text, byte for byte;
///   (3) applying the file to a *different* database (extra tables and columns, other types, other
///       defaults, constraints and indexes) with `--allow-destructive` makes that database equal to the source.
/// Each test builds a source database by hand, with SQL, the way a team adopting reconcile would have it,
/// and checks all three.
final class ExportRoundTripTests: XCTestCase {

    // MARK: - Every built-in type

    /// PostgreSQL 15 accepts every base type of pg_catalog as a column type (even internal ones such as
    /// pg_node_tree or aclitem). If a server version refuses some, they are listed here, so the change is seen.
    private static let typesTheServerRefusesAsColumns: [String] = []

    func testEveryBuiltInBaseTypeRoundTrips() throws {
        let source = try TestDatabase()
        // Base types (typtype 'b') of pg_catalog, without the array types that belong to them ("_int4" and
        // so on: they are some type's typarray). int2vector and oidvector are in the array category but are
        // their own types, so they stay. Pseudo-types (typtype 'p': unknown, record, any...) are not base types.
        let candidates = try source.connection.query(
            """
            SELECT t.typname, pg_catalog.format_type(t.oid, NULL)
            FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = 'pg_catalog' AND t.typtype = 'b'
              AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type owner WHERE owner.typarray = t.oid)
            ORDER BY t.typname
            """
        ).rows.map { (name: $0[0] ?? "", sqlType: $0[1] ?? "") }
        let names = Set(candidates.map(\.name))
        for expected in [
            "bool", "int2", "int4", "int8", "numeric", "float4", "float8", "money", "text", "varchar",
            "bpchar", "char", "name", "bytea", "date", "time", "timetz", "timestamp", "timestamptz",
            "interval", "uuid", "json", "jsonb", "jsonpath", "xml", "inet", "cidr", "macaddr",
            "macaddr8", "bit", "varbit", "point", "line", "lseg", "box", "path", "polygon", "circle",
            "tsvector", "tsquery", "pg_lsn", "oid", "regclass", "int2vector", "oidvector",
        ] {
            XCTAssertTrue(names.contains(expected), "the catalog query must find base type \(expected)")
        }
        XCTAssertFalse(names.contains("_int4"), "array types are not base types of their own")
        XCTAssertGreaterThanOrEqual(candidates.count, 65)

        var accepted: [(name: String, sqlType: String)] = []
        var skipped: [String] = []
        for (position, candidate) in candidates.enumerated() {
            // One statement each, outside any transaction: a refusal cannot affect the next type.
            do {
                try source.execute(
                    "CREATE TEMPORARY TABLE type_probe_\(position) (c \(candidate.sqlType)); DROP TABLE type_probe_\(position)"
                )
                accepted.append(candidate)
            } catch is PostgresError {
                skipped.append(candidate.name)
            }
        }
        XCTAssertEqual(
            skipped, Self.typesTheServerRefusesAsColumns,
            "base types this server refuses as column types (server version \(source.connection.serverVersion))")

        // One column per accepted type, then modifiers, arrays, time zones, interval fields and ranges.
        let modified: [(String, String)] = [
            ("m_varchar", "varchar(20)"), ("m_numeric", "numeric(12,4)"), ("m_numeric_p", "numeric(5)"),
            ("m_timestamp", "timestamp(3)"), ("m_timetz", "time with time zone"), ("m_bit", "bit(8)"),
            ("m_varbit", "varbit(5)"), ("m_interval", "interval(2)"), ("m_char", "char(5)"),
            ("m_float", "float(10)"), ("m_time", "time(2)"),
            ("tz_timestamptz0", "timestamptz(0)"), ("tz_timestamptz6", "timestamp(6) with time zone"),
            ("tz_timetz1", "timetz(1)"), ("tz_time0", "time(0) without time zone"),
            ("iv_day_second", "interval day to second(3)"), ("iv_year_month", "interval year to month"),
            ("iv_hour", "interval hour"),
            ("a_int", "int[]"), ("a_text2", "text[][]"), ("a_int_dim", "int[3]"), ("a_uuid", "uuid[]"),
            ("a_numeric", "numeric(10,2)[]"), ("a_varchar", "varchar(5)[]"), ("a_tstz", "timestamptz(3)[]"),
            ("a_jsonb", "jsonb[]"), ("a_bool", "boolean[]"), ("a_bit", "bit(3)[]"),
            ("r_int4", "int4range"), ("r_tstz", "tstzrange"), ("r_date", "daterange"), ("r_num", "numrange"),
            ("r_multi", "int4multirange"),
        ]
        let typeColumns = accepted.map { ("c_\($0.name)", $0.sqlType) }
        let allColumns = typeColumns + modified
        try source.execute(
            """
            CREATE TABLE all_types (
                id integer PRIMARY KEY,
                \(allColumns.map { "\(SQL.identifier($0.0)) \($0.1)" }.joined(separator: ",\n    "))
            )
            """)

        let result = try assertExportRoundTrips(source)
        // The export spells each type the way format_type does; a few exact spellings, for the record.
        for line in [
            "      c_char: { type: \"\\\"char\\\"\" }", "      m_varchar: { type: character varying(20) }",
            "      m_numeric: { type: \"numeric(12,4)\" }",
            "      m_timestamp: { type: timestamp(3) without time zone }",
            "      m_timetz: { type: time with time zone }", "      m_bit: { type: bit(8) }",
            "      m_interval: { type: interval(2) }", "      m_char: { type: character(5) }",
            "      a_int: { type: \"integer[]\" }", "      a_text2: { type: \"text[]\" }",
            "      tz_timestamptz0: { type: timestamp(0) with time zone }",
            "      iv_day_second: { type: interval day to second(3) }",
        ] {
            XCTAssertTrue(result.yaml.contains(line + "\n"), "export should contain \(line)\n\(result.yaml)")
        }

        // (3) A database with the same table, but most types text, extra columns in between, no primary key,
        // an extra check, index and table, and the last columns missing (they are appended, so the column order
        // ends up the same).
        let target = try TestDatabase()
        var targetColumns = ["id bigint"]
        for (position, column) in typeColumns.enumerated() {
            targetColumns.append("\(SQL.identifier(column.0)) text")
            if position % 9 == 0 { targetColumns.append("extra_\(position) integer DEFAULT 7") }
        }
        let differentModified = [
            "m_varchar varchar(10)", "m_numeric numeric(6,2)", "m_numeric_p numeric", "m_timestamp timestamp",
            "m_timetz time", "m_bit bit(4)", "m_varbit varbit", "m_interval interval",
            "m_char char(2) NOT NULL DEFAULT 'x'", "m_float double precision", "m_time time(6)",
            "tz_timestamptz0 timestamp", "tz_timestamptz6 timestamptz(2)", "tz_timetz1 time",
            "tz_time0 timetz", "iv_day_second interval", "iv_year_month interval day",
            "iv_hour text", "a_int bigint[]", "a_text2 varchar[]", "a_int_dim text",
            "a_uuid text[]", "a_numeric numeric[]", "a_varchar text[]", "a_tstz timestamp[]",
        ]
        targetColumns += differentModified
        try target.execute(
            """
            CREATE TABLE all_types (\(targetColumns.joined(separator: ", ")), CONSTRAINT extra_check CHECK (id > 0));
            CREATE INDEX all_types_extra_idx ON all_types (m_varchar);
            CREATE TABLE leftover (id integer PRIMARY KEY, note text);
            """)
        try assertConverges(target, to: result, source: source)
    }

    // MARK: - Defaults

    /// Every common form of default, written by hand in SQL.
    private static let defaultsTable = #"""
        CREATE TABLE defaults (
            id integer PRIMARY KEY,
            d_int integer DEFAULT 42,
            d_negative integer DEFAULT -7,
            d_bigint bigint DEFAULT 9000000000,
            d_negative_bigint bigint DEFAULT -9000000000,
            d_smallint smallint DEFAULT -5,
            d_numeric numeric(12,4) DEFAULT 3.1415,
            d_negative_numeric numeric DEFAULT -1.5,
            d_exponent numeric DEFAULT 1e3,
            d_real real DEFAULT 2.5,
            d_double double precision DEFAULT -0.25,
            d_double_exponent double precision DEFAULT 1e-3,
            d_true boolean DEFAULT true,
            d_false boolean DEFAULT false,
            d_text text DEFAULT 'hello',
            d_empty text DEFAULT '',
            d_single_quote text DEFAULT 'it''s',
            d_double_quote text DEFAULT 'say "hi"',
            d_backslash text DEFAULT E'C:\\path\\n',
            d_newline text DEFAULT E'two\nlines',
            d_number_text text DEFAULT '0012',
            d_true_text text DEFAULT 'true',
            d_null_text text DEFAULT 'null',
            d_varchar varchar(20) DEFAULT 'gpt-4',
            d_char char(5) DEFAULT 'ab',
            d_date date DEFAULT '2024-01-31',
            d_timestamp timestamp DEFAULT '2024-01-31 12:34:56',
            d_timestamptz timestamptz DEFAULT '2024-01-31 12:34:56+00',
            d_interval interval DEFAULT '1 day 2 hours',
            d_uuid uuid DEFAULT '00000000-0000-0000-0000-000000000001',
            d_jsonb jsonb DEFAULT '{"a": [1, 2], "b": "x"}',
            d_json json DEFAULT '{"a":1}',
            d_bytea bytea DEFAULT '\xdeadbeef',
            d_inet inet DEFAULT '10.0.0.1',
            d_int_array integer[] DEFAULT '{1,2,3}',
            d_empty_array text[] DEFAULT '{}',
            d_array_constructor text[] DEFAULT ARRAY['a', 'b'],
            d_now timestamptz DEFAULT now(),
            d_current_timestamp timestamptz DEFAULT CURRENT_TIMESTAMP,
            d_current_date date DEFAULT CURRENT_DATE,
            d_random_uuid uuid DEFAULT gen_random_uuid(),
            d_cast integer DEFAULT '5'::integer,
            d_expression integer DEFAULT (1 + 2),
            d_lower text DEFAULT lower('ABC'),
            d_explicit_null text DEFAULT NULL,
            d_not_null text NOT NULL DEFAULT 'x'
        )
        """#

    /// The values the defaults above give a row, for every column whose default is not volatile.
    private static let defaultValuesQuery = """
        SELECT concat_ws('|', d_int, d_negative, d_bigint, d_negative_bigint, d_smallint, d_numeric, d_negative_numeric,
                         d_exponent, d_real, d_double, d_double_exponent, d_true, d_false, d_text, quote_literal(d_empty),
                         d_single_quote, d_double_quote, d_backslash, d_newline, d_number_text, d_true_text, d_null_text,
                         d_varchar, quote_literal(d_char), d_date, d_timestamp, d_timestamptz AT TIME ZONE 'UTC', d_interval,
                         d_uuid, d_jsonb, d_json, d_bytea, d_inet, d_int_array, d_empty_array, d_array_constructor,
                         d_cast, d_expression, d_lower, coalesce(d_explicit_null, 'NULL'), d_not_null,
                         d_now IS NOT NULL, d_current_timestamp IS NOT NULL, d_current_date IS NOT NULL,
                         d_random_uuid IS NOT NULL)
        FROM defaults WHERE id = 1
        """

    private static let expectedDefaultValues = [
        "42|-7|9000000000|-9000000000|-5|3.1415|-1.5|1000|2.5|-0.25|0.001|t|f|hello|''|it's|say \"hi\"|C:\\path\\n|two\nlines|0012|true|null|gpt-4|'ab'|2024-01-31|2024-01-31 12:34:56|2024-01-31 12:34:56|1 day 02:00:00|00000000-0000-0000-0000-000000000001|{\"a\": [1, 2], \"b\": \"x\"}|{\"a\":1}|\\xdeadbeef|10.0.0.1|{1,2,3}|{}|{a,b}|5|3|abc|NULL|x|t|t|t|t"
    ]

    func testDefaultsOfEveryFormRoundTrip() throws {
        let source = try TestDatabase()
        try source.execute(Self.defaultsTable)
        let result = try assertExportRoundTrips(source)

        // The defaults mean the same in the copy: a row that takes them all holds the same values.
        for database in [source, result.copy] {
            try database.execute("INSERT INTO defaults (id) VALUES (1)")
            XCTAssertEqual(try database.column(Self.defaultValuesQuery), Self.expectedDefaultValues)
        }
        // Literals come out as plain YAML values, expressions as default_sql.
        for line in [
            "      d_int: { type: integer, default: 42 }",
            "      d_text: { type: text, default: hello }",
            "      d_empty: { type: text, default: \"\" }",
            "      d_single_quote: { type: text, default: \"it's\" }",
            "      d_double_quote: { type: text, default: \"say \\\"hi\\\"\" }",
            "      d_backslash: { type: text, default: \"C:\\\\path\\\\n\" }",
            "      d_number_text: { type: text, default: \"0012\" }",
            "      d_true_text: { type: text, default: \"true\" }",
            "      d_true: { type: boolean, default: true }",
            "      d_now: { type: timestamp with time zone, default_sql: \"now()\" }",
            "      d_current_timestamp: { type: timestamp with time zone, default_sql: \"CURRENT_TIMESTAMP\" }",
            "      d_random_uuid: { type: uuid, default_sql: \"gen_random_uuid()\" }",
            "      d_cast: { type: integer, default: 5 }",
            "      d_explicit_null: { type: text }",
        ] {
            XCTAssertTrue(result.yaml.contains(line + "\n"), "export should contain \(line)\n\(result.yaml)")
        }

        // (3) Same columns with other defaults (or none), other types, an extra column, and a stray table.
        let target = try TestDatabase()
        try target.execute(
            #"""
            CREATE TABLE defaults (
                id bigint PRIMARY KEY,
                d_int integer DEFAULT 41,
                d_negative integer,
                d_bigint integer DEFAULT 1,
                d_negative_bigint bigint DEFAULT -9000000001,
                d_smallint smallint DEFAULT 5,
                d_numeric numeric(12,2) DEFAULT 3.14,
                d_negative_numeric numeric DEFAULT 1.5,
                d_exponent numeric,
                d_real double precision DEFAULT 2.5,
                d_double double precision DEFAULT 0.25,
                d_double_exponent double precision DEFAULT 1e-3,
                d_true boolean DEFAULT false,
                d_false boolean,
                d_text text DEFAULT 'Hello',
                d_empty text,
                stray integer DEFAULT 1,
                d_single_quote text DEFAULT 'its',
                d_double_quote text DEFAULT 'say hi',
                d_backslash text DEFAULT 'C:/path',
                d_newline text,
                d_number_text integer DEFAULT 12,
                d_true_text boolean DEFAULT true,
                d_null_text text DEFAULT 'NULL',
                d_varchar varchar(10) DEFAULT 'gpt-3',
                d_char char(3) DEFAULT 'ab',
                d_date date DEFAULT CURRENT_DATE,
                d_timestamp timestamp DEFAULT now(),
                d_timestamptz timestamptz DEFAULT '2024-01-31 12:34:57+00',
                d_interval interval DEFAULT '1 day',
                d_uuid uuid,
                d_jsonb jsonb DEFAULT '{}',
                d_json text,
                d_bytea bytea,
                d_inet inet DEFAULT '10.0.0.2',
                d_int_array integer[],
                d_empty_array text[] DEFAULT '{x}',
                d_array_constructor text[],
                d_now timestamptz DEFAULT CURRENT_TIMESTAMP,
                d_current_timestamp timestamptz DEFAULT now(),
                d_current_date date,
                d_random_uuid uuid,
                d_cast integer DEFAULT 6,
                d_expression integer DEFAULT 3,
                d_lower text DEFAULT upper('abc'),
                d_explicit_null text DEFAULT 'not null',
                d_not_null text
            );
            CREATE TABLE stray_table (id integer);
            """#)
        try assertConverges(target, to: result, source: source)
    }

    /// The spellings people write by hand (short type names, plain YAML numbers, `default_sql: now()`) applied
    /// to an empty database: no false drift afterwards, the defaults mean what they say, and the result exports.
    /// A database built by migrations stores `status IN (...)` on a varchar column in a spelling that, created
    /// again, the server spells differently. The export writes the second spelling (it reads back as itself),
    /// --check finds the source in sync with it, and the copy exports the same file.
    func testExpressionsTheServerRespellsExportInTheirStableSpelling() throws {
        let source = try TestDatabase()
        try source.execute(
            """
            CREATE TABLE orders (
              id integer PRIMARY KEY,
              status character varying NOT NULL CHECK (status IN ('open', 'paid')),
              kind varchar(10) CHECK (kind NOT IN ('test'))
            );
            CREATE INDEX index_orders_on_open ON orders (id) WHERE status IN ('open', 'paid');
            CREATE INDEX index_orders_on_kind ON orders ((kind IN ('a', 'b')));
            """)
        let roundTrip = try assertExportRoundTrips(source)
        XCTAssertTrue(
            roundTrip.yaml.contains("ARRAY[('open'::character varying)::text, ('paid'::character varying)::text]"),
            roundTrip.yaml)
    }

    /// PostgreSQL names a partition's copy of an index after the partition and its columns, numbering clashes
    /// in the order the table's indexes were made; the export lists a partitioned table's indexes in that
    /// order, so the copy's partitions get the same index names.
    func testPartitionIndexNamesFollowTheOrderTheIndexesWereMade() throws {
        let source = try TestDatabase()
        try source.execute(
            """
            CREATE TABLE events (id bigint NOT NULL, state text NOT NULL) PARTITION BY LIST (state);
            CREATE TABLE events_open PARTITION OF events FOR VALUES IN ('open', 'late');
            CREATE INDEX z_late ON events (state) WHERE state = 'late';
            CREATE INDEX a_open ON events (state) WHERE state = 'open';
            """)
        let roundTrip = try assertExportRoundTrips(source)
        let names = """
            SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'events_open'::regclass ORDER BY 1
            """
        let sourceNames = try source.column(names)
        XCTAssertEqual(sourceNames.count, 2)
        XCTAssertEqual(try roundTrip.copy.column(names), sourceNames)
    }

    /// The same after a dump and restore, which makes the indexes in another order and names each copy as
    /// the dump says: the numbers in the copies' names still tell the order.
    func testPartitionIndexNamesOfARestoredDatabase() throws {
        let source = try TestDatabase()
        try source.execute(
            """
            CREATE TABLE events (id bigint NOT NULL, state text NOT NULL) PARTITION BY LIST (state);
            CREATE TABLE events_open (id bigint NOT NULL, state text NOT NULL);
            ALTER TABLE ONLY events ATTACH PARTITION events_open FOR VALUES IN ('open', 'late');
            CREATE INDEX a_open ON ONLY events (state) WHERE state = 'open';
            CREATE INDEX events_open_state_idx1 ON events_open (state) WHERE state = 'open';
            ALTER INDEX a_open ATTACH PARTITION events_open_state_idx1;
            CREATE INDEX z_late ON ONLY events (state) WHERE state = 'late';
            CREATE INDEX events_open_state_idx ON events_open (state) WHERE state = 'late';
            ALTER INDEX z_late ATTACH PARTITION events_open_state_idx;
            """)
        let roundTrip = try assertExportRoundTrips(source)
        let names = """
            SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'events_open'::regclass ORDER BY 1
            """
        XCTAssertEqual(try roundTrip.copy.column(names), try source.column(names))
    }

    func testHandWrittenDefaultsAndTypeSpellingsShowNoDrift() throws {
        let path = try writeSchema(
            #"""
            version: 1
            tables:
              handwritten:
                columns:
                  id: { type: int, primary_key: true }
                  zero: { type: int, default: 0 }
                  minus_one: { type: int, default: -1 }
                  big: { type: bigint, default: 9000000000 }
                  small: { type: int2, default: -3 }
                  ratio: { type: "numeric(12,4)", default: -1.5 }
                  threshold: { type: numeric, default: 0.8 }
                  score: { type: real, default: 2.5 }
                  weight: { type: float8, default: -1.5 }
                  thousand: { type: float8, default: 1e3 }
                  active: { type: bool, default: true }
                  archived: { type: boolean, default: false }
                  title: { type: text, default: "it's" }
                  quoted: { type: text, default: 'say "hi"' }
                  path: { type: text, default: 'C:\temp\new' }
                  empty: { type: text, default: "" }
                  padded: { type: text, default: "0012" }
                  truth: { type: text, default: "true" }
                  model: { type: varchar(20), default: gpt-4 }
                  code: { type: char(5), default: ab }
                  day: { type: date, default: 2024-01-31 }
                  at: { type: timestamp, default: "2024-01-31 12:34:56" }
                  at_tz: { type: timestamptz, default: "2024-01-31 12:34:56+00" }
                  span: { type: interval, default: 1 day }
                  uid: { type: uuid, default: 00000000-0000-0000-0000-000000000001 }
                  doc: { type: jsonb, default: '{"a": [1, 2]}' }
                  raw: { type: json, default: "{}" }
                  bytes: { type: bytea, default: '\xdeadbeef' }
                  address: { type: inet, default: 10.0.0.1 }
                  numbers: { type: "int[]", default: "{1,2,3}" }
                  words: { type: "text[]", default_sql: "'{}'" }
                  created_at: { type: timestamptz, nullable: false, default_sql: now() }
                  updated_at: { type: timestamptz, default_sql: CURRENT_TIMESTAMP }
                  today: { type: date, default_sql: CURRENT_DATE }
                  token: { type: uuid, default_sql: gen_random_uuid() }
                  five: { type: int, default_sql: "'5'::integer" }
                  lowered: { type: text, default_sql: "lower('ABC')" }
            """#)
        let db = try TestDatabase()
        try db.applyAndAssertConverged(path)
        let check = try db.reconciler(path).check()
        XCTAssertEqual(check.drift.map(\.summary), [])
        XCTAssertTrue(check.inSync)

        try db.execute("INSERT INTO handwritten (id) VALUES (1)")
        XCTAssertEqual(
            try db.column(
                """
                SELECT concat_ws('|', zero, minus_one, big, small, ratio, threshold, score, weight, thousand, active, archived,
                                 title, quoted, path, quote_literal(empty), padded, truth, model, quote_literal(code), day, at,
                                 at_tz AT TIME ZONE 'UTC', span, uid, doc, raw, bytes, address, numbers, words,
                                 created_at IS NOT NULL, updated_at IS NOT NULL, today = CURRENT_DATE, token IS NOT NULL,
                                 five, lowered)
                FROM handwritten
                """),
            [
                "0|-1|9000000000|-3|-1.5000|0.8|2.5|-1.5|1000|t|f|it's|say \"hi\"|C:\\temp\\new|''|0012|true|gpt-4|'ab'|2024-01-31|2024-01-31 12:34:56|2024-01-31 12:34:56|1 day|00000000-0000-0000-0000-000000000001|{\"a\": [1, 2]}|{}|\\xdeadbeef|10.0.0.1|{1,2,3}|{}|t|t|t|t|5|abc"
            ])
        try db.execute("DELETE FROM handwritten")
        // What reconcile itself created exports and round-trips too.
        try assertExportRoundTrips(db)
    }

    /// A default that takes the next value of a sequence the table does not own (created on its own, not
    /// `serial`). The schema file has no way to declare such a sequence.
    /// A default drawn from a sequence in a schema the export leaves out cannot be reproduced: export
    /// refuses, naming the column and the sequence, instead of writing a file that would not apply to an
    /// empty database. (Sequences of the exported schemas are declared under `sequences:`.)
    func testDefaultFromASequenceOutsideTheExportIsRefusedByName() throws {
        let source = try TestDatabase()
        try source.execute(
            """
            CREATE SCHEMA numbering;
            CREATE SEQUENCE numbering.invoice_numbers START 1000;
            CREATE TABLE invoices (id integer PRIMARY KEY,
                                   number bigint NOT NULL DEFAULT nextval('numbering.invoice_numbers'));
            """)
        let result = try CLI.run(["--export", "--schemas", "public", "--database-url", source.url])
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertEqual(
            result.stderr,
            """
            error: cannot export: 1 problem, listed below; nothing was written.
              public.invoices: column number takes its default from a sequence \
            (nextval('numbering.invoice_numbers'::regclass)) outside the exported schemas; add its schema to \
            --schemas, or leave the table out: --exclude public.invoices
            To leave every refused table out, add: --exclude public.invoices

            """)
        XCTAssertEqual(result.stdout, "")
        let everything = try CLI.run(["--export", "--database-url", source.url])
        XCTAssertEqual(everything.exitCode, 0, everything.stderr)
        XCTAssertTrue(
            everything.stdout.contains("sequences:\n  numbering.invoice_numbers: { start: 1000 }\n"),
            everything.stdout)
    }

    /// Bare numbers that the server casts to a non-numeric column type (money, oid): the catalog prints the
    /// default as `12.5`, without the cast.
    func testNumericDefaultsOfMoneyAndOidColumnsRoundTrip() throws {
        let source = try TestDatabase()
        try source.execute(
            "CREATE TABLE prices (id integer PRIMARY KEY, amount money DEFAULT 12.5, owner oid DEFAULT 5)")
        try assertExportRoundTrips(source)
    }

    // MARK: - Checks and indexes

    func testChecksAndIndexesOfVariedFormsRoundTrip() throws {
        let source = try TestDatabase()
        try source.execute(
            #"""
            CREATE TABLE accounts (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                email text NOT NULL,
                status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'closed')),
                code varchar(10) CHECK (code LIKE 'A%' AND length(code) > 2),
                score numeric(5,2) CHECK (score::integer BETWEEN 0 AND 100),
                tags text[] CHECK (cardinality(tags) < 10),
                data jsonb CHECK (jsonb_typeof(data) = 'object'),
                created_at timestamptz NOT NULL DEFAULT now(),
                deleted_at timestamptz,
                tenant integer,
                "Mixed Case" text,
                CONSTRAINT dates_in_order CHECK (deleted_at IS NULL OR deleted_at > created_at),
                CONSTRAINT "odd name, with ""quotes""" CHECK (tenant <> -1),
                UNIQUE (tenant, email)
            );
            CREATE INDEX ON accounts (lower(email));
            CREATE UNIQUE INDEX accounts_email_active ON accounts (email) WHERE deleted_at IS NULL;
            CREATE INDEX accounts_tenant_created ON accounts (tenant, created_at DESC);
            CREATE INDEX ON accounts (created_at DESC NULLS LAST);
            CREATE INDEX ON accounts USING gin (data jsonb_path_ops);
            CREATE INDEX ON accounts USING gin (tags);
            CREATE INDEX ON accounts (status) WHERE status <> 'closed';
            CREATE INDEX ON accounts ("Mixed Case");
            CREATE INDEX ON accounts USING hash (code);
            CREATE INDEX ON accounts ((data->>'kind'), tenant);
            CREATE INDEX ON accounts USING brin (created_at);
            CREATE INDEX accounts_code_pattern ON accounts (code varchar_pattern_ops);
            CREATE INDEX ON accounts (email COLLATE "C");
            CREATE TABLE members (
                id integer PRIMARY KEY,
                account_id bigint REFERENCES accounts ON DELETE CASCADE ON UPDATE RESTRICT,
                tenant integer,
                email text,
                parent integer REFERENCES members (id) ON DELETE SET NULL,
                FOREIGN KEY (tenant, email) REFERENCES accounts (tenant, email) ON DELETE SET NULL
            );
            """#)
        let result = try assertExportRoundTrips(source)
        for line in [
            "      accounts_status_check: \"(status = ANY (ARRAY['active'::text, 'suspended'::text, 'closed'::text]))\"",
            "      - { columns: [{ expression: \"lower(email)\" }] }",
            "      - { name: accounts_email_active, columns: [email], unique: true, where: \"deleted_at IS NULL\" }",
            "      - { name: accounts_tenant_created, columns: [tenant, { expression: \"created_at DESC\" }] }",
            "      - { columns: [{ expression: \"data jsonb_path_ops\" }], using: gin }",
            "      - { columns: [tags], using: gin }",
            "      - { columns: [status], where: \"status <> 'closed'::text\" }",
            "      - { columns: [account_id], references: accounts(id), on_delete: cascade, on_update: restrict }",
        ] {
            XCTAssertTrue(result.yaml.contains(line + "\n"), "export should contain \(line)\n\(result.yaml)")
        }

        // (3) The same tables with other definitions under the same names, an index under another name, missing
        // and extra constraints and indexes, other referential actions.
        let target = try TestDatabase()
        try target.execute(
            """
            CREATE TABLE accounts (
                id bigint PRIMARY KEY,
                email varchar(200),
                status text DEFAULT 'new' CONSTRAINT accounts_status_check CHECK (status IN ('active', 'new')),
                code varchar(10),
                score numeric(5,2) CONSTRAINT accounts_score_check CHECK (score >= 0),
                tags text[],
                data jsonb,
                created_at timestamptz,
                deleted_at timestamptz,
                tenant integer,
                "Mixed Case" text,
                legacy integer CONSTRAINT legacy_positive CHECK (legacy > 0),
                CONSTRAINT accounts_tenant_email_key UNIQUE (tenant, email)
            );
            CREATE INDEX accounts_lower_idx ON accounts (upper(email));
            CREATE INDEX accounts_email_active ON accounts (email);
            CREATE INDEX some_old_name ON accounts (tenant, created_at DESC);
            CREATE INDEX accounts_data_idx ON accounts USING gin (data);
            CREATE INDEX accounts_score_idx ON accounts (score);
            CREATE TABLE members (
                id integer PRIMARY KEY,
                account_id bigint CONSTRAINT members_account_id_fkey REFERENCES accounts ON DELETE RESTRICT,
                tenant integer,
                email text,
                parent integer
            );
            CREATE TABLE unrelated (id integer PRIMARY KEY);
            """)
        try assertConverges(target, to: result, source: source)
    }

    func testConstraintOptionsRoundTrip() throws {
        let source = try TestDatabase()
        try source.execute(
            """
            CREATE TABLE rooms (id integer PRIMARY KEY, code text, floor integer,
                                CONSTRAINT rooms_code_key UNIQUE NULLS NOT DISTINCT (code) DEFERRABLE INITIALLY DEFERRED,
                                CONSTRAINT rooms_code_floor_key UNIQUE (code, floor));
            CREATE TABLE bookings (id integer PRIMARY KEY DEFERRABLE, room integer, room_code text, seats integer,
                                   CONSTRAINT seats_small CHECK (seats < 100) NO INHERIT,
                                   FOREIGN KEY (room_code, room) REFERENCES rooms (code, floor) MATCH FULL);
            INSERT INTO bookings VALUES (1, NULL, NULL, -1);
            ALTER TABLE ONLY bookings ADD CONSTRAINT seats_positive CHECK (seats > 0) NOT VALID;
            ALTER TABLE ONLY bookings ADD CONSTRAINT bookings_room_fkey FOREIGN KEY (room) REFERENCES rooms (id)
                DEFERRABLE INITIALLY DEFERRED NOT VALID;
            """)
        let result = try assertExportRoundTrips(source)
        for line in [
            "    primary_key: { columns: [id], deferrable: true }",
            "      - { columns: [code], nulls_not_distinct: true, initially_deferred: true }",
            "      seats_positive: { expression: \"(seats > 0)\", not_valid: true }",
            "      seats_small: { expression: \"(seats < 100)\", no_inherit: true }",
            "      - { columns: [room], references: rooms(id), initially_deferred: true, not_valid: true }",
            "      - { columns: [room_code, room], references: \"rooms(code, floor)\", match: full }",
        ] {
            XCTAssertTrue(result.yaml.contains(line + "\n"), "export should contain \(line)\n\(result.yaml)")
        }
        // The copy is built by reconcile, the source by hand: the catalog says the same of both.
        assertSameLines(
            try result.copy.fingerprint(), try source.fingerprint(), "constraints of the copy vs. the source")
    }

    func testIndexOptionsRoundTrip() throws {
        let source = try TestDatabase()
        try source.execute(
            """
            CREATE TABLE users (id integer PRIMARY KEY, email text, "Full Name" text, active boolean, team integer);
            CREATE INDEX users_email_idx ON users (email) INCLUDE ("Full Name", active) WITH (fillfactor = 70);
            CREATE INDEX users_active_email ON users (email) WHERE active;
            CREATE INDEX users_lower_email ON users (lower(email)) WHERE lower(email) <> '';
            CREATE UNIQUE INDEX users_team_idx ON users (team) NULLS NOT DISTINCT WITH (deduplicate_items = off);
            """)
        let result = try assertExportRoundTrips(source)
        for line in [
            "      - { columns: [email], include: [Full Name, active], with: { fillfactor: \"70\" } }",
            "      - { name: users_active_email, columns: [email], where: \"active\" }",
            "      - { columns: [team], unique: true, nulls_not_distinct: true, with: { deduplicate_items: \"off\" } }",
        ] {
            XCTAssertTrue(result.yaml.contains(line + "\n"), "export should contain \(line)\n\(result.yaml)")
        }
        assertSameLines(try result.copy.fingerprint(), try source.fingerprint(), "indexes of the copy vs. the source")
    }

    /// Ranges alone, so no btree_gist is needed (CorpusTests covers `=` on an integer): quoted names, an
    /// expression element, INCLUDE, WITH, WHERE and both deferrals. A database whose exclusion constraints
    /// differ (another predicate, deferral or name, one too many) converges to the source.
    func testExclusionConstraintsRoundTrip() throws {
        let source = try TestDatabase()
        try source.execute(
            """
            CREATE TABLE "Rooms" (id integer PRIMARY KEY, "Booked During" tsrange, during tsrange, note text,
                                  cancelled boolean);
            ALTER TABLE "Rooms" ADD CONSTRAINT "Rooms no overlap" EXCLUDE USING gist ("Booked During" WITH &&)
                WHERE (NOT cancelled);
            ALTER TABLE "Rooms" ADD CONSTRAINT rooms_days
                EXCLUDE USING gist (tsrange(lower(during), upper(during), '[]') WITH &&) INCLUDE (note)
                WITH (fillfactor = 80) DEFERRABLE INITIALLY DEFERRED;
            ALTER TABLE "Rooms" ADD CONSTRAINT rooms_later EXCLUDE USING gist (during WITH &&) DEFERRABLE;
            """)
        let result = try assertExportRoundTrips(source)
        XCTAssertTrue(
            result.yaml.contains(
                """
                    exclusions:
                      Rooms no overlap: "USING gist (\\"Booked During\\" WITH &&) WHERE ((NOT cancelled))"
                      rooms_days: { definition: "USING gist (tsrange(lower(during), upper(during), '[]'::text) WITH &&) \
                INCLUDE (note) WITH (fillfactor='80')", initially_deferred: true }
                      rooms_later: { definition: "USING gist (during WITH &&)", deferrable: true }

                """), result.yaml)
        assertSameLines(
            try result.copy.fingerprint(), try source.fingerprint(),
            "constraints of the copy vs. the source")

        let target = try TestDatabase()
        try target.execute(
            """
            CREATE TABLE "Rooms" (id integer PRIMARY KEY, "Booked During" tsrange, during tsrange, note text,
                                  cancelled boolean);
            ALTER TABLE "Rooms" ADD CONSTRAINT "Rooms no overlap" EXCLUDE USING gist ("Booked During" WITH &&);
            ALTER TABLE "Rooms" ADD CONSTRAINT rooms_days_old
                EXCLUDE USING gist (tsrange(lower(during), upper(during), '[]') WITH &&) INCLUDE (note)
                WITH (fillfactor = 80) DEFERRABLE INITIALLY DEFERRED;
            ALTER TABLE "Rooms" ADD CONSTRAINT rooms_later EXCLUDE USING gist (during WITH &&);
            ALTER TABLE "Rooms" ADD CONSTRAINT rooms_notes EXCLUDE USING btree (note WITH =);
            """)
        try assertConverges(target, to: result, source: source)
    }

    func testGeneratedColumnsRoundTrip() throws {
        let source = try TestDatabase()
        try source.execute(
            """
            CREATE TABLE orders (id integer PRIMARY KEY, price numeric(10,2) NOT NULL, quantity integer NOT NULL,
                                 total numeric(12,2) GENERATED ALWAYS AS (price * quantity) STORED NOT NULL,
                                 label text GENERATED ALWAYS AS ('order ' || id) STORED);
            CREATE INDEX orders_total_idx ON orders (total);
            """)
        let result = try assertExportRoundTrips(source)
        for line in [
            "      total: { type: \"numeric(12,2)\", generated: \"(price * (quantity)::numeric)\", nullable: false }",
            "      label: { type: text, generated: \"('order '::text || id)\" }",
        ] {
            XCTAssertTrue(result.yaml.contains(line + "\n"), "export should contain \(line)\n\(result.yaml)")
        }
        XCTAssertFalse(result.yaml.contains("default_sql"), result.yaml)
        assertSameLines(try result.copy.fingerprint(), try source.fingerprint(), "columns of the copy vs. the source")
    }

    func testUnloggedTablesAndStorageParametersRoundTrip() throws {
        let source = try TestDatabase()
        try source.execute(
            """
            CREATE UNLOGGED TABLE cache (key text PRIMARY KEY, value jsonb)
                WITH (fillfactor = 70, autovacuum_enabled = off, toast.autovacuum_enabled = off);
            CREATE TABLE events (id bigint PRIMARY KEY) WITH (autovacuum_vacuum_scale_factor = 0.01);
            """)
        let result = try assertExportRoundTrips(source)
        for line in [
            "    unlogged: true",
            "    with: { fillfactor: \"70\", autovacuum_enabled: \"off\", toast.autovacuum_enabled: \"off\" }",
            "    with: { autovacuum_vacuum_scale_factor: \"0.01\" }",
        ] {
            XCTAssertTrue(result.yaml.contains(line + "\n"), "export should contain \(line)\n\(result.yaml)")
        }
        let options = """
            SELECT c.relname || ' ' || c.relpersistence::text || ' ' || coalesce(array_to_string(c.reloptions, ','), '')
                   || ' ' || coalesce(array_to_string(t.reloptions, ','), '')
            FROM pg_class c LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
            WHERE c.relname IN ('cache', 'events') ORDER BY 1
            """
        XCTAssertEqual(try result.copy.column(options), try source.column(options))
    }

    func testPartitionedTablesRoundTrip() throws {
        let source = try TestDatabase()
        try source.execute(
            """
            CREATE SCHEMA archive;
            CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, kind text, PRIMARY KEY (id, at))
                PARTITION BY RANGE (at);
            CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            CREATE TABLE archive.events_old PARTITION OF events FOR VALUES FROM (MINVALUE) TO ('2024-01-01');
            CREATE TABLE events_rest PARTITION OF events DEFAULT;
            CREATE INDEX events_kind_idx ON events (kind);
            CREATE TABLE regions (code text NOT NULL) PARTITION BY LIST (lower(code));
            CREATE TABLE regions_eu PARTITION OF regions FOR VALUES IN ('eu', 'uk');
            INSERT INTO events VALUES (1, '2024-05-01', 'a'), (2, '1999-01-01', 'b');
            """)
        let result = try assertExportRoundTrips(source)
        for line in [
            "    partition_by: \"RANGE (at)\"",
            "      archive.events_old: \"FOR VALUES FROM (MINVALUE) TO ('2024-01-01')\"",
            "      events_2024: \"FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')\"",
            "      events_rest: \"DEFAULT\"",
            "    partition_by: \"LIST (lower(code))\"",
        ] {
            XCTAssertTrue(result.yaml.contains(line + "\n"), "export should contain \(line)\n\(result.yaml)")
        }
        XCTAssertEqual(try result.copy.tableNames(), try source.tableNames())
        let partitions = """
            SELECT i.inhrelid::regclass::text || ' ' || pg_get_expr(c.relpartbound, c.oid)
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid ORDER BY 1
            """
        XCTAssertEqual(try result.copy.column(partitions), try source.column(partitions))
    }

    func testStandaloneSequencesRoundTrip() throws {
        let source = try TestDatabase()
        try source.execute(
            """
            CREATE SCHEMA billing;
            CREATE SEQUENCE invoice_numbers START 1000 INCREMENT 5;
            CREATE SEQUENCE billing.codes AS integer MAXVALUE 99999 CYCLE;
            CREATE TABLE invoices (id integer PRIMARY KEY, number bigint NOT NULL DEFAULT nextval('invoice_numbers'),
                                   code integer DEFAULT nextval('billing.codes'));
            """)
        let result = try assertExportRoundTrips(source)
        for line in [
            "sequences:", "  billing.codes: { type: integer, max_value: 99999, cycle: true }",
            "  invoice_numbers: { start: 1000, increment: 5 }",
        ] {
            XCTAssertTrue(result.yaml.contains(line + "\n"), "export should contain \(line)\n\(result.yaml)")
        }
        let sequences = """
            SELECT c.relname || ' ' || format_type(seqtypid, NULL) || ' ' || seqstart || ' ' || seqincrement
                   || ' ' || seqmax || ' ' || seqcycle
            FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid ORDER BY 1
            """
        XCTAssertEqual(try result.copy.column(sequences), try source.column(sequences))
    }

    // MARK: - Seeded rows

    func testSeedTablesRowsComeBackIdentical() throws {
        let source = try TestDatabase()
        try source.execute(
            #"""
            CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
            CREATE TABLE settings (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                key text NOT NULL UNIQUE,
                value text,
                amount numeric(10,2),
                ratio double precision,
                flag boolean,
                doc jsonb,
                raw json,
                at timestamptz,
                day date,
                tags text[],
                feeling mood,
                bytes bytea,
                spot point,
                token uuid
            );
            INSERT INTO settings (key, value, amount, ratio, flag, doc, raw, at, day, tags, feeling, bytes, spot, token) VALUES
             ('plain', 'hello', 1.5, 0.1, true, '{"a": 1}', '{"b" : [1, 2]}', '2024-01-01 00:00:00+00', '2024-02-29', '{a,"b c",NULL}', 'ok', '\x00ff', '(1,2)', '00000000-0000-0000-0000-000000000001'),
             ('quotes', E'it''s "quoted" \\ back', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
             ('unicode', 'Größe ✓ 日本語 🎉', -3, -1e-5, false, '{"ü": "ß", "emoji": "🎉", "nested": {"x": null}}', '"str"', NULL, NULL, '{}', 'happy', '\x', NULL, NULL),
             ('empty', '', 0, 'NaN', NULL, '[]', 'null', 'infinity', '-infinity', NULL, 'sad', NULL, NULL, NULL),
             ('control', E'line1\nline2\ttab\r', 123456.78, 'Infinity', true, '"just a string"', '12', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
             ('null-text', 'null', NULL, NULL, NULL, 'null', NULL, NULL, NULL, '{NULL}', NULL, NULL, NULL, NULL),
             ('yes', 'yes', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
             ('~', '0012', NULL, 1e300, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
             ('  padded  ', '- dash', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
             ('colon: value', '# not a comment', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
            CREATE TABLE codes (code text PRIMARY KEY, label text NOT NULL);
            INSERT INTO codes VALUES ('a', 'Alpha'), ('b', 'Beta "B"');
            """#)
        let seedTables = [QualifiedName(name: "settings"), QualifiedName(name: "codes")]
        let result = try assertExportRoundTrips(source, seedTables: seedTables)
        XCTAssertEqual(
            try result.copy.fingerprint(rowsOf: ["settings", "codes"]),
            try source.fingerprint(rowsOf: ["settings", "codes"]))
        XCTAssertEqual(
            try result.copy.column("SELECT value FROM settings ORDER BY id"),
            [
                "hello", "it's \"quoted\" \\ back", "Größe ✓ 日本語 🎉", "", "line1\nline2\ttab\r", "null", "yes",
                "0012", "- dash", "# not a comment",
            ])

        // (3) The table exists with other types, an extra column, and only some of the rows (identical ones);
        // the export inserts the rest.
        let target = try TestDatabase()
        try target.execute(
            #"""
            CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
            CREATE TABLE settings (
                id bigint PRIMARY KEY,
                key text NOT NULL,
                value text,
                amount numeric(12,2),
                ratio double precision,
                flag boolean,
                doc jsonb,
                raw json,
                at timestamptz,
                day date,
                tags text[],
                feeling mood,
                bytes bytea,
                spot point,
                token text,
                obsolete text
            );
            INSERT INTO settings VALUES (2, 'quotes', E'it''s "quoted" \\ back', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'x');
            CREATE TABLE codes (code text PRIMARY KEY, label text);
            INSERT INTO codes VALUES ('b', 'Beta "B"');
            """#)
        try assertConverges(target, to: result, source: source, rowsOf: ["settings", "codes"])
    }

    /// (3) for a seeded table whose enum type lacks a value that a seeded row uses: the export adds the value
    /// and then the row. Planning must not evaluate the new value before it exists.
    func testSeededRowsUsingAnEnumValueTheTargetLacks() throws {
        let source = try TestDatabase()
        try source.execute(
            """
            CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
            CREATE TABLE feelings (id integer PRIMARY KEY, mood mood NOT NULL);
            INSERT INTO feelings VALUES (1, 'ok'), (2, 'happy');
            """)
        let result = try assertExportRoundTrips(source, seedTables: [QualifiedName(name: "feelings")])
        XCTAssertTrue(result.yaml.contains("  mood: [sad, ok, happy]\n"), result.yaml)

        let target = try TestDatabase()
        try target.execute(
            """
            CREATE TYPE mood AS ENUM ('sad', 'ok');
            CREATE TABLE feelings (id integer PRIMARY KEY, mood mood NOT NULL);
            INSERT INTO feelings VALUES (1, 'ok');
            """)
        try assertConverges(target, to: result, source: source, rowsOf: ["feelings"])
    }

    // MARK: - Enums, comments, extensions, schemas

    private static let multiSchemaDatabase = """
        CREATE EXTENSION citext;
        CREATE SCHEMA billing;
        CREATE SCHEMA audit;
        CREATE SCHEMA empty_one;
        CREATE SCHEMA "Odd.Schema";
        CREATE TYPE billing.plan_kind AS ENUM ('free', 'pro', 'enterprise');
        CREATE TYPE color AS ENUM ('red', 'green', 'it''s blue');
        CREATE TABLE users (id bigserial PRIMARY KEY, email citext NOT NULL UNIQUE, favorite color DEFAULT 'red');
        COMMENT ON TABLE users IS 'People who log in; it''s "important"';
        COMMENT ON COLUMN users.email IS E'Case-insensitive\\nsecond line';
        CREATE TABLE billing.accounts (
            id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            user_id bigint NOT NULL REFERENCES users (id),
            plan billing.plan_kind NOT NULL DEFAULT 'free',
            plans billing.plan_kind[] DEFAULT '{free}'
        );
        COMMENT ON COLUMN billing.accounts.plan IS 'Plan';
        CREATE TABLE audit.log (id bigint PRIMARY KEY, account_id integer REFERENCES billing.accounts (id) ON DELETE SET NULL, note text);
        CREATE TABLE "Odd.Schema"."odd.table" ("a,b" integer PRIMARY KEY, "x(y)" text, "Quote""d" text);
        """

    func testEnumsCommentsExtensionsAndSchemasRoundTrip() throws {
        try TestDatabase().requireExtension("citext")
        let source = try TestDatabase()
        try source.execute(Self.multiSchemaDatabase)
        let result = try assertExportRoundTrips(source)
        for line in [
            "extensions: [citext]\n", "schemas: [empty_one]\n", "  billing.plan_kind: [free, pro, enterprise]\n",
            "  color: [red, green, \"it's blue\"]\n",
            "    comment: \"People who log in; it's \\\"important\\\"\"\n",
            "      plan: { type: billing.plan_kind, nullable: false, default: free, comment: \"Plan\" }\n",
            "      - { columns: [user_id], references: users(id) }\n",
        ] {
            XCTAssertTrue(result.yaml.contains(line), "export should contain \(line)\(result.yaml)")
        }

        // (3) Some schemas missing, the enum short of a value, other comments, email as text (no citext yet),
        // a stray table and enum in a managed schema.
        let target = try TestDatabase()
        try target.execute(
            """
            CREATE SCHEMA billing;
            CREATE SCHEMA "Odd.Schema";
            CREATE TYPE billing.plan_kind AS ENUM ('free', 'pro');
            CREATE TYPE color AS ENUM ('red', 'green');
            CREATE TYPE public.stray_kind AS ENUM ('x');
            CREATE TABLE users (id bigserial PRIMARY KEY, email text, favorite color);
            COMMENT ON TABLE users IS 'old comment';
            CREATE TABLE billing.accounts (id integer PRIMARY KEY, user_id bigint, plan text, plans text[]);
            COMMENT ON COLUMN billing.accounts.user_id IS 'stale';
            CREATE TABLE billing.old_invoices (id integer PRIMARY KEY);
            """)
        try assertConverges(target, to: result, source: source)
    }

    /// `--schemas billing,public` on the command line: only those schemas, and the file round-trips.
    func testExportOfChosenSchemasThroughTheCLIRoundTrips() throws {
        try TestDatabase().requireExtension("citext")
        let source = try TestDatabase()
        try source.execute(Self.multiSchemaDatabase)
        let run = try CLI.run(["--export", "--schemas", "billing,public", "--database-url", source.url])
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        XCTAssertEqual(run.stderr, "")
        XCTAssertEqual(run.stdout, try export(source, schemas: ["billing", "public"]))
        XCTAssertTrue(run.stdout.contains("  billing.accounts:\n"))
        XCTAssertTrue(run.stdout.contains("  users:\n"))
        XCTAssertFalse(run.stdout.contains("audit"), run.stdout)
        XCTAssertFalse(run.stdout.contains("Odd.Schema"), run.stdout)
        XCTAssertFalse(run.stdout.contains("empty_one"), run.stdout)

        let path = try writeSchema(run.stdout)
        let check = try CLI.run(["--check", "--schema", path, "--database-url", source.url])
        XCTAssertEqual(check.exitCode, 0, check.stdout + check.stderr)
        XCTAssertEqual(check.stdout, "In sync: the database matches the schema file.\n")

        let copy = try TestDatabase()
        try copy.applyAndAssertConverged(path)
        XCTAssertEqual(try copy.tableNames(), ["billing.accounts", "public.users"])
        let again = try CLI.run(["--export", "--schemas", "billing,public", "--database-url", copy.url])
        XCTAssertEqual(again.exitCode, 0, again.stderr)
        XCTAssertEqual(again.stdout, run.stdout)
    }

    /// Exporting only `audit`, whose table references `billing.accounts`: a file with that foreign key would not
    /// load, so the export refuses, naming both tables and the flags that fix it either way.
    func testExportOfASchemaWhoseForeignKeyPointsOutsideIt() throws {
        try TestDatabase().requireExtension("citext")
        let source = try TestDatabase()
        try source.execute(Self.multiSchemaDatabase)
        XCTAssertThrowsError(try export(source, schemas: ["audit"])) { error in
            guard case ReconcileError.cannotExport(let refusals) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(
                refusals,
                [
                    ExportRefusal(
                        table: QualifiedName(schema: "audit", name: "log"),
                        problem: "foreign key log_account_id_fkey references billing.accounts, which is not exported: "
                            + "its schema billing is not in --schemas",
                        remedy: "add billing to --schemas, or leave audit.log out: --exclude audit.log")
                ])
        }
        // Either fix works: the referenced schema too, or the referencing table left out.
        XCTAssertTrue(try export(source, schemas: ["audit", "billing", "public"]).contains("  audit.log:\n"))
        let withoutLog = try source.reconciler("not-read.yaml", filter: TableFilter(exclude: ["audit.log"]))
            .export(schemas: ["audit"], seedTables: [])
        // audit held only log, so it is left out as well: the file declares nothing.
        XCTAssertTrue(withoutLog.hasSuffix("version: 1\nextensions: [citext]\ntables: {}\n"), withoutLog)
    }

    // MARK: - Time zones

    /// The export of timestamptz defaults and seeded values must not depend on the TimeZone setting of the
    /// session: exporting a copy made in a database with another time zone gives the same text.
    func testExportDoesNotDependOnTheSessionTimeZone() throws {
        let source = try TestDatabase()
        try source.execute("ALTER DATABASE \(SQL.identifier(source.name)) SET timezone = 'America/New_York'")
        try source.execute(
            """
            CREATE TABLE events (
                id integer PRIMARY KEY,
                at timestamptz DEFAULT '2024-01-31 12:00:00+00',
                local_time timetz DEFAULT '10:00:00+02',
                wall timestamp DEFAULT '2024-01-31 12:00:00'
            );
            INSERT INTO events VALUES (1, '2024-06-01 08:00:00+00', '11:00+01', '2024-06-01 08:00');
            """)
        let seedTables = [QualifiedName(name: "events")]
        let yaml = try export(source, seedTables: seedTables)
        let path = try writeSchema(yaml)
        XCTAssertEqual(try source.reconciler(path).check().drift.map(\.summary), [])

        let copy = try TestDatabase()
        try copy.execute("ALTER DATABASE \(SQL.identifier(copy.name)) SET timezone = 'Asia/Kolkata'")
        try copy.applyAndAssertConverged(path)
        XCTAssertEqual(try copy.column("SELECT (at AT TIME ZONE 'UTC')::text FROM events"), ["2024-06-01 08:00:00"])
        XCTAssertEqual(try export(copy, seedTables: seedTables), yaml)
    }

    // MARK: - Tables without columns, DEFAULT NULL

    /// `CREATE TABLE marker ()` is legal, and real schemas have such tables. The export writes `columns: {}`,
    /// which loads, applies (as `CREATE TABLE ... ()`), exports again byte for byte and checks in sync.
    func testTableWithoutColumnsRoundTrips() throws {
        let source = try TestDatabase()
        try source.execute(
            """
            CREATE TABLE marker ();
            COMMENT ON TABLE marker IS 'present or not';
            CREATE TABLE t (id integer PRIMARY KEY);
            """)
        let result = try assertExportRoundTrips(source)
        XCTAssertTrue(
            result.yaml.contains("  marker:\n    comment: present or not\n    columns: {}\n  t:\n"),
            result.yaml)
        XCTAssertEqual(
            try result.copy.column(
                """
                SELECT count(*)::text FROM pg_catalog.pg_attribute WHERE attrelid = 'marker'::regclass AND attnum > 0
                """), ["0"])
        for database in [source, result.copy] {
            let check = try CLI.run(["--check", "--schema", result.path, "--database-url", database.url])
            XCTAssertEqual(check.exitCode, 0, check.stdout + check.stderr)
            let apply = try CLI.run(["--apply", "--schema", result.path, "--database-url", database.url])
            XCTAssertEqual(apply.stdout, "No changes. The database matches the schema file.\n", apply.stderr)
        }

        // (3) The same table with columns (dropped with --allow-destructive) and without its comment.
        let target = try TestDatabase()
        try target.execute(
            """
            CREATE TABLE marker (a integer, b text DEFAULT 'x');
            CREATE TABLE t (id integer PRIMARY KEY);
            """)
        try assertConverges(target, to: result, source: source)
    }

    /// PostgreSQL keeps `DEFAULT NULL` where a length or precision coercion wraps the NULL, and pg_dump writes
    /// `DEFAULT NULL::character varying`; either reads back as `NULL::<type>`. It means no default: a file
    /// that declares none (or `default: null`) is in sync. The export keeps it as written, so a copy's
    /// pg_dump equals the source's.
    func testDefaultNullIsNoDefault() throws {
        let source = try TestDatabase()
        try source.execute(
            """
            CREATE TABLE people (
                id integer PRIMARY KEY,
                name varchar(20) DEFAULT NULL,
                nickname character varying DEFAULT NULL::character varying,
                code char(3) DEFAULT NULL::bpchar,
                label varchar DEFAULT NULL::text,
                score numeric(10,2) DEFAULT NULL,
                seen timestamp(3) DEFAULT NULL,
                note text DEFAULT NULL
            );
            ALTER TABLE people ADD COLUMN email varchar(100) DEFAULT NULL::character varying;
            """)
        // The catalog does hold these defaults: without this, the test would prove nothing.
        XCTAssertEqual(
            try source.column(
                """
                SELECT a.attname || ' ' || pg_catalog.pg_get_expr(d.adbin, d.adrelid)
                FROM pg_catalog.pg_attrdef d JOIN pg_catalog.pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                WHERE d.adrelid = 'people'::regclass ORDER BY a.attnum
                """),
            [
                "name NULL::character varying", "code NULL::bpchar", "label NULL::text", "score NULL::numeric",
                "seen NULL::timestamp without time zone", "email NULL::character varying",
            ])
        let declared = try writeSchema(
            """
            version: 1
            tables:
              people:
                columns:
                  id: { type: integer, primary_key: true }
                  name: varchar(20)
                  nickname: varchar
                  code: char(3)
                  label: { type: varchar, default: null }
                  score: numeric(10,2)
                  seen: { type: timestamp(3), default_sql: "NULL" }
                  note: text
                  email: varchar(100)
            """)
        let check = try CLI.run(["--check", "--schema", declared, "--database-url", source.url])
        XCTAssertEqual(check.stdout, "In sync: the database matches the schema file.\n", check.stderr)
        XCTAssertEqual(check.exitCode, 0)
        XCTAssertEqual(try source.reconciler(declared).apply().executed.map(\.summary), [])

        let result = try assertExportRoundTrips(source)
        for line in [
            "      name: { type: character varying(20), default_sql: \"NULL::character varying\" }",
            "      code: { type: character(3), default_sql: \"NULL::bpchar\" }",
            "      label: { type: character varying, default_sql: \"NULL::text\" }",
            "      score: { type: \"numeric(10,2)\", default_sql: \"NULL::numeric\" }",
            "      email: { type: character varying(100), default_sql: \"NULL::character varying\" }",
        ] {
            XCTAssertTrue(result.yaml.contains(line + "\n"), "export should contain \(line)\n\(result.yaml)")
        }
        let defaults = "SELECT adnum || ' ' || pg_get_expr(adbin, adrelid) FROM pg_attrdef ORDER BY 1"
        XCTAssertEqual(try result.copy.column(defaults), try source.column(defaults))
    }

    // MARK: - The command line

    func testCLIExportToStdout() throws {
        let db = try TestDatabase()
        try db.execute(
            """
            CREATE TABLE t (id integer PRIMARY KEY, name text NOT NULL DEFAULT 'x', note text);
            INSERT INTO t VALUES (2, 'two', NULL), (1, 'it''s one', 'n');
            CREATE TABLE other (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, t_id integer REFERENCES t);
            CREATE INDEX ON other (t_id);
            """)
        let run = try CLI.run(["--export", "--schemas", "public", "--seed-tables", "t", "--database-url", db.url])
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        XCTAssertEqual(run.stderr, "")
        XCTAssertEqual(
            run.stdout,
            """
            # Exported by reconcile --export. This file now declares the database:
            # edit it, review changes with --plan, deploy them with --apply.
            version: 1
            tables:
              other:
                columns:
                  id: { type: bigint, identity: always }
                  t_id: { type: integer }
                primary_key: [id]
                foreign_keys:
                  - { columns: [t_id], references: t(id) }
                indexes:
                  - { columns: [t_id] }
              t:
                columns:
                  id: { type: integer, nullable: false }
                  name: { type: text, nullable: false, default: x }
                  note: { type: text }
                primary_key: [id]
                seed:
                  rows:
                    - { id: "1", name: "it's one", note: "n" }
                    - { id: "2", name: two, note: null }

            """)
        XCTAssertEqual(run.stdout, try export(db, schemas: ["public"], seedTables: [QualifiedName(name: "t")]))

        let path = try writeSchema(run.stdout)
        let check = try CLI.run(["--check", "--schema", path, "--database-url", db.url])
        XCTAssertEqual(check.exitCode, 0, check.stdout + check.stderr)

        let unknown = try CLI.run(["--export", "--seed-tables", "nope", "--database-url", db.url])
        XCTAssertEqual(unknown.exitCode, 1)
        XCTAssertEqual(unknown.stdout, "")
        XCTAssertTrue(unknown.stderr.contains("nope"), unknown.stderr)
    }

    // MARK: - Helpers

    private func export(_ db: TestDatabase, schemas: [String]? = nil, seedTables: [QualifiedName] = []) throws -> String
    {
        try db.reconciler("not-read.yaml").export(schemas: schemas, seedTables: seedTables)
    }

    struct RoundTrip {
        let yaml: String
        let path: String
        /// An empty database that the export was applied to.
        let copy: TestDatabase
        let schemas: [String]?
        let seedTables: [QualifiedName]
    }

    /// Guarantees (1) and (2).
    @discardableResult
    private func assertExportRoundTrips(
        _ source: TestDatabase, schemas: [String]? = nil, seedTables: [QualifiedName] = [],
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> RoundTrip {
        let yaml = try export(source, schemas: schemas, seedTables: seedTables)
        let path = try writeSchema(yaml)
        let check = try source.reconciler(path).check()
        XCTAssertEqual(
            check.drift.map(\.summary), [], "(1) --check of the export against its source\n\(yaml)", file: file,
            line: line)
        XCTAssertEqual(check.unmanagedTables, [], "(1) the export declares every table", file: file, line: line)

        let copy = try TestDatabase()
        try copy.applyAndAssertConverged(path, file: file, line: line)
        let again = try export(copy, schemas: schemas, seedTables: seedTables)
        assertSameLines(
            again, yaml, "(2) export of an empty database the export was applied to", file: file, line: line)
        return RoundTrip(yaml: yaml, path: path, copy: copy, schemas: schemas, seedTables: seedTables)
    }

    /// Guarantee (3): the export applied with --allow-destructive to a database prepared to differ makes it equal
    /// to the source, by fingerprint and by export.
    private func assertConverges(
        _ target: TestDatabase, to roundTrip: RoundTrip, source: TestDatabase, rowsOf: [String] = [],
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let plan = try target.reconciler(roundTrip.path, allowDestructive: true).plan().plan
        XCTAssertFalse(
            plan.steps.isEmpty, "(3) the prepared database must differ from the source", file: file, line: line)
        XCTAssertEqual(plan.failingSteps.map(\.summary), [], "(3) no pre-flight failure", file: file, line: line)
        try target.applyAndAssertConverged(roundTrip.path, allowDestructive: true, file: file, line: line)
        assertSameLines(
            try target.fingerprint(rowsOf: rowsOf), try source.fingerprint(rowsOf: rowsOf),
            "(3) fingerprint of the reconciled database vs. the source", file: file, line: line)
        assertSameLines(
            try export(target, schemas: roundTrip.schemas, seedTables: roundTrip.seedTables), roundTrip.yaml,
            "(3) export of the reconciled database", file: file, line: line)
    }

    /// Equality of two long texts, reporting only the lines that differ.
    private func assertSameLines(
        _ actual: String, _ expected: String, _ message: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        guard actual != expected else { return }
        let actualLines = actual.components(separatedBy: "\n"), expectedLines = expected.components(separatedBy: "\n")
        var report: [String] = []
        for index in 0..<max(actualLines.count, expectedLines.count) {
            let a = index < actualLines.count ? actualLines[index] : "<none>"
            let e = index < expectedLines.count ? expectedLines[index] : "<none>"
            if a != e { report.append("line \(index + 1):\n  expected: \(e)\n  actual:   \(a)") }
        }
        XCTFail("\(message): texts differ\n" + report.prefix(20).joined(separator: "\n"), file: file, line: line)
    }
}
