import Foundation

/// `--export --split DIR`: the schema as a folder that `--schema DIR` reads back to the same schema. One file
/// per table, `<schema>/<table>.yaml`, so a change to a table is a change to its file: pull requests list the
/// tables they touch, merges of unrelated tables never conflict, and ownership can follow files. What belongs
/// to no table (extensions, enum types, sequences, functions and procedures, schemas without tables) is in
/// `database.yaml`.
public enum SchemaFolderWriter {
    public struct File: Hashable, Sendable {
        /// Relative to the folder, `/`-separated.
        public var path: String
        public var text: String
    }

    /// Refused before anything is written.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static let databaseFile = "database.yaml"

    public static func files(_ schema: Schema, header: String?) -> [File] {
        let schemasWithoutTables = schema.schemaNames.filter { name in
            !schema.tables.contains { $0.name.schema == name } && !schema.declaresTypes(in: name)
                && !schema.views.contains { $0.name.schema == name }
        }
        var database = Schema(
            schemaNames: schemasWithoutTables, enums: schema.enums, extensions: schema.extensions,
            sequences: schema.sequences, domains: schema.domains, compositeTypes: schema.compositeTypes,
            routines: schema.routines, views: schema.views)
        database.extensionSchemas = schema.extensionSchemas
        return [File(path: databaseFile, text: SchemaWriter.yaml(database, header: header))]
            + schema.tables.map { table in
                File(
                    path: fileName(table.name.schema) + "/" + fileName(table.name.name) + ".yaml",
                    text: SchemaWriter.yaml(Schema(tables: [table])))
            }
    }

    /// Writes the files into `folder` (created if missing), replacing files of the same name. Refuses, writing
    /// nothing, when the folder holds other schema files: `--schema` would read them too, so the folder would
    /// no longer be the database.
    public static func write(_ files: [File], to folder: String) throws {
        let written = Set(files.map(\.path))
        let stale = SchemaFolder.isFolder(folder) ? SchemaFolder.files(in: folder).filter { !written.contains($0) } : []
        guard stale.isEmpty else {
            throw Refusal(
                description: "cannot export into \(folder): it holds schema files this export would not "
                    + "write, which --schema \(folder) would read too: \(stale.joined(separator: ", ")); "
                    + "remove them or export into an empty folder; nothing was written")
        }
        for file in files {
            let url = URL(fileURLWithPath: SchemaFolder.path(folder, file.path))
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true)
            try Data(file.text.utf8).write(to: url, options: .atomic)
        }
    }

    /// An identifier as a file name that every file system keeps apart and that sorts like the name: lower-case
    /// ASCII letters, digits, `_` and `-` stay; every other byte (upper case too, for case-insensitive file
    /// systems; `.` and `/`) is written `%XX`.
    static func fileName(_ identifier: String) -> String {
        var name = ""
        for byte in identifier.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "_"), UInt8(ascii: "-"):
                name.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                name += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return name
    }
}
