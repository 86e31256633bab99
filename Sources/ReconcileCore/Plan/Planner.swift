/// Orders changes into a plan: schemas, tables (in foreign-key order, as the differ listed them),
/// columns, column changes, constraints, foreign keys, indexes, seeded rows, and destructive steps last.
public enum Planner {
    public static func plan(_ changes: [Change], allowDestructive: Bool) -> Plan {
        // A stable sort keeps the differ's table-by-table order inside each phase.
        let ordered = changes.enumerated().sorted { lhs, rhs in
            let left = (lhs.element.phase, destructiveRank(lhs.element), lhs.offset)
            let right = (rhs.element.phase, destructiveRank(rhs.element), rhs.offset)
            return left < right
        }.map(\.element)
        var runnable: [PlanStep] = []
        var blocked: [PlanStep] = []
        for change in ordered {
            let step = PlanStep(number: 0, change: change, statements: SQLRenderer.statements(for: change),
                                hazards: Hazard.of(change))
            if change.needsManualAction || (change.isDestructive && !allowDestructive) {
                blocked.append(step)
            } else {
                runnable.append(step)
            }
        }
        for index in runnable.indices { runnable[index].number = index + 1 }
        for index in blocked.indices { blocked[index].number = runnable.count + index + 1 }
        let unmanaged = changes.compactMap { change -> QualifiedName? in
            if case .dropTable(let name) = change.kind { return name }
            return nil
        }
        return Plan(steps: runnable, blocked: blocked, unmanagedTables: unmanaged.sorted())
    }

    /// Among drops: constraints before the indexes and columns they depend on; tables before types.
    private static func destructiveRank(_ change: Change) -> Int {
        switch change.kind {
        case .dropConstraint: return 0
        case .dropIndex: return 1
        case .dropColumn: return 2
        case .dropTable: return 3
        case .dropEnum: return 4
        default: return 0
        }
    }
}
