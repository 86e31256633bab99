/// Whether a table's rows are filtered by its policies: `ALTER TABLE ... ENABLE | FORCE ROW LEVEL SECURITY`.
/// Ordered from the loosest to the strictest.
public enum RowLevelSecurity: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    /// No row-level security (PostgreSQL's default).
    case disabled
    /// Enabled: policies apply to every role but the table's owner (and superusers, BYPASSRLS roles).
    case enabled
    /// Enabled and forced: policies apply to the table's owner too.
    case forced

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A `CREATE POLICY` on a table.
public struct Policy: Hashable, Sendable, Codable {
    /// `FOR ALL | SELECT | INSERT | UPDATE | DELETE`.
    public enum Command: String, Hashable, Sendable, Codable, CaseIterable {
        case all, select, insert, update, delete

        public var sql: String { rawValue.uppercased() }
    }

    public var name: String
    public var command: Command
    /// `TO role, ...`, sorted; `public` (every role) by default.
    public var roles: [String]
    /// `AS RESTRICTIVE` (combined with AND) instead of PERMISSIVE (combined with OR).
    public var isRestrictive: Bool
    /// `USING (...)`: which existing rows the policy admits; as written, or `pg_get_expr`'s text.
    public var using: String?
    /// `WITH CHECK (...)`: which new rows the policy admits.
    public var withCheck: String?
    /// `COMMENT ON POLICY`; nil means no comment.
    public var comment: String?
    /// `renamed_from`: the policy's previous name on its table; renamed (`ALTER POLICY ... RENAME TO`) when that
    /// one exists and none of this name does.
    public var renamedFrom: String?

    public init(
        name: String, command: Command = .all, roles: [String] = ["public"], isRestrictive: Bool = false,
        using: String? = nil, withCheck: String? = nil, comment: String? = nil
    ) {
        self.name = name
        self.command = command
        self.roles = roles.sorted()
        self.isRestrictive = isRestrictive
        self.using = using
        self.withCheck = withCheck
        self.comment = comment
    }
}
