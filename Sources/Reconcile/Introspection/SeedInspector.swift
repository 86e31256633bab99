import Foundation
import PostgresClient
import ReconcileCore

/// Finds out, in one query for all seeded tables, which declared rows are missing or hold other values.
struct SeedInspector {
    let connection: Connection

    /// `canonical` supplies each column's canonical type, so values are compared as the column holds them.
    func states(desired: Schema, canonical: Schema, live: Schema) throws -> [QualifiedName: [SeedRowState]] {
        let liveTables = live.tablesByName
        let canonicalTables = canonical.tablesByName
        // Values of an enum that gains them in this plan do not exist yet: such columns compare as text.
        let liveEnums = Dictionary(live.enums.map { ($0.name, $0.values) }, uniquingKeysWith: { a, _ in a })
        let growingEnums = Set(
            desired.enums.filter { type in liveEnums[type.name].map { $0 != type.values } ?? false }
                .flatMap { [$0.name.name, $0.name.description, SQL.qualified($0.name)] })
        var selects: [String] = []
        var inspected: [(QualifiedName, Int)] = []  // table, row count
        for table in desired.tables {
            guard let seed = table.seed, !seed.rows.isEmpty, let liveTable = liveTables[table.name] else { continue }
            // A seeded column that does not exist yet cannot be compared: the rows count as missing.
            guard seed.columns.allSatisfy({ liveTable.column($0) != nil }) else { continue }
            let types = canonicalTables[table.name] ?? table
            let tableIndex = inspected.count
            for (rowIndex, row) in seed.rows.enumerated() {
                selects.append(
                    rowQuery(
                        table: table.name, seed: seed, row: row, types: types, live: liveTable,
                        textOnly: growingEnums, tableIndex: tableIndex, rowIndex: rowIndex))
            }
            inspected.append((table.name, seed.rows.count))
        }
        guard !selects.isEmpty else { return [:] }
        let result = try connection.query(selects.joined(separator: "\nUNION ALL\n"))
        var states: [QualifiedName: [SeedRowState]] = [:]
        for (name, count) in inspected { states[name] = Array(repeating: .missing, count: count) }
        for row in result.rows {
            guard let tableIndex = row[0].flatMap(Int.init), let rowIndex = row[1].flatMap(Int.init),
                tableIndex < inspected.count
            else { continue }
            let name = inspected[tableIndex].0
            guard row[2] == "t" else { continue }
            let differing = try row[3].map { try JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
            states[name]?[rowIndex] = differing.isEmpty ? .matches : .differs(columns: differing)
        }
        return states
    }

    /// One row of output per declared row: (table index, row index, present, differing columns as JSON).
    private func rowQuery(
        table: QualifiedName, seed: Seed, row: SeedRow, types: Table, live: Table,
        textOnly: Set<String>, tableIndex: Int, rowIndex: Int
    ) -> String {
        func value(_ column: String) -> String {
            var type = types.column(column)?.type ?? live.column(column)?.type ?? "text"
            if textOnly.contains(type) { type = "text" }
            let literal = row[column]?.text.map(SQL.literal) ?? "NULL"
            return "CAST(\(literal) AS \(type))"
        }
        // Compared as text: the same type prints the same value the same way, and json, xml or point
        // have no equality operator at all.
        // Compared as text, as the file writes them.
        func comparable(_ expression: String) -> String { "(\(expression))::text" }
        let match = seed.key.map { column -> String in
            let textual = textOnly.contains(types.column(column)?.type ?? "")
            return "s.\(SQL.identifier(column))\(textual ? "::text" : "") = \(value(column))"
        }.joined(separator: " AND ")
        let compared = row.values.map(\.0).filter { !seed.key.contains($0) }
        let differences = compared.map { column in
            let liveSide = comparable("s.\(SQL.identifier(column))")
            let declaredSide = comparable(value(column))
            return "CASE WHEN \(liveSide) IS DISTINCT FROM \(declaredSide) THEN \(SQL.literal(column)) END"
        }
        let array =
            differences.isEmpty
            ? "ARRAY[]::text[]"
            : "pg_catalog.array_remove(ARRAY[\(differences.joined(separator: ", "))]::text[], NULL)"
        return """
            SELECT \(tableIndex), \(rowIndex), true, pg_catalog.to_json(\(array))::text
            FROM \(SQL.qualified(table)) AS s WHERE \(match)
            """
    }
}
