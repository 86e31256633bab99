/// The SQL pieces the change families build their statements from. Every statement they make can run
/// twice, or be pasted into psql by hand, with the same end state (`IF NOT EXISTS`, guarded `DO` blocks,
/// `ON CONFLICT`).
public enum SQLRenderer {
    /// Said first in a plan's transaction: a row written under an INITIALLY DEFERRED constraint (a backfill, a
    /// seed) would leave a check pending until commit, and PostgreSQL refuses to ALTER a table with pending
    /// trigger events. Checked at once, every step sees its rows already checked.
    public static let checkConstraintsAtOnce = "SET CONSTRAINTS ALL IMMEDIATE"
    /// Said first in a plan's transaction that creates functions, as pg_dump does: a SQL function's body is
    /// then not checked against tables that later steps create.
    public static let deferFunctionBodyChecks = "SET LOCAL check_function_bodies = off"

    // MARK: - Tables and columns

    static func createTable(_ table: Table, inlineForeignKeys: [ForeignKey]) -> String {
        var lines = table.columns.map { columnDefinition($0, schema: table.name.schema) }
        if let key = table.primaryKey {
            lines.append("CONSTRAINT \(SQL.identifier(key.name)) \(primaryKeyClause(key))")
        }
        for unique in table.uniqueConstraints {
            lines.append("CONSTRAINT \(SQL.identifier(unique.name)) \(uniqueClause(unique))")
        }
        for check in table.checks { lines.append("CONSTRAINT \(SQL.identifier(check.name)) \(checkClause(check))") }
        for exclusion in table.exclusions {
            lines.append("CONSTRAINT \(SQL.identifier(exclusion.name)) \(exclusionClause(exclusion))")
        }
        for key in inlineForeignKeys { lines.append("CONSTRAINT \(SQL.identifier(key.name)) \(foreignKeyClause(key))") }
        let head = "CREATE \(table.isUnlogged ? "UNLOGGED " : "")TABLE IF NOT EXISTS \(SQL.qualified(table.name))"
        let body = lines.isEmpty ? "()" : "(\n    " + lines.joined(separator: ",\n    ") + "\n)"
        let partitioning = table.partitionBy.map { " PARTITION BY \($0)" } ?? ""
        let options = table.storageParameters.isEmpty ? "" : " WITH (\(storageParameterList(table.storageParameters)))"
        return "\(head) \(body)\(partitioning)\(options)"
    }

    /// `fillfactor='70', autovacuum_enabled='off'`: names were checked by the loader (letters, digits, `_`
    /// and `.`); values are literals.
    static func storageParameterList(_ parameters: [StorageParameter]) -> String {
        parameters.map { "\($0.name)=\(SQL.literal($0.value))" }.joined(separator: ", ")
    }

    /// `schema`: the table's, where an identity's own sequence name goes.
    public static func columnDefinition(_ column: Column, schema: String) -> String {
        var text = "\(SQL.identifier(column.name)) \(column.isSerial ? serialType(column.type) : column.type)"
        if let collation = column.collation { text += " COLLATE \(collationName(collation))" }
        if let identity = column.identity {
            text += " GENERATED \(identity.sql) AS IDENTITY"
            if let options = identityOptions(column.sequence, schema: schema) { text += " (\(options))" }
        }
        if let generated = column.generated { text += " \(generated.sql)" }
        if let value = column.defaultValue { text += " DEFAULT \(defaultSQL(value, type: column.type))" }
        if let name = column.notNullName, !column.isNullable || column.identity != nil || column.isSerial {
            // Named where declared; servers before 18 accept the name and drop it.
            text += " CONSTRAINT \(SQL.identifier(name)) NOT NULL"
        } else if !column.isNullable, column.identity == nil, !column.isSerial {
            text += " NOT NULL"
        }
        return text
    }

    /// Gives the column's NOT NULL constraint the declared name, whatever it is called now; a no-op before
    /// PostgreSQL 18, whose NOT NULL is no named constraint, and when the name is right already.
    static func renameNotNullConstraint(_ table: QualifiedName, column: String, to name: String) -> String {
        let relation = regclass(table)
        return doBlock(
            """
            IF current_name IS NOT NULL AND current_name <> \(SQL.literal(name)) THEN
                    EXECUTE pg_catalog.format('ALTER TABLE %s RENAME CONSTRAINT %I TO %I', \
            \(SQL.literal(SQL.qualified(table))), current_name, \(SQL.literal(name)));
                END IF;
            """,
            declaring: """
                current_name name := (SELECT con.conname FROM pg_catalog.pg_constraint con
                                          JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
                                          WHERE con.conrelid = \(relation) AND con.contype = 'n' AND a.attname = \(SQL.literal(column)))
                """)
    }

    /// Gives a partition's NOT NULL constraints the declared names (PostgreSQL 18). An inherited constraint
    /// cannot be renamed, so the partition is detached, renamed and attached again, which is how a partition
    /// restored by pg_dump (CREATE TABLE, then ATTACH) got its own names. A no-op once the names are right, and
    /// on servers whose NOT NULL constraints have no names.
    static func renamePartitionNotNulls(_ partition: Partition, of parent: QualifiedName) -> String {
        let relation = "pg_catalog.to_regclass(\(SQL.literal(SQL.qualified(partition.name))))"
        let declared = partition.notNullNames.sorted { $0.key < $1.key }
            .map { "(\(SQL.literal($0.key)), \(SQL.literal($0.value)))" }.joined(separator: ", ")
        let wrong = """
            SELECT con.conname AS old_name, d.new_name FROM pg_catalog.pg_constraint con
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
                      JOIN (VALUES \(declared)) AS d(column_name, new_name) ON d.column_name = a.attname
                      WHERE con.conrelid = \(relation) AND con.contype = 'n' AND con.conname <> d.new_name
            """
        let attached =
            "EXISTS (SELECT 1 FROM pg_catalog.pg_inherits WHERE inhparent = \(regclass(parent)) "
            + "AND inhrelid = \(relation))"
        // was_attached stays NULL while nothing is to be renamed: the partition is detached once, before the first.
        return doBlock(
            """
            FOR wrong_name IN \(wrong) LOOP
                    IF was_attached IS NULL THEN
                        was_attached := \(attached);
                        IF was_attached THEN
                            ALTER TABLE \(SQL.qualified(parent)) DETACH PARTITION \(SQL.qualified(partition.name));
                        END IF;
                    END IF;
                    EXECUTE pg_catalog.format('ALTER TABLE %s RENAME CONSTRAINT %I TO %I', \
            \(SQL.literal(SQL.qualified(partition.name))), wrong_name.old_name, wrong_name.new_name);
                END LOOP;
                IF was_attached THEN
                    ALTER TABLE \(SQL.qualified(parent)) ATTACH PARTITION \(SQL.qualified(partition.name)) \
            \(partition.bound);
                END IF;
            """,
            declaring: "was_attached boolean;\n    wrong_name record")
    }

    /// `SEQUENCE NAME "s"."n" START WITH 1000 ...` for an identity column whose sequence is not the default.
    static func identityOptions(_ sequence: SequenceOptions?, schema: String) -> String? {
        guard let sequence else { return nil }
        var parts: [String] = []
        if let name = sequence.name {
            parts.append("SEQUENCE NAME \(SQL.qualified(QualifiedName(schema: schema, name: name)))")
        }
        if let type = sequence.type { parts.append("AS \(type)") }
        if !sequence.clauses.isEmpty { parts.append(sequence.clauses) }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// A new serial column's sequence brought to its declared name and options: PostgreSQL creates it as
    /// integer (bigint for bigserial), starting at 1, named `<table>_<column>_seq` — or `..._seq1` when
    /// another sequence has that name already (a renamed table's), so it is found by its column.
    static func serialSequenceAdjustments(_ table: QualifiedName, _ column: Column) -> [String] {
        guard column.isSerial, let sequence = column.sequence else { return [] }
        let declared = sequence.resolved(table: table, column: column.name, columnType: column.type)
        let target = QualifiedName(schema: table.schema, name: declared.name ?? "")
        let rename = doBlock(
            """
            IF sequence_name IS DISTINCT FROM pg_catalog.format('%I.%I', \(SQL.literal(target.schema)), \
            \(SQL.literal(target.name))) THEN
                    EXECUTE pg_catalog.format('ALTER SEQUENCE %s RENAME TO %I', sequence_name, \(SQL.literal(target.name)));
                END IF;
            """, declaring: "sequence_name text := " + serialSequenceLookup(table, column: column.name))
        var options = declared
        options.name = nil
        return [
            rename,
            "ALTER SEQUENCE \(SQL.qualified(target)) AS \(declared.type ?? "integer") \(options.clauses)"
                + (declared.cycle ? "" : " NO CYCLE") + " RESTART",
        ]
    }

    /// Renames the sequence if its name differs, then sets every option (`from` and `to` are resolved).
    static func alterSequence(_ table: QualifiedName, from: SequenceOptions, to: SequenceOptions) -> [String] {
        let old = QualifiedName(schema: table.schema, name: from.name ?? "")
        let new = QualifiedName(schema: table.schema, name: to.name ?? "")
        var statements: [String] = []
        if old != new {
            statements.append("ALTER SEQUENCE IF EXISTS \(SQL.qualified(old)) RENAME TO \(SQL.identifier(new.name))")
        }
        var options = to
        options.name = nil
        statements.append(
            "ALTER SEQUENCE \(SQL.qualified(new)) AS \(to.type ?? "integer") \(options.clauses)"
                + (to.cycle ? "" : " NO CYCLE"))
        if let unlogged = to.unlogged, unlogged != from.unlogged {
            statements.append("ALTER SEQUENCE \(SQL.qualified(new)) SET \(unlogged ? "UNLOGGED" : "LOGGED")")
        }
        return statements
    }

    /// A serial or identity column's sequence made LOGGED or UNLOGGED where its declaration says so, found by
    /// its column (PostgreSQL makes it follow the table; the declaration may differ).
    static func setOwnedSequencePersistence(
        _ table: QualifiedName, column: String,
        _ sequence: SequenceOptions?
    ) -> [String] {
        guard let unlogged = sequence?.unlogged else { return [] }
        let persistence = unlogged ? "UNLOGGED" : "LOGGED"
        return [
            doBlock(
                "EXECUTE pg_catalog.format('ALTER SEQUENCE %s SET \(persistence)', sequence_name);",
                declaring: "sequence_name text := " + serialSequenceLookup(table, column: column))
        ]
    }

    /// `ALTER INDEX ... ALTER COLUMN 2 SET STATISTICS n` (nil: back to the default, -1).
    static func setIndexStatistics(_ table: QualifiedName, index: String, column: Int, _ target: Int?) -> String {
        "ALTER INDEX \(SQL.qualified(QualifiedName(schema: table.schema, name: index))) ALTER COLUMN \(column) "
            + "SET STATISTICS \(target ?? -1)"
    }

    /// `ALTER TABLE ... ALTER COLUMN ... SET STATISTICS n` (nil: back to the default, -1).
    static func setStatistics(_ table: QualifiedName, column: String, _ target: Int?) -> String {
        "ALTER TABLE \(SQL.qualified(table)) ALTER COLUMN \(SQL.identifier(column)) SET STATISTICS \(target ?? -1)"
    }

    /// `ALTER TABLE ... ALTER COLUMN ... SET STORAGE EXTERNAL`; nil is the type's default, looked up when it
    /// runs (`SET STORAGE DEFAULT` is PostgreSQL 16+).
    static func setStorage(_ table: QualifiedName, column: String, _ storage: ColumnStorage?) -> String {
        let alter = "ALTER TABLE \(SQL.qualified(table)) ALTER COLUMN \(SQL.identifier(column)) SET STORAGE "
        if let storage { return alter + storage.sql }
        let lookup = """
            (SELECT CASE t.typstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL' WHEN 'm' THEN 'MAIN'
                                          ELSE 'EXTENDED' END
                 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
                 WHERE a.attrelid = \(regclass(table)) AND a.attname = \(SQL.literal(column)))
            """
        return doBlock(
            "EXECUTE \(SQL.literal(alter)) || default_storage;", declaring: "default_storage text := " + lookup)
    }

    /// `ALTER TABLE ... ALTER COLUMN ... SET COMPRESSION lz4` (nil: `DEFAULT`).
    static func setCompression(_ table: QualifiedName, column: String, _ compression: ColumnCompression?) -> String {
        "ALTER TABLE \(SQL.qualified(table)) ALTER COLUMN \(SQL.identifier(column)) SET COMPRESSION "
            + (compression?.rawValue ?? "DEFAULT")
    }

    /// A new column's declared storage and compression, after it is created.
    static func storageAndCompression(_ table: QualifiedName, _ column: Column) -> [String] {
        (column.storage.map { [setStorage(table, column: column.name, $0)] } ?? [])
            + (column.compression.map { [setCompression(table, column: column.name, $0)] } ?? [])
    }

    /// A collation of pg_catalog, qualified so that no schema of the search path can shadow it.
    static func collationName(_ name: String) -> String { "pg_catalog.\(SQL.identifier(name))" }

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
        guard !type.contains(Character("[")) else { return false }
        let base = type.split(separator: "(", maxSplits: 1).first.map(String.init)?.trimmingSpaces.lowercased() ?? ""
        return numericTypeNames.contains(base)
    }

    static let numericTypeNames: Set<String> = [
        "smallint", "integer", "int", "bigint", "int2", "int4", "int8", "numeric", "decimal", "real",
        "double precision", "float", "float4", "float8",
    ]

    static func isBooleanType(_ type: String) -> Bool {
        ["boolean", "bool"].contains(type.lowercased())
    }

    // MARK: - Constraints and indexes

    static func primaryKeyClause(_ key: PrimaryKey) -> String {
        "PRIMARY KEY (\(SQL.identifierList(key.columns)))\(keyIndexClauses(key.index))\(key.deferral.sql)"
    }

    static func uniqueClause(_ unique: UniqueConstraint) -> String {
        "UNIQUE\(unique.nullsNotDistinct ? " NULLS NOT DISTINCT" : "") (\(SQL.identifierList(unique.columns)))"
            + keyIndexClauses(unique.index) + unique.deferral.sql
    }

    /// ` INCLUDE (...) WITH (...)` after a key's columns, before its deferral, as the grammar orders them.
    static func keyIndexClauses(_ options: KeyIndexOptions?) -> String {
        guard let options else { return "" }
        var text = ""
        if !options.include.isEmpty { text += " INCLUDE (\(SQL.identifierList(options.include)))" }
        if !options.storageParameters.isEmpty { text += " WITH (\(storageParameterList(options.storageParameters)))" }
        return text
    }

    /// `NOT VALID` only takes effect in `ALTER TABLE ... ADD`; inside `CREATE TABLE` PostgreSQL validates
    /// anyway (there are no rows), which is why the differ adds unvalidated constraints after the table.
    static func checkClause(_ check: CheckConstraint) -> String {
        // Canonical text read back from the server already starts with CHECK.
        let body = check.expression.hasPrefix("CHECK ") ? check.expression : "CHECK (\(check.expression))"
        return body + (check.noInherit ? " NO INHERIT" : "") + (check.notValid ? " NOT VALID" : "")
    }

    /// The definition goes in as written, like a check expression: the loader checked that it is the text
    /// after `EXCLUDE` without a deferral of its own (that is `deferral`, so it compares structurally).
    static func exclusionClause(_ exclusion: ExclusionConstraint) -> String {
        "EXCLUDE \(exclusion.definition)\(exclusion.deferral.sql)"
    }

    static func foreignKeyClause(_ key: ForeignKey) -> String {
        var text =
            "FOREIGN KEY (\(SQL.identifierList(key.columns))) REFERENCES \(SQL.qualified(key.referencedTable)) "
            + "(\(SQL.identifierList(key.referencedColumns)))"
        if key.matchFull { text += " MATCH FULL" }
        if key.onUpdate != .noAction { text += " ON UPDATE \(key.onUpdate.sql)" }
        if key.onDelete != .noAction { text += " ON DELETE \(key.onDelete.sql)" }
        return text + key.deferral.sql + (key.notValid ? " NOT VALID" : "")
    }

    static func createIndex(_ table: QualifiedName, _ index: Index) -> String {
        "CREATE \(index.isUnique ? "UNIQUE " : "")INDEX IF NOT EXISTS \(SQL.identifier(index.name)) ON \(SQL.qualified(table)) \(indexDefinitionTail(index))"
    }

    /// `USING btree ("a", lower(b)) INCLUDE (...) NULLS NOT DISTINCT WITH (...) WHERE ...`: everything after
    /// the table name, in `pg_get_indexdef`'s order. `quote` spells column names: always quoted for SQL,
    /// quoted only where needed to match `pg_get_indexdef`.
    public static func indexDefinitionTail(_ index: Index, quote: (String) -> String = SQL.identifier) -> String {
        let keys = index.keys.map { key -> String in
            switch key {
            case .column(let name): return quote(name)
            case .expression(let expression): return expression
            }
        }
        var text = "USING \(index.method) (\(keys.joined(separator: ", ")))"
        if !index.include.isEmpty { text += " INCLUDE (\(index.include.map(quote).joined(separator: ", ")))" }
        if index.nullsNotDistinct { text += " NULLS NOT DISTINCT" }
        if !index.storageParameters.isEmpty {
            text += " WITH (\(storageParameterList(index.storageParameters)))"
        }
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
        let condition =
            "EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = \(regclass(table)) AND conname = \(SQL.literal(name)))"
        return guarded(
            unless: condition, "ALTER TABLE \(SQL.qualified(table)) ADD CONSTRAINT \(SQL.identifier(name)) \(clause)")
    }

    /// A `DO` block that runs `statement` only when `condition` is false: the idempotent form of DDL that
    /// has no `IF NOT EXISTS`.
    static func guarded(unless condition: String, _ statement: String) -> String {
        doBlock("IF NOT \(condition) THEN\n        \(statement);\n    END IF;")
    }

    static func guarded(if condition: String, _ statement: String) -> String {
        doBlock("IF \(condition) THEN\n        \(statement);\n    END IF;")
    }

    static func doBlock(_ body: String, declaring variable: String? = nil) -> String {
        let declare = variable.map { "\nDECLARE\n    \($0);" } ?? ""
        return "DO " + SQL.dollarQuoted("\(declare)\nBEGIN\n    \(body)\nEND\n")
    }

    /// PostgreSQL 18 has no DROP EXPRESSION for a VIRTUAL generated column: a plain column takes its place, with
    /// its values, type, collation, NOT NULL and comment (its checks go with it; the plan adds them again). A
    /// no-op for any other column.
    static func materializeVirtualColumn(_ table: QualifiedName, column: String) -> String {
        let relation = SQL.qualified(table)
        let temporary = SQL.identifier("reconcile_materialized")
        let name = SQL.identifier(column)
        // Inside EXECUTE's quoted text, quotes are doubled.
        func quoted(_ text: String) -> String { text.replacingOccurrences(of: "'", with: "''") }
        let collation =
            "(SELECT ' COLLATE ' || pg_catalog.quote_ident(n.nspname) || '.' || "
            + "pg_catalog.quote_ident(c.collname) FROM pg_catalog.pg_collation c "
            + "JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace "
            + "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
            + "WHERE c.oid = a.attcollation AND c.oid <> t.typcollation)"
        let comment =
            "pg_catalog.format('COMMENT ON COLUMN %s.%s IS %L', "
            + "\(SQL.literal(relation)), \(SQL.literal(name)), description)"
        let body = """
            SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) || coalesce(\(collation), ''), a.attnotnull,
                       pg_catalog.col_description(a.attrelid, a.attnum)
                  INTO column_type, not_null, description
                  FROM pg_catalog.pg_attribute a
                 WHERE a.attrelid = \(regclass(table)) AND a.attname = \(SQL.literal(column)) AND a.attgenerated = 'v'
                   AND NOT a.attisdropped;
                IF FOUND THEN
                    EXECUTE 'ALTER TABLE \(quoted(relation)) ADD COLUMN \(temporary) ' || column_type;
                    EXECUTE 'UPDATE \(quoted(relation)) SET \(temporary) = \(quoted(name))';
                    ALTER TABLE \(relation) DROP COLUMN \(name);
                    ALTER TABLE \(relation) RENAME COLUMN \(temporary) TO \(name);
                    IF not_null THEN
                        ALTER TABLE \(relation) ALTER COLUMN \(name) SET NOT NULL;
                    END IF;
                    IF description IS NOT NULL THEN
                        EXECUTE \(comment);
                    END IF;
                END IF;
            """
        return doBlock(body, declaring: "column_type text;\n    not_null boolean;\n    description text")
    }

    /// The sequence that feeds a serial or identity column, as text (NULL when there is none).
    static func serialSequenceLookup(_ table: QualifiedName, column: String) -> String {
        "pg_catalog.pg_get_serial_sequence(\(SQL.literal(SQL.qualified(table))), \(SQL.literal(column)))"
    }

    /// Sets `sequence` (an SQL text expression) so that its next value follows the column's highest value.
    static func restartAfterMaximum(_ table: QualifiedName, column: String, sequence: String) -> String {
        "SELECT pg_catalog.setval(\(sequence), coalesce(max(\(SQL.identifier(column))), 0) + 1, false) "
            + "FROM \(SQL.qualified(table))"
    }
}
