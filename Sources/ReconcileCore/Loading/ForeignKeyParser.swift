import Yams

/// One item of `foreign_keys:`, and the `references:` shorthand on a column. The target's columns may be
/// left out (the target's primary key); `SchemaValidator` fills them in once every table is known.
struct ForeignKeyParser {
    enum Key: String, DeferrableConstraintKey {
        case name, columns, references
        case onDelete = "on_delete", onUpdate = "on_update"
        case match
        case notValid = "not_valid"
        case deferrable
        case initiallyDeferred = "initially_deferred"
    }

    /// `match:` values, in any letter case.
    enum Match: String, CaseIterable {
        case simple, full
    }

    let reader: YAMLReader

    func parse(_ node: Node, into table: inout Table, positions: inout SourcePositions) {
        let what = "a foreign key of \(table.name)"
        guard let mapping = reader.mapping(node, what) else { return }
        var name: String?, columns: [String]?, reference: (String, Node)?
        var onDelete = ReferentialAction.noAction, onUpdate = ReferentialAction.noAction
        var matchFull = false, notValid = false
        let entries = reader.entries(mapping, of: Key.self, what)
        for entry in entries {
            let value = entry.value
            switch entry.key {
            case .match:
                guard let text = reader.string(value, "match of \(what)") else { continue }
                guard let match = Match(rawValue: text.lowercased()) else {
                    reader.error("match of \(what) must be 'simple' or 'full', not '\(text)'", at: value)
                    continue
                }
                matchFull = match == .full
            case .notValid: notValid = reader.bool(value, "not_valid of \(what)") ?? false
            case .name: name = reader.string(value, "name of \(what)")
            case .columns: columns = reader.stringList(value, "columns of \(what)")
            case .references: reader.string(value, "references of \(what)").map { reference = ($0, value) }
            case .onDelete: onDelete = reader.referentialAction(value, "on_delete of \(what)") ?? onDelete
            case .onUpdate: onUpdate = reader.referentialAction(value, "on_update of \(what)") ?? onUpdate
            case .deferrable, .initiallyDeferred: break
            }
        }
        guard let columns, let reference else {
            reader.error("\(what) needs 'columns' and 'references'", at: node)
            return
        }
        add(
            reference: reference.0, at: reference.1, columns: columns, name: name,
            onDelete: onDelete, onUpdate: onUpdate, matchFull: matchFull,
            deferral: reader.deferral(entries, what), notValid: notValid, into: &table, positions: &positions)
    }

    /// The shorthand on a column has no match, deferral or validity options.
    func add(
        reference: String, at node: Node, columns: [String], name: String?,
        onDelete: ReferentialAction, onUpdate: ReferentialAction, matchFull: Bool = false,
        deferral: Deferral = .notDeferrable, notValid: Bool = false, into table: inout Table,
        positions: inout SourcePositions
    ) {
        do {
            let (target, targetColumns) = try NameSyntax.reference(
                reference,
                defaultSchema: SchemaDocumentParser.defaultSchema)
            let constraintName = name ?? DefaultNames.foreignKey(table: table.name.name, columns: columns)
            reader.checkIdentifierLength(constraintName, "constraint", at: node)
            positions.foreignKeys[table.name, default: [:]][constraintName] = reader.location(of: node)
            // Empty referenced columns mean "the target's primary key"; resolved by SchemaValidator.
            table.foreignKeys.append(
                ForeignKey(
                    name: constraintName, columns: columns, referencedTable: target,
                    referencedColumns: targetColumns, onDelete: onDelete,
                    onUpdate: onUpdate, matchFull: matchFull, deferral: deferral,
                    notValid: notValid))
        } catch let failure as NameSyntax.Failure {
            reader.error("references: \(failure.message)", at: node)
        } catch {}
    }
}
