import Yams

/// `domains: { email_address: { type: text, checks: { email_address_check: "VALUE ~ '@'" } } }`: a name and
/// its base type with options, or `name: type` for a bare domain.
struct DomainParser {
    enum Key: String, SchemaFileKey {
        case type, nullable, `default`
        case defaultSQL = "default_sql"
        case collation, checks, comment
        case renamedFrom = "renamed_from"
    }

    /// `name: { expression: ..., not_valid: true }` in a domain's checks.
    enum CheckKey: String, SchemaFileKey {
        case expression
        case notValid = "not_valid"
    }

    let reader: YAMLReader

    func parse(_ node: Node, positions: inout SourcePositions) -> [Domain] {
        guard let mapping = reader.mapping(node, "domains") else { return [] }
        var domains: [Domain] = []
        for (keyNode, valueNode) in mapping {
            guard let text = reader.string(keyNode, "a domain name") else { continue }
            guard let name = try? NameSyntax.qualifiedName(text, defaultSchema: SchemaDocumentParser.defaultSchema)
            else {
                reader.error("domain name '\(text)' is not a valid [schema.]name", at: keyNode)
                continue
            }
            if let first = positions.types[name] {
                reader.error("type \(name) is declared twice: also at \(first)", at: keyNode)
                continue
            }
            positions.types[name] = reader.location(of: keyNode)
            reader.checkIdentifierLength(name.name, "domain", at: keyNode)
            if let domain = parseDomain(name, keyNode: keyNode, valueNode) { domains.append(domain) }
        }
        return domains
    }

    private func parseDomain(_ name: QualifiedName, keyNode: Node, _ node: Node) -> Domain? {
        let what = "domain \(name)"
        let entries: [SchemaFileEntry<Key>]
        if case .scalar = node {
            entries = [SchemaFileEntry(key: .type, keyNode: keyNode, value: node)]
        } else {
            guard let mapping = reader.mapping(node, what) else { return nil }
            entries = reader.entries(mapping, of: Key.self, what)
        }
        var domain = Domain(name: name, baseType: "")
        var defaultKeys: [Node] = []
        for entry in entries {
            let value = entry.value
            switch entry.key {
            case .type: domain.baseType = reader.string(value, "type of \(what)") ?? ""
            case .nullable: domain.isNullable = reader.bool(value, "nullable of \(what)") ?? true
            case .default:
                defaultKeys.append(entry.keyNode)
                domain.defaultValue = reader.literal(value, "default of \(what)").map(ColumnDefault.literal)
            case .defaultSQL:
                defaultKeys.append(entry.keyNode)
                domain.defaultValue = reader.string(value, "default_sql of \(what)").map(ColumnDefault.expression)
            case .collation: domain.collation = reader.string(value, "collation of \(what)")
            case .checks: domain.checks = parseChecks(value, what)
            case .comment: domain.comment = reader.string(value, "comment of \(what)")
            case .renamedFrom: domain.renamedFrom = reader.previousName(value, of: domain.name, what)
            }
        }
        if defaultKeys.count > 1 {
            reader.error("\(what) has both 'default' and 'default_sql'; keep one", at: defaultKeys[1])
        }
        // A literal NULL default is no default, as PostgreSQL stores none.
        if domain.defaultValue == .literal(.null) { domain.defaultValue = nil }
        guard !domain.baseType.isEmpty else {
            if !entries.contains(where: { $0.key == .type }) { reader.error("\(what) has no 'type'", at: keyNode) }
            return nil
        }
        return domain
    }

    /// `checks: { positive: "VALUE > 0", later: { expression: "VALUE < 100", not_valid: true } }`.
    private func parseChecks(_ node: Node, _ what: String) -> [CheckConstraint] {
        guard let mapping = reader.mapping(node, "checks of \(what)") else { return [] }
        var checks: [CheckConstraint] = []
        for (keyNode, checkNode) in mapping {
            guard let name = reader.string(keyNode, "a check constraint name") else { continue }
            reader.checkIdentifierLength(name, "constraint", at: keyNode)
            let checkWhat = "check \(name) of \(what)"
            let (expression, _, entries) = reader.textOrMapping(
                checkNode, checkWhat, scalarWhat: checkWhat, textKey: CheckKey.expression)
            guard let expression else { continue }
            var check = CheckConstraint(name: name, expression: expression)
            for entry in entries {
                switch entry.key {
                case .expression: break
                case .notValid: check.notValid = reader.bool(entry.value, "not_valid of \(checkWhat)") ?? false
                }
            }
            checks.append(check)
        }
        return checks
    }
}
