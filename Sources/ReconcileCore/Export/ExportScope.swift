/// What `--export` reads and writes: the schemas of `--schemas` (or every user schema), and in them the
/// tables `--include` and `--exclude` manage, as for `--plan` and `--check`. It explains why a table is not
/// exported, for refusals that name one.
public struct ExportScope: Sendable {
    /// `--schemas`, when given.
    public let requested: [String]?
    /// The schemas read: `--schemas`, or every user schema.
    public let read: Set<String>
    public let filter: TableFilter
    /// Tables of the read schemas that reconcile manages at all: not an extension's, not a partition.
    public let readable: Set<QualifiedName>

    public init(requested: [String]?, read: Set<String>, filter: TableFilter, readable: Set<QualifiedName>) {
        self.requested = requested
        self.read = read
        self.filter = filter
        self.readable = readable
    }

    /// Why the table is not exported, and the change of flags that would export it (nil when none can).
    public func whyNotExported(_ table: QualifiedName, asSeedTable: Bool = false) -> (why: String, bringIn: String?) {
        let schema = SQL.displayIdentifier(table.schema)
        if !read.contains(table.schema) {
            guard requested != nil else { return ("its schema \(schema) is not a user schema (an extension's)", nil) }
            return ("its schema \(schema) is not in --schemas", "add \(schema) to --schemas")
        }
        if let pattern = filter.exclude.first(where: { TableFilter.matches($0, table) }) {
            let flag = "--exclude " + ExportRefusal.shellWord(pattern)
            return ("\(flag) leaves it out", "export it too (narrow \(flag))")
        }
        if !filter.manages(table) {
            let include = "--include " + ExportRefusal.shellWord(ExportRefusal.tablePattern(table))
            return ("it matches no --include", "export it too (add \(include))")
        }
        if !readable.contains(table) {
            return asSeedTable
                ? ("there is no such table (or it is a partition, or an extension's)", nil)
                : ("it is a partition or an extension's table, which reconcile does not manage", nil)
        }
        return ("it cannot be exported (see above)", nil)
    }
}
