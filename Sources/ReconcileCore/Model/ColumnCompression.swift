/// `SET COMPRESSION` (PostgreSQL 14+): the method that compresses a column's long values. Without one, a
/// column uses `default_toast_compression` when a value is stored.
public enum ColumnCompression: String, Hashable, Sendable, Codable, CaseIterable {
    case pglz, lz4

    /// `pg_attribute.attcompression` ('' is the default, not a method).
    public init?(catalogCode: String) {
        switch catalogCode {
        case "p": self = .pglz
        case "l": self = .lz4
        default: return nil
        }
    }
}
