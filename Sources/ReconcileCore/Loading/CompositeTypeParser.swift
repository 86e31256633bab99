import Yams

/// `types: { address: { attributes: { street: text, zip: { type: text, collation: C } } } }`: composite
/// types, each with its attributes in order.
struct CompositeTypeParser {
    enum Key: String, SchemaFileKey {
        case attributes, comment
        case renamedFrom = "renamed_from"
    }

    /// `name: { type: ..., collation: ... }` in a composite type's attributes.
    enum AttributeKey: String, SchemaFileKey {
        case type, collation
    }

    let reader: YAMLReader

    func parse(_ node: Node, positions: inout SourcePositions) -> [CompositeType] {
        guard let mapping = reader.mapping(node, "types") else { return [] }
        var types: [CompositeType] = []
        for (keyNode, valueNode) in mapping {
            guard let text = reader.string(keyNode, "a type name") else { continue }
            guard let name = try? NameSyntax.qualifiedName(text, defaultSchema: SchemaDocumentParser.defaultSchema)
            else {
                reader.error("type name '\(text)' is not a valid [schema.]name", at: keyNode)
                continue
            }
            if let first = positions.types[name] {
                reader.error("type \(name) is declared twice: also at \(first)", at: keyNode)
                continue
            }
            positions.types[name] = reader.location(of: keyNode)
            reader.checkIdentifierLength(name.name, "type", at: keyNode)
            let what = "type \(name)"
            guard let typeMapping = reader.mapping(valueNode, what) else { continue }
            var type = CompositeType(name: name, attributes: [])
            var sawAttributes = false
            for entry in reader.entries(typeMapping, of: Key.self, what) {
                switch entry.key {
                case .attributes:
                    sawAttributes = true
                    type.attributes = parseAttributes(entry.value, what)
                case .comment: type.comment = reader.string(entry.value, "comment of \(what)")
                case .renamedFrom: type.renamedFrom = reader.previousName(entry.value, of: name, what)
                }
            }
            if !sawAttributes {
                reader.error("\(what) has no 'attributes' (write 'attributes: {}' for none)", at: keyNode)
                continue
            }
            types.append(type)
        }
        return types
    }

    private func parseAttributes(_ node: Node, _ what: String) -> [CompositeAttribute] {
        if case .sequence(let items) = node, items.isEmpty { return [] }
        guard let mapping = reader.mapping(node, "attributes of \(what)") else { return [] }
        var attributes: [CompositeAttribute] = []
        for (keyNode, valueNode) in mapping {
            guard let name = reader.string(keyNode, "an attribute name") else { continue }
            reader.checkIdentifierLength(name, "attribute", at: keyNode)
            let attributeWhat = "attribute \(SQL.displayIdentifier(name)) of \(what)"
            if attributes.contains(where: { $0.name == name }) {
                reader.error("\(attributeWhat) is declared twice", at: keyNode)
                continue
            }
            if case .scalar = valueNode {
                if let type = reader.string(valueNode, "type of \(attributeWhat)") {
                    attributes.append(CompositeAttribute(name: name, type: type))
                }
                continue
            }
            guard let attributeMapping = reader.mapping(valueNode, attributeWhat) else { continue }
            var attribute = CompositeAttribute(name: name, type: "")
            for entry in reader.entries(attributeMapping, of: AttributeKey.self, attributeWhat) {
                switch entry.key {
                case .type: attribute.type = reader.string(entry.value, "type of \(attributeWhat)") ?? ""
                case .collation: attribute.collation = reader.string(entry.value, "collation of \(attributeWhat)")
                }
            }
            guard !attribute.type.isEmpty else {
                reader.error("\(attributeWhat) has no 'type'", at: keyNode)
                continue
            }
            attributes.append(attribute)
        }
        return attributes
    }
}
