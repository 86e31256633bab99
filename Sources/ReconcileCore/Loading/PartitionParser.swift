import Yams

/// `partitions: { events_2024: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')", events_other: DEFAULT }`, or
/// a partition as `{ bound: ..., not_null_names: { id: events_2024_id_not_null } }`.
struct PartitionParser {
    /// A bound is `DEFAULT` or starts with `FOR VALUES `, in any letter case.
    static let defaultBound = "DEFAULT", boundPrefix = "FOR VALUES "

    enum Key: String, SchemaFileKey {
        case bound
        case notNullNames = "not_null_names"
    }

    let reader: YAMLReader

    /// `table`: with its columns and primary key read, which a partition's NOT NULL names must match.
    func parse(_ node: Node, of parent: Table) -> [Partition] {
        let table = parent.name
        let what = "partitions of \(table)"
        guard let mapping = reader.mapping(node, what) else { return [] }
        var partitions: [Partition] = []
        for (keyNode, valueNode) in mapping {
            guard let text = reader.string(keyNode, "a partition name in \(what)") else { continue }
            let partitionWhat = "partition \(text) of \(table)"
            let (boundText, boundNode, entries) = reader.textOrMapping(
                valueNode, partitionWhat, scalarWhat: "the bound of partition \(text)", textKey: Key.bound)
            guard let bound = boundText else { continue }
            do {
                let name = try NameSyntax.qualifiedName(text, defaultSchema: table.schema)
                let upper = bound.uppercased()
                guard upper == Self.defaultBound || upper.hasPrefix(Self.boundPrefix) else {
                    reader.error(
                        "the bound of partition \(name) must be DEFAULT or start with FOR VALUES, as in "
                            + "\"FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')\", not '\(bound)'",
                        at: boundNode)
                    continue
                }
                reader.checkIdentifierLength(name.name, "partition", at: keyNode)
                var partition = Partition(name: name, bound: upper == Self.defaultBound ? Self.defaultBound : bound)
                for entry in entries where entry.key == .notNullNames {
                    partition.notNullNames = notNullNames(
                        entry.value, "not_null_names of \(partitionWhat)", columns: parent.columns)
                }
                partitions.append(partition)
            } catch let failure as NameSyntax.Failure {
                reader.error("partition \(text) of \(table): \(failure.message)", at: keyNode)
            } catch {}
        }
        return partitions.sorted { $0.name < $1.name }
    }

    /// `{ column: constraint_name }`, for NOT NULL columns of the table.
    private func notNullNames(_ node: Node, _ what: String, columns: [Column]) -> [String: String] {
        guard let mapping = reader.mapping(node, what) else { return [:] }
        var names: [String: String] = [:]
        for (columnNode, nameNode) in mapping {
            guard let column = reader.string(columnNode, "a column in \(what)"),
                let name = reader.string(nameNode, "the constraint name of column \(column) in \(what)")
            else { continue }
            guard let declared = columns.first(where: { $0.name == column }) else {
                reader.error("\(what): the table has no column '\(column)'", at: columnNode)
                continue
            }
            guard !declared.isNullable || declared.identity != nil || declared.isSerial else {
                reader.error(
                    "\(what): column '\(column)' is nullable, so it has no NOT NULL constraint", at: columnNode)
                continue
            }
            reader.checkIdentifierLength(name, "constraint", at: nameNode)
            names[column] = name
        }
        return names
    }
}
