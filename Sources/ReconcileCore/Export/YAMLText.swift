import Yams

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

    /// A literal block scalar (`|`) for multi-line text such as a function body, readable and diffable line by
    /// line, with the indentation indicator and chomping that give back exactly `text`; nil where a block
    /// cannot (a single line, control characters), or where reading it back would not give `text`: the
    /// caller then writes it double-quoted. `indentation` is the column of the key that holds it.
    static func block(_ text: String, indentation: Int) -> String? {
        guard text.contains("\n"),
            text.unicodeScalars.allSatisfy({ scalar in
                scalar == "\n" || scalar == "\t"
                    || (scalar.value >= 0x20 && scalar.value != 0x7F && !(0x80...0x9F).contains(scalar.value)
                        && scalar != "\u{2028}" && scalar != "\u{2029}" && scalar != "\u{FEFF}")
            })
        else { return nil }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let chomping: String
        if lines.last == "" {
            lines.removeLast()
            // More than one final line break: keep them all.
            chomping = lines.last == "" ? "+" : ""
        } else {
            chomping = "-"
        }
        // Content that starts with a space (or blank lines holding spaces before it) hides the indentation: say it.
        let firstContent = lines.firstIndex { $0.contains { $0 != " " } } ?? lines.endIndex
        let indicator =
            (firstContent < lines.endIndex && lines[firstContent].first == " ")
                || lines[..<firstContent].contains { !$0.isEmpty } ? "2" : ""
        let pad = String(repeating: " ", count: indentation + 2)
        let body = lines.map { $0.isEmpty ? "" : pad + $0 }.joined(separator: "\n")
        let scalar = "|\(indicator)\(chomping)\n" + body
        // Read back the way the loader will: anything YAML would read otherwise falls back to quotes.
        let probe = String(repeating: " ", count: indentation) + "k: " + scalar + "\n"
        guard case .mapping(let mapping)? = try? Yams.compose(yaml: probe), let value = mapping.first?.value,
            value.string == text
        else { return nil }
        return scalar
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
