/// How a declared seeded row compares with the live table, as the introspector found it.
public enum SeedRowState: Hashable, Sendable, Codable {
    case missing
    case matches
    /// The row exists but these declared columns hold other values.
    case differs(columns: [String])
}
