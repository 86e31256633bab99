import PostgresClient
import ReconcileCore

/// Where an online apply stopped, and what it left: the steps before it are committed and stay; the failed
/// step was rolled back, or, for a `CONCURRENTLY` build, may have left an INVALID index. Either way the next
/// run plans what is left and finishes it.
public struct OnlineFailure: Sendable, CustomStringConvertible {
    public let phase: PlanPhase
    public let phaseCount: Int
    public let step: PlanStep
    public let statement: String
    public let error: PostgresError
    /// Tries of the step, retries included.
    public let attempts: Int
    /// Retries were left, but waiting for the next one would have run past `--timeout`.
    public var stoppedByTimeout = false
    /// The steps committed before this one, in this run.
    public let committed: [PlanStep]

    public var description: String {
        var text = """
            phase \(phase.number) of \(phaseCount) (\(phase.kind.title)) failed at step \(step.number): \
            \(step.change.table.map { "\($0): " } ?? "")\(step.summary)
            SQL:
            \(statement.indented)
            server said: \(error.message)\(error.sqlState.map { " (SQLSTATE \($0))" } ?? "")
            """
        if let detail = error.detail, !detail.isEmpty { text += "\nDETAIL: \(detail)" }
        if let hint = error.hint, !hint.isEmpty { text += "\nHINT: \(hint)" }
        if error.sqlState == .lockNotAvailable {
            text +=
                "\nA lock on \(step.change.table?.description ?? "the table") was not granted within --lock-timeout"
                + (attempts > 1 ? " in \(attempts) tries (--retries)" : "")
                + (stoppedByTimeout ? "; one more would have run past --timeout." : ".")
        }
        if error.sqlState == .queryCanceled {
            text += "\nThe statement was cancelled (--timeout or --statement-timeout)."
        }
        text += "\n" + leftBehind
        text +=
            committed.isEmpty
            ? "\nNo step of this run was committed before it."
            : "\nCommitted before it, and kept: step\(committed.count == 1 ? "" : "s") "
                + committed.map { String($0.number) }.joined(separator: ", ") + "."
        text += "\nRun reconcile --apply --online again to finish: it plans only what is left."
        return text
    }

    /// What the failed step itself left.
    var leftBehind: String {
        guard !phase.kind.inTransaction else { return "This step was rolled back." }
        if case .online(.concurrently(.dropIndex)) = step.change.kind {
            return "The index may be left INVALID; the next run drops it."
        }
        if case .online(.concurrently(.dropInvalidIndex)) = step.change.kind {
            return "The INVALID index may still be there; the next run drops it."
        }
        let name = step.change.objectName.split(separator: "/").last.map(String.init) ?? "the index"
        return "The index \(name) may be left INVALID (pg_index.indisvalid = false); the next run drops it and builds "
            + "it again."
    }
}
