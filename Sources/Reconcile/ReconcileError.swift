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
    /// The server rejected a declared table's definition while canonicalising it.
    case invalidDefinition(table: QualifiedName, statement: String, PostgresError)
    /// Another `reconcile --apply` held the lock for longer than `--lock-wait`.
    case lockWaitTimedOut(seconds: Double)
    /// A plan step failed; the transaction was rolled back.
    case stepFailed(step: PlanStep, statement: String, PostgresError, executedBefore: Int)
    /// After applying, the database still differed; the transaction was rolled back.
    case verificationFailed(remaining: [PlanStep])

    public var description: String {
        switch self {
        case .invalidSchema(let error):
            return error.description
        case .connection(let target, let error):
            return "cannot connect to \(target): \(error.message)"
        case .introspection(let error):
            return "reading the database's catalog failed: \(error)"
        case .invalidDefinition(let table, let statement, let error):
            return """
                the declared table \(table) is not valid for this server: \(error)
                while checking:
                \(statement.indented)
                Nothing was changed.
                """
        case .lockWaitTimedOut(let seconds):
            return "another reconcile --apply held the apply lock for more than \(TimeText.text(seconds)) (--lock-wait); nothing was changed"
        case .stepFailed(let step, let statement, let error, let executedBefore):
            var text = """
                step \(step.number) failed: \(step.change.table.map { "\($0): " } ?? "")\(step.summary)
                SQL:
                \(statement.indented)
                server said: \(error.message)\(error.sqlState.map { " (SQLSTATE \($0))" } ?? "")
                """
            if let detail = error.detail, !detail.isEmpty { text += "\nDETAIL: \(detail)" }
            if let hint = error.hint, !hint.isEmpty { text += "\nHINT: \(hint)" }
            if error.sqlState == "55P03" {
                text += "\nA lock on \(step.change.table?.description ?? "the table") was not granted within --lock-timeout: another session is using it."
            }
            text += "\nThe transaction was rolled back: nothing was changed"
            text += executedBefore > 0 ? " (the \(executedBefore) step\(executedBefore == 1 ? "" : "s") before it were undone too)." : "."
            return text
        case .verificationFailed(let remaining):
            return "after applying, the database still differs from the schema file; the transaction was rolled back and nothing was changed. Remaining steps:\n"
                + remaining.map { "  \($0.change.marker) \($0.change.table.map { "\($0): " } ?? "")\($0.summary)" }.joined(separator: "\n")
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
