/// A value written in YAML for a default or a seeded row: typed only as far as YAML can tell.
/// The column's PostgreSQL type decides its meaning; `.null` is SQL NULL.
public enum Literal: Hashable, Sendable, CustomStringConvertible, Codable {
    case null
    case bool(Bool)
    /// A number exactly as written (`0.8`, `-12`, `1e3`), so precision is never lost.
    case number(String)
    case string(String)

    /// The value's text as PostgreSQL's input function would receive it; nil for NULL.
    public var text: String? {
        switch self {
        case .null: return nil
        case .bool(let value): return value ? "true" : "false"
        case .number(let value): return value
        case .string(let value): return value
        }
    }

    public var description: String {
        switch self {
        case .null: return "NULL"
        case .string(let value): return SQL.literal(value)
        default: return text ?? "NULL"
        }
    }
}
