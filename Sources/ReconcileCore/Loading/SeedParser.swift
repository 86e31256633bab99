import Yams

/// `seed: { mode: enforce, key: [code], rows: [{ code: eur, name: Euro }] }`. Seeded values are typed by the
/// column they go into; a seed's key defaults to the primary key, which `SchemaValidator` fills in.
struct SeedParser {
    enum Key: String, SchemaFileKey {
        case mode, key, rows
    }

    let reader: YAMLReader

    func parse(_ node: Node, table: Table, positions: inout SourcePositions) -> Seed? {
        let what = "seed of \(table.name)"
        guard let mapping = reader.mapping(node, what) else { return nil }
        var mode = Seed.Mode.insertMissing, key: [String]?, rows: [SeedRow] = [], rowLocations: [SourceLocation] = []
        for entry in reader.entries(mapping, of: Key.self, what) {
            let value = entry.value
            switch entry.key {
            case .mode:
                guard let text = reader.string(value, "mode of \(what)") else { continue }
                guard let parsed = Seed.Mode(rawValue: text) else {
                    reader.error("mode of \(what) must be 'insert-missing' or 'enforce', not '\(text)'", at: value)
                    continue
                }
                mode = parsed
            case .key: key = reader.stringList(value, "key of \(what)")
            case .rows:
                guard let list = reader.sequence(value, "rows of \(what)") else { continue }
                for rowNode in list {
                    guard let row = parseRow(rowNode, of: table, what) else { continue }
                    rows.append(row)
                    rowLocations.append(reader.location(of: rowNode))
                }
            }
        }
        positions.seeds[table.name] = (reader.location(of: node), rowLocations)
        // The key defaults to the primary key, which may be declared after the seed; resolved by SchemaValidator.
        return Seed(mode: mode, key: key ?? [], rows: rows)
    }

    private func parseRow(_ node: Node, of table: Table, _ what: String) -> SeedRow? {
        guard let mapping = reader.mapping(node, "a row of \(what)") else { return nil }
        var values: [(String, Literal)] = []
        for (columnNode, valueNode) in mapping {
            guard let column = reader.string(columnNode, "a seeded column name") else { continue }
            guard table.column(column) != nil else {
                reader.error(
                    "seeded column '\(column)' is not a column of \(table.name)"
                        + Suggestion.didYouMean(column, table.columns.map(\.name)), at: columnNode)
                continue
            }
            if let literal = reader.literal(valueNode, "seeded value of '\(column)'") {
                values.append((column, literal))
            }
        }
        return SeedRow(values: values)
    }
}
