import Foundation
@_exported import PostgresClient
@_exported import ReconcileCore

/// The one entry point for plan, apply, check, export and validate: load the schema file, connect,
/// introspect, diff, plan, and then print or execute. The CLI, the tests and any embedding all drive this same path.
public final class Reconciler {
    public let options: ReconcileOptions
    private let session: Session

    public init(options: ReconcileOptions) {
        self.options = options
        session = Session(options: options)
    }

    public struct PlanResult: Sendable {
        public var plan: Plan
        /// Catalog statements the plan needed: constant in the number of tables.
        public var statementCount: Int
        /// What the plan was computed from (when asked for): recorded by `--plan --out`, checked by
        /// `--apply --plan-file`.
        public var state: PlanDocument.SavedState?
    }

    public struct CheckResult: Sendable {
        /// Every difference between database and file, destructive ones included.
        public var drift: [PlanStep]
        public var unmanagedTables: [QualifiedName]
        /// What the database has that the file cannot declare and the check therefore did not compare (a
        /// partition's own primary key, index, check or default), as `table: what` texts.
        public var notCompared: [String] = []
        public var inSync: Bool { drift.isEmpty }
    }

    /// Loads and validates the schema file, keeping only the tables `--include`/`--exclude` manage;
    /// touches no database (`--validate`).
    public func loadSchema() throws -> Schema { try Self.loadSchema(options) }

    static func loadSchema(_ options: ReconcileOptions) throws -> Schema {
        do {
            return options.filter.apply(try SchemaLoader.load(path: options.schemaPath))
        } catch let error as SchemaLoadError {
            throw ReconcileError.invalidSchema(error)
        }
    }

    /// Loads the schema file on another core while this one reads the catalog: the two are independent
    /// until the diff, and each is a good part of a `--check`. A schema-file error still wins over a
    /// database error, as if the file had been read first.
    private func withSchemaLoadedAlongside<T>(
        _ body: (Connection, _ desired: () throws -> Schema) throws -> T
    ) throws -> T {
        let load = BackgroundLoad { [options] in try Self.loadSchema(options) }
        let connection: Connection
        do {
            connection = try session.connect()
        } catch {
            _ = try load.wait()
            throw error
        }
        return try body(connection) { try load.wait() }
    }

    /// SHA-256 of the schema file's bytes (of a schema folder's files), as saved plans record it.
    public func schemaFingerprint() throws -> String {
        do {
            return try SchemaLoader.fingerprint(path: options.schemaPath)
        } catch let error as SchemaLoadError {
            throw ReconcileError.invalidSchema(error)
        }
    }

    /// What `--apply` would do now. Reads only, in a snapshot transaction that is always rolled back.
    public func plan(recordingState: Bool = false) throws -> PlanResult {
        let schemaFingerprint = recordingState ? try schemaFingerprint() : ""
        let built = try withSchemaLoadedAlongside { connection, desired in
            try session.withTimeout(connection) { _ in
                try session.diagnosingLocks(connection) {
                    try session.inRolledBackSnapshot(connection) {
                        let prefetched = try prefetchLive(connection)
                        let schema = try desired()
                        let built = try builder(connection, online: options.online).build(
                            desired: schema, allowDestructive: options.allowDestructive,
                            validateNewTables: true, prefetched: prefetched)
                        return (built, try notModelled(connection, schemas: schema.schemaNames))
                    }
                }
            }
        }
        let state =
            recordingState
            ? PlanDocument.SavedState(
                databaseSha256: built.0.databaseFingerprint, schemaSha256: schemaFingerprint,
                schemaPath: options.schemaPath, allowDestructive: options.allowDestructive, online: options.online,
                allowRewrites: options.allowRewrites)
            : nil
        var plan = built.0.plan
        plan.notModelled = built.1
        return PlanResult(plan: plan, statementCount: session.statementsSent, state: state)
    }

    /// The plan against an empty database, with no database at all (`--plan --offline`): for code review
    /// where no server is reachable. Types and expressions are not checked by a server.
    public func offlinePlan() throws -> Plan {
        let desired = try loadSchema()
        let plan = Planner.plan(
            Differ(desired: desired, live: Schema()).changes(), allowDestructive: options.allowDestructive)
        return options.online ? OnlinePlanner.online(plan, live: Schema(), allowRewrites: options.allowRewrites) : plan
    }

    /// Drift between database and file, for cron: destructive differences count too.
    public func check() throws -> CheckResult {
        let (plan, notCompared) = try withSchemaLoadedAlongside { connection, desired in
            try session.withTimeout(connection) { _ in
                try session.diagnosingLocks(connection) {
                    try session.inRolledBackSnapshot(connection) {
                        let prefetched = try prefetchLive(connection)
                        let schema = try desired()
                        let built = try builder(connection).build(
                            desired: schema, allowDestructive: true,
                            prefetched: prefetched)
                        // Declared tables only: an undeclared one is drift of its own.
                        let declared = Set(schema.tables.map(\.name))
                        let keys = built.live.tables.filter { declared.contains($0.name) }.flatMap { table in
                            table.notComparable.map { "\(table.name): \($0), which the file cannot declare" }
                        }
                        return (built.plan, try Exporter.partitionsOwnObjects(connection, of: schema) + keys)
                    }
                }
            }
        }
        return CheckResult(drift: plan.differences, unmanagedTables: plan.unmanagedTables, notCompared: notCompared)
    }

    /// Makes the database match the file in one transaction, or changes nothing and throws why; with
    /// `options.online`, in phases whose steps commit one by one (see `OnlineApplier`).
    public func apply(progress: (ApplyEvent) -> Void = { _ in }) throws -> ApplyResult {
        let desired = try loadSchema()
        if options.online {
            return try session.applyingOnline { connection, deadline in
                try OnlineApplier(connection: connection, options: options, deadline: deadline).apply(
                    desired, progress: progress)
            }
        }
        return try session.retrying(progress) { connection, deadline in
            try Applier(connection: connection, options: options, deadline: deadline).apply(desired, progress: progress)
        }
    }

    /// Executes exactly a saved, reviewed plan (`--apply --plan-file`), or refuses if the database or the
    /// schema file changed since it was made.
    public func apply(savedPlan: PlanDocument, progress: (ApplyEvent) -> Void = { _ in }) throws -> ApplyResult {
        guard let state = savedPlan.state else {
            throw ReconcileError.stalePlan("the plan file has no recorded state; make it with --plan --out")
        }
        guard savedPlan.formatVersion == PlanDocument.currentFormatVersion else {
            throw ReconcileError.stalePlan(
                "the plan file has format version \(savedPlan.formatVersion); this reconcile writes \(PlanDocument.currentFormatVersion)"
            )
        }
        var options = self.options
        options.allowDestructive = state.allowDestructive
        options.online = state.online ?? false
        options.allowRewrites = state.allowRewrites ?? false
        guard try schemaFingerprint() == state.schemaSha256 else {
            throw ReconcileError.stalePlan("the schema file \(options.schemaPath) changed since the plan was made")
        }
        let desired = try loadSchema()
        if options.online {
            return try session.applyingOnline { connection, deadline in
                try OnlineApplier(connection: connection, options: options, deadline: deadline).apply(
                    desired, expected: savedPlan, progress: progress)
            }
        }
        return try session.retrying(progress) { connection, deadline in
            try Applier(connection: connection, options: options, deadline: deadline).apply(
                desired, expected: savedPlan, progress: progress)
        }
    }

    /// Objects reconcile does not model in these schemas, for `--plan` and `--export` to name.
    private func notModelled(_ connection: Connection, schemas: [String]) throws -> [String] {
        do {
            return try Introspector(connection: connection).notModelled(schemas: schemas)
        } catch let error as PostgresError {
            throw ReconcileError.introspection(error)
        }
    }

    /// Every user schema's catalog, read while the schema file loads.
    private func prefetchLive(_ connection: Connection) throws -> Schema {
        try session.withSnapshotPartner(connection) { partner in
            do {
                return try Introspector(connection: connection, partner: partner).liveSchema(schemas: nil)
            } catch let error as PostgresError {
                throw ReconcileError.introspection(error)
            }
        }
    }

    /// `online`: the plan's online form (`--plan --online`); a check compares states and never wants it.
    private func builder(_ connection: Connection, online: Bool = false) -> PlanBuilder {
        PlanBuilder(
            connection: connection, filter: options.filter, online: online, allowRewrites: options.allowRewrites)
    }

    /// The live database as a schema file (`--export`). `schemas` nil means every user schema; `--include`
    /// and `--exclude` (`options.filter`) choose the tables, as for plan and check.
    public func export(schemas: [String]?, seedTables: [QualifiedName]) throws -> String {
        let schema = try exportedSchema(schemas: schemas, seedTables: seedTables)
        return SchemaWriter.yaml(schema, header: Self.exportHeader + exportNote)
    }

    /// What the last export could not write: objects reconcile does not model, as `kind name`. The CLI warns
    /// about them; the exported file names them in its header.
    public private(set) var exportNotModelled: [String] = []

    private var exportNote: String {
        guard !exportNotModelled.isEmpty else { return "" }
        return "\nThis file does not rebuild these objects, which reconcile does not model; "
            + "create them by other means:\n" + exportNotModelled.map { "  \($0)" }.joined(separator: "\n")
    }

    /// `--export --split`: the same, as a schema folder with one file per table (see `SchemaFolderWriter`).
    /// Returns the files written, relative to `folder`.
    public func export(schemas: [String]?, seedTables: [QualifiedName], splitInto folder: String) throws -> [String] {
        let schema = try exportedSchema(schemas: schemas, seedTables: seedTables)
        let files = SchemaFolderWriter.files(
            schema,
            header: Self.exportHeader + exportNote + "\n"
                + "The folder is one schema: every *.yaml in it is read by --schema \(folder); one file per table.")
        do {
            try SchemaFolderWriter.write(files, to: folder)
        } catch let refusal as SchemaFolderWriter.Refusal {
            throw ReconcileError.cannotWriteExport(refusal.description)
        } catch {
            throw ReconcileError.cannotWriteExport("cannot write into \(folder): \(error.localizedDescription)")
        }
        return files.map(\.path)
    }

    private static let exportHeader =
        "Exported by reconcile --export. This file now declares the database:\n"
        + "edit it, review changes with --plan, deploy them with --apply."

    private func exportedSchema(schemas: [String]?, seedTables: [QualifiedName]) throws -> Schema {
        let connection = try session.connect()
        return try session.diagnosingLocks(connection) {
            try session.inRolledBackSnapshot(connection) { () throws -> Schema in try exportSchema(connection) }
        }

        func exportSchema(_ connection: Connection) throws -> Schema {
            do {
                // Fixed output settings: the same database exports the same text from any client.
                try connection.query("SET LOCAL TimeZone = 'UTC'")
                try connection.query("SET LOCAL DateStyle = 'ISO, MDY'")
                try connection.query("SET LOCAL IntervalStyle = 'postgres'")
                try connection.query("SET LOCAL extra_float_digits = 1")
                let exported = try Exporter(connection: connection).export(
                    schemas: schemas, filter: options.filter,
                    seedTables: seedTables)
                exportNotModelled = try Introspector(connection: connection).notModelled(
                    schemas: exported.schemaNames)
                return exported
            } catch let error as PostgresError {
                throw ReconcileError.introspection(error)
            } catch let refused as Exporter.Refused {
                throw ReconcileError.cannotExport(refused.refusals)
            }
        }
    }

    /// Statements (round trips) sent to the server so far by this reconciler.
    public var statementsSent: Int { session.statementsSent }

    /// Where this run connects, without the password.
    public var target: String { session.target }

}

/// A value computed on another thread; `wait()` returns it or rethrows its error.
final class BackgroundLoad<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<Value, Error>?

    init(_ work: @escaping @Sendable () throws -> Value) {
        Thread.detachNewThread { [self] in
            result = Result { try work() }
            done.signal()
        }
    }

    func wait() throws -> Value {
        done.wait()
        done.signal()  // later waits return at once
        return try result!.get()
    }
}
