import Foundation

/// The structure of an exclusion constraint's text after `EXCLUDE`:
/// `[USING method] (element WITH operator, ...) [INCLUDE (...)] [WITH (...)] [WHERE (predicate)]`.
/// The server parses the whole text when it builds the constraint; this reads only what reconcile needs
/// itself: the elements, for the loader's column check and the pre-flight count of conflicting rows, and the
/// predicate, which picks the rows that take part. Keywords in any case, as SQL allows.
struct ExclusionDefinition: Equatable {
    struct Element: Equatable {
        /// The element without its sort order: a column, `(expression)` or function call, possibly followed
        /// by a collation and an operator class (`during range_ops`).
        var expression: String
        /// `&&`, `=`, `OPERATOR(pg_catalog.=)`.
        var op: String

        /// The column the element starts with (`room` of `room`, `Room` or `room text_ops`; `Odd Col` of
        /// `"Odd Col"`), folded as the server folds an unquoted name; nil for an expression or function call.
        var leadingColumn: String? {
            let text = Substring(expression)
            if text.first == "\"" {
                guard let (name, rest) = Self.quotedIdentifier(text), rest.isEmpty || rest.first == " " else {
                    return nil
                }
                return String(name.dropFirst().dropLast()).replacingAll("\"\"", with: "\"")
            }
            let name = text.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" }
            guard let first = name.first, first.isLetter || first == "_" else { return nil }
            let rest = text[name.endIndex...]
            guard rest.isEmpty || rest.first == " " else { return nil }
            // The server folds only ASCII letters of an unquoted name.
            return String(name.map { $0.isASCII ? Character($0.lowercased()) : $0 })
        }

        /// True when the expression is one operand and nothing else (no operator class or collation after it):
        /// a column, a parenthesized expression or a function call, which SQL can evaluate as it is written.
        var isPlainOperand: Bool {
            let text = Substring(expression)
            if text.first == "\"" { return Self.quotedIdentifier(text).map { $0.1.isEmpty } ?? false }
            if text.first == "(" { return SQLScanning.parenthesized(text).map { $0.1.isEmpty } ?? false }
            let name = text.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" || $0 == "." }
            guard let first = name.first, first.isLetter || first == "_" else { return false }
            let rest = text[name.endIndex...]
            return rest.isEmpty || SQLScanning.parenthesized(rest).map { $0.1.isEmpty } ?? false
        }

        /// `"a ""b"""` at the start of `text`, and what follows it.
        static func quotedIdentifier(_ text: Substring) -> (Substring, Substring)? {
            var index = text.index(after: text.startIndex)
            while index < text.endIndex {
                if text[index] == "\"" {
                    let next = text.index(after: index)
                    guard next < text.endIndex, text[next] == "\"" else { return (text[...index], text[next...]) }
                    index = text.index(after: next)
                } else {
                    index = text.index(after: index)
                }
            }
            return nil
        }
    }

    var elements: [Element]
    /// What follows `WHERE`, parentheses included; nil without a predicate.
    var predicate: String?

    /// nil when the text does not have that structure; `problem` then says what is wrong.
    init?(_ definition: String) {
        guard case .success(let parsed) = Self.parse(definition) else { return nil }
        self = parsed
    }

    private init(elements: [Element], predicate: String?) {
        self.elements = elements
        self.predicate = predicate
    }

    /// Why `definition` is not an exclusion constraint's text, or nil when it is.
    static func problem(_ definition: String) -> String? {
        switch parse(definition) {
        case .success: return nil
        case .failure(let problem): return problem.message
        }
    }

    struct Problem: Error {
        let message: String
    }

    private static func parse(_ definition: String) -> Result<ExclusionDefinition, Problem> {
        var rest = Substring(definition.trimmingSpaces)
        if take("USING ", from: &rest) {
            let method = rest.prefix { $0 != " " && $0 != "(" }
            guard !method.isEmpty else {
                return .failure(Problem(message: "USING needs an index method, as in 'USING gist'"))
            }
            rest = Substring(rest[method.endIndex...].trimmingSpaces)
        }
        guard let (inside, after) = SQLScanning.parenthesized(rest) else {
            return .failure(
                Problem(
                    message: "it needs the elements in parentheses after the method, as in "
                        + "'USING gist (room_id WITH =, during WITH &&)'"))
        }
        var elements: [Element] = []
        for element in SQLScanning.splitTopLevel(inside) {
            // Operators are symbols (or OPERATOR(...)): the last WITH is the one before the operator.
            guard let with = element.range(of: " WITH ", options: [.caseInsensitive, .backwards]) else {
                return .failure(
                    Problem(
                        message: "element '\(element.trimmingSpaces)' needs 'WITH operator', as in "
                            + "'during WITH &&'"))
            }
            var expression = Substring(element[..<with.lowerBound].trimmingSpaces)
            let op = element[with.upperBound...].trimmingSpaces
            // The sort order does not change which rows conflict.
            for word in [" NULLS FIRST", " NULLS LAST", " ASC", " DESC"] where expression.uppercased().hasSuffix(word) {
                expression = Substring(expression.dropLast(word.count).trimmingSpaces)
            }
            guard !expression.isEmpty, !op.isEmpty else {
                return .failure(
                    Problem(
                        message: "element '\(element.trimmingSpaces)' needs an expression and an "
                            + "operator, as in 'during WITH &&'"))
            }
            elements.append(Element(expression: String(expression), op: op))
        }
        var remainder = Substring(after.trimmingSpaces)
        for clause in ["INCLUDE", "WITH"] where take(clause + " ", from: &remainder) || take(clause, from: &remainder) {
            guard let (_, end) = SQLScanning.parenthesized(remainder) else {
                return .failure(Problem(message: "\(clause) needs a list in parentheses"))
            }
            remainder = Substring(end.trimmingSpaces)
        }
        var predicate: String?
        if take("WHERE ", from: &remainder)
            || remainder.uppercased().hasPrefix("WHERE(") && take("WHERE", from: &remainder)
        {
            guard remainder.first == "(" else {
                return .failure(
                    Problem(
                        message: "the predicate after WHERE goes in parentheses, as in "
                            + "'WHERE (NOT cancelled)'"))
            }
            predicate = String(remainder)
            remainder = ""
        }
        guard remainder.isEmpty else {
            return .failure(Problem(message: "'\(remainder)' is not INCLUDE (...), WITH (...) or WHERE (...)"))
        }
        return .success(ExclusionDefinition(elements: elements, predicate: predicate))
    }

    /// Drops a leading keyword (any case) and the spaces after it.
    private static func take(_ keyword: String, from text: inout Substring) -> Bool {
        guard text.prefix(keyword.count).uppercased() == keyword else { return false }
        text = Substring(text.dropFirst(keyword.count).trimmingSpaces)
        return true
    }
}
