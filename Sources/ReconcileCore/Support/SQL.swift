/// The one place identifiers and literals become SQL text. Nothing else concatenates user input into SQL.
public enum SQL {
    /// A double-quoted identifier: `"my ""odd"" name"`. Always quoted, so case and reserved words are safe.
    public static func identifier(_ name: String) -> String {
        "\"" + name.replacingAll("\"", with: "\"\"") + "\""
    }

    public static func identifierList(_ names: [String]) -> String {
        names.map(identifier).joined(separator: ", ")
    }

    /// A standard-conforming string literal: single quotes doubled, backslashes literal.
    /// The applier runs with `standard_conforming_strings = on`; a backslash gets the `E''` form anyway
    /// so that a pasted script means the same under either setting.
    public static func literal(_ value: String) -> String {
        // Character search: Foundation's substring search (which a String argument would pick) is far slower.
        if value.contains(Character("\\")) {
            return "E'" + value.replacingAll("\\", with: "\\\\").replacingAll("'", with: "''") + "'"
        }
        return "'" + value.replacingAll("'", with: "''") + "'"
    }

    /// An identifier as a person reads it: bare when PostgreSQL would accept it unquoted, quoted otherwise.
    public static func displayIdentifier(_ name: String) -> String {
        isPlainIdentifier(name) ? name : identifier(name)
    }

    static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
            && !reservedWords.contains(name)
    }

    /// Wraps a PL/pgSQL body in dollar quotes whose tag cannot occur inside it.
    public static func dollarQuoted(_ body: String) -> String {
        var tag = "$reconcile$"
        var counter = 0
        // Checked with a `$` appended: a body ending in "$reconcile" would otherwise close the quote early.
        while (body + "$").contains(tag) {
            counter += 1
            tag = "$reconcile\(counter)$"
        }
        return tag + body + tag
    }

    /// Words PostgreSQL reserves (or reserves in some contexts); quoting them is always required.
    static let reservedWords: Set<String> = [
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization",
        "binary", "both", "case", "cast", "check", "collate", "collation", "column", "concurrently",
        "constraint", "create", "cross", "current_catalog", "current_date", "current_role", "current_schema",
        "current_time", "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do",
        "else", "end", "except", "false", "fetch", "for", "foreign", "freeze", "from", "full", "grant",
        "group", "having", "ilike", "in", "initially", "inner", "intersect", "into", "is", "isnull", "join",
        "lateral", "leading", "left", "like", "limit", "localtime", "localtimestamp", "natural", "not",
        "notnull", "null", "offset", "on", "only", "or", "order", "outer", "overlaps", "placing", "primary",
        "references", "returning", "right", "select", "session_user", "similar", "some", "symmetric",
        "system_user", "table", "tablesample", "then", "to", "trailing", "true", "union", "unique", "user",
        "using", "variadic", "verbose", "when", "where", "window", "with",
    ]
}
