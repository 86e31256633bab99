import PostgresClient
import ReconcileCore

/// Introspect → canonicalise → inspect seeds → diff → plan, inside whatever transaction the caller opened.
struct PlanBuilder {
    let connection: Connection

    struct Result {
        let plan: Plan
        let live: Schema
        let canonical: Schema
    }

    /// `canonical` may be passed in to skip canonicalising again (the declared schema has not changed).
    func build(desired: Schema, allowDestructive: Bool, canonical known: Schema? = nil) throws -> Result {
        do {
            // Tables renamed from another schema are read there too (without managing that schema).
            let renamedFrom = desired.tables.compactMap(\.renamedFrom?.schema)
            let live = try Introspector(connection: connection).liveSchema(schemas: Array(Set(desired.schemaNames + renamedFrom)).sorted())
            let canonical = try known ?? Canonicalizer(connection: connection, live: live).canonicalize(desired)
            let seedStates = try SeedInspector(connection: connection).states(desired: desired, canonical: canonical, live: live)
            let changes = Differ(desired: desired, canonical: canonical, live: live, seedStates: seedStates).changes()
            let plan = try PreflightChecks(connection: connection)
                .annotate(Planner.plan(changes, allowDestructive: allowDestructive), live: live)
            return Result(plan: plan, live: live, canonical: canonical)
        } catch let failure as Canonicalizer.Failure {
            throw ReconcileError.invalidDefinition(subject: failure.subject, statement: failure.statement, failure.error)
        } catch let error as PostgresError {
            throw ReconcileError.introspection(error)
        }
    }
}
