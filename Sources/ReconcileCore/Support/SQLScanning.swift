/// Reading SQL text structurally without parsing it: balanced parentheses and top-level commas, with quoted
/// literals and identifiers skipped. Shared by the catalog-text readers and the model's own parsers.
enum SQLScanning {
    /// The text inside a leading `( ... )` (balanced, quote-aware) and what follows it.
    static func parenthesized(_ text: Substring) -> (Substring, Substring)? {
        guard text.first == "(" else { return nil }
        var depth = 0
        var quote: Character?
        for index in text.indices {
            let character = text[index]
            if let open = quote {
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "'", "\"": quote = character
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth == 0 {
                    return (text[text.index(after: text.startIndex)..<index], text[text.index(after: index)...])
                }
            default: break
            }
        }
        return nil
    }

    /// Splits on commas that are outside parentheses and quotes.
    static func splitTopLevel(_ text: Substring) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        var quote: Character?
        for character in text {
            if let open = quote {
                current.append(character)
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "'", "\"": quote = character
            case "(": depth += 1
            case ")": depth -= 1
            case "," where depth == 0:
                parts.append(current)
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        parts.append(current)
        return parts
    }
}
