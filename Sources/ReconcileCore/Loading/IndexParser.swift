import Yams

/// One item of `indexes:`: `{ columns: [a, {expression: lower(b)}], unique: true, where: ..., ... }`.
struct IndexParser {
    enum Key: String, SchemaFileKey {
        case name, columns, unique, `where`, using, include
        case nullsNotDistinct = "nulls_not_distinct"
        case with, statistics
    }

    /// An expression among an index's columns: `{ expression: lower(email) }`.
    enum ExpressionKey: String, SchemaFileKey {
        case expression
    }

    let reader: YAMLReader

    func parse(_ node: Node, into table: inout Table) {
        let what = "an index of \(table.name)"
        guard let mapping = reader.mapping(node, what) else { return }
        var name: String?, keys: [IndexKey] = [], unique = false, method = "btree", predicate: String?
        var include: [String] = [], nullsNotDistinct = false, storageParameters: [StorageParameter] = []
        var statistics: (Node, Node.Mapping)?
        for entry in reader.entries(mapping, of: Key.self, what) {
            let value = entry.value
            switch entry.key {
            case .include: include = reader.stringList(value, "include of \(what)") ?? []
            case .nullsNotDistinct: nullsNotDistinct = reader.bool(value, "nulls_not_distinct of \(what)") ?? false
            case .with: storageParameters = reader.storageParameters(value, "with of \(what)")
            case .name: name = reader.string(value, "name of \(what)")
            case .unique: unique = reader.bool(value, "unique of \(what)") ?? false
            case .where: predicate = reader.string(value, "where of \(what)")
            case .using: method = reader.string(value, "using of \(what)")?.lowercased() ?? method
            case .columns: keys = parseKeys(value)
            case .statistics: statistics = reader.mapping(value, "statistics of \(what)").map { (value, $0) }
            }
        }
        guard !keys.isEmpty else {
            reader.error("\(what) needs 'columns' (column names, or {expression: ...})", at: node)
            return
        }
        let indexName = name ?? DefaultNames.index(table: table.name.name, keys: keys)
        reader.checkIdentifierLength(indexName, "index", at: node)
        var index = Index(
            name: indexName, keys: keys, isUnique: unique, method: method, predicate: predicate,
            include: include, nullsNotDistinct: nullsNotDistinct, storageParameters: storageParameters)
        if let (_, entries) = statistics {
            index.statistics = parseStatistics(entries, keys: keys, "statistics of \(what)")
        }
        table.indexes.append(index)
    }

    /// `statistics: { 2: 500 }`: targets by key position (from 1), which PostgreSQL allows on expression
    /// keys only.
    private func parseStatistics(_ mapping: Node.Mapping, keys: [IndexKey], _ what: String) -> [IndexColumnStatistics]?
    {
        var result: [IndexColumnStatistics] = []
        for (keyNode, valueNode) in mapping {
            guard let positionText = reader.string(keyNode, "a key position in \(what)"),
                let targetText = reader.string(valueNode, "a target in \(what)")
            else { continue }
            guard let position = Int(positionText), keys.indices.contains(position - 1) else {
                reader.error(
                    "'\(positionText)' in \(what) is not a key position: the index has keys 1 to "
                        + "\(keys.count)", at: keyNode)
                continue
            }
            guard case .expression = keys[position - 1] else {
                reader.error(
                    "key \(position) in \(what) is a column, and only an expression key has a statistics "
                        + "target of its own (set a column's on the column)", at: keyNode)
                continue
            }
            guard let target = Int(targetText), (0...10000).contains(target) else {
                reader.error("\(what) must be whole numbers from 0 to 10000, not '\(targetText)'", at: valueNode)
                continue
            }
            result.append(IndexColumnStatistics(column: position, target: target))
        }
        return result.isEmpty ? nil : result.sorted { $0.column < $1.column }
    }

    /// `columns: [a, { expression: lower(b) }]`; a single column needs no list.
    private func parseKeys(_ node: Node) -> [IndexKey] {
        let items: [Node]
        if case .sequence(let sequence) = node { items = Array(sequence) } else { items = [node] }
        var keys: [IndexKey] = []
        for item in items {
            if case .mapping(let keyMapping) = item {
                for entry in reader.entries(keyMapping, of: ExpressionKey.self, "an index key") {
                    switch entry.key {
                    case .expression:
                        if let expression = reader.string(entry.value, "an index expression") {
                            keys.append(.expression(expression))
                        }
                    }
                }
            } else if let column = reader.string(item, "an index column") {
                keys.append(.column(column))
            }
        }
        return keys
    }
}
