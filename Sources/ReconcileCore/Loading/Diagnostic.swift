/// A problem found in a schema file, located the way compilers do: `schema.yaml:12:7: error: ...`.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    /// 1-based; 0 when the problem has no position (e.g. the file could not be read).
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        line > 0 ? "\(file):\(line):\(column): error: \(message)" : "\(file): error: \(message)"
    }
}

/// Every problem found while loading a schema file; nothing touches a database when this is thrown.
public struct SchemaLoadError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
