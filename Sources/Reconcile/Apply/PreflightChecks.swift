import PostgresClient
import ReconcileCore

/// Counts, before anything changes, the rows that would make a step fail: NULLs in a column becoming
/// NOT NULL, duplicates under a new unique key, rows violating a new check, orphans under a new foreign
/// key. A failing step is marked on the plan, and `--apply` refuses to start instead of failing halfway.
///
/// It also names the objects reconcile does not manage (views, foreign keys of other tables) that would
/// block a type change or a drop, instead of letting PostgreSQL fail halfway with "other objects depend on it".
///
/// Only steps on tables that already exist are checked (new tables are empty). A check reads the rows as the
/// plan's earlier steps will have left them (`ProjectedTables`): renamed, cast, backfilled. Each runs in its own
/// savepoint, so one that cannot run (it needs an identity column this plan adds) is simply skipped.
struct PreflightChecks {
    let connection: Connection

    func annotate(_ plan: Plan, live: Schema) throws -> Plan {
        var plan = plan
        let tables = live.tablesByName
        let dropped = Set(plan.steps.compactMap { step -> QualifiedName? in
            if case .dropTable(let name) = step.change.kind { return name }
            return nil
        })
        // Constraints this plan drops (directly, or with their column) no longer stand in the way. The
        // database still knows a renamed table by its old name when the checks run.
        var oldNames: [QualifiedName: QualifiedName] = [:]
        for step in plan.steps {
            if case .renameTable(let from, let to) = step.change.kind { oldNames[to] = from }
        }
        var droppedConstraints = Set<String>()
        func markDropped(_ table: QualifiedName, _ constraint: String) {
            for name in [table, oldNames[table]].compactMap({ $0 }) {
                droppedConstraints.insert("\(name.schema).\(name.name)/\(constraint)")
            }
        }
        for step in plan.steps {
            switch step.change.kind {
            case .dropConstraint(let table, let name, _):
                markDropped(table, name)
            case .dropColumn(let table, let column):
                for key in (tables[table] ?? oldNames[table].flatMap { tables[$0] })?.foreignKeys ?? [] where key.columns.contains(column) {
                    markDropped(table, key.name)
                }
            default: break
            }
        }
        var projected = ProjectedTables(live: live)
        for index in plan.steps.indices {
            let change = plan.steps[index].change
            defer { projected.apply(change) }
            if let (query, explain) = check(for: change, tables: projected),
               let count = try valuesInSavepoint(query)?.first.flatMap({ Int($0) }), count > 0 {
                plan.steps[index].preflightFailure = explain(count)
            } else if let query = dependents(of: change, tables: projected, dropped: dropped),
                      let rows = try valuesInSavepoint(query),
                      case let names = rows.compactMap({ row -> String? in
                          // Rows are "description<TAB>schema.table/constraint" (the key is empty for views).
                          let parts = row.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
                          return parts.count == 2 && droppedConstraints.contains(String(parts[1])) ? nil : String(parts[0])
                      }), !names.isEmpty {
                plan.steps[index].preflightFailure = "\(names.joined(separator: ", ")) depend\(names.count == 1 ? "s" : "") on it; reconcile does not manage \(names.count == 1 ? "it" : "them"): change or drop \(names.count == 1 ? "it" : "them") first"
            }
        }
        return plan
    }

    /// Objects outside reconcile's model that PostgreSQL would refuse to leave dangling.
    private func dependents(of change: Change, tables: ProjectedTables, dropped: Set<QualifiedName>) -> String? {
        let table: ProjectedTables.ProjectedTable
        var column: String?
        switch change.kind {
        case .alterColumnType(let name, let target, _, _, _), .dropColumn(let name, let target):
            // Dependencies are recorded against the live names, whatever earlier steps rename.
            guard let projected = tables[name], let live = projected.column(target)?.liveName else { return nil }
            table = projected
            column = live
        case .dropTable(let name):
            guard let projected = tables[name] else { return nil }
            table = projected
        default:
            return nil
        }
        let relation = SQLRenderer.regclass(table.liveName)
        let columnFilter = column.map {
            " AND d.refobjsubid = (SELECT attnum FROM pg_catalog.pg_attribute WHERE attrelid = \(relation) AND attname = \(SQL.literal($0)))"
        } ?? ""
        var query = """
            SELECT DISTINCT CASE v.relkind WHEN 'm' THEN 'materialized view ' ELSE 'view ' END || v.oid::regclass::text || E'\\t'
            FROM pg_catalog.pg_depend d
            JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
            JOIN pg_catalog.pg_class v ON v.oid = r.ev_class
            WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass
              AND d.refobjid = \(relation) AND v.oid <> d.refobjid\(columnFilter)
            """
        if column == nil {
            let droppedTogether = dropped.map { SQLRenderer.regclass($0) }.joined(separator: ", ")
            query += """

                UNION
                SELECT 'foreign key ' || pg_catalog.quote_ident(con.conname) || ' of ' || con.conrelid::regclass::text
                       || E'\\t' || (SELECT pg_catalog.format('%s.%s', n.nspname, c.relname) FROM pg_catalog.pg_class c
                                     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = con.conrelid)
                       || '/' || con.conname
                FROM pg_catalog.pg_constraint con
                WHERE con.contype = 'f' AND con.confrelid = \(relation) AND con.conrelid <> con.confrelid
                  AND con.conrelid NOT IN (\(droppedTogether))
                """
        }
        return query + "\nORDER BY 1"
    }

    private func check(for change: Change, tables: ProjectedTables) -> (String, (Int) -> String)? {
        /// The table's rows as a FROM item, when the table and the columns exist by the time the step runs.
        func existing(_ table: QualifiedName, _ columns: [String], as alias: String = "t") -> String? {
            guard let table = tables[table], columns.allSatisfy({ table.column($0) != nil }) else { return nil }
            return table.relation(as: alias)
        }
        func rows(_ count: Int, _ singular: String, _ plural: String) -> String {
            count == 1 ? "1 row \(singular)" : "\(count) rows \(plural)"
        }
        switch change.kind {
        case .setNotNull(let table, let column, nil, _):
            guard let source = existing(table, [column]) else { return nil }
            return ("SELECT count(*) FROM \(source) WHERE \(SQL.identifier(column)) IS NULL",
                    { "\(rows($0, "holds", "hold")) NULL in \(SQL.displayIdentifier(column)); add `backfill: <value>` to the column in the schema file, or fill them first" })
        case .addColumn(let table, let column)
            where !column.isNullable && column.defaultValue == nil && column.identity == nil && !column.isSerial && column.backfill == nil:
            guard let source = existing(table, []) else { return nil }
            return ("SELECT count(*) FROM \(source)",
                    { "the table has \($0 == 1 ? "1 row" : "\($0) rows") and the new NOT NULL column \(SQL.displayIdentifier(column.name)) has no default; add `default:` or `backfill:`" })
        case .addPrimaryKey(let table, let key):
            guard let source = existing(table, key.columns) else { return nil }
            let anyNull = key.columns.map { "\(SQL.identifier($0)) IS NULL" }.joined(separator: " OR ")
            return ("SELECT (SELECT count(*) FROM \(source) WHERE \(anyNull)) + (\(duplicates(source, key.columns)))",
                    { "\(rows($0, "has", "have")) NULL or duplicated values in (\(key.columns.joined(separator: ", "))): primary key \(SQL.displayIdentifier(key.name)) cannot be added" })
        case .addUnique(let table, let unique):
            guard let source = existing(table, unique.columns) else { return nil }
            return (duplicates(source, unique.columns),
                    { "\($0 == 1 ? "1 value of (\(unique.columns.joined(separator: ", "))) occurs" : "\($0) values of (\(unique.columns.joined(separator: ", "))) occur") more than once: unique constraint \(SQL.displayIdentifier(unique.name)) cannot be added" })
        case .addCheck(let table, let check):
            guard let source = existing(table, []) else { return nil }
            let expression = check.expression.hasPrefix("CHECK ") ? String(check.expression.dropFirst(6)) : "(\(check.expression))"
            return ("SELECT count(*) FROM \(source) WHERE NOT \(expression)",
                    { "\(rows($0, "violates", "violate")) check \(SQL.displayIdentifier(check.name))" })
        case .addForeignKey(let table, let key):
            guard let source = existing(table, key.columns),
                  let referenced = existing(key.referencedTable, key.referencedColumns, as: "r") else { return nil }
            let present = key.columns.map { "t.\(SQL.identifier($0)) IS NOT NULL" }.joined(separator: " AND ")
            let match = zip(key.columns, key.referencedColumns)
                .map { "r.\(SQL.identifier($1)) = t.\(SQL.identifier($0))" }.joined(separator: " AND ")
            let orphans = "NOT EXISTS (SELECT 1 FROM \(referenced) WHERE \(match))"
            return ("SELECT count(*) FROM \(source) WHERE \(present) AND \(orphans)",
                    { "\(rows($0, "references", "reference")) missing rows of \(key.referencedTable): foreign key \(SQL.displayIdentifier(key.name)) cannot be added" })
        default:
            return nil
        }
    }

    private func duplicates(_ source: String, _ columns: [String]) -> String {
        let list = SQL.identifierList(columns)
        let present = columns.map { "\(SQL.identifier($0)) IS NOT NULL" }.joined(separator: " AND ")
        return "SELECT count(*) FROM (SELECT 1 FROM \(source) WHERE \(present) GROUP BY \(list)"
            + " HAVING count(*) > 1) AS d"
    }

    /// The first column of every row, or nil when the check cannot run against the current schema.
    private func valuesInSavepoint(_ query: String) throws -> [String]? {
        try connection.query("SAVEPOINT reconcile_preflight")
        do {
            let values = try connection.query(query).rows.compactMap { $0.first ?? nil }
            try connection.query("RELEASE SAVEPOINT reconcile_preflight")
            return values
        } catch is PostgresError {
            try connection.query("ROLLBACK TO SAVEPOINT reconcile_preflight")
            try connection.query("RELEASE SAVEPOINT reconcile_preflight")
            return nil
        }
    }
}
