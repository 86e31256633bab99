/// Database-level objects: schemas and extensions.
public enum SchemaChange: ChangeFamily {
    case createSchema(String)
    /// `schema`: where to create it, when not where `CREATE EXTENSION` would (`public`).
    case createExtension(String, schema: String?)

    var table: QualifiedName? { nil }
    var phase: Change.Phase { .schemas }
    var rankInPhase: Int { 0 }
    var marker: Change.Marker { .add }
    var isDestructive: Bool { false }
    var needsManualAction: Bool { false }

    var kindName: String {
        switch self {
        case .createSchema: return "create_schema"
        case .createExtension: return "create_extension"
        }
    }

    func objectName(table: String) -> String {
        switch self {
        case .createSchema(let name), .createExtension(let name, _): return SQL.displayIdentifier(name)
        }
    }

    var summary: String {
        switch self {
        case .createSchema(let name): return "create schema \(SQL.displayIdentifier(name))"
        case .createExtension(let name, let schema):
            return "create extension \(SQL.displayIdentifier(name))"
                + (schema.map { " in schema \(SQL.displayIdentifier($0))" } ?? "")
        }
    }

    func driftDescription(object: String, details: [String]) -> String {
        switch self {
        case .createSchema: return "missing schema \(object)"
        case .createExtension: return "missing extension \(object)"
        }
    }

    var statements: [String] {
        switch self {
        case .createSchema(let name): return ["CREATE SCHEMA IF NOT EXISTS \(SQL.identifier(name))"]
        case .createExtension(let name, nil): return ["CREATE EXTENSION IF NOT EXISTS \(SQL.identifier(name))"]
        case .createExtension(let name, let schema?):
            return [
                "CREATE SCHEMA IF NOT EXISTS \(SQL.identifier(schema))",
                "CREATE EXTENSION IF NOT EXISTS \(SQL.identifier(name)) WITH SCHEMA \(SQL.identifier(schema))",
            ]
        }
    }

    var lock: TableLock { .none }
    var hazards: [Hazard] { [] }
    func preflight(tables: PreflightTables) -> PreflightProbe? { nil }
    var blockedByDependents: DependentsProbe? { nil }

    var privilege: PrivilegeNeed {
        switch self {
        case .createSchema: return .createOnDatabase
        // Whether a role may create an extension depends on the extension (trusted or not).
        case .createExtension: return .none
        }
    }
}
