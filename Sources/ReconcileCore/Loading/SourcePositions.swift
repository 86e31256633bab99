/// Where each object was declared, kept while parsing for the problems found only once every file is read:
/// cross references (a foreign key's target, a seed's key) and declarations repeated across files.
struct SourcePositions: Sendable {
    var tables: [QualifiedName: SourceLocation] = [:]
    /// The `partitions` key of a partitioned table.
    var partitions: [QualifiedName: SourceLocation] = [:]
    var renames: [QualifiedName: SourceLocation] = [:]
    /// Table → constraint name → the `references` value.
    var foreignKeys: [QualifiedName: [String: SourceLocation]] = [:]
    /// Table → constraint name → the constraint's value.
    var exclusions: [QualifiedName: [String: SourceLocation]] = [:]
    var seeds: [QualifiedName: (seed: SourceLocation, rows: [SourceLocation])] = [:]
    var enums: [QualifiedName: SourceLocation] = [:]
    var sequences: [QualifiedName: SourceLocation] = [:]
    /// Domains and composite types, which share one namespace.
    var types: [QualifiedName: SourceLocation] = [:]
    var routines: [RoutineKey: SourceLocation] = [:]
    /// Views and materialized views, which share one namespace.
    var views: [QualifiedName: SourceLocation] = [:]

    /// Adds the positions of another file's declarations; their names do not overlap these.
    mutating func add(_ other: SourcePositions) {
        tables.merge(other.tables) { mine, _ in mine }
        partitions.merge(other.partitions) { mine, _ in mine }
        renames.merge(other.renames) { mine, _ in mine }
        foreignKeys.merge(other.foreignKeys) { mine, _ in mine }
        exclusions.merge(other.exclusions) { mine, _ in mine }
        seeds.merge(other.seeds) { mine, _ in mine }
        enums.merge(other.enums) { mine, _ in mine }
        sequences.merge(other.sequences) { mine, _ in mine }
        types.merge(other.types) { mine, _ in mine }
        routines.merge(other.routines) { mine, _ in mine }
        views.merge(other.views) { mine, _ in mine }
    }
}
