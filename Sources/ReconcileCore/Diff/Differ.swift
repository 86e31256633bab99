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
    /// Routines, domains and composite types `renamed_from` a live one: renamed first. `live` is then the
    /// state after those renames (what the server prints for what uses them, under their new names).
    public var renames: PendingRenames

    public init(
        desired: Schema, canonical: Schema? = nil, live: Schema, seedStates: [QualifiedName: [SeedRowState]] = [:],
        renames: PendingRenames = PendingRenames()
    ) {
        self.desired = desired
        self.canonical = canonical ?? desired
        self.live = live
        self.seedStates = seedStates
        self.renames = renames
    }

    /// What tables depend on: missing schemas and extensions, new and growing enum types.
    public func prerequisiteChanges() -> [Change] {
        var changes: [Change] = []
        let liveSchemas = Set(live.schemaNames)
        for schema in desired.schemaNames where !liveSchemas.contains(schema) {
            changes.append(Change(.schema(.createSchema(schema))))
        }
        for name in desired.extensions where !live.extensions.contains(name) {
            changes.append(Change(.schema(.createExtension(name, schema: desired.extensionSchemas?[name]))))
        }
        return changes + enumChanges() + sequenceChanges()
            + renames.types.map { Change(.type(.renameType($0.name, from: $0.from, keyword: $0.keyword))) }
            + TypeDiffer(desired: desired, canonical: canonical, live: live).changes()
    }

    /// Standalone sequences: created before the tables (their defaults may use them), changed in place.
    private func sequenceChanges() -> [Change] {
        let liveSequences = Dictionary(live.sequences.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var changes: [Change] = []
        for sequence in desired.sequences {
            guard let current = liveSequences[sequence.name] else {
                changes.append(Change(.sequence(.createSequence(sequence))))
                continue
            }
            if sequence.resolved != current.resolved {
                changes.append(
                    Change(
                        .sequence(
                            .alterSequence(
                                sequence.name, from: current.resolved,
                                to: sequence.resolved))))
            }
        }
        return changes
    }

    public func changes() -> [Change] {
        var changes = prerequisiteChanges()

        // A declared table whose old name exists (and whose new name does not) is renamed, then compared
        // with the renamed live table.
        var liveTables = live.tablesByName
        for table in desired.tables {
            guard let old = table.renamedFrom, liveTables[table.name] == nil, var renamed = liveTables[old] else {
                continue
            }
            changes.append(Change(.table(.renameTable(from: old, to: table.name))))
            liveTables[old] = nil
            renamed.name = table.name
            liveTables[table.name] = renamed
        }
        let canonicalTables = canonical.tablesByName

        let newTables = desired.tables.filter { liveTables[$0.name] == nil }
        let newTablesByName = Dictionary(newTables.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var created = Set(liveTables.keys)
        for table in Self.creationOrder(newTables) {
            // A foreign key goes inline when its target exists by the time this table is created, with the
            // key it references: a new table's unique *index* comes only in the indexes phase, and the key
            // after it. NOT VALID keys and checks come after the table: inside CREATE TABLE, PostgreSQL would
            // validate them.
            let inline = table.foreignKeys.filter { key in
                guard !key.notValid, created.contains(key.referencedTable) || key.referencedTable == table.name
                else { return false }
                guard let target = newTablesByName[key.referencedTable] else { return true }
                return target.hasKeyConstraint(on: key.referencedColumns)
            }
            var createdTable = table
            createdTable.checks = table.checks.filter { !$0.notValid }
            changes.append(Change(.table(.createTable(createdTable, inlineForeignKeys: inline))))
            for check in table.checks where check.notValid {
                changes.append(Change(.constraint(.addCheck(table.name, check))))
            }
            for partition in table.partitions {
                changes.append(Change(.partition(.createPartition(parent: table.name, partition))))
            }
            created.insert(table.name)
            for foreignKey in table.foreignKeys where !inline.contains(foreignKey) {
                changes.append(Change(.constraint(.addForeignKey(table.name, foreignKey))))
            }
            for index in table.indexes { changes.append(Change(.index(.createIndex(table.name, index)))) }
            changes += PolicyDiffer(desired: table, canonical: canonicalTables[table.name] ?? table, live: nil)
                .changes()
        }

        for table in desired.tables {
            guard let liveTable = liveTables[table.name] else { continue }
            let tableChanges = TableDiffer(
                desired: table, canonical: canonicalTables[table.name] ?? table, live: liveTable
            ).changes()
            changes += tableChanges
            changes += PolicyDiffer(
                desired: table, canonical: canonicalTables[table.name] ?? table, live: liveTable,
                columnsChange: !liveTable.policies.isEmpty && PolicyDiffer.changesColumns(tableChanges)
            ).changes()
        }
        changes = Self.withDependentForeignKeys(changes, liveTables: liveTables, desiredTables: desired.tablesByName)
        changes += TriggerDiffer(
            canonical: desired.tables.map { canonicalTables[$0.name] ?? $0 }, live: liveTables
        ).changes()

        // Seeded rows in foreign-key order across all tables, new or not: a parent's rows before its children's.
        for table in Self.creationOrder(desired.tables) {
            guard let seed = table.seed, !seed.rows.isEmpty else { continue }
            if liveTables[table.name] == nil {
                changes.append(Change(.seed(.seedRows(table, rows: seed.rows, mode: seed.mode))))
            } else {
                changes += seedChanges(table, seed)
            }
        }

        let declared = Set(desired.tables.map(\.name))
        let managedSchemas = Set(desired.schemaNames)
        let unmanaged = liveTables.values.filter {
            !declared.contains($0.name) && managedSchemas.contains($0.name.schema)
        }
        for table in Self.dropOrder(Array(unmanaged)) {
            changes.append(Change(.table(.dropTable(table.name))))
        }
        changes += RoutineDiffer(desired: desired, canonical: canonical, live: live, renames: renames.routines)
            .changes()
        changes += renames.views.map(\.change)
        changes += ViewDiffer(desired: desired, canonical: canonical, live: live, otherChanges: changes).changes()
        let declaredSequences = Set(desired.sequences.map(\.name))
        for sequence in live.sequences
        where !declaredSequences.contains(sequence.name) && desired.schemaNames.contains(sequence.name.schema) {
            changes.append(Change(.sequence(.dropSequence(sequence.name))))
        }
        let declaredEnums = Set(desired.enums.map(\.name))
        for type in live.enums
        where !declaredEnums.contains(type.name) && desired.schemaNames.contains(type.name.schema) {
            changes.append(Change(.type(.dropEnum(type.name))))
        }
        return changes + TypeDiffer(desired: desired, canonical: canonical, live: live).drops()
    }

    /// A primary key or unique constraint that is dropped (or replaced) takes the foreign keys that reference
    /// it along: PostgreSQL refuses to drop it while they stand. Those keys are dropped before any other
    /// constraint and added again, as declared, after the new key; keys the plan drops anyway come first too.
    /// So does a partition given new bounds or NOT NULL names: it is detached and attached again, and PostgreSQL
    /// refuses the detach while a foreign key to its table references rows in it.
    static func withDependentForeignKeys(
        _ changes: [Change], liveTables: [QualifiedName: Table],
        desiredTables: [QualifiedName: Table]
    ) -> [Change] {
        var droppedKeys: [(table: QualifiedName, columns: Set<String>?)] = []
        var droppedConstraints = Set<[String]>()
        for change in changes {
            switch change.kind {
            case .partition(.changePartitionBound(let parent, _, _, _)),
                .partition(.renameNotNullConstraints(let parent, _, _)):
                droppedKeys.append((parent, nil))
                continue
            default: break
            }
            guard case .constraint(.dropConstraint(let table, let name, _)) = change.kind else { continue }
            droppedConstraints.insert([table.schema, table.name, name])
            guard let live = liveTables[table] else { continue }
            if let key = live.primaryKey, key.name == name { droppedKeys.append((table, Set(key.columns))) }
            for unique in live.uniqueConstraints where unique.name == name {
                droppedKeys.append((table, Set(unique.columns)))
            }
        }
        guard !droppedKeys.isEmpty else { return changes }
        var foreignKeyDrops: [Change] = []
        var readded: [Change] = []
        for referencing in liveTables.values.sorted(by: { $0.name < $1.name }) {
            for key in referencing.foreignKeys
            where droppedKeys.contains(where: {
                $0.table == key.referencedTable && ($0.columns == nil || $0.columns == Set(key.referencedColumns))
            }) {
                guard !droppedConstraints.contains([referencing.name.schema, referencing.name.name, key.name]) else {
                    continue
                }
                // Around a detach, a key of a table the file no longer declares goes too, and comes back as it
                // is (the table stays without --allow-destructive; with it, it is dropped after).
                let reboundOnly = !droppedKeys.contains { $0.table == key.referencedTable && $0.columns != nil }
                guard
                    let declared = desiredTables[referencing.name]?.foreignKeys.first(where: { $0.name == key.name })
                        ?? (reboundOnly && desiredTables[referencing.name] == nil ? key : nil)
                else { continue }
                foreignKeyDrops.append(
                    Change(
                        .constraint(
                            .dropConstraint(
                                referencing.name, name: key.name,
                                replaced: true))))
                readded.append(Change(.constraint(.addForeignKey(referencing.name, declared))))
            }
        }
        // Every drop of a live foreign key first, so none still holds a key being dropped.
        func isForeignKeyDrop(_ change: Change) -> Bool {
            guard case .constraint(.dropConstraint(let table, let name, _)) = change.kind else { return false }
            return liveTables[table]?.foreignKeys.contains { $0.name == name } ?? false
        }
        let existingForeignKeyDrops = changes.filter(isForeignKeyDrop)
        return foreignKeyDrops + existingForeignKeyDrops + changes.filter { !isForeignKeyDrop($0) } + readded
    }

    /// New enum types, and new values placed where the file puts them. Values can be added but never
    /// removed or reordered in PostgreSQL: such a difference needs a person.
    private func enumChanges() -> [Change] {
        let liveEnums = Dictionary(live.enums.map { ($0.name, $0.values) }, uniquingKeysWith: { a, _ in a })
        var changes: [Change] = []
        for type in desired.enums {
            guard let liveValues = liveEnums[type.name] else {
                changes.append(Change(.type(.createEnum(type))))
                continue
            }
            guard liveValues != type.values else { continue }
            let kept = type.values.filter { liveValues.contains($0) }
            guard kept == liveValues else {
                changes.append(
                    Change(.type(.enumValuesNeedManualChange(type.name, live: liveValues, declared: type.values))))
                continue
            }
            // Each new value goes before the next value that already exists (or at the end).
            for (position, value) in type.values.enumerated() where !liveValues.contains(value) {
                let next = type.values[(position + 1)...].first { liveValues.contains($0) }
                changes.append(Change(.type(.addEnumValue(type.name, value: value, before: next))))
            }
        }
        return changes
    }

    private func seedChanges(_ table: Table, _ seed: Seed) -> [Change] {
        let states = seedStates[table.name] ?? Array(repeating: .missing, count: seed.rows.count)
        var rows: [SeedRow] = []
        var details: [String] = []
        for (row, state) in zip(seed.rows, states) {
            let key = row.keyDescription(seed.key)
            switch state {
            case .matches:
                continue
            case .missing:
                rows.append(row)
                details.append("row \(key) is missing")
            case .differs(let columns):
                // insert-missing keeps what someone changed on purpose: not drift, nothing to do.
                guard seed.mode == .enforce else { continue }
                rows.append(row)
                details.append("row \(key) differs in \(columns.joined(separator: ", "))")
            }
        }
        return rows.isEmpty ? [] : [Change(.seed(.seedRows(table, rows: rows, mode: seed.mode)), details: details)]
    }

    /// Tables ordered so that each is dropped before the tables it references (name order otherwise).
    static func dropOrder(_ tables: [Table]) -> [Table] {
        // A table waits for the tables that reference it.
        var referencedBy: [QualifiedName: Set<QualifiedName>] = [:]
        for table in tables {
            for key in table.foreignKeys where key.referencedTable != table.name {
                referencedBy[key.referencedTable, default: []].insert(table.name)
            }
        }
        return topologicalOrder(
            tables, edgesFrom: { table, names in (referencedBy[table.name] ?? []).intersection(names) })
    }

    /// Tables ordered so that each comes after the tables its foreign keys reference (name order otherwise);
    /// tables in a reference cycle keep name order, and their keys are added after creation.
    static func creationOrder(_ tables: [Table]) -> [Table] {
        topologicalOrder(
            tables,
            edgesFrom: { table, names in
                Set(table.foreignKeys.map(\.referencedTable).filter { $0 != table.name }).intersection(names)
            })
    }

    /// Kahn's algorithm: a table comes once every table it waits for has come; among ready tables, by
    /// name; a cycle is broken at the first waiting table by name. `waitsFor` lists, for one table, the
    /// names it must follow.
    static func topologicalOrder(
        _ tables: [Table], edgesFrom waitsFor: (Table, Set<QualifiedName>) -> Set<QualifiedName>
    ) -> [Table] {
        let sorted = tables.sorted { $0.name < $1.name }
        let names = Set(sorted.map(\.name))
        var waiting: [QualifiedName: Set<QualifiedName>] = [:]
        var dependents: [QualifiedName: [QualifiedName]] = [:]
        for table in sorted {
            let before = waitsFor(table, names)
            waiting[table.name] = before
            for name in before { dependents[name, default: []].append(table.name) }
        }
        let byName = Dictionary(sorted.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var placed = Set<QualifiedName>()
        var ordered: [Table] = []
        var ready = sorted.map(\.name).filter { waiting[$0]?.isEmpty ?? true }
        var readyIndex = 0
        var nextUnplaced = 0
        while ordered.count < sorted.count {
            let name: QualifiedName
            if readyIndex < ready.count {
                name = ready[readyIndex]
                readyIndex += 1
                if placed.contains(name) { continue }
            } else {
                // Only cycles remain: take the first unplaced table by name.
                while placed.contains(sorted[nextUnplaced].name) { nextUnplaced += 1 }
                name = sorted[nextUnplaced].name
            }
            placed.insert(name)
            ordered.append(byName[name]!)
            var released: [QualifiedName] = []
            for dependent in dependents[name] ?? [] where !placed.contains(dependent) {
                waiting[dependent]?.remove(name)
                if waiting[dependent]?.isEmpty == true { released.append(dependent) }
            }
            // Keep the ready list in name order: binary insertion.
            for name in released {
                var low = readyIndex, high = ready.count
                while low < high {
                    let middle = (low + high) / 2
                    if ready[middle] < name { low = middle + 1 } else { high = middle }
                }
                ready.insert(name, at: low)
            }
        }
        return ordered
    }
}
