/// The plan for a person: steps grouped per table with `+`/`~`/`-` markers and hazards, then the SQL.
public enum PlanTextRenderer {
    /// ANSI colours for a terminal: green adds, yellow changes, red removals.
    public struct Style: Sendable {
        public var colors: Bool
        public init(colors: Bool) { self.colors = colors }
        public static let plain = Style(colors: false)

        public func marker(_ marker: Change.Marker) -> String {
            guard colors else { return marker.description }
            let code: String
            switch marker {
            case .add: code = "32"
            case .remove: code = "31"
            case .change: code = "33"
            }
            return "\u{1B}[\(code)m\(marker)\u{1B}[0m"
        }

        func bold(_ text: String) -> String { colors ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
        func dim(_ text: String) -> String { colors ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
    }

    /// What `--check` prints: one line per difference, each described once, or that there is none.
    public static func renderDrift(_ drift: [PlanStep], style: Style = .plain) -> String {
        guard !drift.isEmpty else { return "In sync: the database matches the schema file.\n" }
        var out =
            "Drift: \(drift.count) difference\(drift.count == 1 ? "" : "s") between the database and the schema file.\n"
        for step in drift { out += "  \(style.marker(step.change.marker)) \(step.change.driftDescription)\n" }
        return out + "Run `reconcile --plan` to see the SQL, `reconcile --apply` to fix it.\n"
    }

    public static func render(_ plan: Plan, includeSQL: Bool = true, style: Style = .plain) -> String {
        renderSteps(plan, includeSQL: includeSQL, style: style) + notModelled(plan.notModelled)
    }

    /// The note on what reconcile leaves alone: listed by name, so that nothing is lost without a word.
    static func notModelled(_ objects: [String]) -> String {
        guard !objects.isEmpty else { return "" }
        return "\nNot modelled by reconcile (left as they are; not compared, created or dropped, not in --export):\n"
            + objects.map { "    \($0)\n" }.joined()
    }

    private static func renderSteps(_ plan: Plan, includeSQL: Bool, style: Style) -> String {
        guard !plan.isInSync else { return "No changes. The database matches the schema file.\n" }
        var out = ""
        let counts = Dictionary(grouping: plan.steps, by: { $0.change.marker }).mapValues(\.count)
        out += "Plan: \(plan.steps.count) step\(plan.steps.count == 1 ? "" : "s")"
        out += " (\(counts[.add] ?? 0) to add, \(counts[.change] ?? 0) to change, \(counts[.remove] ?? 0) to remove)"
        if !plan.blocked.isEmpty { out += "; \(plan.blocked.count) blocked" }
        out += ".\n"
        if plan.isOnline && !plan.steps.isEmpty {
            out += "Online: each step commits on its own; a run stopped anywhere is finished by the next one.\n"
            for phase in plan.phases {
                out += "\n  " + style.bold("Phase \(phase.number): \(phase.kind.title)") + "\n"
                out += grouped(phase.steps, style).split(separator: "\n").map { "  " + $0 + "\n" }.joined()
            }
        } else if !plan.steps.isEmpty {
            out += "\n" + grouped(plan.steps, style)
        }
        let destructive = plan.blocked.filter { !$0.change.needsManualAction }
        let manual = plan.blocked.filter(\.change.needsManualAction)
        if !destructive.isEmpty {
            out +=
                "\nBlocked: destructive, run with --allow-destructive to include (--apply refuses while any remain):\n"
            out += grouped(destructive, style)
        }
        if !manual.isEmpty {
            out += "\nNeeds a manual change (reconcile cannot do this safely):\n"
            out += grouped(manual, style)
        }
        if !plan.failingSteps.isEmpty {
            out += "\nWould fail on the current data (--apply refuses until fixed):\n"
            for step in plan.failingSteps {
                out +=
                    "    ✗ \(step.number). \(step.change.table.map { "\($0): " } ?? "")\(step.preflightFailure ?? "")\n"
            }
        }
        if !plan.refusedOnline.isEmpty {
            out +=
                "\nRefused by --online (--apply refuses until allowed with --allow-rewrites or done expand/contract):\n"
            for step in plan.refusedOnline {
                out +=
                    "    ✗ \(step.number). \(step.change.table.map { "\($0): " } ?? "")\(step.summary): "
                    + "\(step.onlineRefusal ?? "")\n"
            }
        }
        if includeSQL && !plan.steps.isEmpty {
            out += "\nSQL (each statement is idempotent):\n\n" + PlanSQLRenderer.render(plan, transaction: false)
        }
        return out
    }

    static func grouped(_ steps: [PlanStep], _ style: Style) -> String {
        var out = ""
        var order: [String] = []
        var byGroup: [String: [PlanStep]] = [:]
        for step in steps {
            let group = step.change.table?.description ?? "database"
            if byGroup[group] == nil { order.append(group) }
            byGroup[group, default: []].append(step)
        }
        for group in order {
            out += "  \(style.bold(group))\n"
            for step in byGroup[group]! {
                out += "    \(style.marker(step.change.marker)) \(step.number). \(step.summary)"
                var notes = step.notes
                if let rows = step.estimatedRows, !step.hazards.isEmpty { notes.append("~\(rows) rows") }
                if !notes.isEmpty { out += style.dim("  [" + notes.joined(separator: "; ") + "]") }
                out += "\n"
            }
        }
        return out
    }
}

/// The plan as an SQL script runnable with `psql -v ON_ERROR_STOP=1 -f`: one transaction, except new enum
/// values, which PostgreSQL can only use after they are committed, so they come first on their own.
public enum PlanSQLRenderer {
    public static func render(_ plan: Plan, transaction: Bool = true) -> String {
        if plan.isOnline && transaction { return online(plan) }
        var out = ""
        let early = plan.steps.filter(\.commitsSeparately)
        if transaction && !early.isEmpty {
            out += "-- New enum values first, each committed on its own.\n"
            for step in early { out += statements(step) }
        }
        out += transaction ? "BEGIN;\n\(SQLRenderer.checkConstraintsAtOnce);\n" : ""
        if transaction && plan.createsRoutines { out += "\(SQLRenderer.deferFunctionBodyChecks);\n" }
        out += transaction ? "\n" : ""
        for step in plan.steps where !(transaction && step.commitsSeparately) {
            out += statements(step)
        }
        if transaction { out += "COMMIT;\n" }
        return out
    }

    /// An online plan as a script: each step committed on its own, `CONCURRENTLY` outside any transaction.
    static func online(_ plan: Plan) -> String {
        var out = "-- Online plan: each step commits on its own; CONCURRENTLY runs outside any transaction.\n\n"
        if plan.createsRoutines { out += "SET check_function_bodies = off;\n\n" }
        for phase in plan.phases {
            out += "-- Phase \(phase.number): \(phase.kind.title)\n\n"
            for step in phase.steps {
                out += phase.kind.inTransaction ? "BEGIN;\n" + statements(step) + "COMMIT;\n\n" : statements(step)
            }
        }
        return out
    }

    static func statements(_ step: PlanStep) -> String {
        var out = "-- \(step.number). \(step.change.table.map { "\($0): " } ?? "")\(step.summary)\n"
        for statement in step.statements { out += statement + ";\n" }
        return out + "\n"
    }
}
