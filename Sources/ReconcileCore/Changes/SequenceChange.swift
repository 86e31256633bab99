/// Standalone sequences: created before the tables whose defaults draw from them, changed in place (the
/// current value is kept), dropped after the tables.
public enum SequenceChange: ChangeFamily {
    case createSequence(StandaloneSequence)
    /// Both sides resolved (every option spelled out).
    case alterSequence(QualifiedName, from: SequenceOptions, to: SequenceOptions)
    case dropSequence(QualifiedName)

    var name: QualifiedName {
        switch self {
        case .createSequence(let sequence): return sequence.name
        case .alterSequence(let name, _, _), .dropSequence(let name): return name
        }
    }

    var table: QualifiedName? { name }

    var phase: Change.Phase {
        switch self {
        case .createSequence, .alterSequence: return .types
        case .dropSequence: return .destructive
        }
    }

    /// A dropped sequence goes after the dropped tables whose defaults use it.
    var rankInPhase: Int {
        switch self {
        case .dropSequence: return 4
        case .createSequence, .alterSequence: return 0
        }
    }

    var marker: Change.Marker {
        switch self {
        case .createSequence: return .add
        case .alterSequence: return .change
        case .dropSequence: return .remove
        }
    }

    var isDestructive: Bool {
        switch self {
        case .dropSequence: return true
        case .createSequence, .alterSequence: return false
        }
    }

    var needsManualAction: Bool { false }

    var kindName: String {
        switch self {
        case .createSequence: return "create_sequence"
        case .alterSequence: return "alter_standalone_sequence"
        case .dropSequence: return "drop_sequence"
        }
    }

    func objectName(table: String) -> String { name.description }

    var summary: String {
        switch self {
        case .createSequence(let sequence): return "create sequence \(sequence.name)"
        case .alterSequence(_, let from, let to):
            return "change sequence \(name): " + ColumnChange.sequenceDifferences(from: from, to: to)
        case .dropSequence: return "drop sequence \(name) (not declared in the schema file)"
        }
    }

    func driftDescription(object: String, details: [String]) -> String {
        switch self {
        case .createSequence: return "missing sequence \(object)"
        case .alterSequence(_, let from, let to):
            return "sequence \(object) differs from the file: " + ColumnChange.sequenceDifferences(from: from, to: to)
        case .dropSequence: return "sequence \(object) is not declared in the file"
        }
    }

    var statements: [String] {
        switch self {
        case .createSequence(let sequence):
            var options = sequence.options
            options.name = nil
            options.type = nil
            let type = sequence.options.type.map { " AS \($0)" } ?? ""
            let clauses = options.clauses.isEmpty ? "" : " " + options.clauses
            let unlogged = sequence.options.unlogged == true ? "UNLOGGED " : ""
            return ["CREATE \(unlogged)SEQUENCE IF NOT EXISTS \(SQL.qualified(sequence.name))\(type)\(clauses)"]
        case .alterSequence(let name, let from, let to):
            return SQLRenderer.alterSequence(QualifiedName(schema: name.schema, name: ""), from: from, to: to)
        case .dropSequence(let name):
            return ["DROP SEQUENCE IF EXISTS \(SQL.qualified(name))"]
        }
    }

    /// ALTER SEQUENCE locks the sequence, not a table.
    var lock: TableLock { .none }

    var hazards: [Hazard] {
        switch self {
        case .createSequence, .alterSequence: return []
        case .dropSequence: return [.deletesData]
        }
    }

    func preflight(tables: PreflightTables) -> PreflightProbe? { nil }
    var blockedByDependents: DependentsProbe? { nil }

    var privilege: PrivilegeNeed {
        switch self {
        case .createSequence(let sequence): return .createOnSchema(sequence.name.schema)
        // Altering or dropping a sequence takes its ownership; PostgreSQL's own error names it well enough.
        case .alterSequence, .dropSequence: return .none
        }
    }
}
