/// Writes a `Schema` as a version-1 schema file that `SchemaLoader` reads back to the same schema.
/// Output is deterministic (tables, enums and constraints in name order; columns in table order), so an
/// export of an unchanged database is byte-for-byte the same.
public enum SchemaWriter {
    public static func yaml(_ schema: Schema, header: String? = nil) -> String {
        var out = ""
        if let header {
            out +=
                header.split(separator: "\n", omittingEmptySubsequences: false).map { "# \($0)" }.joined(
                    separator: "\n") + "\n"
        }
        out += "version: 1\n"
        if !schema.extensions.isEmpty {
            // `name`, or `{ name: postgis, schema: postgis }` for one outside `public`.
            let items = schema.extensions.map { name in
                schema.extensionSchemas?[name].map {
                    "{ name: \(YAMLText.string(name)), schema: \(YAMLText.string($0)) }"
                } ?? YAMLText.string(name)
            }
            out += "extensions: [\(items.joined(separator: ", "))]\n"
        }
        let schemasWithoutTables = schema.schemaNames.filter { name in
            !schema.tables.contains { $0.name.schema == name } && !schema.declaresTypes(in: name)
                && !schema.routines.contains { $0.name.schema == name }
                && !schema.views.contains { $0.name.schema == name }
        }
        if !schemasWithoutTables.isEmpty { out += "schemas: \(YAMLText.list(schemasWithoutTables))\n" }
        if !schema.enums.isEmpty {
            out += "enums:\n"
            for type in schema.enums {
                out += "  \(YAMLText.string(name(type.name))): \(YAMLText.list(type.values))\n"
            }
        }
        out += domains(schema.domains) + compositeTypes(schema.compositeTypes)
        if !schema.sequences.isEmpty {
            out += "sequences:\n"
            for sequence in schema.sequences {
                var options = sequence.options
                options.name = nil
                let fields =
                    options.minimized(table: sequence.name, column: "", columnType: "bigint")
                    .map(sequenceFields) ?? []
                out += "  \(YAMLText.string(name(sequence.name))): { \(fields.joined(separator: ", ")) }\n"
            }
        }
        out += routines(schema.routines.filter { $0.kind == .function }, key: "functions")
        out += routines(schema.routines.filter { $0.kind == .procedure }, key: "procedures")
        out += schema.tables.isEmpty ? "tables: {}\n" : "tables:\n"
        for table in schema.tables { out += self.table(table) }
        let views = View.creationOrder(schema.views)
        out += self.views(views.filter { $0.kind == .view }, key: "views")
        out += self.views(views.filter { $0.kind == .materializedView }, key: "materialized_views")
        return out
    }

    /// `views:` or `materialized_views:`, after the tables, in the order given (the export's: each view after
    /// the views it reads, so a reader sees what a query names before the query); the query as a literal
    /// block where that reads back exactly.
    static func views(_ views: [View], key: String) -> String {
        guard !views.isEmpty else { return "" }
        var out = "\(key):\n"
        for view in views {
            out += "  \(YAMLText.string(name(view.name))):\n"
            var fields: [String] = []
            if !view.columns.isEmpty { fields.append("columns: \(YAMLText.list(view.columns))") }
            if let checkOption = view.checkOption { fields.append("check_option: \(checkOption.rawValue)") }
            if view.securityBarrier { fields.append("security_barrier: true") }
            if view.securityInvoker { fields.append("security_invoker: true") }
            if view.kind == .materializedView && !view.withData { fields.append("with_data: false") }
            if let comment = view.comment { fields.append("comment: \(YAMLText.quoted(comment))") }
            if !view.columnComments.isEmpty {
                let comments = view.columnComments.sorted { $0.key < $1.key }
                    .map { "\(YAMLText.string($0.key)): \(YAMLText.quoted($0.value))" }
                fields.append("column_comments: { \(comments.joined(separator: ", ")) }")
            }
            for field in fields { out += "    \(field)\n" }
            if !view.indexes.isEmpty {
                out += "    indexes:\n"
                for index in view.indexes.sorted(by: { $0.name < $1.name }) {
                    out += "      - { \(indexFields(index, tableName: view.name.name).joined(separator: ", ")) }\n"
                }
            }
            let query = View.trimmedQuery(view.query)
            out += "    sql: \(YAMLText.block(query, indentation: 4) ?? YAMLText.quoted(query))\n"
        }
        return out
    }

    /// `functions:` or `procedures:`: one mapping per routine, a list of them under a name with overloads.
    static func routines(_ routines: [Routine], key: String) -> String {
        guard !routines.isEmpty else { return "" }
        var out = "\(key):\n"
        let byName = Dictionary(grouping: routines, by: \.name)
        for routineName in byName.keys.sorted() {
            let overloads = byName[routineName]!.sorted { $0.key < $1.key }
            out += "  \(YAMLText.string(name(routineName))):\n"
            for routine in overloads {
                let fields = routineFields(routine, indentation: overloads.count > 1 ? 6 : 4)
                if overloads.count > 1 {
                    out += "    - " + fields.joined(separator: "\n      ") + "\n"
                } else {
                    out += "    " + fields.joined(separator: "\n    ") + "\n"
                }
            }
        }
        return out
    }

    /// A routine's keys, one per line, as the loader reads them: only what differs from CREATE FUNCTION's
    /// defaults, the body last (as a block where it has several lines).
    static func routineFields(_ routine: Routine, indentation: Int) -> [String] {
        var fields: [String] = []
        if !routine.arguments.isEmpty { fields.append("arguments: \(YAMLText.quoted(routine.arguments))") }
        if let returns = routine.returns { fields.append("returns: \(YAMLText.string(returns))") }
        fields.append("language: \(YAMLText.string(routine.language))")
        if routine.volatility != .volatile { fields.append("volatility: \(routine.volatility.rawValue)") }
        if routine.isStrict { fields.append("strict: true") }
        if routine.securityDefiner { fields.append("security_definer: true") }
        if routine.leakproof { fields.append("leakproof: true") }
        if routine.parallel != .unsafe { fields.append("parallel: \(routine.parallel.rawValue)") }
        if let cost = routine.cost { fields.append("cost: \(YAMLText.quoted(cost))") }
        if let rows = routine.rows { fields.append("rows: \(YAMLText.quoted(rows))") }
        if !routine.settings.isEmpty {
            let settings = routine.settings.map { "\($0.name): \(YAMLText.quoted($0.value))" }
            fields.append("set: { \(settings.joined(separator: ", ")) }")
        }
        if let comment = routine.comment { fields.append("comment: \(YAMLText.quoted(comment))") }
        let body = YAMLText.block(routine.body, indentation: indentation) ?? YAMLText.quoted(routine.body)
        fields.append("body: \(body)")
        return fields
    }

    static func table(_ table: Table) -> String {
        var out = "  \(YAMLText.string(name(table.name))):\n"
        if let comment = table.comment { out += "    comment: \(YAMLText.string(comment))\n" }
        if table.isUnlogged { out += "    unlogged: true\n" }
        if table.rowLevelSecurity != .disabled { out += "    row_level_security: \(table.rowLevelSecurity.rawValue)\n" }
        if let partitionBy = table.partitionBy { out += "    partition_by: \(YAMLText.quoted(partitionBy))\n" }
        if !table.partitions.isEmpty {
            out += "    partitions:\n"
            for partition in table.partitions {
                let partitionName = name(partition.name, defaultSchema: table.name.schema)
                // Only the names PARTITION OF would not give: the table's own for the column.
                let ownNames = partition.notNullNames.filter { column, name in
                    table.column(column).map { !$0.isNullable && $0.notNullName != name } ?? false
                }.sorted { $0.key < $1.key }
                guard !ownNames.isEmpty else {
                    out += "      \(YAMLText.string(partitionName)): \(YAMLText.quoted(partition.bound))\n"
                    continue
                }
                let names = ownNames.map { "\(YAMLText.string($0.key)): \(YAMLText.string($0.value))" }
                out +=
                    "      \(YAMLText.string(partitionName)): { bound: \(YAMLText.quoted(partition.bound)), "
                    + "not_null_names: { \(names.joined(separator: ", ")) } }\n"
            }
        }
        if !table.storageParameters.isEmpty {
            let parameters = table.storageParameters.map { "\($0.name): \(YAMLText.quoted($0.value))" }
            out += "    with: { \(parameters.joined(separator: ", ")) }\n"
        }
        out += table.columns.isEmpty ? "    columns: {}\n" : "    columns:\n"
        for column in table.columns {
            out +=
                "      \(YAMLText.string(column.name)): { \(columnFields(column, of: table.name, tableUnlogged: table.isUnlogged).joined(separator: ", ")) }\n"
        }
        let tableName = table.name.name
        if let key = table.primaryKey {
            out +=
                "    primary_key: "
                + namedColumns(
                    key.name, key.columns, options: keyIndexFields(key.index) + deferralFields(key.deferral),
                    defaultName: DefaultNames.primaryKey(table: tableName)) + "\n"
        }
        if !table.uniqueConstraints.isEmpty {
            out += "    unique:\n"
            for unique in table.uniqueConstraints.sorted(by: { $0.name < $1.name }) {
                let options =
                    (unique.nullsNotDistinct ? ["nulls_not_distinct: true"] : []) + keyIndexFields(unique.index)
                    + deferralFields(unique.deferral)
                out +=
                    "      - "
                    + namedColumns(
                        unique.name, unique.columns, options: options,
                        defaultName: DefaultNames.unique(table: tableName, columns: unique.columns)) + "\n"
            }
        }
        if !table.checks.isEmpty {
            out += "    checks:\n"
            for check in table.checks.sorted(by: { $0.name < $1.name }) {
                let options =
                    (check.notValid ? ["not_valid: true"] : []) + (check.noInherit ? ["no_inherit: true"] : [])
                let value = textOrMapping("expression", YAMLText.quoted(checkExpression(check.expression)), options)
                out += "      \(YAMLText.string(check.name)): \(value)\n"
            }
        }
        if !table.exclusions.isEmpty {
            out += "    exclusions:\n"
            for exclusion in table.exclusions.sorted(by: { $0.name < $1.name }) {
                // The server's own text, which it reads back to the same constraint.
                let value = textOrMapping(
                    "definition", YAMLText.quoted(exclusion.definition),
                    deferralFields(exclusion.deferral))
                out += "      \(YAMLText.string(exclusion.name)): \(value)\n"
            }
        }
        if !table.foreignKeys.isEmpty {
            out += "    foreign_keys:\n"
            for key in table.foreignKeys.sorted(by: { $0.name < $1.name }) {
                var fields: [String] = []
                if key.name != DefaultNames.foreignKey(table: tableName, columns: key.columns) {
                    fields.append("name: \(YAMLText.string(key.name))")
                }
                fields.append("columns: \(YAMLText.list(key.columns))")
                // References without a schema mean `public`, wherever the referencing table lives.
                let target =
                    name(key.referencedTable)
                    + "(" + key.referencedColumns.map(nameSyntax).joined(separator: ", ") + ")"
                fields.append("references: \(YAMLText.string(target))")
                if key.onDelete != .noAction { fields.append("on_delete: \(YAMLText.string(key.onDelete.rawValue))") }
                if key.onUpdate != .noAction { fields.append("on_update: \(YAMLText.string(key.onUpdate.rawValue))") }
                if key.matchFull { fields.append("match: full") }
                fields += deferralFields(key.deferral)
                if key.notValid { fields.append("not_valid: true") }
                out += "      - { \(fields.joined(separator: ", ")) }\n"
            }
        }
        if !table.indexes.isEmpty {
            out += "    indexes:\n"
            // A partitioned table's in the order they were made (as read): the names PostgreSQL gives their
            // copies on the partitions depend on it.
            let indexes = table.partitionBy == nil ? table.indexes.sorted(by: { $0.name < $1.name }) : table.indexes
            for index in indexes {
                let fields = indexFields(index, tableName: tableName)
                out += "      - { \(fields.joined(separator: ", ")) }\n"
            }
        }
        if !table.policies.isEmpty {
            out += "    policies:\n"
            for policy in table.policies.sorted(by: { $0.name < $1.name }) {
                out += "      \(YAMLText.string(policy.name)): { \(policyFields(policy).joined(separator: ", ")) }\n"
            }
        }
        if !table.triggers.isEmpty {
            out += "    triggers:\n"
            for trigger in table.triggers.sorted(by: { $0.name < $1.name }) {
                out += "      \(YAMLText.string(trigger.name)): { \(triggerFields(trigger).joined(separator: ", ")) }\n"
            }
        }
        if let seed = table.seed, !seed.rows.isEmpty {
            out += "    seed:\n"
            if seed.mode != .insertMissing { out += "      mode: \(seed.mode.rawValue)\n" }
            if seed.key != table.primaryKey?.columns { out += "      key: \(YAMLText.list(seed.key))\n" }
            out += "      rows:\n"
            for row in seed.rows {
                let values = row.values.map { "\(YAMLText.string($0.0)): \(YAMLText.literal($0.1))" }
                out += "        - { \(values.joined(separator: ", ")) }\n"
            }
        }
        return out
    }

    /// One index as the loader reads it (`IndexParser`), for a table's or a materialized view's `indexes:`.
    static func indexFields(_ index: Index, tableName: String) -> [String] {
        var fields: [String] = []
        if index.name != DefaultNames.index(table: tableName, keys: index.keys) {
            fields.append("name: \(YAMLText.string(index.name))")
        }
        let keys = index.keys.map { key -> String in
            switch key {
            case .column(let column): return YAMLText.string(column)
            case .expression(let expression): return "{ expression: \(YAMLText.quoted(expression)) }"
            }
        }
        fields.append("columns: [\(keys.joined(separator: ", "))]")
        if index.isUnique { fields.append("unique: true") }
        if index.method != "btree" { fields.append("using: \(YAMLText.string(index.method))") }
        if !index.include.isEmpty { fields.append("include: \(YAMLText.list(index.include))") }
        if index.nullsNotDistinct { fields.append("nulls_not_distinct: true") }
        if !index.storageParameters.isEmpty {
            let parameters = index.storageParameters.map { "\($0.name): \(YAMLText.quoted($0.value))" }
            fields.append("with: { \(parameters.joined(separator: ", ")) }")
        }
        if let predicate = index.predicate { fields.append("where: \(YAMLText.quoted(predicate))") }
        if let statistics = index.statistics, !statistics.isEmpty {
            let targets = statistics.map { "\($0.column): \($0.target)" }
            fields.append("statistics: { \(targets.joined(separator: ", ")) }")
        }
        return fields
    }

    /// `domains:`, one line per domain: `name: { type: text, nullable: false, checks: { ... } }`.
    static func domains(_ domains: [Domain]) -> String {
        guard !domains.isEmpty else { return "" }
        var out = "domains:\n"
        for domain in domains {
            var fields = ["type: \(YAMLText.string(domain.baseType))"]
            if let collation = domain.collation { fields.append("collation: \(YAMLText.string(collation))") }
            if !domain.isNullable { fields.append("nullable: false") }
            switch domain.defaultValue {
            case .literal(let literal)?: fields.append("default: \(YAMLText.literal(literal))")
            case .expression(let expression)?: fields.append("default_sql: \(YAMLText.quoted(expression))")
            case nil: break
            }
            if !domain.checks.isEmpty {
                let checks = domain.checks.sorted(by: { $0.name < $1.name }).map { check in
                    let options = check.notValid ? ["not_valid: true"] : []
                    let value = textOrMapping("expression", YAMLText.quoted(checkExpression(check.expression)), options)
                    return "\(YAMLText.string(check.name)): \(value)"
                }
                fields.append("checks: { \(checks.joined(separator: ", ")) }")
            }
            if let comment = domain.comment { fields.append("comment: \(YAMLText.quoted(comment))") }
            out += "  \(YAMLText.string(name(domain.name))): { \(fields.joined(separator: ", ")) }\n"
        }
        return out
    }

    /// `types:`, each composite type with its attributes in order.
    static func compositeTypes(_ types: [CompositeType]) -> String {
        guard !types.isEmpty else { return "" }
        var out = "types:\n"
        for type in types {
            out += "  \(YAMLText.string(name(type.name))):\n"
            if let comment = type.comment { out += "    comment: \(YAMLText.quoted(comment))\n" }
            out += type.attributes.isEmpty ? "    attributes: {}\n" : "    attributes:\n"
            for attribute in type.attributes {
                let type = YAMLText.string(attribute.type)
                let value =
                    attribute.collation.map { "{ type: \(type), collation: \(YAMLText.string($0)) }" } ?? type
                out += "      \(YAMLText.string(attribute.name)): \(value)\n"
            }
        }
        return out
    }

    /// A policy's keys, leaving out the defaults (FOR ALL, TO PUBLIC, PERMISSIVE).
    static func policyFields(_ policy: Policy) -> [String] {
        var fields: [String] = []
        if policy.command != .all { fields.append("command: \(policy.command.rawValue)") }
        if policy.roles != ["public"] { fields.append("roles: \(YAMLText.list(policy.roles))") }
        if policy.isRestrictive { fields.append("restrictive: true") }
        if let using = policy.using { fields.append("using: \(YAMLText.quoted(using))") }
        if let withCheck = policy.withCheck { fields.append("with_check: \(YAMLText.quoted(withCheck))") }
        if let comment = policy.comment { fields.append("comment: \(YAMLText.quoted(comment))") }
        return fields
    }

    static func columnFields(_ column: Column, of table: QualifiedName, tableUnlogged: Bool) -> [String] {
        var fields = ["type: \(YAMLText.string(column.isSerial ? SQLRenderer.serialType(column.type) : column.type))"]
        if let collation = column.collation { fields.append("collation: \(YAMLText.string(collation))") }
        if let identity = column.identity { fields.append("identity: \(identity.rawValue)") }
        if let sequence = column.sequence?.minimized(
            table: table, column: column.name, columnType: column.type,
            tableUnlogged: tableUnlogged)
        {
            fields.append("sequence: { \(sequenceFields(sequence).joined(separator: ", ")) }")
        }
        if let generated = column.generated {
            let options = generated.isStored ? [] : ["virtual: true"]
            fields.append("generated: " + textOrMapping("expression", YAMLText.quoted(generated.expression), options))
        }
        if !column.isNullable && column.identity == nil && !column.isSerial { fields.append("nullable: false") }
        if let name = column.notNullName, name != DefaultNames.notNull(table: table.name, column: column.name) {
            fields.append("not_null_name: \(YAMLText.string(name))")
        }
        switch column.defaultValue {
        case .literal(let literal)?: fields.append("default: \(YAMLText.literal(literal))")
        case .expression(let expression)?: fields.append("default_sql: \(YAMLText.quoted(expression))")
        case nil: break
        }
        if let statistics = column.statistics { fields.append("statistics: \(statistics)") }
        if let storage = column.storage { fields.append("storage: \(storage.rawValue)") }
        if let compression = column.compression { fields.append("compression: \(compression.rawValue)") }
        if let comment = column.comment { fields.append("comment: \(YAMLText.quoted(comment))") }
        return fields
    }

    /// A trigger's keys as the loader reads them; `update_of` stands for the update event.
    static func triggerFields(_ trigger: Trigger) -> [String] {
        var fields = ["timing: \(YAMLText.string(trigger.timing.rawValue))"]
        let events = trigger.events.filter { $0 != .update || trigger.updateColumns.isEmpty }.map(\.rawValue)
        if !events.isEmpty { fields.append("events: [\(events.joined(separator: ", "))]") }
        if !trigger.updateColumns.isEmpty { fields.append("update_of: \(YAMLText.list(trigger.updateColumns))") }
        if trigger.forEachRow { fields.append("for_each: row") }
        if let when = trigger.when { fields.append("when: \(YAMLText.quoted(when))") }
        fields.append("function: \(YAMLText.string(name(trigger.function)))")
        if !trigger.arguments.isEmpty {
            fields.append("arguments: [\(trigger.arguments.map(YAMLText.quoted).joined(separator: ", "))]")
        }
        if let comment = trigger.comment { fields.append("comment: \(YAMLText.quoted(comment))") }
        return fields
    }

    /// `text` alone when there are no options, else `{ key: text, options... }`: the two forms the loader
    /// reads for checks, exclusion constraints and generated columns.
    static func textOrMapping(_ key: String, _ text: String, _ options: [String]) -> String {
        options.isEmpty ? text : "{ " + (["\(key): \(text)"] + options).joined(separator: ", ") + " }"
    }

    /// The set options of a sequence, as the loader reads them (`name: x, start: 1000, ...`).
    static func sequenceFields(_ sequence: SequenceOptions) -> [String] {
        var fields: [String] = []
        if let name = sequence.name { fields.append("name: \(YAMLText.string(name))") }
        if let type = sequence.type { fields.append("type: \(type)") }
        if let start = sequence.start { fields.append("start: \(start)") }
        if let increment = sequence.increment { fields.append("increment: \(increment)") }
        if let minValue = sequence.minValue { fields.append("min_value: \(minValue)") }
        if let maxValue = sequence.maxValue { fields.append("max_value: \(maxValue)") }
        if let cache = sequence.cache { fields.append("cache: \(cache)") }
        if sequence.cycle { fields.append("cycle: true") }
        if let unlogged = sequence.unlogged { fields.append("unlogged: \(unlogged)") }
        return fields
    }

    /// `[a, b]` when the name is the one PostgreSQL would choose and there are no options,
    /// `{ name: ..., columns: [...], options... }` otherwise.
    static func namedColumns(_ name: String, _ columns: [String], options: [String], defaultName: String) -> String {
        if name == defaultName, options.isEmpty { return YAMLText.list(columns) }
        let fields =
            (name == defaultName ? [] : ["name: \(YAMLText.string(name))"])
            + ["columns: \(YAMLText.list(columns))"] + options
        return "{ " + fields.joined(separator: ", ") + " }"
    }

    /// A key's `include` and `with`, written as an index's are.
    static func keyIndexFields(_ options: KeyIndexOptions?) -> [String] {
        guard let options else { return [] }
        var fields: [String] = []
        if !options.include.isEmpty { fields.append("include: \(YAMLText.list(options.include))") }
        if !options.storageParameters.isEmpty {
            let parameters = options.storageParameters.map { "\($0.name): \(YAMLText.quoted($0.value))" }
            fields.append("with: { \(parameters.joined(separator: ", ")) }")
        }
        return fields
    }

    static func deferralFields(_ deferral: Deferral) -> [String] {
        switch deferral {
        case .notDeferrable: return []
        case .deferrable: return ["deferrable: true"]
        case .initiallyDeferred: return ["initially_deferred: true"]
        }
    }

    /// `CHECK ((a > 0))` as the server prints it → `(a > 0)`, which the loader wraps in CHECK again.
    static func checkExpression(_ definition: String) -> String {
        guard definition.hasPrefix("CHECK ") else { return definition }
        var body = Substring(definition.dropFirst(6))
        if body.hasSuffix(" NOT VALID") { body = body.dropLast(10) }
        // The server wraps the expression in one pair of parentheses of its own.
        if let (inside, rest) = SQLScanning.parenthesized(body), rest.isEmpty { return String(inside) }
        return String(body)
    }

    /// A table name as the loader parses it: bare in `public`, `schema.table` elsewhere.
    static func name(_ name: QualifiedName, defaultSchema: String = "public") -> String {
        name.schema == defaultSchema ? nameSyntax(name.name) : nameSyntax(name.schema) + "." + nameSyntax(name.name)
    }

    /// One identifier in the loader's name syntax: double-quoted (SQL style) when it holds a character that
    /// syntax gives a meaning to.
    static func nameSyntax(_ identifier: String) -> String {
        identifier.contains(where: { ".,()\" ".contains($0) }) ? SQL.identifier(identifier) : identifier
    }
}
