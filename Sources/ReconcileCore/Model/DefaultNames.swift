/// The names PostgreSQL itself would choose for unnamed constraints and indexes, so that a database built
/// by hand with `PRIMARY KEY`, `UNIQUE` or `REFERENCES` matches a YAML file that leaves names out.
public enum DefaultNames {
    /// PostgreSQL's identifier limit in bytes (NAMEDATALEN - 1).
    public static let maxIdentifierBytes = 63

    public static func primaryKey(table: String) -> String { make(table, nil, "pkey") }
    public static func unique(table: String, columns: [String]) -> String {
        make(table, columns.joined(separator: "_"), "key")
    }
    public static func foreignKey(table: String, columns: [String]) -> String {
        make(table, columns.joined(separator: "_"), "fkey")
    }
    public static func check(table: String, column: String) -> String { make(table, column, "check") }
    /// The sequence a `serial` column owns.
    public static func sequence(table: String, column: String) -> String { make(table, column, "seq") }
    /// A NOT NULL constraint's name (PostgreSQL 18+).
    public static func notNull(table: String, column: String) -> String { make(table, column, "not_null") }
    public static func index(table: String, keys: [IndexKey]) -> String {
        let parts = keys.map { key -> String in
            switch key {
            case .column(let name): return name
            case .expression(let expression): return expressionName(expression)
            }
        }
        return make(table, parts.joined(separator: "_"), "idx")
    }

    /// The name PostgreSQL gives an index key: a function call is named after the function
    /// (`lower(email)` → `lower`), a column with an ordering or operator class after the column
    /// (`created_at DESC` → `created_at`), anything else `expr`.
    static func expressionName(_ expression: String) -> String {
        let identifier = expression.prefix { $0 == "_" || $0.isLetter || $0.isNumber }
        guard let first = identifier.first, !first.isNumber else { return "expr" }
        let rest = expression.dropFirst(identifier.count)
        if rest.hasPrefix("(") || rest.hasPrefix(" ") { return String(identifier) }
        return "expr"
    }

    /// Like PostgreSQL's makeObjectName: shorten the longer of the two parts until everything fits.
    static func make(_ first: String, _ second: String?, _ label: String) -> String {
        var firstBytes = Array(first.utf8)
        var secondBytes = Array((second ?? "").utf8)
        let overhead = label.utf8.count + 1 + (second == nil ? 0 : 1)
        while firstBytes.count + secondBytes.count + overhead > maxIdentifierBytes {
            if firstBytes.count > secondBytes.count { firstBytes.removeLast() } else { secondBytes.removeLast() }
        }
        let head = clippedString(firstBytes)
        guard second != nil else { return "\(head)_\(label)" }
        return "\(head)_\(clippedString(secondBytes))_\(label)"
    }

    /// Drops a trailing partial UTF-8 sequence left by byte truncation.
    private static func clippedString(_ bytes: [UInt8]) -> String {
        var bytes = bytes
        while !bytes.isEmpty, String(validating: bytes, as: UTF8.self) == nil { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
