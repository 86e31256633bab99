/// One semantic difference between the declared and the live database, and what to do about it.
/// It knows no SQL; `SQLRenderer` turns it into statements and `Planner` orders it.
public struct Change: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case createSchema(String)
        case createExtension(String)
        case createEnum(EnumType)
        /// Adds `value` to an enum, placed before `before` (nil: at the end).
        case addEnumValue(QualifiedName, value: String, before: String?)
        /// PostgreSQL cannot drop or reorder enum values; this needs a person. Always blocked.
        case enumValuesNeedManualChange(QualifiedName, live: [String], declared: [String])
        case dropEnum(QualifiedName)
        case renameTable(from: QualifiedName, to: QualifiedName)
        case renameColumn(QualifiedName, from: String, to: String)
        case setTableComment(QualifiedName, String?)
        case setColumnComment(QualifiedName, column: String, String?)
        /// Foreign keys listed here are created inline; the rest of the table's keys come in a later phase.
        case createTable(Table, inlineForeignKeys: [ForeignKey])
        case addColumn(QualifiedName, Column)
        /// `lossy`: the new type cannot hold every value of the old one (narrowing, or a cast that may fail).
        case alterColumnType(QualifiedName, column: String, from: String, to: String, lossy: Bool)
        /// `type`: the column's declared type, so a number is written the way that type reads it.
        case setDefault(QualifiedName, column: String, ColumnDefault, type: String = "")
        case dropDefault(QualifiedName, column: String)
        /// With a backfill value, NULLs are replaced by it first.
        case setNotNull(QualifiedName, column: String, backfill: Literal?, type: String)
        case dropNotNull(QualifiedName, column: String)
        case addIdentity(QualifiedName, column: String, IdentityKind)
        case setIdentity(QualifiedName, column: String, IdentityKind)
        case dropIdentity(QualifiedName, column: String)
        case addPrimaryKey(QualifiedName, PrimaryKey)
        case addUnique(QualifiedName, UniqueConstraint)
        case addCheck(QualifiedName, CheckConstraint)
        case addForeignKey(QualifiedName, ForeignKey)
        case renameConstraint(QualifiedName, from: String, to: String)
        /// `replaced` is true when an add of the same name follows: the definition changed, nothing is lost.
        case dropConstraint(QualifiedName, name: String, replaced: Bool)
        case createIndex(QualifiedName, Index)
        case renameIndex(QualifiedName, from: String, to: String)
        case dropIndex(QualifiedName, name: String, replaced: Bool)
        /// Rows to insert (or, in `enforce` mode, to bring back to their declared values).
        case seedRows(Table, rows: [SeedRow], mode: Seed.Mode)
        case dropColumn(QualifiedName, column: String)
        case dropTable(QualifiedName)
    }

    /// The order phases run in; within a phase, changes keep the differ's order (table by table).
    public enum Phase: Int, Comparable, Sendable, CaseIterable {
        /// `drops` removes constraints, indexes and columns before the column changes and seeds they could
        /// block (a check that would not survive a type change, a NOT NULL column a seed row leaves out);
        /// tables and types go last, once nothing refers to them. All of it is one transaction.
        case schemas, types, tables, columns, drops, columnChanges, constraints, foreignKeys, indexes, seeds, destructive

        public static func < (lhs: Phase, rhs: Phase) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var kind: Kind
    /// What exactly differs, where the kind alone does not say (e.g. which seeded rows are missing and
    /// which hold other values). For reports only.
    public var details: [String]

    public init(_ kind: Kind, details: [String] = []) {
        self.kind = kind
        self.details = details
    }

    /// The table the change belongs to, for grouping; nil for schema-level changes.
    public var table: QualifiedName? {
        switch kind {
        case .createSchema, .createExtension: return nil
        case .createEnum(let type): return type.name
        case .addEnumValue(let name, _, _), .enumValuesNeedManualChange(let name, _, _), .dropEnum(let name): return name
        case .renameTable(_, let to): return to
        case .createTable(let table, _), .seedRows(let table, _, _): return table.name
        case .addColumn(let name, _), .alterColumnType(let name, _, _, _, _), .setDefault(let name, _, _, _),
             .dropDefault(let name, _), .setNotNull(let name, _, _, _), .dropNotNull(let name, _),
             .renameColumn(let name, _, _), .setTableComment(let name, _), .setColumnComment(let name, _, _),
             .addIdentity(let name, _, _), .setIdentity(let name, _, _), .dropIdentity(let name, _),
             .addPrimaryKey(let name, _), .addUnique(let name, _), .addCheck(let name, _),
             .addForeignKey(let name, _), .renameConstraint(let name, _, _), .dropConstraint(let name, _, _),
             .createIndex(let name, _), .renameIndex(let name, _, _), .dropIndex(let name, _, _),
             .dropColumn(let name, _), .dropTable(let name):
            return name
        }
    }

    public var phase: Phase {
        switch kind {
        case .createSchema, .createExtension: return .schemas
        case .createEnum, .addEnumValue: return .types
        case .renameTable, .createTable: return .tables
        case .renameColumn, .addColumn: return .columns
        case .alterColumnType, .setDefault, .dropDefault, .setNotNull, .dropNotNull, .addIdentity, .setIdentity,
             .dropIdentity, .setTableComment, .setColumnComment:
            return .columnChanges
        case .enumValuesNeedManualChange, .dropEnum: return .destructive
        case .addPrimaryKey, .addUnique, .addCheck, .renameConstraint: return .constraints
        case .dropConstraint, .dropIndex, .dropColumn: return .drops
        case .addForeignKey: return .foreignKeys
        case .createIndex, .renameIndex: return .indexes
        case .seedRows: return .seeds
        case .dropTable: return .destructive
        }
    }

    /// Loses data or removes an object the YAML does not declare: needs `--allow-destructive`.
    public var isDestructive: Bool {
        switch kind {
        case .alterColumnType(_, _, _, _, let lossy): return lossy
        case .dropConstraint(_, _, let replaced), .dropIndex(_, _, let replaced): return !replaced
        case .dropColumn, .dropTable, .dropEnum, .enumValuesNeedManualChange: return true
        default: return false
        }
    }

    /// No flag makes this runnable: a person has to decide (e.g. removing an enum value).
    public var needsManualAction: Bool {
        if case .enumValuesNeedManualChange = kind { return true }
        return false
    }

    /// `+` adds, `~` changes, `-` removes: the marker a plan shows in front of the change.
    public var marker: Character {
        switch kind {
        case .createSchema, .createTable, .addColumn, .addPrimaryKey, .addUnique, .addCheck, .addForeignKey,
             .createIndex, .addIdentity, .createExtension, .createEnum, .addEnumValue:
            return "+"
        case .dropEnum, .enumValuesNeedManualChange: return "-"
        case .seedRows(_, _, let mode): return mode == .insertMissing ? "+" : "~"
        case .dropConstraint(_, _, let replaced), .dropIndex(_, _, let replaced): return replaced ? "~" : "-"
        case .dropColumn, .dropTable: return "-"
        default: return "~"
        }
    }

    /// One line for a person: what happens, to which object.
    public var summary: String {
        switch kind {
        case .createSchema(let name): return "create schema \(SQL.displayIdentifier(name))"
        case .createExtension(let name): return "create extension \(SQL.displayIdentifier(name))"
        case .createEnum(let type): return "create enum type \(type.name) (\(type.values.map(SQL.literal).joined(separator: ", ")))"
        case .addEnumValue(_, let value, let before):
            return "add enum value \(SQL.literal(value))" + (before.map { " before \(SQL.literal($0))" } ?? "")
        case .enumValuesNeedManualChange(_, let live, let declared):
            return "enum values changed from (\(live.joined(separator: ", "))) to (\(declared.joined(separator: ", "))): PostgreSQL cannot remove or reorder enum values; migrate by hand"
        case .dropEnum(let name): return "drop enum type \(name) (not declared in the schema file)"
        case .renameTable(let from, let to): return "rename table \(from) to \(to)"
        case .renameColumn(_, let from, let to): return "rename column \(SQL.displayIdentifier(from)) to \(SQL.displayIdentifier(to))"
        case .setTableComment(_, let comment): return comment == nil ? "drop table comment" : "set table comment"
        case .setColumnComment(_, let column, let comment):
            return comment == nil ? "drop comment of \(SQL.displayIdentifier(column))" : "set comment of \(SQL.displayIdentifier(column))"
        case .createTable(let table, _): return "create table \(table.name) (\(table.columns.count) column\(table.columns.count == 1 ? "" : "s"))"
        case .addColumn(_, let column): return "add column \(SQL.displayIdentifier(column.name)) \(column.type)"
        case .alterColumnType(_, let column, let from, let to, let lossy):
            return "change type of \(SQL.displayIdentifier(column)): \(from) → \(to)\(lossy ? " (may lose data)" : "")"
        case .setDefault(_, let column, let value, _): return "set default of \(SQL.displayIdentifier(column)) to \(SQLRenderer.defaultText(value))"
        case .dropDefault(_, let column): return "drop default of \(SQL.displayIdentifier(column))"
        case .setNotNull(_, let column, let backfill, _):
            return "make \(SQL.displayIdentifier(column)) NOT NULL" + (backfill.map { " (NULLs become \($0))" } ?? "")
        case .dropNotNull(_, let column): return "make \(SQL.displayIdentifier(column)) nullable"
        case .addIdentity(_, let column, let kind): return "make \(SQL.displayIdentifier(column)) an identity (\(kind.sql))"
        case .setIdentity(_, let column, let kind): return "make identity \(SQL.displayIdentifier(column)) GENERATED \(kind.sql)"
        case .dropIdentity(_, let column): return "drop identity of \(SQL.displayIdentifier(column))"
        case .addPrimaryKey(_, let key): return "add primary key \(SQL.displayIdentifier(key.name)) (\(key.columns.joined(separator: ", ")))"
        case .addUnique(_, let unique): return "add unique constraint \(SQL.displayIdentifier(unique.name)) (\(unique.columns.joined(separator: ", ")))"
        case .addCheck(_, let check): return "add check \(SQL.displayIdentifier(check.name))"
        case .addForeignKey(_, let key): return "add foreign key \(SQL.displayIdentifier(key.name)) → \(key.referencedTable)"
        case .renameConstraint(_, let from, let to): return "rename constraint \(SQL.displayIdentifier(from)) to \(SQL.displayIdentifier(to))"
        case .dropConstraint(_, let name, let replaced):
            return replaced ? "replace constraint \(SQL.displayIdentifier(name)) (definition changed)" : "drop constraint \(SQL.displayIdentifier(name))"
        case .createIndex(_, let index): return "create \(index.isUnique ? "unique " : "")index \(SQL.displayIdentifier(index.name))"
        case .renameIndex(_, let from, let to): return "rename index \(SQL.displayIdentifier(from)) to \(SQL.displayIdentifier(to))"
        case .dropIndex(_, let name, let replaced):
            return replaced ? "replace index \(SQL.displayIdentifier(name)) (definition changed)" : "drop index \(SQL.displayIdentifier(name))"
        case .seedRows(let table, let rows, let mode):
            let keys = rows.map { $0.keyDescription(table.seed?.key ?? []) }
            let verb = mode == .insertMissing ? "insert missing" : "insert or restore"
            return "\(verb) seeded row\(rows.count == 1 ? "" : "s") \(keys.joined(separator: "; "))"
        case .dropColumn(_, let column): return "drop column \(SQL.displayIdentifier(column))"
        case .dropTable(let name): return "drop table \(name) (not declared in the schema file)"
        }
    }
}

extension Change {
    /// A stable snake_case name for the kind, for JSON output and scripts.
    public var kindName: String {
        switch kind {
        case .createSchema: return "create_schema"
        case .createExtension: return "create_extension"
        case .createEnum: return "create_enum"
        case .addEnumValue: return "add_enum_value"
        case .enumValuesNeedManualChange: return "enum_values_need_manual_change"
        case .dropEnum: return "drop_enum"
        case .renameTable: return "rename_table"
        case .renameColumn: return "rename_column"
        case .setTableComment: return "set_table_comment"
        case .setColumnComment: return "set_column_comment"
        case .createTable: return "create_table"
        case .addColumn: return "add_column"
        case .alterColumnType: return "alter_column_type"
        case .setDefault: return "set_default"
        case .dropDefault: return "drop_default"
        case .setNotNull: return "set_not_null"
        case .dropNotNull: return "drop_not_null"
        case .addIdentity: return "add_identity"
        case .setIdentity: return "set_identity"
        case .dropIdentity: return "drop_identity"
        case .addPrimaryKey: return "add_primary_key"
        case .addUnique: return "add_unique"
        case .addCheck: return "add_check"
        case .addForeignKey: return "add_foreign_key"
        case .renameConstraint: return "rename_constraint"
        case .dropConstraint(_, _, let replaced): return replaced ? "replace_constraint" : "drop_constraint"
        case .createIndex: return "create_index"
        case .renameIndex: return "rename_index"
        case .dropIndex(_, _, let replaced): return replaced ? "replace_index" : "drop_index"
        case .seedRows: return "seed_rows"
        case .dropColumn: return "drop_column"
        case .dropTable: return "drop_table"
        }
    }

    /// The object the change is about, as `schema.table`, `schema.table.column`, `schema.table/constraint`...
    public var objectName: String {
        let tablePart = table?.description ?? ""
        switch kind {
        case .createSchema(let name): return SQL.displayIdentifier(name)
        case .createExtension(let name): return SQL.displayIdentifier(name)
        case .addColumn(_, let column): return "\(tablePart).\(SQL.displayIdentifier(column.name))"
        case .alterColumnType(_, let column, _, _, _), .setDefault(_, let column, _, _), .dropDefault(_, let column),
             .setNotNull(_, let column, _, _), .dropNotNull(_, let column), .addIdentity(_, let column, _),
             .setIdentity(_, let column, _), .dropIdentity(_, let column), .setColumnComment(_, let column, _),
             .dropColumn(_, let column), .renameColumn(_, _, let column):
            return "\(tablePart).\(SQL.displayIdentifier(column))"
        case .addPrimaryKey(_, let key): return "\(tablePart)/\(SQL.displayIdentifier(key.name))"
        case .addUnique(_, let unique): return "\(tablePart)/\(SQL.displayIdentifier(unique.name))"
        case .addCheck(_, let check): return "\(tablePart)/\(SQL.displayIdentifier(check.name))"
        case .addForeignKey(_, let key): return "\(tablePart)/\(SQL.displayIdentifier(key.name))"
        case .renameConstraint(_, _, let name), .dropConstraint(_, let name, _): return "\(tablePart)/\(SQL.displayIdentifier(name))"
        case .createIndex(_, let index): return "\(tablePart)/\(SQL.displayIdentifier(index.name))"
        case .renameIndex(_, _, let name), .dropIndex(_, let name, _): return "\(tablePart)/\(SQL.displayIdentifier(name))"
        default: return tablePart
        }
    }

    /// The difference as `--check` reports it: what the database has, against what the file declares.
    public var driftDescription: String {
        let object = objectName
        switch kind {
        case .createSchema: return "missing schema \(object)"
        case .createExtension: return "missing extension \(object)"
        case .createEnum: return "missing enum type \(object)"
        case .addEnumValue(_, let value, _): return "enum type \(object) lacks the value \(SQL.literal(value))"
        case .enumValuesNeedManualChange(_, let live, let declared):
            return "enum type \(object) has values (\(live.joined(separator: ", "))), the file declares (\(declared.joined(separator: ", ")))"
        case .dropEnum: return "enum type \(object) is not declared in the file"
        case .renameTable(let from, _): return "table \(object) is still named \(from)"
        case .renameColumn(_, let from, _): return "column \(object) is still named \(SQL.displayIdentifier(from))"
        case .setTableComment: return "comment of table \(object) differs from the file"
        case .setColumnComment: return "comment of column \(object) differs from the file"
        case .createTable: return "missing table \(object)"
        case .addColumn: return "missing column \(object)"
        case .alterColumnType(_, _, let from, let to, _): return "column \(object) is \(from), the file declares \(to)"
        case .setDefault(_, _, let value, _): return "column \(object) default differs from the file (declared: \(SQLRenderer.defaultText(value)))"
        case .dropDefault: return "column \(object) has a default the file does not declare"
        case .setNotNull: return "column \(object) is nullable, the file declares NOT NULL"
        case .dropNotNull: return "column \(object) is NOT NULL, the file declares it nullable"
        case .addIdentity, .setIdentity, .dropIdentity: return "column \(object) identity differs from the file"
        case .addPrimaryKey, .addUnique, .addCheck, .addForeignKey: return "missing constraint \(object)"
        case .renameConstraint(_, let from, _): return "constraint \(object) is named \(SQL.displayIdentifier(from)) in the database"
        case .dropConstraint(_, _, let replaced):
            return replaced ? "constraint \(object) differs from the file" : "constraint \(object) is not declared in the file"
        case .createIndex: return "missing index \(object)"
        case .renameIndex(_, let from, _): return "index \(object) is named \(SQL.displayIdentifier(from)) in the database"
        case .dropIndex(_, _, let replaced):
            return replaced ? "index \(object) differs from the file" : "index \(object) is not declared in the file"
        case .seedRows(let table, let rows, _):
            let key = table.seed?.key ?? []
            let described = rows.map { $0.keyDescription(key) }
            if !details.isEmpty { return "seeded rows of \(object): " + details.joined(separator: "; ") }
            return "seeded row\(rows.count == 1 ? "" : "s") \(described.joined(separator: "; ")) of \(object) missing"
        case .dropColumn: return "column \(object) is not declared in the file"
        case .dropTable: return "table \(object) is not declared in the file (unmanaged)"
        }
    }
}
