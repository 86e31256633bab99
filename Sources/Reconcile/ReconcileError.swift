import PostgresClient
import ReconcileCore

/// Everything that can stop a run, each with the context a person needs to act on it. The texts never
/// contain a password: connection errors are redacted where they are made.
public enum ReconcileError: Error, CustomStringConvertible {
    /// The schema file is invalid; nothing was read from or written to the database.
    case invalidSchema(SchemaLoadError)
    case connection(target: String, PostgresError)
    /// Reading the live database failed.
    case introspection(PostgresError)
    /// The server rejected a declared definition (a table, or a type it needs) while canonicalising it.
    case invalidDefinition(subject: String, statement: String, PostgresError)
    /// Another `reconcile --apply` held the lock for longer than `--lock-wait`.
    case lockWaitTimedOut(seconds: Double)
    /// A plan step failed; the transaction was rolled back.
    /// `committedEarly`: new enum values, which PostgreSQL makes usable only after a commit of their own.
    case stepFailed(step: PlanStep, statement: String, PostgresError, executedBefore: Int, committedEarly: [PlanStep])
    /// Destructive (or manual) steps were needed but not allowed; nothing was changed.
    case blockedSteps([PlanStep])
    /// Pre-flight checks showed steps that would fail on the current data; nothing was changed.
    case preflightFailed([PlanStep])
    /// A lock wait ran past `--lock-timeout`; `holders` names the sessions holding strong locks on tables.
    indirect case lockNotGranted(ReconcileError, holders: [String])
    /// The role lacks privileges some steps need; nothing was changed.
    case insufficientPrivileges(role: String, [PrivilegeCheck.Missing])
    /// `--timeout` passed; the statement running then was cancelled and nothing was changed.
    case timedOut(seconds: Double)
    /// `--apply --plan-file`: the saved plan no longer fits; nothing was changed.
    case stalePlan(String)
    /// The live database has things the schema file cannot express yet (all of them, each with a remedy),
    /// or the export flags name tables that are not exported; nothing was written.
    case cannotExport([ExportRefusal])
    /// `--export --split`: the folder could not take the files; nothing was written, or the write failed.
    case cannotWriteExport(String)
    /// After applying, the database still differed; the transaction was rolled back.
    case verificationFailed(remaining: [PlanStep])
    /// `--apply --online`: a step failed; the steps before it stay committed (see `OnlineFailure`).
    case onlineStepFailed(OnlineFailure)
    /// `--apply --online`: steps would rewrite or scan a table under a lock that blocks writes; nothing was changed.
    case refusedOnline([PlanStep])
    /// `--apply --online`: `--timeout` passed between steps; the steps before stay committed.
    case onlineTimedOut(seconds: Double, committed: [PlanStep])
    /// `--apply --online`: every step ran and was committed, yet the database still differs.
    case onlineVerificationFailed(remaining: [PlanStep])

    public var description: String {
        switch self {
        case .invalidSchema(let error):
            return error.description
        case .connection(let target, let error):
            return "cannot connect to \(target): \(error.message)"
        case .introspection(let error):
            return "reading the database's catalog failed: \(error); nothing was changed"
        case .invalidDefinition(let subject, let statement, let error):
            return """
                the declared \(subject) is not valid for this server: \(error)
                while checking:
                \(statement.indented)
                Nothing was changed.
                """
        case .lockWaitTimedOut(let seconds):
            return
                "another reconcile --apply held the apply lock for more than \(TimeText.text(seconds)) (--lock-wait); nothing was changed"
        case .stepFailed(let step, let statement, let error, let executedBefore, let committedEarly):
            var text = """
                step \(step.number) failed: \(step.change.table.map { "\($0): " } ?? "")\(step.summary)
                SQL:
                \(statement.indented)
                server said: \(error.message)\(error.sqlState.map { " (SQLSTATE \($0))" } ?? "")
                """
            if let detail = error.detail, !detail.isEmpty { text += "\nDETAIL: \(detail)" }
            if let hint = error.hint, !hint.isEmpty { text += "\nHINT: \(hint)" }
            if error.sqlState == .lockNotAvailable {
                text +=
                    "\nA lock on \(step.change.table?.description ?? "the table") was not granted within --lock-timeout."
            }
            text += "\nThe transaction was rolled back: nothing was changed"
            switch executedBefore {
            case 0: text += "."
            case 1: text += " (the step before it was undone too)."
            default: text += " (the \(executedBefore) steps before it were undone too)."
            }
            if !committedEarly.isEmpty {
                text +=
                    "\nOnly the new enum values, committed first as PostgreSQL requires, remain: "
                    + committedEarly.map(\.summary).joined(separator: "; ") + "."
            }
            return text
        case .blockedSteps(let steps):
            let manual = steps.filter(\.change.needsManualAction)
            var text =
                "refusing to apply: the plan needs \(steps.count) step\(steps.count == 1 ? "" : "s") that \(steps.count == 1 ? "is" : "are") not allowed; nothing was changed.\n"
            text += steps.map {
                "  \($0.change.marker) \($0.number). \($0.change.table.map { "\($0): " } ?? "")\($0.summary)"
            }.joined(separator: "\n")
            if manual.count < steps.count {
                text += "\nDeclare what should stay in the schema file, or run with --allow-destructive to drop it."
            }
            if !manual.isEmpty { text += "\nSteps that need a manual change cannot be applied by reconcile." }
            return text
        case .preflightFailed(let steps):
            return
                "refusing to apply: pre-flight checks show \(steps.count == 1 ? "a step" : "\(steps.count) steps") would fail on the current data; nothing was changed.\n"
                + steps.map {
                    "  \($0.number). \($0.change.table.map { "\($0): " } ?? "")\($0.summary): \($0.preflightFailure ?? "")"
                }.joined(separator: "\n")
        case .lockNotGranted(let underlying, let holders):
            guard !holders.isEmpty else { return underlying.description }
            return underlying.description + "\n"
                + holders.map { "Another session holds a lock on \($0)." }.joined(separator: "\n")
        case .insufficientPrivileges(let role, let missing):
            return
                "refusing to apply: role \(SQL.displayIdentifier(role)) lacks privileges the plan needs; nothing was changed.\n"
                + missing.map { "  step \($0.step): needs \($0.what)" }.joined(separator: "\n")
        case .timedOut(let seconds):
            return
                "gave up after \(TimeText.text(seconds)) (--timeout); the running statement was cancelled and the transaction rolled back: nothing was changed"
        case .stalePlan(let reason):
            return "stale plan: \(reason); nothing was changed. Make a new plan with --plan --out and review it."
        case .cannotExport(let refusals):
            return "cannot export: " + ExportRefusal.report(refusals)
        case .cannotWriteExport(let reason):
            return reason
        case .verificationFailed(let remaining):
            return
                "after applying, the database still differs from the schema file; the transaction was rolled back and nothing was changed. Remaining steps:\n"
                + remaining.map { "  \($0.change.marker) \($0.change.table.map { "\($0): " } ?? "")\($0.summary)" }
                .joined(separator: "\n")
        case .onlineStepFailed(let failure):
            return failure.description
        case .onlineTimedOut(let seconds, let committed):
            return "gave up after \(TimeText.text(seconds)) (--timeout) between two steps of an online apply; "
                + (committed.isEmpty
                    ? "no step had been committed"
                    : "steps \(committed.map { String($0.number) }.joined(separator: ", ")) stay committed")
                + ". Run reconcile --apply --online again to finish: it plans only what is left."
        case .refusedOnline(let steps):
            let one = steps.count == 1
            return
                "refusing to apply online: \(one ? "a step" : "\(steps.count) steps") would hold a lock that blocks "
                + "writes while \(one ? "it rewrites or scans" : "they rewrite or scan") a table; nothing was changed.\n"
                + steps.map {
                    "  \($0.number). \($0.change.table.map { "\($0): " } ?? "")\($0.summary): \($0.onlineRefusal ?? "")"
                }.joined(separator: "\n")
                + "\nAllow them with --allow-rewrites, or make the change expand/contract (see the README)."
        case .onlineVerificationFailed(let remaining):
            return
                "after applying online, the database still differs from the schema file (the steps that ran stay "
                + "committed). Remaining steps:\n"
                + remaining.map { "  \($0.change.marker) \($0.change.table.map { "\($0): " } ?? "")\($0.summary)" }
                .joined(separator: "\n")
        }
    }
}

extension ReconcileError {
    /// Why a retry could succeed where this attempt failed; nil for failures that would only repeat.
    var transientReason: String? {
        let error: PostgresError
        switch self {
        case .lockNotGranted(let underlying, _): return underlying.transientReason
        case .stepFailed(_, _, let stepError, _, let committedEarly) where committedEarly.isEmpty: error = stepError
        case .introspection(let introspectionError): error = introspectionError
        default: return nil
        }
        guard error.kind == .server, error.isTransient else { return nil }
        return error.sqlState == .lockNotAvailable
            ? "a table lock was not granted within --lock-timeout" : error.message
    }
}

extension ReconcileError {
    /// The server error behind this one, if any.
    var postgresError: PostgresError? {
        switch self {
        case .connection(_, let error), .introspection(let error), .invalidDefinition(_, _, let error): return error
        case .stepFailed(_, _, let error, _, _): return error
        case .onlineStepFailed(let failure): return failure.error
        case .lockNotGranted(let underlying, _): return underlying.postgresError
        default: return nil
        }
    }
}

extension String {
    var indented: String {
        split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
    }
}

enum TimeText {
    static func text(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
    }
}
