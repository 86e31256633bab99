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
    /// The columns whose comment differs: each set to the view's `columnComments` (none: removed).
    case setViewColumnComments(View, columns: [String])
    /// `renamed_from`: the live view `from` takes the declared name, before anything else is done to it.
    case renameView(View, from: QualifiedName)

    var view: View {
        switch self {
        case .createView(let view, _, _), .replaceView(let view, _), .dropView(let view, _), .restoreView(let view, _),
            .setViewComment(let view, _), .setViewColumnComments(let view, _), .renameView(let view, _):
            return view
        }
    }

    var table: QualifiedName? { view.name }

    var phase: Change.Phase {
        switch self {
        case .createView, .replaceView, .restoreView, .setViewComment, .setViewColumnComments: return .views
        case .dropView, .renameView: return .viewDrops
        }
    }

    /// Drops and creations come from the differ in dependency order already; renames come before the drops.
    var rankInPhase: Int {
        switch self {
        case .renameView: return -1
        case .createView, .replaceView, .dropView, .restoreView, .setViewComment, .setViewColumnComments: return 0
        }
    }

    var marker: Change.Marker {
        switch self {
        case .createView, .restoreView: return .add
        case .replaceView, .setViewComment, .setViewColumnComments, .renameView: return .change
        case .dropView: return .remove
        }
    }

    var isDestructive: Bool {
        switch self {
        case .dropView(_, .undeclared): return true
        case .createView, .replaceView, .dropView, .restoreView, .setViewComment, .setViewColumnComments, .renameView:
            return false
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
        case .setViewColumnComments: return "set_view_column_comments"
        case .renameView: return "rename_view"
        }
    }

    func objectName(table: String) -> String { view.name.description }

    private var word: String { view.kind.rawValue }

    var summary: String {
        switch self {
        case .createView(_, _, let again):
            return "create \(view.description)\(again ? " again" : "")"
                + (view.restoringSummary.map { ", with \($0)" } ?? "")
        case .replaceView: return "replace \(view.description) (CREATE OR REPLACE)"
        case .dropView(_, .undeclared): return "drop \(view.description) (not declared in the schema file)"
        case .dropView(_, .recreated(let why)): return "drop \(view.description) to create it again: \(why)"
        case .dropView(_, .around(let why)): return "drop \(view.description) until it is created again: \(why)"
        case .restoreView:
            return "create \(view.description) again as it was (not managed by the schema file)"
                + (view.restoringSummary.map { ", with \($0)" } ?? "")
        case .setViewComment(_, let comment):
            return comment == nil ? "remove the comment of \(view.description)" : "comment on \(view.description)"
        case .setViewColumnComments(_, let columns):
            return "set the comments of \(view.description) columns "
                + columns.map(SQL.displayIdentifier).joined(separator: ", ")
        case .renameView(_, let from):
            return "rename \(word) \(from) to \(SQL.displayIdentifier(view.name.name)) (renamed_from)"
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
        case .setViewColumnComments(_, let columns):
            return "column comments of \(word) \(object) differ from the file: "
                + columns.map(SQL.displayIdentifier).joined(separator: ", ")
        case .renameView(_, let from):
            return "\(word) \(object) is still named \(SQL.displayIdentifier(from.name)) (renamed_from)"
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
        case .setViewColumnComments(let view, let columns):
            return columns.map { SQLRenderer.commentOnViewColumn(view.name, $0, view.columnComments[$0]) }
        case .renameView(let view, let from):
            return [SQLRenderer.renameView(view.kind, from, to: view.name.name)]
        }
    }

    /// Creating a view reads its tables' definitions (ACCESS SHARE); dropping or commenting locks only the view.
    /// A rule made again with it opens the tables its action writes (ROW EXCLUSIVE), those it reads, as a rule
    /// on a view mostly writes the tables the view reads.
    var lock: TableLock {
        switch self {
        case .createView(let view, let reads, _), .restoreView(let view, let reads):
            guard !reads.isEmpty else { return .none }
            return view.restoring.contains { $0.hasPrefix("CREATE OR REPLACE RULE ") } ? .rowExclusive : .accessShare
        case .replaceView(_, let reads):
            return reads.isEmpty ? .none : .accessShare
        // Renaming locks only the view (ACCESS EXCLUSIVE on it, not on a table).
        case .dropView, .setViewComment, .setViewColumnComments, .renameView: return .none
        }
    }

    var lockedTables: [QualifiedName] {
        switch self {
        case .createView(_, let reads, _), .replaceView(_, let reads), .restoreView(_, let reads): return reads
        case .dropView, .setViewComment, .setViewColumnComments, .renameView: return []
        }
    }

    var hazards: [Hazard] {
        switch self {
        case .dropView(_, .undeclared): return [.deletesData]
        case .createView, .replaceView, .dropView, .restoreView, .setViewComment, .setViewColumnComments, .renameView:
            return []
        }
    }

    func preflight(tables: PreflightTables) -> PreflightProbe? { nil }
    var blockedByDependents: DependentsProbe? { nil }

    var privilege: PrivilegeNeed {
        switch self {
        case .createView(let view, _, _), .restoreView(let view, _): return .createOnSchema(view.name.schema)
        // Replacing, commenting or dropping takes ownership; PostgreSQL's own error names the view.
        case .replaceView, .dropView, .setViewComment, .setViewColumnComments, .renameView: return .none
        }
    }
}
