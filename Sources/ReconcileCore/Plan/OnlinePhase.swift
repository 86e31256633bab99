/// How a step of an online plan runs. Consecutive steps of one kind make a phase (`Plan.phases`); each step is
/// committed on its own, so a run that stops anywhere leaves work the next run plans again and finishes.
public enum OnlinePhase: String, Hashable, Sendable, CaseIterable {
    /// Each step in its own transaction under `lock_timeout`, retried with backoff when the lock is not
    /// granted in time: catalog-only changes, a `NOT VALID` constraint, `USING INDEX`, `SET NOT NULL` proven
    /// by a check.
    case shortLocks = "short-locks"
    /// `CREATE` / `DROP INDEX CONCURRENTLY`, outside any transaction; reads and writes go on.
    case concurrentIndexes = "concurrent-indexes"
    /// `VALIDATE CONSTRAINT` in its own transaction: scans the table under SHARE UPDATE EXCLUSIVE, which
    /// reads and writes do not wait for.
    case validation
    /// `UPDATE ... WHERE column IS NULL` in its own transaction: row locks only.
    case backfill

    /// False for `CONCURRENTLY`, which PostgreSQL refuses inside a transaction block.
    public var inTransaction: Bool { self != .concurrentIndexes }

    public var title: String {
        switch self {
        case .shortLocks: return "short transactions, each under lock_timeout with retries"
        case .concurrentIndexes: return "concurrent index builds and drops, outside any transaction"
        case .validation: return "validation of existing rows (SHARE UPDATE EXCLUSIVE: reads and writes go on)"
        case .backfill: return "backfill of NULLs (row locks only)"
        }
    }
}

/// A run of consecutive steps of one `OnlinePhase` in an online plan.
public struct PlanPhase: Hashable, Sendable {
    public var number: Int
    public var kind: OnlinePhase
    public var steps: [PlanStep]

    /// `phase 2 (concurrent index builds and drops, outside any transaction)`.
    public var description: String { "phase \(number) (\(kind.title))" }
}
