/// Table constraints: primary keys, unique constraints, checks, exclusion constraints and foreign keys.
public enum ConstraintChange: ChangeFamily {
    case addPrimaryKey(QualifiedName, PrimaryKey)
    case addUnique(QualifiedName, UniqueConstraint)
    case addCheck(QualifiedName, CheckConstraint)
    case addExclusion(QualifiedName, ExclusionConstraint)
    case addForeignKey(QualifiedName, ForeignKey)
    case renameConstraint(QualifiedName, from: String, to: String)
    /// `replaced` is true when an add of the same name follows: the definition changed, nothing is lost.
    case dropConstraint(QualifiedName, name: String, replaced: Bool)
    /// A live `NOT VALID` check the file declares validated: existing rows are checked, without a rewrite.
    case validateCheck(QualifiedName, CheckConstraint)
    /// A live `NOT VALID` foreign key the file declares validated.
    case validateForeignKey(QualifiedName, ForeignKey)
    /// The storage parameters of a key's index (which has the constraint's name): `set` to their declared
    /// values, `reset` (names) back to the defaults. Takes effect for new pages; nothing is rebuilt.
    case setKeyStorageParameters(QualifiedName, constraint: String, set: [StorageParameter], reset: [String])

    var table: QualifiedName? { tableAndName.table }

    private var tableAndName: (table: QualifiedName, name: String) {
        switch self {
        case .addPrimaryKey(let table, let key): return (table, key.name)
        case .addUnique(let table, let unique): return (table, unique.name)
        case .addExclusion(let table, let exclusion): return (table, exclusion.name)
        case .addCheck(let table, let check), .validateCheck(let table, let check): return (table, check.name)
        case .addForeignKey(let table, let key), .validateForeignKey(let table, let key): return (table, key.name)
        case .renameConstraint(let table, _, let name), .dropConstraint(let table, let name, _): return (table, name)
        case .setKeyStorageParameters(let table, let name, _, _): return (table, name)
        }
    }

    var phase: Change.Phase {
        switch self {
        case .addPrimaryKey, .addUnique, .addCheck, .addExclusion, .renameConstraint, .setKeyStorageParameters:
            return .constraints
        case .addForeignKey, .validateCheck, .validateForeignKey: return .foreignKeys
        case .dropConstraint: return .drops
        }
    }

    /// Constraints drop before the indexes and columns they depend on; a key's index changes after the key's
    /// rename, under its new name.
    var rankInPhase: Int {
        switch self {
        case .setKeyStorageParameters: return 1
        case .addPrimaryKey, .addUnique, .addCheck, .addExclusion, .addForeignKey, .renameConstraint,
            .dropConstraint, .validateCheck, .validateForeignKey:
            return 0
        }
    }

    var marker: Change.Marker {
        switch self {
        case .addPrimaryKey, .addUnique, .addCheck, .addExclusion, .addForeignKey: return .add
        case .renameConstraint, .validateCheck, .validateForeignKey, .setKeyStorageParameters: return .change
        case .dropConstraint(_, _, let replaced): return replaced ? .change : .remove
        }
    }

    var isDestructive: Bool {
        switch self {
        case .dropConstraint(_, _, let replaced): return !replaced
        case .addPrimaryKey, .addUnique, .addCheck, .addExclusion, .addForeignKey, .renameConstraint,
            .validateCheck, .validateForeignKey, .setKeyStorageParameters:
            return false
        }
    }

    var needsManualAction: Bool { false }

    var kindName: String {
        switch self {
        case .addPrimaryKey: return "add_primary_key"
        case .addUnique: return "add_unique"
        case .addCheck: return "add_check"
        case .addExclusion: return "add_exclusion"
        case .addForeignKey: return "add_foreign_key"
        case .renameConstraint: return "rename_constraint"
        case .dropConstraint(_, _, let replaced): return replaced ? "replace_constraint" : "drop_constraint"
        case .validateCheck, .validateForeignKey: return "validate_constraint"
        case .setKeyStorageParameters: return "set_key_storage_parameters"
        }
    }

    func objectName(table: String) -> String { "\(table)/\(SQL.displayIdentifier(tableAndName.name))" }

    var summary: String {
        let name = SQL.displayIdentifier(tableAndName.name)
        switch self {
        case .addPrimaryKey(_, let key): return "add primary key \(name) (\(key.columns.joined(separator: ", ")))"
        case .addUnique(_, let unique):
            return "add unique constraint \(name) (\(unique.columns.joined(separator: ", ")))"
        case .addCheck: return "add check \(name)"
        case .addExclusion: return "add exclusion constraint \(name)"
        case .addForeignKey(_, let key): return "add foreign key \(name) → \(key.referencedTable)"
        case .renameConstraint(_, let from, _): return "rename constraint \(SQL.displayIdentifier(from)) to \(name)"
        case .dropConstraint(_, _, let replaced):
            return replaced ? "replace constraint \(name) (definition changed)" : "drop constraint \(name)"
        case .validateCheck: return "validate check \(name) (checks existing rows)"
        case .validateForeignKey: return "validate foreign key \(name) (checks existing rows)"
        case .setKeyStorageParameters(_, _, let set, let reset):
            return "set storage parameters of key \(name)'s index ("
                + (set.map { "\($0.name)=\($0.value)" } + reset.map { "reset \($0)" }).joined(separator: ", ") + ")"
        }
    }

    func driftDescription(object: String, details: [String]) -> String {
        switch self {
        case .addPrimaryKey, .addUnique, .addCheck, .addExclusion, .addForeignKey:
            return "missing constraint \(object)"
        case .renameConstraint(_, let from, _):
            return "constraint \(object) is named \(SQL.displayIdentifier(from)) in the database"
        case .dropConstraint(_, _, let replaced):
            return replaced
                ? "constraint \(object) differs from the file" : "constraint \(object) is not declared in the file"
        case .validateCheck, .validateForeignKey:
            return "constraint \(object) is NOT VALID, the file declares it validated"
        case .setKeyStorageParameters:
            return "the index of constraint \(object) has other storage parameters than the file declares"
        }
    }

    var statements: [String] {
        let (table, name) = tableAndName
        switch self {
        case .addPrimaryKey(_, let key):
            return [SQLRenderer.addConstraint(table, name, SQLRenderer.primaryKeyClause(key))]
        case .addUnique(_, let unique):
            return [SQLRenderer.addConstraint(table, name, SQLRenderer.uniqueClause(unique))]
        case .addCheck(_, let check):
            return [SQLRenderer.addConstraint(table, name, SQLRenderer.checkClause(check))]
        case .addExclusion(_, let exclusion):
            return [SQLRenderer.addConstraint(table, name, SQLRenderer.exclusionClause(exclusion))]
        case .addForeignKey(_, let key):
            return [SQLRenderer.addConstraint(table, name, SQLRenderer.foreignKeyClause(key))]
        case .renameConstraint(_, let from, _):
            let condition =
                "EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = \(SQLRenderer.regclass(table)) "
                + "AND conname = \(SQL.literal(from)))"
            return [
                SQLRenderer.guarded(
                    if: condition,
                    "ALTER TABLE \(SQL.qualified(table)) RENAME CONSTRAINT "
                        + "\(SQL.identifier(from)) TO \(SQL.identifier(name))")
            ]
        case .dropConstraint:
            return ["ALTER TABLE \(SQL.qualified(table)) DROP CONSTRAINT IF EXISTS \(SQL.identifier(name))"]
        case .validateCheck, .validateForeignKey:
            // A no-op on a constraint that is already valid.
            return ["ALTER TABLE \(SQL.qualified(table)) VALIDATE CONSTRAINT \(SQL.identifier(name))"]
        case .setKeyStorageParameters(_, _, let set, let reset):
            // Setting a value it has, or resetting one it lacks, is a no-op.
            let index = SQL.qualified(QualifiedName(schema: table.schema, name: name))
            return (set.isEmpty ? [] : ["ALTER INDEX \(index) SET (\(SQLRenderer.storageParameterList(set)))"])
                + (reset.isEmpty ? [] : ["ALTER INDEX \(index) RESET (\(reset.joined(separator: ", ")))"])
        }
    }

    var lock: TableLock {
        switch self {
        // On the table and on the one it references.
        case .addForeignKey: return .shareRowExclusive
        case .validateCheck, .validateForeignKey: return .shareUpdateExclusive
        // ALTER INDEX ... SET / RESET locks the index alone, not its table.
        case .setKeyStorageParameters: return .none
        case .addPrimaryKey, .addUnique, .addCheck, .addExclusion, .renameConstraint, .dropConstraint:
            return .accessExclusive
        }
    }

    var lockedTables: [QualifiedName] {
        switch self {
        case .addForeignKey(let table, let key), .validateForeignKey(let table, let key):
            return [table, key.referencedTable]
        case .addPrimaryKey(let table, _), .addUnique(let table, _), .addCheck(let table, _),
            .addExclusion(let table, _),
            .renameConstraint(let table, _, _), .dropConstraint(let table, _, _), .validateCheck(let table, _):
            return [table]
        case .setKeyStorageParameters: return []
        }
    }

    var hazards: [Hazard] {
        switch self {
        case .renameConstraint, .setKeyStorageParameters: return []
        // Each builds its index under the lock; an exclusion constraint fails on conflicting rows as a unique
        // one does on duplicates.
        case .addPrimaryKey, .addUnique, .addExclusion:
            return [.mayFailOnExistingRows]
        // NOT VALID skips the existing rows: only the brief lock remains.
        case .addCheck(_, let check) where check.notValid: return []
        case .addCheck: return [.rewritesTable, .mayFailOnExistingRows]
        case .addForeignKey(_, let key) where key.notValid: return []
        case .addForeignKey: return [.rewritesTable, .mayFailOnExistingRows]
        // SHARE UPDATE EXCLUSIVE: reads and writes go on while the rows are scanned.
        case .validateCheck, .validateForeignKey: return [.rewritesTable, .mayFailOnExistingRows]
        case .dropConstraint(_, _, let replaced):
            return replaced ? [] : [.deletesData]
        }
    }

    func preflight(tables: PreflightTables) -> PreflightProbe? {
        let (table, name) = tableAndName
        let quotedName = SQL.displayIdentifier(name)
        switch self {
        case .addCheck(_, let check) where check.notValid: return nil
        case .addForeignKey(_, let key) where key.notValid: return nil
        case .addPrimaryKey(_, let key):
            guard let source = tables.relation(table, columns: key.columns, as: "t") else { return nil }
            let anyNull = key.columns.map { "\(SQL.identifier($0)) IS NULL" }.joined(separator: " OR ")
            let query =
                "SELECT (SELECT count(*) FROM \(source) WHERE \(anyNull)) + "
                + "(\(Self.duplicates(source, key.columns)))"
            return PreflightProbe(query) {
                "\(rowsText($0, "has", "have")) NULL or duplicated values in (\(key.columns.joined(separator: ", "))): "
                    + "primary key \(quotedName) cannot be added"
            }
        case .addUnique(_, let unique):
            guard let source = tables.relation(table, columns: unique.columns, as: "t") else { return nil }
            let columns = unique.columns.joined(separator: ", ")
            return PreflightProbe(Self.duplicates(source, unique.columns)) {
                "\($0 == 1 ? "1 value of (\(columns)) occurs" : "\($0) values of (\(columns)) occur") more than once: "
                    + "unique constraint \(quotedName) cannot be added"
            }
        case .addExclusion(_, let exclusion):
            guard let source = tables.relation(table, columns: [], as: "t"),
                let conflicts = Self.conflictingPairs(source, exclusion.definition),
                conflicts.hashable || (tables.estimatedRows(table) ?? Int.max) <= Self.pairProbeRowLimit
            else { return nil }
            return PreflightProbe(conflicts.query) {
                "\($0 == 1 ? "1 pair of rows conflicts" : "\($0) pairs of rows conflict") under "
                    + "(\(conflicts.elements)): exclusion constraint \(quotedName) cannot be added"
            }
        case .addCheck(_, let check), .validateCheck(_, let check):
            guard let source = tables.relation(table, columns: [], as: "t") else { return nil }
            let expression =
                check.expression.hasPrefix("CHECK ")
                ? String(check.expression.dropFirst(6)) : "(\(check.expression))"
            return PreflightProbe("SELECT count(*) FROM \(source) WHERE NOT \(expression)") {
                "\(rowsText($0, "violates", "violate")) check \(quotedName)"
            }
        case .addForeignKey(_, let key), .validateForeignKey(_, let key):
            guard let source = tables.relation(table, columns: key.columns, as: "t"),
                let referenced = tables.relation(key.referencedTable, columns: key.referencedColumns, as: "r")
            else { return nil }
            let present = key.columns.map { "t.\(SQL.identifier($0)) IS NOT NULL" }.joined(separator: " AND ")
            let match = zip(key.columns, key.referencedColumns)
                .map { "r.\(SQL.identifier($1)) = t.\(SQL.identifier($0))" }.joined(separator: " AND ")
            let query =
                "SELECT count(*) FROM \(source) WHERE \(present) AND NOT EXISTS "
                + "(SELECT 1 FROM \(referenced) WHERE \(match))"
            let missing = PreflightProbe(query) {
                "\(rowsText($0, "references", "reference")) missing rows of \(key.referencedTable): "
                    + "foreign key \(quotedName) cannot be added"
            }
            guard key.matchFull, key.columns.count > 1 else { return missing }
            // MATCH FULL also refuses a key that is partly NULL.
            let someNull = key.columns.map { "\(SQL.identifier($0)) IS NULL" }.joined(separator: " OR ")
            let allNull = key.columns.map { "\(SQL.identifier($0)) IS NULL" }.joined(separator: " AND ")
            let columns = key.columns.joined(separator: ", ")
            return PreflightProbe("SELECT count(*) FROM \(source) WHERE (\(someNull)) AND NOT (\(allNull))") {
                "\(rowsText($0, "has", "have")) some but not all of (\(columns)) NULL, which MATCH FULL refuses: "
                    + "foreign key \(quotedName) cannot be added"
            }.then(missing)
        case .renameConstraint, .dropConstraint, .setKeyStorageParameters:
            return nil
        }
    }

    /// Counts the values of `columns` that occur more than once in `source` (NULLs never collide).
    private static func duplicates(_ source: String, _ columns: [String]) -> String {
        let list = SQL.identifierList(columns)
        let present = columns.map { "\(SQL.identifier($0)) IS NOT NULL" }.joined(separator: " AND ")
        return "SELECT count(*) FROM (SELECT 1 FROM \(source) WHERE \(present) "
            + "GROUP BY \(list) HAVING count(*) > 1) AS d"
    }

    /// Without an `=` element the pair count is a nested loop over the table, quadratic in its rows: above
    /// this many (by the planner's estimate, unknown counting as above) the step goes without a pre-flight,
    /// and a conflict fails the apply instead (which rolls back).
    static let pairProbeRowLimit = 10_000

    /// A count of the pairs of rows that the exclusion constraint would refuse: the elements are evaluated
    /// once per row (in a CTE, so expressions need no table alias), and the rows joined pairwise with each
    /// element's operator. Operators of exclusion constraints are commutative, so each unordered pair is
    /// counted once, and NULL never conflicts, as in the constraint. `hashable` says an element compares with
    /// `=`, which lets the server hash-join instead of comparing every pair. nil when an element is more than
    /// an operand (an operator class or collation follows it): telling those apart needs the server's parser.
    static func conflictingPairs(
        _ source: String, _ definition: String
    )
        -> (query: String, elements: String, hashable: Bool)?
    {
        guard let parsed = ExclusionDefinition(definition), !parsed.elements.isEmpty,
            parsed.elements.allSatisfy(\.isPlainOperand)
        else { return nil }
        let elements = parsed.elements
        let values = elements.enumerated().map { "(\($1.expression)) AS e\($0)" }.joined(separator: ", ")
        let matches = elements.enumerated().map { "a.e\($0) \($1.op) b.e\($0)" }.joined(separator: " AND ")
        let predicate = parsed.predicate.map { " WHERE \($0)" } ?? ""
        let query =
            "WITH x AS (SELECT row_number() OVER () AS r, \(values) FROM \(source)\(predicate)) "
            + "SELECT count(*) FROM x AS a JOIN x AS b ON a.r < b.r AND \(matches)"
        return (
            query, elements.map { "\($0.expression) WITH \($0.op)" }.joined(separator: ", "),
            elements.contains { $0.op == "=" }
        )
    }

    var blockedByDependents: DependentsProbe? { nil }
    var privilege: PrivilegeNeed { .ownership(tableAndName.table) }
}
