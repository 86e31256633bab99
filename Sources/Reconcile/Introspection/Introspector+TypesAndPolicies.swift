import Foundation
import PostgresClient
import ReconcileCore

extension Introspector {
    /// Domains and composite types in a scope (one query for both), in name order.
    func readTypes(_ scope: CatalogQueries.Scope, names: [String]?) throws -> ([Domain], [CompositeType]) {
        let rows = try connection.query(CatalogQueries.userTypes(scope), [names.map(TextArray.literal)]).namedRows
        var domains: [Domain] = []
        var compositeTypes: [CompositeType] = []
        for row in rows {
            let name = QualifiedName(schema: row["nspname"] ?? "", name: row["typname"] ?? "")
            let users = try Self.decodeRows(row["used_by"]).map { item -> TypeUser in
                TypeUser(
                    kind: TypeUser.Kind(rawValue: item[0] ?? "") ?? .column,
                    relation: QualifiedName(schema: item[1] ?? "", name: item[2] ?? ""), column: item[3],
                    isArray: item.count > 4 && item[4] == "array")
            }
            if row["kind"] == "d" {
                let checks = try Self.decodeChecks(row["checks"])
                domains.append(
                    Domain(
                        name: name, baseType: row["base_type"] ?? "",
                        defaultValue: row["default_expression"].map(ColumnDefault.expression),
                        isNullable: !row.bool("not_null"), collation: row["collation"], checks: checks,
                        comment: row["comment"], usedBy: users))
            } else {
                let attributes = try Self.decodeRows(row["attributes"]).map { item in
                    CompositeAttribute(name: item[0] ?? "", type: item[1] ?? "", collation: item[2])
                }
                compositeTypes.append(
                    CompositeType(name: name, attributes: attributes, comment: row["comment"], usedBy: users))
            }
        }
        return (domains, compositeTypes)
    }

    /// `[["name", "CHECK ((VALUE > 0))", true], ...]`: a NOT VALID check's definition ends in ` NOT VALID`,
    /// which the model keeps as a flag.
    static func decodeChecks(_ json: String?) throws -> [CheckConstraint] {
        guard let json else { return [] }
        let items = try JSONDecoder().decode([CheckRow].self, from: Data(json.utf8))
        return items.map { item in
            var expression = Substring(item.definition)
            if !item.validated, expression.hasSuffix(" NOT VALID") {
                expression = expression.dropLast(" NOT VALID".count)
            }
            return CheckConstraint(name: item.name, expression: String(expression), notValid: !item.validated)
        }
    }

    private struct CheckRow: Decodable {
        let name: String
        let definition: String
        let validated: Bool

        init(from decoder: Decoder) throws {
            var container = try decoder.unkeyedContainer()
            name = try container.decode(String.self)
            definition = try container.decode(String.self)
            validated = try container.decode(Bool.self)
        }
    }

    /// A JSON array of arrays of texts (or nulls).
    static func decodeRows(_ json: String?) throws -> [[String?]] {
        guard let json else { return [] }
        return try JSONDecoder().decode([[String?]].self, from: Data(json.utf8))
    }

    /// A row of `CatalogQueries.rowSecurity`: the table's mode and its policies.
    static func addRowSecurity(_ row: QueryResult.Row, to table: inout Table) throws {
        table.rowLevelSecurity =
            row.bool("enabled") ? (row.bool("forced") ? .forced : .enabled) : .disabled
        guard let json = row["policies"] else { return }
        table.policies = try JSONDecoder().decode([PolicyRow].self, from: Data(json.utf8)).map(\.policy)
    }

    private struct PolicyRow: Decodable {
        let policy: Policy

        init(from decoder: Decoder) throws {
            var container = try decoder.unkeyedContainer()
            let name = try container.decode(String.self)
            let command = try container.decode(String.self)
            let permissive = try container.decode(Bool.self)
            let roles = try container.decode([String].self)
            let using = try container.decodeIfPresent(String.self)
            let withCheck = try container.decodeIfPresent(String.self)
            let comment = try container.decodeIfPresent(String.self)
            let commands: [String: Policy.Command] = [
                "*": .all, "r": .select, "a": .insert, "w": .update, "d": .delete,
            ]
            policy = Policy(
                name: name, command: commands[command] ?? .all, roles: roles, isRestrictive: !permissive,
                using: using, withCheck: withCheck, comment: comment)
        }
    }
}

extension Introspector {
    /// What reconcile does not model in these schemas (and database-wide), as `kind name`, sorted.
    func notModelled(schemas: [String]) throws -> [String] {
        try connection.query(CatalogQueries.notModelled, [TextArray.literal(schemas)]).namedRows.map {
            "\($0["kind"] ?? "?") \($0["name"] ?? "?")"
        }
    }
}
