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
            for trigger in table.triggers {
                guard let current = liveTriggers[trigger.name] else {
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
            let declared = Set(table.triggers.map(\.name))
            for trigger in live[table.name]?.triggers ?? [] where !declared.contains(trigger.name) {
                changes.append(Change(.trigger(.dropTrigger(table.name, name: trigger.name))))
            }
        }
        return changes
    }

    static func differs(live: Trigger, declared: Trigger) -> Bool {
        if let liveDefinition = live.definition, let declaredDefinition = declared.definition {
            return liveDefinition != declaredDefinition
        }
        return live.declared != declared.declared
    }
}
