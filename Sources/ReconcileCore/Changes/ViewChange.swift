/// Views and materialized views: created once the tables, columns, functions and views they read exist (after
/// seeded rows, so a materialized view is filled with them), replaced in place where PostgreSQL allows it,
/// dropped before the changes they would block (a column type change, a dropped column) and created again
/// after them, in the same transaction.
public enum ViewChange: ChangeFamily {
    /// Why a live view is dropped.
    public enum DropReason: Hashable, Sendable {
        /// The file does not declare it.
        case undeclared
        /// It is created again from the file (the text says what `CREATE OR REPLACE` cannot change).
        case recreated(String)
        /// It reads something this plan changes and PostgreSQL refuses to change under a view (the text says
        /// what); it is created again after.
        case around(String)
    }

    /// `reads`: the existing tables it reads, which `CREATE` takes ACCESS SHARE locks on; `again`: the live view
    /// was dropped earlier in the plan.
    case createView(View, reads: [QualifiedName], again: Bool)
    /// `CREATE OR REPLACE VIEW`: the query or options changed, and the columns stay (new ones only at the end).
    case replaceView(View, reads: [QualifiedName])
    case dropView(View, reason: DropReason)
    /// A view the file does not manage (another schema, or excluded), dropped around a change, made again
    /// from its live definition.
    case restoreView(View, reads: [QualifiedName])
    case setViewComment(View, comment: String?)

    var view: View {
        switch self {
        case .createView(let view, _, _), .replaceView(let view, _), .dropView(let view, _), .restoreView(let view, _),
            .setViewComment(let view, _):
            return view
        }
    }

    var table: QualifiedName? { view.name }

    var phase: Change.Phase {
        switch self {
        case .createView, .replaceView, .restoreView, .setViewComment: return .views
        case .dropView: return .viewDrops
        }
    }

    /// Drops and creations come from the differ in dependency order already.
    var rankInPhase: Int { 0 }

    var marker: Change.Marker {
        switch self {
        case .createView, .restoreView: return .add
        case .replaceView, .setViewComment: return .change
        case .dropView: return .remove
        }
    }

    var isDestructive: Bool {
        switch self {
        case .dropView(_, .undeclared): return true
        case .createView, .replaceView, .dropView, .restoreView, .setViewComment: return false
        }
    }

    var needsManualAction: Bool { false }

    var kindName: String {
        switch self {
        case .createView: return "create_view"
        case .replaceView: return "replace_view"
        case .dropView(_, .undeclared): return "drop_view"
        case .dropView: return "drop_view_to_recreate"
        case .restoreView: return "restore_view"
        case .setViewComment: return "set_view_comment"
        }
    }

    func objectName(table: String) -> String { view.name.description }

    private var word: String { view.kind.rawValue }

    var summary: String {
        switch self {
        case .createView(_, _, let again): return "create \(view.description)\(again ? " again" : "")"
        case .replaceView: return "replace \(view.description) (CREATE OR REPLACE)"
        case .dropView(_, .undeclared): return "drop \(view.description) (not declared in the schema file)"
        case .dropView(_, .recreated(let why)): return "drop \(view.description) to create it again: \(why)"
        case .dropView(_, .around(let why)): return "drop \(view.description) until it is created again: \(why)"
        case .restoreView: return "create \(view.description) again as it was (not managed by the schema file)"
        case .setViewComment(_, let comment):
            return comment == nil ? "remove the comment of \(view.description)" : "comment on \(view.description)"
        }
    }

    func driftDescription(object: String, details: [String]) -> String {
        switch self {
        case .createView(_, _, let again):
            return again ? "\(word) \(object) is made again" : "missing \(word) \(object)"
        case .replaceView: return "\(word) \(object) differs from the file"
        case .dropView(_, .undeclared): return "\(word) \(object) is not declared in the file"
        case .dropView(_, .recreated(let why)): return "\(word) \(object) differs from the file: \(why)"
        case .dropView(_, .around(let why)): return "\(word) \(object) must be made again: \(why)"
        case .restoreView: return "\(word) \(object) must be made again as it was"
        case .setViewComment: return "the comment of \(word) \(object) differs from the file"
        }
    }

    var statements: [String] {
        switch self {
        case .createView(let view, _, _), .restoreView(let view, _):
            return SQLRenderer.viewStatements(view)
        case .replaceView(let view, _):
            return [SQLRenderer.createView(view, orReplace: true)]
        case .dropView(let view, _):
            return [SQLRenderer.dropView(view.kind, view.name)]
        case .setViewComment(let view, let comment):
            return [SQLRenderer.commentOnView(view.kind, view.name, comment)]
        }
    }

    /// Creating a view reads its tables' definitions (ACCESS SHARE); dropping or commenting locks only the view.
    var lock: TableLock {
        switch self {
        case .createView(_, let reads, _), .replaceView(_, let reads), .restoreView(_, let reads):
            return reads.isEmpty ? .none : .accessShare
        case .dropView, .setViewComment: return .none
        }
    }

    var lockedTables: [QualifiedName] {
        switch self {
        case .createView(_, let reads, _), .replaceView(_, let reads), .restoreView(_, let reads): return reads
        case .dropView, .setViewComment: return []
        }
    }

    var hazards: [Hazard] {
        switch self {
        case .dropView(_, .undeclared): return [.deletesData]
        case .createView, .replaceView, .dropView, .restoreView, .setViewComment: return []
        }
    }

    func preflight(tables: PreflightTables) -> PreflightProbe? { nil }
    var blockedByDependents: DependentsProbe? { nil }

    var privilege: PrivilegeNeed {
        switch self {
        case .createView(let view, _, _), .restoreView(let view, _): return .createOnSchema(view.name.schema)
        // Replacing, commenting or dropping takes ownership; PostgreSQL's own error names the view.
        case .replaceView, .dropView, .setViewComment: return .none
        }
    }
}
