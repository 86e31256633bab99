/// Compares the declared schema with the live one and lists the changes that make them equal.
///
/// `canonical` is the declared schema as the server itself spells it (types, defaults, check and index
/// text read back from a scratch copy), so that `int` and `integer` never look different. Pass nil when the
/// declared schema is already canonical (unit tests, exported files).
public struct Differ: Sendable {
    public var desired: Schema
    public var canonical: Schema
    public var live: Schema
    /// Per seeded table, the state of each declared row in order; absent means "not known", i.e. all missing.
    public var seedStates: [QualifiedName: [SeedRowState]]

    public init(desired: Schema, canonical: Schema? = nil, live: Schema, seedStates: [QualifiedName: [SeedRowState]] = [:]) {
        self.desired = desired
        self.canonical = canonical ?? desired
        self.live = live
        self.seedStates = seedStates
    }

    public func changes() -> [Change] {
        var changes: [Change] = []
        let liveTables = live.tablesByName
        let canonicalTables = canonical.tablesByName
        let liveSchemas = Set(live.schemaNames)

        for schema in desired.schemaNames where !liveSchemas.contains(schema) {
            changes.append(Change(.createSchema(schema)))
        }

        let newTables = desired.tables.filter { liveTables[$0.name] == nil }
        var created = Set(liveTables.keys)
        for table in Self.creationOrder(newTables) {
            // A foreign key goes inline when its target exists by the time this table is created.
            let inline = table.foreignKeys.filter { created.contains($0.referencedTable) || $0.referencedTable == table.name }
            changes.append(Change(.createTable(table, inlineForeignKeys: inline)))
            created.insert(table.name)
            for foreignKey in table.foreignKeys where !inline.contains(foreignKey) {
                changes.append(Change(.addForeignKey(table.name, foreignKey)))
            }
            for index in table.indexes { changes.append(Change(.createIndex(table.name, index))) }
            if let seed = table.seed, !seed.rows.isEmpty {
                changes.append(Change(.seedRows(table, rows: seed.rows, mode: seed.mode)))
            }
        }

        for table in desired.tables {
            guard let liveTable = liveTables[table.name] else { continue }
            changes += TableDiffer(desired: table, canonical: canonicalTables[table.name] ?? table, live: liveTable).changes()
            if let seed = table.seed {
                changes += seedChanges(table, seed)
            }
        }

        let declared = Set(desired.tables.map(\.name))
        let unmanaged = live.tables.filter { !declared.contains($0.name) && desired.schemaNames.contains($0.name.schema) }
        for table in Self.creationOrder(unmanaged).reversed() {
            changes.append(Change(.dropTable(table.name)))
        }
        return changes
    }

    private func seedChanges(_ table: Table, _ seed: Seed) -> [Change] {
        let states = seedStates[table.name] ?? Array(repeating: .missing, count: seed.rows.count)
        let rows = zip(seed.rows, states).compactMap { row, state -> SeedRow? in
            switch state {
            case .missing: return row
            case .matches: return nil
            case .differs: return seed.mode == .enforce ? row : nil
            }
        }
        return rows.isEmpty ? [] : [Change(.seedRows(table, rows: rows, mode: seed.mode))]
    }

    /// Tables ordered so that each comes after the tables its foreign keys reference (name order otherwise);
    /// tables in a reference cycle keep name order, and their keys are added after creation.
    static func creationOrder(_ tables: [Table]) -> [Table] {
        let names = Set(tables.map(\.name))
        var remaining = tables.sorted { $0.name < $1.name }
        var ordered: [Table] = []
        var placed = Set<QualifiedName>()
        while !remaining.isEmpty {
            let readyIndex = remaining.firstIndex { table in
                table.foreignKeys.allSatisfy { key in
                    key.referencedTable == table.name || !names.contains(key.referencedTable) || placed.contains(key.referencedTable)
                }
            } ?? 0 // a cycle: break it at the first table by name
            let table = remaining.remove(at: readyIndex)
            ordered.append(table)
            placed.insert(table.name)
        }
        return ordered
    }
}

/// The changes within one table that exists on both sides.
struct TableDiffer {
    let desired: Table
    let canonical: Table
    let live: Table

    func changes() -> [Change] {
        let name = desired.name
        var changes: [Change] = []
        for column in desired.columns {
            guard let liveColumn = live.column(column.name) else {
                changes.append(Change(.addColumn(name, column)))
                continue
            }
            changes += columnChanges(column, canonical: canonical.column(column.name) ?? column, live: liveColumn)
        }
        changes += constraintChanges()
        changes += indexChanges()
        for column in live.columns where desired.column(column.name) == nil {
            changes.append(Change(.dropColumn(name, column: column.name)))
        }
        return changes
    }

    private func columnChanges(_ column: Column, canonical: Column, live: Column) -> [Change] {
        let name = desired.name
        var changes: [Change] = []
        if canonical.type != live.type {
            changes.append(Change(.alterColumnType(name, column: column.name, from: live.type, to: column.type)))
        }
        switch (canonical.identity, live.identity) {
        case (nil, .some): changes.append(Change(.dropIdentity(name, column: column.name)))
        case (.some(let kind), nil): changes.append(Change(.addIdentity(name, column: column.name, kind)))
        case (.some(let kind), .some(let liveKind)) where kind != liveKind:
            changes.append(Change(.setIdentity(name, column: column.name, kind)))
        default: break
        }
        if canonical.identity == nil, !canonical.isSerial, !live.isSerial, canonical.defaultValue != live.defaultValue {
            if let value = column.defaultValue {
                changes.append(Change(.setDefault(name, column: column.name, value)))
            } else {
                changes.append(Change(.dropDefault(name, column: column.name)))
            }
        }
        if canonical.isNullable != live.isNullable {
            // Primary keys and identities imply NOT NULL; dropping it only makes sense for plain columns.
            changes.append(Change(canonical.isNullable ? .dropNotNull(name, column: column.name)
                                                       : .setNotNull(name, column: column.name)))
        }
        return changes
    }

    /// A constraint as the differ compares it: its name and a text that is equal exactly when the
    /// definitions are equal.
    private struct ConstraintKey {
        let name: String
        let signature: String
        let add: Change.Kind?
    }

    private func constraintKeys(_ table: Table, adding written: Table?) -> [ConstraintKey] {
        let name = table.name
        let separator = "\u{1F}"
        var keys: [ConstraintKey] = []
        if let key = table.primaryKey {
            keys.append(ConstraintKey(name: key.name, signature: "p" + key.columns.joined(separator: separator),
                                      add: written?.primaryKey.map { .addPrimaryKey(name, $0) }))
        }
        for unique in table.uniqueConstraints {
            keys.append(ConstraintKey(name: unique.name, signature: "u" + unique.columns.joined(separator: separator),
                                      add: written?.uniqueConstraints.first { $0.name == unique.name }.map { .addUnique(name, $0) }))
        }
        for check in table.checks {
            keys.append(ConstraintKey(name: check.name, signature: "c" + check.expression,
                                      add: written?.checks.first { $0.name == check.name }.map { .addCheck(name, $0) }))
        }
        for key in table.foreignKeys {
            let signature = ["f" + key.columns.joined(separator: separator), key.referencedTable.schema, key.referencedTable.name,
                             key.referencedColumns.joined(separator: separator), key.onDelete.rawValue, key.onUpdate.rawValue]
            keys.append(ConstraintKey(name: key.name, signature: signature.joined(separator: "\u{1E}"),
                                      add: written?.foreignKeys.first { $0.name == key.name }.map { .addForeignKey(name, $0) }))
        }
        return keys
    }

    private func constraintChanges() -> [Change] {
        let wanted = constraintKeys(canonical, adding: desired)
        let existing = constraintKeys(live, adding: nil)
        return matchByName(wanted: wanted.map { ($0.name, $0.signature, $0.add) },
                           existing: existing.map { ($0.name, $0.signature) },
                           rename: { .renameConstraint(desired.name, from: $0, to: $1) },
                           drop: { .dropConstraint(desired.name, name: $0, replaced: $1) })
    }

    private func indexChanges() -> [Change] {
        func signature(_ index: Index) -> String {
            (index.isUnique ? "UNIQUE " : "") + (index.canonicalDefinition ?? SQLRenderer.indexDefinitionTail(index))
        }
        let wanted = canonical.indexes.map { index in
            (index.name, signature(index),
             desired.indexes.first { $0.name == index.name }.map { Change.Kind.createIndex(desired.name, $0) })
        }
        let existing = live.indexes.map { ($0.name, signature($0)) }
        return matchByName(wanted: wanted, existing: existing,
                           rename: { .renameIndex(desired.name, from: $0, to: $1) },
                           drop: { .dropIndex(desired.name, name: $0, replaced: $1) })
    }

    /// Same name and definition: nothing. Same name, other definition: replace. Another name with the
    /// same definition: rename. Otherwise add; and what is left on the live side is dropped.
    private func matchByName(wanted: [(String, String, Change.Kind?)], existing: [(String, String)],
                             rename: (String, String) -> Change.Kind,
                             drop: (String, Bool) -> Change.Kind) -> [Change] {
        var changes: [Change] = []
        let wantedNames = Set(wanted.map(\.0))
        var unmatched = existing.filter { !wantedNames.contains($0.0) }
        let existingByName = Dictionary(existing.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
        for (name, signature, add) in wanted {
            guard let add else { continue }
            if let liveSignature = existingByName[name] {
                if liveSignature != signature {
                    changes.append(Change(drop(name, true)))
                    changes.append(Change(add))
                }
            } else if let index = unmatched.firstIndex(where: { $0.1 == signature }) {
                changes.append(Change(rename(unmatched[index].0, name)))
                unmatched.remove(at: index)
            } else {
                changes.append(Change(add))
            }
        }
        for (name, _) in unmatched { changes.append(Change(drop(name, false))) }
        return changes
    }
}
