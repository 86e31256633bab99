import Foundation
import XCTest

@testable import ReconcileCore

/// Validates the example schema files against `schema/reconcile.schema.json` with Python's `jsonschema`, a
/// validator independent of the code that generates the schema, installed into `.build/json-schema-venv`
/// on first use. Needs no database.
final class SchemaFileValidationTests: XCTestCase {
    private static let venv = repositoryRoot.appendingPathComponent(".build/json-schema-venv")
    private static let jsonSchema = repositoryRoot.appendingPathComponent("schema/reconcile.schema.json").path
    private static let script = repositoryRoot.appendingPathComponent("scripts/validate-schema-files.py").path

    func testTheCLIPrintsTheCommittedJSONSchema() throws {
        let printed = try CLI.run(["--print-json-schema"])
        XCTAssertEqual(printed.exitCode, 0, printed.stderr)
        XCTAssertEqual(printed.stdout, try String(contentsOfFile: Self.jsonSchema, encoding: .utf8))
    }

    func testEveryExampleAndTheRootSchemaMatchTheJSONSchema() throws {
        let examples = repositoryRoot.appendingPathComponent("examples")
        let files = try FileManager.default.contentsOfDirectory(atPath: examples.path)
            .filter { $0.hasSuffix(".yaml") }.sorted().map { examples.appendingPathComponent($0).path }
        XCTAssertGreaterThanOrEqual(files.count, 5)
        let paths = files + [repositoryRoot.appendingPathComponent("schema.yaml").path]
        for path in paths { XCTAssertNoThrow(try SchemaLoader.load(path: path), path) }
        let result = try validate(paths)
        XCTAssertEqual(result.exitCode, 0, result.output)
        XCTAssertEqual(
            result.output.split(separator: "\n").filter { $0.hasSuffix(": ok") }.count, paths.count,
            result.output)
    }

    /// Spellings the loader accepts must not be underlined in the editor.
    func testLoaderSpellingsOfValuesMatchTheJSONSchema() throws {
        let path = try writeSchema(
            """
            version: "1"
            extensions: pgcrypto
            enums: { mood: [happy, sad] }
            sequences: { codes: {}, billing.numbers: { type: BIGINT, start: "-5", cycle: true } }
            tables:
              users:
                columns:
                  id: bigserial
                  email: { type: text, unique: true, collation: C, statistics: 500 }
                  mood: { type: mood, default: happy }
                  score: { type: "numeric(10,2)", default: 0.5, check: "score >= 0" }
                  born: { type: date, default: 2024-01-01 }
                  id_copy: { type: bigint, generated: { expression: id + 1 } }
                primary_key: id
                unique: [[email, mood], { columns: [score], nulls_not_distinct: true, deferrable: true }]
                checks: { positive: "id > 0", valid_email: { expression: "email <> ''", not_valid: true } }
                indexes: [{ columns: [{ expression: lower(email) }], unique: true, with: { fillfactor: 70 } }]
                with: { fillfactor: 80 }
                seed: { mode: enforce, rows: [{ id: 1, email: a, mood: sad, score: null }] }
              events:
                partition_by: range (at)
                partitions: { events_2024: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')", events_x: default }
                columns: { at: timestamptz, user_id: { type: bigint, references: users, on_delete: SET_NULL } }
                foreign_keys: [{ name: events_user, columns: user_id, references: users(id), match: FULL,
                                 on_update: no action }]
            """)
        XCTAssertNoThrow(try SchemaLoader.load(path: path))
        let result = try validate([path])
        XCTAssertEqual(result.exitCode, 0, result.output)
    }

    func testAnUnknownKeyFailsBothTheLoaderAndTheJSONSchema() throws {
        let typos = [
            ("a table key", "users: { colums: { id: bigint } }", "colums"),
            ("a column key", "users: { columns: { id: { type: bigint, nulable: false } } }", "nulable"),
            ("an index key", "users: { columns: { id: bigint }, indexes: [{ columns: id, uniqe: true }] }", "uniqe"),
        ]
        for (what, table, typo) in typos {
            let path = try writeSchema("version: 1\ntables:\n  \(table)\n")
            XCTAssertThrowsError(try SchemaLoader.load(path: path), what) { error in
                XCTAssertTrue("\(error)".contains("unknown key '\(typo)'"), "\(what): \(error)")
            }
            let result = try validate([path])
            XCTAssertEqual(result.exitCode, 1, "\(what): \(result.output)")
            XCTAssertTrue(result.output.contains("'\(typo)' was unexpected"), "\(what): \(result.output)")
        }
    }

    // MARK: - The validator

    private struct Outcome {
        let exitCode: Int32
        let output: String
    }

    private func validate(_ paths: [String]) throws -> Outcome {
        let python = try Self.pythonWithJSONSchema()
        return try run(python, [Self.script, Self.jsonSchema] + paths)
    }

    /// The venv's Python, creating the venv and installing jsonschema and PyYAML from PyPI if needed.
    private static func pythonWithJSONSchema() throws -> String {
        let python = venv.appendingPathComponent("bin/python").path
        let probe = ["-c", "import jsonschema, yaml"]
        if FileManager.default.isExecutableFile(atPath: python), (try? run(python, probe))?.exitCode == 0 {
            return python
        }
        // `env` finds python3 on PATH and exits 127 when there is none.
        let created = try run("/usr/bin/env", ["python3", "-m", "venv", "--clear", venv.path])
        guard created.exitCode != 127 else {
            throw XCTSkip("python3 is not installed, so the JSON Schema cannot be checked with jsonschema")
        }
        guard created.exitCode == 0 else {
            throw XCTSkip("python3 -m venv failed (python3-venv missing?): \(created.output)")
        }
        let installed = try run(
            python,
            [
                "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                "jsonschema", "PyYAML",
            ])
        guard installed.exitCode == 0 else {
            throw XCTSkip("pip could not install jsonschema and PyYAML from PyPI: \(installed.output)")
        }
        return python
    }

    private static func run(_ executable: String, _ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(exitCode: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    private func run(_ executable: String, _ arguments: [String]) throws -> Outcome {
        try Self.run(executable, arguments)
    }
}
