/// A trigger on a table (`CREATE TRIGGER name AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()`).
/// Internal triggers (those of foreign keys) are not triggers in this sense and are never read.
public struct Trigger: Hashable, Sendable, Codable {
    public enum Timing: String, Hashable, Sendable, Codable, CaseIterable {
        case before, after
        case insteadOf = "instead of"

        public var sql: String { rawValue.uppercased() }
    }

    public enum Event: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
        case insert, update, delete, truncate

        /// The order `pg_get_triggerdef` prints them in.
        public static func < (lhs: Event, rhs: Event) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public var name: String
    public var timing: Timing
    /// In `pg_get_triggerdef`'s order (insert, update, delete, truncate).
    public var events: [Event]
    /// `UPDATE OF a, b`: the columns an update must touch; empty for any update.
    public var updateColumns: [String]
    /// `FOR EACH ROW`; false is `FOR EACH STATEMENT` (PostgreSQL's default).
    public var forEachRow: Bool
    /// The `WHEN (...)` condition, as declared (or as the server prints it, for a live trigger).
    public var when: String?
    public var function: QualifiedName
    /// The texts passed to the function (`TG_ARGV`).
    public var arguments: [String]
    public var comment: String?
    /// `pg_get_triggerdef` with the table's name replaced by `$table`, read from the live trigger or a
    /// scratch copy of the declared one: what is compared. Nil for a declaration the server has not seen.
    public var definition: String?
    /// Why `--export` cannot write this live trigger back (a constraint trigger, transition tables); nil when
    /// it can.
    public var exportProblem: String?
    /// `renamed_from`: the trigger's previous name on its table; renamed (`ALTER TRIGGER ... RENAME TO`) when
    /// that one exists and none of this name does.
    public var renamedFrom: String?

    public init(
        name: String, timing: Timing, events: [Event], updateColumns: [String] = [], forEachRow: Bool = false,
        when: String? = nil, function: QualifiedName, arguments: [String] = [], comment: String? = nil,
        definition: String? = nil, exportProblem: String? = nil
    ) {
        self.name = name
        self.timing = timing
        self.events = events.sorted()
        self.updateColumns = updateColumns
        self.forEachRow = forEachRow
        self.when = when
        self.function = function
        self.arguments = arguments
        self.comment = comment
        self.definition = definition
        self.exportProblem = exportProblem
    }

    /// The declaration alone: what the server's texts and the comment aside say.
    public var declared: Trigger {
        var trigger = self
        trigger.comment = nil
        trigger.definition = nil
        trigger.exportProblem = nil
        trigger.renamedFrom = nil
        return trigger
    }
}
