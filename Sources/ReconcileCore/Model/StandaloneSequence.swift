/// A sequence of its own (`CREATE SEQUENCE invoice_numbers`), which defaults draw from with
/// `nextval('invoice_numbers')`; the sequences of serial and identity columns belong to their columns.
public struct StandaloneSequence: Hashable, Sendable, Codable {
    public var name: QualifiedName
    /// Options where they differ from `CREATE SEQUENCE`'s defaults (`AS bigint`, start 1, increment 1...).
    public var options: SequenceOptions

    public init(name: QualifiedName, options: SequenceOptions = SequenceOptions()) {
        self.name = name
        self.options = options
    }

    /// Every option spelled out (the name is the sequence's own), for comparison.
    public var resolved: SequenceOptions {
        var options = options
        options.name = name.name
        return options.resolved(table: name, column: "", columnType: "bigint")
    }
}
