/// Columns of existing tables: add, rename, retype, defaults, nullability, identity, comments, drop.
public enum ColumnChange: ChangeFamily {
    case renameColumn(QualifiedName, from: String, to: String)
    case setColumnComment(QualifiedName, column: String, String?)
    case addColumn(QualifiedName, Column)
    /// `lossy`: the new type cannot hold every value of the old one (narrowing, or a cast that may fail).
    case alterColumnType(QualifiedName, column: String, from: String, to: String, lossy: Bool)
    /// `type`: the column's declared type, so a number is written the way that type reads it.
    case setDefault(QualifiedName, column: String, ColumnDefault, type: String = "")
    case dropDefault(QualifiedName, column: String)
    /// With a backfill value, NULLs are replaced by it first.
    case setNotNull(QualifiedName, column: String, backfill: Literal?, type: String)
    case dropNotNull(QualifiedName, column: String)
    /// `sequence`: the identity's sequence name and options, where they are not the defaults.
    case addIdentity(QualifiedName, column: String, IdentityKind, sequence: SequenceOptions? = nil)
    case setIdentity(QualifiedName, column: String, IdentityKind)
    case dropIdentity(QualifiedName, column: String)
    /// A `serial` column stops being one: its default and its owned sequence go (the values stay).
    case dropSerial(QualifiedName, column: String)
    /// A column becomes `serial`: a sequence it owns, continuing after the highest value, feeds its default.
    case addSerial(QualifiedName, column: String, type: String, SequenceOptions? = nil)
    /// A generated column becomes a plain one, keeping its values (`DROP EXPRESSION`).
    case dropExpression(QualifiedName, column: String)
    /// A column becomes generated, or its expression changes: dropped and added again as declared. The
    /// values of a generated column are derived, so only `wasGenerated: false` loses data.
    case rebuildGeneratedColumn(QualifiedName, Column, wasGenerated: Bool)
    /// The planner statistics target (nil: the default).
    case setStatistics(QualifiedName, column: String, Int?)
    /// `SET STORAGE` (nil: the type's default). Catalog only: values stored before keep their form.
    case setStorage(QualifiedName, column: String, ColumnStorage?)
    /// `SET COMPRESSION` (nil: the default). Catalog only: values stored before keep their compression.
    case setCompression(QualifiedName, column: String, ColumnCompression?)
    /// The column's collation (nil: its type's default); the type is restated, as ALTER needs it.
    case setCollation(QualifiedName, column: String, type: String, collation: String?)
    /// The sequence of a serial or identity column: renamed and its options set (both sides resolved).
    case alterSequence(QualifiedName, column: String, from: SequenceOptions, to: SequenceOptions)
    /// The column's NOT NULL constraint gets its declared name (PostgreSQL 18+).
    case renameNotNullConstraint(QualifiedName, column: String, from: String?, to: String)
    case dropColumn(QualifiedName, column: String)

    var table: QualifiedName? { tableAndColumn.table }

    /// Every column change names its table and column.
    private var tableAndColumn: (table: QualifiedName, column: String) {
        switch self {
        case .renameColumn(let table, _, let column), .setColumnComment(let table, let column, _),
            .alterColumnType(let table, let column, _, _, _), .setDefault(let table, let column, _, _),
            .dropDefault(let table, let column), .setNotNull(let table, let column, _, _),
            .dropNotNull(let table, let column), .addIdentity(let table, let column, _, _),
            .setIdentity(let table, let column, _), .dropIdentity(let table, let column),
            .dropSerial(let table, let column), .addSerial(let table, let column, _, _),
            .dropColumn(let table, let column),
            .dropExpression(let table, let column), .alterSequence(let table, let column, _, _),
            .setCollation(let table, let column, _, _), .setStatistics(let table, let column, _),
            .setStorage(let table, let column, _), .setCompression(let table, let column, _),
            .renameNotNullConstraint(let table, let column, _, _):
            return (table, column)
        case .addColumn(let table, let column), .rebuildGeneratedColumn(let table, let column, _):
            return (table, column.name)
        }
    }

    /// A generated column reads other columns, which PostgreSQL will not drop or retype under it: it loses its
    /// expression among the drops (before any column goes) and is added or rebuilt after the type changes.
    var phase: Change.Phase {
        switch self {
        case .renameColumn: return .columns
        case .addColumn(_, let column): return column.generated == nil ? .columns : .columnChanges
        case .alterColumnType, .setDefault, .dropDefault, .setNotNull, .dropNotNull, .addIdentity, .setIdentity,
            .dropIdentity, .dropSerial, .addSerial, .setColumnComment, .rebuildGeneratedColumn,
            .alterSequence, .setCollation, .setStatistics, .setStorage, .setCompression, .renameNotNullConstraint:
            return .columnChanges
        case .dropColumn, .dropExpression: return .drops
        }
    }

    /// Drops: expressions before columns. Column changes: generated columns after the columns they read,
    /// comments after the columns they describe.
    var rankInPhase: Int {
        switch self {
        case .dropColumn: return 2
        case .addColumn(_, let column): return column.generated == nil ? 0 : 1
        case .rebuildGeneratedColumn: return 1
        case .setColumnComment: return 2
        case .renameColumn, .alterColumnType, .setDefault, .dropDefault, .setNotNull,
            .dropNotNull, .addIdentity, .setIdentity, .dropIdentity, .dropSerial, .addSerial, .dropExpression,
            .alterSequence, .setCollation, .setStatistics, .setStorage, .setCompression, .renameNotNullConstraint:
            return 0
        }
    }

    var marker: Change.Marker {
        switch self {
        case .addColumn, .addIdentity, .addSerial: return .add
        case .renameColumn, .setColumnComment, .alterColumnType, .setDefault, .dropDefault, .setNotNull, .dropNotNull,
            .setIdentity, .dropIdentity, .dropSerial, .dropExpression, .rebuildGeneratedColumn, .alterSequence,
            .setCollation, .setStatistics, .setStorage, .setCompression, .renameNotNullConstraint:
            return .change
        case .dropColumn: return .remove
        }
    }

    var isDestructive: Bool {
        switch self {
        case .alterColumnType(_, _, _, _, let lossy): return lossy
        case .dropColumn: return true
        case .rebuildGeneratedColumn(_, _, let wasGenerated): return !wasGenerated
        case .renameColumn, .setColumnComment, .addColumn, .setDefault, .dropDefault, .setNotNull, .dropNotNull,
            .addIdentity, .setIdentity, .dropIdentity, .dropSerial, .addSerial, .dropExpression, .alterSequence,
            .setCollation, .setStatistics, .setStorage, .setCompression, .renameNotNullConstraint:
            return false
        }
    }

    var needsManualAction: Bool { false }

    var kindName: String {
        switch self {
        case .renameColumn: return "rename_column"
        case .setColumnComment: return "set_column_comment"
        case .addColumn: return "add_column"
        case .alterColumnType: return "alter_column_type"
        case .setDefault: return "set_default"
        case .dropDefault: return "drop_default"
        case .setNotNull: return "set_not_null"
        case .dropNotNull: return "drop_not_null"
        case .addIdentity: return "add_identity"
        case .setIdentity: return "set_identity"
        case .dropIdentity: return "drop_identity"
        case .dropSerial: return "drop_serial"
        case .addSerial: return "add_serial"
        case .dropExpression: return "drop_expression"
        case .rebuildGeneratedColumn: return "rebuild_generated_column"
        case .alterSequence: return "alter_sequence"
        case .renameNotNullConstraint: return "rename_not_null_constraint"
        case .setCollation: return "set_collation"
        case .setStatistics: return "set_statistics"
        case .setStorage: return "set_storage"
        case .setCompression: return "set_compression"
        case .dropColumn: return "drop_column"
        }
    }

    func objectName(table: String) -> String { "\(table).\(SQL.displayIdentifier(tableAndColumn.column))" }

    var summary: String {
        let column = SQL.displayIdentifier(tableAndColumn.column)
        switch self {
        case .renameColumn(_, let from, _): return "rename column \(SQL.displayIdentifier(from)) to \(column)"
        case .setColumnComment(_, _, let comment):
            return comment == nil ? "drop comment of \(column)" : "set comment of \(column)"
        case .addColumn(_, let definition): return "add column \(column) \(definition.type)"
        case .alterColumnType(_, _, let from, let to, let lossy):
            return "change type of \(column): \(from) → \(to)\(lossy ? " (may lose data)" : "")"
        case .setDefault(_, _, let value, _): return "set default of \(column) to \(SQLRenderer.defaultText(value))"
        case .dropDefault: return "drop default of \(column)"
        case .setNotNull(_, _, let backfill, _):
            return "make \(column) NOT NULL" + (backfill.map { " (NULLs become \($0))" } ?? "")
        case .dropNotNull: return "make \(column) nullable"
        case .addIdentity(_, _, let kind, _): return "make \(column) an identity (\(kind.sql))"
        case .setIdentity(_, _, let kind): return "make identity \(column) GENERATED \(kind.sql)"
        case .dropIdentity: return "drop identity of \(column)"
        case .dropSerial: return "make \(column) a plain column (drop its serial default and owned sequence)"
        case .addSerial: return "make \(column) serial (a sequence continuing after its highest value)"
        case .dropExpression: return "make \(column) a plain column (keeps its generated values)"
        case .setStatistics(_, _, let target):
            return target.map { "set the statistics target of \(column) to \($0)" }
                ?? "reset the statistics target of \(column)"
        case .setStorage(_, _, let storage):
            return storage.map { "set the storage of \(column) to \($0.sql)" }
                ?? "reset the storage of \(column) to its type's default"
        case .setCompression(_, _, let compression):
            return compression.map { "set the compression of \(column) to \($0.rawValue)" }
                ?? "reset the compression of \(column) to the default"
        case .setCollation(_, _, _, let collation):
            return collation.map { "set the collation of \(column) to \(SQL.displayIdentifier($0))" }
                ?? "reset the collation of \(column) to its type's default"
        case .alterSequence(_, _, let from, let to):
            return "change the sequence of \(column): " + Self.sequenceDifferences(from: from, to: to)
        case .renameNotNullConstraint(_, _, let from, let to):
            return "rename the NOT NULL constraint of \(column)"
                + (from.map { " from \(SQL.displayIdentifier($0))" } ?? "") + " to \(SQL.displayIdentifier(to))"
        case .rebuildGeneratedColumn(_, let definition, let wasGenerated):
            return "\(wasGenerated ? "rebuild" : "replace") \(column) as GENERATED ALWAYS AS "
                + "(\(definition.generated?.expression ?? "")) (drop and add the column"
                + (wasGenerated ? ")" : "; its current values are lost)")
        case .dropColumn: return "drop column \(column)"
        }
    }

    func driftDescription(object: String, details: [String]) -> String {
        switch self {
        case .renameColumn(_, let from, _): return "column \(object) is still named \(SQL.displayIdentifier(from))"
        case .setColumnComment: return "comment of column \(object) differs from the file"
        case .addColumn: return "missing column \(object)"
        case .alterColumnType(_, _, let from, let to, _): return "column \(object) is \(from), the file declares \(to)"
        case .setDefault(_, _, let value, _):
            return "column \(object) default differs from the file (declared: \(SQLRenderer.defaultText(value)))"
        case .dropDefault: return "column \(object) has a default the file does not declare"
        case .setNotNull: return "column \(object) is nullable, the file declares NOT NULL"
        case .dropNotNull: return "column \(object) is NOT NULL, the file declares it nullable"
        case .addIdentity, .setIdentity, .dropIdentity: return "column \(object) identity differs from the file"
        case .dropSerial: return "column \(object) is serial, the file declares a plain column"
        case .addSerial: return "column \(object) is not serial, the file declares it serial"
        case .dropExpression: return "column \(object) is generated, the file declares a plain column"
        case .setCollation: return "collation of column \(object) differs from the file"
        case .setStatistics: return "statistics target of column \(object) differs from the file"
        case .setStorage: return "storage of column \(object) differs from the file"
        case .setCompression: return "compression of column \(object) differs from the file"
        case .renameNotNullConstraint(_, _, let from, let to):
            return
                "NOT NULL constraint of column \(object) is named \(from.map(SQL.displayIdentifier) ?? "otherwise"), "
                + "the file names it \(SQL.displayIdentifier(to))"
        case .alterSequence(_, _, let from, let to):
            return "sequence of column \(object) differs from the file: " + Self.sequenceDifferences(from: from, to: to)
        case .rebuildGeneratedColumn(_, _, let wasGenerated):
            return wasGenerated
                ? "generation expression of column \(object) differs from the file"
                : "column \(object) is not generated, the file declares it generated"
        case .dropColumn: return "column \(object) is not declared in the file"
        }
    }

    var statements: [String] {
        let (table, name) = tableAndColumn
        let alter = "ALTER TABLE \(SQL.qualified(table))"
        let alterColumn = "\(alter) ALTER COLUMN \(SQL.identifier(name))"
        switch self {
        case .renameColumn(_, let from, let to):
            let condition =
                "EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = \(SQLRenderer.regclass(table)) "
                + "AND attname = \(SQL.literal(from)) AND NOT attisdropped)"
            return [
                SQLRenderer.guarded(
                    if: condition,
                    "\(alter) RENAME COLUMN \(SQL.identifier(from)) TO \(SQL.identifier(to))")
            ]
        case .setColumnComment(_, _, let comment):
            return [
                "COMMENT ON COLUMN \(SQL.qualified(table)).\(SQL.identifier(name)) IS "
                    + (comment.map(SQL.literal) ?? "NULL")
            ]
        case .addColumn(_, let column):
            guard let backfill = column.backfill, !column.isNullable, column.defaultValue == nil,
                column.identity == nil, !column.isSerial
            else {
                return [
                    "\(alter) ADD COLUMN IF NOT EXISTS \(SQLRenderer.columnDefinition(column, schema: table.schema))"
                ]
                    + SQLRenderer.serialSequenceAdjustments(table, column)
                    + SQLRenderer.setOwnedSequencePersistence(table, column: name, column.sequence)
                    + (column.statistics.map { [SQLRenderer.setStatistics(table, column: name, $0)] } ?? [])
                    + SQLRenderer.storageAndCompression(table, column)
            }
            // Existing rows get the backfill value, then the column becomes NOT NULL.
            var nullable = column
            nullable.isNullable = true
            return [
                "\(alter) ADD COLUMN IF NOT EXISTS \(SQLRenderer.columnDefinition(nullable, schema: table.schema))",
                SQLRenderer.backfillUpdate(table, column: column.name, value: backfill, type: column.type),
                "\(alterColumn) SET NOT NULL",
            ]
                + (column.notNullName.map { [SQLRenderer.renameNotNullConstraint(table, column: name, to: $0)] } ?? [])
        case .alterColumnType(_, _, _, let to, _):
            return ["\(alterColumn) TYPE \(to) USING \(SQL.identifier(name))::\(to)"]
        case .setDefault(_, _, let value, let type):
            return ["\(alterColumn) SET DEFAULT \(SQLRenderer.defaultSQL(value, type: type))"]
        case .dropDefault:
            return ["\(alterColumn) DROP DEFAULT"]
        case .setNotNull(_, _, let backfill, let type):
            guard let backfill else { return ["\(alterColumn) SET NOT NULL"] }
            return [
                SQLRenderer.backfillUpdate(table, column: name, value: backfill, type: type),
                "\(alterColumn) SET NOT NULL",
            ]
        case .dropNotNull:
            return ["\(alterColumn) DROP NOT NULL"]
        case .addIdentity(_, _, let kind, let sequence):
            let condition =
                "EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = \(SQLRenderer.regclass(table)) "
                + "AND attname = \(SQL.literal(name)) AND attidentity <> '')"
            // Existing rows keep their values; the identity continues after the highest, so the next insert
            // does not collide.
            let options = SQLRenderer.identityOptions(sequence, schema: table.schema).map { " (\($0))" } ?? ""
            return [
                SQLRenderer.guarded(
                    unless: condition, "\(alterColumn) ADD GENERATED \(kind.sql) AS IDENTITY\(options)"),
                SQLRenderer.restartAfterMaximum(
                    table, column: name,
                    sequence: SQLRenderer.serialSequenceLookup(table, column: name)),
            ]
                + SQLRenderer.setOwnedSequencePersistence(table, column: name, sequence)
        case .setIdentity(_, _, let kind):
            return ["\(alterColumn) SET GENERATED \(kind.sql)"]
        case .dropIdentity:
            return ["\(alterColumn) DROP IDENTITY IF EXISTS"]
        case .dropSerial:
            // Only while the column still owns a sequence and is no identity (whose sequence the lookup
            // would find too): the default goes first, as the sequence cannot be dropped while it is used.
            let identity =
                "EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = "
                + "\(SQLRenderer.regclass(table)) AND attname = \(SQL.literal(name)) AND attidentity <> '')"
            let body = """
                IF sequence_name IS NOT NULL AND NOT \(identity) THEN
                        \(alterColumn) DROP DEFAULT;
                        EXECUTE 'DROP SEQUENCE ' || sequence_name;
                    END IF;
                """
            return [
                SQLRenderer.doBlock(
                    body,
                    declaring: "sequence_name text := "
                        + SQLRenderer.serialSequenceLookup(table, column: name))
            ]
        case .addSerial(_, _, let type, let options):
            let resolved = (options ?? SequenceOptions()).resolved(table: table, column: name, columnType: type)
            let sequence = QualifiedName(schema: table.schema, name: resolved.name ?? "")
            let owner = "\(SQL.qualified(table)).\(SQL.identifier(name))"
            // Only the options that are not the defaults, as a person would write them.
            let clauses = options?.minimized(table: table, column: name, columnType: type)?.clauses ?? ""
            return [
                "CREATE SEQUENCE IF NOT EXISTS \(SQL.qualified(sequence)) AS \(resolved.type ?? type) "
                    + (clauses.isEmpty ? "" : clauses + " ") + "OWNED BY \(owner)",
                "\(alterColumn) SET DEFAULT pg_catalog.nextval(\(SQL.literal(SQL.qualified(sequence)))::regclass)",
                SQLRenderer.restartAfterMaximum(table, column: name, sequence: SQL.literal(SQL.qualified(sequence))),
            ]
                + SQLRenderer.setOwnedSequencePersistence(table, column: name, options)
        case .dropColumn:
            return ["\(alter) DROP COLUMN IF EXISTS \(SQL.identifier(name))"]
        case .dropExpression:
            // IF EXISTS: a no-op on a column that is no longer generated (a virtual one was replaced just before).
            return [
                SQLRenderer.materializeVirtualColumn(table, column: name),
                "\(alterColumn) DROP EXPRESSION IF EXISTS",
            ]
        case .alterSequence(_, _, let from, let to):
            return SQLRenderer.alterSequence(table, from: from, to: to)
        case .setStatistics(_, _, let target):
            return [SQLRenderer.setStatistics(table, column: name, target)]
        case .setStorage(_, _, let storage):
            return [SQLRenderer.setStorage(table, column: name, storage)]
        case .setCompression(_, _, let compression):
            return [SQLRenderer.setCompression(table, column: name, compression)]
        case .renameNotNullConstraint(_, _, _, let to):
            return [SQLRenderer.renameNotNullConstraint(table, column: name, to: to)]
        case .setCollation(_, _, let type, let collation):
            // "default" is the type's own collation; ALTER TYPE rebuilds the column's indexes.
            let target = collation.map(SQLRenderer.collationName) ?? "pg_catalog.\"default\""
            return ["\(alterColumn) TYPE \(type) COLLATE \(target)"]
        case .rebuildGeneratedColumn(_, let column, _):
            return [
                "\(alter) DROP COLUMN IF EXISTS \(SQL.identifier(name))",
                "\(alter) ADD COLUMN \(SQLRenderer.columnDefinition(column, schema: table.schema))",
            ]
        }
    }

    var lock: TableLock {
        switch self {
        case .setColumnComment, .setStatistics: return .shareUpdateExclusive
        // ALTER SEQUENCE locks the sequence only.
        case .alterSequence: return .none
        case .renameColumn, .addColumn, .alterColumnType, .setDefault, .dropDefault, .setNotNull, .dropNotNull,
            .addIdentity, .setIdentity, .dropIdentity, .dropSerial, .addSerial, .dropExpression,
            .rebuildGeneratedColumn, .setCollation, .renameNotNullConstraint, .dropColumn, .setStorage,
            .setCompression:
            return .accessExclusive
        }
    }

    var hazards: [Hazard] {
        switch self {
        case .setColumnComment: return []
        case .renameColumn, .setDefault, .dropDefault, .dropNotNull, .setIdentity, .dropIdentity, .dropSerial,
            .addSerial,
            .dropExpression:
            return []
        case .alterSequence: return []
        case .setCollation: return [.rewritesTable]
        // SHARE UPDATE EXCLUSIVE: reads and writes go on.
        case .setStatistics, .renameNotNullConstraint: return []
        // Catalog only: no rewrite, existing values keep their form.
        case .setStorage, .setCompression: return []
        case .rebuildGeneratedColumn(_, let column, let wasGenerated):
            let computing: [Hazard] = column.generated?.isStored == false ? [] : [.rewritesTable]
            return [] + computing + (wasGenerated ? [] : [.deletesData])
        case .addColumn(_, let column):
            var hazards: [Hazard] = []
            if case .expression = column.defaultValue { hazards.append(.rewritesTable) }
            if column.identity != nil || column.isSerial || column.generated?.isStored == true {
                hazards.append(.rewritesTable)
            }
            if column.needsExplicitValue {
                hazards.append(column.backfill == nil ? .mayFailOnExistingRows : .rewritesTable)
            }
            return hazards
        case .alterColumnType(_, _, _, _, let lossy):
            return lossy
                ? [.rewritesTable, .mayFailOnExistingRows, .deletesData]
                : [.rewritesTable]
        case .setNotNull(_, _, let backfill, _):
            return backfill == nil
                ? [.rewritesTable, .mayFailOnExistingRows]
                : [.rewritesTable]
        case .addIdentity:
            return [.mayFailOnExistingRows]
        case .dropColumn:
            return [.deletesData]
        }
    }

    func preflight(tables: PreflightTables) -> PreflightProbe? {
        let (table, name) = tableAndColumn
        let column = SQL.displayIdentifier(name)
        switch self {
        case .setNotNull(_, _, nil, _):
            guard let source = tables.relation(table, columns: [name], as: "t") else { return nil }
            return PreflightProbe("SELECT count(*) FROM \(source) WHERE \(SQL.identifier(name)) IS NULL") {
                "\(rowsText($0, "holds", "hold")) NULL in \(column); add `backfill: <value>` to the column in the "
                    + "schema file, or fill them first"
            }
        case .addColumn(_, let definition) where definition.needsExplicitValue && definition.backfill == nil:
            guard let source = tables.relation(table, columns: [], as: "t") else { return nil }
            return PreflightProbe("SELECT count(*) FROM \(source)") {
                "the table has \($0 == 1 ? "1 row" : "\($0) rows") and the new NOT NULL column \(column) has no "
                    + "default; add `default:` or `backfill:`"
            }
        case .renameColumn, .setColumnComment, .addColumn, .alterColumnType, .setDefault, .dropDefault, .setNotNull,
            .dropNotNull, .addIdentity, .setIdentity, .dropIdentity, .dropSerial, .addSerial, .dropColumn,
            .dropExpression, .rebuildGeneratedColumn, .alterSequence, .setCollation, .setStatistics, .setStorage,
            .setCompression,
            .renameNotNullConstraint:
            return nil
        }
    }

    var blockedByDependents: DependentsProbe? {
        switch self {
        case .alterColumnType(let table, let column, _, _, _), .dropColumn(let table, let column):
            return DependentsProbe(table: table, column: column)
        case .rebuildGeneratedColumn(let table, let column, _):
            return DependentsProbe(table: table, column: column.name)
        case .renameColumn, .setColumnComment, .addColumn, .setDefault, .dropDefault, .setNotNull, .dropNotNull,
            .addIdentity, .setIdentity, .dropIdentity, .dropSerial, .addSerial, .dropExpression, .alterSequence,
            .setCollation, .setStatistics, .setStorage, .setCompression, .renameNotNullConstraint:
            return nil
        }
    }

    var privilege: PrivilegeNeed { .ownership(tableAndColumn.table) }
}

extension ColumnChange {
    /// `name a → b, START WITH 1 → 1000`: the options of two resolved sequences that differ.
    static func sequenceDifferences(from: SequenceOptions, to: SequenceOptions) -> String {
        func describe(_ value: Int64?) -> String { value.map(String.init) ?? "default" }
        var parts: [String] = []
        if from.name != to.name { parts.append("name \(from.name ?? "") → \(to.name ?? "")") }
        if from.type != to.type { parts.append("AS \(from.type ?? "") → \(to.type ?? "")") }
        if from.start != to.start { parts.append("START WITH \(describe(from.start)) → \(describe(to.start))") }
        if from.increment != to.increment {
            parts.append("INCREMENT BY \(describe(from.increment)) → \(describe(to.increment))")
        }
        if from.minValue != to.minValue {
            parts.append("MINVALUE \(describe(from.minValue)) → \(describe(to.minValue))")
        }
        if from.maxValue != to.maxValue {
            parts.append("MAXVALUE \(describe(from.maxValue)) → \(describe(to.maxValue))")
        }
        if from.cache != to.cache { parts.append("CACHE \(describe(from.cache)) → \(describe(to.cache))") }
        if from.cycle != to.cycle { parts.append(to.cycle ? "CYCLE" : "NO CYCLE") }
        if from.unlogged != to.unlogged {
            parts.append(to.unlogged == true ? "LOGGED → UNLOGGED" : "UNLOGGED → LOGGED")
        }
        return parts.joined(separator: ", ")
    }
}
