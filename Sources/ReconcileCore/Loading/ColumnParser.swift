import Yams

/// `columns:` of a table: `name: type`, or `name: { type: ..., options }`. Column options that declare
/// constraints (`primary_key`, `unique`, `references`, `check`) add them to the table.
struct ColumnParser {
    enum Key: String, SchemaFileKey {
        case type, nullable, `default`
        case defaultSQL = "default_sql"
        case identity
        case primaryKey = "primary_key"
        case unique, references
        case onDelete = "on_delete", onUpdate = "on_update"
        case check, comment
        case renamedFrom = "renamed_from"
        case backfill, generated, sequence, collation, statistics, storage, compression
        case notNullName = "not_null_name"
    }

    /// `generated: { expression: ..., virtual: true }`.
    enum GeneratedKey: String, SchemaFileKey {
        case expression, virtual
    }

    /// What the table's parser needs from the columns besides the columns themselves.
    struct Result {
        /// Columns marked `primary_key: true`, in order.
        var inlinePrimaryKey: [String] = []
        /// Columns written `nullable: true`: an error if they turn out to be in the primary key.
        var explicitlyNullable: [String: Mark] = [:]
    }

    /// The integer type behind each serial pseudo-type.
    static let serialTypes = [
        "smallserial": "smallint", "serial": "integer", "bigserial": "bigint",
        "serial2": "smallint", "serial4": "integer", "serial8": "bigint",
    ]

    let reader: YAMLReader

    func parse(_ node: Node, into table: inout Table, positions: inout SourcePositions) -> Result {
        var result = Result()
        // A table without columns is legal SQL (`CREATE TABLE t ()`), and real schemas have them. It is written
        // `columns: {}`; an empty list says the same. A bare `columns:` is more likely a slip, so it is an error.
        if case .sequence(let items) = node, items.isEmpty { return result }
        if case .scalar(let scalar) = node, scalar.style == .plain, Literal.plainNullSpellings.contains(scalar.string) {
            reader.error(
                "columns of \(table.name) are empty; write 'columns: {}' for a table without columns",
                at: node)
            return result
        }
        guard let mapping = reader.mapping(node, "columns of \(table.name)") else { return result }
        for (keyNode, columnNode) in mapping {
            guard let columnName = reader.string(keyNode, "a column name") else { continue }
            reader.checkIdentifierLength(columnName, "column", at: keyNode)
            let what = "column \(table.name).\(SQL.displayIdentifier(columnName))"
            let entries: [SchemaFileEntry<Key>]
            if case .scalar = columnNode {
                // Shorthand `name: type`.
                entries = [SchemaFileEntry(key: .type, keyNode: keyNode, value: columnNode)]
            } else {
                guard let columnMapping = reader.mapping(columnNode, what) else { continue }
                entries = reader.entries(columnMapping, of: Key.self, what)
            }
            parseColumn(
                columnName, keyNode: keyNode, entries: entries, what: what, into: &table, result: &result,
                positions: &positions)
        }
        return result
    }

    private func parseColumn(
        _ columnName: String, keyNode: Node, entries: [SchemaFileEntry<Key>], what: String,
        into table: inout Table, result: inout Result, positions: inout SourcePositions
    ) {
        var column = Column(name: columnName, type: "")
        var referenceNode: Node?
        var onDelete = ReferentialAction.noAction, onUpdate = ReferentialAction.noAction
        var hasDefault = false
        var defaultKeys: [Node] = []
        var nullableMark: Mark?
        var sequenceKey: Node?
        for entry in entries {
            let value = entry.value
            switch entry.key {
            case .type:
                guard let type = reader.string(value, "type of \(what)") else { continue }
                let trimmed = type.trimmingSpaces
                if let integerType = Self.serialTypes[trimmed.lowercased()] {
                    column.type = integerType
                    column.isSerial = true
                    column.isNullable = false
                } else {
                    column.type = trimmed
                }
            case .nullable:
                if let nullable = reader.bool(value, "nullable of \(what)") {
                    column.isNullable = nullable
                    if nullable {
                        result.explicitlyNullable[columnName] = entry.keyNode.mark
                        nullableMark = entry.keyNode.mark
                    }
                }
            case .default:
                if let literal = reader.literal(value, "default of \(what)") {
                    // `default: null` is no default at all.
                    column.defaultValue = literal == .null ? nil : .literal(literal)
                    hasDefault = hasDefault || literal != .null
                    defaultKeys.append(entry.keyNode)
                }
            case .defaultSQL:
                if let expression = reader.string(value, "default_sql of \(what)") {
                    column.defaultValue = .expression(expression)
                    hasDefault = true
                    defaultKeys.append(entry.keyNode)
                }
            case .identity:
                guard let text = reader.string(value, "identity of \(what)") else { continue }
                guard let identity = IdentityKind(rawValue: text) else {
                    reader.error("identity of \(what) must be 'always' or 'by_default', not '\(text)'", at: value)
                    continue
                }
                column.identity = identity
                column.isNullable = false
            case .primaryKey:
                if reader.bool(value, "primary_key of \(what)") == true { result.inlinePrimaryKey.append(columnName) }
            case .unique:
                if reader.bool(value, "unique of \(what)") == true {
                    let name = DefaultNames.unique(table: table.name.name, columns: [columnName])
                    table.uniqueConstraints.append(UniqueConstraint(name: name, columns: [columnName]))
                }
            case .references: referenceNode = value
            case .onDelete: onDelete = reader.referentialAction(value, "on_delete of \(what)") ?? onDelete
            case .onUpdate: onUpdate = reader.referentialAction(value, "on_update of \(what)") ?? onUpdate
            case .comment:
                column.comment = reader.string(value, "comment of \(what)")
            case .renamedFrom:
                column.renamedFrom = reader.string(value, "renamed_from of \(what)")
            case .backfill:
                if let literal = reader.literal(value, "backfill of \(what)") {
                    if literal == .null { reader.error("backfill of \(what) must be a value, not null", at: value) }
                    column.backfill = literal
                }
            case .collation:
                column.collation = reader.string(value, "collation of \(what)")
            case .notNullName:
                if let name = reader.string(value, "not_null_name of \(what)") {
                    reader.checkIdentifierLength(name, "constraint", at: value)
                    column.notNullName = name
                }
            case .statistics:
                guard let text = reader.string(value, "statistics of \(what)") else { continue }
                guard let target = Int(text), (0...10000).contains(target) else {
                    reader.error(
                        "statistics of \(what) must be a whole number from 0 to 10000, not '\(text)'",
                        at: value)
                    continue
                }
                column.statistics = target
            case .storage:
                guard let text = reader.string(value, "storage of \(what)") else { continue }
                guard let storage = ColumnStorage(rawValue: text) else {
                    let options = ColumnStorage.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
                    reader.error("storage of \(what) must be one of \(options), not '\(text)'", at: value)
                    continue
                }
                column.storage = storage
            case .compression:
                guard let text = reader.string(value, "compression of \(what)") else { continue }
                guard let compression = ColumnCompression(rawValue: text) else {
                    reader.error("compression of \(what) must be 'pglz' or 'lz4', not '\(text)'", at: value)
                    continue
                }
                column.compression = compression
            case .sequence:
                column.sequence = SequenceParser(reader: reader).parseOptions(value, "sequence of \(what)")
                sequenceKey = entry.keyNode
            case .generated:
                column.generated = parseGenerated(value, "generated of \(what)")
                if column.generated != nil { defaultKeys.append(entry.keyNode) }
            case .check:
                if let expression = reader.string(value, "check of \(what)") {
                    table.checks.append(
                        CheckConstraint(
                            name: DefaultNames.check(table: table.name.name, column: columnName), expression: expression
                        ))
                }
            }
        }
        if defaultKeys.count > 1 {
            let keys = [Key.default, .defaultSQL, .generated].filter { key in entries.contains { $0.key == key } }
                .map { "'\($0.rawValue)'" }
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
        if column.type.isEmpty, !entries.contains(where: { $0.key == .type }) {
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
            return
        }
        if let referenceNode, let text = reader.string(referenceNode, "references of \(what)") {
            ForeignKeyParser(reader: reader).add(
                reference: text, at: referenceNode, columns: [columnName], name: nil,
                onDelete: onDelete, onUpdate: onUpdate, into: &table,
                positions: &positions)
        } else if entries.contains(where: { $0.key == .onDelete || $0.key == .onUpdate }) {
            reader.error("\(what) has on_delete/on_update but no 'references'", at: keyNode)
        }
        table.columns.append(column)
    }

    /// `generated: expression` (STORED), or `generated: { expression: ..., virtual: true }`.
    private func parseGenerated(_ node: Node, _ what: String) -> GeneratedColumn? {
        let (expression, _, entries) = reader.textOrMapping(
            node, what, scalarWhat: what,
            textKey: GeneratedKey.expression)
        var generated = GeneratedColumn(expression: expression ?? "")
        for entry in entries where entry.key == .virtual {
            generated.isStored = !(reader.bool(entry.value, "virtual of \(what)") ?? false)
        }
        return expression == nil ? nil : generated
    }
}
