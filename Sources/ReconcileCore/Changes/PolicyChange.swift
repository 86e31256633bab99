/// Row-level security of a table and its policies.
public enum PolicyChange: ChangeFamily {
    /// `ENABLE` / `DISABLE` and `FORCE` / `NO FORCE ROW LEVEL SECURITY`.
    case setRowLevelSecurity(QualifiedName, from: RowLevelSecurity, to: RowLevelSecurity)
    case createPolicy(QualifiedName, Policy)
    /// `ALTER POLICY`: new roles, `USING` or `WITH CHECK` (`from`: the live policy, for the text).
    case alterPolicy(QualifiedName, Policy, from: Policy)
    /// `replaced`: created again as declared (a changed command or kind, or around a column change); otherwise
    /// a policy the file does not declare.
    case dropPolicy(QualifiedName, policy: String, replaced: Bool)
    case setPolicyComment(QualifiedName, policy: String, String?)
    /// `renamed_from`: the live policy `from` takes the declared name.
    case renamePolicy(QualifiedName, from: String, to: String)

    var table: QualifiedName? {
        switch self {
        case .setRowLevelSecurity(let table, _, _), .createPolicy(let table, _), .alterPolicy(let table, _, _),
            .dropPolicy(let table, _, _), .setPolicyComment(let table, _, _), .renamePolicy(let table, _, _):
            return table
        }
    }

    /// Policies and row-level security come once the rows are seeded, so that a forced policy cannot hide them
    /// from the seeding; their drops come with the other drops, before the columns they read change.
    var phase: Change.Phase {
        switch self {
        case .setRowLevelSecurity(_, let from, let to): return to < from ? .drops : .seeds
        case .createPolicy, .alterPolicy, .setPolicyComment, .renamePolicy: return .seeds
        case .dropPolicy: return .drops
        }
    }

    var rankInPhase: Int {
        switch self {
        // A rename goes before the policy is altered or commented under its new name.
        case .dropPolicy, .renamePolicy: return 0
        case .setRowLevelSecurity, .createPolicy, .alterPolicy, .setPolicyComment: return 1
        }
    }

    var marker: Change.Marker {
        switch self {
        case .setRowLevelSecurity(_, let from, let to):
            return to == .disabled ? .remove : from == .disabled ? .add : .change
        case .createPolicy: return .add
        case .alterPolicy, .setPolicyComment, .renamePolicy: return .change
        case .dropPolicy: return .remove
        }
    }

    /// Dropping a policy the file does not declare, or loosening row-level security, opens rows to roles that
    /// could not see them: a person must allow it.
    var isDestructive: Bool {
        switch self {
        case .setRowLevelSecurity(_, let from, let to): return to < from
        case .dropPolicy(_, _, let replaced): return !replaced
        case .createPolicy, .alterPolicy, .setPolicyComment, .renamePolicy: return false
        }
    }

    var needsManualAction: Bool { false }

    var kindName: String {
        switch self {
        case .setRowLevelSecurity: return "set_row_level_security"
        case .createPolicy: return "create_policy"
        case .alterPolicy: return "alter_policy"
        case .dropPolicy: return "drop_policy"
        case .setPolicyComment: return "set_policy_comment"
        case .renamePolicy: return "rename_policy"
        }
    }

    func objectName(table: String) -> String {
        switch self {
        case .setRowLevelSecurity: return table
        case .createPolicy(_, let policy), .alterPolicy(_, let policy, _): return "\(table)/\(policy.name)"
        case .dropPolicy(_, let policy, _), .setPolicyComment(_, let policy, _), .renamePolicy(_, _, let policy):
            return "\(table)/\(policy)"
        }
    }

    var summary: String {
        switch self {
        case .setRowLevelSecurity(_, let from, let to):
            return "row-level security \(from.rawValue) → \(to.rawValue)"
        case .createPolicy(_, let policy): return "create policy \(Self.describe(policy))"
        case .alterPolicy(_, let policy, let from):
            var parts: [String] = []
            if policy.roles != from.roles {
                parts.append("roles \(Self.roles(from.roles)) → \(Self.roles(policy.roles))")
            }
            if policy.using != from.using { parts.append("using") }
            if policy.withCheck != from.withCheck { parts.append("with_check") }
            return "alter policy \(SQL.displayIdentifier(policy.name)): \(parts.joined(separator: ", "))"
        case .dropPolicy(_, let policy, let replaced):
            return "drop policy \(SQL.displayIdentifier(policy))"
                + (replaced ? " (created again)" : " (not declared in the schema file)")
        case .setPolicyComment(_, let policy, let comment):
            return (comment == nil ? "drop" : "set") + " comment of policy \(SQL.displayIdentifier(policy))"
        case .renamePolicy(_, let old, let new):
            return "rename policy \(SQL.displayIdentifier(old)) to \(SQL.displayIdentifier(new)) (renamed_from)"
        }
    }

    func driftDescription(object: String, details: [String]) -> String {
        switch self {
        case .setRowLevelSecurity(_, let from, let to):
            return "row-level security of \(object) is \(from.rawValue), the file declares \(to.rawValue)"
        case .createPolicy: return "missing policy \(object)"
        case .alterPolicy: return "policy \(object) differs from the file"
        case .dropPolicy(_, _, let replaced):
            return replaced ? "policy \(object) differs from the file" : "policy \(object) is not declared in the file"
        case .setPolicyComment: return "comment of policy \(object) differs from the file"
        case .renamePolicy(_, let old, _):
            return "policy \(object) is still named \(SQL.displayIdentifier(old)) (renamed_from)"
        }
    }

    var statements: [String] {
        switch self {
        case .setRowLevelSecurity(let table, _, let to):
            // Both flags, whatever they were: FORCE can be set while row-level security is disabled.
            let enable = to == .disabled ? "DISABLE" : "ENABLE"
            let force = to == .forced ? "FORCE" : "NO FORCE"
            return ["ALTER TABLE \(SQL.qualified(table)) \(enable) ROW LEVEL SECURITY, \(force) ROW LEVEL SECURITY"]
        case .createPolicy(let table, let policy):
            return [SQLRenderer.guarded(unless: Self.exists(table, policy.name), Self.createSQL(table, policy))]
                + (policy.comment.map { [Self.commentSQL(table, policy.name, $0)] } ?? [])
        case .alterPolicy(let table, let policy, _):
            var sql =
                "ALTER POLICY \(SQL.identifier(policy.name)) ON \(SQL.qualified(table)) TO \(Self.rolesSQL(policy.roles))"
            if let using = policy.using { sql += " USING (\(using))" }
            if let withCheck = policy.withCheck { sql += " WITH CHECK (\(withCheck))" }
            return [sql]
        case .dropPolicy(let table, let policy, _):
            return ["DROP POLICY IF EXISTS \(SQL.identifier(policy)) ON \(SQL.qualified(table))"]
        case .setPolicyComment(let table, let policy, let comment):
            return [Self.commentSQL(table, policy, comment)]
        case .renamePolicy(let table, let old, let new):
            return [
                SQLRenderer.guarded(
                    if: Self.exists(table, old) + " AND NOT " + Self.exists(table, new),
                    "ALTER POLICY \(SQL.identifier(old)) ON \(SQL.qualified(table)) RENAME TO \(SQL.identifier(new))")
            ]
        }
    }

    /// Every policy statement and `ALTER TABLE ... ROW LEVEL SECURITY` takes ACCESS EXCLUSIVE on the table (briefly:
    /// no rows are read); a comment only ACCESS SHARE.
    var lock: TableLock {
        switch self {
        case .setRowLevelSecurity, .createPolicy, .alterPolicy, .dropPolicy, .renamePolicy: return .accessExclusive
        case .setPolicyComment: return .accessShare
        }
    }

    var hazards: [Hazard] { [] }

    func preflight(tables: PreflightTables) -> PreflightProbe? { nil }
    var blockedByDependents: DependentsProbe? { nil }

    var privilege: PrivilegeNeed {
        switch self {
        case .setRowLevelSecurity(let table, _, _), .createPolicy(let table, _), .alterPolicy(let table, _, _),
            .dropPolicy(let table, _, _), .setPolicyComment(let table, _, _), .renamePolicy(let table, _, _):
            return .ownership(table)
        }
    }
}

extension PolicyChange {
    static func exists(_ table: QualifiedName, _ policy: String) -> String {
        "EXISTS (SELECT 1 FROM pg_catalog.pg_policy WHERE polrelid = \(SQLRenderer.regclass(table)) "
            + "AND polname = \(SQL.literal(policy)))"
    }

    static func rolesSQL(_ roles: [String]) -> String {
        roles.map { $0 == "public" ? "PUBLIC" : SQL.identifier($0) }.joined(separator: ", ")
    }

    static func roles(_ roles: [String]) -> String { roles.map(SQL.displayIdentifier).joined(separator: ", ") }

    static func createSQL(_ table: QualifiedName, _ policy: Policy) -> String {
        var sql = "CREATE POLICY \(SQL.identifier(policy.name)) ON \(SQL.qualified(table))"
        if policy.isRestrictive { sql += " AS RESTRICTIVE" }
        sql += " FOR \(policy.command.sql) TO \(rolesSQL(policy.roles))"
        if let using = policy.using { sql += " USING (\(using))" }
        if let withCheck = policy.withCheck { sql += " WITH CHECK (\(withCheck))" }
        return sql
    }

    static func commentSQL(_ table: QualifiedName, _ policy: String, _ comment: String?) -> String {
        "COMMENT ON POLICY \(SQL.identifier(policy)) ON \(SQL.qualified(table)) IS \(comment.map(SQL.literal) ?? "NULL")"
    }

    /// `own_rows (restrictive, SELECT to app, admin)`.
    static func describe(_ policy: Policy) -> String {
        SQL.displayIdentifier(policy.name) + " (" + (policy.isRestrictive ? "restrictive, " : "")
            + "\(policy.command.sql) to \(roles(policy.roles)))"
    }
}
