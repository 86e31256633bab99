import PostgresClient
import ReconcileCore

extension Canonicalizer {
    /// The declared views with the server's text of each (`View.Catalog`), read from scratch copies: each is
    /// created as a temporary view of the same name (a materialized view as a plain one: the query is what is
    /// compared), in the order they read each other, inside a savepoint that is rolled back. A temporary view
    /// hides a permanent one of its name, so a declared view reading another declared view reads that one's
    /// copy, and `pg_get_viewdef` prints both alike (`FROM v1`). A view declared exactly as the catalog prints
    /// the live one (an export, a file in sync) takes the live one's text without a copy. A copy the server
    /// refuses (the view reads a column this plan adds) is left without a catalog: the view is then made again.
    func canonicalViews(_ views: [View]) throws -> [View] {
        let live = Dictionary(self.live.views.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var result = views
        var copies: [(position: Int, scratchName: String)] = []
        var usedNames = Set<String>()
        for (position, view) in View.creationOrder(views).enumerated() {
            guard let index = result.firstIndex(where: { $0.name == view.name }) else { continue }
            if let current = live[view.name], Self.spelledLikeCatalog(view, current) {
                result[index].catalog = current.catalog
                continue
            }
            // The first view of a name takes it; a second one in another schema gets a name of its own.
            let scratchName =
                usedNames.insert(view.name.name).inserted ? view.name.name : "reconcile_scratch_view_\(position)"
            copies.append((index, scratchName))
        }
        guard !copies.isEmpty else { return result }
        try connection.query("SAVEPOINT reconcile_views")
        defer {
            _ = try? connection.query("ROLLBACK TO SAVEPOINT reconcile_views")
            _ = try? connection.query("RELEASE SAVEPOINT reconcile_views")
        }
        var made: [String: Int] = [:]  // scratch name -> position in `result`
        for (index, scratchName) in copies {
            var copy = result[index]
            copy.indexes = []
            let statement = SQLRenderer.createView(
                copy, as: QualifiedName(schema: "pg_temp", name: scratchName), temporary: true)
            try connection.query("SAVEPOINT reconcile_view")
            do {
                try connection.query(statement)
                try connection.query("RELEASE SAVEPOINT reconcile_view")
                made[scratchName] = index
            } catch is PostgresError {
                try connection.query("ROLLBACK TO SAVEPOINT reconcile_view")
                try connection.query("RELEASE SAVEPOINT reconcile_view")
            }
        }
        guard !made.isEmpty else { return result }
        let read = try Introspector(connection: connection).readViews(scratch: true, names: made.keys.sorted())
        // What a copy reads in this session's temporary schema is another copy: the declared view of that name.
        let declaredByScratchName = Dictionary(
            made.map { ($0.key, result[$0.value].name) }, uniquingKeysWith: { a, _ in a })
        for (relname, scratch) in read.managed {
            guard let index = made[relname], var catalog = scratch.catalog else { continue }
            catalog.dependencies = catalog.dependencies.map { dependency in
                guard dependency.relation.schema.hasPrefix("pg_temp"),
                    let declared = declaredByScratchName[dependency.relation.name]
                else { return dependency }
                return View.Dependency(relation: declared, columns: dependency.columns)
            }
            result[index].catalog = catalog
        }
        try adoptEquivalentLiveDefinitions(&result, live: live)
        try canonicalIndexes(&result, made: made)
        return result
    }

    /// A materialized view's declared indexes as the server spells them (`USING btree (lower(name))`): made on a
    /// temporary table with the columns of the view's copy, and read back by `pg_get_indexdef`. An index the
    /// server refuses keeps its declared spelling (creating the view then reports it).
    private func canonicalIndexes(_ views: inout [View], made: [String: Int]) throws {
        var scratchIndexes: [String: (view: Int, index: Int)] = [:]
        for (scratchName, position) in made.sorted(by: { $0.key < $1.key })
        where views[position].kind == .materializedView && !views[position].indexes.isEmpty {
            let table = QualifiedName(schema: "pg_temp", name: "reconcile_scratch_matview_\(position)")
            try connection.query("SAVEPOINT reconcile_view")
            do {
                try connection.query(
                    "CREATE TEMPORARY TABLE \(SQL.identifier(table.name)) AS SELECT * FROM pg_temp."
                        + "\(SQL.identifier(scratchName)) WITH NO DATA")
                try connection.query("RELEASE SAVEPOINT reconcile_view")
            } catch is PostgresError {
                try connection.query("ROLLBACK TO SAVEPOINT reconcile_view")
                try connection.query("RELEASE SAVEPOINT reconcile_view")
                continue
            }
            for (number, declared) in views[position].indexes.enumerated() {
                var index = declared
                index.name = "\(table.name)_\(number)"
                try connection.query("SAVEPOINT reconcile_view")
                do {
                    try connection.query(Change(.index(.createIndex(table, index))).statements[0])
                    try connection.query("RELEASE SAVEPOINT reconcile_view")
                    scratchIndexes[index.name] = (position, number)
                } catch is PostgresError {
                    try connection.query("ROLLBACK TO SAVEPOINT reconcile_view")
                    try connection.query("RELEASE SAVEPOINT reconcile_view")
                }
            }
        }
        guard !scratchIndexes.isEmpty else { return }
        let rows = try connection.query(
            CatalogQueries.scratchIndexes, [TextArray.literal(scratchIndexes.keys.sorted())])
        for row in rows.namedRows {
            guard let name = row["relname"], let target = scratchIndexes[name], let method = row["method"],
                let definition = row["definition"], let start = definition.firstRange(of: " USING \(method) (")
            else { continue }
            views[target.view].indexes[target.index].canonicalDefinition =
                "USING \(method) (" + definition[start.upperBound...]
        }
    }

    /// `pg_get_viewdef` does not always read back as itself (a varchar `IN` list stored by a migration and the
    /// same view restored from a dump, see the checks' case): when a copy's text differs from the live view's,
    /// both texts are created once more as copies; if the server prints the two alike (they reach the same fixed
    /// point), they are the same view, and the live text is kept (nothing to change).
    private func adoptEquivalentLiveDefinitions(_ views: inout [View], live: [QualifiedName: View]) throws {
        var probes: [(index: Int, name: String)] = []
        for index in views.indices {
            guard let declared = views[index].catalog, let current = live[views[index].name],
                let liveCatalog = current.catalog, liveCatalog.definition != declared.definition,
                liveCatalog.columns == declared.columns, current.kind == views[index].kind
            else { continue }
            let name = "reconcile_live_view_\(probes.count)"
            var copy = current
            copy.columns = []
            var declaredCopy = copy
            declaredCopy.query = declared.definition
            let statements = [
                SQLRenderer.createView(copy, as: QualifiedName(schema: "pg_temp", name: name), temporary: true),
                SQLRenderer.createView(
                    declaredCopy, as: QualifiedName(schema: "pg_temp", name: name + "_again"), temporary: true),
            ]
            try connection.query("SAVEPOINT reconcile_view")
            do {
                for statement in statements { try connection.query(statement) }
                try connection.query("RELEASE SAVEPOINT reconcile_view")
                probes.append((index, name))
            } catch is PostgresError {
                try connection.query("ROLLBACK TO SAVEPOINT reconcile_view")
                try connection.query("RELEASE SAVEPOINT reconcile_view")
            }
        }
        guard !probes.isEmpty else { return }
        let read = try Introspector(connection: connection).readViews(
            scratch: true, names: probes.flatMap { [$0.name, $0.name + "_again"] })
        let again = Dictionary(read.managed.map { ($0.relname, $0.view) }, uniquingKeysWith: { a, _ in a })
        for probe in probes {
            guard let text = again[probe.name]?.catalog?.definition,
                text == again[probe.name + "_again"]?.catalog?.definition,
                let liveText = live[views[probe.index].name]?.catalog?.definition
            else { continue }
            views[probe.index].catalog?.definition = liveText
        }
    }

    /// The declaration says what the catalog says of `live`, word for word: the query as printed, no column list,
    /// the same options (indexes and comments are compared apart).
    static func spelledLikeCatalog(_ declared: View, _ live: View) -> Bool {
        declared.kind == live.kind && declared.columns.isEmpty
            && View.trimmedQuery(declared.query) == View.trimmedQuery(live.query)
            && declared.securityBarrier == live.securityBarrier && declared.securityInvoker == live.securityInvoker
            && declared.checkOption == live.checkOption
    }
}
