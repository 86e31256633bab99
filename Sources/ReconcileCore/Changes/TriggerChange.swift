/// Triggers of a table: created (or replaced in place) once the table, its columns and the trigger's function
/// exist, before seeded rows are inserted; an undeclared one is dropped only with `--allow-destructive`.
public enum TriggerChange: ChangeFamily {
    case createTrigger(QualifiedName, Trigger)
    /// `CREATE OR REPLACE TRIGGER`: timing, events, level, condition, function or arguments changed.
    case replaceTrigger(QualifiedName, Trigger)
    case setTriggerComment(QualifiedName, name: String, comment: String?)
    /// `renamed_from`: the live trigger `from` takes the declared name.
    case renameTrigger(QualifiedName, from: String, to: String)
    /// A live trigger the file does not declare.
    case dropTrigger(QualifiedName, name: String)

    var table: QualifiedName? {
        switch self {
        case .createTrigger(let table, _), .replaceTrigger(let table, _), .setTriggerComment(let table, _, _),
            .renameTrigger(let table, _, _), .dropTrigger(let table, _):
            return table
        }
    }

    var name: String {
        switch self {
        case .createTrigger(_, let trigger), .replaceTrigger(_, let trigger): return trigger.name
        case .setTriggerComment(_, let name, _), .dropTrigger(_, let name), .renameTrigger(_, _, let name): return name
        }
    }

    var phase: Change.Phase {
        switch self {
        case .createTrigger, .replaceTrigger, .setTriggerComment, .renameTrigger: return .triggers
        // Before the column changes and drops it could block (`UPDATE OF` a dropped column).
        case .dropTrigger: return .drops
        }
    }

    /// A rename goes before the trigger is replaced under its new name.
    var rankInPhase: Int {
        switch self {
        case .renameTrigger: return -1
        case .createTrigger, .replaceTrigger, .setTriggerComment, .dropTrigger: return 0
        }
    }

    var marker: Change.Marker {
        switch self {
        case .createTrigger: return .add
        case .replaceTrigger, .setTriggerComment, .renameTrigger: return .change
        case .dropTrigger: return .remove
        }
    }

    var isDestructive: Bool {
        switch self {
        case .dropTrigger: return true
        case .createTrigger, .replaceTrigger, .setTriggerComment, .renameTrigger: return false
        }
    }

    var needsManualAction: Bool { false }

    var kindName: String {
        switch self {
        case .createTrigger: return "create_trigger"
        case .replaceTrigger: return "replace_trigger"
        case .setTriggerComment: return "set_trigger_comment"
        case .renameTrigger: return "rename_trigger"
        case .dropTrigger: return "drop_trigger"
        }
    }

    func objectName(table: String) -> String { "\(table)/\(name)" }

    private var display: String { SQL.displayIdentifier(name) }

    var summary: String {
        switch self {
        case .createTrigger: return "create trigger \(display)"
        case .replaceTrigger: return "replace trigger \(display) (CREATE OR REPLACE)"
        case .setTriggerComment(_, _, let comment):
            return comment == nil ? "remove the comment of trigger \(display)" : "comment on trigger \(display)"
        case .renameTrigger(_, let old, _):
            return "rename trigger \(SQL.displayIdentifier(old)) to \(display) (renamed_from)"
        case .dropTrigger: return "drop trigger \(display) (not declared in the schema file)"
        }
    }

    func driftDescription(object: String, details: [String]) -> String {
        switch self {
        case .createTrigger: return "missing trigger \(object)"
        case .replaceTrigger: return "trigger \(object) differs from the file"
        case .setTriggerComment: return "the comment of trigger \(object) differs from the file"
        case .renameTrigger(_, let old, _):
            return "trigger \(object) is still named \(SQL.displayIdentifier(old)) (renamed_from)"
        case .dropTrigger: return "trigger \(object) is not declared in the file"
        }
    }

    var statements: [String] {
        switch self {
        case .createTrigger(let table, let trigger):
            return [SQLRenderer.createTrigger(trigger, on: table)]
                + (trigger.comment.map { [SQLRenderer.commentOnTrigger(trigger.name, on: table, $0)] } ?? [])
        case .replaceTrigger(let table, let trigger):
            return [SQLRenderer.createTrigger(trigger, on: table)]
        case .setTriggerComment(let table, let name, let comment):
            return [SQLRenderer.commentOnTrigger(name, on: table, comment)]
        case .renameTrigger(let table, let old, let new):
            return [SQLRenderer.renameTrigger(old, to: new, on: table)]
        case .dropTrigger(let table, let name):
            return [SQLRenderer.dropTrigger(name, on: table)]
        }
    }

    var lock: TableLock {
        switch self {
        case .createTrigger, .replaceTrigger: return .shareRowExclusive
        case .dropTrigger, .renameTrigger: return .accessExclusive
        // COMMENT ON TRIGGER looks the trigger up through its table.
        case .setTriggerComment: return .accessShare
        }
    }

    var hazards: [Hazard] {
        switch self {
        case .dropTrigger: return [.deletesData]
        case .createTrigger, .replaceTrigger, .setTriggerComment, .renameTrigger: return []
        }
    }

    func preflight(tables: PreflightTables) -> PreflightProbe? { nil }
    var blockedByDependents: DependentsProbe? { nil }

    var privilege: PrivilegeNeed {
        switch self {
        // Creating a trigger needs the TRIGGER privilege, which ownership includes.
        case .createTrigger(let table, _), .replaceTrigger(let table, _), .setTriggerComment(let table, _, _),
            .renameTrigger(let table, _, _), .dropTrigger(let table, _):
            return .ownership(table)
        }
    }
}
