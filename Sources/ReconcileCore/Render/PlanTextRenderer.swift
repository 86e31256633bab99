/// The plan for a person: steps grouped per table with `+`/`~`/`-` markers and hazards, then the SQL.
public enum PlanTextRenderer {
    public static func render(_ plan: Plan, includeSQL: Bool = true) -> String {
        guard !plan.isInSync else { return "No changes. The database matches the schema file.\n" }
        var out = ""
        let counts = Dictionary(grouping: plan.steps, by: { $0.change.marker }).mapValues(\.count)
        out += "Plan: \(plan.steps.count) step\(plan.steps.count == 1 ? "" : "s")"
        out += " (\(counts["+"] ?? 0) to add, \(counts["~"] ?? 0) to change, \(counts["-"] ?? 0) to remove)"
        if !plan.blocked.isEmpty { out += "; \(plan.blocked.count) blocked" }
        out += ".\n"
        if !plan.steps.isEmpty { out += "\n" + grouped(plan.steps) }
        let destructive = plan.blocked.filter { !$0.change.needsManualAction }
        let manual = plan.blocked.filter(\.change.needsManualAction)
        if !destructive.isEmpty {
            out += "\nBlocked: destructive, run with --allow-destructive to include (--apply refuses while any remain):\n"
            out += grouped(destructive)
        }
        if !manual.isEmpty {
            out += "\nNeeds a manual change (reconcile cannot do this safely):\n"
            out += grouped(manual)
        }
        if !plan.failingSteps.isEmpty {
            out += "\nWould fail on the current data (--apply refuses until fixed):\n"
            for step in plan.failingSteps {
                out += "    ✗ \(step.number). \(step.change.table.map { "\($0): " } ?? "")\(step.preflightFailure ?? "")\n"
            }
        }
        if includeSQL && !plan.steps.isEmpty {
            out += "\nSQL (each statement is idempotent):\n\n" + PlanSQLRenderer.render(plan, transaction: false)
        }
        return out
    }

    static func grouped(_ steps: [PlanStep]) -> String {
        var out = ""
        var order: [String] = []
        var byGroup: [String: [PlanStep]] = [:]
        for step in steps {
            let group = step.change.table?.description ?? "database"
            if byGroup[group] == nil { order.append(group) }
            byGroup[group, default: []].append(step)
        }
        for group in order {
            out += "  \(group)\n"
            for step in byGroup[group]! {
                out += "    \(step.change.marker) \(step.number). \(step.summary)"
                if !step.hazards.isEmpty { out += "  [" + step.hazards.map(\.explanation).joined(separator: "; ") + "]" }
                out += "\n"
            }
        }
        return out
    }
}

/// The plan as an SQL script runnable with `psql -v ON_ERROR_STOP=1 -f`.
public enum PlanSQLRenderer {
    public static func render(_ plan: Plan, transaction: Bool = true) -> String {
        var out = transaction ? "BEGIN;\n\n" : ""
        for step in plan.steps {
            out += "-- \(step.number). \(step.change.table.map { "\($0): " } ?? "")\(step.summary)\n"
            for statement in step.statements { out += statement + ";\n" }
            out += "\n"
        }
        if transaction { out += "COMMIT;\n" }
        return out
    }
}
