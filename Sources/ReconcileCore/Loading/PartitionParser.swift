import Yams

/// `partitions: { events_2024: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')", events_other: DEFAULT }`.
struct PartitionParser {
    /// A bound is `DEFAULT` or starts with `FOR VALUES `, in any letter case.
    static let defaultBound = "DEFAULT", boundPrefix = "FOR VALUES "

    let reader: YAMLReader

    func parse(_ node: Node, of table: QualifiedName) -> [Partition] {
        let what = "partitions of \(table)"
        guard let mapping = reader.mapping(node, what) else { return [] }
        var partitions: [Partition] = []
        for (keyNode, boundNode) in mapping {
            guard let text = reader.string(keyNode, "a partition name in \(what)"),
                let bound = reader.string(boundNode, "the bound of partition \(text)")
            else { continue }
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
                partitions.append(Partition(name: name, bound: upper == Self.defaultBound ? Self.defaultBound : bound))
            } catch let failure as NameSyntax.Failure {
                reader.error("partition \(text) of \(table): \(failure.message)", at: keyNode)
            } catch {}
        }
        return partitions.sorted { $0.name < $1.name }
    }
}
