import Foundation
import XCTest

@testable import ReconcileCore

/// Every output format of one fixed plan, compared byte for byte with files in Golden/. After an
/// intended change, regenerate them with RECONCILE_UPDATE_GOLDEN=1 and review the diff like code.
final class PlanFormatGoldenTests: XCTestCase {
    /// A plan with something of everything: a new schema and table, a hazardous column change, a seeded
    /// row, a step that pre-flight showed would fail, and a blocked destructive step.
    static func fixedPlan() throws -> Plan {
        let desired = try SchemaLoader.load(
            yaml: """
                version: 1
                tables:
                  billing.invoices:
                    columns:
                      id: { type: bigint, identity: always, primary_key: true }
                      total: { type: "numeric(12,2)", nullable: false, default: 0 }
                  accounts:
                    columns:
                      id: { type: integer, primary_key: true }
                      email: { type: text, nullable: false }
                      plan: { type: text, nullable: false, default: free }
                    indexes:
                      - columns: [email]
                    seed:
                      rows:
                        - { id: 1, email: "admin@example.com" }
                """)
        let live = Schema(
            schemaNames: ["public"],
            tables: [
                Table(
                    name: QualifiedName(name: "accounts"),
                    columns: [
                        Column(name: "id", type: "integer", isNullable: false), Column(name: "email", type: "text"),
                        Column(name: "legacy", type: "text"),
                    ],
                    primaryKey: PrimaryKey(name: "accounts_pkey", columns: ["id"]))
            ])
        var plan = Planner.plan(
            Differ(desired: desired, live: live, seedStates: [QualifiedName(name: "accounts"): [.missing]]).changes(),
            allowDestructive: false)
        for index in plan.steps.indices where plan.steps[index].change.table == QualifiedName(name: "accounts") {
            plan.steps[index].estimatedRows = 1200
            if case .column(.setNotNull) = plan.steps[index].change.kind {
                plan.steps[index].preflightFailure =
                    "3 rows hold NULL in email; add `backfill: <value>` to the column in the schema file, or fill them first"
            }
        }
        for index in plan.blocked.indices { plan.blocked[index].estimatedRows = 1200 }
        return plan
    }

    func testText() throws { try assertGolden(PlanTextRenderer.render(Self.fixedPlan()), "plan.txt") }
    func testTextWithColours() throws {
        try assertGolden(PlanTextRenderer.render(Self.fixedPlan(), style: .init(colors: true)), "plan-colours.txt")
    }
    func testSQL() throws { try assertGolden(PlanSQLRenderer.render(Self.fixedPlan()), "plan.sql") }
    func testMarkdown() throws { try assertGolden(PlanMarkdownRenderer.render(Self.fixedPlan()), "plan.md") }

    func testJSON() throws {
        let timeouts = PlanDocument.Timeouts(lockTimeoutMs: 5000, statementTimeoutMs: 0)
        let state = PlanDocument.SavedState(
            databaseSha256: String(repeating: "a", count: 64), schemaSha256: String(repeating: "b", count: 64),
            schemaPath: "schema.yaml", allowDestructive: false)
        let document = PlanDocument(plan: try Self.fixedPlan(), mode: "plan", timeouts: timeouts, state: state)
        try assertGolden(document.json(), "plan.json")
        // The saved form reads back to the same document.
        XCTAssertEqual(try PlanDocument.decode(Data(document.json().utf8)), document)
    }

    func testCheckFormats() throws {
        let plan = try Self.fixedPlan()
        let drift = plan.steps + plan.blocked
        try assertGolden(PlanTextRenderer.renderDrift(drift), "check.txt")
        try assertGolden(PlanTextRenderer.renderDrift(drift, style: .init(colors: true)), "check-colours.txt")
        XCTAssertEqual(PlanTextRenderer.renderDrift([]), "In sync: the database matches the schema file.\n")
        try assertGolden(PlanMarkdownRenderer.renderDrift(drift), "check.md")
        let document = PlanDocument(
            plan: Plan(steps: drift, blocked: [], unmanagedTables: []), mode: "check",
            timeouts: .init(lockTimeoutMs: 5000, statementTimeoutMs: 0), drift: drift)
        try assertGolden(document.json(), "check.json")
    }

    func testNoChanges() {
        let empty = Plan(steps: [], blocked: [], unmanagedTables: [])
        XCTAssertEqual(PlanTextRenderer.render(empty), "No changes. The database matches the schema file.\n")
        XCTAssertEqual(
            PlanMarkdownRenderer.render(empty),
            "### reconcile plan: no changes\n\nThe database matches the schema file.\n")
        XCTAssertEqual(PlanSQLRenderer.render(empty), "BEGIN;\nSET CONSTRAINTS ALL IMMEDIATE;\n\nCOMMIT;\n")
    }

    private func assertGolden(
        _ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
        if ProcessInfo.processInfo.environment["RECONCILE_UPDATE_GOLDEN"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        XCTAssertEqual(
            actual, expected, "\(name) differs from its golden file; if intended, rerun with RECONCILE_UPDATE_GOLDEN=1",
            file: file, line: line)
    }
}

final class SHA256Tests: XCTestCase {
    func testKnownVectors() {
        XCTAssertEqual(SHA256.hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(
            SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(
            SHA256.hex(String(repeating: "a", count: 1_000)),
            "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}

final class TableFilterTests: XCTestCase {
    func testPatterns() {
        let filter = TableFilter(
            include: ["public.*", "billing.invoice?"], exclude: ["schema_migrations", "public.tmp_*"])
        XCTAssertTrue(filter.manages(QualifiedName(name: "accounts")))
        XCTAssertTrue(filter.manages(QualifiedName(schema: "billing", name: "invoices")))
        XCTAssertFalse(filter.manages(QualifiedName(schema: "billing", name: "invoice_lines")))
        XCTAssertFalse(filter.manages(QualifiedName(name: "schema_migrations")))
        XCTAssertFalse(filter.manages(QualifiedName(schema: "audit", name: "events")))
        XCTAssertFalse(filter.manages(QualifiedName(name: "tmp_import")))
        XCTAssertTrue(TableFilter.everything.manages(QualifiedName(schema: "x", name: "y")))
        XCTAssertFalse(TableFilter(exclude: ["*"]).manages(QualifiedName(name: "a")))
        XCTAssertTrue(TableFilter.glob(Array("a*b*c"), Array("aXXbYYc")))
        XCTAssertFalse(TableFilter.glob(Array("a*b*c"), Array("aXXbYY")))
    }
}
