/// Compares declared functions and procedures with the live ones. A declared routine is matched to a live one
/// by name and identity arguments as the server spells them (from a scratch copy), and compared by what the
/// server prints for both (`Routine.Catalog`), so text the user did not write never shows as drift.
struct RoutineDiffer {
    let desired: Schema
    let canonical: Schema
    /// The live routines as they will be once `renames` have run (see `pendingRenames`).
    let live: Schema
    var renames: [RoutineRename] = []

    func changes() -> [Change] {
        let liveRoutines = Dictionary(live.routines.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let tableNames = Set(desired.tables.map(\.name))
        var matched = Set<RoutineKey>()
        var changes: [Change] = []
        for rename in renames {
            changes.append(Change(.routine(.renameRoutine(rename.declared, from: rename.live))))
        }
        for routine in canonical.routines {
            let afterTables = routine.usesRowType(of: tableNames)
            guard let current = liveRoutines[routine.key] else {
                changes.append(Change(.routine(.createRoutine(routine, afterTables: afterTables))))
                continue
            }
            matched.insert(routine.key)
            if Self.needsRecreate(live: current, declared: routine) {
                changes.append(Change(.routine(.recreateRoutine(routine, live: current, afterTables: afterTables))))
                continue
            }
            if Self.differs(live: current, declared: routine) {
                changes.append(Change(.routine(.replaceRoutine(routine, afterTables: afterTables))))
            }
            if current.comment != routine.comment {
                changes.append(Change(.routine(.setRoutineComment(routine, comment: routine.comment))))
            }
        }
        let managedSchemas = Set(desired.schemaNames)
        for routine in live.routines
        where !matched.contains(routine.key) && managedSchemas.contains(routine.name.schema) {
            changes.append(Change(.routine(.dropRoutine(routine))))
        }
        return changes
    }

    /// The renames `renamed_from` asks for that apply: no live routine has the declared name, and one live
    /// routine of the same kind has the old name (the one with the declared argument list, when it has
    /// overloads) and is not itself declared. Read before the declared routines are canonicalised.
    static func pendingRenames(desired: Schema, live: Schema) -> [RoutineRename] {
        let liveByName = Dictionary(grouping: live.routines, by: \.name)
        let declaredNames = Set(desired.routines.map(\.name))
        var taken = Set<RoutineKey>()
        var renames: [RoutineRename] = []
        for routine in desired.routines {
            guard let oldName = routine.renamedFrom, liveByName[routine.name] == nil else { continue }
            let old = QualifiedName(schema: routine.name.schema, name: oldName)
            guard !declaredNames.contains(old) else { continue }
            let candidates = (liveByName[old] ?? []).filter { $0.kind == routine.kind && !taken.contains($0.key) }
            let chosen =
                candidates.count == 1
                ? candidates.first
                : candidates.first { $0.identityArguments == routine.identityArguments }
            guard let chosen else { continue }
            taken.insert(chosen.key)
            renames.append(RoutineRename(declared: routine, live: chosen))
        }
        return renames
    }

    /// What `CREATE OR REPLACE` cannot change: function or procedure, the result type, and the arguments'
    /// names, modes and defaults (PostgreSQL refuses to rename an argument or remove a default in place).
    static func needsRecreate(live: Routine, declared: Routine) -> Bool {
        guard live.kind == declared.kind else { return true }
        guard let liveCatalog = live.catalog, let declaredCatalog = declared.catalog else { return false }
        return liveCatalog.result != declaredCatalog.result || liveCatalog.arguments != declaredCatalog.arguments
    }

    /// The server's text of both when known; without a scratch copy (unit tests, exported files), the SQL
    /// that would create each.
    static func differs(live: Routine, declared: Routine) -> Bool {
        if let liveCatalog = live.catalog, let declaredCatalog = declared.catalog {
            return liveCatalog.definition != declaredCatalog.definition
        }
        var liveText = live, declaredText = declared
        liveText.catalog = nil
        declaredText.catalog = nil
        liveText.comment = nil
        declaredText.comment = nil
        return SQLRenderer.createRoutine(liveText) != SQLRenderer.createRoutine(declaredText)
    }
}

/// A declared routine `renamed_from` a live one (`live`, under its old name).
public struct RoutineRename: Sendable {
    public var declared: Routine
    public var live: Routine
}

/// A declared domain or composite type `renamed_from` a live one (`keyword`: DOMAIN or TYPE).
public struct TypeRename: Sendable, Hashable {
    public var name: QualifiedName
    public var from: QualifiedName
    public var keyword: String
}

/// A declared view or materialized view `renamed_from` a live one (`live`, under its old name).
public struct ViewRename: Sendable {
    public var declared: View
    public var from: QualifiedName

    /// The step that renames it.
    public var change: Change { Change(.view(.renameView(declared, from: from))) }
}

/// What `renamed_from` asks to rename besides tables and columns, where it applies to the live schema.
public struct PendingRenames: Sendable {
    public var types: [TypeRename] = []
    public var routines: [RoutineRename] = []
    public var views: [ViewRename] = []
    public var isEmpty: Bool { types.isEmpty && routines.isEmpty && views.isEmpty }

    public init(types: [TypeRename] = [], routines: [RoutineRename] = [], views: [ViewRename] = []) {
        self.types = types
        self.routines = routines
        self.views = views
    }

    /// The statements that make them, types first (a routine's arguments may use a renamed type).
    public var statements: [String] {
        types.flatMap { Change(.type(.renameType($0.name, from: $0.from, keyword: $0.keyword))).statements }
            + routines.map { SQLRenderer.renameRoutine($0.live, to: $0.declared.name.name) }
            + views.flatMap(\.change.statements)
    }

    /// `live` with the renamed objects under their new names, for a role that may not rename them to see: the
    /// texts that use them still say the old names.
    public func applied(to live: Schema) -> Schema {
        var renamed = live
        for rename in types {
            for index in renamed.enums.indices where renamed.enums[index].name == rename.from {
                renamed.enums[index].name = rename.name
            }
            for index in renamed.domains.indices where renamed.domains[index].name == rename.from {
                renamed.domains[index].name = rename.name
            }
            for index in renamed.compositeTypes.indices where renamed.compositeTypes[index].name == rename.from {
                renamed.compositeTypes[index].name = rename.name
            }
        }
        for rename in routines {
            guard let index = renamed.routines.firstIndex(where: { $0.key == rename.live.key }) else { continue }
            renamed.routines[index].name = rename.declared.name
        }
        for rename in views {
            for index in renamed.views.indices where renamed.views[index].name == rename.from {
                renamed.views[index].name = rename.declared.name
            }
        }
        return renamed
    }
}

extension Differ {
    /// The renames `renamed_from` asks for that apply to `live`.
    public static func pendingRenames(desired: Schema, live: Schema) -> PendingRenames {
        PendingRenames(
            types: TypeDiffer.pendingRenames(desired: desired, live: live),
            routines: RoutineDiffer.pendingRenames(desired: desired, live: live),
            views: pendingViewRenames(desired: desired, live: live))
    }

    /// A declared view `renamed_from` a live one of the same kind, when nothing live has the declared name and
    /// the old one is not declared itself.
    static func pendingViewRenames(desired: Schema, live: Schema) -> [ViewRename] {
        let liveViews = Dictionary(live.views.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let taken = Set(live.views.map(\.name) + live.tables.map(\.name))
        let declared = Set(desired.views.map(\.name))
        return desired.views.compactMap { view in
            guard let old = view.renamedFrom, !taken.contains(view.name) else { return nil }
            let from = QualifiedName(schema: view.name.schema, name: old)
            guard let current = liveViews[from], current.kind == view.kind, !declared.contains(from) else {
                return nil
            }
            return ViewRename(declared: view, from: from)
        }
    }
}

extension Routine {
    /// Whether the routine's arguments or result name one of these tables (its row type): then it is created
    /// after the tables. Words are compared as written, `table` for `public` tables, `schema.table` for any.
    public func usesRowType(of tables: Set<QualifiedName>) -> Bool {
        guard !tables.isEmpty else { return false }
        let text = arguments + " " + (returns ?? "")
        var words: [String] = []
        var current = ""
        for character in text {
            if character.isLetter || character.isNumber || "_$.\"".contains(character) {
                current.append(character)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words.contains { word in
            // `public.users`, `"Odd"."Table"`, `users`, `users[]` (the brackets already split off).
            guard let name = try? NameSyntax.qualifiedName(word, defaultSchema: "public") else { return false }
            return tables.contains(name)
        }
    }
}
