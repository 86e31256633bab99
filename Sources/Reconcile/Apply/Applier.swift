import Foundation
import PostgresClient
import ReconcileCore

/// Progress of an apply, for the CLI to print as it happens.
public enum ApplyEvent: Sendable {
    /// Another run holds the apply lock; this one waits up to `--lock-wait`.
    case waitingForLock
    /// The steps about to run (planned under the lock), before the first one starts.
    case planned([PlanStep])
    /// A transient failure (`--retries`): the whole apply starts over after the delay.
    case retrying(attempt: Int, of: Int, afterSeconds: Double, reason: String)
    case stepStarted(PlanStep)
    case stepFinished(PlanStep, seconds: Double)
    /// `--online`: a phase begins (`of`: how many the plan has).
    case phaseStarted(PlanPhase, of: Int)
    /// `--online`: the step was rolled back on a transient failure and runs again after the delay.
    case stepRetrying(PlanStep, attempt: Int, of: Int, afterSeconds: Double, reason: String)
}

public struct ApplyResult: Sendable {
    /// The steps that ran and were committed.
    public var executed: [PlanStep]
    /// Destructive steps left out for lack of `--allow-destructive` (always empty after a successful apply:
    /// blocked steps make the apply refuse).
    public var blocked: [PlanStep]
}

/// Runs a plan in one transaction, serialised against other appliers by an advisory lock, and verifies the
/// result before committing: either the database matches the file afterwards, or nothing changed.
struct Applier {
    /// Advisory lock key shared by every reconcile: the ASCII bytes of "reconcil".
    static let advisoryLockKey: Int64 = 0x7265_636F_6E63_696C

    let connection: Connection
    let options: ReconcileOptions
    /// When `--timeout` runs out; checked between steps (a running statement is cancelled by the caller).
    var deadline: Date?

    /// `expected`: a saved plan that must still be exactly what the database needs.
    func apply(_ desired: Schema, expected: PlanDocument? = nil, progress: (ApplyEvent) -> Void) throws -> ApplyResult {
        var committedEarly: [PlanStep] = []
        while true {
            try connection.query("BEGIN")
            do {
                try acquireApplyLock(progress)
                try connection.query("SET LOCAL lock_timeout = \(Self.milliseconds(options.lockTimeout))")
                try connection.query("SET LOCAL jit = off")
                try connection.query("SET LOCAL statement_timeout = \(Self.milliseconds(options.statementTimeout))")
                try connection.query(SQLRenderer.checkConstraintsAtOnce)
                // Planned under the lock: a run that waited sees what the previous one did, and does only the rest.
                let builder = PlanBuilder(connection: connection, filter: options.filter)
                let planned = try builder.build(desired: desired, allowDestructive: options.allowDestructive)
                if let expected, committedEarly.isEmpty { try Self.verify(expected, against: planned) }
                // Refuse before the first statement: a deploy either reaches the declared state or changes nothing.
                guard planned.plan.blocked.isEmpty else { throw ReconcileError.blockedSteps(planned.plan.blocked) }
                guard planned.plan.failingSteps.isEmpty else {
                    throw ReconcileError.preflightFailed(planned.plan.failingSteps)
                }
                let missing = try PrivilegeCheck(connection: connection).missing(
                    for: planned.plan.steps, live: planned.live)
                if !missing.isEmpty {
                    let role = try connection.query("SELECT current_user").rows.first?.first ?? nil
                    throw ReconcileError.insufficientPrivileges(role: role ?? "?", missing)
                }

                // PostgreSQL cannot use an enum value in the transaction that added it: new values are
                // committed first, on their own (harmless if the rest then fails), and the rest is planned again.
                let enumValues = planned.plan.steps.filter(\.commitsSeparately)
                if committedEarly.isEmpty, !enumValues.isEmpty, enumValues.count < planned.plan.steps.count {
                    progress(.planned(enumValues))
                    try execute(enumValues, progress: progress, committedEarly: [])
                    try connection.query("COMMIT")
                    committedEarly = enumValues
                    continue
                }

                if !planned.plan.steps.isEmpty { progress(.planned(planned.plan.steps)) }
                if planned.plan.createsRoutines { try connection.query(SQLRenderer.deferFunctionBodyChecks) }
                let executed = try execute(planned.plan.steps, progress: progress, committedEarly: committedEarly)
                if !executed.isEmpty {
                    // Canonicalised afresh: tables created just now were taken as written when planning.
                    let check = try builder.build(desired: desired, allowDestructive: options.allowDestructive)
                    guard check.plan.steps.isEmpty else {
                        throw ReconcileError.verificationFailed(remaining: check.plan.steps)
                    }
                }
                try connection.query("COMMIT")
                return ApplyResult(executed: committedEarly + executed, blocked: planned.plan.blocked)
            } catch {
                rollback()
                throw error
            }
        }
    }

    /// A saved plan applies only to the very state it was computed from, and only as it was reviewed.
    static func verify(_ expected: PlanDocument, against planned: PlanBuilder.Result) throws {
        guard expected.state?.databaseSha256 == planned.databaseFingerprint else {
            throw ReconcileError.stalePlan("the database changed since the plan was made")
        }
        guard expected.steps.map(\.sql) == planned.plan.steps.map(\.statements) else {
            throw ReconcileError.stalePlan("the plan computed now differs from the saved one")
        }
    }

    /// Runs steps in order, each statement on its own (so an expression cannot smuggle in another).
    @discardableResult
    private func execute(
        _ steps: [PlanStep], progress: (ApplyEvent) -> Void, committedEarly: [PlanStep]
    ) throws -> [PlanStep] {
        var executed: [PlanStep] = []
        for step in steps {
            if let deadline, Date() > deadline { throw ReconcileError.timedOut(seconds: options.totalTimeout) }
            progress(.stepStarted(step))
            let started = Date()
            for statement in step.statements {
                do {
                    try connection.query(statement)
                } catch let error as PostgresError {
                    throw ReconcileError.stepFailed(
                        step: step, statement: statement, error, executedBefore: executed.count,
                        committedEarly: committedEarly)
                }
            }
            executed.append(step)
            progress(.stepFinished(step, seconds: Date().timeIntervalSince(started)))
        }
        return executed
    }

    private func acquireApplyLock(_ progress: (ApplyEvent) -> Void) throws {
        let acquired = try connection.query(
            "SELECT pg_catalog.pg_try_advisory_xact_lock($1::bigint)", [String(Self.advisoryLockKey)])
        guard acquired.rows.first?.first != "t" else { return }
        progress(.waitingForLock)
        try connection.query("SET LOCAL lock_timeout = \(Self.milliseconds(options.lockWait))")
        do {
            try connection.query("SELECT pg_catalog.pg_advisory_xact_lock($1::bigint)", [String(Self.advisoryLockKey)])
        } catch let error as PostgresError where error.sqlState == .lockNotAvailable {
            throw ReconcileError.lockWaitTimedOut(seconds: options.lockWait)
        }
    }

    private func rollback() {
        guard connection.transactionStatus == .inTransaction || connection.transactionStatus == .failedTransaction
        else { return }
        _ = try? connection.query("ROLLBACK")
    }

    /// PostgreSQL timeouts in whole milliseconds; 0 disables the timeout.
    static func milliseconds(_ seconds: Double) -> Int { max(0, Int((seconds * 1000).rounded())) }
}
