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
        let created = Set(
            changes.compactMap { change -> QualifiedName? in
                if case .table(.createTable(let table, _)) = change.kind { return table.name }
                return nil
            })
        for change in ordered {
            let lock = Self.lock(of: change, created: created)
            let risks = change.hazards.filter { !$0.isLockEffect }
            let step = PlanStep(
                number: 0, change: change, statements: change.statements,
                hazards: [lock.hazard].compactMap { $0 } + risks, lock: lock)
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

    /// The change's lock, unless every table it locks is one this plan creates: no one else can see those yet.
    static func lock(of change: Change, created: Set<QualifiedName>) -> TableLock {
        change.lockedTables.allSatisfy(created.contains) ? .none : change.lock
    }
}
