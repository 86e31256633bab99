extension Plan {
    /// Whether a step creates a function or procedure: the transaction then says
    /// `SQLRenderer.deferFunctionBodyChecks` first, as pg_dump does, so a SQL function may read tables that
    /// later steps create.
    public var createsRoutines: Bool {
        steps.contains { step in
            guard case .routine(let change) = step.change.kind else { return false }
            return change.createsRoutine
        }
    }
}
