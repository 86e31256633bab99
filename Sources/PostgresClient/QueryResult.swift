import CLibPQ

/// The rows of one successful statement, copied out of libpq so no C memory outlives the call.
public struct QueryResult: Sendable {
    public let columns: [String]
    /// Text-format values; nil is SQL NULL.
    public let rows: [[String?]]

    public init(columns: [String], rows: [[String?]]) {
        self.columns = columns
        self.rows = rows
    }

    /// Copies a `PGresult` into Swift values. The caller still owns and clears the result.
    init(copying result: OpaquePointer) {
        let fieldCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        columns = (0..<fieldCount).map { String(cString: PQfname(result, Int32($0))) }
        var copied: [[String?]] = []
        copied.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            var values: [String?] = []
            values.reserveCapacity(fieldCount)
            for field in 0..<fieldCount {
                if PQgetisnull(result, Int32(row), Int32(field)) == 1 {
                    values.append(nil)
                } else {
                    values.append(String(cString: PQgetvalue(result, Int32(row), Int32(field))))
                }
            }
            copied.append(values)
        }
        rows = copied
    }
}

extension QueryResult {
    /// A row whose values are read by column name, so code does not depend on a query's column order.
    public struct Row: Sendable {
        let indexes: [String: Int]
        public let values: [String?]

        /// The value of a column the query returns; a programming error otherwise. nil is SQL NULL.
        public subscript(_ name: String) -> String? {
            guard let index = indexes[name] else { preconditionFailure("query result has no column \(name)") }
            return values[index]
        }

        /// A boolean column: PostgreSQL's text form is `t` / `f`.
        public func bool(_ name: String) -> Bool { self[name] == "t" }
    }

    public var namedRows: [Row] {
        let indexes = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        return rows.map { Row(indexes: indexes, values: $0) }
    }
}
