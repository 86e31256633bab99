/// One step of a plan: a change, the SQL that makes it, and what a reviewer should know about it.
public struct PlanStep: Hashable, Sendable {
    /// 1-based position in the plan (blocked steps are numbered after the runnable ones).
    public var number: Int
    public var change: Change
    /// Idempotent statements, without trailing semicolons; each runs on its own.
    public var statements: [String]
    public var hazards: [Hazard]
    /// The strongest lock on a table that existed before the plan: a step on a table the plan creates locks
    /// no one out (the planner knows which those are; the change alone does not).
    public var lock: TableLock = .none
    /// Set when a pre-flight check against the live data shows this step would fail (e.g. NULLs in a
    /// column about to become NOT NULL); `--apply` then refuses before changing anything.
    public var preflightFailure: String?
    /// The table's estimated row count from the catalog statistics, when the table exists.
    public var estimatedRows: Int?
    /// Online plans only (`--online`): the phase the step belongs to, which says how it runs (in a transaction
    /// of its own, or outside any for `CONCURRENTLY`); nil in a plan that runs as one transaction.
    public var onlinePhase: OnlinePhase?
    /// Online plans only: why `--online` refuses the step (it rewrites or scans a table under a lock that blocks
    /// writes); `--allow-rewrites` lets it run anyway.
    public var onlineRefusal: String?

    /// Enum values are committed before the main transaction: PostgreSQL cannot use them earlier.
    public var commitsSeparately: Bool {
        if case .type(let change) = change.kind { return change.commitsSeparately }
        return false
    }

    public var summary: String { change.summary }
    public var isDestructive: Bool { change.isDestructive }
    /// What a reviewer reads beside the step: the lock and what it blocks (DDL locks; a seed's row locks are
    /// what any write of the application takes), then the other hazards.
    /// An online step in a short transaction says that its lock is brief: it scans nothing under it.
    public var notes: [String] {
        var lockNote = lock >= .shareUpdateExclusive ? lock.description : nil
        if let note = lockNote, onlinePhase == .shortLocks, lock.blocksWrites, OnlinePlanner.lockedScan(self) == nil {
            lockNote = note + ", for a moment (no scan)"
        }
        return [lockNote].compactMap { $0 } + hazards.filter { !$0.isLockEffect }.map(\.explanation)
    }
}

/// The ordered steps that make the live database match the schema file.
public struct Plan: Hashable, Sendable {
    /// Steps that `--apply` runs, in order.
    public var steps: [PlanStep]
    /// Destructive steps left out because `--allow-destructive` was not given.
    public var blocked: [PlanStep]
    /// Tables in managed schemas that the schema file does not declare.
    public var unmanagedTables: [QualifiedName]
    /// Objects in the managed schemas (and database-wide) that reconcile does not model, as `kind name`: left
    /// as they are, never compared, created or dropped (`--plan` lists them).
    public var notModelled: [String] = []
    /// Made by `OnlinePlanner`: every step runs in its own short transaction or outside any (see `phases`).
    public var isOnline = false

    public init(steps: [PlanStep], blocked: [PlanStep], unmanagedTables: [QualifiedName]) {
        self.steps = steps
        self.blocked = blocked
        self.unmanagedTables = unmanagedTables
    }

    /// Nothing to run and nothing held back: the database matches the file.
    public var isInSync: Bool { steps.isEmpty && blocked.isEmpty }

    /// Every step, runnable or blocked, with each difference once: a replaced constraint or index is its
    /// drop ("differs from the file"), not also the add that follows it ("missing").
    public var differences: [PlanStep] {
        let all = steps + blocked
        var replaced = Set<String>()
        for step in all {
            if case .constraint(.dropConstraint(_, _, true)) = step.change.kind {
                replaced.insert(step.change.objectName)
            }
            if case .index(.dropIndex(_, _, true)) = step.change.kind { replaced.insert(step.change.objectName) }
            if case .index(.dropInvalidIndex) = step.change.kind { replaced.insert(step.change.objectName) }
        }
        return all.filter { step in
            !(step.change.marker == .add && replaced.contains(step.change.objectName))
        }
    }

    /// Steps that pre-flight checks show would fail on the current data.
    public var failingSteps: [PlanStep] { steps.filter { $0.preflightFailure != nil } }

    /// Online plans: steps that `--online` refuses (table rewrites) unless `--allow-rewrites` was given.
    public var refusedOnline: [PlanStep] { steps.filter { $0.onlineRefusal != nil } }

    /// Online plans: the runs of consecutive steps of one phase kind, numbered from 1; empty otherwise.
    public var phases: [PlanPhase] {
        var phases: [PlanPhase] = []
        for step in steps {
            guard let kind = step.onlinePhase else { continue }
            if let last = phases.last, last.kind == kind {
                phases[phases.count - 1].steps.append(step)
            } else {
                phases.append(PlanPhase(number: phases.count + 1, kind: kind, steps: [step]))
            }
        }
        return phases
    }

    /// The phase a step of this plan belongs to.
    public func phase(of step: PlanStep) -> PlanPhase? {
        phases.first { $0.steps.contains { $0.number == step.number } }
    }
}
