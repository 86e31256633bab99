import Foundation
import Reconcile
import XCTest

/// Pre-flight reads rows as the plan's earlier steps will leave them (issue 14; the data cases are in
/// Cases/preflight.yaml). This covers what the case files cannot: that doing so has no side effects.
final class PreflightProjectionTests: XCTestCase {
    /// A new column's default expression is not evaluated by pre-flight: nextval() would use up sequence values
    /// on every --plan, and the rows would get other numbers than a plain ALTER TABLE gives them.
    func testPlanDoesNotEvaluateANewColumnsDefaultExpression() throws {
        let database = try TestDatabase()
        try database.execute(
            """
            CREATE SEQUENCE ticket_numbers;
            CREATE TABLE tickets (id integer PRIMARY KEY);
            INSERT INTO tickets VALUES (1), (2);
            """)
        let schema = try writeSchema(
            """
            version: 1
            sequences:
              ticket_numbers: {}
            tables:
              tickets:
                columns:
                  id: { type: integer, primary_key: true }
                  number:
                    type: bigint
                    nullable: false
                    default_sql: "nextval('ticket_numbers')"
                    check: "number > 0"
            """)
        let plan = try database.reconciler(schema).plan().plan
        XCTAssertEqual(plan.steps.map(\.summary), ["add column number bigint", "add check tickets_number_check"])
        XCTAssertEqual(
            try database.scalar("SELECT is_called::text FROM ticket_numbers"), "false",
            "--plan used up a sequence value")

        _ = try database.reconciler(schema).apply()
        XCTAssertEqual(try database.column("SELECT id || '=' || number FROM tickets ORDER BY id"), ["1=1", "2=2"])
    }
}
