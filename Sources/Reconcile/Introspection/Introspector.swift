import Foundation
import PostgresClient
import ReconcileCore

/// Reads tables, columns, constraints and indexes into model values with a fixed number of set-based
/// queries, whatever the number of tables.
struct Introspector {
    let connection: Connection
    /// Reads the heaviest queries of the managed schemas (constraints, indexes) in the same snapshot on a
    /// second connection while this one reads the rest; nil reads everything here.
    var partner: SnapshotPartner? = nil

    /// The live state of the given schemas; nil reads every user schema (before the schema file is known).
    func liveSchema(schemas: [String]?) throws -> Schema {
        let parameter = schemas.map(TextArray.literal)
        let existing = try connection.query(CatalogQueries.schemas, [parameter]).rows.compactMap { $0[0] }
        let extensionRows = try connection.query(CatalogQueries.extensions).rows
        let extensions = extensionRows.compactMap { $0[0] }
        let enums = try connection.query(CatalogQueries.enums, [parameter]).namedRows.map { row in
            EnumType(
                name: QualifiedName(schema: row["nspname"] ?? "", name: row["typname"] ?? ""),
                values: (try? Self.decodeNames(row["labels"])) ?? [])
        }
        var sequences: [StandaloneSequence] = []
        var owned: [String: SequenceOptions] = [:]  // "table oid:column number" -> its sequence
        for row in try connection.query(CatalogQueries.sequences, [parameter]).namedRows {
            var options = SequenceOptions(
                name: row["relname"], type: row["type"], start: row["seqstart"].flatMap { Int64($0) },
                increment: row["seqincrement"].flatMap { Int64($0) }, minValue: row["seqmin"].flatMap { Int64($0) },
                maxValue: row["seqmax"].flatMap { Int64($0) }, cache: row["seqcache"].flatMap { Int64($0) },
                cycle: row.bool("seqcycle"))
            // Sequences are always logged before PostgreSQL 15, whatever their table: nothing to compare there.
            options.unlogged = connection.serverVersion >= 150_000 ? row.bool("unlogged") : nil
            if let oid = row["owner_oid"], let attnum = row["owner_attnum"] {
                owned["\(oid):\(attnum)"] = owned["\(oid):\(attnum)"] ?? options
            } else {
                var standalone = options
                standalone.name = nil
                sequences.append(
                    StandaloneSequence(
                        name: QualifiedName(schema: row["nspname"] ?? "", name: row["relname"] ?? ""),
                        options: standalone))
            }
        }
        let tables = try readTables(.schemas, names: schemas, ownedSequences: owned)
        let (domains, compositeTypes) = try readTypes(.schemas, names: schemas)
        let routines = try readRoutines(scratch: false, names: schemas).map(\.routine)
        let views = try readViews(scratch: false, names: schemas)
        var live = Schema(
            schemaNames: existing, tables: tables.map(\.table), enums: enums, extensions: extensions,
            sequences: sequences, domains: domains, compositeTypes: compositeTypes, routines: routines,
            views: views.managed.map(\.view))
        live.dependentViews = views.dependent
        // pg_catalog is where plpgsql and other built-in languages live; public is CREATE EXTENSION's default.
        let placed = extensionRows.compactMap { row -> (String, String)? in
            guard let name = row[0], let schema = row[1], !["public", "pg_catalog"].contains(schema) else { return nil }
            return (name, schema)
        }
        if !placed.isEmpty { live.extensionSchemas = Dictionary(placed, uniquingKeysWith: { a, _ in a }) }
        return live
    }

    /// Tables in a scope, each with its oid's name as read (used to map scratch copies back).
    /// `ownedSequences`: the options of serial and identity sequences by "table oid:column number".
    func readTables(
        _ scope: CatalogQueries.Scope, names: [String]?,
        ownedSequences: [String: SequenceOptions] = [:]
    ) throws -> [(relname: String, table: Table)] {
        let parameter = [names.map(TextArray.literal)]
        let version = connection.serverVersion
        // Deparsing checks and indexes opens every table and index: the partner does it meanwhile.
        let offloaded: [(sql: String, parameters: [String?])] = [
            (CatalogQueries.constraints(scope, serverVersion: version), parameter),
            (CatalogQueries.indexes(scope), parameter),
        ]
        let partnerRead = partner.map { partner in BackgroundLoad { try partner.read(offloaded) } }
        do {
            return try readTables(scope, parameter: parameter, ownedSequences: ownedSequences) {
                guard let partnerRead, let results = try partnerRead.wait() else {
                    return try offloaded.map { try connection.query($0.sql, $0.parameters) }
                }
                return results
            }
        } catch {
            // Not left running into the next statement, nor outliving this read.
            partner?.cancel()
            _ = try? partnerRead?.wait()
            throw error
        }
    }

    /// `readOffloaded`: the results of the constraints and indexes queries, in that order.
    private func readTables(
        _ scope: CatalogQueries.Scope, parameter: [String?], ownedSequences: [String: SequenceOptions],
        readOffloaded: () throws -> [QueryResult]
    ) throws -> [(relname: String, table: Table)] {
        let tableRows = try connection.query(
            CatalogQueries.tables(scope, serverVersion: connection.serverVersion), parameter)
        var tables: [String: Table] = [:]  // by oid
        var order: [(String, String)] = []  // (oid, relname)
        for row in tableRows.namedRows {
            guard let oid = row["oid"], let schema = row["nspname"], let name = row["relname"] else { continue }
            var table = Table(name: QualifiedName(schema: schema, name: name), comment: row["comment"])
            table.estimatedRows = row["estimated_rows"].flatMap { Int($0) }
            table.isUnlogged = row.bool("unlogged")
            table.storageParameters =
                try Self.storageParameters(row["options"], prefix: "")
                + Self.storageParameters(row["toast_options"], prefix: "toast.")
            table.partitionBy = row["partition_by"]
            if let json = row["partitions"] {
                table.partitions = try JSONDecoder().decode([[String]].self, from: Data(json.utf8)).map { item in
                    var partition = Partition(name: QualifiedName(schema: item[0], name: item[1]), bound: item[2])
                    for pair in stride(from: 3, to: item.count - 1, by: 2) {
                        partition.notNullNames[item[pair]] = item[pair + 1]
                    }
                    return partition
                }
            }
            tables[oid] = table
            order.append((oid, name))
        }

        let columns = try connection.query(
            CatalogQueries.columns(scope, serverVersion: connection.serverVersion), parameter)
        var columnNames: [String: [Int: String]] = [:]  // by table oid, then column number
        for row in columns.namedRows {
            guard let oid = row["table_oid"], tables[oid] != nil else { continue }
            var column = Self.column(row)
            if let attnum = row["attnum"] {
                if column.identity != nil || column.isSerial {
                    column.sequence = ownedSequences["\(oid):\(attnum)"]
                }
                if let number = Int(attnum) { columnNames[oid, default: [:]][number] = column.name }
            }
            tables[oid]!.columns.append(column)
        }

        let offloaded = try readOffloaded()
        for row in offloaded[0].namedRows {
            guard let oid = row["table_oid"], tables[oid] != nil else { continue }
            try Self.addConstraint(row, columnNames: columnNames[oid] ?? [:], to: &tables[oid]!)
        }

        for row in offloaded[1].namedRows {
            guard let oid = row["table_oid"], tables[oid] != nil else { continue }
            tables[oid]!.indexes.append(try Self.index(row))
        }

        for row in try connection.query(CatalogQueries.rowSecurity(scope), parameter).namedRows {
            guard let oid = row["table_oid"], tables[oid] != nil else { continue }
            try Self.addRowSecurity(row, to: &tables[oid]!)
        }
        let triggers = try connection.query(CatalogQueries.triggers(scope), parameter)
        for row in triggers.namedRows {
            guard let oid = row["table_oid"], tables[oid] != nil else { continue }
            tables[oid]!.triggers.append(try Self.trigger(row))
        }
        return order.map { ($0.1, tables[$0.0]!) }
    }

    /// Functions and procedures in the schemas named (or, `scratch`, this session's temporary routines of those
    /// names), each with the name it was read under (scratch copies are mapped back by it).
    func readRoutines(scratch: Bool, names: [String]?) throws -> [(proname: String, routine: Routine)] {
        let rows = try connection.query(
            CatalogQueries.routines(scratch: scratch, serverVersion: connection.serverVersion),
            [names.map(TextArray.literal)])
        return try rows.namedRows.map { row in (row["proname"] ?? "", try Self.routine(row)) }
    }

    static func routine(_ row: QueryResult.Row) throws -> Routine {
        let kind: Routine.Kind = row["prokind"] == "p" ? .procedure : .function
        let language = row["language"] ?? "sql"
        // pg_get_functiondef's first line names the routine (`CREATE OR REPLACE FUNCTION s.f(args)`); the rest
        // is compared, so a scratch copy in another schema under another name compares equal.
        let definition = row["definition"] ?? ""
        let tail = definition.firstIndex(of: "\n").map { String(definition[definition.index(after: $0)...]) } ?? ""
        var exportProblem: String?
        if row.bool("has_object_file") {
            exportProblem = "is written in \(language) with an object file, which the schema file cannot declare"
        } else if row.bool("sql_standard_body") {
            exportProblem = "has a SQL-standard body (BEGIN ATOMIC or RETURN), which the schema file cannot declare yet"
        }
        let settings = try decodeNames(row["settings"]).map { setting in
            let parts = setting.split(separator: "=", maxSplits: 1).map(String.init)
            return StorageParameter(name: parts[0], value: parts.count > 1 ? parts[1] : "")
        }
        // COST and ROWS only where they differ from CREATE FUNCTION's defaults.
        let defaultCost = ["c", "internal"].contains(language) ? 1.0 : 100.0
        let cost = row["cost"].flatMap { Double($0) == defaultCost ? nil : $0 }
        let rows = row.bool("proretset") ? row["rows"].flatMap { Double($0) == 1000 ? nil : $0 } : nil
        let volatility: Routine.Volatility =
            switch row["provolatile"] {
            case "i": .immutable
            case "s": .stable
            default: .volatile
            }
        let parallel: Routine.Parallel =
            switch row["proparallel"] {
            case "s": .safe
            case "r": .restricted
            default: .unsafe
            }
        let arguments = row["arguments"] ?? ""
        let result = kind == .function ? row["result"] : nil
        var routine = Routine(
            kind: kind, name: QualifiedName(schema: row["nspname"] ?? "", name: row["proname"] ?? ""),
            arguments: arguments, returns: result, language: language, volatility: volatility,
            isStrict: row.bool("proisstrict"), securityDefiner: row.bool("prosecdef"),
            leakproof: row.bool("proleakproof"), parallel: parallel, cost: cost, rows: rows, settings: settings,
            body: row["body"] ?? "", comment: row["comment"],
            catalog: Routine.Catalog(
                identityArguments: row["identity_arguments"] ?? "", identityTypes: row["identity_types"] ?? "",
                arguments: arguments, result: result,
                definition: tail, exportProblem: exportProblem, dependents: try decodeNames(row["dependents"])))
        let grants = try JSONDecoder().decode([ExecuteGrantRow].self, from: Data((row["execute_grants"] ?? "[]").utf8))
        routine.kept = Routine.Kept(
            grants: grants.map { Routine.Kept.Grant(role: $0.role, withGrantOption: $0.grantable) },
            revokedFromPublic: row.bool("revoked_from_public"), owner: row["other_owner"])
        return routine
    }

    /// `[role or null, grantable]` of the routines query.
    private struct ExecuteGrantRow: Decodable {
        var role: String?
        var grantable: Bool
        init(from decoder: Decoder) throws {
            var container = try decoder.unkeyedContainer()
            role = try container.decodeIfPresent(String.self)
            grantable = try container.decode(Bool.self)
        }
    }

    static func column(_ row: QueryResult.Row) -> Column {
        let identity: IdentityKind? =
            switch row["identity"] {
            case "a": .always
            case "d": .byDefault
            default: nil
            }
        let defaultExpression = row["default_expression"]
        let isSerial = row.bool("owns_sequence") && (defaultExpression?.hasPrefix("nextval(") ?? false)
        var column = Column(
            name: row["name"] ?? "", type: row["type"] ?? "", isNullable: !row.bool("not_null"),
            defaultValue: nil, identity: identity, isSerial: isSerial, comment: row["comment"])
        column.collation = row["collation"]
        column.statistics = row["statistics"].flatMap { Int($0) }
        column.storage = row["storage"].flatMap(ColumnStorage.init(catalogCode:))
        column.compression = row["compression"].flatMap(ColumnCompression.init(catalogCode:))
        column.notNullName = row["not_null_name"]
        // For a generated column, pg_attrdef holds the generation expression, not a default.
        switch row["generated"] {
        case "s": column.generated = defaultExpression.map { GeneratedColumn(expression: $0, isStored: true) }
        case "v": column.generated = defaultExpression.map { GeneratedColumn(expression: $0, isStored: false) }
        default:
            // A `DEFAULT NULL` is kept, so an export reproduces it; the differ compares it as no default.
            if identity == nil, !isSerial, let defaultExpression {
                column.defaultValue = .expression(defaultExpression)
            }
        }
        return column
    }

    /// `columnNames`: the table's columns by number, which the constraint's key (`{2,1}`) refers to.
    static func addConstraint(_ row: QueryResult.Row, columnNames: [Int: String], to table: inout Table) throws {
        let name = row["name"] ?? ""
        // An expression element of an exclusion constraint is column number 0: it has no name, and the
        // constraint is compared by its definition.
        let columns = (row["column_numbers"] ?? "{}").split(whereSeparator: { "{},".contains($0) }).compactMap {
            Int($0).flatMap { columnNames[$0] }
        }
        let deferral: Deferral =
            !row.bool("deferrable")
            ? .notDeferrable
            : row.bool("deferred") ? .initiallyDeferred : .deferrable
        let notValid = !row.bool("validated")
        if let options = row["key_index_options"] {
            let kind = row["kind"] == "p" ? "primary key" : "unique constraint"
            table.notComparable.append("\(kind) \(SQL.displayIdentifier(name)) is \(options)")
        }
        let keyIndex = KeyIndexOptions(
            include: try decodeNames(row["key_include"]),
            storageParameters: try storageParameters(row["key_storage_parameters"]))
        switch row["kind"] {
        case "p":
            table.primaryKey = PrimaryKey(name: name, columns: columns, deferral: deferral, index: keyIndex)
        case "u":
            let nullsNotDistinct = row.bool("nulls_not_distinct")
            table.uniqueConstraints.append(
                UniqueConstraint(
                    name: name, columns: columns, deferral: deferral,
                    nullsNotDistinct: nullsNotDistinct, index: keyIndex))
        case "c":
            // pg_get_constraintdef appends the flags: `CHECK (...) NO INHERIT NOT VALID`.
            var expression = Substring(row["definition"] ?? "")
            let noInherit = row.bool("no_inherit")
            if notValid, expression.hasSuffix(" NOT VALID") { expression = expression.dropLast(" NOT VALID".count) }
            if noInherit, expression.hasSuffix(" NO INHERIT") { expression = expression.dropLast(" NO INHERIT".count) }
            table.checks.append(
                CheckConstraint(
                    name: name, expression: String(expression), noInherit: noInherit,
                    notValid: notValid))
        case "x":
            // pg_get_constraintdef: `EXCLUDE USING gist (...) [INCLUDE ...] [WITH ...] [WHERE (...)]`, then the
            // deferral, which the model keeps apart (as it is declared).
            var definition = Substring(row["definition"] ?? "")
            if definition.hasPrefix("EXCLUDE ") { definition = definition.dropFirst("EXCLUDE ".count) }
            if deferral != .notDeferrable, definition.hasSuffix(deferral.sql) {
                definition = definition.dropLast(deferral.sql.count)
            }
            table.exclusions.append(ExclusionConstraint(name: name, definition: String(definition), deferral: deferral))
        case "f":
            table.foreignKeys.append(
                ForeignKey(
                    name: name, columns: columns,
                    referencedTable: QualifiedName(
                        schema: row["referenced_schema"] ?? "", name: row["referenced_table"] ?? ""),
                    referencedColumns: try decodeNames(row["referenced_columns"]),
                    onDelete: referentialAction(row["on_delete"]), onUpdate: referentialAction(row["on_update"]),
                    matchFull: row["match_type"] == "f", deferral: deferral, notValid: notValid))
        default:
            break
        }
    }

    static func trigger(_ row: QueryResult.Row) throws -> Trigger {
        // tgtype bits: 1 row, 2 before, 4 insert, 8 delete, 16 update, 32 truncate, 64 instead of.
        let type = Int(row["type"] ?? "") ?? 0
        let timing: Trigger.Timing = type & 2 != 0 ? .before : type & 64 != 0 ? .insteadOf : .after
        var events: [Trigger.Event] = []
        if type & 4 != 0 { events.append(.insert) }
        if type & 16 != 0 { events.append(.update) }
        if type & 8 != 0 { events.append(.delete) }
        if type & 32 != 0 { events.append(.truncate) }
        let definition = row["definition"] ?? ""
        let when = CatalogText.triggerCondition(definition)
        // tgargs: each argument's bytes followed by a NUL, in hex.
        var arguments: [String] = []
        var bytes: [UInt8] = []
        let hex = Array((row["arguments"] ?? "").utf8)
        var index = 0
        while index + 1 < hex.count {
            let byte = UInt8(String(decoding: hex[index..<index + 2], as: UTF8.self), radix: 16) ?? 0
            index += 2
            if byte == 0 {
                arguments.append(String(decoding: bytes, as: UTF8.self))
                bytes = []
            } else {
                bytes.append(byte)
            }
        }
        var exportProblem: String?
        if row.bool("is_constraint") {
            exportProblem = "is a constraint trigger, which the schema file cannot declare yet"
        } else if row.bool("has_transition_tables") {
            exportProblem = "uses transition tables (REFERENCING), which the schema file cannot declare yet"
        } else if row.bool("not_enabled") {
            exportProblem = "is disabled or set to fire on replica only, which the schema file cannot declare yet"
        }
        return Trigger(
            name: row["name"] ?? "", timing: timing, events: events,
            updateColumns: try decodeNames(row["update_columns"]), forEachRow: type & 1 != 0, when: when,
            function: QualifiedName(schema: row["function_schema"] ?? "", name: row["function_name"] ?? ""),
            arguments: arguments, comment: row["comment"], definition: definition, exportProblem: exportProblem)
    }

    static func index(_ row: QueryResult.Row) throws -> Index {
        let method = row["method"] ?? "btree"
        let definition = row["definition"] ?? ""
        // pg_get_indexdef: CREATE [UNIQUE] INDEX name ON table USING method (...) [WHERE ...]. Keep what
        // follows the table, which does not depend on the table's or the index's name.
        let marker = " USING \(method) ("
        let tail =
            definition.firstRange(of: marker).map { "USING \(method) (" + definition[$0.upperBound...] } ?? definition
        var index = Index(
            name: row["name"] ?? "", keys: [], isUnique: row.bool("is_unique"), method: method,
            canonicalDefinition: tail)
        if !row.bool("is_valid") { index.isInvalid = true }
        if let json = row["statistics"] {
            index.statistics = try JSONDecoder().decode([[Int]].self, from: Data(json.utf8)).map {
                IndexColumnStatistics(column: $0[0], target: $0[1])
            }
        }
        return index
    }

    static func referentialAction(_ code: String?) -> ReferentialAction {
        switch code {
        case "r": return .restrict
        case "c": return .cascade
        case "n": return .setNull
        case "d": return .setDefault
        default: return .noAction
        }
    }

    /// reloptions, a JSON array of `name=value` texts.
    static func storageParameters(_ json: String?, prefix: String = "") throws -> [StorageParameter] {
        try decodeNames(json).map { option in
            let parts = option.split(separator: "=", maxSplits: 1).map(String.init)
            return StorageParameter(name: prefix + parts[0], value: parts.count > 1 ? parts[1] : "")
        }
    }

    static func decodeNames(_ json: String?) throws -> [String] {
        guard let json else { return [] }
        return try JSONDecoder().decode([String].self, from: Data(json.utf8))
    }
}
