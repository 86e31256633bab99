/// Scalars for the schema-file YAML that reconcile writes: plain where YAML reads them back unchanged,
/// double-quoted otherwise.
enum YAMLText {
    /// A string that must load back as exactly this text.
    static func string(_ text: String) -> String {
        isSafePlain(text) ? text : quoted(text)
    }

    static func quoted(_ text: String) -> String { DoubleQuoted.text(text) }

    /// A literal value (default or seeded): typed the way the loader reads it back.
    static func literal(_ literal: Literal) -> String {
        switch literal {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let text): return text
        case .string(let text): return string(text)
        }
    }

    static func list(_ items: [String]) -> String { "[" + items.map(string).joined(separator: ", ") + "]" }

    /// Plain scalars the loader reads back as the same string: identifier-like text with a few harmless
    /// characters, and nothing YAML would read as null, a boolean or a number.
    static func isSafePlain(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, !text.hasSuffix(" ") else { return false }
        let allowedFirst = first == "_" || first.properties.isAlphabetic
        let allowed = text.unicodeScalars.allSatisfy { scalar in
            scalar == "_" || scalar == " " || scalar == "." || scalar == "-" || scalar == "(" || scalar == ")"
                || scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
        }
        let reserved: Set<String> = ["null", "true", "false", "yes", "no", "on", "off", "y", "n", "~"]
        return allowedFirst && allowed && !reserved.contains(text.lowercased()) && !Literal.isNumber(text)
    }
}
