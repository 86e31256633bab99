/// User-defined types: enums (and, to come, domains and composite types).
public enum TypeChange: ChangeFamily {
    case createEnum(EnumType)
    /// Adds `value` to an enum, placed before `before` (nil: at the end).
    case addEnumValue(QualifiedName, value: String, before: String?)
    /// PostgreSQL cannot drop or reorder enum values; this needs a person. Always blocked.
    case enumValuesNeedManualChange(QualifiedName, live: [String], declared: [String])
    case dropEnum(QualifiedName)

    var table: QualifiedName? {
        switch self {
        case .createEnum(let type): return type.name
        case .addEnumValue(let name, _, _), .enumValuesNeedManualChange(let name, _, _), .dropEnum(let name):
            return name
        }
    }

    var phase: Change.Phase {
        switch self {
        case .createEnum, .addEnumValue: return .types
        case .enumValuesNeedManualChange, .dropEnum: return .destructive
        }
    }

    /// A dropped type goes after the dropped tables that use it.
    var rankInPhase: Int {
        switch self {
        case .dropEnum: return 4
        case .createEnum, .addEnumValue, .enumValuesNeedManualChange: return 0
        }
    }

    var marker: Change.Marker {
        switch self {
        case .createEnum, .addEnumValue: return .add
        case .enumValuesNeedManualChange, .dropEnum: return .remove
        }
    }

    var isDestructive: Bool {
        switch self {
        case .createEnum, .addEnumValue: return false
        case .enumValuesNeedManualChange, .dropEnum: return true
        }
    }

    var needsManualAction: Bool {
        switch self {
        case .enumValuesNeedManualChange: return true
        case .createEnum, .addEnumValue, .dropEnum: return false
        }
    }

    var kindName: String {
        switch self {
        case .createEnum: return "create_enum"
        case .addEnumValue: return "add_enum_value"
        case .enumValuesNeedManualChange: return "enum_values_need_manual_change"
        case .dropEnum: return "drop_enum"
        }
    }

    func objectName(table: String) -> String { table }

    var summary: String {
        switch self {
        case .createEnum(let type):
            return "create enum type \(type.name) (\(type.values.map(SQL.literal).joined(separator: ", ")))"
        case .addEnumValue(_, let value, let before):
            return "add enum value \(SQL.literal(value))" + (before.map { " before \(SQL.literal($0))" } ?? "")
        case .enumValuesNeedManualChange(_, let live, let declared):
            return "enum values changed from (\(live.joined(separator: ", "))) to "
                + "(\(declared.joined(separator: ", "))): PostgreSQL cannot remove or reorder enum values; migrate by hand"
        case .dropEnum(let name): return "drop enum type \(name) (not declared in the schema file)"
        }
    }

    func driftDescription(object: String, details: [String]) -> String {
        switch self {
        case .createEnum: return "missing enum type \(object)"
        case .addEnumValue(_, let value, _): return "enum type \(object) lacks the value \(SQL.literal(value))"
        case .enumValuesNeedManualChange(_, let live, let declared):
            return "enum type \(object) has values (\(live.joined(separator: ", "))), "
                + "the file declares (\(declared.joined(separator: ", ")))"
        case .dropEnum: return "enum type \(object) is not declared in the file"
        }
    }

    var statements: [String] {
        switch self {
        case .createEnum(let type):
            let condition = """
                EXISTS (SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace \
                WHERE n.nspname = \(SQL.literal(type.name.schema)) AND t.typname = \(SQL.literal(type.name.name)))
                """
            let values = type.values.map(SQL.literal).joined(separator: ", ")
            return [
                SQLRenderer.guarded(unless: condition, "CREATE TYPE \(SQL.qualified(type.name)) AS ENUM (\(values))")
            ]
        case .addEnumValue(let type, let value, let before):
            return [
                "ALTER TYPE \(SQL.qualified(type)) ADD VALUE IF NOT EXISTS \(SQL.literal(value))"
                    + (before.map { " BEFORE \(SQL.literal($0))" } ?? "")
            ]
        case .enumValuesNeedManualChange:
            return []
        case .dropEnum(let type):
            return ["DROP TYPE IF EXISTS \(SQL.qualified(type))"]
        }
    }

    /// Enum types lock the type, not the tables whose columns use it.
    var lock: TableLock { .none }

    var hazards: [Hazard] {
        switch self {
        case .createEnum, .addEnumValue, .enumValuesNeedManualChange: return []
        case .dropEnum: return [.deletesData]
        }
    }

    func preflight(tables: PreflightTables) -> PreflightProbe? { nil }
    var blockedByDependents: DependentsProbe? { nil }

    var privilege: PrivilegeNeed {
        switch self {
        case .createEnum(let type): return .createOnSchema(type.name.schema)
        // Altering or dropping a type takes its ownership; PostgreSQL's own error names it well enough.
        case .addEnumValue, .enumValuesNeedManualChange, .dropEnum: return .none
        }
    }

    /// Enum values are committed before the main transaction: PostgreSQL cannot use them earlier.
    var commitsSeparately: Bool {
        switch self {
        case .addEnumValue: return true
        case .createEnum, .enumValuesNeedManualChange, .dropEnum: return false
        }
    }
}
