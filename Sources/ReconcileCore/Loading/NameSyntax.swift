/// Parses the few name forms the YAML allows, with SQL's double-quote rules so any identifier is writable:
/// `orders`, `billing.invoices`, `"odd.schema"."Mixed Case"`, and references such as `cases(id)`.
/// Names are taken exactly as written: reconcile never folds case.
enum NameSyntax {
    struct Failure: Error { let message: String }

    /// `[schema.]name` → qualified name, defaulting the schema.
    static func qualifiedName(_ text: String, defaultSchema: String) throws -> QualifiedName {
        var scanner = Scanner(text)
        let parts = try scanner.dottedIdentifiers()
        guard scanner.atEnd else { throw Failure(message: "unexpected '\(scanner.rest)' after the name") }
        switch parts.count {
        case 1: return QualifiedName(schema: defaultSchema, name: parts[0])
        case 2: return QualifiedName(schema: parts[0], name: parts[1])
        default:
            throw Failure(
                message:
                    "'\(text)' has \(parts.count) dotted parts; write schema.table, or double-quote a name containing a dot"
            )
        }
    }

    /// `[schema.]table[(col, ...)]`: a foreign-key target. No columns means the target's primary key.
    static func reference(_ text: String, defaultSchema: String) throws -> (QualifiedName, [String]) {
        var scanner = Scanner(text)
        let parts = try scanner.dottedIdentifiers()
        guard parts.count <= 2 else {
            throw Failure(message: "'\(text)' has \(parts.count) dotted parts; write [schema.]table(column, ...)")
        }
        let table =
            parts.count == 1
            ? QualifiedName(schema: defaultSchema, name: parts[0])
            : QualifiedName(schema: parts[0], name: parts[1])
        scanner.skipSpaces()
        var columns: [String] = []
        if scanner.consume("(") {
            repeat {
                scanner.skipSpaces()
                columns.append(try scanner.identifier())
                scanner.skipSpaces()
            } while scanner.consume(",")
            guard scanner.consume(")") else { throw Failure(message: "missing ')' in '\(text)'") }
        }
        scanner.skipSpaces()
        guard scanner.atEnd else { throw Failure(message: "unexpected '\(scanner.rest)' in '\(text)'") }
        return (table, columns)
    }

    private struct Scanner {
        private let chars: [Character]
        private var position = 0

        init(_ text: String) { chars = Array(text) }

        var atEnd: Bool { position == chars.count }
        var rest: String { String(chars[position...]) }

        mutating func skipSpaces() { while position < chars.count, chars[position] == " " { position += 1 } }

        mutating func consume(_ character: Character) -> Bool {
            guard position < chars.count, chars[position] == character else { return false }
            position += 1
            return true
        }

        mutating func dottedIdentifiers() throws -> [String] {
            skipSpaces()
            var parts = [try identifier()]
            while consume(".") { parts.append(try identifier()) }
            return parts
        }

        mutating func identifier() throws -> String {
            if consume("\"") {
                var name = ""
                while position < chars.count {
                    if chars[position] == "\"" {
                        if position + 1 < chars.count, chars[position + 1] == "\"" {
                            name.append("\"")
                            position += 2
                            continue
                        }
                        position += 1
                        guard !name.isEmpty else { throw Failure(message: "empty quoted name") }
                        return name
                    }
                    name.append(chars[position])
                    position += 1
                }
                throw Failure(message: "unterminated double-quoted name")
            }
            var name = ""
            while position < chars.count, !".,()\" ".contains(chars[position]) {
                name.append(chars[position])
                position += 1
            }
            guard !name.isEmpty else {
                throw Failure(message: atEnd ? "a name is missing" : "expected a name at '\(rest)'")
            }
            return name
        }
    }
}
