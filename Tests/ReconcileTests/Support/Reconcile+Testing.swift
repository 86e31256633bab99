import Reconcile
import XCTest

extension TestDatabase {
    /// A reconciler for this database and the given schema file.
    func reconciler(
        _ schemaPath: String, allowDestructive: Bool = false,
        filter: TableFilter = .everything
    ) -> Reconciler {
        Reconciler(
            options: ReconcileOptions(
                schemaPath: schemaPath, connection: ConnectionInfo(url),
                allowDestructive: allowDestructive, filter: filter))
    }

    /// Applies, then asserts the invariant: --check is clean and a second apply executes nothing.
    @discardableResult
    func applyAndAssertConverged(
        _ schemaPath: String, allowDestructive: Bool = false,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> ApplyResult {
        let result = try reconciler(schemaPath, allowDestructive: allowDestructive).apply()
        let check = try reconciler(schemaPath, allowDestructive: allowDestructive).check()
        let remaining = check.drift.filter { allowDestructive || !$0.isDestructive }
        XCTAssertEqual(remaining.map(\.summary), [], "drift right after apply", file: file, line: line)
        let second = try reconciler(schemaPath, allowDestructive: allowDestructive).apply()
        XCTAssertEqual(
            second.executed.map(\.summary), [], "a second apply must execute nothing", file: file, line: line)
        return result
    }
}
