/// Recognises, without asking the server, declarations that are already spelled the way the catalog
/// spells them: `integer` for `int`, `'gpt-4'::character varying` for the literal `gpt-4`,
/// `CHECK ((a > 0))` for `a > 0`. A match proves equality (the catalog text re-parses to the same thing);
/// a mismatch proves nothing, and the table is then canonicalised by the server. So this only ever saves
/// work, never decides a difference.
public enum CatalogSpelling {
    /// The declared table with every element that provably equals its live counterpart replaced by the
    /// live (canonical) spelling; nil when some element needs the server to tell.
    public static func canonical(_ desired: Table, live: Table) -> Table? {
        var canonical = desired
        // Partition keys and bounds are compared as the server prints them.
        guard desired.partitionBy == live.partitionBy else { return nil }
        let liveBounds = Dictionary(live.partitions.map { ($0.name, $0.bound) }, uniquingKeysWith: { a, _ in a })
        for partition in desired.partitions where liveBounds[partition.name].map({ $0 != partition.bound }) ?? false {
            return nil
        }
        for index in canonical.columns.indices {
            let column = canonical.columns[index]
            guard let liveColumn = live.column(column.name) ?? column.renamedFrom.flatMap(live.column) else { continue }
            guard sameType(column.type, liveColumn.type), column.collation == liveColumn.collation else { return nil }
            canonical.columns[index].type = liveColumn.type
            if column.generated != nil || liveColumn.generated != nil {
                // Only the catalog's own text proves a generation expression equal.
                guard column.generated == liveColumn.generated else { return nil }
                continue
            }
            if column.identity != nil || column.isSerial || liveColumn.identity != nil || liveColumn.isSerial {
                // Identity and serial defaults are not compared; only the kinds, which need no spelling.
                guard column.isSerial == liveColumn.isSerial else { return nil }
                continue
            }
            switch (column.defaultValue, liveColumn.defaultValue) {
            case (nil, _):
                break
            case (.some(let declared), .some(.expression(let text)))
            where sameDefault(declared, text, type: liveColumn.type):
                canonical.columns[index].defaultValue = .expression(text)
            default:
                return nil
            }
        }
        for index in canonical.checks.indices {
            guard let liveCheck = live.checks.first(where: { $0.name == canonical.checks[index].name }) else {
                continue
            }
            guard sameCheck(canonical.checks[index].expression, liveCheck.expression) else { return nil }
            canonical.checks[index].expression = liveCheck.expression
        }
        // An exclusion constraint's text is the server's to spell: only the very same text proves it equal.
        for exclusion in canonical.exclusions {
            guard let liveExclusion = live.exclusions.first(where: { $0.name == exclusion.name }) else { continue }
            guard liveExclusion.definition == exclusion.definition else { return nil }
        }
        // A trigger's declared fields are the catalog's own (timing, events, columns, function, arguments); only
        // the very same WHEN text proves the condition equal.
        for index in canonical.triggers.indices {
            guard let liveTrigger = live.triggers.first(where: { $0.name == canonical.triggers[index].name }) else {
                continue
            }
            guard liveTrigger.declared == canonical.triggers[index].declared else { return nil }
            canonical.triggers[index].definition = liveTrigger.definition
        }
        for index in canonical.indexes.indices {
            guard let liveIndex = live.indexes.first(where: { $0.name == canonical.indexes[index].name }) else {
                continue
            }
            guard liveIndex.canonicalDefinition == displayTail(canonical.indexes[index]) else { return nil }
            canonical.indexes[index].canonicalDefinition = liveIndex.canonicalDefinition
        }
        guard spellPolicies(&canonical, live: live) else { return nil }
        return canonical
    }

    /// Grammar aliases PostgreSQL resolves to one canonical name (`format_type` output).
    static let typeAliases: [String: String] = [
        "int": "integer", "int4": "integer", "int2": "smallint", "int8": "bigint",
        "bool": "boolean", "float4": "real", "float8": "double precision", "float": "double precision",
        "decimal": "numeric", "varchar": "character varying", "char": "character", "bpchar": "character",
        "timestamptz": "timestamp with time zone", "timestamp": "timestamp without time zone",
        "timetz": "time with time zone", "time": "time without time zone", "varbit": "bit varying",
    ]

    static func sameType(_ declared: String, _ live: String) -> Bool {
        declared == live || spelledLikeCatalog(declared) == live
    }

    /// `varchar(20)` → `character varying(20)`, `int[]` → `integer[]`, `timestamptz(3)` →
    /// `timestamp(3) with time zone`; unknown names are returned unchanged.
    static func spelledLikeCatalog(_ type: String) -> String {
        var base = Substring(type.lowercased())
        var arrays = ""
        while base.hasSuffix("[]") { base = base.dropLast(2); arrays += "[]" }
        var modifier = ""
        if let open = base.firstIndex(of: "("), base.hasSuffix(")") {
            modifier = String(base[open...]).replacingAll(" ", with: "")
            base = base[..<open]
        }
        let name = String(base).trimmingSpaces
        guard let canonical = typeAliases[name] else { return name + modifier + arrays }
        // format_type puts the modifier before "with/without time zone".
        if let zone = zoneSuffixes[name] {
            return String(canonical.dropLast(zone.count)) + modifier + zone + arrays
        }
        return canonical + modifier + arrays
    }

    /// The time-zone part of the canonical names that have one (looked up, not searched: this runs per column).
    static let zoneSuffixes: [String: String] = typeAliases.compactMapValues { canonical in
        [" with time zone", " without time zone"].first { canonical.hasSuffix($0) }
    }

    static func sameDefault(_ declared: ColumnDefault, _ live: String, type: String) -> Bool {
        switch declared {
        case .expression(let expression):
            // A quoted literal takes the column's type: `'{}'` is stored as `'{}'::jsonb`.
            return expression == live
                || (expression.hasPrefix("'") && expression.hasSuffix("'") && expression.count >= 2
                    && CatalogText.literalDefault(live, columnType: type).map {
                        $0 == .string(unquoted(expression) ?? "\u{0}")
                    } == true)
        case .literal(let literal):
            // The catalog shows a literal as itself (numbers, booleans) or quoted and cast to the column's type.
            return CatalogText.literalDefault(live, columnType: type) == literal
        }
    }

    /// The text of a single standard SQL string literal, or nil if `literal` is anything more.
    static func unquoted(_ literal: String) -> String? {
        var text = ""
        var characters = literal.dropFirst().dropLast().makeIterator()
        while let character = characters.next() {
            if character == "'" { guard characters.next() == "'" else { return nil } }
            text.append(character)
        }
        return text
    }

    static func sameCheck(_ declared: String, _ live: String) -> Bool {
        declared == live || "CHECK (\(declared))" == live || "CHECK ((\(declared)))" == live
    }

    /// An index's text after the table name as `pg_get_indexdef` prints it: identifiers quoted only when
    /// they must be.
    static func displayTail(_ index: Index) -> String {
        SQLRenderer.indexDefinitionTail(index, quote: SQL.displayIdentifier)
    }
}
