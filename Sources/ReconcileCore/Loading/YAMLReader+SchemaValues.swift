import Yams

/// Value shapes several kinds of object in the schema file share.
extension YAMLReader {
    /// PostgreSQL truncates longer names silently, so two long names could become one; NUL cannot be sent.
    /// A `renamed_from` value: the object's previous name in the same schema (`name` or `schema.name`), not its
    /// own; nil (with an error) otherwise.
    func previousName(_ node: Node, of name: QualifiedName, _ what: String) -> String? {
        guard let text = string(node, "renamed_from of \(what)") else { return nil }
        let old: QualifiedName
        do {
            old = try NameSyntax.qualifiedName(text, defaultSchema: name.schema)
        } catch let failure as NameSyntax.Failure {
            error("renamed_from of \(what): \(failure.message)", at: node)
            return nil
        } catch { return nil }
        guard old.schema == name.schema else {
            error("renamed_from of \(what) names \(old), in another schema: it is renamed within its schema", at: node)
            return nil
        }
        guard old.name != name.name else {
            error("renamed_from of \(what) is its own name", at: node)
            return nil
        }
        checkIdentifierLength(old.name, "renamed_from of \(what)", at: node)
        return old.name
    }

    func checkIdentifierLength(_ name: String, _ kind: String, at node: Node?) {
        if name.utf8.count > DefaultNames.maxIdentifierBytes {
            error(
                "\(kind) name '\(name)' is \(name.utf8.count) bytes; PostgreSQL allows "
                    + "\(DefaultNames.maxIdentifierBytes) and would silently truncate it", at: node)
        }
        // On bytes: `String.contains(String)` goes through Foundation's string search, a tenth of the load.
        if name.utf8.contains(0) { error("\(kind) name contains a NUL character", at: node) }
    }

    /// `key: text`, or `key: { <textKey>: text, options... }`: how checks, generated columns and exclusion
    /// constraints are written. The text (nil after its problem is reported), the node it came from, for
    /// error positions, and the mapping's entries, for the options (none in the short form).
    func textOrMapping<Key: SchemaFileKey>(
        _ node: Node, _ what: String, scalarWhat: String, textKey: Key
    )
        -> (text: String?, node: Node, entries: [SchemaFileEntry<Key>])
    {
        guard case .mapping(let mapping) = node else { return (string(node, scalarWhat), node, []) }
        let entries = self.entries(mapping, of: Key.self, what)
        guard let textNode = entries.first(where: { $0.key == textKey })?.value else {
            error("\(what) needs '\(textKey.rawValue)'", at: node)
            return (nil, node, entries)
        }
        return (string(textNode, "\(textKey.rawValue) of \(what)"), textNode, entries)
    }

    /// `{ fillfactor: 70, deduplicate_items: off }`: names are PostgreSQL's parameter names (checked here,
    /// since they go into the SQL unquoted), values any scalar.
    func storageParameters(_ node: Node, _ what: String) -> [StorageParameter] {
        guard let mapping = mapping(node, what) else { return [] }
        var parameters: [StorageParameter] = []
        for (keyNode, valueNode) in mapping {
            guard let name = string(keyNode, "a parameter name in \(what)"),
                let value = string(valueNode, "\(name) in \(what)")
            else { continue }
            guard !name.isEmpty,
                name.allSatisfy({ $0 == "_" || $0 == "." || ($0.isASCII && ($0.isLetter || $0.isNumber)) })
            else {
                error(
                    "'\(name)' in \(what) is not a storage parameter name (letters, digits, '_' and '.')",
                    at: keyNode)
                continue
            }
            parameters.append(StorageParameter(name: name.lowercased(), value: value))
        }
        return parameters
    }

    /// `on_delete: cascade`; any case, `_` or a space between words.
    func referentialAction(_ node: Node, _ what: String) -> ReferentialAction? {
        guard let text = string(node, what) else { return nil }
        let normalized = text.lowercased().replacingAll("_", with: " ")
        guard let action = ReferentialAction(rawValue: normalized) else {
            let options = ReferentialAction.allCases.map(\.rawValue)
            error(
                "\(what) must be one of \(options.joined(separator: ", ")), not '\(text)'"
                    + Suggestion.didYouMean(normalized, options), at: node)
            return nil
        }
        return action
    }

    /// `deferrable: true`, and `initially_deferred: true` (which implies it).
    func deferral<Key: DeferrableConstraintKey>(_ entries: [SchemaFileEntry<Key>], _ what: String) -> Deferral {
        var deferrable: (Bool, Node)?, initiallyDeferred = false
        for entry in entries {
            if entry.key == .deferrable {
                deferrable = bool(entry.value, "deferrable of \(what)").map { ($0, entry.value) }
            }
            if entry.key == .initiallyDeferred {
                initiallyDeferred = bool(entry.value, "initially_deferred of \(what)") ?? false
            }
        }
        if initiallyDeferred, let (isDeferrable, node) = deferrable, !isDeferrable {
            error("\(what) is initially_deferred, so it cannot be 'deferrable: false'", at: node)
        }
        if initiallyDeferred { return .initiallyDeferred }
        return deferrable?.0 == true ? .deferrable : .notDeferrable
    }
}
