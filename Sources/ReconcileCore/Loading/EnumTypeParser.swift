import Yams

/// `enums: { mood: [happy, sad], billing.status: [open, paid] }`: a name and its values; or a name and
/// `{ values: [...], renamed_from: old_name }`.
struct EnumTypeParser {
    enum Key: String, SchemaFileKey {
        case values
        case renamedFrom = "renamed_from"
    }

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
            var listNode = valuesNode
            var renamedFrom: String?
            if case .mapping(let options) = valuesNode {
                var sawValues = false
                for entry in reader.entries(options, of: Key.self, "enum \(name)") {
                    switch entry.key {
                    case .values:
                        listNode = entry.value
                        sawValues = true
                    case .renamedFrom: renamedFrom = reader.previousName(entry.value, of: name, "enum \(name)")
                    }
                }
                guard sawValues else {
                    reader.error("enum \(name) needs 'values', the list of its labels in order", at: keyNode)
                    continue
                }
            }
            guard let values = reader.stringList(listNode, "values of enum \(name)") else { continue }
            if Set(values).count != values.count { reader.error("enum \(name) lists a value twice", at: listNode) }
            var type = EnumType(name: name, values: values)
            type.renamedFrom = renamedFrom
            enums.append(type)
        }
        return enums
    }
}
