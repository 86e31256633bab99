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
            let renames = Differ.pendingRenames(desired: desired, live: live)
            var (plan, canonical, seedStates) =
                try renames.isEmpty
                ? diff(desired, live: live, canonical: known, validateNewTables, allowDestructive)
                : afterRenames(
                    renames, desired, live: live, needed: needed, canonical: known, validateNewTables, allowDestructive)
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

    /// Canonicalise, inspect seeds, diff and plan against `live`; `renames` have been made already.
    /// `canonicalizingWith`: the live state the server holds, where `live` differs from it (renames made in
    /// the model only).
    private func diff(
        _ desired: Schema, live: Schema, canonical known: Schema?, _ validateNewTables: Bool,
        _ allowDestructive: Bool, renames: PendingRenames = PendingRenames(),
        canonicalizingWith serverLive: Schema? = nil
    ) throws -> (Plan, Schema, [QualifiedName: [SeedRowState]]) {
        let canonical =
            try known
            ?? Canonicalizer(connection: connection, live: serverLive ?? live).canonicalize(
                desired, validateNewTables: validateNewTables)
        let seedStates = try SeedInspector(connection: connection).states(
            desired: desired, canonical: canonical, live: live)
        let changes = Differ(
            desired: desired, canonical: canonical, live: live, seedStates: seedStates, renames: renames
        ).changes()
        let plan = try PreflightChecks(connection: connection)
            .annotate(Planner.plan(changes, allowDestructive: allowDestructive), live: live)
        return (plan, canonical, seedStates)
    }

    /// Routines `renamed_from` a live one: renamed in a savepoint, the catalog read again, and the plan made
    /// against that state, so the checks, defaults, indexes and triggers that use them compare as the server
    /// prints them after the rename; then rolled back (the plan's first steps make the renames). A role that
    /// may not rename them (a read-only `--check`) gets the routines renamed in the model only.
    private func afterRenames(
        _ renames: PendingRenames, _ desired: Schema, live: Schema, needed: [String], canonical known: Schema?,
        _ validateNewTables: Bool, _ allowDestructive: Bool
    ) throws -> (Plan, Schema, [QualifiedName: [SeedRowState]]) {
        try connection.query("SAVEPOINT reconcile_renames")
        defer {
            _ = try? connection.query("ROLLBACK TO SAVEPOINT reconcile_renames")
            _ = try? connection.query("RELEASE SAVEPOINT reconcile_renames")
        }
        do {
            for statement in renames.statements { try connection.query(statement) }
        } catch let error as PostgresError where error.sqlState == .insufficientPrivilege {
            try connection.query("ROLLBACK TO SAVEPOINT reconcile_renames")
            return try diff(
                desired, live: renames.applied(to: live), canonical: known, validateNewTables, allowDestructive,
                renames: renames, canonicalizingWith: live)
        }
        let reread = filter.apply(try Introspector(connection: connection).liveSchema(schemas: needed))
        return try diff(desired, live: reread, canonical: known, validateNewTables, allowDestructive, renames: renames)
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
