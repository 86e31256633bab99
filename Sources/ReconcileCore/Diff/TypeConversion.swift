/// Decides whether changing a column from one type to another keeps every value, using the server's
/// canonical type names (`format_type`). Anything not known to be lossless counts as lossy: it is then a
/// destructive step that needs `--allow-destructive`.
enum TypeConversion {
    static func isLossless(from: String, to: String) -> Bool {
        if from == to { return true }
        // Every value has a text form, and text holds any length.
        if to == "text" || to == "character varying" { return true }
        let source = ParsedType(from), target = ParsedType(to)
        if source.isArray != target.isArray { return false }
        if source.base == target.base {
            switch source.base {
            case "character varying", "bit varying":
                // A longer (or unlimited) length keeps every value.
                guard let old = source.modifiers.first else { return target.modifiers.isEmpty }
                guard let new = target.modifiers.first else { return true }
                return new >= old
            case "numeric":
                guard source.modifiers.count >= 1 else { return target.modifiers.isEmpty }
                guard target.modifiers.count >= 1 else { return true }
                let (oldPrecision, oldScale) = (
                    source.modifiers[0], source.modifiers.count > 1 ? source.modifiers[1] : 0
                )
                let (newPrecision, newScale) = (
                    target.modifiers[0], target.modifiers.count > 1 ? target.modifiers[1] : 0
                )
                return newScale >= oldScale && newPrecision - newScale >= oldPrecision - oldScale
            case "timestamp without time zone", "timestamp with time zone", "time without time zone",
                "time with time zone", "interval":
                // Fractional-second precision: more (or unlimited, which is 6) keeps every value.
                let old = source.modifiers.first ?? 6, new = target.modifiers.first ?? 6
                return new >= old
            default:
                return source.modifiers == target.modifiers
            }
        }
        guard source.modifiers.isEmpty || source.base == "numeric" || source.base == "character varying" else {
            return false
        }
        return widenings[source.base]?.contains(target.base) == true
            && (target.base != "numeric" || target.modifiers.isEmpty
                || integerDigits[source.base].map { digits in
                    let precision = target.modifiers[0], scale = target.modifiers.count > 1 ? target.modifiers[1] : 0
                    return precision - scale >= digits
                } == true)
            && (target.base != "character varying" || target.modifiers.isEmpty)
    }

    /// Conversions that keep every value, by canonical base type.
    static let widenings: [String: Set<String>] = [
        "smallint": ["integer", "bigint", "numeric", "real", "double precision"],
        "integer": ["bigint", "numeric", "double precision"],
        "bigint": ["numeric"],
        "real": ["double precision"],
        "character": ["text"],
        "character varying": ["text"],
        "timestamp without time zone": ["timestamp with time zone"],
        "date": ["timestamp without time zone", "timestamp with time zone"],
        "json": ["text"],
        "cidr": ["inet"],
    ]

    /// Decimal digits an integer type can need, for conversions to numeric(p, s).
    static let integerDigits: [String: Int] = ["smallint": 5, "integer": 10, "bigint": 19]

    struct ParsedType {
        var base: String
        var modifiers: [Int]
        var isArray: Bool

        init(_ text: String) {
            var rest = Substring(text)
            isArray = rest.hasSuffix("[]")
            while rest.hasSuffix("[]") { rest = rest.dropLast(2) }
            modifiers = []
            // format_type writes modifiers right after the base name, before any "with/without time zone".
            if let open = rest.firstIndex(of: "("), let close = rest.firstIndex(of: ")"), open < close {
                modifiers = rest[rest.index(after: open)..<close].split(separator: ",").compactMap {
                    Int(String($0).trimmingSpaces)
                }
                rest = rest[..<open] + rest[rest.index(after: close)...]
            }
            base = String(rest).trimmingSpaces.replacingAll("  ", with: " ")
        }
    }
}
