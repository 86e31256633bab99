/// Indexes that are not part of a constraint.
public enum IndexChange: ChangeFamily {
    case createIndex(QualifiedName, Index)
    case renameIndex(QualifiedName, from: String, to: String)
    case dropIndex(QualifiedName, name: String, replaced: Bool)

    var table: QualifiedName? { tableAndName.table }

    private var tableAndName: (table: QualifiedName, name: String) {
        switch self {
        case .createIndex(let table, let index): return (table, index.name)
        case .renameIndex(let table, _, let name), .dropIndex(let table, let name, _): return (table, name)
        }
    }

    var phase: Change.Phase {
        switch self {
        case .createIndex, .renameIndex: return .indexes
        case .dropIndex: return .drops
        }
    }

    /// Indexes drop after the constraints that may use them, before columns.
    var rankInPhase: Int {
        switch self {
        case .dropIndex: return 1
        case .createIndex, .renameIndex: return 0
        }
    }

    var marker: Change.Marker {
        switch self {
        case .createIndex: return .add
        case .renameIndex: return .change
        case .dropIndex(_, _, let replaced): return replaced ? .change : .remove
        }
    }

    var isDestructive: Bool {
        switch self {
        case .dropIndex(_, _, let replaced): return !replaced
        case .createIndex, .renameIndex: return false
        }
    }

    var needsManualAction: Bool { false }

    var kindName: String {
        switch self {
        case .createIndex: return "create_index"
        case .renameIndex: return "rename_index"
        case .dropIndex(_, _, let replaced): return replaced ? "replace_index" : "drop_index"
        }
    }

    func objectName(table: String) -> String { "\(table)/\(SQL.displayIdentifier(tableAndName.name))" }

    var summary: String {
        let name = SQL.displayIdentifier(tableAndName.name)
        switch self {
        case .createIndex(_, let index): return "create \(index.isUnique ? "unique " : "")index \(name)"
        case .renameIndex(_, let from, _): return "rename index \(SQL.displayIdentifier(from)) to \(name)"
        case .dropIndex(_, _, let replaced):
            return replaced ? "replace index \(name) (definition changed)" : "drop index \(name)"
        }
    }

    func driftDescription(object: String, details: [String]) -> String {
        switch self {
        case .createIndex: return "missing index \(object)"
        case .renameIndex(_, let from, _): return "index \(object) is named \(SQL.displayIdentifier(from)) in the database"
        case .dropIndex(_, _, let replaced):
            return replaced ? "index \(object) differs from the file" : "index \(object) is not declared in the file"
        }
    }

    var statements: [String] {
        let (table, name) = tableAndName
        switch self {
        case .createIndex(_, let index):
            return [SQLRenderer.createIndex(table, index)]
        case .renameIndex(_, let from, _):
            let old = QualifiedName(schema: table.schema, name: from)
            return ["ALTER INDEX IF EXISTS \(SQL.qualified(old)) RENAME TO \(SQL.identifier(name))"]
        case .dropIndex:
            return ["DROP INDEX IF EXISTS \(SQL.qualified(QualifiedName(schema: table.schema, name: name)))"]
        }
    }

    var hazards: [Hazard] {
        switch self {
        case .createIndex(_, let index): return index.isUnique ? [.blocksWrites, .mayFailOnExistingRows] : [.blocksWrites]
        case .renameIndex: return []
        case .dropIndex(_, _, let replaced): return replaced ? [.accessExclusiveLock] : [.accessExclusiveLock, .deletesData]
        }
    }

    func preflight(tables: PreflightTables) -> PreflightProbe? {
        guard case .createIndex(let table, let index) = self, index.isUnique else { return nil }
        // Only plain column keys: an expression key may carry an ordering or operator class.
        let columns = index.keys.compactMap { key -> String? in
            if case .column(let name) = key { return name }
            return nil
        }
        guard columns.count == index.keys.count,
              let source = tables.relation(table, columns: columns, as: "t") else { return nil }
        let list = SQL.identifierList(columns)
        var conditions = index.nullsNotDistinct ? [] : columns.map { "\(SQL.identifier($0)) IS NOT NULL" }
        if let predicate = index.predicate { conditions.append("(\(predicate))") }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let query = "SELECT count(*) FROM (SELECT 1 FROM \(source)\(filter) GROUP BY \(list) "
            + "HAVING count(*) > 1) AS d"
        let names = columns.joined(separator: ", "), indexName = SQL.displayIdentifier(index.name)
        return PreflightProbe(query) {
            "\($0 == 1 ? "1 value of (\(names)) occurs" : "\($0) values of (\(names)) occur") more than once: "
                + "unique index \(indexName) cannot be created"
        }
    }
    var blockedByDependents: DependentsProbe? { nil }
    var privilege: PrivilegeNeed { .ownership(tableAndName.table) }
}
