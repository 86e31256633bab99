/// `SET STORAGE`: how PostgreSQL stores a column's long values (inline or in the TOAST table, compressed or
/// not). Each type has its default (`pg_type.typstorage`); a column declares only a different one.
public enum ColumnStorage: String, Hashable, Sendable, Codable, CaseIterable {
    case plain, external, extended, main

    /// `pg_attribute.attstorage` / `pg_type.typstorage`.
    public init?(catalogCode: String) {
        switch catalogCode {
        case "p": self = .plain
        case "e": self = .external
        case "x": self = .extended
        case "m": self = .main
        default: return nil
        }
    }

    public var sql: String { rawValue.uppercased() }
}
