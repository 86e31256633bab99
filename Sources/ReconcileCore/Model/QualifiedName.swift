/// A schema-qualified object name, compared exactly as PostgreSQL stores it (no case folding).
public struct QualifiedName: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public var schema: String
    public var name: String

    public init(schema: String = "public", name: String) {
        self.schema = schema
        self.name = name
    }

    public static func < (lhs: QualifiedName, rhs: QualifiedName) -> Bool {
        (lhs.schema, lhs.name) < (rhs.schema, rhs.name)
    }

    /// `schema.name`, each part double-quoted only where PostgreSQL would need it.
    public var description: String { "\(SQL.displayIdentifier(schema)).\(SQL.displayIdentifier(name))" }
}

extension SQL {
    /// `"schema"."name"`, both parts quoted.
    public static func qualified(_ name: QualifiedName) -> String {
        identifier(name.schema) + "." + identifier(name.name)
    }
}
