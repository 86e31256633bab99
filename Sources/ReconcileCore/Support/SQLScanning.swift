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

extension SQLScanning {
    /// `text` with every occurrence of the bare keyword `keyword` (any letter case, not quoted, not part of a
    /// longer name, not after a `.`) replaced by `replacement`: `VALUE > 0` of a domain check read as a column.
    /// nil when the text holds a dollar quote or an escape-string literal, which this scanner does not read.
    static func replacingKeyword(_ keyword: String, in text: String, with replacement: String) -> String? {
        let characters = Array(text)
        let word = Array(keyword.uppercased())
        func isNameCharacter(_ character: Character) -> Bool {
            character.isLetter || character.isNumber || character == "_" || character == "$"
        }
        var result = ""
        var index = 0
        var quote: Character?
        while index < characters.count {
            let character = characters[index]
            if let open = quote {
                result.append(character)
                if character == open { quote = nil }
                index += 1
                continue
            }
            if character == "$" { return nil }
            if character == "'" || character == "\"" {
                if character == "'", index > 0, "eE".contains(characters[index - 1]),
                    index < 2 || !isNameCharacter(characters[index - 2])
                {
                    return nil
                }
                quote = character
                result.append(character)
                index += 1
                continue
            }
            let end = index + word.count
            if end <= characters.count, characters[index..<end].map({ Character($0.uppercased()) }) == word,
                index == 0 || (!isNameCharacter(characters[index - 1]) && characters[index - 1] != "."),
                end == characters.count || !isNameCharacter(characters[end])
            {
                result += replacement
                index = end
                continue
            }
            // A name is copied whole, so that `xvalue` or `value_2` is never matched inside.
            if isNameCharacter(character) {
                while index < characters.count, isNameCharacter(characters[index]) {
                    result.append(characters[index])
                    index += 1
                }
                continue
            }
            result.append(character)
            index += 1
        }
        return result
    }

    /// The names a query mentions, dotted ones whole: `public.orders`, `"Odd Name".t`, `orders`. Unquoted parts
    /// are folded to lower case as PostgreSQL does, quoted ones kept; string literals and comments are skipped.
    /// Only a heuristic for ordering (which declared view reads which): a word may name a column too.
    static func words(in text: String) -> [String] {
        func isNameCharacter(_ character: Character) -> Bool {
            character.isLetter || character.isNumber || character == "_" || character == "$"
        }
        let characters = Array(text)
        var words: [String] = []
        var parts: [String] = []
        var index = 0
        func finish() {
            if !parts.isEmpty { words.append(parts.joined(separator: ".")) }
            parts = []
        }
        while index < characters.count {
            let character = characters[index]
            if character == "'" {
                finish()
                index += 1
                while index < characters.count {
                    if characters[index] == "'" {
                        if index + 1 < characters.count, characters[index + 1] == "'" {
                            index += 2
                            continue
                        }
                        break
                    }
                    index += 1
                }
                index += 1
            } else if character == "-", index + 1 < characters.count, characters[index + 1] == "-" {
                finish()
                while index < characters.count, characters[index] != "\n" { index += 1 }
            } else if character == "\"" {
                var name = ""
                index += 1
                while index < characters.count {
                    if characters[index] == "\"" {
                        if index + 1 < characters.count, characters[index + 1] == "\"" {
                            name.append("\"")
                            index += 2
                            continue
                        }
                        break
                    }
                    name.append(characters[index])
                    index += 1
                }
                index += 1
                parts.append(name)
                if index < characters.count, characters[index] == "." { index += 1 } else { finish() }
            } else if isNameCharacter(character), !character.isNumber || !parts.isEmpty {
                var name = ""
                while index < characters.count, isNameCharacter(characters[index]) {
                    name.append(characters[index])
                    index += 1
                }
                parts.append(name.lowercased())
                if index < characters.count, characters[index] == "." { index += 1 } else { finish() }
            } else {
                finish()
                index += 1
            }
        }
        finish()
        return words
    }
}
