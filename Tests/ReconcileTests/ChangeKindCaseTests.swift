import Foundation
import Reconcile
import XCTest
import Yams

/// Runs the case files in Tests/ReconcileTests/Cases: each case's plan must be exactly as written, and
/// applying it (from the case's starting point and from an empty database) must converge.
final class ChangeKindCaseTests: XCTestCase {
    struct Case {
        let name: String
        let current: String
        let desired: String
        let plan: [String]
        let blocked: [String]
        let preflight: [String]
        let allowDestructive: Bool
        let rows: [(String, [String])]
        /// An extension the case needs; the case is left out on a server without it (CI's has it).
        let requiresExtension: String?
        /// The oldest server major version the case needs (e.g. 18 for virtual generated columns); the case
        /// is left out, and says so, on an older server (CI runs both 15 and 18).
        let requiresServer: Int?
    }

    func testEveryCaseFile() throws {
        let directory = repositoryRoot.appendingPathComponent("Tests/ReconcileTests/Cases")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertFalse(files.isEmpty)
        var count = 0
        for file in files {
            for testCase in try Self.cases(in: directory.appendingPathComponent(file)) {
                do {
                    try run(testCase, file: file)
                } catch {
                    XCTFail("\(file): \(testCase.name): \(error)")
                }
                count += 1
            }
        }
        XCTAssertGreaterThanOrEqual(count, 22)
    }

    private func run(_ testCase: Case, file: String) throws {
        let label = "\(file): \(testCase.name)"
        let schema = try writeSchema(testCase.desired)

        let database = try TestDatabase()
        if let name = testCase.requiresExtension, try !database.hasExtension(name) {
            print("\(label): left out, the server has no \(name) extension")
            return
        }
        if let major = testCase.requiresServer,
           let version = try database.scalar("SHOW server_version_num").flatMap({ Int($0) }), version < major * 10000 {
            print("\(label): left out, it needs PostgreSQL \(major) (the server is \(version))")
            return
        }
        if !testCase.current.isEmpty { try database.execute(testCase.current) }
        let plan = try database.reconciler(schema, allowDestructive: testCase.allowDestructive).plan().plan
        XCTAssertEqual(plan.steps.map(Self.line), testCase.plan, "\(label): plan")
        XCTAssertEqual(plan.blocked.map(Self.line), testCase.blocked, "\(label): blocked")
        XCTAssertEqual(plan.failingSteps.compactMap(\.preflightFailure), testCase.preflight, "\(label): pre-flight")
        if !plan.failingSteps.isEmpty {
            // Pre-flight failures: --apply refuses and changes nothing.
            let before = try database.fingerprint()
            XCTAssertThrowsError(try database.reconciler(schema).apply(), label) { error in
                guard case ReconcileError.preflightFailed(let steps) = error else { return XCTFail("\(label): \(error)") }
                XCTAssertEqual(steps.compactMap(\.preflightFailure), testCase.preflight, label)
            }
            XCTAssertEqual(try database.fingerprint(), before, "\(label): refused apply changed the database")
            return
        }
        if !plan.blocked.isEmpty {
            // Blocked steps: --apply refuses and changes nothing.
            let before = try database.fingerprint()
            XCTAssertThrowsError(try database.reconciler(schema).apply(), label) { error in
                guard case ReconcileError.blockedSteps(let steps) = error else { return XCTFail("\(label): \(error)") }
                XCTAssertEqual(steps.map(Self.line), testCase.blocked, label)
            }
            XCTAssertEqual(try database.fingerprint(), before, "\(label): refused apply changed the database")
            return
        }
        try database.applyAndAssertConverged(schema, allowDestructive: testCase.allowDestructive)
        for (query, expected) in testCase.rows {
            XCTAssertEqual(try database.column(query), expected, "\(label): \(query)")
        }

        let empty = try TestDatabase()
        try empty.applyAndAssertConverged(schema)
    }

    static func line(_ step: PlanStep) -> String {
        step.change.table.map { "\($0): \(step.summary)" } ?? step.summary
    }

    static func cases(in url: URL) throws -> [Case] {
        let text = try String(contentsOf: url, encoding: .utf8)
        guard case .mapping(let root)? = try Yams.compose(yaml: text) else { return [] }
        return root.compactMap { key, value -> Case? in
            guard let name = key.string, case .mapping(let fields) = value else { return nil }
            func field(_ key: String) -> Node? { fields[Node(key)] }
            let rows: [(String, [String])] = field("rows")?.mapping?.map { query, expected in
                (query.string ?? "", expected.sequence?.compactMap(\.string) ?? [])
            } ?? []
            return Case(name: name, current: field("current")?.string ?? "", desired: field("desired")?.string ?? "",
                        plan: field("plan")?.sequence?.compactMap(\.string) ?? [],
                        blocked: field("blocked")?.sequence?.compactMap(\.string) ?? [],
                        preflight: field("preflight")?.sequence?.compactMap(\.string) ?? [],
                        allowDestructive: field("allow_destructive")?.bool ?? false, rows: rows,
                        requiresExtension: field("requires_extension")?.string,
                        requiresServer: field("requires_server")?.int)
        }
    }
}
