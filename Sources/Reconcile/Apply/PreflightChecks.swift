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
        let dropped = Set(
            plan.steps.compactMap { step -> QualifiedName? in
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
            // A view the plan drops before the change (to create it again after, or for good) is out of the way.
            if case .view(.dropView(let view, _)) = step.change.kind {
                droppedConstraints.insert("\(view.name.schema).\(view.name.name)")
            }
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
                let dependents = try dependentsInSavepoint(query),
                case let names = dependents.filter({ !droppedConstraints.contains($0.constraint ?? "") })
                    .map(\.description),
                !names.isEmpty
            {
                let them = names.count == 1 ? "it" : "them"
                plan.steps[index].preflightFailure =
                    "\(names.joined(separator: ", ")) depend\(names.count == 1 ? "s" : "") "
                    + "on it; reconcile does not manage \(them): change or drop \(them) first"
            }
        }
        return plan
    }

    /// Objects outside reconcile's model that PostgreSQL would refuse to leave dangling.
    private func dependentsQuery(
        _ target: DependentsProbe, _ tables: ProjectedTables,
        _ dropped: Set<QualifiedName>
    ) -> String? {
        // Dependencies are recorded against the live names, whatever earlier steps rename.
        guard let projected = tables[target.table] else { return nil }
        var column: String?
        if let name = target.column {
            guard let live = projected.column(name)?.liveName else { return nil }
            column = live
        }
        return CatalogQueries.dependents(
            of: SQLRenderer.regclass(projected.liveName), column: column,
            droppedTogether: dropped.map { SQLRenderer.regclass($0) })
    }

    /// The explanation of the probe's first question whose count is above zero.
    private func firstFailure(_ probe: PreflightProbe) throws -> String? {
        for question in probe.questions {
            if let count = try inSavepoint(question.query)?.rows.first?.first.flatMap({ $0.flatMap { Int($0) } }),
                count > 0
            {
                return question.explain(count)
            }
        }
        return nil
    }

    /// An object outside reconcile's model that depends on a table or column.
    struct Dependent {
        /// `view public.v`, `foreign key fk of public.t`.
        let description: String
        /// A foreign key as `schema.table/constraint`, a view as `schema.view`, so one the same plan drops is not
        /// counted.
        let constraint: String?
    }

    /// The dependents a `CatalogQueries.dependents` query finds, or nil when the query cannot run.
    private func dependentsInSavepoint(_ query: String) throws -> [Dependent]? {
        try inSavepoint(query)?.namedRows.compactMap { row -> Dependent? in
            row["description"].map { Dependent(description: $0, constraint: row["constraint_key"]) }
        }
    }

    /// A query's rows, or nil when it cannot run against the current schema (its savepoint rolls back).
    private func inSavepoint(_ query: String) throws -> QueryResult? {
        try connection.query("SAVEPOINT reconcile_preflight")
        do {
            let values = try connection.query(query)
            try connection.query("RELEASE SAVEPOINT reconcile_preflight")
            return values
        } catch is PostgresError {
            try connection.query("ROLLBACK TO SAVEPOINT reconcile_preflight")
            try connection.query("RELEASE SAVEPOINT reconcile_preflight")
            return nil
        }
    }
}
