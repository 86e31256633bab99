import Foundation
import Yams

/// `--schema DIR`: every `*.yaml` and `*.yml` file under DIR (recursively, in sorted path order; hidden files
/// and folders skipped), read as one schema. Each file is a complete document (`version: 1`), may reference
/// tables of the others, and declares each table, enum type and sequence once in the whole folder: a second
/// declaration is an error naming both places. `schemas` and `extensions` may repeat.
enum SchemaFolder {
    static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The schema files' paths relative to `folder`, sorted by their bytes so every platform reads them in the
    /// same order.
    static func files(in folder: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") {
                if isFolder(path(folder, relative)) { enumerator.skipDescendants() }
                continue
            }
            if name.hasSuffix(".yaml") || name.hasSuffix(".yml"), !isFolder(path(folder, relative)) {
                files.append(relative)
            }
        }
        return files.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// `folder/relative`, as diagnostics show it.
    static func path(_ folder: String, _ relative: String) -> String {
        folder.hasSuffix("/") ? folder + relative : folder + "/" + relative
    }

    static func load(_ folder: String) throws -> Schema {
        let files = files(in: folder)
        guard !files.isEmpty else {
            throw SchemaLoadError([
                Diagnostic(
                    file: folder, line: 0, column: 0,
                    message: "the schema folder has no *.yaml or *.yml file")
            ])
        }
        // Read and parse every file before giving up, so one run reports each file's syntax errors.
        var roots: [(file: String, root: Node)] = []
        var unreadable: [Diagnostic] = []
        for relative in files {
            let file = path(folder, relative)
            do {
                roots.append((file, try SchemaLoader.compose(try SchemaLoader.text(ofFile: file), file: file)))
            } catch let error as SchemaLoadError {
                unreadable += error.diagnostics
            }
        }
        if !unreadable.isEmpty { throw SchemaLoadError(unreadable) }

        var merged = ParsedDocument()
        var problems: [Diagnostic] = []
        for (file, root) in roots {
            let reader = YAMLReader(file: file)
            let document = SchemaDocumentParser(reader: reader).parse(root)
            problems += reader.diagnostics
            problems += merge(document, into: &merged)
        }
        return try SchemaLoader.validated(merged, problems: problems, file: folder, scope: "the schema folder")
    }

    /// Adds one file's declarations; a table, enum type or sequence declared before is left out and reported
    /// at its second declaration, naming the first.
    private static func merge(_ document: ParsedDocument, into merged: inout ParsedDocument) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        func isNew(
            _ kind: String, _ name: QualifiedName, at location: SourceLocation?,
            first: SourceLocation?
        ) -> Bool {
            guard let first else { return true }
            let here = location ?? first
            problems.append(
                Diagnostic(
                    file: here.file, line: here.line, column: here.column,
                    message: "\(kind) \(name) is declared twice: also at \(first)"))
            return false
        }
        merged.schemaNames += document.schemaNames
        merged.extensions += document.extensions
        merged.extensionSchemas.merge(document.extensionSchemas, uniquingKeysWith: { first, _ in first })
        for type in document.enums
        where isNew(
            "enum", type.name, at: document.positions.enums[type.name],
            first: merged.positions.enums[type.name])
        {
            merged.enums.append(type)
        }
        for domain in document.domains
        where isNew(
            "type", domain.name, at: document.positions.types[domain.name],
            first: merged.positions.types[domain.name])
        {
            merged.domains.append(domain)
        }
        for type in document.compositeTypes
        where isNew(
            "type", type.name, at: document.positions.types[type.name],
            first: merged.positions.types[type.name])
        {
            merged.compositeTypes.append(type)
        }
        for sequence in document.sequences
        where isNew(
            "sequence", sequence.name, at: document.positions.sequences[sequence.name],
            first: merged.positions.sequences[sequence.name])
        {
            merged.sequences.append(sequence)
        }
        for routine in document.routines {
            if let first = merged.positions.routines[routine.key] {
                let here = document.positions.routines[routine.key] ?? first
                problems.append(
                    Diagnostic(
                        file: here.file, line: here.line, column: here.column,
                        message: "\(routine.kind.rawValue) \(routine.signature) is declared twice: also at \(first)"))
            } else {
                merged.routines.append(routine)
            }
        }
        for table in document.tables
        where isNew(
            "table", table.name, at: document.positions.tables[table.name],
            first: merged.positions.tables[table.name])
        {
            merged.tables.append(table)
        }
        for view in document.views
        where isNew(
            view.kind.rawValue, view.name, at: document.positions.views[view.name],
            first: merged.positions.views[view.name])
        {
            merged.views.append(view)
        }
        merged.positions.add(document.positions)
        return problems
    }

    /// SHA-256 over each file's relative path and bytes, in load order: a saved plan is stale when any file
    /// of the folder changed, was added, removed or renamed.
    static func fingerprint(_ folder: String) throws -> String {
        var bytes: [UInt8] = Array("reconcile schema folder 1\n".utf8)
        for relative in files(in: folder) {
            guard let data = FileManager.default.contents(atPath: path(folder, relative)) else {
                throw SchemaLoadError([
                    Diagnostic(
                        file: path(folder, relative), line: 0, column: 0,
                        message: "schema file cannot be read")
                ])
            }
            bytes += Array("\(relative)\n\(data.count)\n".utf8) + [UInt8](data)
        }
        return SHA256.hex(bytes)
    }
}
