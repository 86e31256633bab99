import PostgresClient
import ReconcileCore

/// Asks the server how it spells the declared schema. Each declared table is created as a temporary
/// scratch copy (columns, defaults, checks, indexes) inside a savepoint that is always rolled back, and read
/// back with the same introspector as the live tables. `int` becomes `integer`, `'gpt-4'` becomes
/// `'gpt-4'::character varying`, `x IN (1, 2)` becomes `x = ANY (ARRAY[1, 2])`: comparing like with like is
/// what keeps `--check` free of false drift. As a bonus, an invalid type or expression is reported before
/// anything is changed.
struct Canonicalizer {
    let connection: Connection
    /// The live database, to know which declared schemas, extensions and enum types are missing.
    let live: Schema

    struct Failure: Error {
        /// What was being checked: a declared table, or a type it needs.
        let subject: String
        let statement: String
        let error: PostgresError
    }

    /// Runs inside the caller's transaction; leaves nothing behind. Only tables that need the server are
    /// built: those that exist and are not already spelled like the catalog (see `CatalogSpelling`), and,
    /// when `validateNewTables`, tables that do not exist yet, so `--plan` reports a bad type or expression
    /// before anyone applies it.
    func canonicalize(_ desired: Schema, validateNewTables: Bool) throws -> Schema {
        let liveTables = live.tablesByName
        var spelled: [QualifiedName: Table] = [:]
        var needServer: [Table] = []
        for table in desired.tables {
            if let liveTable = liveTables[table.name] ?? table.renamedFrom.flatMap({ liveTables[$0] }) {
                if let canonical = CatalogSpelling.canonical(table, live: liveTable) {
                    spelled[table.name] = canonical
                } else {
                    needServer.append(table)
                }
            } else if validateNewTables {
                needServer.append(table)
            } else {
                spelled[table.name] = table
            }
        }
        // Declared domains and composite types that exist: spelled like the catalog, or read back from scratch
        // copies. New ones are created (and so checked) by the prerequisites in the savepoint.
        var spelledTypes = desired
        var needServerTypes = Schema()
        let liveDomains = Dictionary(live.domains.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for (index, domain) in desired.domains.enumerated() {
            guard let liveDomain = liveDomains[domain.name] else { continue }
            if let canonical = CatalogSpelling.canonical(domain, live: liveDomain) {
                spelledTypes.domains[index] = canonical
            } else {
                needServerTypes.domains.append(domain)
            }
        }
        let liveTypes = Dictionary(live.compositeTypes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for (index, type) in desired.compositeTypes.enumerated() {
            guard let liveType = liveTypes[type.name] else { continue }
            if let canonical = CatalogSpelling.canonical(type, live: liveType) {
                spelledTypes.compositeTypes[index] = canonical
            } else {
                needServerTypes.compositeTypes.append(type)
            }
        }
        var routines = desired.routines
        // Tables declared but not live yet: a routine whose signature uses one cannot be made before them.
        let missingTables = Set(desired.tables.map(\.name)).subtracting(liveTables.keys)
        let routinesNeedServer = routinesToCopy(&routines, validateNew: validateNewTables, missingTables: missingTables)
        guard
            !needServer.isEmpty || !needServerTypes.domains.isEmpty || !needServerTypes.compositeTypes.isEmpty
                || !routinesNeedServer.isEmpty
        else {
            var result = spelledTypes.with(tables: desired.tables.map { spelled[$0.name] ?? $0 })
            result.routines = routines
            result.views = try canonicalViews(desired.views)
            return result
        }
        try connection.query("SAVEPOINT reconcile_canonicalize")
        do {
            var serverRoutines = routines
            var scratch = desired.with(tables: needServer)
            scratch.routines = []
            let fromServer = try canonicalizeInSavepoint(
                scratch, types: needServerTypes, routines: &serverRoutines, copying: routinesNeedServer,
                missingTables: missingTables)
            let serverTables = fromServer.tablesByName
            var canonical = spelledTypes.with(
                tables: desired.tables.map { spelled[$0.name] ?? serverTables[$0.name] ?? $0 })
            let serverDomains = Dictionary(fromServer.domains.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            canonical.domains = canonical.domains.map { serverDomains[$0.name] ?? $0 }
            let serverTypes = Dictionary(
                fromServer.compositeTypes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            canonical.compositeTypes = canonical.compositeTypes.map { serverTypes[$0.name] ?? $0 }
            canonical.routines = serverRoutines
            try connection.query("ROLLBACK TO SAVEPOINT reconcile_canonicalize")
            try connection.query("RELEASE SAVEPOINT reconcile_canonicalize")
            canonical.views = try canonicalViews(desired.views)
            return canonical
        } catch {
            if connection.transactionStatus != .idle {
                _ = try? connection.query("ROLLBACK TO SAVEPOINT reconcile_canonicalize")
                _ = try? connection.query("RELEASE SAVEPOINT reconcile_canonicalize")
            }
            throw error
        }
    }

    /// Routines declared exactly as the catalog prints a live one of theirs (an export, a file in sync) take
    /// that one's catalog texts without a scratch copy, so a schema in sync costs no statement per routine.
    /// Returns the positions in `routines` that need one: those whose name exists live, and, when
    /// `validateNew`, new ones whose signature uses no declared table (which does not exist yet).
    private func routinesToCopy(
        _ routines: inout [Routine], validateNew: Bool, missingTables: Set<QualifiedName>
    ) -> [Int] {
        let liveByName = Dictionary(grouping: live.routines, by: \.name)
        var needServer: [Int] = []
        for index in routines.indices {
            let routine = routines[index]
            // A routine still under its old name (renamed_from) is judged against that one.
            let oldName = routine.renamedFrom.map { QualifiedName(schema: routine.name.schema, name: $0) }
            guard let candidates = liveByName[routine.name] ?? oldName.flatMap({ liveByName[$0] }) else {
                if validateNew && !routine.usesRowType(of: missingTables) { needServer.append(index) }
                continue
            }
            if let same = candidates.first(where: { Self.spelledLikeCatalog(routine, $0) }) {
                routines[index].catalog = same.catalog
            } else {
                needServer.append(index)
            }
        }
        return needServer
    }

    /// The declaration says what the catalog says of `live`, word for word.
    static func spelledLikeCatalog(_ declared: Routine, _ live: Routine) -> Bool {
        var declared = declared
        declared.language = declared.language.lowercased()
        declared.comment = live.comment
        declared.catalog = live.catalog
        declared.renamedFrom = nil
        declared.name = live.name
        return declared == live
    }

    /// `desired`: the tables to build scratch copies of, with every declared type; `types`: the existing
    /// domains and composite types to read back from scratch copies; `routines`: the declared routines, those at
    /// `copying` read back from scratch copies. `adoptingLive`: keep a live text the server finds equivalent
    /// (for comparing); off for `fixedPoints`, which wants the server's own spelling.
    private func canonicalizeInSavepoint(
        _ desired: Schema, types: Schema, routines: inout [Routine], copying: [Int],
        missingTables: Set<QualifiedName>, adoptingLive: Bool = true
    ) throws -> Schema {
        // Declared types must exist for the scratch tables to use them; created here, rolled back with the rest.
        let prerequisites = Differ(desired: desired, live: live).prerequisiteChanges()
        var extended = Set<QualifiedName>()
        for change in prerequisites where change.phase <= .types {
            if case .type(.addEnumValue(let name, _, _)) = change.kind {
                extended.insert(name)
                continue
            }
            // Only new types are made here: changes to existing ones would check the data.
            if case .type(let typeChange) = change.kind {
                switch typeChange {
                case .createEnum, .createDomain, .createCompositeType: break
                default: continue
                }
            }
            for statement in change.statements { try run(statement, for: change.summary) }
        }
        // A value added to an existing enum cannot be used before a commit, so an enum that gains values is
        // swapped for a fresh one with the declared values (only inside this rolled-back savepoint).
        for (number, name) in extended.sorted().enumerated() {
            guard let type = desired.enums.first(where: { $0.name == name }) else { continue }
            try run(
                "ALTER TYPE \(SQL.qualified(name)) RENAME TO \(SQL.identifier("reconcile_scratch_enum_\(number)"))",
                for: "enum \(name)")
            for statement in Change(.type(.createEnum(type))).statements { try run(statement, for: "enum \(name)") }
        }
        // As pg_dump does: a SQL function's body may read tables that are created after it.
        try connection.query(SQLRenderer.deferFunctionBodyChecks)
        if !copying.isEmpty { try canonicalizeRoutines(&routines, copying: copying) }
        // Declared routines that do not exist: a scratch trigger cannot call one (and a live trigger cannot
        // either, so the trigger is new or differs anyway).
        var missingRoutines = Set<RoutineKey>()
        if !desired.tables.isEmpty {
            // Checks, defaults and indexes of the scratch tables may call declared routines that do not exist
            // yet: those the tables name are created (rolled back with the rest). Only those: creating a routine
            // takes CREATE on its schema, which a read-only `--check` does not have.
            let liveKeys = Set(live.routines.map(\.key))
            let named = Self.words(in: desired.tables)
            for routine in routines where !liveKeys.contains(routine.key) {
                guard !routine.usesRowType(of: missingTables), named.contains(routine.name.name) else {
                    missingRoutines.insert(routine.key)
                    continue
                }
                try run(SQLRenderer.createRoutine(routine), for: "\(routine.kind.rawValue) \(routine.signature)")
            }
        }
        // In batches, each rolled back before the next: every scratch table holds a lock until its
        // (sub)transaction ends, and one transaction has room for only a few thousand.
        var canonical: [QualifiedName: Table] = [:]
        for start in stride(from: 0, to: desired.tables.count, by: Self.batchSize) {
            let batch = Array(desired.tables[start..<min(start + Self.batchSize, desired.tables.count)])
            try connection.query("SAVEPOINT reconcile_scratch_batch")
            for table in try canonicalizeBatch(batch, missingRoutines: missingRoutines, adoptingLive: adoptingLive) {
                canonical[table.name] = table
            }
            try connection.query("ROLLBACK TO SAVEPOINT reconcile_scratch_batch")
            try connection.query("RELEASE SAVEPOINT reconcile_scratch_batch")
        }
        var result = Schema(schemaNames: desired.schemaNames, tables: desired.tables.map { canonical[$0.name] ?? $0 })
        (result.domains, result.compositeTypes) = try canonicalTypes(types)
        return result
    }

    /// Scratch copies of the domains and composite types in this session's temporary schema, read back with
    /// the live types' query, under their declared names.
    private func canonicalTypes(_ types: Schema) throws -> ([Domain], [CompositeType]) {
        guard !types.domains.isEmpty || !types.compositeTypes.isEmpty else { return ([], []) }
        var declaredNames: [String: QualifiedName] = [:]
        for (number, domain) in types.domains.enumerated() {
            var scratch = domain
            scratch.name = QualifiedName(schema: "pg_temp", name: "reconcile_scratch_domain_\(number)")
            scratch.comment = nil
            declaredNames[scratch.name.name] = domain.name
            for statement in Change(.type(.createDomain(scratch))).statements {
                try run(statement, for: "domain \(domain.name)")
            }
        }
        for (number, type) in types.compositeTypes.enumerated() {
            var scratch = type
            scratch.name = QualifiedName(schema: "pg_temp", name: "reconcile_scratch_type_\(number)")
            scratch.comment = nil
            declaredNames[scratch.name.name] = type.name
            for statement in Change(.type(.createCompositeType(scratch))).statements {
                try run(statement, for: "type \(type.name)")
            }
        }
        let (domains, compositeTypes) = try Introspector(connection: connection).readTypes(
            .temporaryTables, names: Array(declaredNames.keys).sorted())
        let declaredDomains = Dictionary(types.domains.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let declaredTypes = Dictionary(types.compositeTypes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        return (
            domains.compactMap { scratch in
                guard let name = declaredNames[scratch.name.name], let declared = declaredDomains[name] else {
                    return nil
                }
                var canonical = scratch
                canonical.name = name
                canonical.comment = declared.comment
                canonical.usedBy = []
                // A scratch domain's checks are validated when made in CREATE DOMAIN: NOT VALID is the declaration's.
                canonical.checks = scratch.checks.map { check in
                    var check = check
                    check.notValid = declared.check(check.name)?.notValid ?? false
                    return check
                }
                // The declared order of checks, which the differ pairs with the declaration by position.
                canonical.checks.sort { first, second in
                    (declared.checks.firstIndex { $0.name == first.name } ?? 0)
                        < (declared.checks.firstIndex { $0.name == second.name } ?? 0)
                }
                return canonical
            },
            compositeTypes.compactMap { scratch in
                guard let name = declaredNames[scratch.name.name], let declared = declaredTypes[name] else {
                    return nil
                }
                var canonical = scratch
                canonical.name = name
                canonical.comment = declared.comment
                canonical.usedBy = []
                return canonical
            }
        )
    }

    /// The identifiers the tables' expressions could call a function by: words of checks, defaults, generated
    /// columns, index keys and predicates and exclusion constraints.
    static func words(in tables: [Table]) -> Set<String> {
        var texts: [String] = []
        for table in tables {
            texts += table.checks.map(\.expression) + table.exclusions.map(\.definition)
            for column in table.columns {
                if case .expression(let text)? = column.defaultValue { texts.append(text) }
                if let generated = column.generated { texts.append(generated.expression) }
            }
            for index in table.indexes {
                texts += index.keys.compactMap { key in
                    if case .expression(let text) = key { return text }
                    return nil
                }
                if let predicate = index.predicate { texts.append(predicate) }
            }
        }
        var words = Set<String>()
        for text in texts {
            var current = ""
            for character in text {
                if character.isLetter || character.isNumber || character == "_" || character == "$" {
                    current.append(character)
                } else if !current.isEmpty {
                    words.insert(current)
                    words.insert(current.lowercased())
                    current = ""
                }
            }
            if !current.isEmpty { words.insert(current); words.insert(current.lowercased()) }
        }
        return words
    }

    /// Each routine at `copying` is created as a temporary scratch copy (`pg_temp.reconcile_scratch_routine_N`)
    /// and read back with the live routines' query: its catalog texts are what the server makes of the
    /// declaration. Rolled back before the tables' copies, in one savepoint of its own.
    private func canonicalizeRoutines(_ routines: inout [Routine], copying: [Int]) throws {
        try connection.query("SAVEPOINT reconcile_scratch_routines")
        var names: [String] = []
        for index in copying {
            let routine = routines[index]
            let name = "reconcile_scratch_routine_\(names.count)"
            names.append(name)
            try run(
                SQLRenderer.createRoutine(routine, as: QualifiedName(schema: "pg_temp", name: name)),
                for: "\(routine.kind.rawValue) \(routine.signature)")
        }
        let read = try Introspector(connection: connection).readRoutines(scratch: true, names: names)
        let catalogs = Dictionary(read.map { ($0.proname, $0.routine.catalog) }, uniquingKeysWith: { a, _ in a })
        for (number, index) in copying.enumerated() {
            routines[index].catalog = catalogs["reconcile_scratch_routine_\(number)"] ?? nil
        }
        try connection.query("ROLLBACK TO SAVEPOINT reconcile_scratch_routines")
        try connection.query("RELEASE SAVEPOINT reconcile_scratch_routines")
    }

    static let batchSize = 500

    /// What `--export` writes: texts that read back as themselves. A check or index expression whose catalog
    /// text the server would spell differently once created again (see `adoptingEquivalentLiveSpellings`) is
    /// replaced by that second spelling, so the copy an export builds exports the same file. Only tables with
    /// checks or expression and partial indexes are sent to the server; a table the server cannot build as a
    /// scratch copy keeps its texts (they are still what the catalog says).
    func fixedPoints(of tables: [Table]) throws -> [Table] {
        let candidates = tables.filter { table in
            !table.checks.isEmpty
                || table.indexes.contains { index in
                    index.predicate != nil || index.keys.contains { if case .expression = $0 { true } else { false } }
                }
        }
        guard !candidates.isEmpty else { return tables }
        var spelled: [QualifiedName: Table] = [:]
        func spell(_ group: [Table]) throws -> Bool {
            try connection.query("SAVEPOINT reconcile_fixed_points")
            do {
                let schema = Schema(schemaNames: [], tables: group, enums: [], extensions: [], sequences: [])
                var noRoutines: [Routine] = []
                let fixed = try canonicalizeInSavepoint(
                    schema, types: Schema(), routines: &noRoutines, copying: [], missingTables: [], adoptingLive: false)
                for table in fixed.tables {
                    spelled[table.name] = table
                }
                try connection.query("ROLLBACK TO SAVEPOINT reconcile_fixed_points")
                try connection.query("RELEASE SAVEPOINT reconcile_fixed_points")
                return true
            } catch is Failure {
                try connection.query("ROLLBACK TO SAVEPOINT reconcile_fixed_points")
                try connection.query("RELEASE SAVEPOINT reconcile_fixed_points")
                return false
            }
        }
        if try !spell(candidates) {
            for table in candidates { _ = try spell([table]) }
        }
        let liveTables = live.tablesByName  // built once: it is a new dictionary on every access
        return tables.map { table in
            guard let canonical = spelled[table.name] else { return table }
            var result = table
            for (number, check) in table.checks.enumerated() {
                if let again = canonical.checks.first(where: { $0.name == check.name }),
                    again.expression != check.expression
                {
                    result.checks[number].expression = again.expression
                }
            }
            let liveIndexes = liveTables[table.name]?.indexes ?? []
            for (number, index) in table.indexes.enumerated() {
                guard let again = canonical.indexes.first(where: { $0.name == index.name })?.canonicalDefinition,
                    let liveTail = liveIndexes.first(where: { $0.name == index.name })?.canonicalDefinition,
                    again != liveTail, var parsed = CatalogText.index(again, columns: table.columns.map(\.name))
                else { continue }
                parsed.name = index.name
                parsed.isUnique = index.isUnique
                parsed.statistics = index.statistics
                result.indexes[number] = parsed
            }
            return result
        }
    }

    /// `missingRoutines`: functions that do not exist here; triggers calling them get no scratch copy.
    private func canonicalizeBatch(
        _ tables: [Table], missingRoutines: Set<RoutineKey>, adoptingLive: Bool
    ) throws -> [Table] {
        var scratchNames: [String] = []
        var indexNames: [String: String] = [:]  // scratch index name -> declared index name
        for (position, table) in tables.enumerated() {
            let scratch = "reconcile_scratch_\(position)"
            scratchNames.append(scratch)
            let scratchTable = QualifiedName(schema: "pg_temp", name: scratch)
            // Only what the server canonicalises: keys and foreign keys compare structurally.
            // Without sequence options: a named identity sequence cannot be temporary in another schema.
            // Exclusion constraints are renamed like indexes: each owns an index of its name, and every scratch
            // table lives in one schema, where two declared tables' constraints could share a name.
            let columns = table.columns.map { column -> Column in
                var column = column
                column.sequence = nil
                return column
            }
            var copy = Table(name: scratchTable, columns: columns, checks: table.checks)
            copy.exclusions = table.exclusions.enumerated().map { number, exclusion in
                var scratchExclusion = exclusion
                scratchExclusion.name = "\(scratch)_x\(number)"
                return scratchExclusion
            }
            copy.partitionBy = table.partitionBy
            try run(Change(.table(.createTable(copy, inlineForeignKeys: []))).statements[0], for: "table \(table.name)")
            // Policies, for the server's spelling of their expressions (and to report a bad one early).
            for policy in table.policies {
                try run(
                    Change(.policy(.createPolicy(scratchTable, policy))).statements[0],
                    for: "policy \(SQL.displayIdentifier(policy.name)) of \(table.name)")
            }
            // Partitions are spelled by the server too (`'2024-01-01'` of a timestamptz key gains a zone).
            for (number, partition) in table.partitions.enumerated() {
                let scratchPartition = Partition(
                    name: QualifiedName(schema: "pg_temp", name: "\(scratch)_p\(number)"),
                    bound: partition.bound)
                try run(
                    Change(.partition(.createPartition(parent: scratchTable, scratchPartition))).statements[0],
                    for: "partition \(partition.name) of \(table.name)")
            }
            // Triggers keep their names: trigger names are per table, and each scratch table is another table.
            // A trigger function takes no arguments.
            for trigger in table.triggers
            where !missingRoutines.contains(RoutineKey(name: trigger.function, identityTypes: "")) {
                try run(
                    SQLRenderer.createTrigger(trigger, on: scratchTable),
                    for: "trigger \(SQL.displayIdentifier(trigger.name)) of \(table.name)")
            }
            for (number, index) in table.indexes.enumerated() {
                var scratchIndex = index
                scratchIndex.name = "\(scratch)_\(number)"
                indexNames[scratchIndex.name] = index.name
                try run(
                    Change(.index(.createIndex(scratchTable, scratchIndex))).statements[0], for: "table \(table.name)")
            }
        }
        let read = try Introspector(connection: connection).readTables(.temporaryTables, names: scratchNames)
        let scratchByName = Dictionary(read.map { ($0.relname, $0.table) }, uniquingKeysWith: { a, _ in a })
        let canonical = tables.enumerated().map { position, table -> Table in
            guard let scratch = scratchByName["reconcile_scratch_\(position)"] else { return table }
            var canonical = table
            // A scratch copy's sequences and NOT NULL constraints have scratch names, and it has no statistics
            // targets, storage or compression: all are the declaration's.
            canonical.columns = scratch.columns.map { column in
                var column = column
                column.sequence = table.column(column.name)?.sequence
                column.statistics = table.column(column.name)?.statistics
                column.storage = table.column(column.name)?.storage
                column.compression = table.column(column.name)?.compression
                column.notNullName = table.column(column.name)?.notNullName
                return column
            }
            // A scratch copy's checks are always validated (they are made in CREATE TABLE): NOT VALID is
            // the declaration's.
            canonical.checks = scratch.checks.map { check in
                var check = check
                check.notValid = table.checks.first { $0.name == check.name }?.notValid ?? false
                return check
            }
            // Scratch exclusion constraints are named `<scratch>_x<position>`: back to the declared names, in order.
            canonical.exclusions = table.exclusions.enumerated().map { number, declared in
                let scratchName = "reconcile_scratch_\(position)_x\(number)"
                guard var exclusion = scratch.exclusions.first(where: { $0.name == scratchName }) else {
                    return declared
                }
                exclusion.name = declared.name
                return exclusion
            }
            canonical.partitionBy = scratch.partitionBy
            // Policies as the server spells them, in the declared order; comments are the declaration's.
            canonical.policies = table.policies.map { declared in
                guard var policy = scratch.policies.first(where: { $0.name == declared.name }) else { return declared }
                policy.comment = declared.comment
                return policy
            }
            // Scratch partitions are named `<scratch>_p<position>`: back to the declared names, in order.
            let scratchBounds = Dictionary(
                scratch.partitions.map { ($0.name.name, $0.bound) }, uniquingKeysWith: { a, _ in a })
            canonical.partitions = table.partitions.enumerated().map { number, partition in
                var spelled = partition
                spelled.bound = scratchBounds["reconcile_scratch_\(position)_p\(number)"] ?? partition.bound
                return spelled
            }
            // The server's text of each trigger; the declaration's fields and comment stay.
            canonical.triggers = table.triggers.map { declared in
                var trigger = declared
                trigger.definition = scratch.triggers.first { $0.name == declared.name }?.definition
                return trigger
            }
            canonical.indexes = scratch.indexes.map { index in
                var index = index
                index.name = indexNames[index.name] ?? index.name
                // Statistics targets are set after CREATE INDEX, which the scratch copy stops at.
                index.statistics = table.indexes.first { $0.name == index.name }?.statistics
                return index
            }
            return canonical
        }
        return adoptingLive ? try adoptingEquivalentLiveSpellings(canonical, declared: tables) : canonical
    }

    /// PostgreSQL's text for an expression does not always read back as itself: a check written
    /// `status IN ('a', 'b')` on a varchar column is stored as `(status)::text = ANY ((ARRAY['a'::character
    /// varying, ...])::text[])`, and that text, created again (by a restore, or from an export), is stored as
    /// `... ANY (ARRAY[('a'::character varying)::text, ...])`. Both mean the same, so a live check or index in
    /// one spelling and a declaration in the other must not be drift. When a canonical check or index differs
    /// from the live one of its name, both texts are created once more on the same scratch table: if the server
    /// spells the two alike (they reach the same fixed point), they are the same, and the live text is kept
    /// (nothing to change).
    private func adoptingEquivalentLiveSpellings(_ canonical: [Table], declared: [Table]) throws -> [Table] {
        let liveTables = live.tablesByName
        var result = canonical
        var probes: [(table: Int, check: Int?, index: Int?, liveText: String, probe: String, again: String)] = []
        for (position, table) in canonical.enumerated() {
            let declaredTable = declared[position]
            guard let liveTable = liveTables[table.name] ?? declaredTable.renamedFrom.flatMap({ liveTables[$0] })
            else { continue }
            let scratch = QualifiedName(schema: "pg_temp", name: "reconcile_scratch_\(position)")
            for (number, check) in table.checks.enumerated() {
                guard let liveCheck = liveTable.checks.first(where: { $0.name == check.name }),
                    liveCheck.expression != check.expression
                else { continue }
                let probe = "reconcile_live_\(probes.count)", again = "reconcile_again_\(probes.count)"
                func add(_ name: String, _ expression: String) -> String {
                    let clause = expression.hasPrefix("CHECK ") ? expression : "CHECK (\(expression))"
                    return
                        "ALTER TABLE \(SQL.qualified(scratch)) ADD CONSTRAINT \(SQL.identifier(name)) \(clause) NOT VALID"
                }
                if try probeSucceeds([add(probe, liveCheck.expression), add(again, check.expression)]) {
                    probes.append((position, number, nil, liveCheck.expression, probe, again))
                }
            }
            for (number, index) in table.indexes.enumerated() {
                guard let liveIndex = liveTable.indexes.first(where: { $0.name == index.name }),
                    liveIndex.isUnique == index.isUnique, let liveTail = liveIndex.canonicalDefinition,
                    liveTail != index.canonicalDefinition
                else { continue }
                let probe = "reconcile_live_\(probes.count)", again = "reconcile_again_\(probes.count)"
                func create(_ name: String, _ tail: String) -> String {
                    "CREATE \(index.isUnique ? "UNIQUE " : "")INDEX \(SQL.identifier(name)) ON \(SQL.qualified(scratch)) \(tail)"
                }
                guard let declaredTail = index.canonicalDefinition else { continue }
                if try probeSucceeds([create(probe, liveTail), create(again, declaredTail)]) {
                    probes.append((position, nil, number, liveTail, probe, again))
                }
            }
        }
        guard !probes.isEmpty else { return result }
        let names = Set(probes.map(\.table)).map { "reconcile_scratch_\($0)" }
        let read = try Introspector(connection: connection).readTables(.temporaryTables, names: names)
        let scratchByName = Dictionary(read.map { ($0.relname, $0.table) }, uniquingKeysWith: { a, _ in a })
        for probe in probes {
            guard let scratch = scratchByName["reconcile_scratch_\(probe.table)"] else { continue }
            if let check = probe.check {
                let spelling = { (name: String) in scratch.checks.first { $0.name == name }?.expression }
                if let live = spelling(probe.probe), live == spelling(probe.again) {
                    result[probe.table].checks[check].expression = probe.liveText
                }
            } else if let index = probe.index {
                let spelling = { (name: String) in scratch.indexes.first { $0.name == name }?.canonicalDefinition }
                if let live = spelling(probe.probe), live == spelling(probe.again) {
                    result[probe.table].indexes[index].canonicalDefinition = probe.liveText
                }
            }
        }
        return result
    }

    /// Runs probes in their own savepoint: a live text that does not fit the declared table (a column it
    /// names is gone) simply is not equivalent.
    private func probeSucceeds(_ statements: [String]) throws -> Bool {
        try connection.query("SAVEPOINT reconcile_probe")
        do {
            for statement in statements { try connection.query(statement) }
            try connection.query("RELEASE SAVEPOINT reconcile_probe")
            return true
        } catch is PostgresError {
            try connection.query("ROLLBACK TO SAVEPOINT reconcile_probe")
            try connection.query("RELEASE SAVEPOINT reconcile_probe")
            return false
        }
    }

    private func run(_ statement: String, for subject: String) throws {
        do {
            // One statement per call: an expression cannot smuggle in a second statement.
            try connection.query(statement)
        } catch let error as PostgresError {
            throw Failure(subject: subject, statement: statement, error: error)
        }
    }
}
