/// Whole tables: create, rename, comment, drop.
public enum TableChange: ChangeFamily {
    case renameTable(from: QualifiedName, to: QualifiedName)
    /// Foreign keys listed here are created inline; the rest of the table's keys come in a later phase.
    case createTable(Table, inlineForeignKeys: [ForeignKey])
    case setTableComment(QualifiedName, String?)
    /// `SET UNLOGGED` or `SET LOGGED`: the table is rewritten.
    case setUnlogged(QualifiedName, Bool)
    /// Storage parameters to set (new or changed) and to reset (no longer declared).
    case setStorageParameters(QualifiedName, set: [StorageParameter], reset: [String])
    case dropTable(QualifiedName)

    var table: QualifiedName? {
        switch self {
        case .renameTable(_, let to): return to
        case .createTable(let table, _): return table.name
        case .setTableComment(let name, _), .dropTable(let name), .setUnlogged(let name, _),
            .setStorageParameters(let name, _, _):
            return name
        }
    }

    var phase: Change.Phase {
        switch self {
        case .renameTable, .createTable: return .tables
        case .setTableComment, .setUnlogged, .setStorageParameters: return .columnChanges
        case .dropTable: return .destructive
        }
    }

    var rankInPhase: Int {
        switch self {
        case .dropTable: return 3
        case .renameTable, .createTable, .setTableComment, .setUnlogged, .setStorageParameters: return 0
        }
    }

    var marker: Change.Marker {
        switch self {
        case .createTable: return .add
        case .renameTable, .setTableComment, .setUnlogged, .setStorageParameters: return .change
        case .dropTable: return .remove
        }
    }

    var isDestructive: Bool {
        switch self {
        case .dropTable: return true
        case .renameTable, .createTable, .setTableComment, .setUnlogged, .setStorageParameters: return false
        }
    }

    var needsManualAction: Bool { false }

    var kindName: String {
        switch self {
        case .renameTable: return "rename_table"
        case .createTable: return "create_table"
        case .setTableComment: return "set_table_comment"
        case .setUnlogged: return "set_unlogged"
        case .setStorageParameters: return "set_storage_parameters"
        case .dropTable: return "drop_table"
        }
    }

    func objectName(table: String) -> String { table }

    var summary: String {
        switch self {
        case .renameTable(let from, let to): return "rename table \(from) to \(to)"
        case .createTable(let table, _):
            return "create table \(table.name) (\(table.columns.count) column\(table.columns.count == 1 ? "" : "s"))"
        case .setTableComment(_, let comment): return comment == nil ? "drop table comment" : "set table comment"
        case .setUnlogged(_, let unlogged): return unlogged ? "make the table UNLOGGED" : "make the table LOGGED"
        case .setStorageParameters(_, let set, let reset):
            let parts = set.map { "\($0.name) = \($0.value)" } + reset.map { "reset \($0)" }
            return "set storage parameters: \(parts.joined(separator: ", "))"
        case .dropTable(let name): return "drop table \(name) (not declared in the schema file)"
        }
    }

    func driftDescription(object: String, details: [String]) -> String {
        switch self {
        case .renameTable(let from, _): return "table \(object) is still named \(from)"
        case .createTable: return "missing table \(object)"
        case .setTableComment: return "comment of table \(object) differs from the file"
        case .setUnlogged(_, let unlogged):
            return
                "table \(object) is \(unlogged ? "logged" : "UNLOGGED"), the file declares it \(unlogged ? "UNLOGGED" : "logged")"
        case .setStorageParameters: return "storage parameters of table \(object) differ from the file"
        case .dropTable: return "table \(object) is not declared in the file (unmanaged)"
        }
    }

    var statements: [String] {
        switch self {
        case .renameTable(let from, let to):
            var statements: [String] = []
            var current = from
            if from.schema != to.schema {
                let moved = QualifiedName(schema: to.schema, name: from.name)
                statements.append(
                    SQLRenderer.guarded(
                        if: "\(SQLRenderer.exists(from)) AND NOT \(SQLRenderer.exists(moved))",
                        "ALTER TABLE \(SQL.qualified(from)) SET SCHEMA \(SQL.identifier(to.schema))"))
                current = moved
            }
            if current.name != to.name {
                statements.append(
                    SQLRenderer.guarded(
                        if: "\(SQLRenderer.exists(current)) AND NOT \(SQLRenderer.exists(to))",
                        "ALTER TABLE \(SQL.qualified(current)) RENAME TO \(SQL.identifier(to.name))"))
            }
            return statements
        case .createTable(let table, let inlineForeignKeys):
            var statements = [SQLRenderer.createTable(table, inlineForeignKeys: inlineForeignKeys)]
            for column in table.columns {
                statements +=
                    SQLRenderer.serialSequenceAdjustments(table.name, column)
                    + SQLRenderer.setOwnedSequencePersistence(table.name, column: column.name, column.sequence)
                if let target = column.statistics {
                    statements.append(SQLRenderer.setStatistics(table.name, column: column.name, target))
                }
                statements += SQLRenderer.storageAndCompression(table.name, column)
            }
            if let comment = table.comment {
                statements.append("COMMENT ON TABLE \(SQL.qualified(table.name)) IS \(SQL.literal(comment))")
            }
            for column in table.columns {
                guard let comment = column.comment else { continue }
                statements.append(
                    "COMMENT ON COLUMN \(SQL.qualified(table.name)).\(SQL.identifier(column.name)) "
                        + "IS \(SQL.literal(comment))")
            }
            return statements
        case .setTableComment(let table, let comment):
            return ["COMMENT ON TABLE \(SQL.qualified(table)) IS \(comment.map(SQL.literal) ?? "NULL")"]
        case .dropTable(let table):
            return ["DROP TABLE IF EXISTS \(SQL.qualified(table))"]
        case .setUnlogged(let table, let unlogged):
            return ["ALTER TABLE \(SQL.qualified(table)) SET \(unlogged ? "UNLOGGED" : "LOGGED")"]
        case .setStorageParameters(let table, let set, let reset):
            var statements: [String] = []
            if !set.isEmpty {
                statements.append("ALTER TABLE \(SQL.qualified(table)) SET (\(SQLRenderer.storageParameterList(set)))")
            }
            if !reset.isEmpty {
                statements.append("ALTER TABLE \(SQL.qualified(table)) RESET (\(reset.joined(separator: ", ")))")
            }
            return statements
        }
    }

    var lock: TableLock {
        switch self {
        // A new table's foreign keys lock the tables they reference.
        case .createTable(_, let inlineForeignKeys): return inlineForeignKeys.isEmpty ? .none : .shareRowExclusive
        case .setTableComment: return .shareUpdateExclusive
        case .setStorageParameters(_, let set, let reset):
            // Planner and autovacuum parameters need less than the rest (PostgreSQL's reloptions say which).
            let names = set.map(\.name) + reset
            return names.allSatisfy(Self.parameterTakesShareUpdateExclusive) ? .shareUpdateExclusive : .accessExclusive
        case .renameTable, .setUnlogged, .dropTable: return .accessExclusive
        }
    }

    var lockedTables: [QualifiedName] {
        switch self {
        case .createTable(_, let inlineForeignKeys): return inlineForeignKeys.map(\.referencedTable)
        case .renameTable(let from, _): return [from]
        case .setTableComment(let name, _), .setUnlogged(let name, _), .setStorageParameters(let name, _, _),
            .dropTable(let name):
            return [name]
        }
    }

    static func parameterTakesShareUpdateExclusive(_ name: String) -> Bool {
        name.hasPrefix("autovacuum_") || name.hasPrefix("toast.autovacuum_")
            || [
                "fillfactor", "parallel_workers", "log_autovacuum_min_duration", "toast.log_autovacuum_min_duration",
                "vacuum_index_cleanup", "toast.vacuum_index_cleanup", "vacuum_truncate", "toast.vacuum_truncate",
            ]
            .contains(name)
    }

    var hazards: [Hazard] {
        switch self {
        case .createTable, .setTableComment: return []
        case .renameTable, .setStorageParameters: return []
        case .setUnlogged: return [.rewritesTable]
        case .dropTable: return [.deletesData]
        }
    }

    func preflight(tables: PreflightTables) -> PreflightProbe? { nil }

    var blockedByDependents: DependentsProbe? {
        switch self {
        case .dropTable(let name): return DependentsProbe(table: name, column: nil)
        case .renameTable, .createTable, .setTableComment, .setUnlogged, .setStorageParameters: return nil
        }
    }

    var privilege: PrivilegeNeed {
        switch self {
        case .createTable(let table, _): return .createOnSchema(table.name.schema)
        case .renameTable(let from, _): return .ownership(from)
        case .setTableComment(let name, _), .dropTable(let name), .setUnlogged(let name, _),
            .setStorageParameters(let name, _, _):
            return .ownership(name)
        }
    }
}
