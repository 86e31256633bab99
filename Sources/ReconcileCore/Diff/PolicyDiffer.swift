/// A table's row-level security and policies. `canonical` is the declared table as the server spells its
/// policies' expressions; `live` is nil for a table the plan creates. `columnsChange`: the plan changes the type
/// of a column of the table or drops one, which PostgreSQL refuses while a policy uses the column, so the
/// table's policies are dropped before and created again after.
struct PolicyDiffer {
    let desired: Table
    let canonical: Table
    let live: Table?
    var columnsChange = false

    func changes() -> [Change] {
        let name = desired.name
        var changes: [Change] = []
        let liveSecurity = live?.rowLevelSecurity ?? .disabled
        if desired.rowLevelSecurity != liveSecurity {
            changes.append(
                Change(.policy(.setRowLevelSecurity(name, from: liveSecurity, to: desired.rowLevelSecurity))))
        }
        let livePolicies = live?.policies ?? []
        let declared = Set(desired.policies.map(\.name))
        var renamedAway = Set<String>()
        for (position, policy) in desired.policies.enumerated() {
            let spelled = canonical.policies.indices.contains(position) ? canonical.policies[position] : policy
            var renamedFrom: String?
            var found = livePolicies.first(where: { $0.name == policy.name })
            if found == nil, let old = policy.renamedFrom, !declared.contains(old), !renamedAway.contains(old),
                let live = livePolicies.first(where: { $0.name == old })
            {
                found = live
                renamedFrom = old
                renamedAway.insert(old)
            }
            guard let current = found else {
                changes.append(Change(.policy(.createPolicy(name, policy))))
                continue
            }
            // ALTER POLICY cannot change the command or the kind, nor take away a USING or WITH CHECK.
            let mustReplace =
                columnsChange || current.command != spelled.command || current.isRestrictive != spelled.isRestrictive
                || (spelled.using == nil && current.using != nil)
                || (spelled.withCheck == nil && current.withCheck != nil)
            if mustReplace {
                // Made again under the new name: no rename needed.
                changes.append(Change(.policy(.dropPolicy(name, policy: renamedFrom ?? policy.name, replaced: true))))
                changes.append(Change(.policy(.createPolicy(name, policy))))
                continue
            }
            if let old = renamedFrom {
                changes.append(Change(.policy(.renamePolicy(name, from: old, to: policy.name))))
            }
            if current.roles != spelled.roles || current.using != spelled.using
                || current.withCheck != spelled.withCheck
            {
                changes.append(Change(.policy(.alterPolicy(name, policy, from: current))))
            }
            if current.comment != policy.comment {
                changes.append(Change(.policy(.setPolicyComment(name, policy: policy.name, policy.comment))))
            }
        }
        for policy in livePolicies where !declared.contains(policy.name) && !renamedAway.contains(policy.name) {
            changes.append(Change(.policy(.dropPolicy(name, policy: policy.name, replaced: false))))
        }
        return changes
    }

    /// The table changes that make a policy over the table's columns stand in the way.
    static func changesColumns(_ changes: [Change]) -> Bool {
        changes.contains { change in
            switch change.kind {
            case .column(.alterColumnType), .column(.dropColumn), .column(.setCollation),
                .column(.rebuildGeneratedColumn):
                return true
            default:
                return false
            }
        }
    }
}
