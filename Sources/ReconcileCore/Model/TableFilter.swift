/// `--include` / `--exclude`: which tables reconcile manages. A pattern is `schema.table` or `table` (any
/// schema), with `*` for any run of characters and `?` for one. Excluded tables are never compared,
/// created or dropped, even with `--allow-destructive`: they belong to someone else (another library,
/// an extension, a migration tool's bookkeeping table).
public struct TableFilter: Hashable, Sendable {
    public var include: [String]
    public var exclude: [String]

    public init(include: [String] = [], exclude: [String] = []) {
        self.include = include
        self.exclude = exclude
    }

    public static let everything = TableFilter()

    public func manages(_ table: QualifiedName) -> Bool {
        (include.isEmpty || include.contains { Self.matches($0, table) })
            && !exclude.contains { Self.matches($0, table) }
    }

    /// The schema with only the managed tables, routines and views (a pattern matches a function's name as it
    /// matches a table's).
    public func apply(_ schema: Schema) -> Schema {
        guard self != .everything else { return schema }
        var filtered = schema.with(tables: schema.tables.filter { manages($0.name) })
        filtered.routines = schema.routines.filter { manages($0.name) }
        // An excluded view is left alone, but still dropped and made again around a change it would block.
        filtered.views = schema.views.filter { manages($0.name) }
        filtered.dependentViews = schema.dependentViews + schema.views.filter { !manages($0.name) }
        return filtered
    }

    static func matches(_ pattern: String, _ table: QualifiedName) -> Bool {
        // The last dot splits schema from table; a pattern without one matches the table in any schema.
        guard let dot = pattern.lastIndex(of: ".") else { return glob(Array(pattern), Array(table.name)) }
        return glob(Array(pattern[..<dot]), Array(table.schema))
            && glob(Array(pattern[pattern.index(after: dot)...]), Array(table.name))
    }

    static func glob(_ pattern: [Character], _ text: [Character]) -> Bool {
        // Iterative wildcard matching with one backtrack point: linear in practice, no recursion.
        var p = 0, t = 0, star = -1, mark = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1; t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p; mark = t; p += 1
            } else if star >= 0 {
                p = star + 1; mark += 1; t = mark
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
