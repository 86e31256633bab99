import Foundation
import PostgresClient
import ReconcileCore

/// Reads a live database into a schema file: how a team adopts reconcile on a database that exists.
/// What it writes, `--check` reports as in sync, and applying it to an empty database and exporting again
/// gives the same text.
///
/// Tables are scoped as for `--plan` and `--check`: `--schemas` chooses the schemas read, `--include` and
/// `--exclude` the tables. What the format cannot express is collected over every table in scope and
/// refused in one report, so a large schema needs one run to learn all it must leave out.
struct Exporter {
    let connection: Connection

    /// Every reason the export could not be written, in report order.
    struct Refused: Error {
        let refusals: [ExportRefusal]
    }

    func export(
        schemas requested: [String]?, filter: TableFilter = .everything,
        seedTables: [QualifiedName]
    ) throws -> Schema {
        let schemas = try requested ?? userSchemas()
        let live = try Introspector(connection: connection).liveSchema(schemas: schemas)
        let scope = ExportScope(
            requested: requested, read: Set(schemas), filter: filter,
            readable: Set(live.tables.map(\.name)))
        var refusals: [ExportRefusal] = []
        let obstacles = try self.obstacles(schemas: schemas)
        // Functions and procedures in scope, the ones the file cannot write refused by name.
        var routines: [Routine] = []
        for routine in live.routines where filter.manages(routine.name) {
            if let problem = routine.catalog?.exportProblem {
                refusals.append(
                    ExportRefusal(
                        table: routine.name, problem: "\(routine.kind.rawValue) \(routine.signature) \(problem)",
                        remedy: "leave it out: \(ExportRefusal.excludeFlag(routine.name))"))
            } else {
                routines.append(routine)
            }
        }
        let exportedRoutines = Set(routines.map(\.key))
        var tables: [Table] = []
        var refused = Set<QualifiedName>()
        // The sequences of serial and identity columns, by name, with the column that owns each; then those
        // owned by another column (of a partition, or one whose default draws from elsewhere).
        var ownedSequences: [QualifiedName: String] = [:]
        for table in live.tables {
            for column in table.columns where column.isSerial || column.identity != nil {
                guard let name = column.sequence?.name else { continue }
                ownedSequences[QualifiedName(schema: table.name.schema, name: name)] =
                    "the sequence of column \(table.name).\(SQL.displayIdentifier(column.name)), which the schema file "
                    + "cannot share with another column yet"
            }
        }
        for row in try connection.query(CatalogQueries.sequenceOwners, [TextArray.literal(schemas)]).namedRows {
            let name = QualifiedName(schema: row["nspname"] ?? "", name: row["relname"] ?? "")
            guard ownedSequences[name] == nil, !live.sequences.contains(where: { $0.name == name }) else { continue }
            ownedSequences[name] =
                "a sequence owned by column \(row["owner"] ?? "?")"
                + (row.bool("of_partition") ? " of a partition" : ", whose default does not draw from it")
                + ", which the schema file cannot declare yet (it declares an owned sequence only as a serial column's)"
        }
        for liveTable in live.tables where filter.manages(liveTable.name) {
            let (table, expressionProblems) = Self.expressible(
                liveTable, sequences: live.sequences,
                ownedSequences: ownedSequences)
            // A call of a function the export includes is no obstacle.
            let called = (obstacles[liveTable.name] ?? []).filter { obstacle in
                obstacle.routine.map { !exportedRoutines.contains($0) } ?? true
            }
            let problems = called.map(\.refusal) + expressionProblems
            refusals += problems
            if !problems.isEmpty { refused.insert(table.name) }
            tables.append(table)
        }
        refusals += Self.referenceRefusals(tables, scope: scope, refused: &refused)
        refusals += Self.seedTableRefusals(seedTables, tables: tables, refused: refused, scope: scope)
        let views = Self.exportableViews(live, filter: filter, tables: tables, refusals: &refusals)
        guard refusals.isEmpty else { throw Refused(refusals: ExportRefusal.grouped(refusals)) }
        tables = try Canonicalizer(connection: connection, live: live).fixedPoints(of: tables)
        for index in tables.indices where seedTables.contains(tables[index].name) {
            tables[index].seed = try seed(of: tables[index])
        }
        // A schema whose every table is scoped out is left out too, unless it held nothing to scope.
        let schemaNames = live.schemaNames.filter { schema in
            tables.contains { $0.name.schema == schema } || live.declaresTypes(in: schema)
                || routines.contains { $0.name.schema == schema } || views.contains { $0.name.schema == schema }
                || !live.tables.contains { $0.name.schema == schema }
        }
        // plpgsql is installed in every database; declaring it would only add noise.
        let extensions = live.extensions.filter { $0 != "plpgsql" }
        var exported = Schema(
            schemaNames: schemaNames, tables: tables, enums: live.enums, extensions: extensions,
            sequences: live.sequences, domains: live.domains.map(Self.expressible),
            compositeTypes: live.compositeTypes.map { type in
                var type = type
                type.usedBy = []
                return type
            }, routines: routines, views: views)
        exported.extensionSchemas = live.extensionSchemas
        return exported
    }

    /// The views in scope, each only if everything it reads is exported too (a table or view left out would
    /// make the file fail on an empty database); the others refused by name, with what they read.
    private static func exportableViews(
        _ live: Schema, filter: TableFilter, tables: [Table], refusals: inout [ExportRefusal]
    ) -> [View] {
        var exported = Set(tables.map(\.name))
        // PostgreSQL's own relations (pg_stat_activity, information_schema.tables) are in every database.
        func isSystem(_ name: QualifiedName) -> Bool {
            name.schema.hasPrefix("pg_") || name.schema == "information_schema"
        }
        var candidates = live.views.filter { filter.manages($0.name) }
        // Each pass adds the views whose every relation is exported; what is left reads something that is not.
        var views: [View] = []
        var progress = true
        while progress {
            progress = false
            for view in candidates
            where (view.catalog?.dependencies ?? []).allSatisfy({
                exported.contains($0.relation) || isSystem($0.relation)
            }) {
                views.append(view)
                exported.insert(view.name)
                progress = true
            }
            candidates.removeAll { exported.contains($0.name) }
        }
        for view in candidates {
            let missing = (view.catalog?.dependencies ?? []).map(\.relation).filter {
                !exported.contains($0) && !isSystem($0)
            }
            refusals.append(
                ExportRefusal(
                    table: view.name,
                    problem: "\(view.description) reads \(missing.map(\.description).joined(separator: ", ")), "
                        + "which the export does not include",
                    remedy: "leave it out: \(ExportRefusal.excludeFlag(view.name))"))
        }
        return views
    }

    /// A live domain in the schema file's terms: a literal default as a literal, typed by the base type.
    static func expressible(_ live: Domain) -> Domain {
        var domain = live
        domain.usedBy = []
        if case .expression(let text)? = domain.defaultValue,
            let literal = CatalogText.literalDefault(text, columnType: domain.baseType)
        {
            domain.defaultValue = .literal(literal)
        }
        return domain
    }

    /// Foreign keys the file could not declare: to a table out of scope (with why, and the flag that brings it
    /// in), and, transitively, to a refused table. Leaving a table out breaks the foreign keys that point to
    /// it, so those tables must go too; saying so now spares a rerun per level of references. Adds every
    /// table it refuses to `refused`.
    static func referenceRefusals(
        _ tables: [Table], scope: ExportScope,
        refused: inout Set<QualifiedName>
    ) -> [ExportRefusal] {
        var refusals: [ExportRefusal] = []
        let exported = Set(tables.map(\.name))
        for table in tables {
            for key in table.foreignKeys where !exported.contains(key.referencedTable) {
                let (why, bringIn) = scope.whyNotExported(key.referencedTable)
                refusals.append(
                    ExportRefusal(
                        table: table.name,
                        problem: "foreign key \(SQL.displayIdentifier(key.name)) references \(key.referencedTable), "
                            + "which is not exported: \(why)",
                        remedy: (bringIn.map { "\($0), or " } ?? "") + "leave \(table.name) out: "
                            + ExportRefusal.excludeFlag(table.name)))
                refused.insert(table.name)
            }
        }
        var grew = true
        while grew {
            grew = false
            for table in tables where !refused.contains(table.name) {
                let broken = table.foreignKeys.filter { refused.contains($0.referencedTable) }
                for key in broken {
                    refusals.append(
                        ExportRefusal(
                            table: table.name,
                            problem:
                                "foreign key \(SQL.displayIdentifier(key.name)) references \(key.referencedTable), "
                                + "which cannot be exported either",
                            remedy: "leave \(table.name) out too: \(ExportRefusal.excludeFlag(table.name))"))
                }
                if !broken.isEmpty {
                    refused.insert(table.name)
                    grew = true
                }
            }
        }
        return refusals
    }

    /// `--seed-tables` naming a table that is not exported, is refused, or has no primary key to seed by.
    static func seedTableRefusals(
        _ seedTables: [QualifiedName], tables: [Table], refused: Set<QualifiedName>,
        scope: ExportScope
    ) -> [ExportRefusal] {
        seedTables.compactMap { name in
            guard let table = tables.first(where: { $0.name == name }) else {
                return ExportRefusal(
                    flag: "--seed-tables",
                    problem: "\(name) is not exported: "
                        + scope.whyNotExported(name, asSeedTable: true).why,
                    remedy: "drop it from --seed-tables")
            }
            if refused.contains(name) {
                return ExportRefusal(
                    flag: "--seed-tables", problem: "\(name) cannot be exported (see above)",
                    remedy: "drop it from --seed-tables when you leave the table out")
            }
            guard table.primaryKey != nil else {
                return ExportRefusal(
                    flag: "--seed-tables",
                    problem: "\(name) has no primary key, so its rows "
                        + "cannot be seeded", remedy: "drop it from --seed-tables")
            }
            return nil
        }
    }

    /// `nextval('invoice_numbers'::regclass)` or `nextval('billing.codes'::regclass)`, as the catalog prints
    /// a default that draws from this standalone sequence (declared in the export's `sequences:`).
    static func draws(_ defaultText: String, from sequence: QualifiedName) -> Bool {
        let bare = SQL.displayIdentifier(sequence.name)
        let qualified = SQL.displayIdentifier(sequence.schema) + "." + bare
        return [bare, qualified].contains { defaultText.contains("nextval('\($0)'::regclass)") }
    }

    /// The table in the schema file's terms (literal defaults, index keys), and what of it the file cannot
    /// express.
    /// `ownedSequences`: sequences that a column owns, by name, each with what it is (`the sequence of column
    /// public.t.id`): the file declares such a sequence only as its serial column's.
    static func expressible(
        _ live: Table, sequences: [StandaloneSequence] = [],
        ownedSequences: [QualifiedName: String] = [:]
    ) -> (Table, [ExportRefusal]) {
        var table = live
        var problems: [ExportRefusal] = []
        let leaveOut = "leave the table out: \(ExportRefusal.excludeFlag(table.name))"
        for trigger in live.triggers {
            guard let problem = trigger.exportProblem else { continue }
            problems.append(
                ExportRefusal(
                    table: table.name, problem: "trigger \(SQL.displayIdentifier(trigger.name)) \(problem)",
                    remedy: leaveOut))
        }
        for index in table.columns.indices {
            let column = table.columns[index]
            guard case .expression(let text)? = column.defaultValue else { continue }
            if text.contains("nextval("), !sequences.contains(where: { Self.draws(text, from: $0.name) }),
                let owner = ownedSequences.first(where: { Self.draws(text, from: $0.key) })
            {
                // Another column's sequence: the file gives each serial column its own.
                problems.append(
                    ExportRefusal(
                        table: table.name,
                        problem:
                            "column \(SQL.displayIdentifier(column.name)) takes its default from \(owner.key) "
                            + "(\(text)), \(owner.value)",
                        remedy: leaveOut))
            } else if text.contains("nextval("), !sequences.contains(where: { Self.draws(text, from: $0.name) }) {
                problems.append(
                    ExportRefusal(
                        table: table.name,
                        problem: "column \(SQL.displayIdentifier(column.name)) takes its default from a sequence "
                            + "(\(text)) outside the exported schemas",
                        remedy: "add its schema to --schemas, or \(leaveOut)"))
            } else if let literal = CatalogText.literalDefault(text, columnType: column.type) {
                table.columns[index].defaultValue = .literal(literal)
            }
        }
        table.indexes = table.indexes.compactMap { index in
            // An INVALID index is a build that did not finish, not part of the schema.
            guard index.isInvalid != true else { return nil }
            guard let definition = index.canonicalDefinition,
                let parsed = CatalogText.index(definition, columns: table.columns.map(\.name))
            else {
                problems.append(
                    ExportRefusal(
                        table: table.name,
                        problem:
                            "index \(SQL.displayIdentifier(index.name)) uses options the schema file cannot express "
                            + "yet: \(index.canonicalDefinition ?? "")",
                        remedy: leaveOut))
                return nil
            }
            var exported = parsed
            exported.name = index.name
            exported.isUnique = index.isUnique
            exported.statistics = index.statistics
            return exported
        }
        return (table, problems)
    }

    /// Features of the tables that the schema file cannot declare and introspection does not model (it would
    /// read a generated column as a default, a partitioned table as a plain one), by table.
    /// `routine`: for a call of a function of the user's, that function, which the export may include.
    private func obstacles(
        schemas: [String]
    ) throws -> [QualifiedName: [(refusal: ExportRefusal, routine: RoutineKey?)]] {
        let rows = try connection.query(
            CatalogQueries.exportObstacles(.schemas, serverVersion: connection.serverVersion),
            [TextArray.literal(schemas)])
        var obstacles: [QualifiedName: [(refusal: ExportRefusal, routine: RoutineKey?)]] = [:]
        for row in rows.namedRows {
            let table = QualifiedName(schema: row["nspname"] ?? "", name: row["relname"] ?? "")
            var routine: RoutineKey?
            if row["kind"] == "function" {
                // The name column holds [schema, name, argument types].
                let parts = try Introspector.decodeNames(row["name"])
                if parts.count == 3 {
                    routine = RoutineKey(
                        name: QualifiedName(schema: parts[0], name: parts[1]), identityTypes: parts[2])
                }
            }
            obstacles[table, default: []].append(
                (
                    ExportRefusal(
                        table: table, problem: Self.obstacle(row),
                        remedy: "leave the table out: \(ExportRefusal.excludeFlag(table))"), routine
                ))
        }
        return obstacles
    }

    /// An `exportObstacles` row in words.
    static func obstacle(_ row: QueryResult.Row) -> String {
        let name = SQL.displayIdentifier(row["name"] ?? "")
        let detail = row["detail"] ?? ""
        let cannotDeclare = "which the schema file cannot declare yet"
        switch row["kind"] {
        case "collation": return "column \(name) has collation \(detail), \(cannotDeclare)"
        case "type": return "column \(name) has type \(detail), \(cannotDeclare)"
        case "function":
            return "a check, index, default, generated column or trigger calls the function \(detail), which the "
                + "export does not include (outside the exported schemas, or left out by --include/--exclude), "
                + "so the export would not apply to an empty database"
        case "subpartitioned":
            return "partition \(name) is partitioned itself (PARTITION BY \(detail)), \(cannotDeclare)"
        case "owned sequence":
            return "column \(name) owns sequence \(detail) (OWNED BY) but its default does not draw from it; the "
                + "schema file declares an owned sequence only as a serial column's, so it cannot declare this one yet"
        case "partition lacks default":
            return "partition \(name) lacks the table's default \(detail), \(cannotDeclare): the file "
                + "declares the partitioned table's defaults, which every partition shares"
        case let kind? where kind.hasPrefix("partition "):
            return "partition \(name) has its own \(kind.dropFirst("partition ".count)) \(detail), \(cannotDeclare): "
                + "the file declares the partitioned table's constraints, indexes, defaults and column options, which "
                + "every partition shares"
        case "primary key index", "unique constraint index":
            return "\(row["kind"]?.dropLast(" index".count) ?? "") \(name) is \(detail): its index's tablespace, "
                + "\(cannotDeclare) (a key declares its index's include and with, not a tablespace)"
        case "inherits": return "the table inherits from \(detail), \(cannotDeclare)"
        case "tablespace": return "the table is stored in tablespace \(detail), \(cannotDeclare)"
        default: return "\(row["kind"] ?? "?") \(name) is \(detail), \(cannotDeclare)"
        }
    }

    /// What the partitions of the file's tables have of their own (a primary key, index, check or default the
    /// table lacks), as `table: problem` texts: the file cannot declare these, so `--check` does not compare them
    /// and says so instead of passing over them.
    static func partitionsOwnObjects(_ connection: Connection, of desired: Schema) throws -> [String] {
        let tables = Set(desired.tables.map(\.name))
        guard desired.tables.contains(where: { $0.partitionBy != nil }) else { return [] }
        let schemas = Set(tables.map(\.schema)).sorted()
        return try connection.query(
            CatalogQueries.exportObstacles(.schemas, serverVersion: connection.serverVersion),
            [TextArray.literal(schemas)]
        ).namedRows
            .compactMap { row in
                let table = QualifiedName(schema: row["nspname"] ?? "", name: row["relname"] ?? "")
                guard tables.contains(table), row["kind"]?.hasPrefix("partition ") == true else { return nil }
                return "\(table): \(obstacle(row))"
            }
    }

    /// Every schema a user made: not the system's, not an extension's.
    private func userSchemas() throws -> [String] {
        try connection.query(CatalogQueries.userSchemas).rows.compactMap { $0[0] }
    }

    /// The table's rows as seeded rows (insert-missing, keyed by the primary key), values as text.
    private func seed(of table: Table) throws -> Seed {
        let key = table.primaryKey?.columns ?? []
        let columns = table.columns.map(\.name)
        let values = columns.map { "\(SQL.identifier($0))::text" }.joined(separator: ", ")
        let order = key.map(SQL.identifier).joined(separator: ", ")
        let result = try connection.query(
            "SELECT pg_catalog.to_json(ARRAY[\(values)])::text FROM \(SQL.qualified(table.name)) ORDER BY \(order)")
        let rows = try result.rows.map { row -> SeedRow in
            let texts = try JSONDecoder().decode([String?].self, from: Data((row[0] ?? "[]").utf8))
            return SeedRow(values: zip(columns, texts).map { ($0, $1.map(Literal.string) ?? .null) })
        }
        return Seed(mode: .insertMissing, key: key, rows: rows)
    }
}
