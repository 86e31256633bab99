/// Triggers as DDL.
extension SQLRenderer {
    /// `CREATE OR REPLACE TRIGGER` (PostgreSQL 14+): idempotent, and it replaces a changed trigger in place
    /// under the same SHARE ROW EXCLUSIVE lock that creating one takes. `table` is where to create it (a
    /// scratch copy goes elsewhere).
    public static func createTrigger(_ trigger: Trigger, on table: QualifiedName) -> String {
        var events: [String] = []
        for event in trigger.events {
            if event == .update, !trigger.updateColumns.isEmpty {
                events.append("UPDATE OF " + SQL.identifierList(trigger.updateColumns))
            } else {
                events.append(event.rawValue.uppercased())
            }
        }
        var text = "CREATE OR REPLACE TRIGGER \(SQL.identifier(trigger.name)) \(trigger.timing.sql) "
        text += events.joined(separator: " OR ") + " ON \(SQL.qualified(table))"
        text += trigger.forEachRow ? " FOR EACH ROW" : " FOR EACH STATEMENT"
        if let when = trigger.when { text += " WHEN (\(when))" }
        text += " EXECUTE FUNCTION \(SQL.qualified(trigger.function))("
        text += trigger.arguments.map(SQL.literal).joined(separator: ", ") + ")"
        return text
    }

    public static func dropTrigger(_ name: String, on table: QualifiedName) -> String {
        "DROP TRIGGER IF EXISTS \(SQL.identifier(name)) ON \(SQL.qualified(table))"
    }

    public static func commentOnTrigger(_ name: String, on table: QualifiedName, _ comment: String?) -> String {
        "COMMENT ON TRIGGER \(SQL.identifier(name)) ON \(SQL.qualified(table)) IS \(comment.map(SQL.literal) ?? "NULL")"
    }
}
