/// A compact plan for a pull-request comment: counts first, then destructive and hazardous steps, then
/// every step, with the SQL folded away.
public enum PlanMarkdownRenderer {
    public static func render(_ plan: Plan) -> String {
        renderSteps(plan) + notModelled(plan.notModelled)
    }

    /// What reconcile leaves alone, by name.
    static func notModelled(_ objects: [String]) -> String {
        guard !objects.isEmpty else { return "" }
        return "\n**Not modelled by reconcile** (left as they are; not compared, created or dropped):\n\n"
            + objects.map { "- \(escape($0))\n" }.joined()
    }

    private static func renderSteps(_ plan: Plan) -> String {
        guard !plan.isInSync else { return "### reconcile plan: no changes\n\nThe database matches the schema file.\n" }
        let counts = Dictionary(grouping: plan.steps, by: { $0.change.marker }).mapValues(\.count)
        var out = "### reconcile plan: \(plan.steps.count) step\(plan.steps.count == 1 ? "" : "s")"
        out +=
            " (\(counts[.add] ?? 0) to add, \(counts[.change] ?? 0) to change, \(counts[.remove] ?? 0) to remove)\n\n"
        if !plan.blocked.isEmpty {
            out +=
                "**Blocked (\(plan.blocked.count)):** `--apply` refuses until these are declared, allowed with `--allow-destructive`, or done by hand.\n\n"
            out += table(plan.blocked)
        }
        if !plan.failingSteps.isEmpty {
            out += "**Would fail on the current data (\(plan.failingSteps.count)):**\n\n"
            for step in plan.failingSteps {
                out += "- \(step.number). \(escape(step.summary)): \(escape(step.preflightFailure ?? ""))\n"
            }
            out += "\n"
        }
        if plan.isOnline && !plan.steps.isEmpty {
            out +=
                "**Online plan in \(plan.phases.count) phase\(plan.phases.count == 1 ? "" : "s"):** each step commits "
            out += "on its own; a run stopped anywhere is finished by the next one.\n\n"
            for phase in plan.phases {
                let numbers = phase.steps.map(\.number)
                let range =
                    numbers.count == 1 ? "step \(numbers[0])" : "steps \(numbers[0])–\(numbers[numbers.count - 1])"
                out += "\(phase.number). \(escape(phase.kind.title)): \(range)\n"
            }
            out += "\n"
        }
        if !plan.refusedOnline.isEmpty {
            out += "**Refused by `--online` (\(plan.refusedOnline.count)):** allow with `--allow-rewrites`, or do it "
            out += "expand/contract.\n\n"
            for step in plan.refusedOnline {
                out += "- \(step.number). \(escape(step.summary)): \(escape(step.onlineRefusal ?? ""))\n"
            }
            out += "\n"
        }
        let risky = plan.steps.filter { $0.isDestructive || !$0.hazards.isEmpty }
        if !risky.isEmpty {
            out += "**Hazardous steps (\(risky.count)):**\n\n" + table(risky)
        }
        out += "<details><summary>All \(plan.steps.count) steps and their SQL</summary>\n\n"
        out += table(plan.steps)
        out += "```sql\n" + PlanSQLRenderer.render(plan) + "```\n\n</details>\n"
        return out
    }

    /// `--check` as Markdown: one line per difference.
    public static func renderDrift(_ drift: [PlanStep]) -> String {
        guard !drift.isEmpty else { return "### reconcile check: in sync\n\nThe database matches the schema file.\n" }
        var out = "### reconcile check: \(drift.count) difference\(drift.count == 1 ? "" : "s")\n\n"
        for step in drift { out += "- `\(step.change.marker)` \(escape(step.change.driftDescription))\n" }
        return out
    }

    static func table(_ steps: [PlanStep]) -> String {
        var out = "| # | | step | lock, hazards | est. rows |\n|---:|:-:|---|---|---:|\n"
        for step in steps {
            let object = step.change.table.map { "`\($0)` " } ?? ""
            let hazards = step.notes.joined(separator: "; ")
            let rows = step.estimatedRows.map(String.init) ?? ""
            out +=
                "| \(step.number) | \(step.change.marker) | \(escape(object + step.summary)) | \(escape(hazards)) | \(rows) |\n"
        }
        return out + "\n"
    }

    static func escape(_ text: String) -> String { text.replacingAll("|", with: "\\|") }
}
