import Yams

/// `triggers:` of a table: trigger name → `{ timing, events, update_of, for_each, when, function, arguments,
/// comment }`.
///
/// ```yaml
/// triggers:
///   touch_updated_at: { timing: before, events: [update], for_each: row, function: touch_updated_at }
/// ```
struct TriggerParser {
    enum Key: String, SchemaFileKey {
        case timing, events
        case updateOf = "update_of"
        case forEach = "for_each"
        case when, function, arguments, comment
        case renamedFrom = "renamed_from"
    }

    let reader: YAMLReader

    func parse(_ node: Node, of table: QualifiedName) -> [Trigger] {
        guard let mapping = reader.mapping(node, "triggers of \(table)") else { return [] }
        var triggers: [Trigger] = []
        for (keyNode, valueNode) in mapping {
            guard let name = reader.string(keyNode, "a trigger name of \(table)") else { continue }
            reader.checkIdentifierLength(name, "trigger", at: keyNode)
            if let trigger = parseTrigger(name, valueNode, table: table, keyNode: keyNode) { triggers.append(trigger) }
        }
        return triggers
    }

    private func parseTrigger(_ name: String, _ node: Node, table: QualifiedName, keyNode: Node) -> Trigger? {
        let what = "trigger \(SQL.displayIdentifier(name)) of \(table)"
        guard let mapping = reader.mapping(node, what) else { return nil }
        var timing: Trigger.Timing?
        var events: [Trigger.Event] = []
        var updateColumns: [String] = []
        var forEachRow = false
        var when: String?
        var function: QualifiedName?
        var arguments: [String] = []
        var comment: String?
        var renamedFrom: String?
        for entry in reader.entries(mapping, of: Key.self, what) {
            let value = entry.value
            switch entry.key {
            case .timing:
                guard let text = reader.string(value, "timing of \(what)") else { continue }
                let normalized = text.lowercased().replacingAll("_", with: " ")
                guard let parsed = Trigger.Timing(rawValue: normalized) else {
                    reader.error("timing of \(what) must be before, after or instead of, not '\(text)'", at: value)
                    continue
                }
                timing = parsed
            case .events:
                for text in reader.stringList(value, "events of \(what)") ?? [] {
                    guard let event = Trigger.Event(rawValue: text.lowercased()) else {
                        reader.error(
                            "events of \(what) are insert, update, delete or truncate, not '\(text)'"
                                + Suggestion.didYouMean(text.lowercased(), Trigger.Event.allCases.map(\.rawValue)),
                            at: value)
                        continue
                    }
                    if !events.contains(event) { events.append(event) }
                }
            case .updateOf:
                updateColumns = reader.stringList(value, "update_of of \(what)") ?? []
            case .forEach:
                guard let text = reader.string(value, "for_each of \(what)") else { continue }
                switch text.lowercased() {
                case "row": forEachRow = true
                case "statement": forEachRow = false
                default: reader.error("for_each of \(what) must be row or statement, not '\(text)'", at: value)
                }
            case .when:
                when = reader.string(value, "when of \(what)")
            case .function:
                guard let text = reader.string(value, "function of \(what)") else { continue }
                do {
                    function = try NameSyntax.qualifiedName(text, defaultSchema: SchemaDocumentParser.defaultSchema)
                } catch let failure as NameSyntax.Failure {
                    reader.error("function of \(what): \(failure.message); write [schema.]name", at: value)
                } catch {}
            case .arguments:
                if case .sequence(let list) = value, list.isEmpty { continue }
                arguments = reader.stringList(value, "arguments of \(what)") ?? []
            case .comment:
                comment = reader.string(value, "comment of \(what)")
            case .renamedFrom:
                guard let text = reader.string(value, "renamed_from of \(what)") else { continue }
                if text == name {
                    reader.error("renamed_from of \(what) is its own name", at: value)
                } else {
                    reader.checkIdentifierLength(text, "renamed_from of \(what)", at: value)
                    renamedFrom = text
                }
            }
        }
        // `update_of` names the columns of an UPDATE trigger: it implies the event.
        if !updateColumns.isEmpty, !events.contains(.update) { events.append(.update) }
        guard let timing else {
            reader.error("\(what) needs 'timing' (before, after or instead of)", at: keyNode)
            return nil
        }
        guard !events.isEmpty else {
            reader.error("\(what) needs 'events' (insert, update, delete, truncate)", at: keyNode)
            return nil
        }
        guard let function else {
            reader.error("\(what) needs 'function', the trigger function to execute", at: keyNode)
            return nil
        }
        var trigger = Trigger(
            name: name, timing: timing, events: events, updateColumns: updateColumns, forEachRow: forEachRow,
            when: when, function: function, arguments: arguments, comment: comment)
        trigger.renamedFrom = renamedFrom
        return trigger
    }
}
