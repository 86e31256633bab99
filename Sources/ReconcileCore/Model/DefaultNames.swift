/// The names PostgreSQL itself would choose for unnamed constraints and indexes, so that a database built
/// by hand with `PRIMARY KEY`, `UNIQUE` or `REFERENCES` matches a YAML file that leaves names out.
public enum DefaultNames {
    /// PostgreSQL's identifier limit in bytes (NAMEDATALEN - 1).
    public static let maxIdentifierBytes = 63

    public static func primaryKey(table: String) -> String { make(table, nil, "pkey") }
    public static func unique(table: String, columns: [String]) -> String { make(table, columns.joined(separator: "_"), "key") }
    public static func foreignKey(table: String, columns: [String]) -> String { make(table, columns.joined(separator: "_"), "fkey") }
    public static func check(table: String, column: String) -> String { make(table, column, "check") }
    public static func index(table: String, keys: [IndexKey]) -> String {
        let parts = keys.map { key -> String in
            if case .column(let name) = key { return name }
            return "expr"
        }
        return make(table, parts.joined(separator: "_"), "idx")
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
