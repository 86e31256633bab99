import Yams

/// A table's primary key, unique, check and exclusion constraints. Foreign keys, which also resolve a target
/// table, have their own parser.
struct ConstraintParser {
    enum PrimaryKeyKey: String, DeferrableConstraintKey {
        case name, columns, include, with, deferrable
        case initiallyDeferred = "initially_deferred"
    }

    enum UniqueKey: String, DeferrableConstraintKey {
        case name, columns
        case nullsNotDistinct = "nulls_not_distinct"
        case include, with, deferrable
        case initiallyDeferred = "initially_deferred"
    }

    enum CheckKey: String, SchemaFileKey {
        case expression
        case notValid = "not_valid", noInherit = "no_inherit"
    }

    enum ExclusionKey: String, DeferrableConstraintKey {
        case definition, deferrable
        case initiallyDeferred = "initially_deferred"
    }

    let reader: YAMLReader

    /// `primary_key: [a, b]`, or `{ name: x, columns: [a, b], include: [c], with: { fillfactor: 70 },
    /// deferrable: true }`.
    func parsePrimaryKey(_ node: Node, of table: QualifiedName) -> PrimaryKey? {
        let what = "primary_key of \(table)"
        guard case .mapping(let mapping) = node else {
            return reader.stringList(node, what).map {
                PrimaryKey(name: DefaultNames.primaryKey(table: table.name), columns: $0)
            }
        }
        let entries = reader.entries(mapping, of: PrimaryKeyKey.self, what)
        var name: String?, columns: [String]?, include: [String]?
        var storageParameters: [StorageParameter] = []
        for entry in entries {
            switch entry.key {
            case .name: name = reader.string(entry.value, "name of \(what)")
            case .columns: columns = reader.stringList(entry.value, "columns of \(what)")
            case .include: include = reader.stringList(entry.value, "include of \(what)")
            case .with: storageParameters = reader.storageParameters(entry.value, "with of \(what)")
            case .deferrable, .initiallyDeferred: break
            }
        }
        let deferral = reader.deferral(entries, what)
        guard let columns = requiredColumns(columns, name: name, what, at: node) else { return nil }
        return PrimaryKey(
            name: name ?? DefaultNames.primaryKey(table: table.name), columns: columns,
            deferral: deferral, index: indexOptions(include, storageParameters))
    }

    /// One item of `unique:`: `[a, b]`, or `{ name: x, columns: [a, b], nulls_not_distinct: true, ... }`.
    func parseUnique(_ node: Node, of table: QualifiedName) -> UniqueConstraint? {
        let what = "a unique constraint of \(table)"
        guard case .mapping(let mapping) = node else {
            return reader.stringList(node, what).map {
                UniqueConstraint(name: DefaultNames.unique(table: table.name, columns: $0), columns: $0)
            }
        }
        let entries = reader.entries(mapping, of: UniqueKey.self, what)
        var name: String?, columns: [String]?, nullsNotDistinct = false, include: [String]?
        var storageParameters: [StorageParameter] = []
        for entry in entries {
            switch entry.key {
            case .name: name = reader.string(entry.value, "name of \(what)")
            case .columns: columns = reader.stringList(entry.value, "columns of \(what)")
            case .nullsNotDistinct:
                nullsNotDistinct = reader.bool(entry.value, "nulls_not_distinct of \(what)") ?? false
            case .include: include = reader.stringList(entry.value, "include of \(what)")
            case .with: storageParameters = reader.storageParameters(entry.value, "with of \(what)")
            case .deferrable, .initiallyDeferred: break
            }
        }
        let deferral = reader.deferral(entries, what)
        guard let columns = requiredColumns(columns, name: name, what, at: node) else { return nil }
        return UniqueConstraint(
            name: name ?? DefaultNames.unique(table: table.name, columns: columns),
            columns: columns, deferral: deferral, nullsNotDistinct: nullsNotDistinct,
            index: indexOptions(include, storageParameters))
    }

    /// A key's `include` and `with`. An INCLUDE column may be a key column too (PostgreSQL accepts it, and
    /// real schemas have `UNIQUE (name) INCLUDE (name)`); that each names a column of the table is checked with
    /// the table's other column lists.
    private func indexOptions(_ include: [String]?, _ storageParameters: [StorageParameter]) -> KeyIndexOptions? {
        KeyIndexOptions(include: include ?? [], storageParameters: storageParameters)
    }

    /// The mapping form needs `columns`; a given name is checked like any identifier.
    private func requiredColumns(_ columns: [String]?, name: String?, _ what: String, at node: Node) -> [String]? {
        guard let columns else {
            reader.error("\(what) needs 'columns'", at: node)
            return nil
        }
        if let name { reader.checkIdentifierLength(name, "constraint", at: node) }
        return columns
    }

    /// `name: expression`, or `name: { expression: ..., not_valid: true, no_inherit: true }`.
    func parseCheck(_ node: Node, name: String, table: QualifiedName) -> CheckConstraint? {
        let what = "check \(name) of \(table)"
        let (expression, _, entries) = reader.textOrMapping(
            node, what, scalarWhat: "check \(name)",
            textKey: CheckKey.expression)
        var check = CheckConstraint(name: name, expression: expression ?? "")
        for entry in entries {
            switch entry.key {
            case .expression: break
            case .notValid: check.notValid = reader.bool(entry.value, "not_valid of \(what)") ?? false
            case .noInherit: check.noInherit = reader.bool(entry.value, "no_inherit of \(what)") ?? false
            }
        }
        return expression == nil ? nil : check
    }

    /// `name: "USING gist (room_id WITH =, during WITH &&)"` (the text after EXCLUDE), or
    /// `name: { definition: ..., deferrable: true, initially_deferred: true }`. The deferral is kept apart, as
    /// for keys, so that it compares structurally; the server checks the rest when it builds the scratch copy.
    func parseExclusion(_ node: Node, name: String, table: QualifiedName) -> ExclusionConstraint? {
        let what = "exclusion constraint \(name) of \(table)"
        let (definition, definitionNode, entries) = reader.textOrMapping(
            node, what, scalarWhat: "definition of \(what)", textKey: ExclusionKey.definition)
        var exclusion = ExclusionConstraint(name: name, definition: "")
        exclusion.deferral = reader.deferral(entries, what)
        guard let text = definition?.trimmingSpaces else { return nil }
        let upper = text.uppercased()
        let example = "'USING gist (room_id WITH =, during WITH &&)'"
        if upper.hasPrefix("EXCLUDE ") || upper.hasPrefix("EXCLUDE(") {
            reader.error("\(what): write the text after EXCLUDE, as in \(example)", at: definitionNode)
            return nil
        }
        if ["DEFERRABLE", "INITIALLY DEFERRED", "INITIALLY IMMEDIATE"].contains(where: { upper.hasSuffix(" " + $0) }) {
            reader.error(
                "\(what): write 'deferrable: true' or 'initially_deferred: true' beside 'definition' "
                    + "instead of in the text", at: definitionNode)
            return nil
        }
        if let problem = ExclusionDefinition.problem(text) {
            reader.error(
                "\(what) is not [USING method] (element WITH operator, ...) [INCLUDE (...)] [WITH (...)] "
                    + "[WHERE (...)]: \(problem)", at: definitionNode)
            return nil
        }
        exclusion.definition = text
        return exclusion
    }
}
