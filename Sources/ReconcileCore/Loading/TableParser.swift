import Yams

/// One entry of `tables:`: its name, columns, constraints, indexes, seed, partitions and options. Each kind
/// of object inside has its own parser; this one knows the table's keys and what holds across them (one
/// primary key, whose columns are NOT NULL).
struct TableParser {
    enum Key: String, SchemaFileKey {
        case columns
        case primaryKey = "primary_key"
        case unique, checks, exclusions
        case foreignKeys = "foreign_keys"
        case indexes, seed, unlogged, with
        case partitionBy = "partition_by"
        case partitions, triggers, comment
        case renamedFrom = "renamed_from"
        case rowLevelSecurity = "row_level_security"
        case policies
    }

    /// The partitioning strategies `partition_by` may start with.
    static let partitionStrategies = ["RANGE", "LIST", "HASH"]

    let reader: YAMLReader

    func parse(_ keyNode: Node, _ node: Node, positions: inout SourcePositions) -> Table? {
        guard let keyText = reader.string(keyNode, "a table name") else { return nil }
        let name: QualifiedName
        do {
            name = try NameSyntax.qualifiedName(keyText, defaultSchema: SchemaDocumentParser.defaultSchema)
        } catch let failure as NameSyntax.Failure {
            reader.error("table name: \(failure.message)", at: keyNode)
            return nil
        } catch { return nil }
        if positions.tables[name] != nil {
            reader.error("table \(name) is declared twice", at: keyNode)
            return nil
        }
        positions.tables[name] = reader.location(of: keyNode)
        reader.checkIdentifierLength(name.schema, "schema", at: keyNode)
        reader.checkIdentifierLength(name.name, "table", at: keyNode)

        var table = Table(name: name)
        guard let mapping = reader.mapping(node, "table \(name)") else { return nil }
        let entries = reader.entries(mapping, of: Key.self, "table \(name)")
        guard let columnsNode = entries.first(where: { $0.key == .columns })?.value else {
            reader.error("table \(name) has no 'columns'", at: keyNode)
            return nil
        }
        let columns = ColumnParser(reader: reader).parse(columnsNode, into: &table, positions: &positions)
        let constraints = ConstraintParser(reader: reader)
        var partitionsNode: Node?
        for entry in entries {
            let value = entry.value
            switch entry.key {
            case .columns: break
            case .primaryKey:
                if !columns.inlinePrimaryKey.isEmpty {
                    reader.error(
                        "table \(name) declares its primary key twice: on a column and in 'primary_key'",
                        at: entry.keyNode)
                }
                table.primaryKey = constraints.parsePrimaryKey(value, of: name)
            case .unique:
                guard let list = reader.sequence(value, "unique of \(name)") else { continue }
                for item in list {
                    if let unique = constraints.parseUnique(item, of: name) { table.uniqueConstraints.append(unique) }
                }
            case .checks:
                guard let checks = reader.mapping(value, "checks of \(name)") else { continue }
                for (checkKey, checkNode) in checks {
                    guard let checkName = reader.string(checkKey, "a check constraint name"),
                        let check = constraints.parseCheck(checkNode, name: checkName, table: name)
                    else { continue }
                    table.checks.append(check)
                }
            case .exclusions:
                guard let exclusions = reader.mapping(value, "exclusions of \(name)") else { continue }
                for (exclusionKey, exclusionNode) in exclusions {
                    guard let exclusionName = reader.string(exclusionKey, "an exclusion constraint name"),
                        let exclusion = constraints.parseExclusion(exclusionNode, name: exclusionName, table: name)
                    else { continue }
                    reader.checkIdentifierLength(exclusionName, "constraint", at: exclusionKey)
                    positions.exclusions[name, default: [:]][exclusionName] = reader.location(of: exclusionNode)
                    table.exclusions.append(exclusion)
                }
            case .foreignKeys:
                guard let list = reader.sequence(value, "foreign_keys of \(name)") else { continue }
                let parser = ForeignKeyParser(reader: reader)
                for item in list { parser.parse(item, into: &table, positions: &positions) }
            case .indexes:
                guard let list = reader.sequence(value, "indexes of \(name)") else { continue }
                let parser = IndexParser(reader: reader)
                for item in list { parser.parse(item, into: &table) }
            case .seed:
                table.seed = SeedParser(reader: reader).parse(value, table: table, positions: &positions)
            case .triggers:
                table.triggers = TriggerParser(reader: reader).parse(value, of: name)
            case .comment:
                table.comment = reader.string(value, "comment of \(name)")
            case .unlogged:
                table.isUnlogged = reader.bool(value, "unlogged of \(name)") ?? false
            case .with:
                table.storageParameters = reader.storageParameters(value, "with of \(name)")
            case .partitionBy:
                table.partitionBy = reader.string(value, "partition_by of \(name)")
                if let text = table.partitionBy?.uppercased(),
                    !Self.partitionStrategies.contains(where: { text.hasPrefix($0 + " ") || text.hasPrefix($0 + "(") })
                {
                    reader.error(
                        "partition_by of \(name) must start with RANGE, LIST or HASH, as in "
                            + "'RANGE (created_at)', not '\(table.partitionBy ?? "")'", at: value)
                }
            case .partitions:
                partitionsNode = value  // read last, against the table's columns
                positions.partitions[name] = reader.location(of: entry.keyNode)
            case .rowLevelSecurity:
                guard let text = reader.string(value, "row_level_security of \(name)") else { continue }
                guard let mode = RowLevelSecurity(rawValue: text.lowercased()) else {
                    let options = RowLevelSecurity.allCases.map(\.rawValue).joined(separator: ", ")
                    reader.error("row_level_security of \(name) must be one of \(options), not '\(text)'", at: value)
                    continue
                }
                table.rowLevelSecurity = mode
            case .policies:
                table.policies = PolicyParser(reader: reader).parse(value, of: name)
            case .renamedFrom:
                guard let text = reader.string(value, "renamed_from of \(name)") else { continue }
                do {
                    table.renamedFrom = try NameSyntax.qualifiedName(text, defaultSchema: name.schema)
                    positions.renames[name] = reader.location(of: value)
                } catch let failure as NameSyntax.Failure {
                    reader.error("renamed_from of \(name): \(failure.message)", at: value)
                } catch {}
            }
        }
        if table.primaryKey == nil, !columns.inlinePrimaryKey.isEmpty {
            table.primaryKey = PrimaryKey(
                name: DefaultNames.primaryKey(table: name.name),
                columns: columns.inlinePrimaryKey)
        }
        // PostgreSQL makes primary-key columns NOT NULL; say so in the model, or every check would see drift.
        if let primaryKey = table.primaryKey {
            for index in table.columns.indices where primaryKey.columns.contains(table.columns[index].name) {
                if let mark = columns.explicitlyNullable[table.columns[index].name] {
                    reader.error(
                        "column '\(table.columns[index].name)' of \(name) is in the primary key, "
                            + "so it cannot be nullable", at: mark)
                }
                table.columns[index].isNullable = false
            }
        }
        if let partitionsNode {
            table.partitions = PartitionParser(reader: reader).parse(partitionsNode, of: table)
        }
        return table
    }
}
