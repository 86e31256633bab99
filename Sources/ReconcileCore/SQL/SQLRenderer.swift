/// Turns a `Change` into idempotent SQL: every statement can run twice, or be pasted into psql by hand,
/// with the same end state (`IF NOT EXISTS`, guarded `DO` blocks, `ON CONFLICT`).
public enum SQLRenderer {
    public static func statements(for change: Change) -> [String] {
        switch change.kind {
        case .createSchema(let name):
            return ["CREATE SCHEMA IF NOT EXISTS \(SQL.identifier(name))"]
        case .createExtension(let name):
            return ["CREATE EXTENSION IF NOT EXISTS \(SQL.identifier(name))"]
        case .createEnum(let type):
            let condition = "EXISTS (SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = \(SQL.literal(type.name.schema)) AND t.typname = \(SQL.literal(type.name.name)))"
            return [guarded(unless: condition,
                            "CREATE TYPE \(SQL.qualified(type.name)) AS ENUM (\(type.values.map(SQL.literal).joined(separator: ", ")))")]
        case .addEnumValue(let type, let value, let before):
            return ["ALTER TYPE \(SQL.qualified(type)) ADD VALUE IF NOT EXISTS \(SQL.literal(value))" + (before.map { " BEFORE \(SQL.literal($0))" } ?? "")]
        case .enumValuesNeedManualChange:
            return []
        case .dropEnum(let type):
            return ["DROP TYPE IF EXISTS \(SQL.qualified(type))"]
        case .renameTable(let from, let to):
            var statements: [String] = []
            var current = from
            if from.schema != to.schema {
                let moved = QualifiedName(schema: to.schema, name: from.name)
                statements.append(guarded(if: "\(exists(from)) AND NOT \(exists(moved))",
                                          "ALTER TABLE \(SQL.qualified(from)) SET SCHEMA \(SQL.identifier(to.schema))"))
                current = moved
            }
            if current.name != to.name {
                statements.append(guarded(if: "\(exists(current)) AND NOT \(exists(to))",
                                          "ALTER TABLE \(SQL.qualified(current)) RENAME TO \(SQL.identifier(to.name))"))
            }
            return statements
        case .renameColumn(let table, let from, let to):
            let condition = "EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = \(regclass(table)) AND attname = \(SQL.literal(from)) AND NOT attisdropped)"
            return [guarded(if: condition, "ALTER TABLE \(SQL.qualified(table)) RENAME COLUMN \(SQL.identifier(from)) TO \(SQL.identifier(to))")]
        case .setTableComment(let table, let comment):
            return ["COMMENT ON TABLE \(SQL.qualified(table)) IS \(comment.map(SQL.literal) ?? "NULL")"]
        case .setColumnComment(let table, let column, let comment):
            return ["COMMENT ON COLUMN \(SQL.qualified(table)).\(SQL.identifier(column)) IS \(comment.map(SQL.literal) ?? "NULL")"]
        case .createTable(let table, let inlineForeignKeys):
            var statements = [createTable(table, inlineForeignKeys: inlineForeignKeys)]
            if let comment = table.comment {
                statements.append("COMMENT ON TABLE \(SQL.qualified(table.name)) IS \(SQL.literal(comment))")
            }
            for column in table.columns {
                guard let comment = column.comment else { continue }
                statements.append("COMMENT ON COLUMN \(SQL.qualified(table.name)).\(SQL.identifier(column.name)) IS \(SQL.literal(comment))")
            }
            return statements
        case .addColumn(let table, let column):
            guard let backfill = column.backfill, !column.isNullable, column.defaultValue == nil,
                  column.identity == nil, !column.isSerial else {
                return ["ALTER TABLE \(SQL.qualified(table)) ADD COLUMN IF NOT EXISTS \(columnDefinition(column))"]
            }
            // Existing rows get the backfill value, then the column becomes NOT NULL.
            var nullable = column
            nullable.isNullable = true
            return ["ALTER TABLE \(SQL.qualified(table)) ADD COLUMN IF NOT EXISTS \(columnDefinition(nullable))",
                    backfillUpdate(table, column: column.name, value: backfill, type: column.type),
                    "ALTER TABLE \(SQL.qualified(table)) ALTER COLUMN \(SQL.identifier(column.name)) SET NOT NULL"]
        case .alterColumnType(let table, let column, _, let to, _):
            return ["ALTER TABLE \(SQL.qualified(table)) ALTER COLUMN \(SQL.identifier(column)) TYPE \(to) USING \(SQL.identifier(column))::\(to)"]
        case .setDefault(let table, let column, let value, let type):
            return ["ALTER TABLE \(SQL.qualified(table)) ALTER COLUMN \(SQL.identifier(column)) SET DEFAULT \(defaultSQL(value, type: type))"]
        case .dropDefault(let table, let column):
            return ["ALTER TABLE \(SQL.qualified(table)) ALTER COLUMN \(SQL.identifier(column)) DROP DEFAULT"]
        case .setNotNull(let table, let column, let backfill, let type):
            let setNotNull = "ALTER TABLE \(SQL.qualified(table)) ALTER COLUMN \(SQL.identifier(column)) SET NOT NULL"
            guard let backfill else { return [setNotNull] }
            return [backfillUpdate(table, column: column, value: backfill, type: type), setNotNull]
        case .dropNotNull(let table, let column):
            return ["ALTER TABLE \(SQL.qualified(table)) ALTER COLUMN \(SQL.identifier(column)) DROP NOT NULL"]
        case .addIdentity(let table, let column, let kind):
            let condition = "EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = \(regclass(table)) AND attname = \(SQL.literal(column)) AND attidentity <> '')"
            return [guarded(unless: condition,
                            "ALTER TABLE \(SQL.qualified(table)) ALTER COLUMN \(SQL.identifier(column)) ADD GENERATED \(kind.sql) AS IDENTITY")]
        case .setIdentity(let table, let column, let kind):
            return ["ALTER TABLE \(SQL.qualified(table)) ALTER COLUMN \(SQL.identifier(column)) SET GENERATED \(kind.sql)"]
        case .dropIdentity(let table, let column):
            return ["ALTER TABLE \(SQL.qualified(table)) ALTER COLUMN \(SQL.identifier(column)) DROP IDENTITY IF EXISTS"]
        case .addPrimaryKey(let table, let key):
            return [addConstraint(table, key.name, "PRIMARY KEY (\(SQL.identifierList(key.columns)))")]
        case .addUnique(let table, let unique):
            return [addConstraint(table, unique.name, "UNIQUE (\(SQL.identifierList(unique.columns)))")]
        case .addCheck(let table, let check):
            return [addConstraint(table, check.name, checkClause(check))]
        case .addForeignKey(let table, let key):
            return [addConstraint(table, key.name, foreignKeyClause(key))]
        case .renameConstraint(let table, let from, let to):
            let condition = "EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = \(regclass(table)) AND conname = \(SQL.literal(from)))"
            return [guarded(if: condition, "ALTER TABLE \(SQL.qualified(table)) RENAME CONSTRAINT \(SQL.identifier(from)) TO \(SQL.identifier(to))")]
        case .dropConstraint(let table, let name, _):
            return ["ALTER TABLE \(SQL.qualified(table)) DROP CONSTRAINT IF EXISTS \(SQL.identifier(name))"]
        case .createIndex(let table, let index):
            return [createIndex(table, index)]
        case .renameIndex(let table, let from, let to):
            return ["ALTER INDEX IF EXISTS \(SQL.qualified(QualifiedName(schema: table.schema, name: from))) RENAME TO \(SQL.identifier(to))"]
        case .dropIndex(let table, let name, _):
            return ["DROP INDEX IF EXISTS \(SQL.qualified(QualifiedName(schema: table.schema, name: name)))"]
        case .seedRows(let table, let rows, let mode):
            return seedStatements(table, rows: rows, mode: mode)
        case .dropColumn(let table, let column):
            return ["ALTER TABLE \(SQL.qualified(table)) DROP COLUMN IF EXISTS \(SQL.identifier(column))"]
        case .dropTable(let table):
            return ["DROP TABLE IF EXISTS \(SQL.qualified(table))"]
        }
    }

    // MARK: - Tables and columns

    static func createTable(_ table: Table, inlineForeignKeys: [ForeignKey]) -> String {
        var lines = table.columns.map(columnDefinition)
        if let key = table.primaryKey {
            lines.append("CONSTRAINT \(SQL.identifier(key.name)) PRIMARY KEY (\(SQL.identifierList(key.columns)))")
        }
        for unique in table.uniqueConstraints {
            lines.append("CONSTRAINT \(SQL.identifier(unique.name)) UNIQUE (\(SQL.identifierList(unique.columns)))")
        }
        for check in table.checks { lines.append("CONSTRAINT \(SQL.identifier(check.name)) \(checkClause(check))") }
        for key in inlineForeignKeys { lines.append("CONSTRAINT \(SQL.identifier(key.name)) \(foreignKeyClause(key))") }
        return "CREATE TABLE IF NOT EXISTS \(SQL.qualified(table.name)) (\n    " + lines.joined(separator: ",\n    ") + "\n)"
    }

    public static func columnDefinition(_ column: Column) -> String {
        var text = "\(SQL.identifier(column.name)) \(column.isSerial ? serialType(column.type) : column.type)"
        if let identity = column.identity { text += " GENERATED \(identity.sql) AS IDENTITY" }
        if let value = column.defaultValue { text += " DEFAULT \(defaultSQL(value, type: column.type))" }
        if !column.isNullable, column.identity == nil, !column.isSerial { text += " NOT NULL" }
        return text
    }

    static func serialType(_ integerType: String) -> String {
        switch integerType {
        case "smallint": return "smallserial"
        case "bigint": return "bigserial"
        default: return "serial"
        }
    }

    /// A default as SQL. Literals are quoted unless the column type reads them unquoted anyway, so that
    /// `0012` declared for a text column stays the text `0012`.
    public static func defaultSQL(_ value: ColumnDefault, type: String) -> String {
        switch value {
        case .expression(let expression): return expression
        case .literal(let literal): return literalSQL(literal, type: type)
        }
    }

    /// For messages: a default the way a person wrote it.
    public static func defaultText(_ value: ColumnDefault) -> String {
        switch value {
        case .expression(let expression): return expression
        case .literal(let literal): return literal.description
        }
    }

    static func literalSQL(_ literal: Literal, type: String) -> String {
        switch literal {
        case .null: return "NULL"
        case .number(let text) where isNumericType(type): return text
        case .bool(let value) where isBooleanType(type): return value ? "true" : "false"
        default: return SQL.literal(literal.text ?? "")
        }
    }

    static func isNumericType(_ type: String) -> Bool {
        let lowered = type.lowercased()
        guard !lowered.contains("[") else { return false }
        let base = lowered.split(separator: "(").first.map(String.init)?.trimmingSpaces ?? lowered
        return ["smallint", "integer", "int", "bigint", "int2", "int4", "int8", "numeric", "decimal", "real",
                "double precision", "float", "float4", "float8"].contains(base)
    }

    static func isBooleanType(_ type: String) -> Bool {
        ["boolean", "bool"].contains(type.lowercased())
    }

    // MARK: - Constraints and indexes

    static func checkClause(_ check: CheckConstraint) -> String {
        // Canonical text read back from the server already starts with CHECK.
        check.expression.hasPrefix("CHECK ") ? check.expression : "CHECK (\(check.expression))"
    }

    static func foreignKeyClause(_ key: ForeignKey) -> String {
        var text = "FOREIGN KEY (\(SQL.identifierList(key.columns))) REFERENCES \(SQL.qualified(key.referencedTable)) (\(SQL.identifierList(key.referencedColumns)))"
        if key.onUpdate != .noAction { text += " ON UPDATE \(key.onUpdate.sql)" }
        if key.onDelete != .noAction { text += " ON DELETE \(key.onDelete.sql)" }
        return text
    }

    static func createIndex(_ table: QualifiedName, _ index: Index) -> String {
        "CREATE \(index.isUnique ? "UNIQUE " : "")INDEX IF NOT EXISTS \(SQL.identifier(index.name)) ON \(SQL.qualified(table)) \(indexDefinitionTail(index))"
    }

    /// `USING btree ("a", lower(b)) WHERE ...`: everything after the table name. `quote` spells column
    /// names: always quoted for SQL, quoted only where needed to match `pg_get_indexdef`.
    public static func indexDefinitionTail(_ index: Index, quote: (String) -> String = SQL.identifier) -> String {
        let keys = index.keys.map { key -> String in
            switch key {
            case .column(let name): return quote(name)
            case .expression(let expression): return expression
            }
        }
        var text = "USING \(index.method) (\(keys.joined(separator: ", ")))"
        if let predicate = index.predicate { text += " WHERE (\(predicate))" }
        return text
    }

    static func backfillUpdate(_ table: QualifiedName, column: String, value: Literal, type: String) -> String {
        "UPDATE \(SQL.qualified(table)) SET \(SQL.identifier(column)) = \(literalSQL(value, type: type)) WHERE \(SQL.identifier(column)) IS NULL"
    }

    /// `EXISTS (...)` for a table, by name, for guarded renames.
    static func exists(_ table: QualifiedName) -> String {
        "EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = \(SQL.literal(table.schema)) AND c.relname = \(SQL.literal(table.name)) AND c.relkind IN ('r', 'p'))"
    }

    public static func regclass(_ table: QualifiedName) -> String { "\(SQL.literal(SQL.qualified(table)))::regclass" }

    static func addConstraint(_ table: QualifiedName, _ name: String, _ clause: String) -> String {
        let condition = "EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = \(regclass(table)) AND conname = \(SQL.literal(name)))"
        return guarded(unless: condition, "ALTER TABLE \(SQL.qualified(table)) ADD CONSTRAINT \(SQL.identifier(name)) \(clause)")
    }

    /// A `DO` block that runs `statement` only when `condition` is false: the idempotent form of DDL that
    /// has no `IF NOT EXISTS`.
    static func guarded(unless condition: String, _ statement: String) -> String {
        doBlock("IF NOT \(condition) THEN\n        \(statement);\n    END IF;")
    }

    static func guarded(if condition: String, _ statement: String) -> String {
        doBlock("IF \(condition) THEN\n        \(statement);\n    END IF;")
    }

    static func doBlock(_ body: String) -> String {
        "DO " + SQL.dollarQuoted("\nBEGIN\n    \(body)\nEND\n")
    }

    // MARK: - Seeded rows

    static func seedStatements(_ table: Table, rows: [SeedRow], mode: Seed.Mode) -> [String] {
        let key = table.seed?.key ?? table.primaryKey?.columns ?? []
        // Rows may set different columns; each distinct column list gets its own INSERT.
        var groups: [[String]: [SeedRow]] = [:]
        var order: [[String]] = []
        for row in rows {
            let columns = row.values.map(\.0)
            if groups[columns] == nil { order.append(columns) }
            groups[columns, default: []].append(row)
        }
        return order.map { columns in
            let overriding = table.columns.contains { $0.identity == .always && columns.contains($0.name) }
            let values = groups[columns]!.map { row in
                "(" + columns.map { column in literalSQL(row[column] ?? .null, type: table.column(column)?.type ?? "") }
                    .joined(separator: ", ") + ")"
            }
            let updated = columns.filter { !key.contains($0) }
            let updates = mode == .enforce && !updated.isEmpty
            let target = SQL.identifier("t")
            var text = "INSERT INTO \(SQL.qualified(table.name))\(updates ? " AS \(target)" : "") (\(SQL.identifierList(columns)))"
            if overriding { text += " OVERRIDING SYSTEM VALUE" }
            text += "\nVALUES " + values.joined(separator: ",\n       ")
            text += "\nON CONFLICT (\(SQL.identifierList(key))) "
            if updates {
                text += "DO UPDATE SET " + updated.map { "\(SQL.identifier($0)) = EXCLUDED.\(SQL.identifier($0))" }.joined(separator: ", ")
                // Compared as text: json, xml, point... have no equality operator.
                text += "\n    WHERE ROW(" + updated.map { "\(target).\(SQL.identifier($0))" }.joined(separator: ", ")
                    + ")::text IS DISTINCT FROM ROW(" + updated.map { "EXCLUDED.\(SQL.identifier($0))" }.joined(separator: ", ") + ")::text"
            } else {
                text += "DO NOTHING"
            }
            return text
        }
    }
}
