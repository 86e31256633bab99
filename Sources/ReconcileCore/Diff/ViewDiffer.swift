/// Compares declared views and materialized views with the live ones, by what the server prints for both
/// (`View.Catalog`: `pg_get_viewdef`, the columns), and keeps the views a plan's other changes would break out of
/// their way: a view that reads a column whose type changes, a column or table that goes, or a view that is
/// made again, is dropped first and created again after, in the same transaction.
struct ViewDiffer {
    let desired: Schema
    let canonical: Schema
    let live: Schema
    /// The plan's other changes: those PostgreSQL refuses while a view reads what they change.
    let otherChanges: [Change]

    func changes() -> [Change] {
        let liveViews = Dictionary(live.views.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let everyLive = Dictionary(
            (live.views + live.dependentViews).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let declared = Dictionary(canonical.views.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        // In name order, so that which reason a view is given does not depend on a dictionary's order.
        let liveInOrder = everyLive.values.sorted { $0.name < $1.name }

        var created: [QualifiedName: String?] = [:]  // declared views made from scratch, and why (nil: new)
        var replaced: [View] = []
        var comments: [View] = []
        var columnComments: [(View, [String])] = []
        for view in canonical.views {
            guard let current = liveViews[view.name] else {
                created[view.name] = .some(nil)
                continue
            }
            let changedColumns = Set(current.columnComments.keys).union(view.columnComments.keys)
                .filter { current.columnComments[$0] != view.columnComments[$0] }.sorted()
            if !changedColumns.isEmpty { columnComments.append((view, changedColumns)) }
            if let reason = Self.recreation(live: current, declared: view) {
                created[view.name] = reason
            } else if Self.differs(live: current, declared: view) {
                replaced.append(view)
            } else if current.comment != view.comment {
                comments.append(view)
            }
        }

        // Views to drop and create again, with why: those remade from the file, and those reading what other
        // changes alter; then, at any depth, the views reading those.
        var around: [QualifiedName: String] = [:]
        var gone = Set<String>()  // "schema.table" or "schema.table.column" that this plan removes
        for change in otherChanges {
            guard let probe = change.blockedByDependents else { continue }
            let object = probe.column.map { "column \(probe.table).\($0)" } ?? "table \(probe.table)"
            let what: String
            switch change.kind {
            case .column(.dropColumn), .table(.dropTable):
                what = "which is dropped"
                gone.insert(probe.column.map { "\(probe.table).\($0)" } ?? probe.table.description)
            case .column(.alterColumnType): what = "whose type changes"
            default: what = "which is made again"
            }
            for view in liveInOrder where Self.view(view, reads: probe.table, column: probe.column) {
                around[view.name] = around[view.name] ?? "it reads \(object), \(what)"
            }
        }
        // Functions and types made again (or, under a materialized view, an attribute retyped): PostgreSQL
        // refuses to drop or change them while a view uses them.
        for change in otherChanges {
            guard let use = Self.viewUse(change) else { continue }
            for view in liveInOrder where use.matches(view) {
                around[view.name] = around[view.name] ?? use.reason
            }
        }
        // A view reconcile does not manage cannot be made again without what it reads: it stays, and pre-flight
        // names it as what blocks the change.
        let unmanaged = Set(live.dependentViews.map(\.name))
        for name in around.keys.sorted() where unmanaged.contains(name) {
            if let view = everyLive[name], readsGone(view, gone) { around[name] = nil }
        }
        for (name, reason) in created where liveViews[name] != nil {
            around[name] = around[name] ?? reason ?? ""
        }
        // An undeclared view goes: the declared views that read it (their new query reads something else) are
        // dropped before it and created after; an unmanaged one cannot be made again without it and stays.
        let declaredAway = live.views.filter {
            declared[$0.name] == nil && Set(desired.schemaNames).contains($0.name.schema)
        }
        for away in declaredAway {
            gone.insert(away.name.description)
            for view in liveInOrder
            where declared[view.name] != nil && around[view.name] == nil
                && Self.view(view, reads: away.name, column: nil)
            {
                around[view.name] = "it reads \(away.description), which is dropped"
            }
        }
        var frontier = around.keys.sorted(by: >)
        while let name = frontier.popLast() {
            for view in liveInOrder
            where around[view.name] == nil && Self.view(view, reads: name, column: nil)
                && !(unmanaged.contains(view.name) && readsGone(view, gone))
            {
                around[view.name] = "it reads \(everyLive[name]?.description ?? name.description), which is made again"
                frontier.append(view.name)
            }
        }

        var changes: [Change] = []
        // Drops: the views that read others first (the reverse of the order they are created in).
        let dropped = liveInOrder.filter { around[$0.name] != nil } + declaredAway
        var droppedOnce = Set<QualifiedName>()
        for view in View.creationOrder(dropped).reversed() where droppedOnce.insert(view.name).inserted {
            if declared[view.name] == nil && liveViews[view.name] != nil {
                changes.append(Change(.view(.dropView(view, reason: .undeclared))))
            } else if let reason = created[view.name], let reason {
                changes.append(Change(.view(.dropView(view, reason: .recreated(reason)))))
            } else {
                changes.append(Change(.view(.dropView(view, reason: .around(around[view.name] ?? "")))))
            }
        }

        // Creations: declared views that are new or dropped above, and unmanaged views dropped above (unless they
        // read a column or table that goes: pre-flight names those), each after the views it reads.
        var toCreate: [View] = []
        for view in canonical.views where created[view.name] != nil || around[view.name] != nil {
            toCreate.append(view)
        }
        for view in live.dependentViews where around[view.name] != nil && !readsGone(view, gone) {
            toCreate.append(view)
        }
        let existingTables = Set(live.tables.map(\.name))
        let declaredTables = Set(desired.tables.map(\.name))
        let allViews = Dictionary(
            (liveInOrder + canonical.views).map { ($0.name, $0) }, uniquingKeysWith: { _, b in b })
        // Replacements in the same order as creations: a new view may read a column a replaced one gains.
        let replacing = Set(replaced.filter { around[$0.name] == nil }.map(\.name))
        for view in View.creationOrder(toCreate + replaced.filter { replacing.contains($0.name) }) {
            let reads = lockedTables(view, existingTables: existingTables, declaredTables: declaredTables, allViews)
            if replacing.contains(view.name) {
                changes.append(Change(.view(.replaceView(view, reads: reads))))
                if liveViews[view.name]?.comment != view.comment {
                    changes.append(Change(.view(.setViewComment(view, comment: view.comment))))
                }
            } else if declared[view.name] != nil {
                // Made again: with what the drop took along that the file does not declare.
                var again = view
                again.restoring = liveViews[view.name]?.restoring ?? []
                changes.append(Change(.view(.createView(again, reads: reads, again: liveViews[view.name] != nil))))
            } else {
                changes.append(Change(.view(.restoreView(view, reads: reads))))
            }
        }
        for view in comments where around[view.name] == nil {
            changes.append(Change(.view(.setViewComment(view, comment: view.comment))))
        }
        // A view made again gets its declared column comments with it; CREATE OR REPLACE keeps the old ones.
        for (view, columns) in columnComments where around[view.name] == nil && created[view.name] == nil {
            changes.append(Change(.view(.setViewColumnComments(view, columns: columns))))
        }
        return changes
    }

    /// What a change of a function or type needs out of its way: the views that use it, and why.
    struct ViewUse {
        var routine: RoutineKey?
        var type: QualifiedName?
        var materializedOnly = false
        var reason: String

        func matches(_ view: View) -> Bool {
            guard let catalog = view.catalog, !materializedOnly || view.kind == .materializedView else { return false }
            return routine.map(catalog.routines.contains) ?? type.map(catalog.types.contains) ?? false
        }
    }

    /// A function dropped and created again (its result or arguments change), a domain or composite type made
    /// again, or an attribute of a composite type retyped (which PostgreSQL refuses while a materialized view
    /// has a column of the type; a view only refers to it).
    static func viewUse(_ change: Change) -> ViewUse? {
        if case .routine(.recreateRoutine(_, let live, _)) = change.kind {
            return ViewUse(
                routine: live.key, reason: "it calls \(live.kind.rawValue) \(live.signature), which is made again")
        }
        guard case .type(let typeChange) = change.kind else { return nil }
        if case .replaceDomain(let domain, _) = typeChange {
            return ViewUse(type: domain.name, reason: "it uses domain \(domain.name), which is made again")
        }
        if case .replaceCompositeType(let type, _) = typeChange {
            return ViewUse(type: type.name, reason: "it uses type \(type.name), which is made again")
        }
        if case .alterAttributeType(let name, _, _) = typeChange {
            return ViewUse(type: name, materializedOnly: true, reason: "it uses type \(name), which changes")
        }
        return nil
    }

    /// Whether the view directly reads a column or table that the plan removes.
    private func readsGone(_ view: View, _ gone: Set<String>) -> Bool {
        (view.catalog?.dependencies ?? []).contains { dependency in
            gone.contains(dependency.relation.description)
                || dependency.columns.contains { gone.contains("\(dependency.relation).\($0)") }
        }
    }

    /// The existing tables whose ACCESS SHARE lock creating the view takes: those it reads, and, for a
    /// materialized view filled at once (its query runs), those the views it reads read, at any depth.
    private func lockedTables(
        _ view: View, existingTables: Set<QualifiedName>, declaredTables: Set<QualifiedName>,
        _ views: [QualifiedName: View]
    ) -> [QualifiedName] {
        let candidates = existingTables.union(declaredTables).union(views.keys)
        var result = Set<QualifiedName>()
        var seen = Set<QualifiedName>()
        var pending = [view]
        while let next = pending.popLast() {
            for name in next.reads(among: candidates) where seen.insert(name).inserted {
                if existingTables.contains(name) { result.insert(name) }
                if view.kind == .materializedView && view.withData, let inner = views[name] { pending.append(inner) }
            }
        }
        return result.sorted()
    }

    /// Whether `view` reads `relation` (or its `column`), by the server's record of what it reads.
    static func view(_ view: View, reads relation: QualifiedName, column: String?) -> Bool {
        (view.catalog?.dependencies ?? []).contains { dependency in
            dependency.relation == relation && (column.map { dependency.columns.contains($0) } ?? true)
        }
    }

    /// Why the view must be dropped and created again rather than replaced; nil when `CREATE OR REPLACE` does
    /// (or nothing differs).
    static func recreation(live: View, declared: View) -> String? {
        if live.kind != declared.kind { return "a \(live.kind.rawValue) becomes a \(declared.kind.rawValue)" }
        guard differs(live: live, declared: declared) else { return nil }
        if declared.kind == .materializedView { return "a materialized view changes only by being made again" }
        guard let liveColumns = live.catalog?.columns, let declaredColumns = declared.catalog?.columns else {
            return "the server could not read the declared view as it stands"
        }
        // PostgreSQL keeps the columns of a replaced view: same names and types, new ones only at the end.
        guard declaredColumns.count >= liveColumns.count,
            Array(declaredColumns.prefix(liveColumns.count)) == liveColumns
        else {
            let spell = { (columns: [View.Column]) in columns.map { "\($0.name) \($0.type)" }.joined(separator: ", ") }
            return "columns (\(spell(liveColumns))) → (\(spell(declaredColumns)))"
        }
        return nil
    }

    /// The server's text, columns and options of both when known; without a scratch copy (unit tests, files
    /// spelled like an export), the declared query as written against the live one.
    static func differs(live: View, declared: View) -> Bool {
        if live.securityBarrier != declared.securityBarrier || live.securityInvoker != declared.securityInvoker
            || live.checkOption != declared.checkOption
        {
            return true
        }
        if declared.kind == .materializedView, indexTexts(live) != indexTexts(declared) { return true }
        if let liveCatalog = live.catalog, let declaredCatalog = declared.catalog {
            return liveCatalog.definition != declaredCatalog.definition
                || liveCatalog.columns != declaredCatalog.columns
        }
        let liveNames = live.catalog?.columns.map(\.name) ?? live.columns
        return View.trimmedQuery(live.query) != View.trimmedQuery(declared.query)
            || (!declared.columns.isEmpty && declared.columns != liveNames)
    }

    /// A materialized view's indexes as `name: [UNIQUE] USING ...` texts, the server's spelling where known.
    static func indexTexts(_ view: View) -> [String] {
        view.indexes.map { index in
            let tail =
                index.canonicalDefinition ?? SQLRenderer.indexDefinitionTail(index, quote: SQL.displayIdentifier)
            return "\(index.name): \(index.isUnique ? "UNIQUE " : "")\(tail)"
        }.sorted()
    }
}
