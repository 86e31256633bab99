import PostgresClient
import ReconcileCore

/// Introspect → canonicalise → inspect seeds → diff → plan, inside whatever transaction the caller opened.
struct PlanBuilder {
    let connection: Connection
    var filter: TableFilter = .everything
    /// Make the online form of the plan (`--online`), refusing table rewrites unless `allowRewrites`.
    var online = false
    var allowRewrites = false

    struct Result {
        let plan: Plan
        let live: Schema
        let canonical: Schema
        let seedStates: [QualifiedName: [SeedRowState]]
        let desired: Schema

        /// SHA-256 of everything the plan was computed from on the database side, for saved plans. Computed
        /// on demand: describing a large schema is not free, and only saved plans need it.
        var databaseFingerprint: String {
            PlanBuilder.fingerprint(live: live, seedStates: seedStates, desired: desired)
        }
    }

    /// `canonical` may be passed in to skip canonicalising again (the declared schema has not changed).
    /// `validateNewTables`: also have the server check tables that do not exist yet (for `--plan`).
    /// `prefetched`: every user schema, read before the schema file was loaded (to overlap the two).
    func build(
        desired: Schema, allowDestructive: Bool, canonical known: Schema? = nil, validateNewTables: Bool = false,
        prefetched: Schema? = nil
    ) throws -> Result {
        do {
            // Tables renamed from another schema are read there too (without managing that schema).
            let renamedFrom = desired.tables.compactMap(\.renamedFrom?.schema)
            let needed = Array(Set(desired.schemaNames + renamedFrom)).sorted()
            let introspected =
                try prefetched?.restricted(to: Set(needed))
                ?? Introspector(connection: connection).liveSchema(schemas: needed)
            let live = filter.apply(introspected)
            let canonical =
                try known
                ?? Canonicalizer(connection: connection, live: live).canonicalize(
                    desired, validateNewTables: validateNewTables)
            let seedStates = try SeedInspector(connection: connection).states(
                desired: desired, canonical: canonical, live: live)
            let changes = Differ(desired: desired, canonical: canonical, live: live, seedStates: seedStates).changes()
            var plan = try PreflightChecks(connection: connection)
                .annotate(Planner.plan(changes, allowDestructive: allowDestructive), live: live)
            let estimates = Dictionary(
                live.tables.compactMap { table in table.estimatedRows.map { (table.name, $0) } },
                uniquingKeysWith: { a, _ in a })
            for index in plan.steps.indices {
                plan.steps[index].estimatedRows = plan.steps[index].change.table.flatMap { estimates[$0] }
            }
            for index in plan.blocked.indices {
                plan.blocked[index].estimatedRows = plan.blocked[index].change.table.flatMap { estimates[$0] }
            }
            if online { plan = OnlinePlanner.online(plan, live: live, allowRewrites: allowRewrites) }
            return Result(plan: plan, live: live, canonical: canonical, seedStates: seedStates, desired: desired)

        } catch let failure as Canonicalizer.Failure {
            throw ReconcileError.invalidDefinition(
                subject: failure.subject, statement: failure.statement, failure.error)
        } catch let error as PostgresError {
            throw ReconcileError.introspection(error)
        }
    }

    /// The live state, fingerprinted (see `StateFingerprint`). Row estimates are left out: autovacuum
    /// changes them all the time. Only what the plan depends on counts: an insert-missing row someone edited
    /// later is still "present".
    static func fingerprint(live: Schema, seedStates: [QualifiedName: [SeedRowState]], desired: Schema) -> String {
        var stable = live
        for index in stable.tables.indices { stable.tables[index].estimatedRows = nil }
        let modes = Dictionary(
            desired.tables.compactMap { table in table.seed.map { (table.name, $0.mode) } },
            uniquingKeysWith: { a, _ in a })
        let seeds = Dictionary(
            uniqueKeysWithValues: seedStates.map { name, states in
                (
                    name,
                    states.map { state -> SeedRowState in
                        if case .differs = state, modes[name] != .enforce { return .matches }
                        return state
                    }
                )
            })
        return StateFingerprint.of(stable, seeds: seeds)
    }
}
