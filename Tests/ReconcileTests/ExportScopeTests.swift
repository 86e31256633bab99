import Foundation
import Reconcile
import XCTest

/// `--export` on schemas it cannot fully express: `--schemas`, `--include` and `--exclude` scope it as they
/// scope `--plan` and `--check`, and a refusal names every problem in one run, each with the flag that
/// scopes it away, so adopting a large schema takes one round, not one per problem.
final class ExportScopeTests: XCTestCase {

    /// Two tables the format cannot express (a sequence of another schema, a table's row type), one that references
    /// a refused table and one that references that one, beside tables it can express (one with an exclusion
    /// constraint, which the format once refused).
    private static let partlyExpressible = """
        CREATE SCHEMA numbering;
        CREATE SEQUENCE numbering.invoice_numbers;
        CREATE TABLE invoices (id integer PRIMARY KEY,
                               number bigint NOT NULL DEFAULT nextval('numbering.invoice_numbers'));
        CREATE TABLE invoice_lines (id integer PRIMARY KEY, invoice_id integer REFERENCES invoices);
        CREATE TABLE line_notes (id integer PRIMARY KEY, line_id integer REFERENCES invoice_lines);
        CREATE TABLE covered (id integer PRIMARY KEY, during tsrange, CONSTRAINT covered_during_excl
                              EXCLUDE USING gist (during WITH &&));
        CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL);
        CREATE TABLE "Odd.Parents" (id customers);
        CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer NOT NULL REFERENCES customers);
        """

    func testOneRunNamesEveryRefusalAndItsExcludesMakeAnExportThatApplies() throws {
        let source = try TestDatabase()
        try source.execute(Self.partlyExpressible)
        let refused = try CLI.run(["--export", "--schemas", "public", "--database-url", source.url])
        XCTAssertEqual(refused.exitCode, 1)
        XCTAssertEqual(refused.stdout, "")
        XCTAssertEqual(
            refused.stderr,
            """
            error: cannot export: 4 problems, listed below; nothing was written.
              public."Odd.Parents": column id has type customers, a range, base or table row type, which the \
            schema file cannot declare yet; leave the table out: --exclude 'public.Odd?Parents'
              public.invoice_lines: foreign key invoice_lines_invoice_id_fkey references public.invoices, which cannot \
            be exported either; leave public.invoice_lines out too: --exclude public.invoice_lines
              public.invoices: column number takes its default from a sequence \
            (nextval('numbering.invoice_numbers'::regclass)) outside the exported schemas; add its schema to \
            --schemas, or leave the table out: --exclude public.invoices
              public.line_notes: foreign key line_notes_line_id_fkey references public.invoice_lines, which cannot be \
            exported either; leave public.line_notes out too: --exclude public.line_notes
            To leave every refused table out, add: --exclude 'public.Odd?Parents' --exclude public.invoice_lines \
            --exclude public.invoices --exclude public.line_notes

            """)

        // The suggested flags, as a shell would pass them, are all the second run needs.
        let excludes = [
            "--schemas", "public", "--exclude", "public.Odd?Parents", "--exclude", "public.invoice_lines",
            "--exclude", "public.invoices", "--exclude", "public.line_notes",
        ]
        let exported = try CLI.run(["--export", "--database-url", source.url] + excludes)
        XCTAssertEqual(exported.exitCode, 0, exported.stderr)
        XCTAssertEqual(exported.stderr, "")
        XCTAssertTrue(
            exported.stdout.hasSuffix(
                """
                version: 1
                tables:
                  covered:
                    columns:
                      id: { type: integer, nullable: false }
                      during: { type: tsrange }
                    primary_key: [id]
                    exclusions:
                      covered_during_excl: "USING gist (during WITH &&)"
                  customers:
                    columns:
                      id: { type: integer, nullable: false }
                      name: { type: text, nullable: false }
                    primary_key: [id]
                  orders:
                    columns:
                      id: { type: integer, nullable: false }
                      customer_id: { type: integer, nullable: false }
                    primary_key: [id]
                    foreign_keys:
                      - { columns: [customer_id], references: customers(id) }

                """), exported.stdout)
        let path = try writeSchema(exported.stdout)
        let check = try CLI.run(["--check", "--schema", path, "--database-url", source.url] + excludes)
        XCTAssertEqual(check.stdout, "In sync: the database matches the schema file.\n", check.stderr)
        XCTAssertEqual(check.exitCode, 0)

        let copy = try TestDatabase()
        try copy.applyAndAssertConverged(path)
        XCTAssertEqual(try copy.tableNames(), ["public.covered", "public.customers", "public.orders"])
        let again = try CLI.run(["--export", "--database-url", copy.url] + excludes)
        XCTAssertEqual(again.stdout, exported.stdout, again.stderr)
    }

    /// The same scoping as plan and check: `--exclude` leaves tables out (a migration tool's bookkeeping, a
    /// pattern of temporary tables), `--include` keeps only matches, `--schemas` chooses schemas.
    func testIncludeExcludeAndSchemasScopeTheExport() throws {
        let source = try TestDatabase()
        try source.execute(
            """
            CREATE SCHEMA billing;
            CREATE TABLE users (id integer PRIMARY KEY, email text);
            CREATE TABLE schema_migrations (version text PRIMARY KEY);
            INSERT INTO schema_migrations VALUES ('20240101');
            CREATE TABLE billing.accounts (id integer PRIMARY KEY, user_id integer REFERENCES users);
            CREATE TABLE billing.tmp_import (line text);
            CREATE TABLE billing.plans (code text PRIMARY KEY);
            INSERT INTO billing.plans VALUES ('free'), ('pro');
            """)
        let scope = ["--exclude", "schema_migrations", "--exclude", "billing.tmp_*"]
        let excluded = try CLI.run(
            ["--export", "--seed-tables", "billing.plans", "--database-url", source.url] + scope)
        XCTAssertEqual(excluded.exitCode, 0, excluded.stderr)
        XCTAssertEqual(try tablesDeclared(excluded.stdout), ["billing.accounts", "billing.plans", "users"])
        XCTAssertTrue(excluded.stdout.contains("        - { code: free }\n"), excluded.stdout)
        let path = try writeSchema(excluded.stdout)
        let check = try CLI.run(["--check", "--schema", path, "--database-url", source.url] + scope)
        XCTAssertEqual(check.exitCode, 0, check.stdout + check.stderr)
        let copy = try TestDatabase()
        try copy.applyAndAssertConverged(path)
        XCTAssertEqual(try copy.tableNames(), ["billing.accounts", "billing.plans", "public.users"])

        // --include: only matching tables; a foreign key to a table it leaves out is refused with both remedies.
        let onlyBilling = try CLI.run([
            "--export", "--include", "billing.*", "--exclude", "billing.tmp_*",
            "--database-url", source.url,
        ])
        XCTAssertEqual(onlyBilling.exitCode, 1)
        XCTAssertEqual(
            onlyBilling.stderr,
            """
            error: cannot export: 1 problem, listed below; nothing was written.
              billing.accounts: foreign key accounts_user_id_fkey references public.users, which is not exported: \
            it matches no --include; export it too (add --include public.users), or leave billing.accounts out: \
            --exclude billing.accounts
            To leave every refused table out, add: --exclude billing.accounts

            """)
        let withUsers = try CLI.run([
            "--export", "--include", "billing.*", "--exclude", "billing.tmp_*",
            "--include", "public.users", "--database-url", source.url,
        ])
        XCTAssertEqual(withUsers.exitCode, 0, withUsers.stderr)
        XCTAssertEqual(try tablesDeclared(withUsers.stdout), ["billing.accounts", "billing.plans", "users"])

        // --exclude of a referenced table, and --schemas without the referenced schema.
        let withoutUsers = try CLI.run(["--export", "--exclude", "users", "--database-url", source.url] + scope)
        XCTAssertEqual(withoutUsers.exitCode, 1)
        XCTAssertTrue(
            withoutUsers.stderr.contains(
                """
                  billing.accounts: foreign key accounts_user_id_fkey references public.users, which is not exported: \
                --exclude users leaves it out; export it too (narrow --exclude users), or leave billing.accounts out: \
                --exclude billing.accounts

                """), withoutUsers.stderr)
        let billingOnly = try CLI.run(["--export", "--schemas", "billing", "--database-url", source.url] + scope)
        XCTAssertEqual(billingOnly.exitCode, 1)
        XCTAssertTrue(
            billingOnly.stderr.contains(
                """
                which is not exported: its schema public is not in --schemas; add public to --schemas, or leave \
                billing.accounts out: --exclude billing.accounts
                """), billingOnly.stderr)
        let billingAlone = try CLI.run(
            [
                "--export", "--schemas", "billing", "--exclude", "billing.accounts",
                "--database-url", source.url,
            ] + scope)
        XCTAssertEqual(billingAlone.exitCode, 0, billingAlone.stderr)
        XCTAssertEqual(try tablesDeclared(billingAlone.stdout), ["billing.plans"])
    }

    /// `--seed-tables` naming a table the export leaves out, cannot export, or cannot seed: all in one report.
    func testSeedTablesOutOfScopeAreRefusedTogether() throws {
        let source = try TestDatabase()
        try source.execute(
            Self.partlyExpressible + """
                CREATE TABLE schema_migrations (version text PRIMARY KEY);
                CREATE TABLE log (line text);
                """)
        let run = try CLI.run([
            "--export", "--seed-tables", "schema_migrations,invoices,log,nope", "--schemas", "public",
            "--exclude", "schema_migrations", "--database-url", source.url,
        ])
        XCTAssertEqual(run.exitCode, 1)
        XCTAssertEqual(run.stdout, "")
        let lines = run.stderr.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "error: cannot export: 8 problems, listed below; nothing was written.")
        XCTAssertEqual(
            Array(lines.dropFirst(5).prefix(4)),
            [
                "  --seed-tables: public.schema_migrations is not exported: --exclude schema_migrations leaves it out; "
                    + "drop it from --seed-tables",
                "  --seed-tables: public.invoices cannot be exported (see above); drop it from --seed-tables when you "
                    + "leave the table out",
                "  --seed-tables: public.log has no primary key, so its rows cannot be seeded; drop it from --seed-tables",
                "  --seed-tables: public.nope is not exported: there is no such table (or it is a partition, or an "
                    + "extension's); drop it from --seed-tables",
            ], run.stderr)
    }

    /// Features that introspection does not model would be lost without a word: an inheriting table read as a
    /// plain one, a domain type that an empty database lacks. Each is refused by name instead; what the format
    /// has since learned (generated columns, deferrable, MATCH FULL and NULLS NOT DISTINCT keys, exclusion
    /// constraints, UNLOGGED and partitioned tables, collations of pg_catalog) exports and round-trips.
    func testFeaturesTheFormatLacksAreRefusedInsteadOfLost() throws {
        let source = try TestDatabase()
        try source.execute(
            """
            CREATE TABLE computed (id integer PRIMARY KEY, a integer, twice integer GENERATED ALWAYS AS (a * 2) STORED);
            CREATE TABLE collated (id integer PRIMARY KEY, name text COLLATE "C");
            CREATE TABLE typed (id integer PRIMARY KEY, computed_row computed, computed_rows computed[],
                                collated_row collated);
            CREATE TABLE bookings (id integer PRIMARY KEY, during tsrange, EXCLUDE USING gist (during WITH &&));
            CREATE TABLE events (id integer, at date) PARTITION BY RANGE (at);
            CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            CREATE TABLE base (id integer);
            CREATE TABLE derived (extra text) INHERITS (base);
            CREATE UNLOGGED TABLE cache (key text PRIMARY KEY, value text);
            CREATE TABLE positions (id integer PRIMARY KEY, list integer, position integer,
                                    CONSTRAINT positions_in_list UNIQUE (list, position) DEFERRABLE INITIALLY DEFERRED);
            CREATE TABLE pairs (a integer, b integer, UNIQUE (a, b));
            CREATE TABLE full_match (a integer, b integer, FOREIGN KEY (a, b) REFERENCES pairs (a, b) MATCH FULL);
            CREATE TABLE nulls_equal (a integer, CONSTRAINT nulls_equal_a UNIQUE NULLS NOT DISTINCT (a));
            CREATE TABLE plain (id integer PRIMARY KEY, name text COLLATE "default", at tstzrange);
            """)
        let refused = try CLI.run(["--export", "--database-url", source.url])
        XCTAssertEqual(refused.exitCode, 1)
        XCTAssertEqual(refused.stdout, "")
        let yet = "which the schema file cannot declare yet"
        XCTAssertEqual(
            refused.stderr.split(separator: "\n").map(String.init),
            [
                "error: cannot export: 4 problems, listed below; nothing was written.",
                "  public.derived: the table inherits from public.base, \(yet); leave the table out: "
                    + "--exclude public.derived",
                "  public.typed: column collated_row has type collated, a range, base or table row type, \(yet); "
                    + "leave the table out: --exclude public.typed",
                "  public.typed: column computed_row has type computed, a range, base or table row type, \(yet); "
                    + "leave the table out: --exclude public.typed",
                "  public.typed: column computed_rows has type computed[], a range, base or table row type, "
                    + "\(yet); leave the table out: --exclude public.typed",
                "To leave every refused table out, add: --exclude public.derived --exclude public.typed",
            ])

        let excludes = ["derived", "typed"].flatMap { ["--exclude", $0] }
        let exported = try CLI.run(["--export", "--database-url", source.url] + excludes)
        XCTAssertEqual(exported.exitCode, 0, exported.stderr)
        XCTAssertEqual(
            try tablesDeclared(exported.stdout),
            [
                "base", "bookings", "cache", "collated", "computed", "events", "full_match", "nulls_equal",
                "pairs", "plain", "positions",
            ])
        let copy = try TestDatabase()
        try copy.applyAndAssertConverged(try writeSchema(exported.stdout))
        XCTAssertEqual(try CLI.run(["--export", "--database-url", copy.url]).stdout, exported.stdout)
    }

    /// A table in another tablespace would be exported into the default one: refused by name. The tablespace is
    /// made in place (PostgreSQL 15+, a testing setting), so the test needs no directory of the server's user.
    func testATableInAnotherTablespaceIsRefused() throws {
        let source = try TestDatabase()
        let tablespace = "reconcile_test_\(UInt32.random(in: 0...UInt32.max))"
        // One statement per call: several in one are one implicit transaction, which CREATE TABLESPACE refuses.
        try source.execute("SET allow_in_place_tablespaces = true")
        try source.execute("CREATE TABLESPACE \(tablespace) LOCATION ''")
        defer {
            _ = try? source.execute("DROP TABLE IF EXISTS archived")
            _ = try? source.execute("DROP TABLESPACE IF EXISTS \(tablespace)")
        }
        try source.execute(
            """
            CREATE TABLE archived (id integer PRIMARY KEY) TABLESPACE \(tablespace);
            CREATE TABLE current (id integer PRIMARY KEY);
            """)
        let refused = try CLI.run(["--export", "--database-url", source.url])
        XCTAssertEqual(refused.exitCode, 1)
        XCTAssertEqual(
            refused.stderr.split(separator: "\n").map(String.init),
            [
                "error: cannot export: 1 problem, listed below; nothing was written.",
                "  public.archived: the table is stored in tablespace \(tablespace), which the schema file cannot "
                    + "declare yet; leave the table out: --exclude public.archived",
                "To leave every refused table out, add: --exclude public.archived",
            ])
        let exported = try CLI.run(["--export", "--database-url", source.url, "--exclude", "archived"])
        XCTAssertEqual(exported.exitCode, 0, exported.stderr)
        XCTAssertEqual(try tablesDeclared(exported.stdout), ["current"])
    }

    /// A default drawn from another column's serial sequence is refused with that column named (not as a
    /// sequence outside the exported schemas, which it is not).
    func testASerialSequenceSharedWithAnotherTableIsRefusedNamingItsColumn() throws {
        let source = try TestDatabase()
        try source.execute(
            """
            CREATE TABLE versions (id bigserial PRIMARY KEY);
            CREATE TABLE versions_archive (id bigint DEFAULT nextval('versions_id_seq') PRIMARY KEY);
            """)
        let refused = try CLI.run(["--export", "--database-url", source.url])
        XCTAssertEqual(refused.exitCode, 1)
        XCTAssertTrue(
            refused.stderr.contains(
                "  public.versions_archive: column id takes its default from "
                    + "public.versions_id_seq, the sequence of column public.versions.id, which the schema file cannot "
                    + "share with another column yet"), refused.stderr)
        let exported = try CLI.run(["--export", "--database-url", source.url, "--exclude", "versions_archive"])
        XCTAssertEqual(exported.exitCode, 0, exported.stderr)
    }

    /// The table names a schema file declares, in file order.
    private func tablesDeclared(_ yaml: String) throws -> [String] {
        try SchemaLoader.load(yaml: yaml).tables.map { table in
            table.name.schema == "public" ? table.name.name : "\(table.name.schema).\(table.name.name)"
        }
    }
}
