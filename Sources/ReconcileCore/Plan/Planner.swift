/// Orders changes into a plan: schemas, tables (in foreign-key order, as the differ listed them),
/// columns, column changes, constraints, foreign keys, indexes, seeded rows, and destructive steps last.
public enum Planner {
    public static func plan(_ changes: [Change], allowDestructive: Bool) -> Plan {
        // A stable sort keeps the differ's table-by-table order inside each phase.
        let ordered = changes.enumerated().sorted { lhs, rhs in
            let left = (lhs.element.phase, lhs.element.rankInPhase, lhs.offset)
            let right = (rhs.element.phase, rhs.element.rankInPhase, rhs.offset)
            return left < right
        }.map(\.element)
        var runnable: [PlanStep] = []
        var blocked: [PlanStep] = []
        for change in ordered {
            let step = PlanStep(number: 0, change: change, statements: change.statements,
                                hazards: change.hazards)
            if change.needsManualAction || (change.isDestructive && !allowDestructive) {
                blocked.append(step)
            } else {
                runnable.append(step)
            }
        }
        for index in runnable.indices { runnable[index].number = index + 1 }
        for index in blocked.indices { blocked[index].number = runnable.count + index + 1 }
        let unmanaged = changes.compactMap { change -> QualifiedName? in
            if case .table(.dropTable(let name)) = change.kind { return name }
            return nil
        }
        return Plan(steps: runnable, blocked: blocked, unmanagedTables: unmanaged.sorted())
    }
}
