import Yams

/// Reading helpers over Yams' node tree that report problems as located diagnostics instead of throwing,
/// so one load reports every problem in the file at once.
final class YAMLReader {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String) { self.file = file }

    func error(_ message: String, at node: Node?) {
        error(message, at: node?.mark)
    }

    func error(_ message: String, at mark: Mark?) {
        diagnostics.append(Diagnostic(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0, message: message))
    }

    func mapping(_ node: Node, _ what: @autoclosure () -> String) -> Node.Mapping? {
        if case .mapping(let mapping) = node { return mapping }
        error("\(what()) must be a mapping of keys to values, not \(node.kindDescription)", at: node)
        return nil
    }

    func sequence(_ node: Node, _ what: @autoclosure () -> String) -> Node.Sequence? {
        if case .sequence(let sequence) = node { return sequence }
        error("\(what()) must be a list, not \(node.kindDescription)", at: node)
        return nil
    }

    func string(_ node: Node, _ what: @autoclosure () -> String) -> String? {
        guard case .scalar(let scalar) = node else {
            error("\(what()) must be a single value, not \(node.kindDescription)", at: node)
            return nil
        }
        if scalar.style == .plain, Literal.plainNullSpellings.contains(scalar.string) {
            error("\(what()) must not be empty", at: node)
            return nil
        }
        return scalar.string
    }

    func bool(_ node: Node, _ what: @autoclosure () -> String) -> Bool? {
        guard case .scalar(let scalar) = node, scalar.style == .plain else {
            error("\(what()) must be true or false", at: node)
            return nil
        }
        switch scalar.string.lowercased() {
        case "true": return true
        case "false": return false
        default:
            error("\(what()) must be true or false, not '\(scalar.string)'", at: node)
            return nil
        }
    }

    /// A list of names; a single name is accepted as a list of one.
    func stringList(_ node: Node, _ what: @autoclosure () -> String) -> [String]? {
        if case .scalar = node { return string(node, what()).map { [$0] } }
        guard let sequence = sequence(node, what()) else { return nil }
        let items = sequence.compactMap { string($0, "each item of \(what())") }
        guard items.count == sequence.count else { return nil }
        if items.isEmpty { error("\(what()) must not be empty", at: node); return nil }
        return items
    }

    /// A value for a default or a seeded column. Quoted scalars are always text; plain ones may be
    /// null, a boolean or a number, which the column's type then interprets.
    func literal(_ node: Node, _ what: @autoclosure () -> String) -> Literal? {
        guard case .scalar(let scalar) = node else {
            error("\(what()) must be a single value (quote it to write text), not \(node.kindDescription)", at: node)
            return nil
        }
        return Literal(yamlScalar: scalar.string, isPlain: scalar.style == .plain)
    }

    /// Where a node was written, for problems reported after parsing.
    func location(of node: Node) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
    }

    /// The mapping's entries whose keys are cases of `Key`, reporting other keys with the closest case.
    func entries<Key: SchemaFileKey>(
        _ mapping: Node.Mapping, of _: Key.Type, _ what: @autoclosure () -> String
    )
        -> [SchemaFileEntry<Key>]
    {
        var result: [SchemaFileEntry<Key>] = []
        for (keyNode, value) in mapping {
            guard let text = string(keyNode, "a key in \(what())") else { continue }
            guard let key = Key(rawValue: text) else {
                // `{ type: numeric(10,2) }`: in a { } mapping an unquoted comma ends the value, and `2)` becomes
                // a key of its own. The most common slip in a schema file; say so instead of guessing a key.
                if text.contains(")") && !text.contains("(") {
                    error(
                        "unknown key '\(text)' in \(what()): inside { }, an unquoted ',' ends a value; quote a value "
                            + "that holds a comma, as in type: \"numeric(10,2)\"", at: keyNode)
                } else {
                    let suggestion = Suggestion.didYouMean(text, Key.allCases.map(\.rawValue))
                    error("unknown key '\(text)' in \(what())\(suggestion)", at: keyNode)
                }
                continue
            }
            result.append(SchemaFileEntry(key: key, keyNode: keyNode, value: value))
        }
        return result
    }
}

extension Node {
    var kindDescription: String {
        switch self {
        case .scalar(let scalar): return "the value '\(scalar.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}

extension Literal {
    static let plainNullSpellings: Set<String> = ["", "~", "null", "Null", "NULL"]

    init(yamlScalar text: String, isPlain: Bool) {
        guard isPlain else { self = .string(text); return }
        if Literal.plainNullSpellings.contains(text) { self = .null; return }
        switch text {
        case "true", "True", "TRUE": self = .bool(true)
        case "false", "False", "FALSE": self = .bool(false)
        default: self = Literal.isNumber(text) ? .number(text) : .string(text)
        }
    }

    /// `12`, `-0.8`, `.5`, `1e-3`: the shapes PostgreSQL reads as a numeric constant.
    static func isNumber(_ text: String) -> Bool {
        var chars = Substring(text)
        if chars.first == "-" || chars.first == "+" { chars = chars.dropFirst() }
        let mantissaEnd = chars.firstIndex { $0 == "e" || $0 == "E" } ?? chars.endIndex
        let mantissa = chars[..<mantissaEnd]
        let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let digits = parts.joined()
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), parts.count <= 2,
            mantissa.filter({ $0 == "." }).count <= 1
        else { return false }
        guard mantissaEnd != chars.endIndex else { return true }
        var exponent = chars[chars.index(after: mantissaEnd)...]
        if exponent.first == "-" || exponent.first == "+" { exponent = exponent.dropFirst() }
        return !exponent.isEmpty && exponent.allSatisfy(\.isASCIIDigit)
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
