/// A view or materialized view of the application's own (`CREATE VIEW`, `CREATE MATERIALIZED VIEW`): its query
/// as the user writes it, an optional column list, options and comment; a materialized view also whether it is
/// filled when created and its indexes.
///
/// What the server says about a view (`catalog`) is what is compared: the declared query is created as a
/// scratch copy and `pg_get_viewdef` of both is compared, never the declared text with the live text.
public struct View: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case view
        case materializedView = "materialized view"

        /// The words in `CREATE ...`, `DROP ...`, `COMMENT ON ...`.
        public var sql: String { self == .view ? "VIEW" : "MATERIALIZED VIEW" }
    }

    /// `WITH (check_option = ...)`: which views' conditions an insert or update through the view must meet.
    public enum CheckOption: String, Hashable, Sendable, Codable, CaseIterable {
        case local, cascaded
    }

    /// A column of the view as the server reports it (`pg_attribute`, `format_type`).
    public struct Column: Hashable, Sendable, Codable {
        public var name: String
        public var type: String

        public init(name: String, type: String) {
            self.name = name
            self.type = type
        }
    }

    /// A relation (table or view) the view reads, with the columns of it that the view uses (none when it
    /// uses the relation as a whole).
    public struct Dependency: Hashable, Sendable, Codable {
        public var relation: QualifiedName
        public var columns: [String]

        public init(relation: QualifiedName, columns: [String]) {
            self.relation = relation
            self.columns = columns
        }
    }

    /// What the server itself prints for a view: read from the live view or from a scratch copy of the declared one.
    public struct Catalog: Hashable, Sendable, Codable {
        /// `pg_get_viewdef(oid)`, its leading space and trailing semicolon taken off.
        public var definition: String
        public var columns: [Column]
        /// What the view reads (`pg_depend` of its rewrite rule), sorted.
        public var dependencies: [Dependency]
        /// The functions its query calls (`pg_depend` of its rewrite rule), sorted: dropping one drops the view.
        public var routines: [RoutineKey]
        /// The domains and composite types its query or its columns use, sorted: making one again (or, for a
        /// materialized view, changing an attribute's type) needs the view out of the way.
        public var types: [QualifiedName]

        public init(
            definition: String, columns: [Column], dependencies: [Dependency] = [], routines: [RoutineKey] = [],
            types: [QualifiedName] = []
        ) {
            self.definition = definition
            self.columns = columns
            self.dependencies = dependencies
            self.routines = routines
            self.types = types
        }
    }

    public var kind: Kind
    public var name: QualifiedName
    /// The query, as written (a live view's is its `pg_get_viewdef` text).
    public var query: String
    /// The declared column list (`CREATE VIEW v (a, b) AS ...`); empty: the query's own names.
    public var columns: [String]
    public var securityBarrier: Bool
    /// `security_invoker` (PostgreSQL 15+): the view checks the querying role's privileges and policies.
    public var securityInvoker: Bool
    public var checkOption: CheckOption?
    /// A materialized view: filled when created (`WITH DATA`, the default) or left empty until refreshed. Only
    /// creation uses it: refreshing is the application's business, so a live view's state is never drift.
    public var withData: Bool
    /// A materialized view's indexes.
    public var indexes: [Index]
    public var comment: String?
    /// `COMMENT ON COLUMN`, by column name; a column not listed has no comment.
    public var columnComments: [String: String] = [:]
    /// Filled from the server (live views, scratch copies); nil for a declaration not yet canonicalised.
    public var catalog: Catalog?
    /// `renamed_from`: the view's previous name in its schema (renamed when that one exists and this does not).
    public var renamedFrom: String?
    /// Live views only: what dropping the view takes along that the file does not declare (its triggers, rules
    /// and column defaults, grants, and an owner other than the applying role), as the statements that make it again; run
    /// after the view is made again in the same plan, so a view re-created around a change keeps them.
    public var restoring: [String] = []

    public init(
        kind: Kind = .view, name: QualifiedName, query: String, columns: [String] = [], securityBarrier: Bool = false,
        securityInvoker: Bool = false, checkOption: CheckOption? = nil, withData: Bool = true, indexes: [Index] = [],
        comment: String? = nil, catalog: Catalog? = nil
    ) {
        self.kind = kind
        self.name = name
        self.query = query
        self.columns = columns
        self.securityBarrier = securityBarrier
        self.securityInvoker = securityInvoker
        self.checkOption = checkOption
        self.withData = withData
        self.indexes = indexes
        self.comment = comment
        self.catalog = catalog
    }

    /// `view public.active_users`, `materialized view public.daily_totals`.
    public var description: String { "\(kind.rawValue) \(name)" }

    /// The declared query without what `pg_get_viewdef` prints around it (a leading space, a trailing semicolon)
    /// or a user leaves after it (whitespace, semicolons).
    public static func trimmedQuery(_ query: String) -> String {
        var text = Substring(query)
        while let last = text.last, last == ";" || last.isWhitespace { text = text.dropLast() }
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        return String(text)
    }

    /// The relations this view reads: the server's list when known, else the names its query mentions among
    /// `candidates` (a word `name` or `schema.name`; an unqualified word matches in `public` and the view's schema).
    public func reads(among candidates: Set<QualifiedName>) -> Set<QualifiedName> {
        if let catalog { return Set(catalog.dependencies.map(\.relation)).intersection(candidates) }
        var found = Set<QualifiedName>()
        for word in SQLScanning.words(in: query) {
            let parts = word.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            let names: [QualifiedName]
            switch parts.count {
            case 1:
                names = [
                    QualifiedName(schema: name.schema, name: parts[0]),
                    QualifiedName(schema: "public", name: parts[0]),
                ]
            case 2: names = [QualifiedName(schema: parts[0], name: parts[1])]
            default: names = []
            }
            for candidate in names where candidates.contains(candidate) && candidate != name {
                found.insert(candidate)
            }
        }
        return found
    }

    /// Views ordered so that each comes after the views it reads (name order otherwise; a cycle, which
    /// PostgreSQL cannot have but a guess from the query text can, is broken at the first view by name).
    public static func creationOrder(_ views: [View]) -> [View] {
        var seen = Set<QualifiedName>()
        let sorted = views.sorted { $0.name < $1.name }.filter { seen.insert($0.name).inserted }
        let names = Set(sorted.map(\.name))
        var waiting = Dictionary(uniqueKeysWithValues: sorted.map { ($0.name, $0.reads(among: names)) })
        var ordered: [View] = []
        var placed = Set<QualifiedName>()
        while ordered.count < sorted.count {
            let next =
                sorted.first { !placed.contains($0.name) && (waiting[$0.name] ?? []).isSubset(of: placed) }
                ?? sorted.first { !placed.contains($0.name) }!
            ordered.append(next)
            placed.insert(next.name)
            waiting[next.name] = nil
        }
        return ordered
    }
}

extension View {
    /// For a plan step: `its trigger, rule, 2 grants and owner`; nil when nothing is restored.
    public var restoringSummary: String? {
        let kinds: [(prefix: String, one: String, many: String)] = [
            ("CREATE OR REPLACE TRIGGER ", "trigger", "triggers"), ("CREATE OR REPLACE RULE ", "rule", "rules"),
            ("ALTER VIEW ", "column default", "column defaults"), ("GRANT ", "grant", "grants"),
        ]
        var parts: [String] = []
        for kind in kinds {
            let count = restoring.filter { $0.hasPrefix(kind.prefix) && !$0.contains(" OWNER TO ") }.count
            if count > 0 { parts.append(count == 1 ? kind.one : "\(count) \(kind.many)") }
        }
        if restoring.contains(where: { $0.contains(" OWNER TO ") }) { parts.append("owner") }
        return parts.isEmpty ? nil : "its " + ListText.and(parts)
    }

    /// A statement of `restoring`, as the server prints it (`pg_get_triggerdef`, `pg_get_ruledef`), made safe to
    /// run twice like every plan statement: a trigger or rule is created or replaced.
    public static func idempotentRestoring(_ statement: String) -> String {
        var text = statement.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasSuffix(";") { text.removeLast() }
        for kind in ["TRIGGER", "RULE"] where text.hasPrefix("CREATE \(kind) ") {
            return "CREATE OR REPLACE \(kind) " + text.dropFirst("CREATE \(kind) ".count)
        }
        return text
    }
}
