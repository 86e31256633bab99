import Foundation
import PostgresClient
import ReconcileCore

/// Runs an online plan (`--apply --online`): the apply lock held for the session, the plan made once under it,
/// then phase by phase each step committed on its own: in a short transaction under `lock_timeout`, retried
/// with backoff when the lock is not granted in time (that step alone, never the plan), or, for `CONCURRENTLY`,
/// outside any transaction. A run stopped anywhere (an error, `--timeout`, a SIGKILL) leaves committed steps
/// and at most an INVALID index; the next run plans what is left from the database and finishes it.
struct OnlineApplier {
    let connection: Connection
    let options: ReconcileOptions
    /// When `--timeout` runs out; checked between steps (a running statement is cancelled by the caller).
    var deadline: Date?

    func apply(_ desired: Schema, expected: PlanDocument? = nil, progress: (ApplyEvent) -> Void) throws -> ApplyResult {
        try acquireApplyLock(progress)
        defer {
            _ = try? connection.query(
                "SELECT pg_catalog.pg_advisory_unlock($1::bigint)", [String(Applier.advisoryLockKey)])
        }
        try prepareSession()
        let planned = try inRolledBackTransaction { () -> PlanBuilder.Result in
            let planned = try builder.build(desired: desired, allowDestructive: options.allowDestructive)
            if let expected { try Applier.verify(expected, against: planned) }
            // Refuse before the first statement, as the transactional apply does.
            guard planned.plan.blocked.isEmpty else { throw ReconcileError.blockedSteps(planned.plan.blocked) }
            guard planned.plan.failingSteps.isEmpty else {
                throw ReconcileError.preflightFailed(planned.plan.failingSteps)
            }
            guard planned.plan.refusedOnline.isEmpty else {
                throw ReconcileError.refusedOnline(planned.plan.refusedOnline)
            }
            let missing = try PrivilegeCheck(connection: connection).missing(
                for: planned.plan.steps, live: planned.live)
            if !missing.isEmpty {
                let role = try connection.query("SELECT current_user").rows.first?.first ?? nil
                throw ReconcileError.insufficientPrivileges(role: role ?? "?", missing)
            }
            return planned
        }
        let plan = planned.plan
        guard !plan.steps.isEmpty else { return ApplyResult(executed: [], blocked: []) }
        progress(.planned(plan.steps))
        var executed: [PlanStep] = []
        for phase in plan.phases {
            progress(.phaseStarted(phase, of: plan.phases.count))
            for step in phase.steps {
                if let deadline, Date() > deadline {
                    throw ReconcileError.onlineTimedOut(seconds: options.totalTimeout, committed: executed)
                }
                progress(.stepStarted(step))
                let started = Date()
                try run(step, in: phase, of: plan.phases.count, committed: executed, progress: progress)
                executed.append(step)
                progress(.stepFinished(step, seconds: Date().timeIntervalSince(started)))
            }
        }
        let remaining = try inRolledBackTransaction {
            try builder.build(desired: desired, allowDestructive: options.allowDestructive).plan.steps
        }
        guard remaining.isEmpty else { throw ReconcileError.onlineVerificationFailed(remaining: remaining) }
        return ApplyResult(executed: executed, blocked: [])
    }

    private var builder: PlanBuilder {
        PlanBuilder(connection: connection, filter: options.filter, online: true, allowRewrites: options.allowRewrites)
    }

    /// One step, retried on a transient failure of a step in a transaction (a lock not granted within
    /// `lock_timeout`, a deadlock) after a backoff: `retryDelay` doubled each time, at most 30 s.
    private func run(
        _ step: PlanStep, in phase: PlanPhase, of phaseCount: Int, committed: [PlanStep],
        progress: (ApplyEvent) -> Void
    ) throws {
        var attempt = 0
        while true {
            var statement = step.statements.first ?? ""
            do {
                if phase.kind.inTransaction {
                    try connection.query("BEGIN")
                    try connection.query("SET LOCAL lock_timeout = \(Applier.milliseconds(options.lockTimeout))")
                    try connection.query(SQLRenderer.checkConstraintsAtOnce)
                    for next in step.statements {
                        statement = next
                        try connection.query(next)
                    }
                    try connection.query("COMMIT")
                } else {
                    for next in step.statements {
                        statement = next
                        try connection.query(next)
                    }
                }
                return
            } catch let error as PostgresError {
                rollback()
                let transient = error.kind == .server && error.isTransient && error.sqlState != .queryCanceled
                var stoppedByTimeout = false
                if phase.kind.inTransaction, transient, attempt < options.retries {
                    attempt += 1
                    let delay = min(options.retryDelay * pow(2, Double(attempt - 1)), 30)
                    if deadline.map({ Date().addingTimeInterval(delay) <= $0 }) ?? true {
                        let reason =
                            error.sqlState == .lockNotAvailable
                            ? "a lock was not granted within --lock-timeout" : error.message
                        progress(
                            .stepRetrying(
                                step, attempt: attempt, of: options.retries, afterSeconds: delay, reason: reason)
                        )
                        Thread.sleep(forTimeInterval: delay)
                        continue
                    }
                    stoppedByTimeout = true
                }
                var failure = OnlineFailure(
                    phase: phase, phaseCount: phaseCount, step: step, statement: statement, error: error,
                    attempts: attempt + 1, committed: committed)
                failure.stoppedByTimeout = stoppedByTimeout
                throw ReconcileError.onlineStepFailed(failure)
            }
        }
    }

    /// Session settings for the whole run. `CONCURRENTLY` waits for older transactions to end: a `lock_timeout`
    /// would cancel it halfway and leave an INVALID index, so outside transactions there is none (steps in
    /// transactions set their own); its wait takes no lock that the application's reads or writes queue behind.
    private func prepareSession() throws {
        try connection.query("SET lock_timeout = 0")
        try connection.query("SET statement_timeout = \(Applier.milliseconds(options.statementTimeout))")
        try connection.query("SET jit = off")
        // As pg_dump does, and the transactional apply with SET LOCAL: a SQL function's body may read a table
        // that a later step creates; each step here is its own transaction, so the setting is the session's.
        try connection.query("SET check_function_bodies = off")
        // PostgreSQL 14+: a build whose client died (SIGKILL) stops within a second instead of running on.
        if connection.serverVersion >= 140_000 {
            try connection.query("SET client_connection_check_interval = 1000")
        }
    }

    /// Planning and verifying read the catalog (and canonicalise in scratch tables) in a transaction that is
    /// always rolled back.
    private func inRolledBackTransaction<T>(_ body: () throws -> T) throws -> T {
        do {
            try connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ")
            try connection.query("SET LOCAL lock_timeout = \(Applier.milliseconds(options.lockTimeout))")
        } catch let error as PostgresError {
            throw ReconcileError.introspection(error)
        }
        defer { rollback() }
        return try body()
    }

    /// The same advisory key as the transactional apply, held for the session: a concurrent apply of either
    /// kind waits for this one (`--lock-wait`), and a killed run's lock goes with its connection.
    private func acquireApplyLock(_ progress: (ApplyEvent) -> Void) throws {
        let key = String(Applier.advisoryLockKey)
        let acquired = try connection.query("SELECT pg_catalog.pg_try_advisory_lock($1::bigint)", [key])
        guard acquired.rows.first?.first != "t" else { return }
        progress(.waitingForLock)
        try connection.query("SET lock_timeout = \(Applier.milliseconds(options.lockWait))")
        do {
            try connection.query("SELECT pg_catalog.pg_advisory_lock($1::bigint)", [key])
        } catch let error as PostgresError where error.sqlState == .lockNotAvailable {
            throw ReconcileError.lockWaitTimedOut(seconds: options.lockWait)
        }
    }

    private func rollback() {
        guard connection.transactionStatus == .inTransaction || connection.transactionStatus == .failedTransaction
        else { return }
        _ = try? connection.query("ROLLBACK")
    }
}
