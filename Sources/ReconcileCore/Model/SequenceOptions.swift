/// The sequence behind a `serial` or identity column: its name, type and options. Each nil means
/// PostgreSQL's default, so a file states only what differs (as `--export` writes it).
public struct SequenceOptions: Hashable, Sendable, Codable {
    /// nil: `<table>_<column>_seq`, the name PostgreSQL gives it. In the table's schema.
    public var name: String?
    /// `AS bigint`; nil: the column's type.
    public var type: String?
    public var start: Int64?
    public var increment: Int64?
    public var minValue: Int64?
    public var maxValue: Int64?
    public var cache: Int64?
    public var cycle = false
    /// `UNLOGGED` (PostgreSQL 15+). nil: the default, which for a serial or identity sequence is its table's
    /// persistence (PostgreSQL makes them match) and for a standalone sequence logged. A dump restored from an
    /// older server can hold a logged sequence owned by an unlogged table, hence `false` is meaningful too.
    public var unlogged: Bool?

    public init(
        name: String? = nil, type: String? = nil, start: Int64? = nil, increment: Int64? = nil,
        minValue: Int64? = nil, maxValue: Int64? = nil, cache: Int64? = nil, cycle: Bool = false
    ) {
        self.name = name
        self.type = type
        self.start = start
        self.increment = increment
        self.minValue = minValue
        self.maxValue = maxValue
        self.cache = cache
        self.cycle = cycle
    }

    /// Every option spelled out, defaults filled in the way `CREATE SEQUENCE` fills them, so a declaration
    /// and the catalog compare like with like.
    /// `tableUnlogged`: the owning table's persistence, which an owned sequence follows unless declared.
    public func resolved(
        table: QualifiedName, column: String, columnType: String,
        tableUnlogged: Bool = false
    ) -> SequenceOptions {
        let type = Self.integerType(self.type ?? columnType)
        let (typeMin, typeMax) = Self.range(of: type)
        let increment = self.increment ?? 1
        let minValue = self.minValue ?? (increment > 0 ? 1 : typeMin)
        let maxValue = self.maxValue ?? (increment > 0 ? typeMax : -1)
        var resolved = SequenceOptions(
            name: name ?? DefaultNames.sequence(table: table.name, column: column),
            type: type, start: start ?? (increment > 0 ? minValue : maxValue),
            increment: increment, minValue: minValue, maxValue: maxValue,
            cache: cache ?? 1, cycle: cycle)
        resolved.unlogged = unlogged ?? tableUnlogged
        return resolved
    }

    /// Only what differs from the defaults (nil when nothing does): how `--export` writes it.
    public func minimized(
        table: QualifiedName, column: String, columnType: String,
        tableUnlogged: Bool = false
    ) -> SequenceOptions? {
        let defaults = SequenceOptions(type: type).resolved(table: table, column: column, columnType: columnType)
        let full = resolved(table: table, column: column, columnType: columnType, tableUnlogged: tableUnlogged)
        var result = SequenceOptions()
        if full.name != defaults.name { result.name = full.name }
        if full.type != Self.integerType(columnType) { result.type = full.type }
        let spelled = SequenceOptions(type: result.type, increment: full.increment == 1 ? nil : full.increment)
            .resolved(table: table, column: column, columnType: columnType)
        if full.increment != 1 { result.increment = full.increment }
        if full.minValue != spelled.minValue { result.minValue = full.minValue }
        if full.maxValue != spelled.maxValue { result.maxValue = full.maxValue }
        let startDefault = (full.increment ?? 1) > 0 ? full.minValue : full.maxValue
        if full.start != startDefault { result.start = full.start }
        if full.cache != 1 { result.cache = full.cache }
        result.cycle = full.cycle
        if full.unlogged != tableUnlogged { result.unlogged = full.unlogged }
        return result == SequenceOptions() ? nil : result
    }

    /// `START WITH 1000 INCREMENT BY 5 ...` for the options that are set (AS and the name are the caller's).
    public var clauses: String {
        var parts: [String] = []
        if let start { parts.append("START WITH \(start)") }
        if let increment { parts.append("INCREMENT BY \(increment)") }
        if let minValue { parts.append("MINVALUE \(minValue)") }
        if let maxValue { parts.append("MAXVALUE \(maxValue)") }
        if let cache { parts.append("CACHE \(cache)") }
        if cycle { parts.append("CYCLE") }
        return parts.joined(separator: " ")
    }

    static func integerType(_ type: String) -> String {
        switch type.lowercased() {
        case "smallint", "int2": return "smallint"
        case "bigint", "int8": return "bigint"
        default: return "integer"
        }
    }

    static func range(of type: String) -> (Int64, Int64) {
        switch type {
        case "smallint": return (Int64(Int16.min), Int64(Int16.max))
        case "bigint": return (Int64.min, Int64.max)
        default: return (Int64(Int32.min), Int64(Int32.max))
        }
    }
}
