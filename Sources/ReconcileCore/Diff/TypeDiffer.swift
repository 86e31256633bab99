/// Domains and composite types: what to create and change before the tables that use them (`changes`), and
/// the undeclared ones of managed schemas to drop after the tables (`drops`). `canonical` holds the declared
/// types as the server spells them (base and attribute types, defaults, check expressions).
struct TypeDiffer {
    let desired: Schema
    let canonical: Schema
    let live: Schema

    /// `renamed_from` on domains and composite types that applies: no live type has the declared name, and a
    /// live one of the same kind has the old name and is not declared itself.
    static func pendingRenames(desired: Schema, live: Schema) -> [TypeRename] {
        let liveNames = Set(live.domains.map(\.name) + live.compositeTypes.map(\.name) + live.enums.map(\.name))
        let declared = Set(desired.domains.map(\.name) + desired.compositeTypes.map(\.name) + desired.enums.map(\.name))
        func rename(_ name: QualifiedName, _ old: String?, among: Set<QualifiedName>, _ keyword: String) -> TypeRename?
        {
            guard let old, !liveNames.contains(name) else { return nil }
            let from = QualifiedName(schema: name.schema, name: old)
            guard among.contains(from), !declared.contains(from) else { return nil }
            return TypeRename(name: name, from: from, keyword: keyword)
        }
        let domains = Set(live.domains.map(\.name)), types = Set(live.compositeTypes.map(\.name))
        let enums = Set(live.enums.map(\.name))
        return desired.enums.compactMap { rename($0.name, $0.renamedFrom, among: enums, "TYPE") }
            + desired.domains.compactMap { rename($0.name, $0.renamedFrom, among: domains, "DOMAIN") }
            + desired.compositeTypes.compactMap { rename($0.name, $0.renamedFrom, among: types, "TYPE") }
    }

    func changes() -> [Change] {
        let liveDomains = Dictionary(live.domains.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let canonicalDomains = Dictionary(canonical.domains.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var changes: [Change] = []
        for domain in Self.creationOrder(desired.domains, by: \.name, uses: { [$0.baseType] }) {
            guard let current = liveDomains[domain.name] else {
                changes.append(Change(.type(.createDomain(domain))))
                continue
            }
            changes += domainChanges(domain, canonical: canonicalDomains[domain.name] ?? domain, live: current)
        }
        let liveTypes = Dictionary(live.compositeTypes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let canonicalTypes = Dictionary(
            canonical.compositeTypes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for type in Self.creationOrder(desired.compositeTypes, by: \.name, uses: { $0.attributes.map(\.type) }) {
            guard let current = liveTypes[type.name] else {
                changes.append(Change(.type(.createCompositeType(type))))
                continue
            }
            changes += compositeChanges(type, canonical: canonicalTypes[type.name] ?? type, live: current)
        }
        return changes
    }

    /// Domains and composite types in managed schemas that the file does not declare.
    func drops() -> [Change] {
        let managed = Set(desired.schemaNames)
        let declared = Set(desired.domains.map(\.name) + desired.compositeTypes.map(\.name))
        return live.domains.filter { managed.contains($0.name.schema) && !declared.contains($0.name) }.map {
            Change(.type(.dropType($0.name, keyword: "DOMAIN")))
        }
            + live.compositeTypes.filter { managed.contains($0.name.schema) && !declared.contains($0.name) }.map {
                Change(.type(.dropType($0.name, keyword: "TYPE")))
            }
    }

    private func domainChanges(_ domain: Domain, canonical: Domain, live: Domain) -> [Change] {
        let name = domain.name
        var reasons: [String] = []
        if canonical.baseType != live.baseType { reasons.append("base type \(live.baseType) → \(canonical.baseType)") }
        if canonical.collation != live.collation {
            reasons.append("collation \(live.collation ?? "default") → \(canonical.collation ?? "default")")
        }
        if !reasons.isEmpty {
            let reason = reasons.joined(separator: ", ")
            guard live.usedBy.isEmpty else {
                return [
                    Change(.type(.typeNeedsManualChange(name, kind: "domain", reason: Self.inUse(reason, live.usedBy))))
                ]
            }
            return [Change(.type(.replaceDomain(domain, reason: reason)))]
        }
        var changes: [Change] = []
        // ALTER DOMAIN checks new rules against the columns of the type (and of domains over it), and refuses
        // outright when an array of it, or a composite type holding it, is a column's type.
        let tables = columnUsers(of: live)
        let containers = containingColumns(of: live)
        let checking =
            !canonical.isNullable && live.isNullable
            || canonical.checks.contains { check in
                !check.notValid
                    && (live.check(check.name).map { $0.expression != check.expression || $0.notValid } ?? true)
            }
        if checking && !containers.isEmpty {
            return [
                Change(
                    .type(
                        .typeNeedsManualChange(
                            name, kind: "domain",
                            reason: Self.inUse("a new NOT NULL or check", containers)
                                .replacingAll(
                                    "rebuild a type in use", with: "check values inside arrays or composite values"))))
            ]
        }
        if Self.defaultText(canonical.defaultValue) != Self.defaultText(live.defaultValue) {
            changes.append(Change(.type(.setDomainDefault(name, domain.defaultValue, baseType: domain.baseType))))
        }
        if canonical.isNullable != live.isNullable {
            changes.append(Change(.type(.setDomainNotNull(name, notNull: !canonical.isNullable, users: tables))))
        }
        var claimed = Set<String>()
        for (position, check) in canonical.checks.enumerated() {
            let declared = domain.checks.indices.contains(position) ? domain.checks[position] : check
            if let current = live.check(check.name) {
                claimed.insert(current.name)
                if current.expression != check.expression {
                    changes.append(Change(.type(.dropDomainCheck(name, check: check.name, replaced: true))))
                    changes.append(Change(.type(.addDomainCheck(name, declared, users: tables))))
                } else if current.notValid && !check.notValid {
                    changes.append(Change(.type(.validateDomainCheck(name, check, users: tables))))
                }
            } else if let renamed = live.checks.first(where: {
                !claimed.contains($0.name) && canonical.check($0.name) == nil && $0.expression == check.expression
            }) {
                claimed.insert(renamed.name)
                changes.append(Change(.type(.renameDomainCheck(name, from: renamed.name, to: check.name))))
                if renamed.notValid && !check.notValid {
                    changes.append(Change(.type(.validateDomainCheck(name, check, users: tables))))
                }
            } else {
                changes.append(Change(.type(.addDomainCheck(name, declared, users: tables))))
            }
        }
        for check in live.checks where !claimed.contains(check.name) {
            changes.append(Change(.type(.dropDomainCheck(name, check: check.name, replaced: false))))
        }
        if domain.comment != live.comment {
            changes.append(Change(.type(.setTypeComment(name, keyword: "DOMAIN", comment: domain.comment))))
        }
        return changes
    }

    private func compositeChanges(_ type: CompositeType, canonical: CompositeType, live: CompositeType) -> [Change] {
        let name = type.name
        let declaredNames = canonical.attributes.map(\.name)
        let liveNames = live.attributes.map(\.name)
        let kept = liveNames.filter(declaredNames.contains)
        let added = declaredNames.filter { !liveNames.contains($0) }
        let usedByTables = live.usedBy.contains { $0.kind == .column }
        // ALTER TYPE appends new attributes and cannot move one: another order means building the type again.
        if kept + added != declaredNames {
            let reason =
                "attributes (\(liveNames.joined(separator: ", "))) → (\(declaredNames.joined(separator: ", ")))"
            guard live.usedBy.isEmpty else {
                return [
                    Change(
                        .type(
                            .typeNeedsManualChange(
                                name, kind: "composite type", reason: Self.inUse(reason, live.usedBy))))
                ]
            }
            return [Change(.type(.replaceCompositeType(type, reason: reason)))]
        }
        var changes: [Change] = []
        for attribute in live.attributes where !declaredNames.contains(attribute.name) {
            changes.append(Change(.type(.dropAttribute(name, attribute: attribute.name))))
        }
        for (position, attribute) in canonical.attributes.enumerated() {
            let declared = type.attributes.indices.contains(position) ? type.attributes[position] : attribute
            guard let current = live.attribute(attribute.name) else {
                changes.append(Change(.type(.addAttribute(name, declared))))
                continue
            }
            guard current.type != attribute.type || current.collation != attribute.collation else { continue }
            if usedByTables {
                let reason = Self.inUse(
                    "attribute \(SQL.displayIdentifier(attribute.name)) \(current.type) → \(attribute.type)",
                    live.usedBy.filter { $0.kind == .column })
                changes.append(Change(.type(.typeNeedsManualChange(name, kind: "composite type", reason: reason))))
            } else {
                changes.append(Change(.type(.alterAttributeType(name, declared, from: current.type))))
            }
        }
        if type.comment != live.comment {
            changes.append(Change(.type(.setTypeComment(name, keyword: "TYPE", comment: type.comment))))
        }
        return changes
    }

    /// The columns whose values have this domain's type: its own (not arrays) and, recursively, those of
    /// the domains over it.
    private func columnUsers(of domain: Domain, seen: Set<QualifiedName> = []) -> [TypeUser] {
        var users = domain.usedBy.filter { $0.kind == .column && !$0.isArray }
        for over in domain.usedBy where over.kind == .domain && !over.isArray && !seen.contains(over.relation) {
            guard let subdomain = live.domains.first(where: { $0.name == over.relation }) else { continue }
            users += columnUsers(of: subdomain, seen: seen.union([domain.name]))
        }
        return users
    }

    /// Columns holding the domain's values inside a container: an array column, or a column of a composite
    /// type with an attribute of the domain.
    private func containingColumns(of domain: Domain) -> [TypeUser] {
        var containers = domain.usedBy.filter { $0.kind == .column && $0.isArray }
        for attribute in domain.usedBy where attribute.kind == .attribute {
            let type = live.compositeTypes.first { $0.name == attribute.relation }
            containers += (type?.usedBy ?? []).filter { $0.kind == .column }
        }
        return containers
    }

    static func inUse(_ reason: String, _ users: [TypeUser]) -> String {
        let named = users.prefix(5).map(\.description).joined(separator: ", ")
        let more = users.count > 5 ? " and \(users.count - 5) more" : ""
        return "\(reason), but \(named)\(more) use\(users.count == 1 ? "s" : "") it; "
            + "PostgreSQL cannot rebuild a type in use: migrate by hand"
    }

    static func defaultText(_ value: ColumnDefault?) -> String? {
        value.map(SQLRenderer.defaultText)
    }

    /// Types in name order, except that one whose `uses` (type texts) names another of them comes after it (a
    /// domain over a domain, a composite type with an attribute of another); a cycle keeps name order.
    static func creationOrder<T>(_ types: [T], by name: (T) -> QualifiedName, uses: (T) -> [String]) -> [T] {
        var placed = Set<QualifiedName>()
        var ordered: [T] = []
        var waiting = types.sorted { name($0) < name($1) }
        let names = Set(types.map(name))
        while !waiting.isEmpty {
            let ready = waiting.filter { type in
                !names.contains { other in
                    other != name(type) && !placed.contains(other) && uses(type).contains { mentions($0, other) }
                }
            }
            let next = ready.isEmpty ? [waiting[0]] : ready
            for type in next { placed.insert(name(type)) }
            ordered += next
            waiting.removeAll { placed.contains(name($0)) }
        }
        return ordered
    }

    /// Whether a type text names this type (bare or qualified, quoted or not).
    static func mentions(_ type: String, _ name: QualifiedName) -> Bool {
        let bare = type.trimmingSpaces.replacingAll("\"", with: "")
        return bare == name.name || bare == "\(name.schema).\(name.name)" || bare == name.name + "[]"
            || bare == "\(name.schema).\(name.name)[]"
    }
}
