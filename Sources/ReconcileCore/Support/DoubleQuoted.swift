/// A string between double quotes with `\"`, `\\`, `\n`, `\t`, `\r` and `\uXXXX` escapes: the syntax JSON strings
/// and YAML double-quoted scalars share, so the schema-file writer and the JSON Schema printer use one escaper.
/// Control characters and DEL are escaped, so the text stays printable.
enum DoubleQuoted {
    static func text(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
