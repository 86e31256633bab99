import XCTest

@testable import ReconcileCore

/// Domains, composite types, row-level security and policies: the loader's keys and errors, the differ's
/// changes and the SQL they render (the server-side behaviour is in the case files).
final class TypesAndPoliciesTests: XCTestCase {
    let quantity = QualifiedName(schema: "public", name: "quantity")
    let pair = QualifiedName(schema: "public", name: "pair")
    let docs = QualifiedName(schema: "public", name: "docs")

    func testTheLoaderReadsDomainsTypesAndPolicies() throws {
        let schema = try SchemaLoader.load(
            yaml: """
                version: 1
                domains:
                  quantity: { type: integer, nullable: false, default: 1, checks: { positive: VALUE > 0 } }
                  billing.code: text
                types:
                  pair:
                    comment: two numbers
                    attributes: { a: integer, b: { type: text, collation: C } }
                tables:
                  docs:
                    row_level_security: forced
                    columns: { id: integer, owner: text }
                    policies:
                      mine: { command: UPDATE, roles: [b, a], restrictive: true, using: owner = current_user }
                """)
        XCTAssertEqual(
            schema.domains,
            [
                Domain(name: QualifiedName(schema: "billing", name: "code"), baseType: "text"),
                Domain(
                    name: quantity, baseType: "integer", defaultValue: .literal(.number("1")), isNullable: false,
                    checks: [CheckConstraint(name: "positive", expression: "VALUE > 0")]),
            ])
        XCTAssertEqual(
            schema.compositeTypes,
            [
                CompositeType(
                    name: pair,
                    attributes: [
                        CompositeAttribute(name: "a", type: "integer"),
                        CompositeAttribute(name: "b", type: "text", collation: "C"),
                    ], comment: "two numbers")
            ])
        XCTAssertEqual(schema.schemaNames, ["billing", "public"])
        let table = try XCTUnwrap(schema.table(docs))
        XCTAssertEqual(table.rowLevelSecurity, .forced)
        XCTAssertEqual(
            table.policies,
            [
                Policy(
                    name: "mine", command: .update, roles: ["a", "b"], isRestrictive: true,
                    using: "owner = current_user")
            ])
    }

    func testMistakesAreReportedWithTheirPlace() {
        XCTAssertEqual(
            loadErrors(
                """
                version: 1
                domains:
                  quantity: { type: integer, default: 1, default_sql: "2", checks: { positive: { expresion: x } } }
                  mood: text
                  nameless: { nullable: false }
                enums:
                  mood: [a]
                types:
                  pair: { attributes: { a: integer, a: text } }
                  solo: { comment: x }
                  quantity: { attributes: {} }
                tables:
                  docs:
                    row_level_security: on
                    columns: { id: integer }
                    policies:
                      p1: { command: upsert }
                      p2: { command: select, with_check: "true" }
                      p3: { roles: [public, app] }
                """),
            [
                "schema.yaml:9:25: error: duplicate key 'a' in a mapping"
            ])
        XCTAssertEqual(
            loadErrors(
                """
                version: 1
                domains:
                  quantity: { type: integer, default: 1, default_sql: "2", checks: { positive: { expresion: x } } }
                  mood: text
                  nameless: { nullable: false }
                enums:
                  mood: [a]
                types:
                  solo: { comment: x }
                  quantity: { attributes: {} }
                tables:
                  docs:
                    row_level_security: on
                    columns: { id: integer }
                    policies:
                      p1: { command: upsert }
                      p2: { command: select, with_check: "true" }
                      p3: { roles: [public, app] }
                """),
            [
                "schema.yaml:3:82: error: unknown key 'expresion' in check positive of domain public.quantity "
                    + "(did you mean 'expression'?)",
                "schema.yaml:3:80: error: check positive of domain public.quantity needs 'expression'",
                "schema.yaml:3:42: error: domain public.quantity has both 'default' and 'default_sql'; keep one",
                "schema.yaml:5:3: error: domain public.nameless has no 'type'",
                "schema.yaml:9:3: error: type public.solo has no 'attributes' (write 'attributes: {}' for none)",
                "schema.yaml:10:3: error: type public.quantity is declared twice: also at schema.yaml:3:3",
                "schema.yaml:13:25: error: row_level_security of public.docs must be one of disabled, enabled, "
                    + "forced, not 'on'",
                "schema.yaml:16:22: error: command of policy p1 of public.docs must be one of all, select, insert, "
                    + "update, delete, not 'upsert'",
                "schema.yaml:17:7: error: policy p2 of public.docs: a SELECT policy has no with_check (only using "
                    + "applies)",
                "schema.yaml:18:7: error: roles of policy p3 of public.docs: public is every role already; list it "
                    + "alone",
                "schema.yaml:4:3: error: type public.mood is declared as an enum too: also at schema.yaml:7:3",
            ])
    }

    func testDomainChangesRenderIdempotentSQL() {
        let check = CheckConstraint(name: "positive", expression: "VALUE > 0")
        let domain = Domain(
            name: quantity, baseType: "integer", defaultValue: .literal(.number("1")), isNullable: false,
            collation: "C", checks: [check, CheckConstraint(name: "later", expression: "VALUE < 9", notValid: true)],
            comment: "at least one")
        let create = Change(.type(.createDomain(domain))).statements
        XCTAssertEqual(create.count, 3)
        XCTAssertTrue(
            create[0].contains(
                "CREATE DOMAIN \"public\".\"quantity\" AS integer COLLATE pg_catalog.\"C\" DEFAULT 1 NOT NULL "
                    + "CONSTRAINT \"positive\" CHECK (VALUE > 0)"), create[0])
        XCTAssertTrue(create[0].contains("IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type"), create[0])
        XCTAssertTrue(create[1].contains("ADD CONSTRAINT \"later\" CHECK (VALUE < 9) NOT VALID"), create[1])
        XCTAssertEqual(create[2], "COMMENT ON DOMAIN \"public\".\"quantity\" IS 'at least one'")
        XCTAssertEqual(
            Change(.type(.setDomainDefault(quantity, nil, baseType: "integer"))).statements,
            ["ALTER DOMAIN \"public\".\"quantity\" DROP DEFAULT"])
        XCTAssertEqual(
            Change(.type(.setDomainDefault(quantity, .literal(.string("x")), baseType: "text"))).statements,
            ["ALTER DOMAIN \"public\".\"quantity\" SET DEFAULT 'x'"])
        XCTAssertEqual(
            Change(.type(.dropDomainCheck(quantity, check: "positive", replaced: true))).statements,
            ["ALTER DOMAIN \"public\".\"quantity\" DROP CONSTRAINT IF EXISTS \"positive\""])
        let users = [TypeUser(kind: .column, relation: docs, column: "q")]
        let notNull = Change(.type(.setDomainNotNull(quantity, notNull: true, users: users)))
        XCTAssertEqual(notNull.lock, .share)
        XCTAssertEqual(notNull.lockedTables, [docs])
        XCTAssertEqual(
            notNull.preflight(tables: [docs: Table(name: docs, columns: [Column(name: "q", type: "quantity")])])?
                .questions.map(\.query),
            ["SELECT (SELECT count(*) FROM \"public\".\"docs\" AS t0 WHERE t0.\"q\" IS NULL)"])
        let added = Change(
            .type(
                .addDomainCheck(quantity, CheckConstraint(name: "c", expression: "CHECK ((VALUE > 0))"), users: users)))
        XCTAssertEqual(
            added.preflight(tables: [docs: Table(name: docs, columns: [Column(name: "q", type: "quantity")])])?
                .questions.map(\.query),
            [
                "SELECT (SELECT count(*) FROM \"public\".\"docs\" AS t0 WHERE t0.\"q\" IS NOT NULL AND NOT "
                    + "((t0.\"q\" > 0)))"
            ])
        XCTAssertEqual(Change(.type(.setDomainNotNull(quantity, notNull: false, users: users))).lock, .none)
        XCTAssertFalse(Change(.type(.dropType(quantity, keyword: "DOMAIN"))).statements.isEmpty)
        XCTAssertTrue(Change(.type(.dropType(quantity, keyword: "DOMAIN"))).isDestructive)
        XCTAssertTrue(Change(.type(.typeNeedsManualChange(quantity, kind: "domain", reason: "x"))).needsManualAction)
    }

    func testValueIsReplacedAsAKeywordOnly() {
        XCTAssertEqual(
            SQLScanning.replacingKeyword(
                "VALUE", in: "value > 0 AND xvalue <> 'VALUE' AND \"value\" = t.value", with: "c"),
            "c > 0 AND xvalue <> 'VALUE' AND \"value\" = t.value")
        XCTAssertEqual(
            SQLScanning.replacingKeyword("VALUE", in: "(VALUE ~ '^a'::text)", with: "x.c"), "(x.c ~ '^a'::text)")
        XCTAssertNil(SQLScanning.replacingKeyword("VALUE", in: "VALUE <> $$x$$", with: "c"))
        XCTAssertNil(SQLScanning.replacingKeyword("VALUE", in: "VALUE <> E'\\n'", with: "c"))
    }

    func testCompositeTypeChangesRenderIdempotentSQL() {
        let attribute = CompositeAttribute(name: "b", type: "text", collation: "C")
        XCTAssertTrue(
            Change(.type(.addAttribute(pair, attribute))).statements[0].contains(
                "ALTER TYPE \"public\".\"pair\" ADD ATTRIBUTE \"b\" text COLLATE pg_catalog.\"C\""))
        XCTAssertEqual(
            Change(.type(.dropAttribute(pair, attribute: "b"))).statements,
            ["ALTER TYPE \"public\".\"pair\" DROP ATTRIBUTE IF EXISTS \"b\""])
        XCTAssertEqual(
            Change(.type(.alterAttributeType(pair, CompositeAttribute(name: "a", type: "bigint"), from: "integer")))
                .statements,
            ["ALTER TYPE \"public\".\"pair\" ALTER ATTRIBUTE \"a\" TYPE bigint"])
        let replace = Change(
            .type(.replaceCompositeType(CompositeType(name: pair, attributes: [attribute]), reason: "order")))
        XCTAssertEqual(replace.statements.first, "DROP TYPE IF EXISTS \"public\".\"pair\"")
    }

    func testPolicyChangesRenderIdempotentSQL() {
        let policy = Policy(
            name: "mine", command: .update, roles: ["app"], isRestrictive: true, using: "owner = current_user",
            withCheck: "owner = current_user")
        let create = Change(.policy(.createPolicy(docs, policy))).statements
        XCTAssertTrue(
            create[0].contains(
                "CREATE POLICY \"mine\" ON \"public\".\"docs\" AS RESTRICTIVE FOR UPDATE TO \"app\" "
                    + "USING (owner = current_user) WITH CHECK (owner = current_user)"), create[0])
        XCTAssertTrue(create[0].contains("IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policy"), create[0])
        XCTAssertEqual(
            Change(.policy(.alterPolicy(docs, Policy(name: "mine", using: "true"), from: policy))).statements,
            ["ALTER POLICY \"mine\" ON \"public\".\"docs\" TO PUBLIC USING (true)"])
        XCTAssertEqual(
            Change(.policy(.setRowLevelSecurity(docs, from: .forced, to: .enabled))).statements,
            ["ALTER TABLE \"public\".\"docs\" ENABLE ROW LEVEL SECURITY, NO FORCE ROW LEVEL SECURITY"])
        XCTAssertTrue(Change(.policy(.setRowLevelSecurity(docs, from: .forced, to: .enabled))).isDestructive)
        XCTAssertFalse(Change(.policy(.setRowLevelSecurity(docs, from: .enabled, to: .forced))).isDestructive)
        XCTAssertTrue(Change(.policy(.dropPolicy(docs, policy: "x", replaced: false))).isDestructive)
        XCTAssertFalse(Change(.policy(.dropPolicy(docs, policy: "x", replaced: true))).isDestructive)
    }

    func testTheDifferAltersInPlaceOrReplacesAsPostgreSQLAllows() {
        var live = Table(name: docs, columns: [Column(name: "id", type: "integer")])
        live.rowLevelSecurity = .enabled
        live.policies = [
            Policy(name: "same", using: "true"), Policy(name: "roles", using: "true"),
            Policy(name: "command", command: .select, using: "true"), Policy(name: "stray", using: "true"),
        ]
        var desired = live
        desired.policies = [
            Policy(name: "same", using: "true"), Policy(name: "roles", roles: ["app"], using: "true"),
            Policy(name: "command", command: .all, using: "true"), Policy(name: "new", using: "true"),
        ]
        let kinds = Differ(desired: Schema(tables: [desired]), live: Schema(schemaNames: ["public"], tables: [live]))
            .changes().map(\.kindName)
        XCTAssertEqual(kinds, ["alter_policy", "drop_policy", "create_policy", "create_policy", "drop_policy"])
    }

    func testRenamedTypesAreRenamedFirstWhereTheOldOneIsLiveAndNotDeclared() throws {
        XCTAssertEqual(
            loadErrors(
                """
                version: 1
                domains:
                  d: { renamed_from: other.d0, type: integer }
                types:
                  c: { renamed_from: c, attributes: { a: integer } }
                enums:
                  e: { renamed_from: e0 }
                  f: { values: [a], renamed_fro: f0 }
                """),
            [
                "schema.yaml:3:22: error: renamed_from of domain public.d names other.d0, in another schema: it is "
                    + "renamed within its schema",
                "schema.yaml:5:22: error: renamed_from of type public.c is its own name",
                "schema.yaml:7:3: error: enum public.e needs 'values', the list of its labels in order",
                "schema.yaml:8:21: error: unknown key 'renamed_fro' in enum public.f (did you mean 'renamed_from'?)",
            ])
        var desired = Schema(
            domains: [Domain(name: QualifiedName(name: "qty"), baseType: "integer")],
            compositeTypes: [
                CompositeType(name: QualifiedName(name: "pair"), attributes: []),
                CompositeType(name: QualifiedName(name: "kept"), attributes: []),
            ])
        desired.domains[0].renamedFrom = "quantity"
        desired.compositeTypes[0].renamedFrom = "kept"  // declared too: nothing to rename
        let live = Schema(
            schemaNames: ["public"], domains: [Domain(name: QualifiedName(name: "quantity"), baseType: "integer")],
            compositeTypes: [CompositeType(name: QualifiedName(name: "kept"), attributes: [])])
        let renames = Differ.pendingRenames(desired: desired, live: live)
        XCTAssertEqual(
            renames.types,
            [TypeRename(name: QualifiedName(name: "qty"), from: QualifiedName(name: "quantity"), keyword: "DOMAIN")])
        let changes = Differ(desired: desired, live: renames.applied(to: live), renames: renames).changes()
        XCTAssertEqual(changes.map(\.kindName), ["rename_type", "create_composite_type"])
        XCTAssertTrue(changes[0].statements[0].contains(#"ALTER DOMAIN "public"."quantity" RENAME TO "qty""#))
    }

    func testARenamedPolicyIsRenamedThenAlteredAndItsOldNameNeverDropped() {
        var live = Table(name: docs, columns: [Column(name: "id", type: "integer")])
        live.rowLevelSecurity = .enabled
        live.policies = [Policy(name: "Old One", using: "true"), Policy(name: "declared_too", using: "true")]
        var desired = live
        var renamed = Policy(name: "new_one", roles: ["app"], using: "true")
        renamed.renamedFrom = "Old One"
        var notRenamed = Policy(name: "other", using: "true")
        notRenamed.renamedFrom = "declared_too"  // that one is declared: this one is new
        desired.policies = [renamed, Policy(name: "declared_too", using: "true"), notRenamed]
        let changes = Differ(desired: Schema(tables: [desired]), live: Schema(schemaNames: ["public"], tables: [live]))
            .changes()
        XCTAssertEqual(changes.map(\.kindName), ["rename_policy", "alter_policy", "create_policy"])
        XCTAssertEqual(
            changes[0].statements,
            [
                """
                DO $reconcile$
                BEGIN
                    IF EXISTS (SELECT 1 FROM pg_catalog.pg_policy WHERE polrelid = '"public"."docs"'::regclass AND \
                polname = 'Old One') AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policy WHERE polrelid = \
                '"public"."docs"'::regclass AND polname = 'new_one') THEN
                        ALTER POLICY "Old One" ON "public"."docs" RENAME TO "new_one";
                    END IF;
                END
                $reconcile$
                """
            ])
        XCTAssertEqual(
            loadErrors(
                """
                version: 1
                tables:
                  t:
                    columns: { a: integer }
                    policies:
                      p: { renamed_from: p, using: "true" }
                """),
            ["schema.yaml:6:26: error: renamed_from of policy p of public.t is its own name"])
    }

    func testADomainOverADeclaredDomainIsCreatedAfterIt() {
        let base = Domain(name: QualifiedName(schema: "public", name: "b"), baseType: "integer")
        let over = Domain(name: QualifiedName(schema: "public", name: "a"), baseType: "b")
        let changes = Differ(desired: Schema(domains: [over, base]), live: Schema(schemaNames: ["public"])).changes()
        XCTAssertEqual(changes.map(\.kind), [.type(.createDomain(base)), .type(.createDomain(over))])
        let inner = CompositeType(
            name: QualifiedName(schema: "public", name: "z"), attributes: [CompositeAttribute(name: "v", type: "b")])
        let outer = CompositeType(
            name: QualifiedName(schema: "public", name: "y"),
            attributes: [CompositeAttribute(name: "inner", type: "public.z[]")])
        let types = Differ(desired: Schema(compositeTypes: [outer, inner]), live: Schema(schemaNames: ["public"]))
            .changes()
        XCTAssertEqual(types.map(\.kind), [.type(.createCompositeType(inner)), .type(.createCompositeType(outer))])
    }
}
