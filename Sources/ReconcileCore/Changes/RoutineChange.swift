/// Functions and procedures: created before the tables whose checks, defaults and indexes call them (after
/// them when their arguments or result use a declared table's row type), replaced in place where PostgreSQL
/// allows it, dropped and created again where it does not, and dropped after the tables when undeclared.
public enum RoutineChange: ChangeFamily {
    /// `afterTables`: the signature uses a declared table's row type, so the table must exist first.
    case createRoutine(Routine, afterTables: Bool)
    /// `CREATE OR REPLACE`: the body or attributes changed, the result and arguments did not.
    case replaceRoutine(Routine, afterTables: Bool)
    /// The result type, an argument's name or default, or function/procedure changed: PostgreSQL refuses
    /// `CREATE OR REPLACE` for those, so the live routine is dropped and the declared one created.
    case recreateRoutine(Routine, live: Routine, afterTables: Bool)
    case setRoutineComment(Routine, comment: String?)
    /// `renamed_from`: the live routine `from` takes the declared name (before it is compared as that routine).
    case renameRoutine(Routine, from: Routine)
    /// A live routine the file does not declare.
    case dropRoutine(Routine)

    var routine: Routine {
        switch self {
        case .createRoutine(let routine, _), .replaceRoutine(let routine, _), .recreateRoutine(let routine, _, _),
            .setRoutineComment(let routine, _), .renameRoutine(let routine, _), .dropRoutine(let routine):
            return routine
        }
    }

    var table: QualifiedName? { routine.name }

    /// Runs `CREATE [OR REPLACE] FUNCTION / PROCEDURE`.
    var createsRoutine: Bool {
        switch self {
        case .createRoutine, .replaceRoutine, .recreateRoutine: return true
        case .setRoutineComment, .renameRoutine, .dropRoutine: return false
        }
    }

    var phase: Change.Phase {
        switch self {
        case .createRoutine(_, let afterTables), .replaceRoutine(_, let afterTables),
            .recreateRoutine(_, _, let afterTables):
            return afterTables ? .routinesOnTables : .routines
        case .setRoutineComment: return .routinesOnTables
        case .renameRoutine: return .routines
        case .dropRoutine: return .destructive
        }
    }

    /// A dropped routine goes after the dropped tables whose checks, defaults or indexes call it.
    var rankInPhase: Int {
        switch self {
        case .dropRoutine: return 4
        // Before the routine is replaced under its new name, and before a new one takes its old name.
        case .renameRoutine: return -1
        case .createRoutine, .replaceRoutine, .recreateRoutine, .setRoutineComment: return 0
        }
    }

    var marker: Change.Marker {
        switch self {
        case .createRoutine: return .add
        case .replaceRoutine, .recreateRoutine, .setRoutineComment, .renameRoutine: return .change
        case .dropRoutine: return .remove
        }
    }

    var isDestructive: Bool {
        switch self {
        case .dropRoutine: return true
        case .createRoutine, .replaceRoutine, .recreateRoutine, .setRoutineComment, .renameRoutine: return false
        }
    }

    /// Dropping a routine that a check, index, default, trigger or view uses fails (reconcile never cascades):
    /// a person decides, e.g. by dropping the user first or by keeping the routine's signature.
    var needsManualAction: Bool {
        switch self {
        case .recreateRoutine(_, let live, _): return !(live.catalog?.dependents.isEmpty ?? true)
        case .createRoutine, .replaceRoutine, .setRoutineComment, .renameRoutine, .dropRoutine: return false
        }
    }

    var kindName: String {
        switch self {
        case .createRoutine: return "create_routine"
        case .replaceRoutine: return "replace_routine"
        case .recreateRoutine: return "recreate_routine"
        case .setRoutineComment: return "set_routine_comment"
        case .renameRoutine: return "rename_routine"
        case .dropRoutine: return "drop_routine"
        }
    }

    func objectName(table: String) -> String { routine.signature }

    private var word: String { routine.kind.rawValue }

    var summary: String {
        switch self {
        case .createRoutine: return "create \(word) \(routine.signature)"
        case .replaceRoutine: return "replace \(word) \(routine.signature) (CREATE OR REPLACE)"
        case .recreateRoutine(_, let live, _):
            let users = live.catalog?.dependents ?? []
            return "drop and create \(word) \(routine.signature): " + Self.refusedReplacement(live, routine)
                + (users.isEmpty ? "" : "; PostgreSQL cannot drop it while used by " + users.joined(separator: ", "))
                + (live.kept.summary.map { "; keeping \($0)" } ?? "")
        case .setRoutineComment(_, let comment):
            return comment == nil
                ? "remove the comment of \(word) \(routine.signature)" : "comment on \(word) \(routine.signature)"
        case .renameRoutine(_, let old):
            return "rename \(word) \(old.signature) to \(SQL.displayIdentifier(routine.name.name)) (renamed_from)"
        case .dropRoutine: return "drop \(word) \(routine.signature) (not declared in the schema file)"
        }
    }

    func driftDescription(object: String, details: [String]) -> String {
        switch self {
        case .createRoutine: return "missing \(word) \(object)"
        case .replaceRoutine: return "\(word) \(object) differs from the file"
        case .recreateRoutine(_, let live, _):
            return "\(word) \(object) differs from the file: " + Self.refusedReplacement(live, routine)
        case .setRoutineComment: return "the comment of \(word) \(object) differs from the file"
        case .renameRoutine(_, let old):
            return "\(word) \(object) is still named \(SQL.displayIdentifier(old.name.name)) (renamed_from)"
        case .dropRoutine: return "\(word) \(object) is not declared in the file"
        }
    }

    /// What keeps `CREATE OR REPLACE` from doing it, for the plan.
    static func refusedReplacement(_ live: Routine, _ declared: Routine) -> String {
        if live.kind != declared.kind { return "a \(live.kind.rawValue) becomes a \(declared.kind.rawValue)" }
        if live.catalog?.result != declared.catalog?.result {
            return "result \(live.catalog?.result ?? "?") → \(declared.catalog?.result ?? "?")"
        }
        return "arguments (\(live.catalog?.arguments ?? "")) → (\(declared.catalog?.arguments ?? ""))"
    }

    var statements: [String] {
        switch self {
        case .createRoutine(let routine, _):
            return [SQLRenderer.createRoutine(routine)]
                + (routine.comment.map { [SQLRenderer.commentOnRoutine(routine, $0)] } ?? [])
        case .replaceRoutine(let routine, _):
            return [SQLRenderer.createRoutine(routine)]
        case .recreateRoutine(let routine, let live, _):
            return [SQLRenderer.dropRoutine(live), SQLRenderer.createRoutine(routine)]
                + (routine.comment.map { [SQLRenderer.commentOnRoutine(routine, $0)] } ?? [])
                + SQLRenderer.restoring(live.kept, on: routine)
        case .setRoutineComment(let routine, let comment):
            return [SQLRenderer.commentOnRoutine(routine, comment)]
        case .renameRoutine(let routine, let old):
            return [SQLRenderer.renameRoutine(old, to: routine.name.name)]
        case .dropRoutine(let routine):
            return [SQLRenderer.dropRoutine(routine)]
        }
    }

    /// Creating or replacing a routine locks no table.
    var lock: TableLock { .none }

    var hazards: [Hazard] {
        switch self {
        case .dropRoutine: return [.deletesData]
        case .createRoutine, .replaceRoutine, .recreateRoutine, .setRoutineComment, .renameRoutine: return []
        }
    }

    func preflight(tables: PreflightTables) -> PreflightProbe? { nil }
    var blockedByDependents: DependentsProbe? { nil }

    var privilege: PrivilegeNeed {
        switch self {
        case .createRoutine(let routine, _): return .createOnSchema(routine.name.schema)
        // Replacing, commenting, renaming or dropping takes ownership; PostgreSQL's own error names the routine.
        case .replaceRoutine, .recreateRoutine, .setRoutineComment, .renameRoutine, .dropRoutine: return .none
        }
    }
}
