import Foundation
import PostgresClient
import ReconcileCore

/// A second connection that reads the catalog in the same snapshot as the main one, so that two server
/// processes deparse at once: the main transaction exports its snapshot (`pg_export_snapshot`), the partner
/// connects on a thread of its own and imports it (`SET TRANSACTION SNAPSHOT`), then runs the queries it is
/// given while the main connection runs the others. Both see exactly the same catalog state.
///
/// Optional by design: if the partner cannot connect or import the snapshot (a connection limit, a pooler that
/// does not pass the command on), `read` returns nil and the caller runs the queries itself, so a run never
/// fails for want of a second connection. Errors of the queries themselves are thrown as they are.
final class SnapshotPartner: @unchecked Sendable {
    private let info: ConnectionInfo
    private let snapshot: String
    private let lockTimeoutMs: Int
    private let cancellers: CancellerSet
    /// Statements the partner sent (read after `read` returns).
    private(set) var statementCount = 0
    private let lock = NSLock()
    private var running: Canceller?
    private var cancelled = false

    /// Exports `connection`'s snapshot; the connection must be at the top level of a REPEATABLE READ
    /// transaction that stays open until the partner is done.
    init(
        exportingFrom connection: Connection, info: ConnectionInfo, lockTimeoutMs: Int, cancellers: CancellerSet
    )
        throws
    {
        guard let id = try connection.query("SELECT pg_catalog.pg_export_snapshot()").rows.first?.first ?? nil else {
            throw PostgresError(kind: .server, message: "pg_export_snapshot returned no snapshot")
        }
        self.info = info
        snapshot = id
        self.lockTimeoutMs = lockTimeoutMs
        self.cancellers = cancellers
    }

    /// Runs the statements, in order, in the shared snapshot; nil when no partner connection could be set up.
    func read(_ statements: [(sql: String, parameters: [String?])]) throws -> [QueryResult]? {
        let connection: Connection
        do {
            connection = try Connection(info)
            try connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ")
            try connection.query("SET TRANSACTION SNAPSHOT \(SQL.literal(snapshot))")
            try connection.query("SET LOCAL jit = off")
            if lockTimeoutMs > 0 { try connection.query("SET LOCAL lock_timeout = \(lockTimeoutMs)") }
        } catch {
            return nil
        }
        defer { statementCount = connection.statementCount }
        let canceller = connection.makeCanceller()
        if let canceller { cancellers.insert(canceller) }
        defer { if let canceller { cancellers.remove(canceller) } }
        lock.withLock { running = canceller }
        defer { lock.withLock { running = nil } }
        if lock.withLock({ cancelled }) { throw PostgresError(kind: .server, message: "cancelled") }
        // Read-only, and the connection closes right after: no ROLLBACK round trip is needed.
        return try statements.map { try connection.query($0.sql, $0.parameters) }
    }

    /// Stops the partner's work (the main connection failed and its results are not wanted).
    func cancel() {
        lock.withLock {
            cancelled = true
            running?.cancelRunningStatement()
        }
    }
}

/// The cancellers of connections other than the main one, for `--timeout` to cancel them all at once.
final class CancellerSet: @unchecked Sendable {
    private let lock = NSLock()
    private var members: [ObjectIdentifier: Canceller] = [:]

    func insert(_ canceller: Canceller) { lock.withLock { members[ObjectIdentifier(canceller)] = canceller } }
    func remove(_ canceller: Canceller) {
        lock.withLock { _ = members.removeValue(forKey: ObjectIdentifier(canceller)) }
    }
    func cancelAll() { lock.withLock { members.values.forEach { $0.cancelRunningStatement() } } }
}
