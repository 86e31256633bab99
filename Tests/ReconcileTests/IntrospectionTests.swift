import Reconcile
import XCTest

final class IntrospectionTests: XCTestCase {
    /// Introspection is set-based: the number of statements does not grow with the number of tables,
    /// functions and triggers (a function and a trigger per table here, declared as the catalog prints them),
    /// domains, composite types, policies, views and materialized views: each kind is one query, whatever the
    /// number of objects.
    func testStatementCountIsTheSameForTenAndAThousandTables() throws {
        func statements(tables: Int) throws -> Int {
            let database = try TestDatabase()
            var yaml = "version: 1\ndomains:\n"
            var ddl = ""
            for number in 0..<tables / 10 {
                yaml += "  d\(number): { type: integer, checks: { d\(number)_check: VALUE > 0 } }\n"
                ddl += "CREATE DOMAIN d\(number) AS integer CONSTRAINT d\(number)_check CHECK (VALUE > 0);\n"
            }
            yaml += "types:\n"
            for number in 0..<tables / 10 {
                yaml += "  c\(number): { attributes: { a: integer, b: text } }\n"
                ddl += "CREATE TYPE c\(number) AS (a integer, b text);\n"
            }
            yaml += "functions:\n"
            for number in 0..<tables {
                yaml += """
                      f\(number):
                        arguments: "n integer"
                        returns: boolean
                        language: sql
                        volatility: immutable
                        body: SELECT n > \(number)

                    """
                ddl +=
                    "CREATE FUNCTION f\(number)(n integer) RETURNS boolean LANGUAGE sql IMMUTABLE "
                    + "AS $$SELECT n > \(number)$$;\n"
            }
            // One trigger function; every table has a trigger that calls it.
            yaml += "  f0_touch: { returns: trigger, language: plpgsql, body: \"BEGIN RETURN NEW; END\" }\n"
            ddl += "CREATE FUNCTION f0_touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;\n"
            yaml += "tables:\n"
            for number in 0..<tables {
                yaml += """
                      t\(number):
                        columns:
                          id: { type: bigint, identity: always, primary_key: true }
                          name: { type: "varchar(40)", nullable: false, default: x, check: "length((name)::text) > 0" }
                          parent: { type: bigint, references: t\(number)(id) }
                        indexes:
                          - columns: [name]
                        row_level_security: enabled
                        policies:
                          own: { using: "(name)::text = CURRENT_USER" }
                        triggers:
                          checked: { timing: before, events: [insert], update_of: [name], for_each: row, function: f0_touch, when: "(new.name IS NOT NULL)" }

                    """
                ddl += """
                    CREATE TABLE t\(number) (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        name varchar(40) NOT NULL DEFAULT 'x' CHECK (length(name) > 0), parent bigint REFERENCES t\(number)(id));
                    CREATE INDEX t\(number)_name_idx ON t\(number) (name);
                    ALTER TABLE t\(number) ENABLE ROW LEVEL SECURITY;
                    CREATE POLICY own ON t\(number) USING ((name)::text = CURRENT_USER);
                    CREATE TRIGGER checked BEFORE INSERT OR UPDATE OF name ON t\(number)
                        FOR EACH ROW WHEN (NEW.name IS NOT NULL) EXECUTE FUNCTION f0_touch();

                    """
            }
            // A view per table, and a materialized view per ten, declared as pg_get_viewdef prints them (which
            // depends on the server's version: asked once, after the views are made).
            var views = ""
            for number in 0..<tables {
                views += "CREATE VIEW v\(number) AS SELECT id, name FROM t\(number) WHERE parent IS NULL;\n"
            }
            for number in 0..<tables / 10 {
                views += "CREATE MATERIALIZED VIEW m\(number) AS SELECT count(*) AS n FROM v\(number);\n"
                views += "CREATE UNIQUE INDEX m\(number)_n_idx ON m\(number) (n);\n"
            }
            try database.execute(ddl + views)
            let definitions = try database.column(
                """
                SELECT c.relkind::text || ' ' || c.relname || ' ' || pg_catalog.to_json(pg_catalog.pg_get_viewdef(c.oid))
                FROM pg_catalog.pg_class c WHERE c.relkind IN ('v', 'm')
                  AND c.relnamespace = 'public'::regnamespace ORDER BY c.relkind DESC, c.relname
                """)
            for (number, row) in definitions.enumerated() {
                let parts = row.split(separator: " ", maxSplits: 2).map(String.init)
                if number == 0 || (parts[0] == "m" && !definitions[number - 1].hasPrefix("m")) {
                    yaml += parts[0] == "v" ? "views:\n" : "materialized_views:\n"
                }
                let indexes = parts[0] == "m" ? ", indexes: [{ columns: [n], unique: true }]" : ""
                yaml += "  \(parts[1]): { sql: \(parts[2])\(indexes) }\n"
            }
            let result = try database.reconciler(try writeSchema(yaml)).plan()
            XCTAssertTrue(result.plan.isInSync, result.plan.steps.map(\.summary).joined(separator: "\n"))
            return result.statementCount
        }
        let small = try statements(tables: 10)
        let large = try statements(tables: 1000)
        // Spelled as the catalog spells them, the tables need no scratch copies: the count is constant.
        XCTAssertEqual(small, large, "statements must not depend on the number of tables")
        // One query per kind: schemas, extensions, enums, sequences, tables, columns, constraints, indexes,
        // row security, domains and types, functions, triggers, views, not-modelled kinds, plus the session's
        // settings; the snapshot export, and the partner's transaction and settings (constraints and indexes are
        // its).
        XCTAssertEqual(small, 23)
    }

    /// The partner connection reads constraints and indexes in the main connection's snapshot: what a check
    /// sees is the same with one connection and with two, drift included.
    func testTheSnapshotPartnerSeesWhatOneConnectionSees() throws {
        let database = try TestDatabase()
        let path = try writeSchema(
            """
            version: 1
            tables:
              parents: { columns: { id: { type: bigint, primary_key: true } } }
              items:
                columns:
                  id: { type: bigint, primary_key: true }
                  parent_id: { type: bigint, references: parents(id) }
                  qty: { type: integer, check: qty > 0 }
                indexes:
                  - columns: [qty]
            """)
        try database.applyAndAssertConverged(path)
        try database.execute(
            """
            ALTER TABLE items DROP CONSTRAINT items_qty_check, ADD CONSTRAINT items_qty_check CHECK (qty >= 0);
            DROP INDEX items_qty_idx; CREATE INDEX items_parent_idx ON items (parent_id);
            """)
        func drift(singleConnection: Bool) throws -> (lines: [String], statements: Int) {
            var options = ReconcileOptions(schemaPath: path, connection: ConnectionInfo(database.url))
            options.singleConnection = singleConnection
            let reconciler = Reconciler(options: options)
            return (try reconciler.check().drift.map(\.summary).sorted(), reconciler.statementsSent)
        }
        let one = try drift(singleConnection: true)
        let two = try drift(singleConnection: false)
        XCTAssertEqual(two.lines, one.lines)
        XCTAssertEqual(
            one.lines,
            [
                "create index items_qty_idx", "drop index items_parent_idx",
                "replace constraint items_qty_check (definition changed)",
            ])
        // Two connections send the partner's own transaction and settings besides: a fixed number more.
        XCTAssertEqual(two.statements - one.statements, 5)
    }

    /// A role allowed one connection cannot open the partner: the check reads everything on its one
    /// connection instead, and still sees the drift.
    func testACheckFallsBackToOneConnectionWhenASecondIsRefused() throws {
        let database = try TestDatabase()
        let path = try writeSchema(
            """
            version: 1
            tables:
              items:
                columns:
                  id: { type: bigint, primary_key: true }
                  qty: { type: integer, check: qty > 0 }
                indexes:
                  - columns: [qty]
            """)
        try database.applyAndAssertConverged(path)
        let (role, roleURL) = try database.readOnlyRole(grants: "ALTER ROLE $role CONNECTION LIMIT 1;")
        defer { database.dropRole(role) }
        try database.execute("DROP INDEX items_qty_idx")
        func check(_ flags: [String]) throws -> (stdout: String, statements: Int?) {
            let run = try CLI.run(
                ["--check", "--stats", "--schema", path, "--database-url", roleURL] + flags)
            XCTAssertEqual(run.exitCode, 2, run.stderr)
            let count = run.stderr.split(separator: "\n").first { $0.hasPrefix("reconcile: ") }
                .flatMap { Int($0.split(separator: " ")[1]) }
            return (run.stdout, count)
        }
        let refused = try check([])
        XCTAssertTrue(refused.stdout.contains("missing index public.items/items_qty_idx"), refused.stdout)
        let single = try check(["--single-connection"])
        XCTAssertEqual(refused.stdout, single.stdout)
        // The main connection's statements and the snapshot export: the partner never got to send one.
        XCTAssertNotNil(single.statements)
        XCTAssertEqual(refused.statements, single.statements.map { $0 + 1 })
    }
}
