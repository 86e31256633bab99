/// A function or procedure of the application's own (`CREATE FUNCTION`, `CREATE PROCEDURE`), with the SQL a
/// user writes for it: arguments, result, language, attributes and body.
///
/// Two routines are the same object when their schema, name and input argument types match; that is what PostgreSQL keys them by, so
/// overloads are separate routines. What the server says about a routine (`catalog`) is what is compared:
/// the declared text is never compared with the live text directly.
public struct Routine: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case function, procedure

        /// The word in `CREATE ...`, `DROP ...`, `COMMENT ON ...`.
        public var sql: String { self == .function ? "FUNCTION" : "PROCEDURE" }
    }

    public enum Volatility: String, Hashable, Sendable, Codable, CaseIterable {
        case volatile, stable, immutable
    }

    public enum Parallel: String, Hashable, Sendable, Codable, CaseIterable {
        case unsafe, restricted, safe
    }

    /// What the server itself prints for a routine: the text compared for drift, read from the live routine
    /// or from a scratch copy of the declared one.
    public struct Catalog: Hashable, Sendable, Codable {
        /// `pg_get_function_identity_arguments`: the input arguments' modes, names and types, no defaults.
        public var identityArguments: String
        /// The input arguments' types alone (`oidvectortypes(proargtypes)`): what tells overloads apart.
        public var identityTypes: String
        /// `pg_get_function_arguments`: every argument with its mode, name and default.
        public var arguments: String
        /// `pg_get_function_result` (nil for a procedure).
        public var result: String?
        /// `pg_get_functiondef` without its first line (which names the routine): result, language,
        /// attributes, settings and body, as the server spells them.
        public var definition: String
        /// Why the schema file cannot write this live routine back (a C function's object file, a SQL-standard
        /// body), for `--export` to refuse it by name; nil when it can.
        public var exportProblem: String?
        /// What uses the live routine (`pg_describe_object` of its dependents in pg_depend: a check, an index,
        /// a default, a trigger, a view): PostgreSQL refuses to drop it while they stand.
        public var dependents: [String]

        public init(
            identityArguments: String, identityTypes: String, arguments: String, result: String?,
            definition: String, exportProblem: String? = nil, dependents: [String] = []
        ) {
            self.identityArguments = identityArguments
            self.identityTypes = identityTypes
            self.arguments = arguments
            self.result = result
            self.definition = definition
            self.exportProblem = exportProblem
            self.dependents = dependents
        }
    }

    public var kind: Kind
    public var name: QualifiedName
    /// The text between the parentheses of `CREATE FUNCTION name(...)`: `"tags jsonb, strict boolean DEFAULT
    /// true"`; empty for none.
    public var arguments: String
    /// The text after `RETURNS` (`boolean`, `SETOF text`, `TABLE(id bigint)`, `trigger`); nil for a procedure.
    public var returns: String?
    public var language: String
    public var volatility: Volatility
    public var isStrict: Bool
    public var securityDefiner: Bool
    public var leakproof: Bool
    public var parallel: Parallel
    /// `COST n` when declared (the server's default otherwise: 1 for C and internal, 100 for others).
    public var cost: String?
    /// `ROWS n` of a set-returning function when declared (1000 otherwise).
    public var rows: String?
    /// `SET name = value` clauses, in order: `search_path` → `public, pg_temp`.
    public var settings: [StorageParameter]
    /// The body exactly as written (it goes into dollar quotes; `prosrc` keeps it byte for byte).
    public var body: String
    public var comment: String?
    /// Filled from the server (live routines, scratch copies); nil for a declaration not yet canonicalised.
    public var catalog: Catalog?
    /// `renamed_from`: the routine's previous name in its schema. If a live routine of that name and these
    /// argument types exists and none of this name does, it is renamed (`ALTER FUNCTION ... RENAME TO`),
    /// keeping the triggers, checks and defaults that use it.
    public var renamedFrom: String?
    /// Live routines only: the privileges and owner that dropping it loses, given back when it is made again.
    public var kept = Kept()

    /// What a routine has that the file does not declare and `DROP` takes along: `EXECUTE` granted to roles,
    /// revoked from PUBLIC (which a new routine has by default), and an owner other than the applying role.
    public struct Kept: Hashable, Sendable, Codable {
        public struct Grant: Hashable, Sendable, Codable {
            /// nil: PUBLIC.
            public var role: String?
            public var withGrantOption: Bool
            public init(role: String?, withGrantOption: Bool) {
                self.role = role
                self.withGrantOption = withGrantOption
            }
        }
        public var grants: [Grant] = []
        public var revokedFromPublic = false
        public var owner: String?

        /// For a plan step: `its 2 grants, PUBLIC's revoked EXECUTE and owner`; nil when there is nothing.
        public var summary: String? {
            var parts: [String] = []
            if !grants.isEmpty { parts.append(grants.count == 1 ? "its grant" : "its \(grants.count) grants") }
            if revokedFromPublic { parts.append("PUBLIC's revoked EXECUTE") }
            if owner != nil { parts.append(parts.isEmpty ? "its owner" : "owner") }
            return parts.isEmpty ? nil : ListText.and(parts)
        }
        public init(grants: [Grant] = [], revokedFromPublic: Bool = false, owner: String? = nil) {
            self.grants = grants
            self.revokedFromPublic = revokedFromPublic
            self.owner = owner
        }
    }

    public init(
        kind: Kind = .function, name: QualifiedName, arguments: String = "", returns: String? = nil,
        language: String = "sql", volatility: Volatility = .volatile, isStrict: Bool = false,
        securityDefiner: Bool = false, leakproof: Bool = false, parallel: Parallel = .unsafe, cost: String? = nil,
        rows: String? = nil, settings: [StorageParameter] = [], body: String, comment: String? = nil,
        catalog: Catalog? = nil
    ) {
        self.kind = kind
        self.name = name
        self.arguments = arguments
        self.returns = returns
        self.language = language
        self.volatility = volatility
        self.isStrict = isStrict
        self.securityDefiner = securityDefiner
        self.leakproof = leakproof
        self.parallel = parallel
        self.cost = cost
        self.rows = rows
        self.settings = settings
        self.body = body
        self.comment = comment
        self.catalog = catalog
    }

    /// The argument list that names this routine in `DROP`, `COMMENT ON` and `ALTER`: the server's when known,
    /// else the declared arguments without their defaults (PostgreSQL ignores modes and names there except
    /// for the types).
    public var identityArguments: String {
        catalog?.identityArguments ?? Self.withoutDefaults(arguments)
    }

    /// `name(args)` for messages: `public.valid_tags(tags jsonb)`.
    public var signature: String { "\(name)(\(identityArguments))" }

    /// For sorting and lookups: overloads of one name sort by their argument types (the server's when known).
    public var key: RoutineKey { RoutineKey(name: name, identityTypes: catalog?.identityTypes ?? identityArguments) }

    /// `a integer DEFAULT 1, b text = 'x'` → `a integer, b text`: the defaults of each top-level argument cut
    /// at a top-level `DEFAULT` keyword or `=` (quotes and parentheses skipped).
    static func withoutDefaults(_ arguments: String) -> String {
        // Split on top-level commas and cut each argument at its top-level `=` or `DEFAULT`, skipping quotes,
        // parentheses and brackets (`ARRAY[1, 2]`, `numeric(10,2)`).
        var parts: [String] = []
        var current = ""
        var cut = false
        var depth = 0
        var quote: Character?
        let characters = Array(arguments)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            index += 1
            if let open = quote {
                if !cut { current.append(character) }
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "'", "\"": quote = character
            case "(", "[": depth += 1
            case ")", "]": depth -= 1
            case "," where depth == 0:
                parts.append(current)
                current = ""
                cut = false
                continue
            case "=" where depth == 0:
                cut = true
            default:
                // `DEFAULT` as a word, in any case.
                if depth == 0, !cut, character.isWhitespace {
                    let word = String(characters[index..<min(index + 7, characters.count)]).lowercased()
                    let after = index + 7 < characters.count ? characters[index + 7] : " "
                    if word == "default", after.isWhitespace { cut = true }
                }
            }
            if !cut { current.append(character) }
        }
        parts.append(current)
        return parts.map(\.trimmingSpaces).filter { !$0.isEmpty }.joined(separator: ", ")
    }
}

/// A routine's identity: schema, name and input argument types (as the server prints them once known; a
/// declaration not yet read back by the server has its declared arguments without defaults).
public struct RoutineKey: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var name: QualifiedName
    public var identityTypes: String

    public init(name: QualifiedName, identityTypes: String) {
        self.name = name
        self.identityTypes = identityTypes
    }

    public static func < (lhs: RoutineKey, rhs: RoutineKey) -> Bool {
        (lhs.name, lhs.identityTypes) < (rhs.name, rhs.identityTypes)
    }

    public var description: String { "\(name)(\(identityTypes))" }
}
