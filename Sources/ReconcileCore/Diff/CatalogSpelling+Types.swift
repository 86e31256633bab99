/// Domains, composite types and policies already spelled as the catalog spells them need no scratch copy.
extension CatalogSpelling {
    /// The declared domain in the live spelling when every part provably equals the live one's (or is simply
    /// absent from it); nil when the server must tell.
    public static func canonical(_ desired: Domain, live: Domain) -> Domain? {
        guard sameType(desired.baseType, live.baseType), desired.collation == live.collation else { return nil }
        var canonical = desired
        canonical.baseType = live.baseType
        switch (desired.defaultValue, live.defaultValue) {
        case (nil, _): break
        case (.some(let declared), .some(.expression(let text))) where sameDefault(declared, text, type: live.baseType):
            canonical.defaultValue = .expression(text)
        default: return nil
        }
        // A live check the file does not name may be a declared one under another name: the server compares.
        guard live.checks.allSatisfy({ desired.check($0.name) != nil }) else { return nil }
        for index in canonical.checks.indices {
            guard let liveCheck = live.check(canonical.checks[index].name) else { return nil }
            guard sameCheck(canonical.checks[index].expression, liveCheck.expression) else { return nil }
            canonical.checks[index].expression = liveCheck.expression
        }
        return canonical
    }

    /// The declared composite type in the live spelling, when each attribute that exists has the same type.
    public static func canonical(_ desired: CompositeType, live: CompositeType) -> CompositeType? {
        var canonical = desired
        for index in canonical.attributes.indices {
            guard let liveAttribute = live.attribute(canonical.attributes[index].name) else { continue }
            guard sameType(canonical.attributes[index].type, liveAttribute.type),
                canonical.attributes[index].collation == liveAttribute.collation
            else { return nil }
            canonical.attributes[index].type = liveAttribute.type
        }
        return canonical
    }

    /// The declared policies with the live expressions where they are provably the same; false when one
    /// needs the server. Policies the table does not have yet are not compared.
    static func spellPolicies(_ table: inout Table, live: Table) -> Bool {
        for index in table.policies.indices {
            guard let livePolicy = live.policies.first(where: { $0.name == table.policies[index].name }) else {
                continue
            }
            guard sameExpression(table.policies[index].using, livePolicy.using),
                sameExpression(table.policies[index].withCheck, livePolicy.withCheck)
            else { return false }
            table.policies[index].using = livePolicy.using
            table.policies[index].withCheck = livePolicy.withCheck
        }
        return true
    }

    /// `pg_get_expr` wraps an operator expression in parentheses.
    static func sameExpression(_ declared: String?, _ live: String?) -> Bool {
        guard let declared, let live else { return declared == nil && live == nil }
        return declared == live || "(\(declared))" == live
    }
}
