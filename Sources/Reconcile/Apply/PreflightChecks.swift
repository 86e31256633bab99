import PostgresClient
import ReconcileCore

/// Counts, before anything changes, the rows that would make a step fail: NULLs in a column becoming
/// NOT NULL, duplicates under a new unique key, rows violating a new check, orphans under a new foreign
/// key. A failing step is marked on the plan, and `--apply` refuses to start instead of failing halfway.
///
/// It also names the objects reconcile does not manage (views, foreign keys of other tables) that would
/// block a type change or a drop, instead of letting PostgreSQL fail halfway with "other objects depend on it".
///
/// Only steps on tables that already exist are checked (new tables are empty); each check runs in its own
/// savepoint, so one that cannot run yet (it needs a column this plan adds) is simply skipped.
struct PreflightChecks {
    let connection: Connection

    func annotate(_ plan: Plan, live: Schema) throws -> Plan {
        // In sync: nothing to check, and no projection of every table to build.
        guard !plan.steps.isEmpty else { return plan }
        var plan = plan
        let tables = live.tablesByName
        let dropped = Set(plan.steps.compactMap { step -> QualifiedName? in
            if case .table(.dropTable(let name)) = step.change.kind { return name }
            return nil
        })
        // Constraints this plan drops (directly, or with their column) no longer stand in the way. The
        // database still knows a renamed table by its old name when the checks run.
        var oldNames: [QualifiedName: QualifiedName] = [:]
        for step in plan.steps {
            if case .table(.renameTable(let from, let to)) = step.change.kind { oldNames[to] = from }
        }
        var droppedConstraints = Set<String>()
        func markDropped(_ table: QualifiedName, _ constraint: String) {
            for name in [table, oldNames[table]].compactMap({ $0 }) {
                droppedConstraints.insert("\(name.schema).\(name.name)/\(constraint)")
            }
        }
        for step in plan.steps {
            if case .constraint(.dropConstraint(let table, let name, _)) = step.change.kind { markDropped(table, name) }
            if case .column(.dropColumn(let table, let column)) = step.change.kind {
                let keys = (tables[table] ?? oldNames[table].flatMap { tables[$0] })?.foreignKeys ?? []
                for key in keys where key.columns.contains(column) { markDropped(table, key.name) }
            }
        }
        // Each step is checked against the rows as the steps before it leave them.
        var projected = ProjectedTables(live: live)
        for index in plan.steps.indices {
            let change = plan.steps[index].change
            defer { projected.apply(change) }
            if let probe = change.preflight(tables: projected), let failure = try firstFailure(probe) {
                plan.steps[index].preflightFailure = failure
            } else if let target = change.blockedByDependents, let query = dependentsQuery(target, projected, dropped),
                      let rows = try valuesInSavepoint(query),
                      case let names = rows.compactMap({ row -> String? in
                          // Rows are "description<TAB>schema.table/constraint" (the key is empty for views).
                          let parts = row.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
                          return parts.count == 2 && droppedConstraints.contains(String(parts[1])) ? nil : String(parts[0])
                      }), !names.isEmpty {
                let them = names.count == 1 ? "it" : "them"
                plan.steps[index].preflightFailure = "\(names.joined(separator: ", ")) depend\(names.count == 1 ? "s" : "") "
                    + "on it; reconcile does not manage \(them): change or drop \(them) first"
            }
        }
        return plan
    }

    /// Objects outside reconcile's model that PostgreSQL would refuse to leave dangling.
    private func dependentsQuery(_ target: DependentsProbe, _ tables: ProjectedTables,
                                 _ dropped: Set<QualifiedName>) -> String? {
        // Dependencies are recorded against the live names, whatever earlier steps rename.
        guard let projected = tables[target.table] else { return nil }
        var column: String?
        if let name = target.column {
            guard let live = projected.column(name)?.liveName else { return nil }
            column = live
        }
        let relation = SQLRenderer.regclass(projected.liveName)
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
                  -- A partition's copy of its parent's key goes with the parent's (conparentid names it).
                  AND con.conparentid = 0
                """
        }
        return query + "\nORDER BY 1"
    }

    /// The explanation of the probe's first question whose count is above zero.
    private func firstFailure(_ probe: PreflightProbe) throws -> String? {
        for question in probe.questions {
            if let count = try valuesInSavepoint(question.query)?.first.flatMap({ Int($0) }), count > 0 {
                return question.explain(count)
            }
        }
        return nil
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
