import Foundation
import XCTest

@testable import ReconcileCore

/// Shared helpers for the ReconcileCore unit tests. Nothing here touches a database or the network.
enum Fixture {
    /// The repository root, found from this file's location (Tests/ReconcileCoreTests/Support.swift).
    static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    static var rootSchemaPath: String { repoRoot.appendingPathComponent("schema.yaml").path }

    static func name(_ table: String, schema: String = "public") -> QualifiedName {
        QualifiedName(schema: schema, name: table)
    }
}

/// Loads YAML that must be valid; fails the test (and rethrows) with every diagnostic otherwise.
func loadValid(_ yaml: String, file: StaticString = #filePath, line: UInt = #line) throws -> Schema {
    do {
        return try SchemaLoader.load(yaml: yaml)
    } catch {
        XCTFail("expected the YAML to load, got:\n\(error)", file: file, line: line)
        throw error
    }
}

/// Loads YAML that must be invalid and returns each diagnostic's `description`, in order.
func loadErrors(
    _ yaml: String, fileName: String = "schema.yaml",
    file: StaticString = #filePath, line: UInt = #line
) -> [String] {
    do {
        _ = try SchemaLoader.load(yaml: yaml, file: fileName)
        XCTFail("expected the YAML to be rejected", file: file, line: line)
        return []
    } catch let error as SchemaLoadError {
        return error.diagnostics.map(\.description)
    } catch {
        XCTFail("expected SchemaLoadError, got \(type(of: error)): \(error)", file: file, line: line)
        return []
    }
}

/// Runs the differ and returns just the change kinds, which are Equatable and print readably.
func diffKinds(
    desired: [Table], live: [Table], desiredSchemas: [String] = [], liveSchemas: [String] = ["public"],
    canonical: Schema? = nil, seedStates: [QualifiedName: [SeedRowState]] = [:]
) -> [Change.Kind] {
    let differ = Differ(
        desired: Schema(schemaNames: desiredSchemas, tables: desired), canonical: canonical,
        live: Schema(schemaNames: liveSchemas, tables: live), seedStates: seedStates)
    return differ.changes().map(\.kind)
}

/// Reads back a double-quoted SQL identifier produced by `SQL.identifier`, or nil if the text is not
/// exactly one well-formed quoted identifier (so a broken-out quote is detected).
func unquoteIdentifier(_ text: String) -> String? {
    var chars = Array(text)
    guard chars.count >= 2, chars.first == "\"", chars.last == "\"" else { return nil }
    chars = Array(chars.dropFirst().dropLast())
    var result = ""
    var index = 0
    while index < chars.count {
        if chars[index] == "\"" {
            guard index + 1 < chars.count, chars[index + 1] == "\"" else { return nil }
            result.append("\"")
            index += 2
        } else {
            result.append(chars[index])
            index += 1
        }
    }
    return result
}

/// Reads back a string literal produced by `SQL.literal` ('...' or E'...'), or nil if malformed.
func unquoteLiteral(_ text: String) -> String? {
    var chars = Array(text)
    var escaped = false
    if chars.first == "E" { escaped = true; chars.removeFirst() }
    guard chars.count >= 2, chars.first == "'", chars.last == "'" else { return nil }
    chars = Array(chars.dropFirst().dropLast())
    var result = ""
    var index = 0
    while index < chars.count {
        let char = chars[index]
        if char == "'" {
            guard index + 1 < chars.count, chars[index + 1] == "'" else { return nil }
            result.append("'")
            index += 2
        } else if escaped, char == "\\" {
            guard index + 1 < chars.count, chars[index + 1] == "\\" else { return nil }
            result.append("\\")
            index += 2
        } else {
            result.append(char)
            index += 1
        }
    }
    return result
}

// MARK: - Change kinds whose associated values are still evolving

// `.column(.setNotNull)` and `.column(.alterColumnType)` are gaining associated values (a backfill value, a lossy flag) in
// work in progress. Tests obtain these two kinds from the differ instead of spelling out every associated
// value, so the suite compiles either way; `caseFields` checks the values that matter independently.

/// The `.column(.setNotNull)` change for making `column` (of SQL type `type`) NOT NULL, with no backfill.
func setNotNullKind(_ table: QualifiedName, _ column: String, type: String) -> Change.Kind {
    onlyChange(
        desired: Table(name: table, columns: [Column(name: column, type: type, isNullable: false)]),
        live: Table(name: table, columns: [Column(name: column, type: type, isNullable: true)]))
}

/// The `.column(.alterColumnType)` change from `from` to `to`.
func alterTypeKind(_ table: QualifiedName, _ column: String, from: String, to: String) -> Change.Kind {
    onlyChange(
        desired: Table(name: table, columns: [Column(name: column, type: to)]),
        live: Table(name: table, columns: [Column(name: column, type: from)]))
}

private func onlyChange(desired: Table, live: Table) -> Change.Kind {
    let kinds = Differ(desired: Schema(tables: [desired]), live: Schema(tables: [live])).changes().map(\.kind)
    precondition(kinds.count == 1, "expected exactly one change, got \(kinds)")
    return kinds[0]
}

/// A change kind's case name and its associated values as text, keyed by label (`.0` for unlabelled ones),
/// read by reflection: `.column(.alterColumnType(t, column: "a", ...))` → ("alterColumnType", [".0": "public.t", "column": "a", ...]).
func caseFields(_ kind: Change.Kind) -> (name: String, fields: [String: String]) {
    // The kind wraps its family's case (`.column(.setNotNull(...))`): read the inner case.
    guard let family = Mirror(reflecting: kind).children.first?.value,
        let child = Mirror(reflecting: family).children.first, let name = child.label
    else { return ("\(kind)", [:]) }
    var fields: [String: String] = [:]
    let payload = Mirror(reflecting: child.value)
    if payload.displayStyle == .tuple {
        for (index, field) in payload.children.enumerated() {
            fields[field.label.flatMap { $0.hasPrefix(".") ? nil : $0 } ?? ".\(index)"] = "\(field.value)"
        }
    } else {
        fields[".0"] = "\(child.value)"
    }
    return (name, fields)
}
