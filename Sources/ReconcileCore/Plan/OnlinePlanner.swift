/// Turns a plan into its online form (`--online`): every step on a table that already exists runs in a short
/// transaction of its own or outside any, and the steps that would hold a lock blocking writes for as long as a
/// scan are split into steps that do not:
///
/// - an index is created or dropped `CONCURRENTLY`; an INVALID one is dropped that way and built again;
/// - a primary key or unique constraint gets its unique index built `CONCURRENTLY`, then takes it over
///   with `ADD CONSTRAINT ... USING INDEX`;
/// - a check or foreign key is added `NOT VALID`, then validated on its own (SHARE UPDATE EXCLUSIVE);
/// - `SET NOT NULL` becomes: backfill (if declared), `CHECK (column IS NOT NULL) NOT VALID`, validate it,
///   `SET NOT NULL` (proven from the check without a scan) and drop the check.
///
/// What cannot be split (a type change, an exclusion constraint, a column that fills itself from a volatile
/// default ...) is refused (`onlineRefusal`) unless rewrites are allowed. Each step is idempotent, and a run
/// interrupted anywhere leaves a state that the next plan completes: it adopts a key index built before the
/// interruption, keeps the temporary NOT NULL check, and rebuilds an INVALID index.
public enum OnlinePlanner {
    /// Rows a rewrite or scan is assumed to get through per second, for the estimate a refusal shows.
    public static let rowsPerSecond = 1_000_000

    public static func online(_ plan: Plan, live: Schema, allowRewrites: Bool) -> Plan {
        let tables = Dictionary(live.tables.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let adopted = Set(plan.steps.compactMap { adoptableIndex($0, tables) })
        var helperChecks = Set<String>()
        for step in plan.steps {
            if case .column(.setNotNull(let table, let column, _, _)) = step.change.kind {
                helperChecks.insert(key(table, OnlineChange.notNullCheckName(column: column)))
            }
        }
        // What an interrupted run left that this plan completes rather than drops.
        func leftByEarlierRun(_ step: PlanStep) -> Bool {
            if case .index(.dropIndex(let table, let name, false)) = step.change.kind {
                return adopted.contains(key(table, name))
            }
            if case .constraint(.dropConstraint(let table, let name, false)) = step.change.kind {
                return helperChecks.contains(key(table, name))
            }
            return false
        }
        let partitioned = Set(live.tables.filter { $0.partitionBy != nil }.map(\.name))
        var online = plan
        online.isOnline = true
        online.steps = plan.steps.filter { !leftByEarlierRun($0) }.flatMap {
            expand($0, allowRewrites: allowRewrites, partitioned: partitioned)
        }
        online.blocked = plan.blocked.filter { !leftByEarlierRun($0) }
        for index in online.steps.indices { online.steps[index].number = index + 1 }
        for index in online.blocked.indices { online.blocked[index].number = online.steps.count + index + 1 }
        return online
    }

    private static func key(_ table: QualifiedName, _ name: String) -> String { "\(table)/\(name)" }

    /// A valid unique index named like a key this step adds, on exactly its columns: what a run interrupted
    /// between building a key's index and attaching it leaves behind.
    private static func adoptableIndex(_ step: PlanStep, _ tables: [QualifiedName: Table]) -> String? {
        guard case .constraint(let change) = step.change.kind, let table = change.table,
            let wanted = OnlineChange.keyIndex(change)
        else { return nil }
        guard
            let index = tables[table]?.indexes.first(where: { $0.name == wanted.name }),
            index.isUnique, index.isInvalid != true,
            index.canonicalDefinition == SQLRenderer.indexDefinitionTail(wanted, quote: SQL.displayIdentifier)
        else { return nil }
        return key(table, wanted.name)
    }

    /// The online steps for one step of the transactional plan. `partitioned`: the live partitioned tables, on
    /// which PostgreSQL builds no index `CONCURRENTLY` (nor drops one) and adds no foreign key `NOT VALID`.
    static func expand(_ step: PlanStep, allowRewrites: Bool, partitioned: Set<QualifiedName> = []) -> [PlanStep] {
        // A table this plan creates is empty and seen by no one: its steps stay as they are.
        guard step.lock != .none else { return [phase(step, .shortLocks)] }
        if let table = step.change.table, partitioned.contains(table), !convertsOnPartitionedTables(step.change) {
            return [refusing(phase(step, .shortLocks), allowRewrites: allowRewrites)]
        }
        switch step.change.kind {
        case .index(let change):
            switch change {
            case .createIndex, .dropIndex, .dropInvalidIndex:
                return [derived(step, .online(.concurrently(change)), .concurrentIndexes)]
            case .renameIndex, .setStatistics:
                return [phase(step, .shortLocks)]
            }
        case .constraint(let change):
            switch change {
            case .addPrimaryKey(let table, _), .addUnique(let table, _):
                guard let index = OnlineChange.keyIndex(change) else { return [phase(step, .shortLocks)] }
                return [
                    derived(step, .online(.buildKeyIndex(table, index)), .concurrentIndexes),
                    derived(step, .online(.attachIndex(change)), .shortLocks, first: false),
                ]
            case .addCheck(let table, let check) where !check.notValid:
                var unvalidated = check
                unvalidated.notValid = true
                return [
                    derived(step, .constraint(.addCheck(table, unvalidated)), .shortLocks),
                    derived(step, .constraint(.validateCheck(table, check)), .validation, first: false),
                ]
            case .addForeignKey(let table, let key) where !key.notValid:
                var unvalidated = key
                unvalidated.notValid = true
                return [
                    derived(step, .constraint(.addForeignKey(table, unvalidated)), .shortLocks),
                    derived(step, .constraint(.validateForeignKey(table, key)), .validation, first: false),
                ]
            case .validateCheck, .validateForeignKey:
                return [phase(step, .validation)]
            case .setKeyStorageParameters:
                return [phase(step, .shortLocks)]
            case .addCheck, .addForeignKey, .addExclusion, .renameConstraint, .dropConstraint:
                return [refusing(phase(step, .shortLocks), allowRewrites: allowRewrites)]
            }
        case .column(.setNotNull(let table, let column, let backfill, let type)):
            return notNull(step, table, column: column, backfill: backfill, type: type, first: true)
        case .column(.addColumn(let table, let column)) where column.needsExplicitValue && column.backfill != nil:
            // Added nullable (a catalog change), filled, then made NOT NULL as above.
            var nullable = column
            nullable.isNullable = true
            nullable.notNullName = nil
            let rename = column.notNullName.map {
                derived(
                    step, .column(.renameNotNullConstraint(table, column: column.name, from: nil, to: $0)), .shortLocks,
                    first: false)
            }
            return [derived(step, .column(.addColumn(table, nullable)), .shortLocks)]
                + notNull(step, table, column: column.name, backfill: column.backfill, type: column.type, first: false)
                + (rename.map { [$0] } ?? [])
        case .schema, .type, .table, .column, .seed, .partition, .sequence, .policy, .routine, .trigger, .online:
            return [refusing(phase(step, .shortLocks), allowRewrites: allowRewrites)]
        // A view step reads or writes the catalog only (a materialized view's query runs under ACCESS SHARE).
        case .view:
            return [phase(step, .shortLocks)]
        }
    }

    /// NOT NULL on a column with rows: the backfill (if any) in its own transaction, `CHECK (column IS NOT NULL)
    /// NOT VALID`, its validation, then `SET NOT NULL` proven by it and the check dropped.
    private static func notNull(
        _ step: PlanStep, _ table: QualifiedName, column: String, backfill: Literal?, type: String, first: Bool
    ) -> [PlanStep] {
        let check = CheckConstraint(
            name: OnlineChange.notNullCheckName(column: column), expression: "\(SQL.identifier(column)) IS NOT NULL")
        var unvalidated = check
        unvalidated.notValid = true
        let fill = backfill.map {
            [derived(step, .online(.backfill(table, column: column, value: $0, type: type)), .backfill, first: first)]
        }
        return (fill ?? [])
            + [
                derived(step, .constraint(.addCheck(table, unvalidated)), .shortLocks, first: first && fill == nil),
                derived(step, .constraint(.validateCheck(table, check)), .validation, first: false),
                derived(
                    step, .online(.setNotNullFromCheck(table, column: column, check: check.name)), .shortLocks,
                    first: false),
            ]
    }

    private static func phase(_ step: PlanStep, _ phase: OnlinePhase) -> PlanStep {
        var step = step
        step.onlinePhase = phase
        return step
    }

    /// A step of its own for `kind`, made from `step`: its row estimate, and its pre-flight result on the
    /// first of the steps it becomes.
    private static func derived(
        _ step: PlanStep, _ kind: Change.Kind, _ phase: OnlinePhase, first: Bool = true
    ) -> PlanStep {
        let change = Change(kind, details: step.change.details)
        var derived = PlanStep(
            number: 0, change: change, statements: change.statements, hazards: change.hazards, lock: change.lock)
        derived.estimatedRows = step.estimatedRows
        derived.preflightFailure = first ? step.preflightFailure : nil
        derived.onlinePhase = phase
        return derived
    }

    /// A check (and so NOT NULL) can be added `NOT VALID` and validated on a partitioned table; indexes, keys and
    /// foreign keys cannot take the online path there.
    private static func convertsOnPartitionedTables(_ change: Change) -> Bool {
        switch change.kind {
        case .index, .constraint(.addPrimaryKey), .constraint(.addUnique), .constraint(.addForeignKey): return false
        case .schema, .type, .table, .column, .constraint, .seed, .partition, .sequence, .policy, .routine, .trigger,
            .online, .view:
            return true
        }
    }

    /// Marks a step that holds a lock blocking writes while it rewrites or scans the table.
    private static func refusing(_ step: PlanStep, allowRewrites: Bool) -> PlanStep {
        guard !allowRewrites, let estimate = lockedScan(step) else { return step }
        var step = step
        step.onlineRefusal =
            "\(estimate); --online refuses it (run it with --allow-rewrites, or expand/contract: see the README)"
        return step
    }

    /// `blocks writes while it rewrites or scans the table (~2000000 rows, about 2 s)` for a step that holds a
    /// lock blocking writes for as long as the table takes; nil for every other step.
    public static func lockedScan(_ step: PlanStep) -> String? {
        guard step.lock.blocksWrites, step.hazards.contains(.rewritesTable) || buildsIndexUnderLock(step.change)
        else { return nil }
        let what = step.lock.blocksReads ? "blocks reads and writes" : "blocks writes"
        guard let rows = step.estimatedRows, rows > 0 else {
            return "\(what) while it rewrites or scans the table (size unknown)"
        }
        let seconds = max(1, (rows + rowsPerSecond - 1) / rowsPerSecond)
        return "\(what) while it rewrites or scans the table (~\(rows) rows, about \(seconds) s)"
    }

    /// A plain `CREATE INDEX`, or a key or exclusion constraint, which builds its index under its lock.
    private static func buildsIndexUnderLock(_ change: Change) -> Bool {
        if case .index(.createIndex) = change.kind { return true }
        guard case .constraint(let constraint) = change.kind else { return false }
        switch constraint {
        case .addPrimaryKey, .addUnique, .addExclusion: return true
        case .addCheck, .addForeignKey, .renameConstraint, .dropConstraint, .validateCheck, .validateForeignKey,
            .setKeyStorageParameters:
            return false
        }
    }
}
