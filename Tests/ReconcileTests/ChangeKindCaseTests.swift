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
        /// The case compresses with lz4, which a server built without it refuses; left out there.
        let requiresLZ4: Bool
    }

    /// One test per file, so a case left out (a missing extension, an older server) skips its file's test with
    /// the reason instead of letting it pass; the other cases of the file still run first.
    func testChangeKinds() throws { try runFile("change-kinds.yaml") }
    func testColumnOptions() throws { try runFile("column-options.yaml") }
    func testConstraintOptions() throws { try runFile("constraint-options.yaml") }
    func testExclusion() throws { try runFile("exclusion.yaml") }
    func testFidelity() throws { try runFile("fidelity.yaml") }
    func testFunctions() throws { try runFile("functions.yaml") }
    func testGeneratedColumns() throws { try runFile("generated-columns.yaml") }
    func testIndexOptions() throws { try runFile("index-options.yaml") }
    func testPartitions() throws { try runFile("partitions.yaml") }
    func testPreflight() throws { try runFile("preflight.yaml") }
    func testSequences() throws { try runFile("sequences.yaml") }
    func testTableOptions() throws { try runFile("table-options.yaml") }
    func testTransitions() throws { try runFile("transitions.yaml") }
    func testDomains() throws { try runFile("domains.yaml") }
    func testCompositeTypes() throws { try runFile("composite-types.yaml") }
    func testRowLevelSecurity() throws { try runFile("row-level-security.yaml") }
    func testTriggers() throws { try runFile("triggers.yaml") }
    func testViews() throws { try runFile("views.yaml") }
    func testKeyIndexOptions() throws { try runFile("key-index-options.yaml") }

    static let covered: Set<String> = [
        "change-kinds.yaml", "column-options.yaml", "constraint-options.yaml", "exclusion.yaml", "fidelity.yaml",
        "functions.yaml",
        "generated-columns.yaml", "index-options.yaml", "partitions.yaml", "preflight.yaml", "sequences.yaml",
        "table-options.yaml", "transitions.yaml", "domains.yaml", "composite-types.yaml", "row-level-security.yaml",
        "triggers.yaml", "views.yaml", "key-index-options.yaml",
    ]

    static var directory: URL { repositoryRoot.appendingPathComponent("Tests/ReconcileTests/Cases") }

    func testEveryCaseFileHasATestAndParsesStrictly() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path)
            .filter { $0.hasSuffix(".yaml") }
        XCTAssertEqual(Set(files), Self.covered, "add a test method for each case file")
        var count = 0
        for file in files { count += try Self.cases(in: Self.directory.appendingPathComponent(file)).count }
        XCTAssertGreaterThanOrEqual(count, 60)
    }

    /// The case decoder refuses what it does not know, so a misspelt key cannot silently drop an expectation.
    func testTheCaseDecoderRefusesUnknownKeysAndMissingParts() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cases-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: url) }
        for (text, expected) in [
            ("a case:\n  desired: x\n  plan: []\n  plans: []\n", "unknown key 'plans'"),
            ("a case:\n  plan: []\n", "needs 'desired'"),
            ("a case:\n  desired: x\n  plan: text\n", "'plan' must be a list of texts"),
        ] {
            try text.write(to: url, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try Self.cases(in: url), text) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error)")
            }
        }
    }

    /// Runs the file's cases, or with `RECONCILE_CASE=<name>` only the case of that name (in any file).
    private func runFile(_ file: String) throws {
        let only = ProcessInfo.processInfo.environment["RECONCILE_CASE"]
        var leftOut: [String] = []
        var ran = 0
        for testCase in try Self.cases(in: Self.directory.appendingPathComponent(file))
        where only == nil || testCase.name == only {
            do {
                if let reason = try run(testCase, file: file) {
                    leftOut.append("'\(testCase.name)' (\(reason))")
                } else {
                    ran += 1
                }
            } catch {
                XCTFail("\(file): \(testCase.name): \(error)")
            }
        }
        if only != nil, ran + leftOut.count == 0 { throw XCTSkip("no case named '\(only!)' in \(file)") }
        if !leftOut.isEmpty {
            throw XCTSkip("\(file): ran \(ran) cases; left out \(leftOut.joined(separator: ", "))")
        }
    }

    /// Runs one case; returns why it was left out, or nil when it ran.
    private func run(_ testCase: Case, file: String) throws -> String? {
        let label = "\(file): \(testCase.name)"
        let schema = try writeSchema(testCase.desired)

        let database = try TestDatabase()
        if let name = testCase.requiresExtension, try !database.hasExtension(name) {
            return "the server has no \(name) extension"
        }
        if let major = testCase.requiresServer,
            let version = try database.scalar("SHOW server_version_num").flatMap({ Int($0) }), version < major * 10000
        {
            return "it needs PostgreSQL \(major); the server is \(version)"
        }
        if testCase.requiresLZ4, try !database.hasLZ4() { return "the server was built without lz4" }
        if !testCase.current.isEmpty { try database.execute(testCase.current) }
        let plan = try database.reconciler(schema, allowDestructive: testCase.allowDestructive).plan().plan
        XCTAssertEqual(plan.steps.map(Self.line), testCase.plan, "\(label): plan")
        XCTAssertEqual(plan.blocked.map(Self.line), testCase.blocked, "\(label): blocked")
        XCTAssertEqual(plan.failingSteps.compactMap(\.preflightFailure), testCase.preflight, "\(label): pre-flight")
        if !plan.failingSteps.isEmpty {
            // Pre-flight failures: --apply refuses and changes nothing.
            let before = try database.fingerprint()
            XCTAssertThrowsError(try database.reconciler(schema).apply(), label) { error in
                guard case ReconcileError.preflightFailed(let steps) = error else {
                    return XCTFail("\(label): \(error)")
                }
                XCTAssertEqual(steps.compactMap(\.preflightFailure), testCase.preflight, label)
            }
            XCTAssertEqual(try database.fingerprint(), before, "\(label): refused apply changed the database")
            return nil
        }
        if !plan.blocked.isEmpty {
            // Blocked steps: --apply refuses and changes nothing.
            let before = try database.fingerprint()
            XCTAssertThrowsError(try database.reconciler(schema).apply(), label) { error in
                guard case ReconcileError.blockedSteps(let steps) = error else { return XCTFail("\(label): \(error)") }
                XCTAssertEqual(steps.map(Self.line), testCase.blocked, label)
            }
            XCTAssertEqual(try database.fingerprint(), before, "\(label): refused apply changed the database")
            return nil
        }
        try assertLocksAsDeclared(plan, current: testCase.current, label)
        try database.applyAndAssertConverged(schema, allowDestructive: testCase.allowDestructive)
        for (query, expected) in testCase.rows {
            XCTAssertEqual(try database.column(query), expected, "\(label): \(query)")
        }

        let empty = try TestDatabase()
        try empty.applyAndAssertConverged(schema)

        // The online form of the same plan converges too (rewrites allowed: here only convergence counts).
        let online = try TestDatabase()
        if !testCase.current.isEmpty { try online.execute(testCase.current) }
        var options = ReconcileOptions(
            schemaPath: schema, connection: ConnectionInfo(online.url), allowDestructive: testCase.allowDestructive,
            retries: 2)
        options.online = true
        options.allowRewrites = true
        try Reconciler(options: options).apply()
        XCTAssertEqual(
            try Reconciler(options: options).check().drift.filter { testCase.allowDestructive || !$0.isDestructive }
                .map(\.summary), [], "\(label): drift after the online apply")
        XCTAssertEqual(
            try Reconciler(options: options).apply().executed.map(\.summary), [],
            "\(label): a second online apply must execute nothing")
        return nil
    }

    /// The lock each step shows a reviewer is the one the server takes: on a copy of the starting database,
    /// each step runs in a transaction of its own, and the strongest mode `pg_locks` lists on a table that
    /// existed before the plan must be the step's. (Share-row locks of foreign-key checks are below what any
    /// step declares, and are not told apart.)
    private func assertLocksAsDeclared(_ plan: Plan, current: String, _ label: String) throws {
        let copy = try TestDatabase()
        if !current.isEmpty { _ = try copy.execute(current) }
        let session = try Connection(ConnectionInfo(copy.url))
        let existing =
            try session.query(
                """
                SELECT pg_catalog.array_agg(c.oid)::text FROM pg_catalog.pg_class c
                WHERE c.relkind IN ('r', 'p')
                  AND c.relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
                """
            ).rows.first?.first ?? nil
        for step in plan.steps {
            try session.query("BEGIN")
            // As the applier does: a SQL function's body may read a table a later step creates.
            if plan.createsRoutines { try session.query(SQLRenderer.deferFunctionBodyChecks) }
            for statement in step.statements { try session.query(statement) }
            let held = try session.query(
                """
                SELECT l.mode || ' on ' || l.relation::regclass::text FROM pg_catalog.pg_locks l
                WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation'
                  AND l.relation = ANY ($1::oid[])
                ORDER BY 1
                """, [existing ?? "{}"]
            ).rows.compactMap { $0.first ?? nil }
            try session.query("COMMIT")
            let observed = held.compactMap { TableLock(pgLocksMode: String($0.prefix { $0 != " " })) }.max() ?? .none
            XCTAssertEqual(
                observed.mode ?? "no lock", step.lock.mode ?? "no lock",
                "\(label): step \(step.number), \(step.summary), holds \(held)")
        }
    }

    static func line(_ step: PlanStep) -> String {
        step.change.table.map { "\($0): \(step.summary)" } ?? step.summary
    }

    struct CaseFileError: Error, CustomStringConvertible {
        let description: String
    }

    static let caseKeys: Set<String> = [
        "current", "desired", "plan", "blocked", "preflight", "allow_destructive", "rows", "requires_extension",
        "requires_server", "requires_lz4",
    ]

    /// Decodes strictly: every case is a mapping with 'desired' and 'plan', only known keys, each of its type.
    static func cases(in url: URL) throws -> [Case] {
        let text = try String(contentsOf: url, encoding: .utf8)
        guard case .mapping(let root)? = try Yams.compose(yaml: text) else {
            throw CaseFileError(description: "\(url.lastPathComponent): expected a mapping of case names to cases")
        }
        return try root.map { key, value -> Case in
            let name = key.string ?? "?"
            func fail(_ message: String) -> CaseFileError {
                CaseFileError(description: "\(url.lastPathComponent): case '\(name)': \(message)")
            }
            guard case .mapping(let fields) = value else { throw fail("must be a mapping") }
            for fieldKey in fields.keys where !caseKeys.contains(fieldKey.string ?? "") {
                throw fail(
                    "unknown key '\(fieldKey.string ?? "?")' (known: \(caseKeys.sorted().joined(separator: ", ")))")
            }
            func field(_ key: String) -> Node? { fields[Node(key)] }
            func text(_ key: String) throws -> String? {
                guard let node = field(key) else { return nil }
                guard let string = node.string else { throw fail("'\(key)' must be a text") }
                return string
            }
            func texts(_ key: String) throws -> [String] {
                guard let node = field(key) else { return [] }
                guard let items = node.sequence?.map(\.string), !items.contains(nil) else {
                    throw fail("'\(key)' must be a list of texts")
                }
                return items.compactMap { $0 }
            }
            guard let desired = try text("desired") else { throw fail("needs 'desired'") }
            guard field("plan") != nil else { throw fail("needs 'plan' (an empty list when nothing changes)") }
            var rows: [(String, [String])] = []
            if let node = field("rows") {
                guard let mapping = node.mapping else { throw fail("'rows' must map queries to lists of texts") }
                for (query, expected) in mapping {
                    guard let query = query.string, let items = expected.sequence?.map(\.string),
                        !items.contains(nil)
                    else { throw fail("'rows' must map queries to lists of texts") }
                    rows.append((query, items.compactMap { $0 }))
                }
            }
            func flag(_ key: String) throws -> Bool {
                guard let node = field(key) else { return false }
                guard let value = node.bool else { throw fail("'\(key)' must be true or false") }
                return value
            }
            let requiresServer = try field("requires_server").map { node -> Int in
                guard let major = node.int else { throw fail("'requires_server' must be a major version") }
                return major
            }
            return Case(
                name: name, current: try text("current") ?? "", desired: desired, plan: try texts("plan"),
                blocked: try texts("blocked"), preflight: try texts("preflight"),
                allowDestructive: try flag("allow_destructive"), rows: rows,
                requiresExtension: try text("requires_extension"), requiresServer: requiresServer,
                requiresLZ4: try flag("requires_lz4"))
        }
    }
}
