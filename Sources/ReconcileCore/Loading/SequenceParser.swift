import Yams

/// Standalone sequences (`sequences: { invoice_numbers: { type: bigint, start: 1000 } }`) and the options of
/// a serial or identity column's sequence, which share their keys.
struct SequenceParser {
    enum Key: String, SchemaFileKey {
        case name, type, start, increment
        case minValue = "min_value", maxValue = "max_value"
        case cache, cycle, unlogged
    }

    /// The spellings `type` accepts, in any letter case.
    static let typeSpellings = ["smallint", "integer", "bigint", "int2", "int4", "int8"]

    let reader: YAMLReader

    /// `sequences: { invoice_numbers: { type: bigint, start: 1000 }, billing.codes: {} }`.
    func parseStandalone(_ node: Node, positions: inout SourcePositions) -> [StandaloneSequence] {
        guard let mapping = reader.mapping(node, "sequences") else { return [] }
        var sequences: [StandaloneSequence] = []
        for (keyNode, optionsNode) in mapping {
            guard let text = reader.string(keyNode, "a sequence name") else { continue }
            do {
                let name = try NameSyntax.qualifiedName(text, defaultSchema: SchemaDocumentParser.defaultSchema)
                if let first = positions.sequences[name] {
                    reader.error("sequence \(name) is declared twice: also at \(first)", at: keyNode)
                    continue
                }
                positions.sequences[name] = reader.location(of: keyNode)
                reader.checkIdentifierLength(name.name, "sequence", at: keyNode)
                var options = parseOptions(optionsNode, "sequence \(name)") ?? SequenceOptions()
                if options.name != nil {
                    reader.error("sequence \(name) is named by its key; remove 'name'", at: optionsNode)
                    options.name = nil
                }
                sequences.append(StandaloneSequence(name: name, options: options))
            } catch let failure as NameSyntax.Failure {
                reader.error("sequence \(text): \(failure.message)", at: keyNode)
            } catch {}
        }
        return sequences
    }

    /// `sequence: { name: ..., type: bigint, start: 1000, increment: 1, min_value, max_value, cache, cycle }`.
    func parseOptions(_ node: Node, _ what: String) -> SequenceOptions? {
        guard let mapping = reader.mapping(node, what) else { return nil }
        var options = SequenceOptions()
        for entry in reader.entries(mapping, of: Key.self, what) {
            let value = entry.value
            func number() -> Int64? {
                guard let text = reader.string(value, "\(entry.key.rawValue) of \(what)") else { return nil }
                guard let number = Int64(text) else {
                    reader.error("\(entry.key.rawValue) of \(what) must be a whole number, not '\(text)'", at: value)
                    return nil
                }
                return number
            }
            switch entry.key {
            case .name:
                options.name = reader.string(value, "name of \(what)")
                if let name = options.name { reader.checkIdentifierLength(name, "sequence", at: value) }
            case .type:
                guard let text = reader.string(value, "type of \(what)") else { continue }
                if !Self.typeSpellings.contains(text.lowercased()) {
                    reader.error("type of \(what) must be smallint, integer or bigint, not '\(text)'", at: value)
                }
                options.type = SequenceOptions.integerType(text)
            case .start: options.start = number()
            case .increment: options.increment = number()
            case .minValue: options.minValue = number()
            case .maxValue: options.maxValue = number()
            case .cache: options.cache = number()
            case .cycle: options.cycle = reader.bool(value, "cycle of \(what)") ?? false
            case .unlogged: options.unlogged = reader.bool(value, "unlogged of \(what)")
            }
        }
        return options
    }
}
