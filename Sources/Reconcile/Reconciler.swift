@_exported import PostgresClient
@_exported import ReconcileCore
import ReconcileCore

/// The one entry point for plan, apply and check: load the schema file, connect, introspect, diff, plan,
/// and then print or execute. The CLI, the tests and any embedding all drive this same path.
public final class Reconciler {
    public let options: ReconcileOptions
    private var connection: Connection?

    public init(options: ReconcileOptions) { self.options = options }

    public struct PlanResult: Sendable {
        public var plan: Plan
        /// Catalog statements the plan needed: constant in the number of tables.
        public var statementCount: Int
    }

    public struct CheckResult: Sendable {
        /// Every difference between database and file, destructive ones included.
        public var drift: [PlanStep]
        public var unmanagedTables: [QualifiedName]
        public var inSync: Bool { drift.isEmpty }
    }

    /// Loads and validates the schema file; touches no database.
    public func loadSchema() throws -> Schema {
        do {
            return try SchemaLoader.load(path: options.schemaPath)
        } catch let error as SchemaLoadError {
            throw ReconcileError.invalidSchema(error)
        }
    }

    /// What `--apply` would do now. Reads only, in a snapshot transaction that is always rolled back.
    public func plan() throws -> PlanResult {
        let desired = try loadSchema()
        let connection = try connect()
        let before = connection.statementCount
        let plan = try inRolledBackSnapshot(connection) {
            try PlanBuilder(connection: connection).build(desired: desired, allowDestructive: options.allowDestructive).plan
        }
        return PlanResult(plan: plan, statementCount: connection.statementCount - before)
    }

    /// Drift between database and file, for cron: destructive differences count too.
    public func check() throws -> CheckResult {
        let desired = try loadSchema()
        let connection = try connect()
        let plan = try inRolledBackSnapshot(connection) {
            try PlanBuilder(connection: connection).build(desired: desired, allowDestructive: true).plan
        }
        return CheckResult(drift: plan.steps + plan.blocked, unmanagedTables: plan.unmanagedTables)
    }

    /// Makes the database match the file in one transaction, or changes nothing and throws why.
    public func apply(progress: (ApplyEvent) -> Void = { _ in }) throws -> ApplyResult {
        let desired = try loadSchema()
        let connection = try connect()
        return try Applier(connection: connection, options: options).apply(desired, progress: progress)
    }

    /// The live database as a schema file (`--export`). `schemas` nil means every user schema.
    public func export(schemas: [String]?, seedTables: [QualifiedName]) throws -> String {
        let connection = try connect()
        let schema = try inRolledBackSnapshot(connection) { () throws -> Schema in
            do {
                return try Exporter(connection: connection).export(schemas: schemas, seedTables: seedTables)
            } catch let error as PostgresError {
                throw ReconcileError.introspection(error)
            } catch let error as Exporter.Unsupported {
                throw ReconcileError.cannotExport(error.description)
            }
        }
        return SchemaWriter.yaml(schema, header: "Exported by reconcile --export. This file now declares the database:\nedit it, review changes with --plan, deploy them with --apply.")
    }

    /// Statements (round trips) sent to the server so far by this reconciler.
    public var statementsSent: Int { connection?.statementCount ?? 0 }

    /// Where this run connects, without the password.
    public var target: String { options.connection.redactedDescription }

    private func connect() throws -> Connection {
        if let connection { return connection }
        do {
            let connection = try Connection(options.connection)
            self.connection = connection
            return connection
        } catch let error as PostgresError {
            throw ReconcileError.connection(target: target, error)
        }
    }

    private func inRolledBackSnapshot<T>(_ connection: Connection, _ body: () throws -> T) throws -> T {
        do {
            // Repeatable read: every catalog query sees one consistent snapshot. Not READ ONLY, because
            // canonicalisation creates temporary tables; the transaction is always rolled back.
            try connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ")
        } catch let error as PostgresError {
            throw ReconcileError.introspection(error)
        }
        defer { _ = try? connection.query("ROLLBACK") }
        return try body()
    }
}
