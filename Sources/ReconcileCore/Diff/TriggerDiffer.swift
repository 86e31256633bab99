/// Compares the triggers of each declared table with the live ones, by name: the server's text when both are
/// known (a scratch copy of the declared trigger, on the scratch copy of its table), otherwise the declared
/// fields (a declaration spelled as the catalog prints it, or a table that is new).
struct TriggerDiffer {
    /// The declared tables as the server spells them.
    let canonical: [Table]
    /// The live tables by their (possibly renamed) declared name.
    let live: [QualifiedName: Table]

    func changes() -> [Change] {
        var changes: [Change] = []
        for table in canonical {
            let liveTriggers = Dictionary(
                (live[table.name]?.triggers ?? []).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            let declaredNames = Set(table.triggers.map(\.name))
            var renamedAway = Set<String>()
            for trigger in table.triggers {
                var current: Trigger
                if let live = liveTriggers[trigger.name] {
                    current = live
                } else if let old = trigger.renamedFrom, !declaredNames.contains(old), !renamedAway.contains(old),
                    let live = liveTriggers[old]
                {
                    // Renamed first, then compared under its new name.
                    changes.append(Change(.trigger(.renameTrigger(table.name, from: old, to: trigger.name))))
                    renamedAway.insert(old)
                    current = live
                    current.name = trigger.name
                    current.definition = live.definition.map { Self.renaming($0, from: old, to: trigger.name) }
                } else {
                    changes.append(Change(.trigger(.createTrigger(table.name, trigger))))
                    continue
                }
                if Self.differs(live: current, declared: trigger) {
                    changes.append(Change(.trigger(.replaceTrigger(table.name, trigger))))
                }
                if current.comment != trigger.comment {
                    changes.append(
                        Change(.trigger(.setTriggerComment(table.name, name: trigger.name, comment: trigger.comment))))
                }
            }
            for trigger in live[table.name]?.triggers ?? []
            where !declaredNames.contains(trigger.name) && !renamedAway.contains(trigger.name) {
                changes.append(Change(.trigger(.dropTrigger(table.name, name: trigger.name))))
            }
        }
        return changes
    }

    /// `pg_get_triggerdef` text as it will print after the rename: it starts `CREATE TRIGGER name ` (the name
    /// quoted only where it must be, which `SQL.displayIdentifier` follows).
    static func renaming(_ definition: String, from old: String, to new: String) -> String {
        for head in ["CREATE TRIGGER ", "CREATE CONSTRAINT TRIGGER "] {
            let prefix = head + SQL.displayIdentifier(old) + " "
            if definition.hasPrefix(prefix) {
                return head + SQL.displayIdentifier(new) + " " + definition.dropFirst(prefix.count)
            }
        }
        return definition
    }

    static func differs(live: Trigger, declared: Trigger) -> Bool {
        if let liveDefinition = live.definition, let declaredDefinition = declared.definition {
            return liveDefinition != declaredDefinition
        }
        return live.declared != declared.declared
    }
}
