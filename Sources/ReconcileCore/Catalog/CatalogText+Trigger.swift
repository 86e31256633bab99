extension CatalogText {
    /// The condition of a trigger as `pg_get_triggerdef` prints it (`... FOR EACH ROW WHEN (<condition>)
    /// EXECUTE FUNCTION ...`), without the parentheses WHEN puts around it; nil when there is none.
    public static func triggerCondition(_ definition: String) -> String? {
        // Right after the level, where it stands: a name, a column or an argument cannot be mistaken for it.
        guard let level = definition.range(of: " FOR EACH ") else { return nil }
        let rest = definition[level.upperBound...]
        for prefix in ["ROW WHEN ", "STATEMENT WHEN "] where rest.hasPrefix(prefix) {
            return SQLScanning.parenthesized(rest.dropFirst(prefix.count)).map { String($0.0) }
        }
        return nil
    }
}
