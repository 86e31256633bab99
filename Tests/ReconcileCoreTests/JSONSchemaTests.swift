import Foundation
import XCTest

@testable import ReconcileCore

/// The committed JSON Schema is the generated one, and the generator covers every key the loader reads.
/// Validating files against it with an independent validator is `SchemaFileValidationTests` (needs Python).
final class JSONSchemaTests: XCTestCase {
    func testTheCommittedJSONSchemaIsTheGeneratedOne() throws {
        let path = Fixture.repoRoot.appendingPathComponent("schema/reconcile.schema.json").path
        let committed = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(
            committed, SchemaFileJSONSchema.text,
            "schema/reconcile.schema.json is stale: swift run reconcile --print-json-schema > \(path)")
    }

    func testTheSchemaIsJSONThatListsTheLoadersTableAndColumnKeys() throws {
        let object = try JSONSerialization.jsonObject(with: Data(SchemaFileJSONSchema.text.utf8)) as? [String: Any]
        let definitions = try XCTUnwrap(object?["definitions"] as? [String: Any])
        let table = try XCTUnwrap(definitions["table"] as? [String: Any])
        let tableKeys = try XCTUnwrap(table["properties"] as? [String: Any]).keys.sorted()
        XCTAssertEqual(tableKeys, TableParser.Key.allCases.map(\.rawValue).sorted())
        XCTAssertEqual(table["additionalProperties"] as? Bool, false)
        let column = try XCTUnwrap((definitions["column"] as? [String: Any])?["then"] as? [String: Any])
        let columnKeys = try XCTUnwrap(column["properties"] as? [String: Any]).keys.sorted()
        XCTAssertEqual(columnKeys, ColumnParser.Key.allCases.map(\.rawValue).sorted())
        XCTAssertTrue(columnKeys.contains("default_sql") && columnKeys.contains("renamed_from"))
    }

    func testCaseInsensitivePatternsAcceptEverySpellingTheLoaderAccepts() throws {
        let pattern = try NSRegularExpression(
            pattern: "^" + SchemaFileJSONSchema.caseInsensitive("set null", spaceMatchesUnderscore: true) + "$")
        func matches(_ text: String) -> Bool {
            pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
        XCTAssertTrue(matches("set null") && matches("SET_NULL") && matches("Set Null"))
        XCTAssertFalse(matches("set-null") || matches("setnull"))
    }
}
