/// A `CREATE TYPE ... AS ENUM` type: its values in sort order.
public struct EnumType: Hashable, Sendable, Codable {
    public var name: QualifiedName
    public var values: [String]

    public init(name: QualifiedName, values: [String]) {
        self.name = name
        self.values = values
    }
}
