/// Something in the live database that `--export` cannot write as a schema file, with what would let the
/// export go through. `--export` collects every refusal before it reports, so one run names them all.
public struct ExportRefusal: Hashable, Sendable {
    /// What the problem is about: a table (`public.invoices`) or a flag (`--seed-tables`).
    public var subject: String
    /// The table that `--exclude` would leave out to get past this; nil when the problem is a flag's.
    public var table: QualifiedName?
    /// What is wrong, naming the object: "column number takes its default from a sequence ...".
    public var problem: String
    /// What to do about it, with the exact flag where one helps.
    public var remedy: String

    public init(table: QualifiedName, problem: String, remedy: String) {
        self.subject = table.description
        self.table = table
        self.problem = problem
        self.remedy = remedy
    }

    public init(flag: String, problem: String, remedy: String) {
        self.subject = flag
        self.table = nil
        self.problem = problem
        self.remedy = remedy
    }

    /// Refusals in report order: grouped by table, tables in name order, flags last; within a group, as found.
    public static func grouped(_ refusals: [ExportRefusal]) -> [ExportRefusal] {
        refusals.enumerated().sorted { a, b in
            switch (a.element.table, b.element.table) {
            case let (left?, right?) where left != right: return left < right
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a.offset < b.offset
            }
        }.map(\.element)
    }

    /// The report `--export` prints: one line per refusal, then the flags that leave all refused tables out.
    public static func report(_ refusals: [ExportRefusal]) -> String {
        let count = refusals.count
        var text = "\(count) problem\(count == 1 ? "" : "s"), listed below; nothing was written."
        for refusal in refusals {
            text += "\n  \(refusal.subject): \(refusal.problem); \(refusal.remedy)"
        }
        var tables: [QualifiedName] = []
        for case let table? in refusals.map(\.table) where !tables.contains(table) { tables.append(table) }
        if !tables.isEmpty {
            text += "\nTo leave every refused table out, add: " + tables.map(excludeFlag).joined(separator: " ")
        }
        return text
    }

    /// `--exclude schema.table`, ready to paste into a shell, matching exactly this table's name.
    public static func excludeFlag(_ table: QualifiedName) -> String {
        "--exclude " + shellWord(tablePattern(table))
    }

    /// A `--include`/`--exclude` pattern for one table. The last dot of a pattern separates schema from table,
    /// so a dot inside the table's name becomes `?` (any one character); patterns have no escape for `*`
    /// and `?`, which match themselves among others.
    public static func tablePattern(_ table: QualifiedName) -> String {
        table.schema + "." + table.name.replacingAll(".", with: "?")
    }

    /// The word itself when a shell leaves it alone, else single-quoted.
    static func shellWord(_ word: String) -> String {
        let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.,:/@%+=")
        if !word.isEmpty, word.allSatisfy(plain.contains) { return word }
        return "'" + word.replacingAll("'", with: "'\\''") + "'"
    }
}
