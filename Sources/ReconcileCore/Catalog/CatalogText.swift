import Foundation

/// Reads the server's canonical texts (`pg_get_expr`, `pg_get_indexdef`) back into the schema file's
/// friendlier forms, for export. Anything it does not recognise is kept verbatim as SQL, which is always
/// exact; recognised forms round-trip because the server canonicalises them back to the same text.
public enum CatalogText {
    /// `'gpt-4'::character varying` → "gpt-4", `0.8` → 0.8, `true` → true; nil when the default is an
    /// expression to keep as `default_sql`.
    public static func literalDefault(_ expression: String, columnType: String) -> Literal? {
        if expression == "true" || expression == "false" {
            return SQLRenderer.isBooleanType(columnType) ? .bool(expression == "true") : nil
        }
        // A bare number is a number literal only where the type reads it as one (not money, not oid).
        if Literal.isNumber(expression), !expression.hasPrefix("+") {
            return SQLRenderer.isNumericType(columnType) ? .number(expression) : nil
        }
        // The last `'::` separates the quoted body from the cast (a quote inside the body is doubled).
        guard expression.hasPrefix("'"), let castStart = lastCastSeparator(expression) else { return nil }
        let body = expression[expression.index(after: expression.startIndex)..<castStart]
        let cast = expression[expression.index(castStart, offsetBy: 3)...]
        // Only a cast to the column's own type (modifiers aside) is a plain literal.
        guard cast == baseType(columnType) || cast == columnType else { return nil }
        // Inside, quotes are doubled; a lone quote would mean this is not one literal.
        var text = ""
        var iterator = body.makeIterator()
        while let character = iterator.next() {
            if character == "'" {
                guard iterator.next() == "'" else { return nil }
            }
            text.append(character)
        }
        return .string(text)
    }

    /// True when a default as `pg_get_expr` prints it is a NULL constant: `NULL::character varying`,
    /// `NULL::text` (on a varchar column), `NULL::numeric`. The server keeps such a default when a length or
    /// precision coercion wraps the NULL (`varchar(20) DEFAULT NULL`, and pg_dump's `DEFAULT NULL::...`); it
    /// means the same as no default. Deparsed without pretty-printing, any operator, test or collation
    /// around the constant would come in parentheses, so a text that starts with `NULL::` and continues with
    /// nothing but type names is the constant, possibly cast again.
    public static func isNullConstant(_ expression: String) -> Bool {
        guard expression.hasPrefix("NULL") else { return false }
        let casts = expression.dropFirst(4)
        if casts.isEmpty { return true }
        guard casts.hasPrefix("::") else { return false }
        return casts.dropFirst(2).components(separatedBy: "::").allSatisfy(isTypeName)
    }

    /// `character varying(20)`, `timestamp(3) without time zone`, `text[]`, `"char"`, `billing."Plan"`: how
    /// format_type prints a type. Unquoted words are lower case there, while keywords that would make an
    /// expression (`IS`, `COLLATE`, `AND`) are printed in upper case.
    static func isTypeName(_ text: String) -> Bool {
        guard let first = text.first, first != " ", text.last != " " else { return false }
        var quoted = false
        var inModifier = false
        for character in text {
            if quoted {
                if character == "\"" { quoted = false }
                continue
            }
            switch character {
            case "\"": quoted = true
            case "(" where !inModifier: inModifier = true
            case ")" where inModifier: inModifier = false
            case "0"..."9", ",": break
            case " " where !inModifier, "_" where !inModifier, ".", "[", "]", "$": break
            case "a"..."z" where !inModifier: break
            default: return false
            }
        }
        return !quoted && !inModifier
    }

    private static func lastCastSeparator(_ text: String) -> String.Index? {
        var index = text.endIndex
        while index > text.startIndex {
            index = text.index(before: index)
            if text[index] == "'", text[index...].hasPrefix("'::"), index > text.startIndex { return index }
        }
        return nil
    }

    static func baseType(_ type: String) -> String {
        guard let open = type.firstIndex(of: "("), let close = type.firstIndex(of: ")") else { return type }
        return (String(type[..<open]) + String(type[type.index(after: close)...])).trimmingSpaces
    }

    /// `USING btree (a, lower((b)::text)) INCLUDE (c) NULLS NOT DISTINCT WITH (fillfactor='70') WHERE (c IS
    /// NULL)` → an index with method, keys, include, NULLS NOT DISTINCT, storage parameters and predicate (name
    /// and uniqueness are the caller's). nil when the text has parts the schema file cannot express
    /// (TABLESPACE).
    public static func index(_ tail: String, columns: [String]) -> Index? {
        guard tail.hasPrefix("USING ") else { return nil }
        var rest = Substring(tail.dropFirst(6))
        guard let space = rest.firstIndex(of: " ") else { return nil }
        let method = String(rest[..<space])
        rest = rest[rest.index(after: space)...]
        guard let (inside, after) = SQLScanning.parenthesized(rest) else { return nil }
        func column(_ text: String) -> String? {
            if columns.contains(text) { return text }
            guard text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 else { return nil }
            let unquoted = String(text.dropFirst().dropLast()).replacingAll("\"\"", with: "\"")
            return columns.contains(unquoted) && SQL.identifier(unquoted) == text ? unquoted : nil
        }
        let keys = SQLScanning.splitTopLevel(inside).map { key -> IndexKey in
            let trimmed = key.trimmingSpaces
            return column(trimmed).map(IndexKey.column) ?? .expression(trimmed)
        }
        var index = Index(name: "", keys: keys, method: method)
        var remainder = Substring(after.trimmingSpaces)
        func take(_ word: String) -> Bool {
            guard remainder.hasPrefix(word) else { return false }
            remainder = Substring(remainder.dropFirst(word.count).trimmingSpaces)
            return true
        }
        if take("INCLUDE ") {
            guard let (list, end) = SQLScanning.parenthesized(remainder) else { return nil }
            let included = SQLScanning.splitTopLevel(list).map { column($0.trimmingSpaces) }
            guard !included.contains(nil) else { return nil }
            index.include = included.compactMap { $0 }
            remainder = Substring(end.trimmingSpaces)
        }
        if take("NULLS NOT DISTINCT") { index.nullsNotDistinct = true }
        if take("WITH ") {
            guard let (list, end) = SQLScanning.parenthesized(remainder) else { return nil }
            for parameter in SQLScanning.splitTopLevel(list) {
                let parts = parameter.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces }
                guard parts.count == 2 else { return nil }
                var value = parts[1]
                if value.hasPrefix("'"), value.hasSuffix("'"), value.count >= 2 {
                    value = String(value.dropFirst().dropLast()).replacingAll("''", with: "'")
                }
                index.storageParameters.append(StorageParameter(name: parts[0], value: value))
            }
            remainder = Substring(end.trimmingSpaces)
        }
        if take("WHERE ") {
            // A bare boolean column or function call is printed without parentheses.
            if let (condition, end) = SQLScanning.parenthesized(remainder), end.trimmingSpaces.isEmpty {
                index.predicate = String(condition)
            } else {
                index.predicate = String(remainder)
            }
            remainder = ""
        }
        return remainder.isEmpty ? index : nil
    }

}
