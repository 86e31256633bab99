import Reconcile
import XCTest

final class IntrospectionTests: XCTestCase {
    /// Introspection is set-based: the number of statements does not grow with the number of tables.
    func testStatementCountIsTheSameForTenAndAThousandTables() throws {
        func statements(tables: Int) throws -> Int {
            let database = try TestDatabase()
            // Domains, composite types and policies too: each kind is one query, whatever the number of objects.
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

                    """
                ddl += """
                    CREATE TABLE t\(number) (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        name varchar(40) NOT NULL DEFAULT 'x' CHECK (length(name) > 0), parent bigint REFERENCES t\(number)(id));
                    CREATE INDEX t\(number)_name_idx ON t\(number) (name);
                    ALTER TABLE t\(number) ENABLE ROW LEVEL SECURITY;
                    CREATE POLICY own ON t\(number) USING ((name)::text = CURRENT_USER);

                    """
            }
            try database.execute(ddl)
            let result = try database.reconciler(try writeSchema(yaml)).plan()
            XCTAssertTrue(result.plan.isInSync, result.plan.steps.map(\.summary).joined(separator: "\n"))
            return result.statementCount
        }
        let small = try statements(tables: 10)
        let large = try statements(tables: 1000)
        // Spelled as the catalog spells them, the tables need no scratch copies: the count is constant.
        XCTAssertEqual(small, large, "statements must not depend on the number of tables")
        XCTAssertLessThanOrEqual(small, 15)
    }
}
