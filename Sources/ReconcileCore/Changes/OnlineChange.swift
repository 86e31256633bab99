/// The steps only an online plan (`--apply --online`) has: the forms of index and key changes that take no lock
/// that blocks writes for longer than a moment. The other online steps are ordinary kinds (a check or foreign
/// key added `NOT VALID`, `VALIDATE CONSTRAINT`); `OnlinePlanner` decides which change becomes which.
public enum OnlineChange: ChangeFamily {
    /// `CREATE INDEX CONCURRENTLY` or `DROP INDEX CONCURRENTLY` (also of an INVALID index), outside any
    /// transaction: the index change it stands for keeps its text, kind and risks.
    case concurrently(IndexChange)
    /// The unique index a primary key or unique constraint will own, built `CONCURRENTLY` under the
    /// constraint's name, ready for `attachIndex` (see `keyIndex`).
    case buildKeyIndex(QualifiedName, Index)
    /// `ADD CONSTRAINT ... PRIMARY KEY | UNIQUE USING INDEX`: the key takes over the index built before, without
    /// a scan. `change` is the `addPrimaryKey` or `addUnique` it completes.
    case attachIndex(ConstraintChange)
    /// `SET NOT NULL`, which PostgreSQL proves from the validated `check` without a scan, then the check goes.
    case setNotNullFromCheck(QualifiedName, column: String, check: String)
    /// `UPDATE ... SET column = value WHERE column IS NULL` in a transaction of its own, before the column
    /// becomes NOT NULL: row locks only, no table lock that blocks the application.
    case backfill(QualifiedName, column: String, value: Literal, type: String)

    /// The name of the temporary `CHECK (column IS NOT NULL)` that makes `SET NOT NULL` need no scan; made to
    /// be recognised on a run that follows an interrupted one. At most 63 bytes, as PostgreSQL keeps.
    public static func notNullCheckName(column: String) -> String {
        var name = "reconcile_not_null_" + column
        while name.utf8.count > 63 { name.removeLast() }
        return name
    }

    static let notNullCheckPrefix = "reconcile_not_null_"

    var table: QualifiedName? {
        switch self {
        case .concurrently(let change): return change.table
        case .attachIndex(let change): return change.table
        case .buildKeyIndex(let table, _), .setNotNullFromCheck(let table, _, _),
            .backfill(let table, _, _, _):
            return table
        }
    }

    var phase: Change.Phase {
        switch self {
        case .concurrently(let change): return change.phase
        case .attachIndex(let change): return change.phase
        case .buildKeyIndex: return .constraints
        case .setNotNullFromCheck, .backfill: return .columnChanges
        }
    }

    var rankInPhase: Int {
        switch self {
        case .concurrently(let change): return change.rankInPhase
        case .attachIndex(let change): return change.rankInPhase
        case .buildKeyIndex, .setNotNullFromCheck, .backfill: return 0
        }
    }

    var marker: Change.Marker {
        switch self {
        case .concurrently(let change): return change.marker
        case .attachIndex(let change): return change.marker
        case .buildKeyIndex: return .add
        case .setNotNullFromCheck, .backfill: return .change
        }
    }

    var isDestructive: Bool {
        switch self {
        case .concurrently(let change): return change.isDestructive
        case .attachIndex, .buildKeyIndex, .setNotNullFromCheck, .backfill: return false
        }
    }

    var needsManualAction: Bool { false }

    var kindName: String {
        switch self {
        case .concurrently(let change): return change.kindName + "_concurrently"
        case .buildKeyIndex: return "build_key_index_concurrently"
        case .attachIndex(let change): return change.kindName + "_using_index"
        case .setNotNullFromCheck: return "set_not_null_from_check"
        case .backfill: return "backfill_nulls"
        }
    }

    func objectName(table: String) -> String {
        switch self {
        case .concurrently(let change): return change.objectName(table: table)
        case .attachIndex(let change): return change.objectName(table: table)
        case .buildKeyIndex(_, let index): return "\(table)/\(SQL.displayIdentifier(index.name))"
        case .setNotNullFromCheck(_, let column, _), .backfill(_, let column, _, _):
            return "\(table).\(SQL.displayIdentifier(column))"
        }
    }

    var summary: String {
        switch self {
        case .concurrently(let change): return change.summary + " CONCURRENTLY"
        case .buildKeyIndex(_, let index):
            let columns = index.keys.compactMap { key -> String? in
                if case .column(let name) = key { return name }
                return nil
            }
            return "build unique index \(SQL.displayIdentifier(index.name)) (\(columns.joined(separator: ", "))) "
                + "CONCURRENTLY for the key"
        case .attachIndex(let change): return change.summary + " using its index"
        case .setNotNullFromCheck(_, let column, let check):
            return "make \(SQL.displayIdentifier(column)) NOT NULL, proven by check \(SQL.displayIdentifier(check)) "
                + "(no scan), then drop the check"
        case .backfill(_, let column, let value, _):
            return "fill NULLs of \(SQL.displayIdentifier(column)) with \(value) (its own transaction)"
        }
    }

    func driftDescription(object: String, details: [String]) -> String {
        switch self {
        case .concurrently(let change): return change.driftDescription(object: object, details: details)
        case .attachIndex(let change): return change.driftDescription(object: object, details: details)
        case .buildKeyIndex: return "missing constraint \(object)"
        case .setNotNullFromCheck, .backfill: return "column \(object) is nullable, the file declares it NOT NULL"
        }
    }

    var statements: [String] {
        switch self {
        case .concurrently(let change):
            return change.statements.map(Self.concurrent)
        case .buildKeyIndex(let table, let index):
            return [Self.concurrent(SQLRenderer.createIndex(table, index))]
        case .attachIndex(let change):
            guard let table = change.table else { return [] }
            let (name, clause) = Self.keyUsingIndex(change)
            return [SQLRenderer.addConstraint(table, name, clause)]
        case .setNotNullFromCheck(let table, let column, let check):
            return [
                "ALTER TABLE \(SQL.qualified(table)) ALTER COLUMN \(SQL.identifier(column)) SET NOT NULL",
                "ALTER TABLE \(SQL.qualified(table)) DROP CONSTRAINT IF EXISTS \(SQL.identifier(check))",
            ]
        case .backfill(let table, let column, let value, let type):
            return [SQLRenderer.backfillUpdate(table, column: column, value: value, type: type)]
        }
    }

    /// `CREATE [UNIQUE] INDEX` and `DROP INDEX` as their `CONCURRENTLY` forms; other statements (an index's
    /// statistics targets, which lock only the index) unchanged.
    static func concurrent(_ statement: String) -> String {
        for prefix in ["CREATE UNIQUE INDEX ", "CREATE INDEX ", "DROP INDEX "] where statement.hasPrefix(prefix) {
            return prefix + "CONCURRENTLY " + statement.dropFirst(prefix.count)
        }
        return statement
    }

    /// `PRIMARY KEY USING INDEX name` or `UNIQUE USING INDEX name`, with the key's deferral.
    /// The unique index a key added by `change` owns: on its columns, with its INCLUDE columns and storage
    /// parameters (`ADD CONSTRAINT ... USING INDEX` keeps them); nil for other changes.
    static func keyIndex(_ change: ConstraintChange) -> Index? {
        switch change {
        case .addPrimaryKey(_, let key):
            return Index(
                name: key.name, keys: key.columns.map(IndexKey.column), isUnique: true,
                include: key.index?.include ?? [], storageParameters: key.index?.storageParameters ?? [])
        case .addUnique(_, let unique):
            return Index(
                name: unique.name, keys: unique.columns.map(IndexKey.column), isUnique: true,
                include: unique.index?.include ?? [], nullsNotDistinct: unique.nullsNotDistinct,
                storageParameters: unique.index?.storageParameters ?? [])
        case .addCheck, .addExclusion, .addForeignKey, .renameConstraint, .dropConstraint, .validateCheck,
            .validateForeignKey, .setKeyStorageParameters:
            return nil
        }
    }

    static func keyUsingIndex(_ change: ConstraintChange) -> (name: String, clause: String) {
        switch change {
        case .addPrimaryKey(_, let key):
            return (key.name, "PRIMARY KEY USING INDEX \(SQL.identifier(key.name))\(key.deferral.sql)")
        case .addUnique(_, let unique):
            return (unique.name, "UNIQUE USING INDEX \(SQL.identifier(unique.name))\(unique.deferral.sql)")
        case .addCheck, .addExclusion, .addForeignKey, .renameConstraint, .dropConstraint, .validateCheck,
            .validateForeignKey, .setKeyStorageParameters:
            return ("", "")
        }
    }

    var hazards: [Hazard] {
        switch self {
        // A unique build can fail on duplicates (and leaves an INVALID index, dropped by the next run).
        case .concurrently(let change): return change.hazards
        case .buildKeyIndex: return [.mayFailOnExistingRows]
        case .attachIndex, .setNotNullFromCheck: return []
        case .backfill: return [.rewritesTable]
        }
    }

    var lock: TableLock {
        switch self {
        // CONCURRENTLY: SHARE UPDATE EXCLUSIVE, which reads and writes do not conflict with.
        case .concurrently, .buildKeyIndex: return .shareUpdateExclusive
        // Brief: no scan happens under it.
        case .attachIndex, .setNotNullFromCheck: return .accessExclusive
        // Row locks on the rows it fills, as any write of the application takes.
        case .backfill: return .rowExclusive
        }
    }

    func preflight(tables: PreflightTables) -> PreflightProbe? {
        switch self {
        case .concurrently(let change): return change.preflight(tables: tables)
        case .attachIndex(let change): return change.preflight(tables: tables)
        case .buildKeyIndex, .setNotNullFromCheck, .backfill: return nil
        }
    }

    var blockedByDependents: DependentsProbe? { nil }

    var privilege: PrivilegeNeed {
        guard let table else { return .none }
        return .ownership(table)
    }
}
