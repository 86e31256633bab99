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

    /// `ALTER TRIGGER old ON t RENAME TO new`, run only while the old one exists and no trigger of the new name
    /// does (so it runs once).
    public static func renameTrigger(_ old: String, to new: String, on table: QualifiedName) -> String {
        func exists(_ name: String) -> String {
            "EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = \(regclass(table)) "
                + "AND tgname = \(SQL.literal(name)))"
        }
        return guarded(
            if: exists(old) + " AND NOT " + exists(new),
            "ALTER TRIGGER \(SQL.identifier(old)) ON \(SQL.qualified(table)) RENAME TO \(SQL.identifier(new))")
    }

    public static func commentOnTrigger(_ name: String, on table: QualifiedName, _ comment: String?) -> String {
        "COMMENT ON TRIGGER \(SQL.identifier(name)) ON \(SQL.qualified(table)) IS \(comment.map(SQL.literal) ?? "NULL")"
    }
}
