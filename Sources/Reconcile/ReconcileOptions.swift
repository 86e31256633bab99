import PostgresClient
import ReconcileCore

/// What a run needs to know; the CLI fills it from flags, tests fill it directly.
public struct ReconcileOptions: Sendable {
    /// The schema file, or a folder of schema files (`--schema DIR`).
    public var schemaPath: String
    public var connection: ConnectionInfo
    /// Include drops of undeclared tables, columns, constraints and indexes.
    public var allowDestructive: Bool
    /// Seconds a step may wait for a table lock before the apply gives up (PostgreSQL `lock_timeout`).
    public var lockTimeout: Double
    /// Seconds a statement may run (PostgreSQL `statement_timeout`); 0 means no limit.
    public var statementTimeout: Double
    /// Seconds to wait for another `reconcile --apply` on the same database to finish.
    public var lockWait: Double
    /// `--include` / `--exclude`: the tables reconcile manages.
    public var filter: TableFilter
    /// `--retries`: how often `--apply` starts over after a transient failure (lock timeout, deadlock,
    /// serialization failure), waiting `retryDelay` seconds, doubled each time, in between.
    public var retries: Int
    public var retryDelay: Double
    /// `--timeout`: seconds the whole run may take; 0 means no limit.
    public var totalTimeout: Double
    /// `--online`: plan and apply in phases that take no long lock blocking writes (see `OnlinePlanner`), each
    /// step committed on its own and retried on a lock timeout (`retries` times, backoff from `retryDelay`).
    public var online = false
    /// `--allow-rewrites`: let `--online` run the steps that rewrite or scan a table under such a lock.
    public var allowRewrites = false
    /// `--single-connection`: read the catalog on one connection instead of two sharing a snapshot.
    public var singleConnection = false

    public init(
        schemaPath: String = "schema.yaml", connection: ConnectionInfo = ConnectionInfo(""),
        allowDestructive: Bool = false, lockTimeout: Double = 5, statementTimeout: Double = 0,
        lockWait: Double = 120, filter: TableFilter = .everything, retries: Int = 0, retryDelay: Double = 1,
        totalTimeout: Double = 0
    ) {
        self.schemaPath = schemaPath
        self.connection = connection
        self.allowDestructive = allowDestructive
        self.lockTimeout = lockTimeout
        self.statementTimeout = statementTimeout
        self.lockWait = lockWait
        self.filter = filter
        self.retries = retries
        self.retryDelay = retryDelay
        self.totalTimeout = totalTimeout
    }

    /// The timeouts each step runs under, in the form plans record them.
    public var timeouts: PlanDocument.Timeouts {
        PlanDocument.Timeouts(
            lockTimeoutMs: Int((lockTimeout * 1000).rounded()),
            statementTimeoutMs: Int((statementTimeout * 1000).rounded()))
    }
}
