/// User-defined types: enums, domains and composite types.
public enum TypeChange: ChangeFamily {
    case createEnum(EnumType)
    /// Adds `value` to an enum, placed before `before` (nil: at the end).
    case addEnumValue(QualifiedName, value: String, before: String?)
    /// PostgreSQL cannot drop or reorder enum values; this needs a person. Always blocked.
    case enumValuesNeedManualChange(QualifiedName, live: [String], declared: [String])
    case dropEnum(QualifiedName)

    case createDomain(Domain)
    /// `ALTER DOMAIN ... SET DEFAULT` (nil: `DROP DEFAULT`); `baseType` types a literal default.
    case setDomainDefault(QualifiedName, ColumnDefault?, baseType: String)
    /// `SET NOT NULL` checks every column of the domain's type (`users`: those columns, of domains over it
    /// too), `DROP NOT NULL` none.
    case setDomainNotNull(QualifiedName, notNull: Bool, users: [TypeUser])
    /// `ADD CONSTRAINT ... CHECK`: checks every column of the type unless NOT VALID.
    case addDomainCheck(QualifiedName, CheckConstraint, users: [TypeUser])
    /// A live NOT VALID check that the file declares without `not_valid`: `VALIDATE CONSTRAINT`.
    case validateDomainCheck(QualifiedName, CheckConstraint, users: [TypeUser])
    /// A live check with the declared expression under another name.
    case renameDomainCheck(QualifiedName, from: String, to: String)
    /// `replaced`: the check is added again as declared.
    case dropDomainCheck(QualifiedName, check: String, replaced: Bool)
    /// A changed base type or collation of a domain nothing uses: dropped and created as declared.
    case replaceDomain(Domain, reason: String)

    case createCompositeType(CompositeType)
    case addAttribute(QualifiedName, CompositeAttribute)
    case alterAttributeType(QualifiedName, CompositeAttribute, from: String)
    case dropAttribute(QualifiedName, attribute: String)
    /// Attributes in another order (which ALTER TYPE cannot change) of a type nothing uses: dropped and created.
    case replaceCompositeType(CompositeType, reason: String)

    /// A domain or composite type change PostgreSQL cannot make while the type is in use. Always blocked.
    case typeNeedsManualChange(QualifiedName, kind: String, reason: String)
    /// `renamed_from`: the live domain or composite type `from` takes the declared name (`keyword`: DOMAIN or
    /// TYPE); the columns, attributes and domains that use it follow it, being bound to it and not to its name.
    case renameType(QualifiedName, from: QualifiedName, keyword: String)
    /// `COMMENT ON DOMAIN | TYPE` (`keyword`); nil drops the comment.
    case setTypeComment(QualifiedName, keyword: String, comment: String?)
    /// `DROP DOMAIN` or `DROP TYPE` (`keyword`) of a type the file does not declare.
    case dropType(QualifiedName, keyword: String)

    var table: QualifiedName? {
        switch self {
        case .createEnum(let type): return type.name
        case .createDomain(let domain), .replaceDomain(let domain, _): return domain.name
        case .createCompositeType(let type), .replaceCompositeType(let type, _): return type.name
        case .addEnumValue(let name, _, _), .enumValuesNeedManualChange(let name, _, _), .dropEnum(let name),
            .setDomainDefault(let name, _, _), .setDomainNotNull(let name, _, _), .addDomainCheck(let name, _, _),
            .validateDomainCheck(let name, _, _), .renameDomainCheck(let name, _, _), .renameType(let name, _, _),
            .dropDomainCheck(let name, _, _), .addAttribute(let name, _), .alterAttributeType(let name, _, _),
            .dropAttribute(let name, _), .typeNeedsManualChange(let name, _, _), .setTypeComment(let name, _, _),
            .dropType(let name, _):
            return name
        }
    }

    var phase: Change.Phase {
        switch self {
        case .createEnum, .addEnumValue, .createDomain, .setDomainDefault, .setDomainNotNull, .addDomainCheck,
            .validateDomainCheck, .renameDomainCheck, .renameType, .dropDomainCheck, .replaceDomain,
            .createCompositeType,
            .addAttribute, .alterAttributeType, .dropAttribute, .replaceCompositeType, .setTypeComment:
            return .types
        case .enumValuesNeedManualChange, .dropEnum, .typeNeedsManualChange, .dropType: return .destructive
        }
    }

    /// A dropped type goes after the dropped tables that use it; within the types phase, a replaced domain check
    /// is dropped before it is added again.
    var rankInPhase: Int {
        switch self {
        case .dropEnum, .dropType: return 4
        case .dropDomainCheck: return -1
        // First: everything after it uses the new name.
        case .renameType: return -2
        case .createEnum, .addEnumValue, .enumValuesNeedManualChange, .createDomain, .setDomainDefault,
            .setDomainNotNull, .addDomainCheck, .validateDomainCheck, .renameDomainCheck, .replaceDomain,
            .createCompositeType, .addAttribute, .alterAttributeType, .dropAttribute, .replaceCompositeType,
            .typeNeedsManualChange, .setTypeComment:
            return 0
        }
    }

    var marker: Change.Marker {
        switch self {
        case .createEnum, .addEnumValue, .createDomain, .addDomainCheck, .createCompositeType, .addAttribute:
            return .add
        case .setDomainDefault, .setDomainNotNull, .validateDomainCheck, .renameDomainCheck, .renameType,
            .replaceDomain,
            .alterAttributeType, .replaceCompositeType, .setTypeComment:
            return .change
        case .enumValuesNeedManualChange, .dropEnum, .dropDomainCheck, .dropAttribute, .typeNeedsManualChange,
            .dropType:
            return .remove
        }
    }

    var isDestructive: Bool {
        switch self {
        case .createEnum, .addEnumValue, .createDomain, .setDomainDefault, .setDomainNotNull, .addDomainCheck,
            .validateDomainCheck, .renameDomainCheck, .renameType, .dropDomainCheck, .replaceDomain,
            .createCompositeType,
            .addAttribute, .alterAttributeType, .replaceCompositeType, .setTypeComment:
            return false
        case .enumValuesNeedManualChange, .dropEnum, .dropAttribute, .typeNeedsManualChange, .dropType: return true
        }
    }

    var needsManualAction: Bool {
        switch self {
        case .enumValuesNeedManualChange, .typeNeedsManualChange: return true
        case .createEnum, .addEnumValue, .dropEnum, .createDomain, .setDomainDefault, .setDomainNotNull,
            .addDomainCheck, .validateDomainCheck, .renameDomainCheck, .renameType, .dropDomainCheck, .replaceDomain,
            .createCompositeType, .addAttribute, .alterAttributeType, .dropAttribute, .replaceCompositeType,
            .setTypeComment, .dropType:
            return false
        }
    }

    var kindName: String {
        switch self {
        case .createEnum: return "create_enum"
        case .addEnumValue: return "add_enum_value"
        case .enumValuesNeedManualChange: return "enum_values_need_manual_change"
        case .dropEnum: return "drop_enum"
        case .createDomain: return "create_domain"
        case .setDomainDefault: return "set_domain_default"
        case .setDomainNotNull: return "set_domain_not_null"
        case .addDomainCheck: return "add_domain_check"
        case .validateDomainCheck: return "validate_domain_check"
        case .renameDomainCheck: return "rename_domain_check"
        case .renameType: return "rename_type"
        case .dropDomainCheck: return "drop_domain_check"
        case .replaceDomain: return "replace_domain"
        case .createCompositeType: return "create_composite_type"
        case .addAttribute: return "add_attribute"
        case .alterAttributeType: return "alter_attribute_type"
        case .dropAttribute: return "drop_attribute"
        case .replaceCompositeType: return "replace_composite_type"
        case .typeNeedsManualChange: return "type_needs_manual_change"
        case .setTypeComment: return "set_type_comment"
        case .dropType: return "drop_type"
        }
    }

    func objectName(table: String) -> String {
        switch self {
        case .addDomainCheck(_, let check, _), .validateDomainCheck(_, let check, _): return "\(table)/\(check.name)"
        case .dropDomainCheck(_, let check, _): return "\(table)/\(check)"
        case .renameDomainCheck(_, _, let to): return "\(table)/\(to)"
        case .addAttribute(_, let attribute), .alterAttributeType(_, let attribute, _):
            return "\(table).\(SQL.displayIdentifier(attribute.name))"
        case .dropAttribute(_, let attribute): return "\(table).\(SQL.displayIdentifier(attribute))"
        case .createEnum, .addEnumValue, .enumValuesNeedManualChange, .dropEnum, .createDomain, .setDomainDefault,
            .setDomainNotNull, .replaceDomain, .createCompositeType, .replaceCompositeType, .typeNeedsManualChange,
            .setTypeComment, .dropType, .renameType:
            return table
        }
    }

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
        case .createDomain(let domain): return "create domain \(domain.name) as \(domain.baseType)"
        case .setDomainDefault(_, let value, _):
            return value.map { "set domain default \(SQLRenderer.defaultText($0))" } ?? "drop domain default"
        case .setDomainNotNull(_, let notNull, _): return notNull ? "set domain NOT NULL" : "drop domain NOT NULL"
        case .addDomainCheck(_, let check, _):
            return "add domain check \(SQL.displayIdentifier(check.name))" + (check.notValid ? " NOT VALID" : "")
        case .validateDomainCheck(_, let check, _):
            return "validate domain check \(SQL.displayIdentifier(check.name))"
        case .renameDomainCheck(_, let from, let to):
            return "rename domain check \(SQL.displayIdentifier(from)) to \(SQL.displayIdentifier(to))"
        case .renameType(let name, let from, let keyword):
            return "rename \(keyword == "DOMAIN" ? "domain" : "type") \(from) to "
                + "\(SQL.displayIdentifier(name.name)) (renamed_from)"
        case .dropDomainCheck(_, let check, let replaced):
            return "drop domain check \(SQL.displayIdentifier(check))" + (replaced ? " (replaced)" : "")
        case .replaceDomain(let domain, let reason):
            return "drop and create domain \(domain.name) (\(reason); no column uses it)"
        case .createCompositeType(let type):
            return "create composite type \(type.name) (\(type.attributes.count) attribute"
                + (type.attributes.count == 1 ? ")" : "s)")
        case .addAttribute(_, let attribute): return "add attribute \(SQL.displayIdentifier(attribute.name))"
        case .alterAttributeType(_, let attribute, let from):
            return "change type of attribute \(SQL.displayIdentifier(attribute.name)) from \(from) to \(attribute.type)"
        case .dropAttribute(_, let attribute): return "drop attribute \(SQL.displayIdentifier(attribute))"
        case .replaceCompositeType(let type, let reason):
            return "drop and create composite type \(type.name) (\(reason); no column uses it)"
        case .typeNeedsManualChange(_, let kind, let reason): return "\(kind) cannot be changed in place: \(reason)"
        case .setTypeComment(_, let keyword, let comment):
            let kind = keyword == "DOMAIN" ? "domain" : "type"
            return comment == nil ? "drop \(kind) comment" : "set \(kind) comment"
        case .dropType(let name, let keyword):
            return "drop \(keyword == "DOMAIN" ? "domain" : "composite type") \(name) (not declared in the schema file)"
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
        case .createDomain: return "missing domain \(object)"
        case .setDomainDefault: return "default of domain \(object) differs from the file"
        case .setDomainNotNull: return "NOT NULL of domain \(object) differs from the file"
        case .addDomainCheck: return "missing domain check \(object)"
        case .validateDomainCheck: return "domain check \(object) is NOT VALID"
        case .renameDomainCheck(_, let from, _):
            return "domain check \(object) is named \(SQL.displayIdentifier(from))"
        case .renameType(_, let from, let keyword):
            return "\(keyword == "DOMAIN" ? "domain" : "type") \(object) is still named "
                + "\(SQL.displayIdentifier(from.name)) (renamed_from)"
        case .dropDomainCheck(_, _, let replaced):
            return replaced ? "domain check \(object) differs from the file" : "domain check \(object) is not declared"
        case .replaceDomain(_, let reason): return "domain \(object): \(reason)"
        case .createCompositeType: return "missing composite type \(object)"
        case .addAttribute: return "missing attribute \(object)"
        case .alterAttributeType(_, let attribute, let from):
            return "attribute \(object) has type \(from), the file declares \(attribute.type)"
        case .dropAttribute: return "attribute \(object) is not declared"
        case .replaceCompositeType(_, let reason): return "composite type \(object): \(reason)"
        case .typeNeedsManualChange(_, let kind, let reason): return "\(kind) \(object): \(reason)"
        case .setTypeComment: return "comment of \(object) differs from the file"
        case .dropType(_, let keyword):
            return "\(keyword == "DOMAIN" ? "domain" : "composite type") \(object) is not declared in the file"
        }
    }

    var statements: [String] {
        switch self {
        case .createEnum(let type):
            let values = type.values.map(SQL.literal).joined(separator: ", ")
            return [
                SQLRenderer.guarded(
                    unless: Self.typeExists(type.name), "CREATE TYPE \(SQL.qualified(type.name)) AS ENUM (\(values))")
            ]
        case .addEnumValue(let type, let value, let before):
            return [
                "ALTER TYPE \(SQL.qualified(type)) ADD VALUE IF NOT EXISTS \(SQL.literal(value))"
                    + (before.map { " BEFORE \(SQL.literal($0))" } ?? "")
            ]
        case .enumValuesNeedManualChange, .typeNeedsManualChange:
            return []
        case .dropEnum(let type):
            return ["DROP TYPE IF EXISTS \(SQL.qualified(type))"]
        case .createDomain(let domain):
            return Self.createDomain(domain)
        case .setDomainDefault(let name, let value, let baseType):
            let action = value.map { "SET DEFAULT \(SQLRenderer.defaultSQL($0, type: baseType))" } ?? "DROP DEFAULT"
            return ["ALTER DOMAIN \(SQL.qualified(name)) \(action)"]
        case .setDomainNotNull(let name, let notNull, _):
            return ["ALTER DOMAIN \(SQL.qualified(name)) \(notNull ? "SET" : "DROP") NOT NULL"]
        case .addDomainCheck(let name, let check, _):
            return [
                SQLRenderer.guarded(
                    unless: Self.domainCheckExists(name, check.name),
                    "ALTER DOMAIN \(SQL.qualified(name)) ADD \(Self.checkClause(check))")
            ]
        case .validateDomainCheck(let name, let check, _):
            return ["ALTER DOMAIN \(SQL.qualified(name)) VALIDATE CONSTRAINT \(SQL.identifier(check.name))"]
        case .renameDomainCheck(let name, let from, let to):
            return [
                SQLRenderer.guarded(
                    if: Self.domainCheckExists(name, from) + " AND NOT " + Self.domainCheckExists(name, to),
                    "ALTER DOMAIN \(SQL.qualified(name)) RENAME CONSTRAINT \(SQL.identifier(from)) "
                        + "TO \(SQL.identifier(to))")
            ]
        case .renameType(let name, let from, let keyword):
            return [
                SQLRenderer.guarded(
                    if: Self.typeExists(from) + " AND NOT " + Self.typeExists(name),
                    "ALTER \(keyword) \(SQL.qualified(from)) RENAME TO \(SQL.identifier(name.name))")
            ]
        case .dropDomainCheck(let name, let check, _):
            return ["ALTER DOMAIN \(SQL.qualified(name)) DROP CONSTRAINT IF EXISTS \(SQL.identifier(check))"]
        case .replaceDomain(let domain, _):
            return ["DROP DOMAIN IF EXISTS \(SQL.qualified(domain.name))"] + Self.createDomain(domain)
        case .createCompositeType(let type):
            return Self.createCompositeType(type)
        case .addAttribute(let name, let attribute):
            return [
                SQLRenderer.guarded(
                    unless: Self.attributeExists(name, attribute.name),
                    "ALTER TYPE \(SQL.qualified(name)) ADD ATTRIBUTE \(Self.attributeSQL(attribute))")
            ]
        case .alterAttributeType(let name, let attribute, _):
            return [
                "ALTER TYPE \(SQL.qualified(name)) ALTER ATTRIBUTE \(SQL.identifier(attribute.name)) "
                    + "TYPE \(attribute.type)"
                    + (attribute.collation.map { " COLLATE \(SQLRenderer.collationName($0))" } ?? "")
            ]
        case .dropAttribute(let name, let attribute):
            return ["ALTER TYPE \(SQL.qualified(name)) DROP ATTRIBUTE IF EXISTS \(SQL.identifier(attribute))"]
        case .replaceCompositeType(let type, _):
            return ["DROP TYPE IF EXISTS \(SQL.qualified(type.name))"] + Self.createCompositeType(type)
        case .setTypeComment(let name, let keyword, let comment):
            return ["COMMENT ON \(keyword) \(SQL.qualified(name)) IS \(comment.map(SQL.literal) ?? "NULL")"]
        case .dropType(let name, let keyword):
            return ["DROP \(keyword) IF EXISTS \(SQL.qualified(name))"]
        }
    }

    /// Types lock no table, except where a domain's new rule is checked against the columns that use it
    /// (SHARE on their tables: writes wait, reads go on).
    var lock: TableLock {
        switch self {
        case .setDomainNotNull(_, true, let users) where !users.isEmpty: return .share
        case .addDomainCheck(_, let check, let users) where !check.notValid && !users.isEmpty: return .share
        case .validateDomainCheck(_, _, let users) where !users.isEmpty: return .share
        case .createEnum, .addEnumValue, .enumValuesNeedManualChange, .dropEnum, .createDomain, .setDomainDefault,
            .setDomainNotNull, .addDomainCheck, .validateDomainCheck, .renameDomainCheck, .renameType, .dropDomainCheck,
            .replaceDomain, .createCompositeType, .addAttribute, .alterAttributeType, .dropAttribute,
            .replaceCompositeType, .typeNeedsManualChange, .setTypeComment, .dropType:
            return .none
        }
    }

    var lockedTables: [QualifiedName] {
        guard lock != .none else { return [] }
        switch self {
        case .setDomainNotNull(_, _, let users), .addDomainCheck(_, _, let users),
            .validateDomainCheck(_, _, let users):
            return users.tables
        case .createEnum, .addEnumValue, .enumValuesNeedManualChange, .dropEnum, .createDomain, .setDomainDefault,
            .renameDomainCheck, .renameType, .dropDomainCheck, .replaceDomain, .createCompositeType, .addAttribute,
            .alterAttributeType, .dropAttribute, .replaceCompositeType, .typeNeedsManualChange, .setTypeComment,
            .dropType:
            return []
        }
    }

    var hazards: [Hazard] {
        switch self {
        case .dropEnum, .dropAttribute, .dropType: return [.deletesData]
        case .setDomainNotNull(_, true, let users) where !users.isEmpty: return [.mayFailOnExistingRows]
        case .addDomainCheck(_, let check, let users) where !check.notValid && !users.isEmpty:
            return [.mayFailOnExistingRows]
        case .validateDomainCheck(_, _, let users) where !users.isEmpty: return [.mayFailOnExistingRows]
        case .createEnum, .addEnumValue, .enumValuesNeedManualChange, .createDomain, .setDomainDefault,
            .setDomainNotNull, .addDomainCheck, .validateDomainCheck, .renameDomainCheck, .renameType, .dropDomainCheck,
            .replaceDomain, .createCompositeType, .addAttribute, .alterAttributeType, .replaceCompositeType,
            .typeNeedsManualChange, .setTypeComment:
            return []
        }
    }

    /// The values a domain's new rule would refuse, counted over every column of the type: NULLs for NOT NULL,
    /// the values that fail a check (its `VALUE` read as each column).
    func preflight(tables: PreflightTables) -> PreflightProbe? {
        let (users, condition, rule): ([TypeUser], (String) -> String?, String)
        switch self {
        case .setDomainNotNull(_, true, let columns):
            (users, condition, rule) = (columns, { "\($0) IS NULL" }, "NOT NULL")
        case .addDomainCheck(_, let check, let columns) where !check.notValid,
            .validateDomainCheck(_, let check, let columns):
            let expression =
                check.expression.hasPrefix("CHECK ") ? String(check.expression.dropFirst(6)) : "(\(check.expression))"
            (users, condition, rule) = (
                columns,
                { column in
                    SQLScanning.replacingKeyword("VALUE", in: expression, with: column).map {
                        "\(column) IS NOT NULL AND NOT \($0)"
                    }
                }, "check \(SQL.displayIdentifier(check.name))"
            )
        case .createEnum, .addEnumValue, .enumValuesNeedManualChange, .dropEnum, .createDomain, .setDomainDefault,
            .setDomainNotNull, .addDomainCheck, .renameDomainCheck, .renameType, .dropDomainCheck, .replaceDomain,
            .createCompositeType, .addAttribute, .alterAttributeType, .dropAttribute, .replaceCompositeType,
            .typeNeedsManualChange, .setTypeComment, .dropType:
            return nil
        }
        var counts: [String] = []
        for (number, user) in users.enumerated() where user.kind == .column && !user.isArray {
            guard let column = user.column,
                let source = tables.relation(user.relation, columns: [column], as: "t\(number)"),
                let test = condition("t\(number).\(SQL.identifier(column))")
            else { continue }
            counts.append("(SELECT count(*) FROM \(source) WHERE \(test))")
        }
        guard !counts.isEmpty else { return nil }
        let type = self.table?.description ?? ""
        return PreflightProbe("SELECT " + counts.joined(separator: " + ")) {
            "\(rowsText($0, "holds a value", "hold values")) of domain \(type) that \(rule) refuses"
        }
    }

    var blockedByDependents: DependentsProbe? { nil }

    var privilege: PrivilegeNeed {
        switch self {
        case .createEnum(let type): return .createOnSchema(type.name.schema)
        case .createDomain(let domain): return .createOnSchema(domain.name.schema)
        case .createCompositeType(let type): return .createOnSchema(type.name.schema)
        // Altering or dropping a type takes its ownership; PostgreSQL's own error names it well enough.
        case .addEnumValue, .enumValuesNeedManualChange, .dropEnum, .setDomainDefault, .setDomainNotNull,
            .addDomainCheck, .validateDomainCheck, .renameDomainCheck, .renameType, .dropDomainCheck, .replaceDomain,
            .addAttribute, .alterAttributeType, .dropAttribute, .replaceCompositeType, .typeNeedsManualChange,
            .setTypeComment, .dropType:
            return .none
        }
    }

    /// Enum values are committed before the main transaction: PostgreSQL cannot use them earlier.
    var commitsSeparately: Bool {
        if case .addEnumValue = self { return true }
        return false
    }
}

extension TypeChange {
    /// A type (of any kind) of this name exists.
    static func typeExists(_ name: QualifiedName) -> String {
        """
        EXISTS (SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace \
        WHERE n.nspname = \(SQL.literal(name.schema)) AND t.typname = \(SQL.literal(name.name)))
        """
    }

    static func domainCheckExists(_ domain: QualifiedName, _ check: String) -> String {
        "EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE contypid = \(SQL.literal(SQL.qualified(domain)))"
            + "::regtype AND conname = \(SQL.literal(check)))"
    }

    static func attributeExists(_ type: QualifiedName, _ attribute: String) -> String {
        "EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.typrelid = a.attrelid "
            + "WHERE t.oid = \(SQL.literal(SQL.qualified(type)))::regtype AND a.attname = \(SQL.literal(attribute)) "
            + "AND NOT a.attisdropped)"
    }

    /// `CONSTRAINT name CHECK (expression) [NOT VALID]`.
    static func checkClause(_ check: CheckConstraint) -> String {
        let expression = check.expression.hasPrefix("CHECK ") ? check.expression : "CHECK (\(check.expression))"
        return "CONSTRAINT \(SQL.identifier(check.name)) \(expression)" + (check.notValid ? " NOT VALID" : "")
    }

    /// `CREATE DOMAIN` (if missing) with its checks; NOT VALID checks are added after it, as pg_dump does
    /// (inside CREATE DOMAIN they would be validated), and the comment last.
    static func createDomain(_ domain: Domain) -> [String] {
        var create = "CREATE DOMAIN \(SQL.qualified(domain.name)) AS \(domain.baseType)"
        if let collation = domain.collation { create += " COLLATE \(SQLRenderer.collationName(collation))" }
        if let value = domain.defaultValue {
            create += " DEFAULT \(SQLRenderer.defaultSQL(value, type: domain.baseType))"
        }
        if !domain.isNullable { create += " NOT NULL" }
        for check in domain.checks where !check.notValid { create += " \(checkClause(check))" }
        var statements = [SQLRenderer.guarded(unless: typeExists(domain.name), create)]
        for check in domain.checks where check.notValid {
            statements += TypeChange.addDomainCheck(domain.name, check, users: []).statements
        }
        if let comment = domain.comment {
            statements.append("COMMENT ON DOMAIN \(SQL.qualified(domain.name)) IS \(SQL.literal(comment))")
        }
        return statements
    }

    static func attributeSQL(_ attribute: CompositeAttribute) -> String {
        "\(SQL.identifier(attribute.name)) \(attribute.type)"
            + (attribute.collation.map { " COLLATE \(SQLRenderer.collationName($0))" } ?? "")
    }

    static func createCompositeType(_ type: CompositeType) -> [String] {
        let attributes = type.attributes.map(attributeSQL).joined(separator: ", ")
        var statements = [
            SQLRenderer.guarded(
                unless: typeExists(type.name), "CREATE TYPE \(SQL.qualified(type.name)) AS (\(attributes))")
        ]
        if let comment = type.comment {
            statements.append("COMMENT ON TYPE \(SQL.qualified(type.name)) IS \(SQL.literal(comment))")
        }
        return statements
    }
}
