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
            let live = try Introspector(connection: connection).liveSchema(schemas: desired.schemaNames)
            let canonical = try known ?? Canonicalizer(connection: connection).canonicalize(desired)
            let seedStates = try SeedInspector(connection: connection).states(desired: desired, canonical: canonical, live: live)
            let changes = Differ(desired: desired, canonical: canonical, live: live, seedStates: seedStates).changes()
            return Result(plan: Planner.plan(changes, allowDestructive: allowDestructive), live: live, canonical: canonical)
        } catch let failure as Canonicalizer.Failure {
            throw ReconcileError.invalidDefinition(table: failure.table, statement: failure.statement, failure.error)
        } catch let error as PostgresError {
            throw ReconcileError.introspection(error)
        }
    }
}
