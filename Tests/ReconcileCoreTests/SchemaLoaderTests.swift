import Foundation
import XCTest

@testable import ReconcileCore

/// Loading valid schema files into the model: the repository's own schema.yaml, literal typing, name
/// syntax, shorthand and composite forms.
final class SchemaLoaderTests: XCTestCase {
    // MARK: - The repository's schema.yaml

    private func rootSchema() throws -> Schema {
        try SchemaLoader.load(path: Fixture.rootSchemaPath)
    }

    func testRootSchemaDeclaresThreeTablesInPublic() throws {
        let schema = try rootSchema()
        XCTAssertEqual(schema.schemaNames, ["public"])
        XCTAssertEqual(
            schema.tables.map(\.name),
            [
                QualifiedName(schema: "public", name: "admin_settings"),
                QualifiedName(schema: "public", name: "ai_usage_logs"),
                QualifiedName(schema: "public", name: "cases"),
            ])
    }

    func testRootSchemaCasesTable() throws {
        let cases = try XCTUnwrap(try rootSchema().table(Fixture.name("cases")))
        let expected = Table(
            name: Fixture.name("cases"),
            columns: [
                Column(name: "id", type: "bigint", isNullable: false, identity: .always),
                Column(name: "title", type: "text", isNullable: false),
                Column(name: "created_at", type: "timestamptz", isNullable: false, defaultValue: .expression("now()")),
            ],
            primaryKey: PrimaryKey(name: "cases_pkey", columns: ["id"]))
        XCTAssertEqual(cases.columns, expected.columns)
        XCTAssertEqual(cases.primaryKey, expected.primaryKey)
        XCTAssertEqual(cases, expected)
    }

    func testRootSchemaAIUsageLogsTable() throws {
        let logs = try XCTUnwrap(try rootSchema().table(Fixture.name("ai_usage_logs")))
        XCTAssertEqual(
            logs.columns,
            [
                Column(name: "id", type: "bigint", isNullable: false, identity: .always),
                Column(name: "case_id", type: "bigint", isNullable: false),
                Column(name: "analysis_type", type: "text", isNullable: false),
                Column(name: "tokens_used", type: "integer", isNullable: false, defaultValue: .literal(.number("0"))),
                Column(
                    name: "estimated_cost", type: "numeric(12,6)", isNullable: false,
                    defaultValue: .literal(.number("0"))),
                Column(
                    name: "model_used", type: "varchar(100)", isNullable: false,
                    defaultValue: .literal(.string("gpt-4"))),
                Column(name: "created_at", type: "timestamptz", isNullable: false, defaultValue: .expression("now()")),
            ])
        XCTAssertEqual(logs.primaryKey, PrimaryKey(name: "ai_usage_logs_pkey", columns: ["id"]))
        XCTAssertEqual(logs.uniqueConstraints, [])
        XCTAssertEqual(
            logs.foreignKeys,
            [
                ForeignKey(
                    name: "ai_usage_logs_case_id_fkey", columns: ["case_id"],
                    referencedTable: QualifiedName(schema: "public", name: "cases"), referencedColumns: ["id"],
                    onDelete: .cascade, onUpdate: .noAction)
            ])
        XCTAssertEqual(
            logs.checks,
            [
                CheckConstraint(
                    name: "ai_usage_logs_analysis_type_check",
                    expression: "analysis_type IN ('comprehensive', 'letter_generation')"),
                CheckConstraint(name: "ai_usage_logs_tokens_used_check", expression: "tokens_used >= 0"),
                CheckConstraint(name: "ai_usage_logs_estimated_cost_check", expression: "estimated_cost >= 0"),
            ])
        XCTAssertEqual(
            logs.indexes,
            [
                Index(name: "ai_usage_logs_case_id_idx", keys: [.column("case_id")], isUnique: false, method: "btree"),
                Index(
                    name: "ai_usage_logs_created_at_idx", keys: [.column("created_at")], isUnique: false,
                    method: "btree"),
            ])
        XCTAssertNil(logs.seed)
    }

    func testRootSchemaAdminSettingsTableAndSeed() throws {
        let settings = try XCTUnwrap(try rootSchema().table(Fixture.name("admin_settings")))
        XCTAssertEqual(
            settings.columns,
            [
                Column(name: "id", type: "integer", isNullable: false, defaultValue: .literal(.number("1"))),
                Column(name: "monthly_spending_cap", type: "numeric(12,2)", isNullable: true),
                Column(
                    name: "cap_warning_threshold", type: "numeric(3,2)", isNullable: false,
                    defaultValue: .literal(.number("0.8"))),
                Column(name: "updated_at", type: "timestamptz", isNullable: false, defaultValue: .expression("now()")),
            ])
        XCTAssertEqual(settings.primaryKey, PrimaryKey(name: "admin_settings_pkey", columns: ["id"]))
        XCTAssertEqual(
            settings.checks,
            [
                CheckConstraint(name: "admin_settings_id_check", expression: "id = 1"),
                CheckConstraint(
                    name: "admin_settings_cap_warning_threshold_check",
                    expression: "cap_warning_threshold > 0 AND cap_warning_threshold <= 1"),
            ])
        XCTAssertEqual(settings.foreignKeys, [])
        XCTAssertEqual(settings.indexes, [])
        let seed = try XCTUnwrap(settings.seed)
        XCTAssertEqual(seed.mode, .insertMissing)
        XCTAssertEqual(seed.key, ["id"])
        XCTAssertEqual(seed.rows.count, 1)
        XCTAssertEqual(seed.rows[0].values.map(\.0), ["id", "monthly_spending_cap", "cap_warning_threshold"])
        XCTAssertEqual(seed.rows[0].values.map(\.1), [.number("1"), .null, .number("0.8")])
        XCTAssertEqual(
            seed.rows[0],
            SeedRow(values: [
                ("id", .number("1")), ("monthly_spending_cap", .null),
                ("cap_warning_threshold", .number("0.8")),
            ]))
        XCTAssertEqual(seed.columns, ["id", "monthly_spending_cap", "cap_warning_threshold"])
    }

    func testLoadingFromPathAndFromTextGiveTheSameSchema() throws {
        let text = try String(contentsOfFile: Fixture.rootSchemaPath, encoding: .utf8)
        XCTAssertEqual(try SchemaLoader.load(yaml: text), try rootSchema())
    }

    // MARK: - Literal typing

    /// Seeds one text column with `value` (written verbatim into YAML) and returns the literal loaded.
    private func seededLiteral(_ value: String, file: StaticString = #filePath, line: UInt = #line) throws -> Literal? {
        let yaml = """
            version: 1
            tables:
              t:
                columns:
                  k: { type: text, primary_key: true }
                  v: text
                seed:
                  rows:
                    - k: a
                      v: \(value)
            """
        let schema = try loadValid(yaml, file: file, line: line)
        return schema.tables.first?.seed?.rows.first?["v"]
    }

    func testPlainNullSpellingsAreNull() throws {
        for spelling in ["null", "Null", "NULL", "~", ""] {
            XCTAssertEqual(try seededLiteral(spelling), .null, "spelling '\(spelling)'")
        }
    }

    func testPlainBooleansAreBool() throws {
        for spelling in ["true", "True", "TRUE"] { XCTAssertEqual(try seededLiteral(spelling), .bool(true), spelling) }
        for spelling in ["false", "False", "FALSE"] {
            XCTAssertEqual(try seededLiteral(spelling), .bool(false), spelling)
        }
        // YAML 1.1 spellings are not booleans here: they stay text for the column type to read.
        XCTAssertEqual(try seededLiteral("yes"), .string("yes"))
        XCTAssertEqual(try seededLiteral("off"), .string("off"))
    }

    func testPlainNumbersKeepTheirTextExactly() throws {
        let numbers = [
            "0", "0012", "-12", "+3", "0.8", "1.50", ".5", "5.", "-0.8", "1e3", "1E-3", "2.5e+10",
            "123456789012345678901234567890.000000001",
        ]
        for number in numbers {
            XCTAssertEqual(try seededLiteral(number), .number(number), number)
        }
    }

    func testPlainNonNumbersAreStrings() throws {
        for text in ["1e", "e5", "1.2.3", "0x1F", "1_000", ".inf", ".", "12abc", "gpt-4", "1 2", "1e+", "--1"] {
            XCTAssertEqual(try seededLiteral(text), .string(text), text)
        }
        // A lone sign is a YAML block-sequence marker, so check it below the YAML layer.
        XCTAssertEqual(Literal(yamlScalar: "-", isPlain: true), .string("-"))
        XCTAssertEqual(Literal(yamlScalar: "+", isPlain: true), .string("+"))
    }

    func testQuotedScalarsAreAlwaysStrings() throws {
        XCTAssertEqual(try seededLiteral("'0012'"), .string("0012"))
        XCTAssertEqual(try seededLiteral("\"0012\""), .string("0012"))
        XCTAssertEqual(try seededLiteral("'true'"), .string("true"))
        XCTAssertEqual(try seededLiteral("'null'"), .string("null"))
        XCTAssertEqual(try seededLiteral("''"), .string(""))
        XCTAssertEqual(try seededLiteral("\"~\""), .string("~"))
        XCTAssertEqual(try seededLiteral("'it''s'"), .string("it's"))
    }

    func testLiteralTypingDirectly() {
        XCTAssertEqual(Literal(yamlScalar: "0012", isPlain: true), .number("0012"))
        XCTAssertEqual(Literal(yamlScalar: "0012", isPlain: false), .string("0012"))
        XCTAssertEqual(Literal(yamlScalar: "", isPlain: true), .null)
        XCTAssertEqual(Literal(yamlScalar: "", isPlain: false), .string(""))
        XCTAssertEqual(Literal(yamlScalar: "FALSE", isPlain: true), .bool(false))
        XCTAssertEqual(Literal(yamlScalar: "fAlse", isPlain: true), .string("fAlse"))
    }

    func testLiteralTextAndDescription() {
        XCTAssertNil(Literal.null.text)
        XCTAssertEqual(Literal.bool(true).text, "true")
        XCTAssertEqual(Literal.number("0012").text, "0012")
        XCTAssertEqual(Literal.string("it's").text, "it's")
        XCTAssertEqual(Literal.null.description, "NULL")
        XCTAssertEqual(Literal.bool(false).description, "false")
        XCTAssertEqual(Literal.number("0.8").description, "0.8")
        XCTAssertEqual(Literal.string("it's").description, "'it''s'")
    }

    func testDefaultsAreTypedLikeSeedValues() throws {
        let schema = try loadValid(
            """
            version: 1
            tables:
              t:
                columns:
                  a: { type: text, default: 0012 }
                  b: { type: text, default: '0012' }
                  c: { type: boolean, default: false }
                  d: { type: text, default: null }
                  e: { type: timestamptz, default_sql: "now()" }
                  f: { type: text, default: "" }
            """)
        let table = try XCTUnwrap(schema.tables.first)
        XCTAssertEqual(
            table.columns.map(\.defaultValue),
            [
                .literal(.number("0012")), .literal(.string("0012")), .literal(.bool(false)), nil,
                .expression("now()"), .literal(.string("")),
            ])
    }

    // MARK: - Names, references, shorthand and composite forms

    private let namesYAML = """
        version: 1
        schemas: [extra]
        tables:
          billing.cases:
            columns:
              tenant_id: integer
              id: serial
            primary_key: [tenant_id, id]
          billing.invoices:
            columns:
              id: { type: bigserial, primary_key: true }
              tenant_id: integer
              case_id: bigint
            foreign_keys:
              - columns: [tenant_id, case_id]
                references: billing.cases(tenant_id, id)
                on_delete: set_null
                on_update: CASCADE
          '"odd.schema"."Mixed Case"':
            columns:
              'Weird "Col"': text
              id: { type: smallserial }
          cases:
            columns:
              id: { type: bigint, primary_key: true }
              email: { type: text, unique: true }
              code: text
              tags: text[]
            unique:
              - [code, email]
              - { name: cases_code_uq, columns: code }
          notes:
            columns:
              id: integer
              case_id: { type: bigint, references: cases }
              other_case: { type: bigint, references: cases(id), on_update: restrict }
              body: text
              tags: text[]
            primary_key: { name: notes_pk, columns: [id] }
            checks:
              notes_body_len: length(body) < 1000
            indexes:
              - columns: [{ expression: "lower(body)" }]
              - { name: notes_body_partial, columns: [body], where: "body IS NOT NULL", unique: true }
              - { name: notes_tags_gin, columns: tags, using: GIN }
              - { name: notes_mixed, columns: [case_id, { expression: "(id + 1)" }] }
        """

    func testSchemaNamesIncludeDeclaredAndQualifiedSchemas() throws {
        let schema = try loadValid(namesYAML)
        XCTAssertEqual(schema.schemaNames, ["billing", "extra", "odd.schema", "public"])
        XCTAssertEqual(
            schema.tables.map(\.name),
            [
                QualifiedName(schema: "billing", name: "cases"),
                QualifiedName(schema: "billing", name: "invoices"),
                QualifiedName(schema: "odd.schema", name: "Mixed Case"),
                QualifiedName(schema: "public", name: "cases"),
                QualifiedName(schema: "public", name: "notes"),
            ])
    }

    func testSerialTypesBecomeIntegersMarkedSerial() throws {
        let schema = try loadValid(namesYAML)
        let billingCases = try XCTUnwrap(schema.table(QualifiedName(schema: "billing", name: "cases")))
        XCTAssertEqual(
            billingCases.columns,
            [
                Column(name: "tenant_id", type: "integer", isNullable: false),
                Column(name: "id", type: "integer", isNullable: false, isSerial: true),
            ])
        XCTAssertEqual(billingCases.primaryKey, PrimaryKey(name: "cases_pkey", columns: ["tenant_id", "id"]))
        let invoices = try XCTUnwrap(schema.table(QualifiedName(schema: "billing", name: "invoices")))
        XCTAssertEqual(invoices.column("id"), Column(name: "id", type: "bigint", isNullable: false, isSerial: true))
        let odd = try XCTUnwrap(schema.table(QualifiedName(schema: "odd.schema", name: "Mixed Case")))
        XCTAssertEqual(odd.column("id"), Column(name: "id", type: "smallint", isNullable: false, isSerial: true))
    }

    func testColumnShorthandAndQuotedNames() throws {
        let schema = try loadValid(namesYAML)
        let odd = try XCTUnwrap(schema.table(QualifiedName(schema: "odd.schema", name: "Mixed Case")))
        XCTAssertEqual(odd.columns.first, Column(name: "Weird \"Col\"", type: "text", isNullable: true))
        XCTAssertNil(odd.primaryKey)
        XCTAssertEqual(odd.name.description, "\"odd.schema\".\"Mixed Case\"")
        let cases = try XCTUnwrap(schema.table(Fixture.name("cases")))
        XCTAssertEqual(cases.column("tags"), Column(name: "tags", type: "text[]"))
    }

    func testCompositeForeignKeyWithQualifiedReference() throws {
        let schema = try loadValid(namesYAML)
        let invoices = try XCTUnwrap(schema.table(QualifiedName(schema: "billing", name: "invoices")))
        XCTAssertEqual(
            invoices.foreignKeys,
            [
                ForeignKey(
                    name: "invoices_tenant_id_case_id_fkey", columns: ["tenant_id", "case_id"],
                    referencedTable: QualifiedName(schema: "billing", name: "cases"),
                    referencedColumns: ["tenant_id", "id"], onDelete: .setNull, onUpdate: .cascade)
            ])
        XCTAssertEqual(invoices.primaryKey, PrimaryKey(name: "invoices_pkey", columns: ["id"]))
    }

    func testReferenceWithoutColumnsResolvesToThePrimaryKey() throws {
        let schema = try loadValid(namesYAML)
        let notes = try XCTUnwrap(schema.table(Fixture.name("notes")))
        XCTAssertEqual(
            notes.foreignKeys,
            [
                ForeignKey(
                    name: "notes_case_id_fkey", columns: ["case_id"], referencedTable: Fixture.name("cases"),
                    referencedColumns: ["id"]),
                ForeignKey(
                    name: "notes_other_case_fkey", columns: ["other_case"], referencedTable: Fixture.name("cases"),
                    referencedColumns: ["id"], onDelete: .noAction, onUpdate: .restrict),
            ])
    }

    func testNamedPrimaryKeyUniqueConstraintsAndChecks() throws {
        let schema = try loadValid(namesYAML)
        let notes = try XCTUnwrap(schema.table(Fixture.name("notes")))
        XCTAssertEqual(notes.primaryKey, PrimaryKey(name: "notes_pk", columns: ["id"]))
        XCTAssertEqual(notes.column("id")?.isNullable, false, "primary-key columns are NOT NULL")
        XCTAssertEqual(notes.checks, [CheckConstraint(name: "notes_body_len", expression: "length(body) < 1000")])
        let cases = try XCTUnwrap(schema.table(Fixture.name("cases")))
        XCTAssertEqual(
            cases.uniqueConstraints,
            [
                UniqueConstraint(name: "cases_email_key", columns: ["email"]),
                UniqueConstraint(name: "cases_code_email_key", columns: ["code", "email"]),
                UniqueConstraint(name: "cases_code_uq", columns: ["code"]),
            ])
        XCTAssertEqual(
            cases.constraintNames, ["cases_pkey", "cases_email_key", "cases_code_email_key", "cases_code_uq"])
    }

    func testPartialExpressionAndGinIndexes() throws {
        let schema = try loadValid(namesYAML)
        let notes = try XCTUnwrap(schema.table(Fixture.name("notes")))
        XCTAssertEqual(
            notes.indexes,
            [
                Index(name: "notes_lower_idx", keys: [.expression("lower(body)")]),
                Index(
                    name: "notes_body_partial", keys: [.column("body")], isUnique: true, method: "btree",
                    predicate: "body IS NOT NULL"),
                Index(name: "notes_tags_gin", keys: [.column("tags")], method: "gin"),
                Index(name: "notes_mixed", keys: [.column("case_id"), .expression("(id + 1)")]),
            ])
        XCTAssertTrue(
            notes.indexes.allSatisfy { $0.canonicalDefinition == nil }, "YAML indexes carry no canonical text")
    }

    func testExplicitSeedKeyAndEnforceMode() throws {
        let schema = try loadValid(
            """
            version: 1
            tables:
              plans:
                columns:
                  id: { type: bigint, identity: by_default, primary_key: true }
                  code: { type: text, unique: true }
                  price: { type: "numeric(8,2)", nullable: false, default: 0 }
                seed:
                  mode: enforce
                  key: code
                  rows:
                    - { code: free, price: 0 }
                    - { code: pro, price: 9.99 }
            """)
        let plans = try XCTUnwrap(schema.tables.first)
        XCTAssertEqual(plans.column("id"), Column(name: "id", type: "bigint", isNullable: false, identity: .byDefault))
        XCTAssertEqual(
            plans.seed,
            Seed(
                mode: .enforce, key: ["code"],
                rows: [
                    SeedRow(values: [("code", .string("free")), ("price", .number("0"))]),
                    SeedRow(values: [("code", .string("pro")), ("price", .number("9.99"))]),
                ]))
    }

    func testSeedKeyDefaultsToACompositePrimaryKeyDeclaredAfterTheSeed() throws {
        let schema = try loadValid(
            """
            version: 1
            tables:
              t:
                seed:
                  rows:
                    - { a: 1, b: x }
                columns:
                  a: integer
                  b: text
                primary_key: [a, b]
            """)
        XCTAssertEqual(schema.tables.first?.seed?.key, ["a", "b"])
    }

    func testNameSyntaxForms() throws {
        XCTAssertEqual(
            try NameSyntax.qualifiedName("orders", defaultSchema: "public"),
            QualifiedName(schema: "public", name: "orders"))
        XCTAssertEqual(
            try NameSyntax.qualifiedName("billing.invoices", defaultSchema: "public"),
            QualifiedName(schema: "billing", name: "invoices"))
        XCTAssertEqual(
            try NameSyntax.qualifiedName("\"odd.schema\".\"Mixed Case\"", defaultSchema: "public"),
            QualifiedName(schema: "odd.schema", name: "Mixed Case"))
        XCTAssertEqual(
            try NameSyntax.qualifiedName("\"a\"\"b\"", defaultSchema: "s"), QualifiedName(schema: "s", name: "a\"b"))
        XCTAssertEqual(
            try NameSyntax.qualifiedName("Orders", defaultSchema: "public"),
            QualifiedName(schema: "public", name: "Orders"),
            "names are never case-folded")

        let simple = try NameSyntax.reference("cases", defaultSchema: "public")
        XCTAssertEqual(simple.0, QualifiedName(schema: "public", name: "cases"))
        XCTAssertEqual(simple.1, [])
        let withColumn = try NameSyntax.reference("cases(id)", defaultSchema: "public")
        XCTAssertEqual(withColumn.0, QualifiedName(schema: "public", name: "cases"))
        XCTAssertEqual(withColumn.1, ["id"])
        let composite = try NameSyntax.reference("billing.cases(tenant_id, id)", defaultSchema: "public")
        XCTAssertEqual(composite.0, QualifiedName(schema: "billing", name: "cases"))
        XCTAssertEqual(composite.1, ["tenant_id", "id"])
        let quoted = try NameSyntax.reference("\"odd.schema\".\"T\" ( \"Col, 1\" ,x )", defaultSchema: "public")
        XCTAssertEqual(quoted.0, QualifiedName(schema: "odd.schema", name: "T"))
        XCTAssertEqual(quoted.1, ["Col, 1", "x"])
    }

    func testNameSyntaxFailures() {
        func failure(_ body: () throws -> Any) -> String? {
            do { _ = try body(); return nil } catch let failure as NameSyntax.Failure { return failure.message } catch {
                return "\(error)"
            }
        }
        XCTAssertEqual(
            failure { try NameSyntax.qualifiedName("a.b.c", defaultSchema: "public") },
            "'a.b.c' has 3 dotted parts; write schema.table, or double-quote a name containing a dot")
        XCTAssertEqual(
            failure { try NameSyntax.qualifiedName("my table", defaultSchema: "public") },
            "unexpected ' table' after the name")
        XCTAssertEqual(
            failure { try NameSyntax.qualifiedName("\"open", defaultSchema: "public") },
            "unterminated double-quoted name")
        XCTAssertEqual(failure { try NameSyntax.qualifiedName("\"\"", defaultSchema: "public") }, "empty quoted name")
        XCTAssertEqual(failure { try NameSyntax.qualifiedName("a.", defaultSchema: "public") }, "a name is missing")
        XCTAssertEqual(
            failure { try NameSyntax.reference("cases(id", defaultSchema: "public") }, "missing ')' in 'cases(id'")
        XCTAssertEqual(
            failure { try NameSyntax.reference("cases()", defaultSchema: "public") }, "expected a name at ')'")
        XCTAssertEqual(
            failure { try NameSyntax.reference("cases(id) x", defaultSchema: "public") },
            "unexpected 'x' in 'cases(id) x'")
        XCTAssertEqual(
            failure { try NameSyntax.reference("a.b.c(id)", defaultSchema: "public") },
            "'a.b.c(id)' has 3 dotted parts; write [schema.]table(column, ...)")
    }
}
