import ReconcileCore

/// The existing tables as a plan's earlier steps will have left them, written as queries over the tables as
/// they are now: pre-flight checks run before anything changes, but a step meets the data its predecessors
/// produced (renamed tables and columns, cast values, backfilled NULLs, added columns holding their default).
struct ProjectedTables: PreflightTables {
    struct ProjectedColumn {
        var name: String
        /// SQL over the live table's columns that yields this column's values.
        var expression: String
        /// The live column it still is (renamed or cast), for dependency lookups; nil for an added column.
        var liveName: String?
    }

    struct ProjectedTable {
        /// The name the database knows the table by before the plan runs.
        var liveName: QualifiedName
        var name: QualifiedName
        var columns: [ProjectedColumn]
        var estimatedRows: Int?

        func column(_ name: String) -> ProjectedColumn? { columns.first { $0.name == name } }

        /// A FROM item with the table's projected rows; the plain table while nothing changed it.
        func relation(as alias: String) -> String {
            let unchanged =
                liveName == name
                && columns.allSatisfy { $0.liveName == $0.name && $0.expression == SQL.identifier($0.name) }
            if unchanged { return "\(SQL.qualified(liveName)) AS \(alias)" }
            // An empty select list is valid SQL: the row count is all a check on a column-less table needs.
            let list = columns.map { "\($0.expression) AS \(SQL.identifier($0.name))" }.joined(separator: ", ")
            return "(SELECT \(list) FROM \(SQL.qualified(liveName))) AS \(alias)"
        }
    }

    private(set) var tables: [QualifiedName: ProjectedTable]

    init(live: Schema) {
        tables = live.tablesByName.mapValues { table in
            ProjectedTable(
                liveName: table.name, name: table.name,
                columns: table.columns.map {
                    ProjectedColumn(name: $0.name, expression: SQL.identifier($0.name), liveName: $0.name)
                }, estimatedRows: table.estimatedRows)
        }
    }

    subscript(name: QualifiedName) -> ProjectedTable? { tables[name] }

    func estimatedRows(_ table: QualifiedName) -> Int? { tables[table]?.estimatedRows }

    func relation(_ table: QualifiedName, columns: [String], as alias: String) -> String? {
        guard let table = tables[table], columns.allSatisfy({ table.column($0) != nil }) else { return nil }
        return table.relation(as: alias)
    }

    /// Follows one step. Steps that change no existing table's rows or columns (new tables, constraints,
    /// indexes, comments, defaults of existing columns) leave the projection as it is; seeded rows come
    /// after every check that reads data, so they are not followed either.
    mutating func apply(_ change: Change) {
        guard case .column(let column) = change.kind else {
            if case .table(.renameTable(let from, let to)) = change.kind, var table = tables.removeValue(forKey: from) {
                table.name = to
                tables[to] = table
            }
            if case .table(.dropTable(let table)) = change.kind { tables[table] = nil }
            return
        }
        switch column {
        case .renameColumn(let table, let from, let to):
            update(table, from) { $0.name = to }
        case .addColumn(let table, let column):
            // Only constants are projected: an expression default may have side effects (nextval() would use up
            // sequence values), so the column stays unknown and checks that need it are skipped, as are
            // identity, serial and generated columns.
            guard column.identity == nil, !column.isSerial, column.generated == nil,
                tables[table]?.column(column.name) == nil
            else { return }
            let value: Literal?
            switch column.defaultValue {
            case .literal(let literal)?: value = literal
            case .expression?: return
            case nil: value = column.isNullable ? nil : column.backfill
            }
            let constant = value.map { SQLRenderer.defaultSQL(.literal($0), type: column.type) } ?? "NULL"
            let expression = "(\(constant))::\(column.type)"
            tables[table]?.columns.append(ProjectedColumn(name: column.name, expression: expression, liveName: nil))
        case .alterColumnType(let table, let column, _, let to, _):
            // The same cast as the ALTER ... USING the step runs.
            update(table, column) { $0.expression = "(\($0.expression))::\(to)" }
        case .setNotNull(let table, let column, let backfill?, let type):
            let value = SQLRenderer.defaultSQL(.literal(backfill), type: type)
            update(table, column) { $0.expression = "coalesce(\($0.expression), \(value))" }
        case .dropColumn(let table, let column):
            tables[table]?.columns.removeAll { $0.name == column }
        case .rebuildGeneratedColumn(let table, let column, _):
            // Its values are computed anew: unknown to a check.
            tables[table]?.columns.removeAll { $0.name == column.name }
        // Data and shape stay as they are, for a pre-flight check.
        case .setColumnComment, .setDefault, .dropDefault, .setNotNull, .dropNotNull, .addIdentity, .setIdentity,
            .dropIdentity, .dropSerial, .addSerial, .dropExpression, .setStatistics, .setCollation, .alterSequence,
            .renameNotNullConstraint, .setStorage, .setCompression:
            break
        }
    }

    private mutating func update(_ table: QualifiedName, _ column: String, _ edit: (inout ProjectedColumn) -> Void) {
        guard var projected = tables[table],
            let position = projected.columns.firstIndex(where: { $0.name == column })
        else { return }
        edit(&projected.columns[position])
        tables[table] = projected
    }
}
