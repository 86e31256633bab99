import Foundation

/// One run's connection and the rules it runs under: one connection, opened on first use; `--timeout`
/// counted from the start of the run; the rolled-back snapshot transaction that plan, check and export read in;
/// retries of transient failures; and, after a lock timeout, the names of those holding the locks. Kept apart
/// from `Reconciler`, which decides what a run does.
final class Session {
    let options: ReconcileOptions
    private var connection: Connection?

    /// When the run started: `--timeout` counts from here, connecting included.
    private let started = Date()

    init(options: ReconcileOptions) { self.options = options }

    /// Statements (round trips) sent to the server so far, a snapshot partner's included.
    var statementsSent: Int { (connection?.statementCount ?? 0) + partnerStatements }
    private var partnerStatements = 0

    /// Connections besides the main one that `--timeout` cancels too (a snapshot partner's).
    private let otherConnections = CancellerSet()

    /// Where this run connects, without the password.
    var target: String { options.connection.redactedDescription }

    func connect() throws -> Connection {
        if let connection { return connection }
        do {
            let connection = try Connection(options.connection)
            self.connection = connection
            return connection
        } catch let error as PostgresError {
            throw ReconcileError.connection(target: target, error)
        }
    }

    /// Runs `body` in one snapshot of the database, then rolls back whatever it did (scratch tables).
    func inRolledBackSnapshot<T>(_ connection: Connection, _ body: () throws -> T) throws -> T {
        do {
            // Repeatable read: every catalog query sees one consistent snapshot. Not READ ONLY, because
            // canonicalisation creates temporary tables; the transaction is always rolled back.
            try connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ")
            // The catalog queries are cheap; JIT compiling them (its row estimates are far off) is not.
            try connection.query("SET LOCAL jit = off")
            // Deparsing a check or an index opens its table, which waits behind an ACCESS EXCLUSIVE lock (a long
            // migration, VACUUM FULL, a stuck transaction): reads are bounded by --lock-timeout too, so a cron
            // --check fails and names the holder instead of hanging.
            if options.lockTimeout > 0 {
                try connection.query("SET LOCAL lock_timeout = \(Applier.milliseconds(options.lockTimeout))")
            }
        } catch let error as PostgresError {
            throw ReconcileError.introspection(error)
        }
        defer { _ = try? connection.query("ROLLBACK") }
        return try body()
    }

    /// Reads the catalog with `introspector`'s queries split between `connection` and a partner connection in
    /// the same snapshot (see `SnapshotPartner`); on one connection when `--single-connection` asks for it.
    /// Call it at the top level of the snapshot transaction (`inRolledBackSnapshot`), before any savepoint.
    func withSnapshotPartner<T>(_ connection: Connection, _ body: (SnapshotPartner?) throws -> T) throws -> T {
        guard !options.singleConnection else { return try body(nil) }
        let partner: SnapshotPartner
        do {
            partner = try SnapshotPartner(
                exportingFrom: connection, info: options.connection,
                lockTimeoutMs: Applier.milliseconds(options.lockTimeout), cancellers: otherConnections)
        } catch let error as PostgresError {
            throw ReconcileError.introspection(error)
        }
        defer { partnerStatements += partner.statementCount }
        return try body(partner)
    }

    /// `--timeout`: past the deadline, the running statement is cancelled, and the run ends with `.timedOut`.
    func withTimeout<T>(_ connection: Connection, _ body: (Date?) throws -> T) throws -> T {
        guard options.totalTimeout > 0, let canceller = connection.makeCanceller() else { return try body(nil) }
        let deadline = started.addingTimeInterval(options.totalTimeout)
        let watch = DispatchWorkItem { [otherConnections] in
            canceller.cancelRunningStatement()
            otherConnections.cancelAll()
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + max(0, deadline.timeIntervalSinceNow), execute: watch)
        defer { watch.cancel() }
        do {
            return try body(deadline)
        } catch {
            // An online step says itself what was committed before the statement was cancelled.
            switch error as? ReconcileError {
            case .onlineStepFailed, .onlineTimedOut, .onlineVerificationFailed: throw error
            default: break
            }
            if Date() >= deadline { throw ReconcileError.timedOut(seconds: options.totalTimeout) }
            throw error
        }
    }

    /// On a lock timeout, names who holds strong locks on tables (after the rollback, on the same connection).
    func diagnosingLocks<T>(_ connection: Connection, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ReconcileError where error.postgresError?.sqlState == .lockNotAvailable {
            if connection.transactionStatus != .idle { _ = try? connection.query("ROLLBACK") }
            let holders =
                (try? connection.query(CatalogQueries.strongTableLockHolders)
                    .rows.compactMap { $0.first ?? nil }) ?? []
            throw ReconcileError.lockNotGranted(error, holders: holders)
        }
    }

    /// Runs an online apply under `--timeout`; its steps retry on their own (`OnlineApplier`), the whole never.
    func applyingOnline(_ body: (Connection, Date?) throws -> ApplyResult) throws -> ApplyResult {
        let connection = try connect()
        return try withTimeout(connection) { deadline in
            try diagnosingLocks(connection) { try body(connection, deadline) }
        }
    }

    /// Runs an apply under `--timeout`, starting over after transient failures as `--retries` allows.
    func retrying(
        _ progress: (ApplyEvent) -> Void, _ body: (Connection, Date?) throws -> ApplyResult
    ) throws -> ApplyResult {
        let connection = try connect()
        return try self.withTimeout(connection) { deadline in
            var attempt = 0
            while true {
                do {
                    return try self.diagnosingLocks(connection) { try body(connection, deadline) }
                } catch let error as ReconcileError {
                    guard attempt < options.retries, let reason = error.transientReason else { throw error }
                    attempt += 1
                    let delay = min(options.retryDelay * pow(2, Double(attempt - 1)), 30)
                    if let deadline, Date().addingTimeInterval(delay) > deadline { throw error }
                    progress(.retrying(attempt: attempt, of: options.retries, afterSeconds: delay, reason: reason))
                    Thread.sleep(forTimeInterval: delay)
                }
            }
        }
    }
}
