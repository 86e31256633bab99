import Foundation
import PostgresClient
import ReconcileCore

extension Introspector {
    /// Views of the schemas named (nil: every user schema) and the views elsewhere that read them, split into
    /// (managed, dependent); or, `scratch`, this session's temporary views of those names, each with the name it
    /// was read under.
    func readViews(
        scratch: Bool, names: [String]?
    ) throws -> (
        managed: [(relname: String, view: View)], dependent: [View]
    ) {
        let rows = try connection.query(CatalogQueries.views(scratch: scratch), [names.map(TextArray.literal)])
        var managed: [(String, View)] = []
        var dependent: [View] = []
        for row in rows.namedRows {
            let view = try Self.view(row)
            if row.bool("managed") {
                managed.append((row["relname"] ?? "", view))
            } else {
                dependent.append(view)
            }
        }
        return (managed, dependent)
    }

    static func view(_ row: QueryResult.Row) throws -> View {
        let kind: View.Kind = row["relkind"] == "m" ? .materializedView : .view
        let name = QualifiedName(schema: row["nspname"] ?? "", name: row["relname"] ?? "")
        let definition = View.trimmedQuery(row["definition"] ?? "")
        var view = View(kind: kind, name: name, query: definition, comment: row["comment"])
        for option in try decodeNames(row["options"]) {
            let parts = option.split(separator: "=", maxSplits: 1).map { String($0).lowercased() }
            let value = parts.count > 1 ? parts[1] : "true"
            let isOn = ["true", "on", "yes", "1"].contains(value)
            switch parts[0] {
            case "security_barrier": view.securityBarrier = isOn
            case "security_invoker": view.securityInvoker = isOn
            case "check_option": view.checkOption = View.CheckOption(rawValue: value)
            default: break
            }
        }
        if kind == .materializedView { view.withData = row.bool("populated") }
        view.restoring = try decodeNames(row["restoring"]).map(View.idempotentRestoring)
        view.columnComments = try JSONDecoder().decode(
            [String: String].self, from: Data((row["column_comments"] ?? "{}").utf8))
        let columns = try JSONDecoder().decode([[String]].self, from: Data((row["columns"] ?? "[]").utf8))
        let viewColumns = columns.map { View.Column(name: $0[0], type: $0.count > 1 ? $0[1] : "") }
        let dependencies = try JSONDecoder().decode(
            [ViewDependencyRow].self, from: Data((row["dependencies"] ?? "[]").utf8))
        for index in try JSONDecoder().decode([ViewIndexRow].self, from: Data((row["indexes"] ?? "[]").utf8)) {
            let marker = " USING \(index.method) ("
            let tail =
                index.definition.firstRange(of: marker).map {
                    "USING \(index.method) (" + index.definition[$0.upperBound...]
                } ?? index.definition
            var parsed =
                CatalogText.index(tail, columns: viewColumns.map(\.name))
                ?? Index(name: index.name, keys: [], method: index.method)
            parsed.name = index.name
            parsed.isUnique = index.isUnique
            parsed.canonicalDefinition = tail
            view.indexes.append(parsed)
        }
        // ['f', schema, name, argument types] or ['t', schema, name, '']
        let uses = try JSONDecoder().decode([[String]].self, from: Data((row["uses"] ?? "[]").utf8))
            .filter { $0.count == 4 }
        view.catalog = View.Catalog(
            definition: definition, columns: viewColumns,
            dependencies: dependencies.map {
                View.Dependency(relation: QualifiedName(schema: $0.schema, name: $0.name), columns: $0.columns.sorted())
            },
            routines: uses.filter { $0[0] == "f" }.map {
                RoutineKey(name: QualifiedName(schema: $0[1], name: $0[2]), identityTypes: $0[3])
            }.sorted(),
            types: uses.filter { $0[0] == "t" }.map { QualifiedName(schema: $0[1], name: $0[2]) }.sorted())
        return view
    }
}

/// `[schema, relation, [columns]]` of the views query.
private struct ViewDependencyRow: Decodable {
    let schema: String
    let name: String
    let columns: [String]

    init(from decoder: Decoder) throws {
        var container = try decoder.unkeyedContainer()
        schema = try container.decode(String.self)
        name = try container.decode(String.self)
        columns = try container.decode([String].self)
    }
}

/// `[name, unique, method, pg_get_indexdef]` of the views query.
private struct ViewIndexRow: Decodable {
    let name: String
    let isUnique: Bool
    let method: String
    let definition: String

    init(from decoder: Decoder) throws {
        var container = try decoder.unkeyedContainer()
        name = try container.decode(String.self)
        isUnique = try container.decode(Bool.self)
        method = try container.decode(String.self)
        definition = try container.decode(String.self)
    }
}
