import PostgresClient
import ReconcileCore

/// Counts, before anything changes, the rows that would make a step fail: NULLs in a column becoming
/// NOT NULL, duplicates under a new unique key, rows violating a new check, orphans under a new foreign
/// key. A failing step is marked on the plan, and `--apply` refuses to start instead of failing halfway.
///
/// Only steps on tables that already exist are checked (new tables are empty); each check runs in its own
/// savepoint, so one that cannot run yet (it needs a column this plan adds) is simply skipped.
struct PreflightChecks {
    let connection: Connection

    func annotate(_ plan: Plan, live: Schema) throws -> Plan {
        var plan = plan
        let tables = live.tablesByName
        for index in plan.steps.indices {
            guard let (query, explain) = check(for: plan.steps[index].change, live: tables) else { continue }
            guard let count = try countInSavepoint(query), count > 0 else { continue }
            plan.steps[index].preflightFailure = explain(count)
        }
        return plan
    }

    private func check(for change: Change, live: [QualifiedName: Table]) -> (String, (Int) -> String)? {
        func existing(_ table: QualifiedName, _ columns: [String]) -> Table? {
            guard let table = live[table], columns.allSatisfy({ table.column($0) != nil }) else { return nil }
            return table
        }
        func rows(_ count: Int, _ singular: String, _ plural: String) -> String {
            count == 1 ? "1 row \(singular)" : "\(count) rows \(plural)"
        }
        switch change.kind {
        case .setNotNull(let table, let column, nil, _):
            guard existing(table, [column]) != nil else { return nil }
            return ("SELECT count(*) FROM \(SQL.qualified(table)) WHERE \(SQL.identifier(column)) IS NULL",
                    { "\(rows($0, "holds", "hold")) NULL in \(SQL.displayIdentifier(column)); add `backfill: <value>` to the column in the schema file, or fill them first" })
        case .addColumn(let table, let column)
            where !column.isNullable && column.defaultValue == nil && column.identity == nil && !column.isSerial && column.backfill == nil:
            guard existing(table, []) != nil else { return nil }
            return ("SELECT count(*) FROM \(SQL.qualified(table))",
                    { "the table has \($0 == 1 ? "1 row" : "\($0) rows") and the new NOT NULL column \(SQL.displayIdentifier(column.name)) has no default; add `default:` or `backfill:`" })
        case .addPrimaryKey(let table, let key):
            guard existing(table, key.columns) != nil else { return nil }
            let anyNull = key.columns.map { "\(SQL.identifier($0)) IS NULL" }.joined(separator: " OR ")
            return ("SELECT (SELECT count(*) FROM \(SQL.qualified(table)) WHERE \(anyNull)) + (\(duplicates(table, key.columns)))",
                    { "\(rows($0, "has", "have")) NULL or duplicated values in (\(key.columns.joined(separator: ", "))): primary key \(SQL.displayIdentifier(key.name)) cannot be added" })
        case .addUnique(let table, let unique):
            guard existing(table, unique.columns) != nil else { return nil }
            return (duplicates(table, unique.columns),
                    { "\($0 == 1 ? "1 value of (\(unique.columns.joined(separator: ", "))) occurs" : "\($0) values of (\(unique.columns.joined(separator: ", "))) occur") more than once: unique constraint \(SQL.displayIdentifier(unique.name)) cannot be added" })
        case .addCheck(let table, let check):
            guard existing(table, []) != nil else { return nil }
            let expression = check.expression.hasPrefix("CHECK ") ? String(check.expression.dropFirst(6)) : "(\(check.expression))"
            return ("SELECT count(*) FROM \(SQL.qualified(table)) WHERE NOT \(expression)",
                    { "\(rows($0, "violates", "violate")) check \(SQL.displayIdentifier(check.name))" })
        case .addForeignKey(let table, let key):
            guard existing(table, key.columns) != nil, existing(key.referencedTable, key.referencedColumns) != nil else { return nil }
            let present = key.columns.map { "t.\(SQL.identifier($0)) IS NOT NULL" }.joined(separator: " AND ")
            let match = zip(key.columns, key.referencedColumns)
                .map { "r.\(SQL.identifier($1)) = t.\(SQL.identifier($0))" }.joined(separator: " AND ")
            return ("SELECT count(*) FROM \(SQL.qualified(table)) t WHERE \(present) AND NOT EXISTS (SELECT 1 FROM \(SQL.qualified(key.referencedTable)) r WHERE \(match))",
                    { "\(rows($0, "references", "reference")) missing rows of \(key.referencedTable): foreign key \(SQL.displayIdentifier(key.name)) cannot be added" })
        default:
            return nil
        }
    }

    private func duplicates(_ table: QualifiedName, _ columns: [String]) -> String {
        let list = SQL.identifierList(columns)
        let present = columns.map { "\(SQL.identifier($0)) IS NOT NULL" }.joined(separator: " AND ")
        return "SELECT count(*) FROM (SELECT 1 FROM \(SQL.qualified(table)) WHERE \(present) GROUP BY \(list) HAVING count(*) > 1) AS d"
    }

    /// The count, or nil when the check cannot run against the current schema.
    private func countInSavepoint(_ query: String) throws -> Int? {
        try connection.query("SAVEPOINT reconcile_preflight")
        do {
            let value: String? = try connection.query(query).rows.first?.first ?? nil
            let count = value.flatMap { Int($0) }
            try connection.query("RELEASE SAVEPOINT reconcile_preflight")
            return count
        } catch is PostgresError {
            try connection.query("ROLLBACK TO SAVEPOINT reconcile_preflight")
            try connection.query("RELEASE SAVEPOINT reconcile_preflight")
            return nil
        }
    }
}
