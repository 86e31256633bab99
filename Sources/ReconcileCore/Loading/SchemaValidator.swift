/// Checks what no single object can check alone, once every declaration is read: names a constraint, index
/// or seed uses, foreign-key targets, one namespace for tables and indexes, renames. It also fills in what
/// the file may leave implicit (a foreign key's target columns and a seed's key: the primary key).
/// Problems are reported where the object was declared, as `positions` recorded it.
final class SchemaValidator {
    private let positions: SourcePositions
    /// For a problem whose object has no recorded position.
    private let file: String
    /// "this file", or "the schema folder": where a foreign key's target should have been declared.
    private let scope: String
    private(set) var diagnostics: [Diagnostic] = []

    init(positions: SourcePositions, file: String, scope: String = "this file") {
        self.positions = positions
        self.file = file
        self.scope = scope
    }

    /// The tables with implicit columns filled in; problems are in `diagnostics`.
    func validate(_ tables: [Table]) -> [Table] {
        let tables = resolvingImplicitColumns(tables)
        validateNames(tables)
        validateRenames(tables)
        return tables
    }

    private func error(_ message: String, at location: SourceLocation?) {
        diagnostics.append(
            Diagnostic(
                file: location?.file ?? file, line: location?.line ?? 0,
                column: location?.column ?? 0, message: message))
    }

    /// A foreign key's target columns and a seed's key both default to the primary key.
    private func resolvingImplicitColumns(_ tables: [Table]) -> [Table] {
        let primaryKeys = Dictionary(
            tables.map { ($0.name, $0.primaryKey?.columns ?? []) },
            uniquingKeysWith: { first, _ in first })
        return tables.map { table in
            var table = table
            for index in table.foreignKeys.indices where table.foreignKeys[index].referencedColumns.isEmpty {
                table.foreignKeys[index].referencedColumns = primaryKeys[table.foreignKeys[index].referencedTable] ?? []
            }
            if table.seed?.key.isEmpty == true { table.seed?.key = table.primaryKey?.columns ?? [] }
            return table
        }
    }

    private func validateNames(_ tables: [Table]) {
        let byName = Dictionary(tables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var relationNames: [String: [String: QualifiedName]] = [:]  // schema -> relation name -> owner table
        for table in tables { relationNames[table.name.schema, default: [:]][table.name.name] = table.name }
        for table in tables {
            let location = positions.partitions[table.name] ?? positions.tables[table.name]
            if !table.partitions.isEmpty, table.partitionBy == nil {
                error("\(table.name) declares partitions but no partition_by", at: location)
            }
            for partition in table.partitions {
                if let owner = relationNames[partition.name.schema]?[partition.name.name] {
                    error(
                        "partition \(partition.name) of \(table.name) has the name of "
                            + (owner == table.name ? "its table" : "\(owner)"), at: location)
                } else {
                    relationNames[partition.name.schema, default: [:]][partition.name.name] = table.name
                }
            }
        }

        for table in tables {
            let location = positions.tables[table.name]
            let columnNames = table.columns.map(\.name)
            func checkColumns(_ columns: [String], _ what: String, repeats: Bool = false) {
                for column in columns where !columnNames.contains(column) {
                    error(
                        "\(what) of \(table.name) names unknown column '\(column)'"
                            + Suggestion.didYouMean(column, columnNames), at: location)
                }
                if !repeats, Set(columns).count != columns.count {
                    error("\(what) of \(table.name) lists a column twice", at: location)
                }
            }
            if let primaryKey = table.primaryKey {
                checkColumns(primaryKey.columns, "primary key")
                checkColumns(primaryKey.index?.include ?? [], "include of the primary key", repeats: true)
            }
            for exclusion in table.exclusions {
                // Elements that start with a column name; expressions are the server's to check.
                let columns = ExclusionDefinition(exclusion.definition)?.elements.compactMap(\.leadingColumn) ?? []
                let exclusionLocation = positions.exclusions[table.name]?[exclusion.name] ?? location
                for column in columns where !columnNames.contains(column) {
                    error(
                        "exclusion constraint \(exclusion.name) of \(table.name) names unknown column "
                            + "'\(column)'\(Suggestion.didYouMean(column, columnNames))", at: exclusionLocation)
                }
            }
            for unique in table.uniqueConstraints {
                checkColumns(unique.columns, "unique constraint \(unique.name)")
                checkColumns(unique.index?.include ?? [], "include of unique constraint \(unique.name)", repeats: true)
            }
            for trigger in table.triggers {
                checkColumns(trigger.updateColumns, "update_of of trigger \(SQL.displayIdentifier(trigger.name))")
            }
            for index in table.indexes {
                let columns = index.keys.compactMap { key -> String? in
                    if case .column(let column) = key { return column }
                    return nil
                }
                checkColumns(columns, "index \(index.name)")
            }
            var constraintNames = Set<String>()
            for name in table.constraintNames where !constraintNames.insert(name).inserted {
                error("constraint name '\(name)' is used twice in \(table.name)", at: location)
            }
            // Tables, indexes and the indexes behind primary keys, unique and exclusion constraints share one
            // namespace per schema.
            let ownedRelations =
                (table.primaryKey.map { [$0.name] } ?? []) + table.uniqueConstraints.map(\.name)
                + table.exclusions.map(\.name) + table.indexes.map(\.name)
            for relation in ownedRelations {
                if let owner = relationNames[table.name.schema]?[relation] {
                    error(
                        "the name '\(relation)' is used twice in schema \(SQL.displayIdentifier(table.name.schema)) "
                            + "(also by \(owner)); indexes and tables share one namespace", at: location)
                } else {
                    relationNames[table.name.schema, default: [:]][relation] = table.name
                }
            }
            for foreignKey in table.foreignKeys {
                validateForeignKey(
                    foreignKey, of: table, tables: byName, declared: tables,
                    at: positions.foreignKeys[table.name]?[foreignKey.name] ?? location)
            }
            if let seed = table.seed { validateSeed(seed, of: table) }
        }
    }

    private func validateForeignKey(
        _ foreignKey: ForeignKey, of table: Table, tables: [QualifiedName: Table],
        declared: [Table], at location: SourceLocation?
    ) {
        let what = "foreign key \(foreignKey.name) of \(table.name)"
        let columnNames = table.columns.map(\.name)
        for column in foreignKey.columns where !columnNames.contains(column) {
            error(
                "\(what) names unknown column '\(column)'\(Suggestion.didYouMean(column, columnNames))",
                at: location)
        }
        guard let target = tables[foreignKey.referencedTable] else {
            // In declaration order, so a tie between two close names suggests the same one every run (the
            // dictionary's order changes from run to run).
            let known = declared.map(\.name.description)
            error(
                "\(what) references \(foreignKey.referencedTable), which is not declared in \(scope)"
                    + Suggestion.didYouMean(foreignKey.referencedTable.description, known)
                    + "; declare it (a minimal table is enough)", at: location)
            return
        }
        let targetColumns = foreignKey.referencedColumns
        if targetColumns.isEmpty {
            error(
                "\(what) references \(target.name), which has no primary key; name the referenced columns",
                at: location)
            return
        }
        for column in targetColumns where target.column(column) == nil {
            error(
                "\(what) references unknown column '\(column)' of \(target.name)"
                    + Suggestion.didYouMean(column, target.columns.map(\.name)), at: location)
        }
        if targetColumns.count != foreignKey.columns.count {
            error(
                "\(what) has \(foreignKey.columns.count) column(s) but references \(targetColumns.count)",
                at: location)
        }
        if !target.uniqueColumnSets.contains(Set(targetColumns)) {
            error(
                "\(what) references \(target.name)(\(targetColumns.joined(separator: ", "))), which is not its "
                    + "primary key or a unique constraint", at: location)
        }
    }

    private func validateSeed(_ seed: Seed, of table: Table) {
        let locations = positions.seeds[table.name]
        let key = seed.key
        guard !key.isEmpty else {
            error("seed of \(table.name) has no key: declare a primary key or 'key:'", at: locations?.seed)
            return
        }
        for column in key where table.column(column) == nil {
            error("seed key of \(table.name) names unknown column '\(column)'", at: locations?.seed)
        }
        if !table.uniqueColumnSets.contains(Set(key)) {
            error(
                "seed key (\(key.joined(separator: ", "))) of \(table.name) must be its primary key or a unique "
                    + "constraint, so rows can be matched safely", at: locations?.seed)
        }
        var seenKeys = Set<[Literal]>()
        for (index, row) in seed.rows.enumerated() {
            let rowLocation = locations?.rows[index]
            let keyValues = key.map { row[$0] }
            if keyValues.contains(where: { $0 == nil || $0 == .null }) {
                error(
                    "seeded row of \(table.name) has no value for key column(s) \(key.joined(separator: ", "))",
                    at: rowLocation)
                continue
            }
            if !seenKeys.insert(keyValues.compactMap { $0 }).inserted {
                error("seeded row of \(table.name) repeats the key of an earlier row", at: rowLocation)
            }
            for column in table.columns where column.needsExplicitValue && row[column.name] == nil {
                error(
                    "seeded row of \(table.name) leaves out '\(column.name)', which is NOT NULL and has no default",
                    at: rowLocation)
            }
            for (column, _) in row.values where table.column(column)?.generated != nil {
                error("seeded row of \(table.name) sets '\(column)', which is generated", at: rowLocation)
            }
            for (column, value) in row.values where value == .null && table.column(column)?.isNullable == false {
                error("seeded row of \(table.name) sets NOT NULL column '\(column)' to null", at: rowLocation)
            }
        }
    }

    /// Domains and composite types share PostgreSQL's type namespace with enum types and with the row type of
    /// every table: a name may be one of them only.
    func validateTypeNames(_ document: ParsedDocument) {
        let enums = Set(document.enums.map(\.name))
        let tables = Set(document.tables.map(\.name))
        for name in document.domains.map(\.name) + document.compositeTypes.map(\.name) {
            if enums.contains(name) {
                error(
                    "type \(name) is declared as an enum too: also at \(positions.enums[name].map { "\($0)" } ?? "?")",
                    at: positions.types[name])
            } else if tables.contains(name) {
                error("type \(name) has the name of a table, whose row type it would be", at: positions.types[name])
            }
        }
        // Views share the namespace of tables (and of their row types).
        let typeNames = Set(document.domains.map(\.name) + document.compositeTypes.map(\.name)).union(enums)
        for view in document.views {
            if tables.contains(view.name) {
                error(
                    "\(view.kind.rawValue) \(view.name) has the name of a table: also at "
                        + (positions.tables[view.name].map { "\($0)" } ?? "?"), at: positions.views[view.name])
            } else if typeNames.contains(view.name) {
                error(
                    "\(view.kind.rawValue) \(view.name) has the name of a type, which its row type would take",
                    at: positions.views[view.name])
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
                    error(
                        "table \(table.name) is renamed_from \(old), which is also declared; remove one",
                        at: positions.renames[table.name])
                } else if let other = claimed[old] {
                    error(
                        "tables \(other) and \(table.name) are both renamed_from \(old)",
                        at: positions.renames[table.name])
                }
                claimed[old] = table.name
            }
            var columnClaims = Set<String>()
            for column in table.columns {
                guard let old = column.renamedFrom else { continue }
                if table.column(old) != nil || !columnClaims.insert(old).inserted {
                    error(
                        "column \(SQL.displayIdentifier(column.name)) of \(table.name) is renamed_from '\(old)', "
                            + "which is another declared column or claimed twice", at: positions.tables[table.name])
                }
            }
        }
    }
}
