/// Seeded rows: the data a table must hold (settings, lookup values).
public enum SeedChange: ChangeFamily {
    /// Rows to insert (or, in `enforce` mode, to bring back to their declared values).
    case seedRows(Table, rows: [SeedRow], mode: Seed.Mode)

    var table: QualifiedName? {
        switch self {
        case .seedRows(let table, _, _): return table.name
        }
    }

    var phase: Change.Phase { .seeds }
    var rankInPhase: Int { 0 }

    var marker: Change.Marker {
        switch self {
        case .seedRows(_, _, let mode): return mode == .insertMissing ? .add : .change
        }
    }

    var isDestructive: Bool { false }
    var needsManualAction: Bool { false }
    var kindName: String { "seed_rows" }
    func objectName(table: String) -> String { table }

    var summary: String {
        switch self {
        case .seedRows(let table, let rows, let mode):
            let keys = rows.map { $0.keyDescription(table.seed?.key ?? []) }
            let verb = mode == .insertMissing ? "insert missing" : "insert or restore"
            return "\(verb) seeded row\(rows.count == 1 ? "" : "s") \(keys.joined(separator: "; "))"
        }
    }

    func driftDescription(object: String, details: [String]) -> String {
        switch self {
        case .seedRows(let table, let rows, _):
            if !details.isEmpty { return "seeded rows of \(object): " + details.joined(separator: "; ") }
            let described = rows.map { $0.keyDescription(table.seed?.key ?? []) }
            return "seeded row\(rows.count == 1 ? "" : "s") \(described.joined(separator: "; ")) of \(object) missing"
        }
    }

    var statements: [String] {
        switch self {
        case .seedRows(let table, let rows, let mode): return Self.statements(table, rows: rows, mode: mode)
        }
    }

    /// Inserts and updates rows.
    var lock: TableLock { .rowExclusive }

    var hazards: [Hazard] { [] }
    func preflight(tables: PreflightTables) -> PreflightProbe? { nil }
    var blockedByDependents: DependentsProbe? { nil }

    var privilege: PrivilegeNeed {
        switch self {
        case .seedRows(let table, _, let mode):
            return .onTable(table.name, mode == .enforce ? "INSERT, UPDATE" : "INSERT")
        }
    }

    /// One `INSERT ... ON CONFLICT` per distinct column list (rows may set different columns).
    private static func statements(_ table: Table, rows: [SeedRow], mode: Seed.Mode) -> [String] {
        let key = table.seed?.key ?? table.primaryKey?.columns ?? []
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
                "("
                    + columns.map { column in
                        SQLRenderer.literalSQL(row[column] ?? .null, type: table.column(column)?.type ?? "")
                    }.joined(separator: ", ") + ")"
            }
            let updated = columns.filter { !key.contains($0) }
            let updates = mode == .enforce && !updated.isEmpty
            let target = SQL.identifier("t")
            var text =
                "INSERT INTO \(SQL.qualified(table.name))\(updates ? " AS \(target)" : "") "
                + "(\(SQL.identifierList(columns)))"
            if overriding { text += " OVERRIDING SYSTEM VALUE" }
            text += "\nVALUES " + values.joined(separator: ",\n       ")
            text += "\nON CONFLICT (\(SQL.identifierList(key))) "
            if updates {
                text +=
                    "DO UPDATE SET "
                    + updated.map { "\(SQL.identifier($0)) = EXCLUDED.\(SQL.identifier($0))" }.joined(separator: ", ")
                // Compared as text: json, xml, point... have no equality operator.
                text +=
                    "\n    WHERE ROW(" + updated.map { "\(target).\(SQL.identifier($0))" }.joined(separator: ", ")
                    + ")::text IS DISTINCT FROM ROW("
                    + updated.map { "EXCLUDED.\(SQL.identifier($0))" }.joined(separator: ", ") + ")::text"
            } else {
                text += "DO NOTHING"
            }
            return text
        }
    }
}
