/// A `CREATE TYPE ... AS ENUM` type: its values in sort order.
public struct EnumType: Hashable, Sendable, Codable {
    public var name: QualifiedName
    public var values: [String]
    /// `renamed_from`: the type's previous name in its schema (renamed when that one exists and this does not).
    public var renamedFrom: String?

    public init(name: QualifiedName, values: [String]) {
        self.name = name
        self.values = values
    }
}
