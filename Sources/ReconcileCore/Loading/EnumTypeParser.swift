import Yams

/// `enums: { mood: [happy, sad], billing.status: [open, paid] }`: a name and its values, no options.
struct EnumTypeParser {
    let reader: YAMLReader

    func parse(_ node: Node, positions: inout SourcePositions) -> [EnumType] {
        guard let mapping = reader.mapping(node, "enums") else { return [] }
        var enums: [EnumType] = []
        for (keyNode, valuesNode) in mapping {
            guard let text = reader.string(keyNode, "an enum type name") else { continue }
            guard let name = try? NameSyntax.qualifiedName(text, defaultSchema: SchemaDocumentParser.defaultSchema)
            else {
                reader.error("enum type name '\(text)' is not a valid [schema.]name", at: keyNode)
                continue
            }
            if let first = positions.enums[name] {
                reader.error("enum \(name) is declared twice: also at \(first)", at: keyNode)
                continue
            }
            positions.enums[name] = reader.location(of: keyNode)
            reader.checkIdentifierLength(name.name, "enum type", at: keyNode)
            guard let values = reader.stringList(valuesNode, "values of enum \(name)") else { continue }
            if Set(values).count != values.count { reader.error("enum \(name) lists a value twice", at: valuesNode) }
            enums.append(EnumType(name: name, values: values))
        }
        return enums
    }
}
