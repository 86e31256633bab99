import Foundation
import Yams

/// Reads `schema.yaml` (format version 1) into a validated `Schema`, or throws every problem at once
/// as located diagnostics. Touches no database.
public enum SchemaLoader {
    /// Larger files are refused before parsing: a schema file is hand-written text, not data.
    public static let maxFileBytes = 8 * 1024 * 1024
    /// The only format version this build reads.
    public static let formatVersion = 1

    /// Loads a schema file, or, when `path` is a directory, every schema file in it as one schema
    /// (see `SchemaFolder`).
    public static func load(path: String) throws -> Schema {
        if SchemaFolder.isFolder(path) { return try SchemaFolder.load(path) }
        return try load(yaml: try text(ofFile: path), file: path)
    }

    /// SHA-256 of what `load(path:)` reads, as saved plans record it: the file's bytes, or every file of a
    /// folder with its relative path.
    public static func fingerprint(path: String) throws -> String {
        if SchemaFolder.isFolder(path) { return try SchemaFolder.fingerprint(path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SchemaLoadError([Diagnostic(file: path, line: 0, column: 0, message: "schema file cannot be read")])
        }
        return SHA256.hex([UInt8](data))
    }

    /// A schema file's text, refused when missing, unreadable, too large or not UTF-8.
    static func text(ofFile path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
            throw SchemaLoadError([Diagnostic(file: path, line: 0, column: 0, message: "schema file \(reason)")])
        }
        guard data.count <= maxFileBytes else {
            throw SchemaLoadError([
                Diagnostic(
                    file: path, line: 0, column: 0,
                    message: "schema file is \(data.count) bytes; the limit is \(maxFileBytes)")
            ])
        }
        // Validated straight from the bytes: `String(data:encoding:)` costs several times more on Linux.
        guard let text = data.withUnsafeBytes({ String(validating: $0.bindMemory(to: UInt8.self), as: UTF8.self) })
        else {
            throw SchemaLoadError([
                Diagnostic(
                    file: path, line: 0, column: 0,
                    message: "schema file is not valid UTF-8")
            ])
        }
        return text
    }

    public static func load(yaml: String, file: String = "schema.yaml") throws -> Schema {
        let reader = YAMLReader(file: file)
        let root = try compose(yaml, file: file)
        defer { releaseElsewhere(root) }
        let document = SchemaDocumentParser(reader: reader).parse(root)
        return try validated(document, problems: reader.diagnostics, file: file, scope: "this file")
    }

    /// Freeing the node tree of a large file is a tenth of its load (a million small objects): done on another
    /// thread, it is off the path of a `--check` that waits for the schema to diff it.
    static func releaseElsewhere(_ root: Node) {
        let tree = UnsharedTree(root)
        DispatchQueue.global(qos: .utility).async { withExtendedLifetime(tree) {} }
    }

    /// A tree no one else holds any more: handing it to another thread only to be freed is safe.
    private final class UnsharedTree: @unchecked Sendable {
        let root: Node
        init(_ root: Node) { self.root = root }
    }

    /// The node tree of one file, or its first syntax problem.
    static func compose(_ yaml: String, file: String) throws -> Node {
        let root: Node?
        do {
            root = try YAMLComposer.compose(yaml)
        } catch {
            throw SchemaLoadError([
                Diagnostic(file: file, line: error.line, column: error.column, message: error.message)
            ])
        }
        guard let root else {
            throw SchemaLoadError([
                Diagnostic(
                    file: file, line: 1, column: 1,
                    message: "the file is empty; expected 'version: 1' and 'tables:'")
            ])
        }
        return root
    }

    /// Checks cross references over everything declared; throws the parsers' problems and its own, if any.
    static func validated(
        _ document: ParsedDocument, problems: [Diagnostic], file: String, scope: String
    ) throws
        -> Schema
    {
        let validator = SchemaValidator(positions: document.positions, file: file, scope: scope)
        let tables = validator.validate(document.tables)
        validator.validateTypeNames(document)
        let diagnostics = problems + validator.diagnostics
        if !diagnostics.isEmpty { throw SchemaLoadError(diagnostics) }
        var schema = Schema(
            schemaNames: document.schemaNames, tables: tables, enums: document.enums,
            extensions: document.extensions, sequences: document.sequences, domains: document.domains,
            compositeTypes: document.compositeTypes, routines: document.routines, views: document.views)
        if !document.extensionSchemas.isEmpty { schema.extensionSchemas = document.extensionSchemas }
        return schema
    }

    /// Parses `table`, `schema.table` or `"odd.schema"."Odd Table"` the way the schema file does.
    public static func qualifiedName(_ text: String, defaultSchema: String = "public") throws -> QualifiedName {
        try NameSyntax.qualifiedName(text, defaultSchema: defaultSchema)
    }
}
