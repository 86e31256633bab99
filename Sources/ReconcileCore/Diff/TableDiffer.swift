/// The changes within one table that exists on both sides.
struct TableDiffer {
    let desired: Table
    let canonical: Table
    let live: Table

    /// `DEFAULT NULL` (`NULL::character varying` in the catalog) means no default: the two compare equal.
    static func meaning(_ value: ColumnDefault?) -> ColumnDefault? {
        if case .expression(let text)? = value, CatalogText.isNullConstant(text) { return nil }
        return value
    }

    func changes() -> [Change] {
        let name = desired.name
        var changes: [Change] = []
        var liveColumns = live.columns
        if desired.comment != live.comment { changes.append(Change(.table(.setTableComment(name, desired.comment)))) }
        if desired.isUnlogged != live.isUnlogged {
            changes.append(Change(.table(.setUnlogged(name, desired.isUnlogged))))
        }
        changes += partitionChanges()
        let liveParameters = Dictionary(
            live.storageParameters.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        let declaredNames = Set(desired.storageParameters.map(\.name))
        let setParameters = desired.storageParameters.filter { liveParameters[$0.name] != $0.value }
        let resetParameters = live.storageParameters.map(\.name).filter { !declaredNames.contains($0) }
        if !setParameters.isEmpty || !resetParameters.isEmpty {
            changes.append(Change(.table(.setStorageParameters(name, set: setParameters, reset: resetParameters))))
        }
        let changing = columnsChangingUnderneath()
        for column in desired.columns {
            if let old = column.renamedFrom, !liveColumns.contains(where: { $0.name == column.name }),
                let index = liveColumns.firstIndex(where: { $0.name == old })
            {
                changes.append(Change(.column(.renameColumn(name, from: old, to: column.name))))
                liveColumns[index].name = column.name
            }
            guard let liveColumn = liveColumns.first(where: { $0.name == column.name }) else {
                changes.append(Change(.column(.addColumn(name, column))))
                if column.comment != nil {
                    changes.append(Change(.column(.setColumnComment(name, column: column.name, column.comment))))
                }
                continue
            }
            changes += columnChanges(
                column, canonical: canonical.column(column.name) ?? column, live: liveColumn,
                changing: changing)
        }
        // The server drops a rebuilt column's constraints and indexes with it, and a virtual column's checks when
        // a plain column takes its place: they are dropped first (they could block a step before) and added again.
        let rebuilt = Set(
            changes.compactMap { change -> String? in
                switch change.kind {
                case .column(.rebuildGeneratedColumn(_, let column, _)): return column.name
                case .column(.dropExpression(_, let column)):
                    return liveColumns.first { $0.name == column }?.generated?.isStored == false ? column : nil
                default: return nil
                }
            })
        let liveLeft = rebuilt.isEmpty ? live : Self.replacingDependents(of: rebuilt, live, renamed: liveColumns)
        let differ = TableDiffer(desired: desired, canonical: canonical, live: liveLeft)
        changes += differ.constraintChanges()
        changes += differ.indexChanges()
        // A generated column goes before the columns it reads.
        for column in liveColumns.filter({ $0.generated != nil }) + liveColumns.filter({ $0.generated == nil })
        where desired.column(column.name) == nil {
            changes.append(Change(.column(.dropColumn(name, column: column.name))))
        }
        return changes
    }

    /// Live columns, by their live names, that change type, go or are rebuilt: PostgreSQL does none of it under
    /// a generated column that reads them.
    private func columnsChangingUnderneath() -> Set<String> {
        // The live columns under their declared names, as the renames below will leave them.
        var renamed = live.columns
        for column in desired.columns {
            if let old = column.renamedFrom, !renamed.contains(where: { $0.name == column.name }),
                let index = renamed.firstIndex(where: { $0.name == old })
            {
                renamed[index].name = column.name
            }
        }
        var names = Set<String>()
        for (original, current) in zip(live.columns, renamed) {
            guard let declared = canonical.column(current.name) else {
                names.insert(original.name)
                continue
            }
            // A column rebuilt as generated is dropped and added like a column that goes.
            let rebuilt =
                declared.generated != nil
                && (declared.generated != current.generated || declared.type != current.type)
            if declared.type != current.type || rebuilt { names.insert(original.name) }
        }
        return names
    }

    /// `live` with the constraints and indexes that involve the given columns (named as declared; `renamed`
    /// holds the live columns under their declared names, in the live order) changed so that they match nothing:
    /// each is dropped among the drops, before it could block a step, and added again if the file declares it.
    static func replacingDependents(of columns: Set<String>, _ live: Table, renamed: [Column]) -> Table {
        var names = columns
        for (original, current) in zip(live.columns, renamed) where columns.contains(current.name) {
            names.insert(original.name)
        }
        func involves(_ used: [String]) -> Bool { !names.isDisjoint(with: used) }
        func reads(_ text: String) -> Bool { !names.isDisjoint(with: ColumnReferences.names(in: text)) }
        // No column is named "" and no text holds NUL: the marked definitions equal no declared one.
        let marker = "\u{0}"
        var table = live
        if let key = table.primaryKey, involves(key.columns) { table.primaryKey?.columns.append("") }
        for u in table.uniqueConstraints.indices where involves(table.uniqueConstraints[u].columns) {
            table.uniqueConstraints[u].columns.append("")
        }
        for c in table.checks.indices where reads(table.checks[c].expression) { table.checks[c].expression += marker }
        for e in table.exclusions.indices where reads(table.exclusions[e].definition) {
            table.exclusions[e].definition += marker
        }
        for f in table.foreignKeys.indices where involves(table.foreignKeys[f].columns) {
            table.foreignKeys[f].columns.append("")
        }
        for i in table.indexes.indices {
            let definition = table.indexes[i].canonicalDefinition ?? SQLRenderer.indexDefinitionTail(table.indexes[i])
            if reads(definition) { table.indexes[i].canonicalDefinition = definition + marker }
        }
        return table
    }

    private func columnChanges(_ column: Column, canonical: Column, live: Column, changing: Set<String>) -> [Change] {
        let name = desired.name
        var changes: [Change] = []
        var live = live
        let readsChanging =
            live.generated.map { !changing.isDisjoint(with: ColumnReferences.names(in: $0.expression)) }
            ?? false
        if canonical.generated != nil,
            canonical.generated != live.generated || canonical.type != live.type || readsChanging
        {
            // No ALTER makes a column generated (or, before PostgreSQL 17, changes the expression; nor takes a
            // USING to change a generated column's type): the column is rebuilt from its declaration, after the
            // columns it reads. A column it reads now can only change or go once it has no expression.
            if readsChanging { changes.append(Change(.column(.dropExpression(name, column: column.name)))) }
            changes.append(Change(.column(.rebuildGeneratedColumn(name, column, wasGenerated: live.generated != nil))))
            if column.comment != nil {
                changes.append(Change(.column(.setColumnComment(name, column: column.name, column.comment))))
            }
            return changes
        }
        if live.generated != nil, canonical.generated == nil {
            // The column keeps its values and becomes a plain one; the rest compares as for any column.
            changes.append(Change(.column(.dropExpression(name, column: column.name))))
            live.generated = nil
        }
        let typeChanges = canonical.type != live.type
        // A default is re-parsed for the new type and may not convert (text '5' to integer): it is dropped
        // before the type changes and set again after.
        let defaultAcrossTypeChange = typeChanges && live.defaultValue != nil && live.identity == nil && !live.isSerial
        if defaultAcrossTypeChange { changes.append(Change(.column(.dropDefault(name, column: column.name)))) }
        if typeChanges {
            changes.append(
                Change(
                    .column(
                        .alterColumnType(
                            name, column: column.name, from: live.type, to: column.type,
                            lossy: !TypeConversion.isLossless(from: live.type, to: canonical.type)))))
        }
        if canonical.statistics != live.statistics {
            changes.append(Change(.column(.setStatistics(name, column: column.name, canonical.statistics))))
        }
        // A type change gives the column the new type's storage (and may reset its compression): a declared
        // one is set again after it.
        if canonical.storage != live.storage || typeChanges && canonical.storage != nil {
            changes.append(Change(.column(.setStorage(name, column: column.name, canonical.storage))))
        }
        if canonical.compression != live.compression || typeChanges && canonical.compression != nil {
            changes.append(Change(.column(.setCompression(name, column: column.name, canonical.compression))))
        }
        // A type change resets the collation to the new type's default: it is set again after it.
        if canonical.collation != live.collation || typeChanges && canonical.collation != nil {
            changes.append(
                Change(
                    .column(
                        .setCollation(
                            name, column: column.name, type: column.type,
                            collation: canonical.collation))))
        }
        // Order matters to PostgreSQL: a column must lose its default (a serial one, its sequence too) and be
        // NOT NULL before it can become an identity, and must stop being an identity before it can take a default.
        if live.isSerial, !canonical.isSerial {
            changes.append(Change(.column(.dropSerial(name, column: column.name))))
        }
        switch (canonical.identity, live.identity) {
        case (nil, .some): changes.append(Change(.column(.dropIdentity(name, column: column.name))))
        case (.some(let kind), .some(let liveKind)) where kind != liveKind:
            changes.append(Change(.column(.setIdentity(name, column: column.name, kind))))
        default: break
        }
        // A serial column's default went with `dropSerial`.
        let liveDefault = live.isSerial ? nil : live.defaultValue
        if canonical.identity == nil, !canonical.isSerial,
            Self.meaning(canonical.defaultValue) != Self.meaning(liveDefault) || defaultAcrossTypeChange
        {
            if let value = column.defaultValue {
                changes.append(Change(.column(.setDefault(name, column: column.name, value, type: column.type))))
            } else if !defaultAcrossTypeChange {
                changes.append(Change(.column(.dropDefault(name, column: column.name))))
            }
        }
        if canonical.identity != nil, live.identity == nil, !live.isSerial, live.defaultValue != nil {
            changes.append(Change(.column(.dropDefault(name, column: column.name))))
        }
        if canonical.isNullable != live.isNullable {
            changes.append(
                Change(
                    canonical.isNullable
                        ? .column(.dropNotNull(name, column: column.name))
                        : .column(.setNotNull(name, column: column.name, backfill: column.backfill, type: column.type)))
            )
        }
        if case .some(let kind) = canonical.identity, live.identity == nil {
            changes.append(Change(.column(.addIdentity(name, column: column.name, kind, sequence: column.sequence))))
        }
        if canonical.isSerial, !live.isSerial {
            // CREATE SEQUENCE makes a logged sequence, where PostgreSQL would have made an unlogged table's
            // serial unlogged: the table's persistence is spelled out.
            var sequence = column.sequence
            if desired.isUnlogged, sequence?.unlogged == nil {
                sequence = sequence ?? SequenceOptions()
                sequence?.unlogged = true
            }
            changes.append(Change(.column(.addSerial(name, column: column.name, type: canonical.type, sequence))))
        }
        // The same kind of sequence on both sides: its name and options (defaults filled in on both).
        if canonical.identity != nil && live.identity != nil || canonical.isSerial && live.isSerial {
            let declared = (column.sequence ?? SequenceOptions()).resolved(
                table: name, column: column.name, columnType: canonical.type, tableUnlogged: desired.isUnlogged)
            var current = (live.sequence ?? SequenceOptions()).resolved(
                table: name, column: column.name, columnType: live.type, tableUnlogged: self.live.isUnlogged)
            // Making the table LOGGED or UNLOGGED (an earlier step) takes its owned sequences along.
            if desired.isUnlogged != self.live.isUnlogged { current.unlogged = desired.isUnlogged }
            if declared != current {
                changes.append(Change(.column(.alterSequence(name, column: column.name, from: current, to: declared))))
            }
        }
        if column.comment != live.comment {
            changes.append(Change(.column(.setColumnComment(name, column: column.name, column.comment))))
        }
        // A declared NOT NULL constraint name (PostgreSQL 18 has them); without one, any name will do. A
        // column that becomes NOT NULL here gets the server's name first, so it is renamed too.
        if let declaredName = column.notNullName,
            !canonical.isNullable || canonical.identity != nil || canonical.isSerial
        {
            let wasNotNull = !live.isNullable || live.identity != nil || live.isSerial
            if !wasNotNull || live.notNullName.map({ $0 != declaredName }) == true {
                changes.append(
                    Change(
                        .column(
                            .renameNotNullConstraint(
                                name, column: column.name,
                                from: live.notNullName, to: declaredName))))
            }
        }
        return changes
    }

    /// A constraint as the differ compares it: its name and a text that is equal exactly when the
    /// definitions are equal.
    /// Partitions by name; a changed partition key (or partitioning on one side only) needs a person.
    private func partitionChanges() -> [Change] {
        let name = desired.name
        guard canonical.partitionBy == live.partitionBy else {
            return [
                Change(
                    .partition(
                        .partitionKeyNeedsManualChange(
                            name, live: live.partitionBy,
                            declared: desired.partitionBy)))
            ]
        }
        var changes: [Change] = []
        let liveBounds = Dictionary(live.partitions.map { ($0.name, $0.bound) }, uniquingKeysWith: { a, _ in a })
        let rebound = canonical.partitions.filter { partition in
            liveBounds[partition.name].map { $0 != partition.bound } ?? false
        }
        for (declared, partition) in zip(desired.partitions, canonical.partitions) {
            switch liveBounds[partition.name] {
            case nil: changes.append(Change(.partition(.createPartition(parent: name, declared))))
            case let bound? where bound != partition.bound:
                changes.append(
                    Change(.partition(.changePartitionBound(parent: name, declared, from: bound, rebound: rebound))))
            case .some: break
            }
            // Servers before 18 have no names to read, and nothing to rename.
            if let livePartition = live.partitions.first(where: { $0.name == partition.name }) {
                let renamed = Dictionary(
                    uniqueKeysWithValues: declared.notNullNames.compactMap { column, name in
                        livePartition.notNullNames[column].flatMap { $0 == name ? nil : (column, $0) }
                    })
                if !renamed.isEmpty {
                    changes.append(
                        Change(.partition(.renameNotNullConstraints(parent: name, declared, live: renamed))))
                }
            }
        }
        let declaredNames = Set(desired.partitions.map(\.name))
        for partition in live.partitions where !declaredNames.contains(partition.name) {
            changes.append(Change(.partition(.dropPartition(parent: name, partition.name))))
        }
        return changes
    }

    /// What makes two constraints the same, their names aside. Whether one is validated is not part of
    /// it: a declared NOT VALID constraint is satisfied by a validated one, and the other way round the
    /// constraint is validated in place (`validations`), never replaced.
    private enum ConstraintDefinition: Hashable {
        /// `include`: the index's INCLUDE columns. Its storage parameters are not part of the definition: they
        /// change in place (`keyStorageParameterChanges`).
        case primaryKey(columns: [String], Deferral, include: [String])
        case unique(columns: [String], Deferral, nullsNotDistinct: Bool, include: [String])
        case check(expression: String, noInherit: Bool)
        /// The canonical text after `EXCLUDE` (see `Canonicalizer`), so any change of method, element,
        /// operator, INCLUDE, WITH or predicate replaces the constraint.
        case exclusion(definition: String, Deferral)
        case foreignKey(
            columns: [String], references: QualifiedName, referencedColumns: [String],
            onDelete: ReferentialAction, onUpdate: ReferentialAction, matchFull: Bool, Deferral)
    }

    private struct ConstraintKey {
        let name: String
        let definition: ConstraintDefinition
        let add: Change.Kind?
    }

    private func constraintKeys(_ table: Table, adding written: Table?) -> [ConstraintKey] {
        let name = table.name
        var keys: [ConstraintKey] = []
        if let key = table.primaryKey {
            keys.append(
                ConstraintKey(
                    name: key.name,
                    definition: .primaryKey(columns: key.columns, key.deferral, include: key.index?.include ?? []),
                    add: written?.primaryKey.map { .constraint(.addPrimaryKey(name, $0)) }))
        }
        for unique in table.uniqueConstraints {
            let written = written?.uniqueConstraints.first { $0.name == unique.name }
            keys.append(
                ConstraintKey(
                    name: unique.name,
                    definition: .unique(
                        columns: unique.columns, unique.deferral, nullsNotDistinct: unique.nullsNotDistinct,
                        include: unique.index?.include ?? []),
                    add: written.map { .constraint(.addUnique(name, $0)) }))
        }
        for check in table.checks {
            let written = written?.checks.first { $0.name == check.name }
            keys.append(
                ConstraintKey(
                    name: check.name,
                    definition: .check(
                        expression: check.expression,
                        noInherit: check.noInherit),
                    add: written.map { .constraint(.addCheck(name, $0)) }))
        }
        for exclusion in table.exclusions {
            let written = written?.exclusions.first { $0.name == exclusion.name }
            keys.append(
                ConstraintKey(
                    name: exclusion.name,
                    definition: .exclusion(definition: exclusion.definition, exclusion.deferral),
                    add: written.map { .constraint(.addExclusion(name, $0)) }))
        }
        for key in table.foreignKeys {
            let written = written?.foreignKeys.first { $0.name == key.name }
            let definition = ConstraintDefinition.foreignKey(
                columns: key.columns, references: key.referencedTable, referencedColumns: key.referencedColumns,
                onDelete: key.onDelete, onUpdate: key.onUpdate, matchFull: key.matchFull, key.deferral)
            keys.append(
                ConstraintKey(
                    name: key.name, definition: definition,
                    add: written.map { .constraint(.addForeignKey(name, $0)) }))
        }
        return keys
    }

    private func constraintChanges() -> [Change] {
        let wanted = constraintKeys(canonical, adding: desired)
        let existing = constraintKeys(live, adding: nil)
        let matched = matchByName(
            wanted: wanted.map { ($0.name, $0.definition, $0.add) },
            existing: existing.map { ($0.name, $0.definition) },
            rename: { .constraint(.renameConstraint(desired.name, from: $0, to: $1)) },
            drop: { .constraint(.dropConstraint(desired.name, name: $0, replaced: $1)) })
        return matched
            + validations(
                existing: Dictionary(existing.map { ($0.name, $0.definition) }, uniquingKeysWith: { a, _ in a }),
                wanted: Dictionary(wanted.map { ($0.name, $0.definition) }, uniquingKeysWith: { a, _ in a }))
            + keyStorageParameterChanges(after: matched)
    }

    /// The storage parameters of the indexes of keys that stay (kept, or renamed to the declared name): set and
    /// reset on the index in place (`ALTER INDEX ... SET (...)`), which rebuilds nothing. An added or replaced
    /// key's index is built with its own.
    private func keyStorageParameterChanges(after matched: [Change]) -> [Change] {
        var liveName: [String: String] = [:]
        var added = Set<String>()
        for change in matched {
            if case .constraint(.renameConstraint(_, let from, let to)) = change.kind { liveName[to] = from }
            if case .constraint(.addPrimaryKey(_, let key)) = change.kind { added.insert(key.name) }
            if case .constraint(.addUnique(_, let unique)) = change.kind { added.insert(unique.name) }
        }
        var liveKeys: [String: KeyIndexOptions?] = [:]
        if let key = live.primaryKey { liveKeys[key.name] = key.index }
        for unique in live.uniqueConstraints { liveKeys[unique.name] = unique.index }
        var declaredKeys: [(name: String, index: KeyIndexOptions?)] = []
        if let key = canonical.primaryKey, desired.primaryKey != nil { declaredKeys.append((key.name, key.index)) }
        for unique in canonical.uniqueConstraints
        where desired.uniqueConstraints.contains(where: { $0.name == unique.name }) {
            declaredKeys.append((unique.name, unique.index))
        }
        var changes: [Change] = []
        for (name, index) in declaredKeys where !added.contains(name) {
            guard let liveIndex = liveKeys[liveName[name] ?? name] else { continue }
            let declared = index?.storageParameters ?? []
            let current = Dictionary(
                (liveIndex?.storageParameters ?? []).map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
            let declaredNames = Set(declared.map(\.name))
            let set = declared.filter { current[$0.name] != $0.value }
            let reset = (liveIndex?.storageParameters ?? []).map(\.name).filter { !declaredNames.contains($0) }
            guard !set.isEmpty || !reset.isEmpty else { continue }
            changes.append(
                Change(.constraint(.setKeyStorageParameters(desired.name, constraint: name, set: set, reset: reset))))
        }
        return changes
    }

    /// Live NOT VALID checks and foreign keys that the file declares validated, and that stay as they are.
    /// A live constraint renamed to a declared one (same definition, its own name not declared) counts as
    /// that one: it is validated under its new name, after the rename.
    private func validations(
        existing: [String: ConstraintDefinition],
        wanted: [String: ConstraintDefinition]
    ) -> [Change] {
        func unchanged(_ name: String) -> Bool { existing[name] != nil && existing[name] == wanted[name] }
        func becomes(_ liveName: String, _ name: String) -> Bool {
            liveName == name
                ? unchanged(name)
                : existing[name] == nil && wanted[liveName] == nil && existing[liveName] == wanted[name]
        }
        var changes: [Change] = []
        for check in canonical.checks
        where !check.notValid
            && live.checks.contains(where: { $0.notValid && becomes($0.name, check.name) })
        {
            changes.append(Change(.constraint(.validateCheck(desired.name, check))))
        }
        for key in canonical.foreignKeys
        where !key.notValid
            && live.foreignKeys.contains(where: { $0.notValid && becomes($0.name, key.name) })
        {
            changes.append(Change(.constraint(.validateForeignKey(desired.name, key))))
        }
        return changes
    }

    private func indexChanges() -> [Change] {
        func signature(_ index: Index) -> String {
            (index.isUnique ? "UNIQUE " : "") + (index.canonicalDefinition ?? SQLRenderer.indexDefinitionTail(index))
        }
        let wanted = canonical.indexes.map { index in
            (
                index.name, signature(index),
                desired.indexes.first { $0.name == index.name }.map {
                    Change.Kind.index(.createIndex(desired.name, $0))
                }
            )
        }
        // An INVALID index (an interrupted concurrent build) matches nothing: it is dropped, and a declared
        // index of its name is then missing and built again.
        let invalid = live.indexes.filter { $0.isInvalid == true }.map {
            Change(.index(.dropInvalidIndex(desired.name, name: $0.name)))
        }
        let existing = live.indexes.filter { $0.isInvalid != true }.map { ($0.name, signature($0)) }
        let changes =
            invalid
            + matchByName(
                wanted: wanted, existing: existing,
                rename: { .index(.renameIndex(desired.name, from: $0, to: $1)) },
                drop: { .index(.dropIndex(desired.name, name: $0, replaced: $1)) })
        // Statistics targets of indexes that stay (a created or replaced index sets its own).
        var liveName: [String: String] = [:]
        for change in changes {
            if case .index(.renameIndex(_, let from, let to)) = change.kind { liveName[to] = from }
        }
        let liveIndexes = Dictionary(
            live.indexes.filter { $0.isInvalid != true }.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var statistics: [Change] = []
        for index in canonical.indexes where desired.indexes.contains(where: { $0.name == index.name }) {
            guard let liveIndex = liveIndexes[liveName[index.name] ?? index.name],
                signature(liveIndex) == signature(index)
            else { continue }
            let declared = Dictionary(
                (index.statistics ?? []).map { ($0.column, $0.target) }, uniquingKeysWith: { a, _ in a })
            let current = Dictionary(
                (liveIndex.statistics ?? []).map { ($0.column, $0.target) },
                uniquingKeysWith: { a, _ in a })
            for column in Set(declared.keys).union(current.keys).sorted() where declared[column] != current[column] {
                statistics.append(
                    Change(
                        .index(
                            .setStatistics(
                                desired.name, index: index.name, column: column,
                                target: declared[column]))))
            }
        }
        return changes + statistics
    }

    /// Same name and definition: nothing. Same name, other definition: replace. Another name with the
    /// same definition: rename. Otherwise add; and what is left on the live side is dropped.
    private func matchByName<Signature: Hashable>(
        wanted: [(String, Signature, Change.Kind?)],
        existing: [(String, Signature)],
        rename: (String, String) -> Change.Kind,
        drop: (String, Bool) -> Change.Kind
    ) -> [Change] {
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
