import Yams

/// `views:` and `materialized_views:`: `[schema.]name` → the view.
///
/// ```yaml
/// views:
///   active_users: { sql: "SELECT id, email FROM users WHERE deleted_at IS NULL", security_barrier: true }
/// materialized_views:
///   daily_totals:
///     sql: SELECT day, sum(amount) AS total FROM payments GROUP BY day
///     indexes:
///       - { columns: [day], unique: true }
/// ```
struct ViewParser {
    enum Key: String, SchemaFileKey {
        case sql, columns, comment
        case columnComments = "column_comments"
        case securityBarrier = "security_barrier"
        case securityInvoker = "security_invoker"
        case checkOption = "check_option"
        case withData = "with_data"
        case indexes
        case renamedFrom = "renamed_from"
    }

    let reader: YAMLReader
    let kind: View.Kind

    private var word: String { kind.rawValue }

    func parse(_ node: Node, positions: inout SourcePositions) -> [View] {
        let what = kind == .view ? "views" : "materialized_views"
        guard let mapping = reader.mapping(node, what) else { return [] }
        var views: [View] = []
        for (keyNode, valueNode) in mapping {
            guard let text = reader.string(keyNode, "a \(word) name") else { continue }
            let name: QualifiedName
            do {
                name = try NameSyntax.qualifiedName(text, defaultSchema: SchemaDocumentParser.defaultSchema)
            } catch let failure as NameSyntax.Failure {
                reader.error("\(word) \(text): \(failure.message)", at: keyNode)
                continue
            } catch { continue }
            reader.checkIdentifierLength(name.name, word, at: keyNode)
            guard let view = parseView(name, valueNode) else { continue }
            if let first = positions.views[name] {
                reader.error("\(word) \(name) is declared twice: also at \(first)", at: keyNode)
                continue
            }
            positions.views[name] = reader.location(of: keyNode)
            views.append(view)
        }
        return views
    }

    private func parseView(_ name: QualifiedName, _ node: Node) -> View? {
        let what = "\(word) \(name)"
        guard let mapping = reader.mapping(node, what) else { return nil }
        var view = View(kind: kind, name: name, query: "")
        var hasQuery = false
        var commentedColumns: [(String, Node)] = []
        for entry in reader.entries(mapping, of: Key.self, what) {
            let value = entry.value
            let keyName = entry.key.rawValue
            func only(_ allowed: View.Kind) -> Bool {
                guard kind == allowed else {
                    reader.error(
                        "'\(keyName)' is for \(allowed.rawValue)s; a \(word) has no \(keyName)", at: entry.keyNode)
                    return false
                }
                return true
            }
            switch entry.key {
            case .sql:
                guard let text = reader.string(value, "sql of \(what)") else { continue }
                hasQuery = true
                view.query = text
                if View.trimmedQuery(text).isEmpty {
                    reader.error("sql of \(what) is empty: write the SELECT the view shows", at: value)
                }
            case .columns:
                view.columns = reader.stringList(value, "columns of \(what)") ?? []
                for column in view.columns { reader.checkIdentifierLength(column, "column", at: value) }
                if Set(view.columns).count != view.columns.count {
                    reader.error("columns of \(what) names a column twice", at: value)
                }
            case .renamedFrom:
                view.renamedFrom = reader.previousName(value, of: view.name, what)
            case .comment:
                view.comment = reader.string(value, "comment of \(what)")
            case .columnComments:
                guard let comments = reader.mapping(value, "column_comments of \(what)") else { continue }
                for (columnNode, commentNode) in comments {
                    guard let column = reader.string(columnNode, "a column in column_comments of \(what)"),
                        let comment = reader.string(commentNode, "the comment of column \(column) of \(what)")
                    else { continue }
                    view.columnComments[column] = comment
                    commentedColumns.append((column, columnNode))
                }
            case .securityBarrier:
                if only(.view) { view.securityBarrier = reader.bool(value, "security_barrier of \(what)") ?? false }
            case .securityInvoker:
                if only(.view) { view.securityInvoker = reader.bool(value, "security_invoker of \(what)") ?? false }
            case .checkOption:
                guard only(.view), let text = reader.string(value, "check_option of \(what)") else { continue }
                guard let option = View.CheckOption(rawValue: text.lowercased()) else {
                    reader.error(
                        "check_option of \(what) must be local or cascaded, not '\(text)'"
                            + Suggestion.didYouMean(text.lowercased(), View.CheckOption.allCases.map(\.rawValue)),
                        at: value)
                    continue
                }
                view.checkOption = option
            case .withData:
                if only(.materializedView) { view.withData = reader.bool(value, "with_data of \(what)") ?? true }
            case .indexes:
                guard only(.materializedView) else { continue }
                guard case .sequence(let items) = value else {
                    reader.error("indexes of \(what) must be a list", at: value)
                    continue
                }
                // The table index parser, on a table of the view's name.
                var holder = Table(name: name)
                let parser = IndexParser(reader: reader)
                for item in items { parser.parse(item, into: &holder) }
                view.indexes = holder.indexes
            }
        }
        if !hasQuery { reader.error("\(what) needs 'sql' (the SELECT it shows)", at: node) }
        // With a column list, the names are known here; otherwise the server reports a wrong one.
        if !view.columns.isEmpty {
            for (column, columnNode) in commentedColumns where !view.columns.contains(column) {
                reader.error(
                    "column_comments of \(what) names '\(column)', which is not among its columns", at: columnNode)
            }
        }
        return view
    }
}
