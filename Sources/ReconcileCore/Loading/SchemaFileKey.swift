/// The keys one kind of mapping in the schema file allows, one enum per kind, in the order suggestions prefer.
/// The parser switches over the cases, an unknown key is reported with the closest case ("did you mean"),
/// and the JSON Schema for editors lists them: one list, so the three cannot drift apart.
protocol SchemaFileKey: RawRepresentable, CaseIterable, Hashable, Sendable where RawValue == String {}

/// The keys of constraints that can be deferred: `deferrable: true`, `initially_deferred: true`.
protocol DeferrableConstraintKey: SchemaFileKey {
    static var deferrable: Self { get }
    static var initiallyDeferred: Self { get }
}
