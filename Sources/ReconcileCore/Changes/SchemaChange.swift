/// Database-level objects: schemas and extensions.
public enum SchemaChange: ChangeFamily {
    case createSchema(String)
    case createExtension(String)

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
        case .createSchema(let name), .createExtension(let name): return SQL.displayIdentifier(name)
        }
    }

    var summary: String {
        switch self {
        case .createSchema(let name): return "create schema \(SQL.displayIdentifier(name))"
        case .createExtension(let name): return "create extension \(SQL.displayIdentifier(name))"
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
        case .createExtension(let name): return ["CREATE EXTENSION IF NOT EXISTS \(SQL.identifier(name))"]
        }
    }

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
