extension SQLRenderer {
    /// `CREATE [OR REPLACE] VIEW name [(columns)] [WITH (...)] AS query`, or `CREATE MATERIALIZED VIEW name
    /// [(columns)] AS query WITH [NO] DATA`. `name` replaces the view's own (scratch copies); `temporary` makes a
    /// plain view in `pg_temp` (a materialized view cannot be temporary, so a scratch copy of one is a view).
    public static func createView(
        _ view: View, orReplace: Bool = false, as name: QualifiedName? = nil, temporary: Bool = false
    ) -> String {
        let query = View.trimmedQuery(view.query)
        let columns = view.columns.isEmpty ? "" : " (\(SQL.identifierList(view.columns)))"
        if view.kind == .materializedView && !temporary {
            let target = SQL.qualified(name ?? view.name)
            // IF NOT EXISTS: safe to run twice, like every plan statement.
            return "CREATE MATERIALIZED VIEW IF NOT EXISTS \(target)\(columns) AS\n\(query)\n"
                + "WITH \(view.withData ? "" : "NO ")DATA"
        }
        let target = temporary ? SQL.identifier((name ?? view.name).name) : SQL.qualified(name ?? view.name)
        let options = viewOptions(view)
        return "CREATE \(orReplace ? "OR REPLACE " : "")\(temporary ? "TEMPORARY " : "")VIEW \(target)\(columns)"
            + (options.isEmpty ? "" : " WITH (\(options.joined(separator: ", ")))") + " AS\n\(query)"
    }

    /// A plain view's options as `pg_class.reloptions` stores them.
    public static func viewOptions(_ view: View) -> [String] {
        guard view.kind == .view else { return [] }
        var options: [String] = []
        if let checkOption = view.checkOption { options.append("check_option=\(checkOption.rawValue)") }
        if view.securityBarrier { options.append("security_barrier=true") }
        if view.securityInvoker { options.append("security_invoker=true") }
        return options
    }

    public static func dropView(_ kind: View.Kind, _ name: QualifiedName) -> String {
        "DROP \(kind.sql) IF EXISTS \(SQL.qualified(name))"
    }

    /// `ALTER VIEW old RENAME TO new`, run only while the old one exists and nothing has the new name.
    public static func renameView(_ kind: View.Kind, _ old: QualifiedName, to newName: String) -> String {
        func exists(_ name: QualifiedName) -> String {
            "(pg_catalog.to_regclass(\(SQL.literal(SQL.qualified(name)))) IS NOT NULL)"
        }
        return guarded(
            if: exists(old) + " AND NOT " + exists(QualifiedName(schema: old.schema, name: newName)),
            "ALTER \(kind.sql) \(SQL.qualified(old)) RENAME TO \(SQL.identifier(newName))")
    }

    public static func commentOnViewColumn(_ name: QualifiedName, _ column: String, _ comment: String?) -> String {
        "COMMENT ON COLUMN \(SQL.qualified(name)).\(SQL.identifier(column)) IS \(comment.map(SQL.literal) ?? "NULL")"
    }

    public static func commentOnView(_ kind: View.Kind, _ name: QualifiedName, _ comment: String?) -> String {
        "COMMENT ON \(kind.sql) \(SQL.qualified(name)) IS \(comment.map(SQL.literal) ?? "NULL")"
    }

    /// Everything that makes the view as declared: the view (`OR REPLACE`, so that the statement is safe to run
    /// twice), its indexes (a materialized view's), its comment. A live view's index (one made again as it was)
    /// is created from the server's own text of it.
    public static func viewStatements(_ view: View) -> [String] {
        let indexes = view.indexes.map { index in
            guard let tail = index.canonicalDefinition else { return createIndex(view.name, index) }
            return "CREATE \(index.isUnique ? "UNIQUE " : "")INDEX IF NOT EXISTS \(SQL.identifier(index.name)) "
                + "ON \(SQL.qualified(view.name)) \(tail)"
        }
        return [createView(view, orReplace: true)] + indexes
            + (view.comment.map { [commentOnView(view.kind, view.name, $0)] } ?? [])
            + view.columnComments.keys.sorted().map { commentOnViewColumn(view.name, $0, view.columnComments[$0]) }
            + view.restoring
    }
}
