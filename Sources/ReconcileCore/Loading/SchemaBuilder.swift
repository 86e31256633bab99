import Yams

/// Turns the YAML node tree into model values, then validates cross-references. All problems are
/// collected in `reader.diagnostics` with their line and column.
final class SchemaBuilder {
    let reader: YAMLReader
    private let defaultSchema = "public"
    /// Where each object was declared, for cross-reference errors found after parsing.
    private var tableMarks: [QualifiedName: Mark] = [:]
    private var foreignKeyMarks: [QualifiedName: [String: Mark]] = [:]
    private var seedMarks: [QualifiedName: (seed: Mark?, rows: [Mark?])] = [:]
    private var explicitlyNullable: [QualifiedName: [String: Mark]] = [:]
    private var columnMarks: [QualifiedName: Mark] = [:]
    private var renameMarks: [QualifiedName: Mark] = [:]
    private var partitionMarks: [QualifiedName: Mark] = [:]
    private var exclusionMarks: [QualifiedName: [String: Mark]] = [:]

    static let documentKeys = ["version", "schemas", "extensions", "enums", "sequences", "tables"]
    static let tableKeys = ["columns", "primary_key", "unique", "checks", "exclusions", "foreign_keys", "indexes",
                            "seed", "unlogged", "with",
                            "partition_by", "partitions",
                            "comment", "renamed_from"]
    static let columnKeys = ["type", "nullable", "default", "default_sql", "identity", "primary_key", "unique",
                             "references", "on_delete", "on_update", "check", "comment", "renamed_from", "backfill",
                             "generated", "sequence", "collation", "statistics", "not_null_name"]
    static let generatedKeys = ["expression", "virtual"]
    static let extensionKeys = ["name", "schema"]
    static let sequenceKeys = ["name", "type", "start", "increment", "min_value", "max_value", "cache", "cycle",
                               "unlogged"]
    static let deferralKeys = ["deferrable", "initially_deferred"]
    static let foreignKeyKeys = ["name", "columns", "references", "on_delete", "on_update", "match", "not_valid"]
        + deferralKeys
    static let indexKeys = ["name", "columns", "unique", "where", "using", "include", "nulls_not_distinct", "with",
                            "statistics"]
    static let primaryKeyKeys = ["name", "columns"] + deferralKeys
    static let uniqueKeys = ["name", "columns", "nulls_not_distinct"] + deferralKeys
    static let checkKeys = ["expression", "not_valid", "no_inherit"]
    static let exclusionKeys = ["definition"] + deferralKeys
    static let seedKeys = ["mode", "key", "rows"]
    static let serialTypes = ["smallserial": "smallint", "serial": "integer", "bigserial": "bigint",
                              "serial2": "smallint", "serial4": "integer", "serial8": "bigint"]

    init(reader: YAMLReader) { self.reader = reader }

    func build(_ root: Node) -> Schema {
        guard let document = reader.mapping(root, "the schema file") else { return Schema() }
        var version: Int?
        var extraSchemas: [String] = []
        var tables: [Table] = []
        var enums: [EnumType] = []
        var extensions: [String] = []
        var extensionSchemas: [String: String] = [:]
        var sequences: [StandaloneSequence] = []
        for (key, _, value) in reader.entries(document, allowed: Self.documentKeys, "the schema file") {
            switch key {
            case "version":
                guard let text = reader.string(value, "version") else { continue }
                guard let number = Int(text), number == SchemaLoader.formatVersion else {
                    reader.error("unsupported version '\(text)'; this reconcile reads version \(SchemaLoader.formatVersion)", at: value)
                    version = -1
                    continue
                }
                version = number
            case "schemas":
                extraSchemas = reader.stringList(value, "schemas") ?? []
                for name in extraSchemas { checkIdentifierLength(name, "schema", at: value) }
            case "extensions":
                (extensions, extensionSchemas) = parseExtensions(value)
            case "enums":
                enums = parseEnums(value)
            case "sequences":
                sequences = parseSequences(value)
            case "tables":
                guard let mapping = reader.mapping(value, "tables") else { continue }
                for (keyNode, tableNode) in mapping {
                    if let table = parseTable(keyNode, tableNode) { tables.append(table) }
                }
            default: break
            }
        }
        if version == nil { reader.error("missing 'version: \(SchemaLoader.formatVersion)' at the top of the file", at: root) }
        tables = resolvingImplicitColumns(tables)
        validate(tables)
        validateRenames(tables)
        var schema = Schema(schemaNames: extraSchemas, tables: tables, enums: enums, extensions: extensions,
                            sequences: sequences)
        if !extensionSchemas.isEmpty { schema.extensionSchemas = extensionSchemas }
        return schema
    }

    // MARK: - Enum types

    private func parseEnums(_ node: Node) -> [EnumType] {
        guard let mapping = reader.mapping(node, "enums") else { return [] }
        var enums: [EnumType] = []
        for (keyNode, valuesNode) in mapping {
            guard let text = reader.string(keyNode, "an enum type name") else { continue }
            guard let name = try? NameSyntax.qualifiedName(text, defaultSchema: defaultSchema) else {
                reader.error("enum type name '\(text)' is not a valid [schema.]name", at: keyNode)
                continue
            }
            checkIdentifierLength(name.name, "enum type", at: keyNode)
            guard let values = reader.stringList(valuesNode, "values of enum \(name)") else { continue }
            if Set(values).count != values.count { reader.error("enum \(name) lists a value twice", at: valuesNode) }
            enums.append(EnumType(name: name, values: values))
        }
        return enums
    }

    // MARK: - Tables

    private func parseTable(_ keyNode: Node, _ node: Node) -> Table? {
        guard let keyText = reader.string(keyNode, "a table name") else { return nil }
        let name: QualifiedName
        do {
            name = try NameSyntax.qualifiedName(keyText, defaultSchema: defaultSchema)
        } catch let failure as NameSyntax.Failure {
            reader.error("table name: \(failure.message)", at: keyNode)
            return nil
        } catch { return nil }
        if tableMarks[name] != nil {
            reader.error("table \(name) is declared twice", at: keyNode)
            return nil
        }
        tableMarks[name] = keyNode.mark
        checkIdentifierLength(name.schema, "schema", at: keyNode)
        checkIdentifierLength(name.name, "table", at: keyNode)
        columnMarks[name] = keyNode.mark

        var table = Table(name: name)
        guard let mapping = reader.mapping(node, "table \(name)") else { return nil }
        let entries = reader.entries(mapping, allowed: Self.tableKeys, "table \(name)")
        guard let columnsNode = entries.first(where: { $0.key == "columns" })?.value else {
            reader.error("table \(name) has no 'columns'", at: keyNode)
            return nil
        }
        var inlinePrimaryKey: [String] = []
        parseColumns(columnsNode, into: &table, inlinePrimaryKey: &inlinePrimaryKey)

        for (key, keyNode, value) in entries {
            switch key {
            case "primary_key":
                if !inlinePrimaryKey.isEmpty {
                    reader.error("table \(name) declares its primary key twice: on a column and in 'primary_key'", at: keyNode)
                }
                if let key = namedColumns(value, "primary_key of \(name)", allowed: Self.primaryKeyKeys) {
                    table.primaryKey = PrimaryKey(name: key.name ?? DefaultNames.primaryKey(table: name.name),
                                                  columns: key.columns, deferral: key.deferral)
                }
            case "unique":
                guard let list = reader.sequence(value, "unique of \(name)") else { continue }
                for item in list {
                    guard let unique = namedColumns(item, "a unique constraint of \(name)", allowed: Self.uniqueKeys)
                    else { continue }
                    table.uniqueConstraints.append(UniqueConstraint(
                        name: unique.name ?? DefaultNames.unique(table: name.name, columns: unique.columns),
                        columns: unique.columns, deferral: unique.deferral, nullsNotDistinct: unique.nullsNotDistinct))
                }
            case "checks":
                guard let checks = reader.mapping(value, "checks of \(name)") else { continue }
                for (checkKey, checkNode) in checks {
                    guard let checkName = reader.string(checkKey, "a check constraint name"),
                          let check = parseCheck(checkNode, name: checkName, table: name) else { continue }
                    table.checks.append(check)
                }
            case "exclusions":
                guard let exclusions = reader.mapping(value, "exclusions of \(name)") else { continue }
                for (exclusionKey, exclusionNode) in exclusions {
                    guard let exclusionName = reader.string(exclusionKey, "an exclusion constraint name"),
                          let exclusion = parseExclusion(exclusionNode, name: exclusionName, table: name)
                    else { continue }
                    checkIdentifierLength(exclusionName, "constraint", at: exclusionKey)
                    exclusionMarks[name, default: [:]][exclusionName] = exclusionNode.mark
                    table.exclusions.append(exclusion)
                }
            case "foreign_keys":
                guard let list = reader.sequence(value, "foreign_keys of \(name)") else { continue }
                for item in list { parseForeignKey(item, into: &table) }
            case "indexes":
                guard let list = reader.sequence(value, "indexes of \(name)") else { continue }
                for item in list { parseIndex(item, into: &table) }
            case "seed":
                table.seed = parseSeed(value, table: table)
            case "comment":
                table.comment = reader.string(value, "comment of \(name)")
            case "unlogged":
                table.isUnlogged = reader.bool(value, "unlogged of \(name)") ?? false
            case "with":
                table.storageParameters = parseStorageParameters(value, "with of \(name)")
            case "partition_by":
                table.partitionBy = reader.string(value, "partition_by of \(name)")
                if let text = table.partitionBy,
                   !["RANGE", "LIST", "HASH"].contains(where: { text.uppercased().hasPrefix($0 + " ") || text.uppercased().hasPrefix($0 + "(") }) {
                    reader.error("partition_by of \(name) must start with RANGE, LIST or HASH, as in "
                                 + "'RANGE (created_at)', not '\(text)'", at: value)
                }
            case "partitions":
                table.partitions = parsePartitions(value, of: name)
                partitionMarks[name] = keyNode.mark
            case "renamed_from":
                guard let text = reader.string(value, "renamed_from of \(name)") else { continue }
                do {
                    table.renamedFrom = try NameSyntax.qualifiedName(text, defaultSchema: name.schema)
                    renameMarks[name] = value.mark
                } catch let failure as NameSyntax.Failure {
                    reader.error("renamed_from of \(name): \(failure.message)", at: value)
                } catch {}
            default: break
            }
        }
        if table.primaryKey == nil, !inlinePrimaryKey.isEmpty {
            table.primaryKey = PrimaryKey(name: DefaultNames.primaryKey(table: name.name), columns: inlinePrimaryKey)
        }
        // PostgreSQL makes primary-key columns NOT NULL; say so in the model, or every check would see drift.
        if let primaryKey = table.primaryKey {
            for index in table.columns.indices where primaryKey.columns.contains(table.columns[index].name) {
                if let mark = explicitlyNullable[name]?[table.columns[index].name] {
                    reader.error("column '\(table.columns[index].name)' of \(name) is in the primary key, so it cannot be nullable", at: mark)
                }
                table.columns[index].isNullable = false
            }
        }
        return table
    }

    private func parseColumns(_ node: Node, into table: inout Table, inlinePrimaryKey: inout [String]) {
        // A table without columns is legal SQL (`CREATE TABLE t ()`), and real schemas have them. It is written
        // `columns: {}`; an empty list says the same. A bare `columns:` is more likely a slip, so it is an error.
        if case .sequence(let items) = node, items.isEmpty { return }
        if case .scalar(let scalar) = node, scalar.style == .plain, Literal.plainNullSpellings.contains(scalar.string) {
            reader.error("columns of \(table.name) are empty; write 'columns: {}' for a table without columns",
                         at: node)
            return
        }
        guard let mapping = reader.mapping(node, "columns of \(table.name)") else { return }
        for (keyNode, columnNode) in mapping {
            guard let columnName = reader.string(keyNode, "a column name") else { continue }
            checkIdentifierLength(columnName, "column", at: keyNode)
            let what = "column \(table.name).\(SQL.displayIdentifier(columnName))"
            let entries: [(key: String, keyNode: Node, value: Node)]
            if case .scalar = columnNode {
                // Shorthand `name: type`.
                entries = [("type", keyNode, columnNode)]
            } else {
                guard let columnMapping = reader.mapping(columnNode, what) else { continue }
                entries = reader.entries(columnMapping, allowed: Self.columnKeys, what)
            }
            var column = Column(name: columnName, type: "")
            var referenceNode: Node?
            var onDelete = ReferentialAction.noAction, onUpdate = ReferentialAction.noAction
            var hasDefault = false
            var defaultKeys: [Node] = []
            var nullableMark: Mark?
            var sequenceKey: Node?
            for (key, keyNode, value) in entries {
                switch key {
                case "type":
                    guard let type = reader.string(value, "type of \(what)") else { continue }
                    let trimmed = type.trimmingSpaces
                    if let integerType = Self.serialTypes[trimmed.lowercased()] {
                        column.type = integerType
                        column.isSerial = true
                        column.isNullable = false
                    } else {
                        column.type = trimmed
                    }
                case "nullable":
                    if let nullable = reader.bool(value, "nullable of \(what)") {
                        column.isNullable = nullable
                        if nullable {
                            explicitlyNullable[table.name, default: [:]][columnName] = keyNode.mark
                            nullableMark = keyNode.mark
                        }
                    }
                case "default":
                    if let literal = reader.literal(value, "default of \(what)") {
                        // `default: null` is no default at all.
                        column.defaultValue = literal == .null ? nil : .literal(literal)
                        hasDefault = hasDefault || literal != .null
                        defaultKeys.append(keyNode)
                    }
                case "default_sql":
                    if let expression = reader.string(value, "default_sql of \(what)") {
                        column.defaultValue = .expression(expression)
                        hasDefault = true
                        defaultKeys.append(keyNode)
                    }
                case "identity":
                    guard let text = reader.string(value, "identity of \(what)") else { continue }
                    guard let identity = IdentityKind(rawValue: text) else {
                        reader.error("identity of \(what) must be 'always' or 'by_default', not '\(text)'", at: value)
                        continue
                    }
                    column.identity = identity
                    column.isNullable = false
                case "primary_key":
                    if reader.bool(value, "primary_key of \(what)") == true { inlinePrimaryKey.append(columnName) }
                case "unique":
                    if reader.bool(value, "unique of \(what)") == true {
                        table.uniqueConstraints.append(UniqueConstraint(
                            name: DefaultNames.unique(table: table.name.name, columns: [columnName]), columns: [columnName]))
                    }
                case "references": referenceNode = value
                case "on_delete": onDelete = referentialAction(value, "on_delete of \(what)") ?? onDelete
                case "on_update": onUpdate = referentialAction(value, "on_update of \(what)") ?? onUpdate
                case "comment":
                    column.comment = reader.string(value, "comment of \(what)")
                case "renamed_from":
                    column.renamedFrom = reader.string(value, "renamed_from of \(what)")
                case "backfill":
                    if let literal = reader.literal(value, "backfill of \(what)") {
                        if literal == .null { reader.error("backfill of \(what) must be a value, not null", at: value) }
                        column.backfill = literal
                    }
                case "collation":
                    column.collation = reader.string(value, "collation of \(what)")
                case "not_null_name":
                    if let name = reader.string(value, "not_null_name of \(what)") {
                        checkIdentifierLength(name, "constraint", at: value)
                        column.notNullName = name
                    }
                case "statistics":
                    guard let text = reader.string(value, "statistics of \(what)") else { continue }
                    guard let target = Int(text), (0...10000).contains(target) else {
                        reader.error("statistics of \(what) must be a whole number from 0 to 10000, not '\(text)'",
                                     at: value)
                        continue
                    }
                    column.statistics = target
                case "sequence":
                    column.sequence = parseSequence(value, "sequence of \(what)")
                    sequenceKey = keyNode
                case "generated":
                    column.generated = parseGenerated(value, "generated of \(what)")
                    if column.generated != nil { defaultKeys.append(keyNode) }
                case "check":
                    if let expression = reader.string(value, "check of \(what)") {
                        table.checks.append(CheckConstraint(
                            name: DefaultNames.check(table: table.name.name, column: columnName), expression: expression))
                    }
                default: break
                }
            }
            if defaultKeys.count > 1 {
                let keys = ["default", "default_sql", "generated"].filter { key in entries.contains { $0.key == key } }
                    .map { "'\($0)'" }
                reader.error("\(what) has both \(keys.joined(separator: " and ")); keep one", at: defaultKeys[1])
            }
            if let sequenceKey, column.identity == nil, !column.isSerial {
                reader.error("\(what) has a 'sequence' but is neither serial nor an identity column", at: sequenceKey)
            }
            if column.generated != nil, column.identity != nil || column.isSerial {
                reader.error("\(what) is generated, so it cannot also be an identity or serial column", at: keyNode)
            }
            if column.identity != nil || column.isSerial {
                if let nullableMark {
                    reader.error("\(what) is an identity or serial column, so it cannot be nullable", at: nullableMark)
                }
                column.isNullable = false
            }
            if column.type.isEmpty, !entries.contains(where: { $0.key == "type" }) {
                reader.error("\(what) has no 'type'", at: keyNode)
            }
            if column.identity != nil || column.isSerial, hasDefault {
                reader.error("\(what) is an identity or serial column, so it cannot also have a default", at: keyNode)
            }
            if column.identity != nil, column.isSerial {
                reader.error("\(what) is both serial and identity; use one", at: keyNode)
            }
            if table.column(columnName) != nil {
                reader.error("column '\(columnName)' is declared twice in \(table.name)", at: keyNode)
                continue
            }
            if let referenceNode, let text = reader.string(referenceNode, "references of \(what)") {
                addForeignKey(reference: text, at: referenceNode, columns: [columnName], name: nil,
                              onDelete: onDelete, onUpdate: onUpdate, into: &table)
            } else if entries.contains(where: { $0.key == "on_delete" || $0.key == "on_update" }) {
                reader.error("\(what) has on_delete/on_update but no 'references'", at: keyNode)
            }
            table.columns.append(column)
        }
    }

    private func referentialAction(_ node: Node, _ what: String) -> ReferentialAction? {
        guard let text = reader.string(node, what) else { return nil }
        let normalized = text.lowercased().replacingAll("_", with: " ")
        guard let action = ReferentialAction(rawValue: normalized) else {
            let options = ReferentialAction.allCases.map(\.rawValue)
            reader.error("\(what) must be one of \(options.joined(separator: ", ")), not '\(text)'\(Suggestion.didYouMean(normalized, options))", at: node)
            return nil
        }
        return action
    }

    /// A primary key or unique constraint: `[a, b]`, or `{ name: x, columns: [a, b], ...options }`.
    private struct KeyDeclaration {
        var name: String?
        var columns: [String]
        var deferral = Deferral.notDeferrable
        var nullsNotDistinct = false
    }

    private func namedColumns(_ node: Node, _ what: String, allowed: [String]) -> KeyDeclaration? {
        guard case .mapping(let mapping) = node else {
            return reader.stringList(node, what).map { KeyDeclaration(name: nil, columns: $0) }
        }
        var declaration = KeyDeclaration(name: nil, columns: [])
        var columns: [String]?
        let entries = reader.entries(mapping, allowed: allowed, what)
        for (key, _, value) in entries {
            switch key {
            case "name": declaration.name = reader.string(value, "name of \(what)")
            case "columns": columns = reader.stringList(value, "columns of \(what)")
            case "nulls_not_distinct": declaration.nullsNotDistinct = reader.bool(value, "\(key) of \(what)") ?? false
            default: break
            }
        }
        declaration.deferral = deferral(entries, what)
        guard let columns else {
            reader.error("\(what) needs 'columns'", at: node)
            return nil
        }
        declaration.columns = columns
        if let name = declaration.name { checkIdentifierLength(name, "constraint", at: node) }
        return declaration
    }

    /// `deferrable: true`, and `initially_deferred: true` (which implies it).
    private func deferral(_ entries: [(key: String, keyNode: Node, value: Node)], _ what: String) -> Deferral {
        var deferrable: (Bool, Node)?, initiallyDeferred = false
        for (key, _, value) in entries {
            if key == "deferrable" { deferrable = reader.bool(value, "deferrable of \(what)").map { ($0, value) } }
            if key == "initially_deferred" { initiallyDeferred = reader.bool(value, "initially_deferred of \(what)") ?? false }
        }
        if initiallyDeferred, let (isDeferrable, node) = deferrable, !isDeferrable {
            reader.error("\(what) is initially_deferred, so it cannot be 'deferrable: false'", at: node)
        }
        if initiallyDeferred { return .initiallyDeferred }
        return deferrable?.0 == true ? .deferrable : .notDeferrable
    }

    /// `partitions: { events_2024: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')", events_other: DEFAULT }`.
    private func parsePartitions(_ node: Node, of table: QualifiedName) -> [Partition] {
        let what = "partitions of \(table)"
        guard let mapping = reader.mapping(node, what) else { return [] }
        var partitions: [Partition] = []
        for (keyNode, boundNode) in mapping {
            guard let text = reader.string(keyNode, "a partition name in \(what)"),
                  let bound = reader.string(boundNode, "the bound of partition \(text)") else { continue }
            do {
                let name = try NameSyntax.qualifiedName(text, defaultSchema: table.schema)
                let upper = bound.uppercased()
                guard upper == "DEFAULT" || upper.hasPrefix("FOR VALUES ") else {
                    reader.error("the bound of partition \(name) must be DEFAULT or start with FOR VALUES, as in "
                                 + "\"FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')\", not '\(bound)'", at: boundNode)
                    continue
                }
                checkIdentifierLength(name.name, "partition", at: keyNode)
                partitions.append(Partition(name: name, bound: upper == "DEFAULT" ? "DEFAULT" : bound))
            } catch let failure as NameSyntax.Failure {
                reader.error("partition \(text) of \(table): \(failure.message)", at: keyNode)
            } catch {}
        }
        return partitions.sorted { $0.name < $1.name }
    }

    /// `sequences: { invoice_numbers: { type: bigint, start: 1000 }, billing.codes: {} }`.
    private func parseSequences(_ node: Node) -> [StandaloneSequence] {
        guard let mapping = reader.mapping(node, "sequences") else { return [] }
        var sequences: [StandaloneSequence] = []
        for (keyNode, optionsNode) in mapping {
            guard let text = reader.string(keyNode, "a sequence name") else { continue }
            do {
                let name = try NameSyntax.qualifiedName(text, defaultSchema: defaultSchema)
                checkIdentifierLength(name.name, "sequence", at: keyNode)
                var options = parseSequence(optionsNode, "sequence \(name)") ?? SequenceOptions()
                if options.name != nil {
                    reader.error("sequence \(name) is named by its key; remove 'name'", at: optionsNode)
                    options.name = nil
                }
                sequences.append(StandaloneSequence(name: name, options: options))
            } catch let failure as NameSyntax.Failure {
                reader.error("sequence \(text): \(failure.message)", at: keyNode)
            } catch {}
        }
        return sequences
    }

    /// `sequence: { name: ..., type: bigint, start: 1000, increment: 1, min_value, max_value, cache, cycle }`.
    private func parseSequence(_ node: Node, _ what: String) -> SequenceOptions? {
        guard let mapping = reader.mapping(node, what) else { return nil }
        var options = SequenceOptions()
        for (key, _, value) in reader.entries(mapping, allowed: Self.sequenceKeys, what) {
            func number() -> Int64? {
                guard let text = reader.string(value, "\(key) of \(what)") else { return nil }
                guard let number = Int64(text) else {
                    reader.error("\(key) of \(what) must be a whole number, not '\(text)'", at: value)
                    return nil
                }
                return number
            }
            switch key {
            case "name":
                options.name = reader.string(value, "name of \(what)")
                if let name = options.name { checkIdentifierLength(name, "sequence", at: value) }
            case "type":
                guard let text = reader.string(value, "type of \(what)") else { continue }
                let type = SequenceOptions.integerType(text)
                if type != text.lowercased() && !["int2", "int4", "int8"].contains(text.lowercased()) {
                    reader.error("type of \(what) must be smallint, integer or bigint, not '\(text)'", at: value)
                }
                options.type = type
            case "start": options.start = number()
            case "increment": options.increment = number()
            case "min_value": options.minValue = number()
            case "max_value": options.maxValue = number()
            case "cache": options.cache = number()
            case "cycle": options.cycle = reader.bool(value, "cycle of \(what)") ?? false
            case "unlogged": options.unlogged = reader.bool(value, "unlogged of \(what)")
            default: break
            }
        }
        return options
    }

    /// `key: text`, or `key: { <textKey>: text, options... }`: how checks, generated columns and exclusion
    /// constraints are written. The text (nil after its problem is reported), the node it came from, for
    /// error positions, and the mapping's entries, for the options (none in the short form).
    private func textOrMapping(_ node: Node, _ what: String, scalarWhat: String, textKey: String, allowed: [String])
        -> (text: String?, node: Node, entries: [(key: String, keyNode: Node, value: Node)]) {
        guard case .mapping(let mapping) = node else { return (reader.string(node, scalarWhat), node, []) }
        let entries = reader.entries(mapping, allowed: allowed, what)
        guard let textNode = entries.first(where: { $0.key == textKey })?.value else {
            reader.error("\(what) needs '\(textKey)'", at: node)
            return (nil, node, entries)
        }
        return (reader.string(textNode, "\(textKey) of \(what)"), textNode, entries)
    }

    /// `generated: expression` (STORED), or `generated: { expression: ..., virtual: true }`.
    private func parseGenerated(_ node: Node, _ what: String) -> GeneratedColumn? {
        let (expression, _, entries) = textOrMapping(node, what, scalarWhat: what, textKey: "expression",
                                                     allowed: Self.generatedKeys)
        var generated = GeneratedColumn(expression: expression ?? "")
        for (key, _, value) in entries where key == "virtual" {
            generated.isStored = !(reader.bool(value, "virtual of \(what)") ?? false)
        }
        return expression == nil ? nil : generated
    }

    /// `name: expression`, or `name: { expression: ..., not_valid: true, no_inherit: true }`.
    private func parseCheck(_ node: Node, name: String, table: QualifiedName) -> CheckConstraint? {
        let what = "check \(name) of \(table)"
        let (expression, _, entries) = textOrMapping(node, what, scalarWhat: "check \(name)", textKey: "expression",
                                                     allowed: Self.checkKeys)
        var check = CheckConstraint(name: name, expression: expression ?? "")
        for (key, _, value) in entries {
            if key == "not_valid" { check.notValid = reader.bool(value, "not_valid of \(what)") ?? false }
            if key == "no_inherit" { check.noInherit = reader.bool(value, "no_inherit of \(what)") ?? false }
        }
        return expression == nil ? nil : check
    }

    /// `name: "USING gist (room_id WITH =, during WITH &&)"` (the text after EXCLUDE), or
    /// `name: { definition: ..., deferrable: true, initially_deferred: true }`. The deferral is kept apart, as
    /// for keys, so that it compares structurally; the server checks the rest when it builds the scratch copy.
    private func parseExclusion(_ node: Node, name: String, table: QualifiedName) -> ExclusionConstraint? {
        let what = "exclusion constraint \(name) of \(table)"
        let (definition, definitionNode, entries) = textOrMapping(
            node, what, scalarWhat: "definition of \(what)", textKey: "definition", allowed: Self.exclusionKeys)
        var exclusion = ExclusionConstraint(name: name, definition: "")
        exclusion.deferral = deferral(entries, what)
        guard let text = definition?.trimmingSpaces else { return nil }
        let upper = text.uppercased()
        let example = "'USING gist (room_id WITH =, during WITH &&)'"
        if upper.hasPrefix("EXCLUDE ") || upper.hasPrefix("EXCLUDE(") {
            reader.error("\(what): write the text after EXCLUDE, as in \(example)", at: definitionNode)
            return nil
        }
        if ["DEFERRABLE", "INITIALLY DEFERRED", "INITIALLY IMMEDIATE"].contains(where: { upper.hasSuffix(" " + $0) }) {
            reader.error("\(what): write 'deferrable: true' or 'initially_deferred: true' beside 'definition' "
                         + "instead of in the text", at: definitionNode)
            return nil
        }
        if let problem = ExclusionDefinition.problem(text) {
            reader.error("\(what) is not [USING method] (element WITH operator, ...) [INCLUDE (...)] [WITH (...)] "
                         + "[WHERE (...)]: \(problem)", at: definitionNode)
            return nil
        }
        exclusion.definition = text
        return exclusion
    }

    private func parseForeignKey(_ node: Node, into table: inout Table) {
        let what = "a foreign key of \(table.name)"
        guard let mapping = reader.mapping(node, what) else { return }
        var name: String?, columns: [String]?, reference: (String, Node)?
        var onDelete = ReferentialAction.noAction, onUpdate = ReferentialAction.noAction
        var matchFull = false, notValid = false
        let entries = reader.entries(mapping, allowed: Self.foreignKeyKeys, what)
        for (key, _, value) in entries {
            switch key {
            case "match":
                guard let text = reader.string(value, "match of \(what)") else { continue }
                switch text.lowercased() {
                case "full": matchFull = true
                case "simple": matchFull = false
                default: reader.error("match of \(what) must be 'simple' or 'full', not '\(text)'", at: value)
                }
            case "not_valid": notValid = reader.bool(value, "not_valid of \(what)") ?? false
            case "name": name = reader.string(value, "name of \(what)")
            case "columns": columns = reader.stringList(value, "columns of \(what)")
            case "references": reader.string(value, "references of \(what)").map { reference = ($0, value) }
            case "on_delete": onDelete = referentialAction(value, "on_delete of \(what)") ?? onDelete
            case "on_update": onUpdate = referentialAction(value, "on_update of \(what)") ?? onUpdate
            default: break
            }
        }
        guard let columns, let reference else {
            reader.error("\(what) needs 'columns' and 'references'", at: node)
            return
        }
        addForeignKey(reference: reference.0, at: reference.1, columns: columns, name: name,
                      onDelete: onDelete, onUpdate: onUpdate, matchFull: matchFull,
                      deferral: deferral(entries, what), notValid: notValid, into: &table)
    }

    /// The shorthand on a column has no match, deferral or validity options.
    private func addForeignKey(reference: String, at node: Node, columns: [String], name: String?,
                               onDelete: ReferentialAction, onUpdate: ReferentialAction, matchFull: Bool = false,
                               deferral: Deferral = .notDeferrable, notValid: Bool = false, into table: inout Table) {
        do {
            let (target, targetColumns) = try NameSyntax.reference(reference, defaultSchema: defaultSchema)
            let constraintName = name ?? DefaultNames.foreignKey(table: table.name.name, columns: columns)
            checkIdentifierLength(constraintName, "constraint", at: node)
            foreignKeyMarks[table.name, default: [:]][constraintName] = node.mark
            // Empty referenced columns mean "the target's primary key"; resolved in validate().
            table.foreignKeys.append(ForeignKey(name: constraintName, columns: columns, referencedTable: target,
                                                referencedColumns: targetColumns, onDelete: onDelete, onUpdate: onUpdate,
                                                matchFull: matchFull, deferral: deferral, notValid: notValid))
        } catch let failure as NameSyntax.Failure {
            reader.error("references: \(failure.message)", at: node)
        } catch {}
    }

    /// `extensions: [pg_trgm, { name: postgis, schema: postgis }]`: names, or a name and the schema to create
    /// the extension in.
    private func parseExtensions(_ node: Node) -> ([String], [String: String]) {
        let items: [Node]
        if case .sequence(let sequence) = node { items = Array(sequence) } else { items = [node] }
        var names: [String] = [], schemas: [String: String] = [:]
        for item in items {
            guard case .mapping(let mapping) = item else {
                if let name = reader.string(item, "each item of extensions") { names.append(name) }
                continue
            }
            var name: String?, schema: String?
            for (key, _, value) in reader.entries(mapping, allowed: Self.extensionKeys, "an extension") {
                switch key {
                case "name": name = reader.string(value, "name of an extension")
                case "schema": schema = reader.string(value, "schema of an extension")
                default: break
                }
            }
            guard let name else {
                reader.error("an extension needs 'name' (and 'schema' where it is not public)", at: item)
                continue
            }
            names.append(name)
            if let schema, schema != "public" { schemas[name] = schema }
        }
        return (names, schemas)
    }

    private func parseIndex(_ node: Node, into table: inout Table) {
        let what = "an index of \(table.name)"
        guard let mapping = reader.mapping(node, what) else { return }
        var name: String?, keys: [IndexKey] = [], unique = false, method = "btree", predicate: String?
        var include: [String] = [], nullsNotDistinct = false, storageParameters: [StorageParameter] = []
        var statistics: (Node, Node.Mapping)?
        for (key, _, value) in reader.entries(mapping, allowed: Self.indexKeys, what) {
            switch key {
            case "statistics": statistics = reader.mapping(value, "statistics of \(what)").map { (value, $0) }
            case "include": include = reader.stringList(value, "include of \(what)") ?? []
            case "nulls_not_distinct": nullsNotDistinct = reader.bool(value, "nulls_not_distinct of \(what)") ?? false
            case "with": storageParameters = parseStorageParameters(value, "with of \(what)")
            case "name": name = reader.string(value, "name of \(what)")
            case "unique": unique = reader.bool(value, "unique of \(what)") ?? false
            case "where": predicate = reader.string(value, "where of \(what)")
            case "using": method = reader.string(value, "using of \(what)")?.lowercased() ?? method
            case "columns":
                let items: [Node]
                if case .sequence(let sequence) = value { items = Array(sequence) } else { items = [value] }
                for item in items {
                    if case .mapping(let keyMapping) = item {
                        for (k, _, v) in reader.entries(keyMapping, allowed: ["expression"], "an index key") {
                            if k == "expression", let expression = reader.string(v, "an index expression") {
                                keys.append(.expression(expression))
                            }
                        }
                    } else if let column = reader.string(item, "an index column") {
                        keys.append(.column(column))
                    }
                }
            default: break
            }
        }
        guard !keys.isEmpty else {
            reader.error("\(what) needs 'columns' (column names, or {expression: ...})", at: node)
            return
        }
        let indexName = name ?? DefaultNames.index(table: table.name.name, keys: keys)
        checkIdentifierLength(indexName, "index", at: node)
        var index = Index(name: indexName, keys: keys, isUnique: unique, method: method, predicate: predicate,
                          include: include, nullsNotDistinct: nullsNotDistinct, storageParameters: storageParameters)
        if let (statisticsNode, entries) = statistics {
            index.statistics = parseIndexStatistics(entries, keys: keys, "statistics of \(what)", at: statisticsNode)
        }
        table.indexes.append(index)
    }

    /// `statistics: { 2: 500 }`: targets by key position (from 1), which PostgreSQL allows on expression
    /// keys only.
    private func parseIndexStatistics(_ mapping: Node.Mapping, keys: [IndexKey], _ what: String,
                                      at node: Node) -> [IndexColumnStatistics]? {
        var result: [IndexColumnStatistics] = []
        for (keyNode, valueNode) in mapping {
            guard let positionText = reader.string(keyNode, "a key position in \(what)"),
                  let targetText = reader.string(valueNode, "a target in \(what)") else { continue }
            guard let position = Int(positionText), keys.indices.contains(position - 1) else {
                reader.error("'\(positionText)' in \(what) is not a key position: the index has keys 1 to "
                             + "\(keys.count)", at: keyNode)
                continue
            }
            guard case .expression = keys[position - 1] else {
                reader.error("key \(position) in \(what) is a column, and only an expression key has a statistics "
                             + "target of its own (set a column's on the column)", at: keyNode)
                continue
            }
            guard let target = Int(targetText), (0...10000).contains(target) else {
                reader.error("\(what) must be whole numbers from 0 to 10000, not '\(targetText)'", at: valueNode)
                continue
            }
            result.append(IndexColumnStatistics(column: position, target: target))
        }
        return result.isEmpty ? nil : result.sorted { $0.column < $1.column }
    }

    /// `{ fillfactor: 70, deduplicate_items: off }`: names are PostgreSQL's parameter names (checked here,
    /// since they go into the SQL unquoted), values any scalar.
    private func parseStorageParameters(_ node: Node, _ what: String) -> [StorageParameter] {
        guard let mapping = reader.mapping(node, what) else { return [] }
        var parameters: [StorageParameter] = []
        for (keyNode, valueNode) in mapping {
            guard let name = reader.string(keyNode, "a parameter name in \(what)"),
                  let value = reader.string(valueNode, "\(name) in \(what)") else { continue }
            guard !name.isEmpty, name.allSatisfy({ $0 == "_" || $0 == "." || ($0.isASCII && ($0.isLetter || $0.isNumber)) })
            else {
                reader.error("'\(name)' in \(what) is not a storage parameter name (letters, digits, '_' and '.')",
                             at: keyNode)
                continue
            }
            parameters.append(StorageParameter(name: name.lowercased(), value: value))
        }
        return parameters
    }

    private func parseSeed(_ node: Node, table: Table) -> Seed? {
        let what = "seed of \(table.name)"
        guard let mapping = reader.mapping(node, what) else { return nil }
        var mode = Seed.Mode.insertMissing, key: [String]?, rows: [SeedRow] = [], rowMarks: [Mark?] = []
        for (entryKey, _, value) in reader.entries(mapping, allowed: Self.seedKeys, what) {
            switch entryKey {
            case "mode":
                guard let text = reader.string(value, "mode of \(what)") else { continue }
                guard let parsed = Seed.Mode(rawValue: text) else {
                    reader.error("mode of \(what) must be 'insert-missing' or 'enforce', not '\(text)'", at: value)
                    continue
                }
                mode = parsed
            case "key": key = reader.stringList(value, "key of \(what)")
            case "rows":
                guard let list = reader.sequence(value, "rows of \(what)") else { continue }
                for rowNode in list {
                    guard let rowMapping = reader.mapping(rowNode, "a row of \(what)") else { continue }
                    var values: [(String, Literal)] = []
                    for (columnNode, valueNode) in rowMapping {
                        guard let column = reader.string(columnNode, "a seeded column name") else { continue }
                        guard table.column(column) != nil else {
                            reader.error("seeded column '\(column)' is not a column of \(table.name)\(Suggestion.didYouMean(column, table.columns.map(\.name)))", at: columnNode)
                            continue
                        }
                        if let literal = reader.literal(valueNode, "seeded value of '\(column)'") { values.append((column, literal)) }
                    }
                    rows.append(SeedRow(values: values))
                    rowMarks.append(rowNode.mark)
                }
            default: break
            }
        }
        seedMarks[table.name] = (node.mark, rowMarks)
        // The key defaults to the primary key, which may be declared after the seed; resolved in validate().
        return Seed(mode: mode, key: key ?? [], rows: rows)
    }

    // MARK: - Cross-reference validation

    /// Fills in what the YAML may leave implicit: a foreign key's target columns and a seed's key both
    /// default to the primary key.
    private func resolvingImplicitColumns(_ tables: [Table]) -> [Table] {
        let primaryKeys = Dictionary(tables.map { ($0.name, $0.primaryKey?.columns ?? []) }, uniquingKeysWith: { a, _ in a })
        return tables.map { table in
            var table = table
            for index in table.foreignKeys.indices where table.foreignKeys[index].referencedColumns.isEmpty {
                table.foreignKeys[index].referencedColumns = primaryKeys[table.foreignKeys[index].referencedTable] ?? []
            }
            if table.seed?.key.isEmpty == true { table.seed?.key = table.primaryKey?.columns ?? [] }
            return table
        }
    }

    private func validate(_ tables: [Table]) {
        let byName = Dictionary(tables.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var relationNames: [String: [String: QualifiedName]] = [:] // schema -> relation name -> owner table
        for table in tables { relationNames[table.name.schema, default: [:]][table.name.name] = table.name }
        for table in tables {
            let mark = partitionMarks[table.name] ?? tableMarks[table.name]
            if !table.partitions.isEmpty, table.partitionBy == nil {
                reader.error("\(table.name) declares partitions but no partition_by", at: mark)
            }
            for partition in table.partitions {
                if let owner = relationNames[partition.name.schema]?[partition.name.name] {
                    reader.error("partition \(partition.name) of \(table.name) has the name of "
                                 + (owner == table.name ? "its table" : "\(owner)"), at: mark)
                } else {
                    relationNames[partition.name.schema, default: [:]][partition.name.name] = table.name
                }
            }
        }

        for table in tables {
            let mark = tableMarks[table.name]
            let columnNames = table.columns.map(\.name)
            func checkColumns(_ columns: [String], _ what: String, at mark: Mark?) {
                for column in columns where !columnNames.contains(column) {
                    reader.error("\(what) of \(table.name) names unknown column '\(column)'\(Suggestion.didYouMean(column, columnNames))", at: mark)
                }
                if Set(columns).count != columns.count { reader.error("\(what) of \(table.name) lists a column twice", at: mark) }
            }
            if let primaryKey = table.primaryKey { checkColumns(primaryKey.columns, "primary key", at: mark) }
            for exclusion in table.exclusions {
                // Elements that start with a column name; expressions are the server's to check.
                let columns = ExclusionDefinition(exclusion.definition)?.elements.compactMap(\.leadingColumn) ?? []
                let exclusionMark = exclusionMarks[table.name]?[exclusion.name] ?? mark
                for column in columns where !columnNames.contains(column) {
                    reader.error("exclusion constraint \(exclusion.name) of \(table.name) names unknown column "
                                 + "'\(column)'\(Suggestion.didYouMean(column, columnNames))", at: exclusionMark)
                }
            }
            for unique in table.uniqueConstraints { checkColumns(unique.columns, "unique constraint \(unique.name)", at: mark) }
            for index in table.indexes {
                let columns = index.keys.compactMap { key -> String? in if case .column(let c) = key { return c }; return nil }
                checkColumns(columns, "index \(index.name)", at: mark)
            }
            var constraintNames = Set<String>()
            for name in table.constraintNames where !constraintNames.insert(name).inserted {
                reader.error("constraint name '\(name)' is used twice in \(table.name)", at: mark)
            }
            // Tables, indexes and the indexes behind primary keys, unique and exclusion constraints share one
            // namespace per schema.
            let ownedRelations = (table.primaryKey.map { [$0.name] } ?? []) + table.uniqueConstraints.map(\.name)
                + table.exclusions.map(\.name) + table.indexes.map(\.name)
            for relation in ownedRelations {
                if let owner = relationNames[table.name.schema]?[relation] {
                    reader.error("the name '\(relation)' is used twice in schema \(SQL.displayIdentifier(table.name.schema)) (also by \(owner)); indexes and tables share one namespace", at: mark)
                } else {
                    relationNames[table.name.schema, default: [:]][relation] = table.name
                }
            }
            for foreignKey in table.foreignKeys {
                validateForeignKey(foreignKey, of: table, tables: byName, at: foreignKeyMarks[table.name]?[foreignKey.name] ?? mark)
            }
            if let seed = table.seed { validateSeed(seed, of: table) }
        }
    }

    private func validateForeignKey(_ foreignKey: ForeignKey, of table: Table, tables: [QualifiedName: Table], at mark: Mark?) {
        let columnNames = table.columns.map(\.name)
        for column in foreignKey.columns where !columnNames.contains(column) {
            reader.error("foreign key \(foreignKey.name) of \(table.name) names unknown column '\(column)'\(Suggestion.didYouMean(column, columnNames))", at: mark)
        }
        guard let target = tables[foreignKey.referencedTable] else {
            let known = tables.keys.map(\.description)
            reader.error("foreign key \(foreignKey.name) of \(table.name) references \(foreignKey.referencedTable), which is not declared in this file\(Suggestion.didYouMean(foreignKey.referencedTable.description, known)); declare it (a minimal table is enough)", at: mark)
            return
        }
        let targetColumns = foreignKey.referencedColumns
        if targetColumns.isEmpty {
            reader.error("foreign key \(foreignKey.name) of \(table.name) references \(target.name), which has no primary key; name the referenced columns", at: mark)
            return
        }
        for column in targetColumns where target.column(column) == nil {
            reader.error("foreign key \(foreignKey.name) of \(table.name) references unknown column '\(column)' of \(target.name)\(Suggestion.didYouMean(column, target.columns.map(\.name)))", at: mark)
        }
        if targetColumns.count != foreignKey.columns.count {
            reader.error("foreign key \(foreignKey.name) of \(table.name) has \(foreignKey.columns.count) column(s) but references \(targetColumns.count)", at: mark)
        }
        let uniqueSets = target.uniqueColumnSets
        if !uniqueSets.contains(Set(targetColumns)) {
            reader.error("foreign key \(foreignKey.name) of \(table.name) references \(target.name)(\(targetColumns.joined(separator: ", "))), which is not its primary key or a unique constraint", at: mark)
        }
    }

    private func validateSeed(_ seed: Seed, of table: Table) {
        let marks = seedMarks[table.name]
        let key = seed.key
        guard !key.isEmpty else {
            reader.error("seed of \(table.name) has no key: declare a primary key or 'key:'", at: marks?.seed)
            return
        }
        for column in key where table.column(column) == nil {
            reader.error("seed key of \(table.name) names unknown column '\(column)'", at: marks?.seed)
        }
        if !table.uniqueColumnSets.contains(Set(key)) {
            reader.error("seed key (\(key.joined(separator: ", "))) of \(table.name) must be its primary key or a unique constraint, so rows can be matched safely", at: marks?.seed)
        }
        var seenKeys = Set<[Literal]>()
        for (index, row) in seed.rows.enumerated() {
            let rowMark = marks?.rows[index]
            let keyValues = key.map { row[$0] }
            if keyValues.contains(where: { $0 == nil || $0 == .null }) {
                reader.error("seeded row of \(table.name) has no value for key column(s) \(key.joined(separator: ", "))", at: rowMark)
                continue
            }
            if !seenKeys.insert(keyValues.compactMap { $0 }).inserted {
                reader.error("seeded row of \(table.name) repeats the key of an earlier row", at: rowMark)
            }
            for column in table.columns where column.needsExplicitValue && row[column.name] == nil {
                reader.error("seeded row of \(table.name) leaves out '\(column.name)', which is NOT NULL and has no default", at: rowMark)
            }
            for (column, _) in row.values where table.column(column)?.generated != nil {
                reader.error("seeded row of \(table.name) sets '\(column)', which is generated", at: rowMark)
            }
            for (column, value) in row.values where value == .null && table.column(column)?.isNullable == false {
                reader.error("seeded row of \(table.name) sets NOT NULL column '\(column)' to null", at: rowMark)
            }
        }
    }

    /// A rename must not collide with a declared name, or the same old name claimed twice.
    private func validateRenames(_ tables: [Table]) {
        let declared = Set(tables.map(\.name))
        var claimed: [QualifiedName: QualifiedName] = [:]
        for table in tables {
            if let old = table.renamedFrom {
                if declared.contains(old) {
                    reader.error("table \(table.name) is renamed_from \(old), which is also declared; remove one", at: renameMarks[table.name])
                } else if let other = claimed[old] {
                    reader.error("tables \(other) and \(table.name) are both renamed_from \(old)", at: renameMarks[table.name])
                }
                claimed[old] = table.name
            }
            var columnClaims = Set<String>()
            for column in table.columns {
                guard let old = column.renamedFrom else { continue }
                if table.column(old) != nil || !columnClaims.insert(old).inserted {
                    reader.error("column \(SQL.displayIdentifier(column.name)) of \(table.name) is renamed_from '\(old)', which is another declared column or claimed twice", at: tableMarks[table.name])
                }
            }
        }
    }

    private func checkIdentifierLength(_ name: String, _ kind: String, at node: Node?) {
        if name.utf8.count > DefaultNames.maxIdentifierBytes {
            reader.error("\(kind) name '\(name)' is \(name.utf8.count) bytes; PostgreSQL allows \(DefaultNames.maxIdentifierBytes) and would silently truncate it", at: node)
        }
        if name.contains("\u{0}") { reader.error("\(kind) name contains a NUL character", at: node) }
    }
}

extension Table {
    /// Column sets that are guaranteed unique: the primary key and each unique constraint or plain unique index.
    var uniqueColumnSets: [Set<String>] {
        var sets: [Set<String>] = []
        if let primaryKey { sets.append(Set(primaryKey.columns)) }
        sets += uniqueConstraints.map { Set($0.columns) }
        for index in indexes where index.isUnique && index.predicate == nil {
            let columns = index.keys.compactMap { key -> String? in if case .column(let c) = key { return c }; return nil }
            if columns.count == index.keys.count { sets.append(Set(columns)) }
        }
        return sets
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
