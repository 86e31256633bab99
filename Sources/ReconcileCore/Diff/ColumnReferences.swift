/// The names an expression may read a column by, as the catalog prints it (`pg_get_expr`,
/// `pg_get_constraintdef`, `pg_get_indexdef`): every identifier outside string literals, quoted or not. A
/// function or keyword spelled like a column counts too; that only costs a needless rebuild, never a missed one.
enum ColumnReferences {
    static func names(in expression: String) -> Set<String> {
        var names = Set<String>()
        var characters = expression[...]
        while let first = characters.first {
            switch first {
            case "'":
                characters = skipQuoted(characters, quote: "'").rest
            case "\"":
                let (name, rest) = skipQuoted(characters, quote: "\"")
                names.insert(name)
                characters = rest
            case _ where first.isLetter || first == "_":
                let word = characters.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" }
                names.insert(String(word))
                characters = characters.dropFirst(word.count)
            case _ where first.isNumber:
                // A number's digits and exponent are not a name (`1e3`).
                characters = characters.drop { $0.isLetter || $0.isNumber || $0 == "." }
            default:
                characters = characters.dropFirst()
            }
        }
        return names
    }

    /// The body of a quoted literal or identifier starting at `text` (a doubled quote stands for one), and
    /// what follows its closing quote.
    private static func skipQuoted(_ text: Substring, quote: Character) -> (body: String, rest: Substring) {
        var body = ""
        var rest = text.dropFirst()
        while let character = rest.first {
            rest = rest.dropFirst()
            if character == quote {
                guard rest.first == quote else { return (body, rest) }
                rest = rest.dropFirst()
            }
            body.append(character)
        }
        return (body, rest)
    }
}
