import Reconcile
import XCTest

final class ConcurrencyTests: XCTestCase {
    func testConcurrentAppliesAllSucceedAndTheWorkIsDoneOnce() throws {
        let database = try TestDatabase()
        let path = repositoryRoot.appendingPathComponent("schema.yaml").path
        let runs = try (0..<4).map { _ in try CLI.start(["--apply", "--schema", path, "--database-url", database.url]) }
        let results = runs.map(CLI.finish)
        for result in results { XCTAssertEqual(result.exitCode, 0, result.stdout + result.stderr) }
        // Exactly one run created the tables; the others found nothing left to do once they got the lock.
        let creators = results.filter { $0.stdout.contains("create table public.ai_usage_logs") }
        XCTAssertEqual(creators.count, 1, results.map(\.stdout).joined(separator: "\n---\n"))
        XCTAssertEqual(results.filter { $0.stdout.contains("No changes.") }.count, 3)
        XCTAssertEqual(try database.scalar("SELECT count(*) FROM admin_settings"), "1")
    }
}
