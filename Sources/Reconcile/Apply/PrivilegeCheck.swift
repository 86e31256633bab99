import PostgresClient
import ReconcileCore

/// Before `--apply` runs anything: does the current role hold every privilege the plan needs? One query
/// answers for all steps, and a role that lacks something gets the list instead of a failure halfway.
public struct PrivilegeCheck {
    let connection: Connection

    /// A privilege the role lacks, and the step that needs it.
    public struct Missing: Equatable, Sendable {
        public let step: Int
        public let what: String
    }

    func missing(for steps: [PlanStep], live: Schema) throws -> [Missing] {
        let existing = Set(live.tables.map(\.name))
        var probes: [(step: Int, what: String, test: String)] = []
        for step in steps {
            let number = step.number
            switch step.change.privilege {
            case .none:
                continue
            case .createOnDatabase:
                probes.append((number, "CREATE on the database", CatalogQueries.Privilege.createOnDatabase))
            case .createOnSchema(let schema):
                probes.append(
                    (
                        number, "CREATE on schema \(SQL.displayIdentifier(schema))",
                        CatalogQueries.Privilege.createOnSchema(schema)
                    ))
            case .onTable(let table, let privilege):
                // A table this plan creates belongs to the current role.
                guard existing.contains(table) else { continue }
                probes.append(
                    (
                        number, "\(privilege) on \(table)",
                        CatalogQueries.Privilege.onTable(SQLRenderer.regclass(table), privilege)
                    ))
            case .ownership(let table):
                guard existing.contains(table) else { continue }
                probes.append(
                    (
                        number, "ownership of \(table)",
                        CatalogQueries.Privilege.ownership(SQLRenderer.regclass(table))
                    ))
            }
        }
        guard !probes.isEmpty else { return [] }
        // Each distinct test once, as rows (a select list is limited to 1,664 columns; VALUES is not).
        var tests: [String] = []
        var position: [String: Int] = [:]
        for probe in probes where position[probe.test] == nil {
            position[probe.test] = tests.count
            tests.append(probe.test)
        }
        let rows = tests.enumerated().map { "(\($0.offset), \($0.element))" }.joined(separator: ",\n")
        let failing = Set(
            try connection.query(CatalogQueries.Privilege.failing(rows))
                .rows.compactMap { row -> Int? in (row.first ?? nil).flatMap { Int($0) } })
        return probes.filter { failing.contains(position[$0.test]!) }.map { Missing(step: $0.step, what: $0.what) }
    }

}
