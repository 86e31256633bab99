/// Where a declaration was written: a file and a 1-based line and column.
struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    var file: String
    var line: Int
    var column: Int

    var description: String { "\(file):\(line):\(column)" }
}
