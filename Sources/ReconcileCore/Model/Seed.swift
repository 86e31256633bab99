/// Rows that must exist in a table: the "seeded settings" of an application.
public struct Seed: Hashable, Sendable, Codable {
    public enum Mode: String, Hashable, Sendable, Codable, CaseIterable {
        /// Insert rows whose key is absent; never overwrite a value someone changed later.
        case insertMissing = "insert-missing"
        /// Keep every declared column of every row equal to the declaration.
        case enforce
    }

    public var mode: Mode
    /// Columns identifying a row: the primary key unless declared otherwise.
    public var key: [String]
    public var rows: [SeedRow]

    public init(mode: Mode = .insertMissing, key: [String], rows: [SeedRow]) {
        self.mode = mode
        self.key = key
        self.rows = rows
    }

    /// Every column any row sets, in first-seen order.
    public var columns: [String] {
        var seen = Set<String>()
        var ordered: [String] = []
        for row in rows {
            for (column, _) in row.values where seen.insert(column).inserted { ordered.append(column) }
        }
        return ordered
    }
}

public struct SeedRow: Hashable, Sendable {
    /// Column values in declared order.
    public var values: [(String, Literal)]

    public init(values: [(String, Literal)]) { self.values = values }

    public subscript(column: String) -> Literal? { values.first { $0.0 == column }?.1 }

    /// `id=1` or `tenant_id=3,code='pro'`: the row's key as plans and drift reports show it.
    public func keyDescription(_ key: [String]) -> String {
        key.map { "\(SQL.displayIdentifier($0))=\(self[$0]?.description ?? "NULL")" }.joined(separator: ",")
    }

    public static func == (lhs: SeedRow, rhs: SeedRow) -> Bool {
        lhs.values.map(\.0) == rhs.values.map(\.0) && lhs.values.map(\.1) == rhs.values.map(\.1)
    }

    public func hash(into hasher: inout Hasher) {
        for (column, value) in values {
            hasher.combine(column)
            hasher.combine(value)
        }
    }
}

/// Encoded as `[["column", value], ...]`, keeping the declared order (a tuple has no Codable of its own).
extension SeedRow: Codable {
    private struct Pair: Codable {
        let column: String
        let value: Literal

        init(_ column: String, _ value: Literal) {
            self.column = column
            self.value = value
        }

        init(from decoder: Decoder) throws {
            var container = try decoder.unkeyedContainer()
            column = try container.decode(String.self)
            value = try container.decode(Literal.self)
        }

        func encode(to encoder: Encoder) throws {
            var container = encoder.unkeyedContainer()
            try container.encode(column)
            try container.encode(value)
        }
    }

    public init(from decoder: Decoder) throws {
        values = try [Pair](from: decoder).map { ($0.column, $0.value) }
    }

    public func encode(to encoder: Encoder) throws {
        try values.map { Pair($0.0, $0.1) }.encode(to: encoder)
    }
}
