import Yams

/// `policies:` of a table: `name: { command: select, roles: [app], using: "owner = current_user" }`.
struct PolicyParser {
    enum Key: String, SchemaFileKey {
        case command, roles, restrictive, using
        case withCheck = "with_check"
        case comment
        case renamedFrom = "renamed_from"
    }

    let reader: YAMLReader

    func parse(_ node: Node, of table: QualifiedName) -> [Policy] {
        guard let mapping = reader.mapping(node, "policies of \(table)") else { return [] }
        var policies: [Policy] = []
        for (keyNode, valueNode) in mapping {
            guard let name = reader.string(keyNode, "a policy name") else { continue }
            reader.checkIdentifierLength(name, "policy", at: keyNode)
            let what = "policy \(SQL.displayIdentifier(name)) of \(table)"
            guard let policyMapping = reader.mapping(valueNode, what) else { continue }
            var policy = Policy(name: name)
            var roles: [String]?
            for entry in reader.entries(policyMapping, of: Key.self, what) {
                let value = entry.value
                switch entry.key {
                case .command:
                    guard let text = reader.string(value, "command of \(what)") else { continue }
                    guard let command = Policy.Command(rawValue: text.lowercased()) else {
                        let options = Policy.Command.allCases.map(\.rawValue).joined(separator: ", ")
                        reader.error("command of \(what) must be one of \(options), not '\(text)'", at: value)
                        continue
                    }
                    policy.command = command
                case .roles: roles = reader.stringList(value, "roles of \(what)")
                case .restrictive: policy.isRestrictive = reader.bool(value, "restrictive of \(what)") ?? false
                case .using: policy.using = reader.string(value, "using of \(what)")
                case .withCheck: policy.withCheck = reader.string(value, "with_check of \(what)")
                case .comment: policy.comment = reader.string(value, "comment of \(what)")
                case .renamedFrom:
                    guard let old = reader.string(value, "renamed_from of \(what)") else { continue }
                    if old == name {
                        reader.error("renamed_from of \(what) is its own name", at: value)
                    } else {
                        reader.checkIdentifierLength(old, "renamed_from of \(what)", at: value)
                        policy.renamedFrom = old
                    }
                }
            }
            if let roles {
                // PUBLIC is every role, spelled as PostgreSQL's pg_policies shows it.
                policy.roles = Array(Set(roles.map { $0.lowercased() == "public" ? "public" : $0 })).sorted()
                if policy.roles.count > 1, policy.roles.contains("public") {
                    reader.error("roles of \(what): public is every role already; list it alone", at: keyNode)
                }
            }
            if policy.command == .select || policy.command == .delete, policy.withCheck != nil {
                reader.error(
                    "\(what): a \(policy.command.sql) policy has no with_check (only using applies)", at: keyNode)
            }
            if policy.command == .insert, policy.using != nil {
                reader.error("\(what): an INSERT policy has no using (only with_check applies)", at: keyNode)
            }
            policies.append(policy)
        }
        return policies.sorted { $0.name < $1.name }
    }
}
