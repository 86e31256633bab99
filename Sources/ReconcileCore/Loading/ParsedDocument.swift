/// What one schema file declares, as written (a foreign key's target columns and a seed's key may still be
/// implicit), and where each object was declared. `Schema` sorts and completes it once validated.
struct ParsedDocument {
    var schemaNames: [String] = []
    var extensions: [String] = []
    /// The schema of an extension declared `{ name, schema }` outside `public`.
    var extensionSchemas: [String: String] = [:]
    var enums: [EnumType] = []
    var sequences: [StandaloneSequence] = []
    var domains: [Domain] = []
    var compositeTypes: [CompositeType] = []
    var tables: [Table] = []
    var routines: [Routine] = []
    var views: [View] = []
    var positions = SourcePositions()
}
