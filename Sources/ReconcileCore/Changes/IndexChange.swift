/// Indexes that are not part of a constraint.
public enum IndexChange: ChangeFamily {
    case createIndex(QualifiedName, Index)
    case renameIndex(QualifiedName, from: String, to: String)
    case dropIndex(QualifiedName, name: String, replaced: Bool)
    /// An INVALID index (`pg_index.indisvalid = false`), left by an interrupted `CREATE INDEX CONCURRENTLY`:
    /// dropped, and built again when the file declares it (or a key constraint needs it). Never data.
    case dropInvalidIndex(QualifiedName, name: String)
    /// The statistics target of an index's expression column (nil: back to the default).
    case setStatistics(QualifiedName, index: String, column: Int, target: Int?)

    var table: QualifiedName? { tableAndName.table }

    private var tableAndName: (table: QualifiedName, name: String) {
        switch self {
        case .createIndex(let table, let index): return (table, index.name)
        case .renameIndex(let table, _, let name), .dropIndex(let table, let name, _),
            .setStatistics(let table, let name, _, _), .dropInvalidIndex(let table, let name):
            return (table, name)
        }
    }

    var phase: Change.Phase {
        switch self {
        case .createIndex, .renameIndex, .setStatistics: return .indexes
        case .dropIndex, .dropInvalidIndex: return .drops
        }
    }

    /// Indexes drop after the constraints that may use them, before columns.
    var rankInPhase: Int {
        switch self {
        case .dropIndex, .dropInvalidIndex: return 1
        // After a rename, under the new name.
        case .setStatistics: return 1
        case .createIndex, .renameIndex: return 0
        }
    }

    var marker: Change.Marker {
        switch self {
        case .createIndex: return .add
        case .renameIndex, .setStatistics: return .change
        case .dropIndex(_, _, let replaced): return replaced ? .change : .remove
        case .dropInvalidIndex: return .change
        }
    }

    var isDestructive: Bool {
        switch self {
        case .dropIndex(_, _, let replaced): return !replaced
        case .createIndex, .renameIndex, .setStatistics, .dropInvalidIndex: return false
        }
    }

    var needsManualAction: Bool { false }

    var kindName: String {
        switch self {
        case .createIndex: return "create_index"
        case .renameIndex: return "rename_index"
        case .dropIndex(_, _, let replaced): return replaced ? "replace_index" : "drop_index"
        case .setStatistics: return "set_index_statistics"
        case .dropInvalidIndex: return "drop_invalid_index"
        }
    }

    func objectName(table: String) -> String { "\(table)/\(SQL.displayIdentifier(tableAndName.name))" }

    var summary: String {
        let name = SQL.displayIdentifier(tableAndName.name)
        switch self {
        case .createIndex(_, let index): return "create \(index.isUnique ? "unique " : "")index \(name)"
        case .renameIndex(_, let from, _): return "rename index \(SQL.displayIdentifier(from)) to \(name)"
        case .setStatistics(_, _, let column, let target):
            return "set statistics of column \(column) of index \(name) to \(target.map(String.init) ?? "the default")"
        case .dropIndex(_, _, let replaced):
            return replaced ? "replace index \(name) (definition changed)" : "drop index \(name)"
        case .dropInvalidIndex: return "drop INVALID index \(name) (left by an interrupted build)"
        }
    }

    func driftDescription(object: String, details: [String]) -> String {
        switch self {
        case .createIndex: return "missing index \(object)"
        case .renameIndex(_, let from, _):
            return "index \(object) is named \(SQL.displayIdentifier(from)) in the database"
        case .setStatistics(_, _, let column, let target):
            return "statistics target of column \(column) of index \(object) differs from the file (file: "
                + "\(target.map(String.init) ?? "default"))"
        case .dropIndex(_, _, let replaced):
            return replaced ? "index \(object) differs from the file" : "index \(object) is not declared in the file"
        case .dropInvalidIndex:
            return "index \(object) is INVALID (an interrupted CREATE INDEX CONCURRENTLY): it must be rebuilt"
        }
    }

    var statements: [String] {
        let (table, name) = tableAndName
        switch self {
        case .createIndex(_, let index):
            return [SQLRenderer.createIndex(table, index)]
                + (index.statistics ?? []).map {
                    SQLRenderer.setIndexStatistics(table, index: index.name, column: $0.column, $0.target)
                }
        case .setStatistics(_, let index, let column, let target):
            return [SQLRenderer.setIndexStatistics(table, index: index, column: column, target)]
        case .renameIndex(_, let from, _):
            let old = QualifiedName(schema: table.schema, name: from)
            return ["ALTER INDEX IF EXISTS \(SQL.qualified(old)) RENAME TO \(SQL.identifier(name))"]
        case .dropIndex, .dropInvalidIndex:
            return ["DROP INDEX IF EXISTS \(SQL.qualified(QualifiedName(schema: table.schema, name: name)))"]
        }
    }

    var lock: TableLock {
        switch self {
        case .createIndex: return .share
        // These lock the index alone (SHARE UPDATE EXCLUSIVE), not its table.
        case .renameIndex, .setStatistics: return .none
        case .dropIndex, .dropInvalidIndex: return .accessExclusive
        }
    }

    var hazards: [Hazard] {
        switch self {
        case .createIndex(_, let index): return index.isUnique ? [.mayFailOnExistingRows] : []
        case .renameIndex, .setStatistics, .dropInvalidIndex: return []
        case .dropIndex(_, _, let replaced): return replaced ? [] : [.deletesData]
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
            let source = tables.relation(table, columns: columns, as: "t")
        else { return nil }
        let list = SQL.identifierList(columns)
        var conditions = index.nullsNotDistinct ? [] : columns.map { "\(SQL.identifier($0)) IS NOT NULL" }
        if let predicate = index.predicate { conditions.append("(\(predicate))") }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let query =
            "SELECT count(*) FROM (SELECT 1 FROM \(source)\(filter) GROUP BY \(list) "
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
