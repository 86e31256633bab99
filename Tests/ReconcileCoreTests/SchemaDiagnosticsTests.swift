import Foundation
import XCTest

@testable import ReconcileCore

/// Every problem in a schema file is reported like a compiler error, `file:line:column: error: message`,
/// with 1-based positions taken from the YAML, and all problems are reported in one go.
final class SchemaDiagnosticsTests: XCTestCase {
    /// Two tables, the second referencing the first, for the foreign-key cases.
    private func withCases(_ referencing: String) -> String {
        """
        version: 1
        tables:
          cases:
            columns:
              id: { type: int, primary_key: true }
              code: text
        \(referencing)
        """
    }

    // MARK: - Options added for real schemas

    /// An index's statistics targets name expression keys by position; a column key, a position out of
    /// range and a target out of 0...10000 are each located errors.
    func testIndexStatisticsTargetsAreChecked() {
        XCTAssertEqual(
            loadErrors(
                """
                version: 1
                tables:
                  t:
                    columns: { a: text, b: text }
                    indexes:
                      - { columns: [a, { expression: lower(b) }], statistics: { 1: 100, 3: 100, 2: 20000 } }
                """),
            [
                "schema.yaml:6:65: error: key 1 in statistics of an index of public.t is a column, and only an "
                    + "expression key has a statistics target of its own (set a column's on the column)",
                "schema.yaml:6:73: error: '3' in statistics of an index of public.t is not a key position: the "
                    + "index has keys 1 to 2",
                "schema.yaml:6:84: error: statistics of an index of public.t must be whole numbers from 0 to 10000, "
                    + "not '20000'",
            ])
    }

    func testStorageAndCompressionAreChecked() {
        XCTAssertEqual(
            loadErrors(
                """
                version: 1
                tables:
                  t:
                    columns:
                      a: { type: text, storage: toasted }
                      b: { type: text, compression: zstd }
                """),
            [
                "schema.yaml:5:33: error: storage of column public.t.a must be one of 'plain', 'external', "
                    + "'extended', 'main', not 'toasted'",
                "schema.yaml:6:37: error: compression of column public.t.b must be 'pglz' or 'lz4', not 'zstd'",
            ])
        let table = try? SchemaLoader.load(
            yaml: """
                version: 1
                tables:
                  t:
                    columns:
                      a: { type: text, storage: external, compression: lz4 }
                """
        ).tables.first
        XCTAssertEqual(table?.columns.first?.storage, .external)
        XCTAssertEqual(table?.columns.first?.compression, .lz4)
    }

    func testNotNullNameAndSequencePersistenceAreChecked() {
        let long = String(repeating: "n", count: 64)
        XCTAssertEqual(
            loadErrors(
                """
                version: 1
                tables:
                  t:
                    columns:
                      a: { type: text, nullable: false, not_null_name: \(long) }
                      b: { type: serial, sequence: { unlogged: maybe } }
                """),
            [
                "schema.yaml:5:56: error: constraint name '\(long)' is 64 bytes; PostgreSQL allows 63 and would "
                    + "silently truncate it",
                "schema.yaml:6:48: error: unlogged of sequence of column public.t.b must be true or false, not "
                    + "'maybe'",
            ])
    }

    func testPartitionNotNullNamesAreRead() throws {
        let table = try loadValid(
            """
            version: 1
            tables:
              events:
                partition_by: RANGE (at)
                partitions:
                  events_2024: { bound: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')", not_null_names: { at: e_at } }
                  events_other: default
                columns: { at: { type: date, nullable: false } }
            """
        ).tables.first
        XCTAssertEqual(
            table?.partitions,
            [
                Partition(
                    name: QualifiedName(schema: "public", name: "events_2024"),
                    bound: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')", notNullNames: ["at": "e_at"]),
                Partition(name: QualifiedName(schema: "public", name: "events_other"), bound: "DEFAULT"),
            ])
    }

    func testPartitionNotNullNamesNeedNotNullColumnsOfTheTable() {
        XCTAssertEqual(
            loadErrors(
                """
                version: 1
                tables:
                  events:
                    partitions:
                      events_a: { bound: DEFAULT, not_null_names: { at: a, note: b, nope: c } }
                      events_b: { not_null_names: { at: a } }
                    partition_by: RANGE (at)
                    columns: { at: { type: date, nullable: false }, note: text }
                """),
            [
                "schema.yaml:5:60: error: not_null_names of partition events_a of public.events: column 'note' is "
                    + "nullable, so it has no NOT NULL constraint",
                "schema.yaml:5:69: error: not_null_names of partition events_a of public.events: the table has no "
                    + "column 'nope'",
                "schema.yaml:6:17: error: partition events_b of public.events needs 'bound'",
            ])
    }

    // MARK: - YAML itself

    func testYAMLSyntaxErrorNamesFileLineAndColumn() {
        XCTAssertEqual(
            loadErrors("version: 1\ntables:\n  a: [1, 2\n", fileName: "db/app.yaml"),
            [
                "db/app.yaml:4:1: error: invalid YAML: while parsing a flow sequence did not find expected ',' or ']'"
            ])
    }

    func testUnclosedFlowMapping() {
        XCTAssertEqual(
            loadErrors("version: 1\ntables: {\n"),
            [
                "schema.yaml:3:1: error: invalid YAML: while parsing a flow node did not find expected node content"
            ])
    }

    func testDuplicateKeyPointsAtTheFirstOccurrence() {
        XCTAssertEqual(
            loadErrors("version: 1\ntables:\n  a:\n    columns:\n      id: int\n      id: text\n"),
            [
                "schema.yaml:5:7: error: duplicate key 'id' in a mapping"
            ])
    }

    func testEmptyFile() {
        XCTAssertEqual(
            loadErrors(""), ["schema.yaml:1:1: error: the file is empty; expected 'version: 1' and 'tables:'"])
        XCTAssertEqual(
            loadErrors("# only a comment\n\n"),
            ["schema.yaml:1:1: error: the file is empty; expected 'version: 1' and 'tables:'"])
    }

    func testDocumentMustBeAMapping() {
        XCTAssertEqual(
            loadErrors("- version\n- 1\n"),
            ["schema.yaml:1:1: error: the schema file must be a mapping of keys to values, not a list"])
    }

    // MARK: - Document and table structure

    func testUnknownTopLevelKeyWithSuggestion() {
        XCTAssertEqual(
            loadErrors("version: 1\ntabels:\n  a:\n    columns:\n      id: int\n"),
            [
                "schema.yaml:2:1: error: unknown key 'tabels' in the schema file (did you mean 'tables'?)"
            ])
    }

    func testUnknownTableKeyWithSuggestion() {
        XCTAssertEqual(
            loadErrors("version: 1\ntables:\n  a:\n    colums:\n      id: int\n"),
            [
                "schema.yaml:4:5: error: unknown key 'colums' in table public.a (did you mean 'columns'?)",
                "schema.yaml:3:3: error: table public.a has no 'columns'",
            ])
    }

    func testUnknownColumnKey() {
        // Note: `tpye` is a transposition (Levenshtein distance 2), so no suggestion is offered today.
        XCTAssertEqual(
            loadErrors("version: 1\ntables:\n  a:\n    columns:\n      id: { tpye: int }\n"),
            [
                "schema.yaml:5:13: error: unknown key 'tpye' in column public.a.id (did you mean 'type'?)",
                "schema.yaml:5:7: error: column public.a.id has no 'type'",
            ])
        XCTAssertEqual(
            loadErrors("version: 1\ntables:\n  a:\n    columns:\n      id: { typ: int }\n"),
            [
                "schema.yaml:5:13: error: unknown key 'typ' in column public.a.id (did you mean 'type'?)",
                "schema.yaml:5:7: error: column public.a.id has no 'type'",
            ])
    }

    func testMissingVersion() {
        XCTAssertEqual(
            loadErrors("tables:\n  a:\n    columns:\n      id: int\n"),
            [
                "schema.yaml:1:1: error: missing 'version: 1' at the top of the file"
            ])
    }

    func testWrongVersion() {
        XCTAssertEqual(
            loadErrors("version: 2\ntables:\n  a:\n    columns:\n      id: int\n"),
            [
                "schema.yaml:1:10: error: unsupported version '2'; this reconcile reads version 1"
            ])
        XCTAssertEqual(
            loadErrors("tables:\n  a:\n    columns:\n      id: int\nversion: one\n"),
            [
                "schema.yaml:5:10: error: unsupported version 'one'; this reconcile reads version 1"
            ])
    }

    func testMissingType() {
        XCTAssertEqual(
            loadErrors("version: 1\ntables:\n  a:\n    columns:\n      id: { nullable: false }\n"),
            [
                "schema.yaml:5:7: error: column public.a.id has no 'type'"
            ])
    }

    func testTableWithNoColumnsIsDeclaredWithAnEmptyMappingOrList() throws {
        for columns in ["{}", "[]"] {
            let schema = try loadValid("version: 1\ntables:\n  a:\n    columns: \(columns)\n    comment: empty\n")
            XCTAssertEqual(schema.tables.map(\.name), [QualifiedName(name: "a")], columns)
            XCTAssertEqual(schema.tables.first?.columns, [], columns)
            XCTAssertEqual(schema.tables.first?.comment, "empty", columns)
        }
        // `columns:` with nothing after it is a slip more often than a table without columns.
        XCTAssertEqual(
            loadErrors("version: 1\ntables:\n  a:\n    columns:\n  b:\n    columns: ~\n"),
            [
                "schema.yaml:4:13: error: columns of public.a are empty; write 'columns: {}' for a table without columns",
                "schema.yaml:6:14: error: columns of public.b are empty; write 'columns: {}' for a table without columns",
            ])
        XCTAssertEqual(
            loadErrors("version: 1\ntables:\n  a:\n    columns: [id]\n"),
            [
                "schema.yaml:4:14: error: columns of public.a must be a mapping of keys to values, not a list"
            ])
    }

    func testBadTableName() {
        XCTAssertEqual(
            loadErrors("version: 1\ntables:\n  a.b.c:\n    columns:\n      id: int\n"),
            [
                "schema.yaml:3:3: error: table name: 'a.b.c' has 3 dotted parts; write schema.table, or double-quote a name containing a dot"
            ])
    }

    func testBadIdentityValue() {
        XCTAssertEqual(
            loadErrors("version: 1\ntables:\n  a:\n    columns:\n      id: { type: int, identity: sometimes }\n"),
            [
                "schema.yaml:5:34: error: identity of column public.a.id must be 'always' or 'by_default', not 'sometimes'"
            ])
    }

    func testNullablePrimaryKeyColumn() {
        XCTAssertEqual(
            loadErrors(
                "version: 1\ntables:\n  a:\n    columns:\n      id: { type: int, nullable: true, primary_key: true }\n"),
            [
                "schema.yaml:5:24: error: column 'id' of public.a is in the primary key, so it cannot be nullable"
            ])
    }

    func testPrimaryKeyDeclaredTwice() {
        XCTAssertEqual(
            loadErrors(
                "version: 1\ntables:\n  a:\n    columns:\n      id: { type: int, primary_key: true }\n    primary_key: [id]\n"
            ),
            [
                "schema.yaml:6:5: error: table public.a declares its primary key twice: on a column and in 'primary_key'"
            ])
    }

    func testOnDeleteWithoutReferences() {
        XCTAssertEqual(
            loadErrors("version: 1\ntables:\n  a:\n    columns:\n      id: { type: int, on_delete: cascade }\n"),
            [
                "schema.yaml:5:7: error: column public.a.id has on_delete/on_update but no 'references'"
            ])
    }

    // MARK: - Foreign keys

    func testReferenceToUndeclaredTableWithSuggestion() {
        XCTAssertEqual(
            loadErrors(withCases("  b:\n    columns:\n      c: { type: int, references: case(id) }")),
            [
                "schema.yaml:9:35: error: foreign key b_c_fkey of public.b references public.\"case\", which is not declared in this file (did you mean 'public.cases'?); declare it (a minimal table is enough)"
            ])
    }

    func testReferenceToUndeclaredTableWithoutSuggestion() {
        XCTAssertEqual(
            loadErrors(withCases("  b:\n    columns:\n      c: { type: int, references: billing.invoices }")),
            [
                "schema.yaml:9:35: error: foreign key b_c_fkey of public.b references billing.invoices, which is not declared in this file; declare it (a minimal table is enough)"
            ])
    }

    func testReferenceToUnknownColumn() {
        XCTAssertEqual(
            loadErrors(withCases("  b:\n    columns:\n      c: { type: int, references: cases(idd) }")),
            [
                "schema.yaml:9:35: error: foreign key b_c_fkey of public.b references unknown column 'idd' of public.cases (did you mean 'id'?)",
                "schema.yaml:9:35: error: foreign key b_c_fkey of public.b references public.cases(idd), which is not its primary key or a unique constraint",
            ])
    }

    func testForeignKeyToNonUniqueColumns() {
        XCTAssertEqual(
            loadErrors(withCases("  b:\n    columns:\n      c: { type: text, references: cases(code) }")),
            [
                "schema.yaml:9:36: error: foreign key b_c_fkey of public.b references public.cases(code), which is not its primary key or a unique constraint"
            ])
    }

    func testForeignKeyColumnCountMismatch() {
        let yaml = withCases(
            """
              b:
                columns:
                  c: int
                foreign_keys:
                  - columns: [c]
                    references: cases(id, code)
            """)
        XCTAssertEqual(
            loadErrors(yaml),
            [
                "schema.yaml:12:21: error: foreign key b_c_fkey of public.b has 1 column(s) but references 2",
                "schema.yaml:12:21: error: foreign key b_c_fkey of public.b references public.cases(id, code), which is not its primary key or a unique constraint",
            ])
    }

    func testForeignKeyToTableWithoutPrimaryKey() {
        let yaml =
            "version: 1\ntables:\n  p:\n    columns:\n      x: int\n  c:\n    columns:\n      p: { type: int, references: p }\n"
        XCTAssertEqual(
            loadErrors(yaml),
            [
                "schema.yaml:8:35: error: foreign key c_p_fkey of public.c references public.p, which has no primary key; name the referenced columns"
            ])
    }

    func testForeignKeyNeedsColumnsAndReferences() {
        let yaml =
            "version: 1\ntables:\n  a:\n    columns:\n      id: int\n    foreign_keys:\n      - { references: a }\n"
        XCTAssertEqual(
            loadErrors(yaml),
            [
                "schema.yaml:7:9: error: a foreign key of public.a needs 'columns' and 'references'"
            ])
    }

    func testBadOnDeleteValue() {
        XCTAssertEqual(
            loadErrors(withCases("  b:\n    columns:\n      c: { type: int, references: cases, on_delete: cascde }")),
            [
                "schema.yaml:9:53: error: on_delete of column public.b.c must be one of no action, restrict, cascade, set null, set default, not 'cascde' (did you mean 'cascade'?)"
            ])
    }

    // MARK: - Names

    func testDuplicateTableName() {
        XCTAssertEqual(
            loadErrors(
                "version: 1\ntables:\n  a:\n    columns:\n      id: int\n  public.a:\n    columns:\n      id: int\n"),
            [
                "schema.yaml:6:3: error: table public.a is declared twice"
            ])
    }

    func testDuplicateIndexNameInOneSchema() {
        let yaml = """
            version: 1
            tables:
              a:
                columns:
                  id: int
                indexes:
                  - { name: a_idx, columns: [id] }
              b:
                columns:
                  id: int
                indexes:
                  - { name: a_idx, columns: [id] }
            """
        XCTAssertEqual(
            loadErrors(yaml),
            [
                "schema.yaml:8:3: error: the name 'a_idx' is used twice in schema public (also by public.a); indexes and tables share one namespace"
            ])
    }

    func testSameIndexNameInDifferentSchemasIsFine() throws {
        let schema = try loadValid(
            """
            version: 1
            tables:
              a:
                columns:
                  id: int
                indexes:
                  - { name: x_idx, columns: [id] }
              other.a:
                columns:
                  id: int
                indexes:
                  - { name: x_idx, columns: [id] }
            """)
        XCTAssertEqual(schema.tables.map { $0.indexes.map(\.name) }, [["x_idx"], ["x_idx"]])
    }

    func testIndexNameClashingWithATable() {
        let yaml =
            "version: 1\ntables:\n  a:\n    columns:\n      id: int\n    indexes:\n      - { name: b, columns: [id] }\n  b:\n    columns:\n      id: int\n"
        XCTAssertEqual(
            loadErrors(yaml),
            [
                "schema.yaml:3:3: error: the name 'b' is used twice in schema public (also by public.b); indexes and tables share one namespace"
            ])
    }

    func testDuplicateConstraintName() {
        let yaml =
            "version: 1\ntables:\n  a:\n    columns:\n      id: { type: int, check: id > 0 }\n    checks:\n      a_id_check: id < 10\n"
        XCTAssertEqual(
            loadErrors(yaml),
            [
                "schema.yaml:3:3: error: constraint name 'a_id_check' is used twice in public.a"
            ])
    }

    func testIndexOnUnknownColumn() {
        let yaml =
            "version: 1\ntables:\n  a:\n    columns:\n      email: text\n    indexes:\n      - columns: [emial]\n"
        XCTAssertEqual(
            loadErrors(yaml),
            [
                "schema.yaml:3:3: error: index a_emial_idx of public.a names unknown column 'emial' (did you mean 'email'?)"
            ])
    }

    func testIdentifierLongerThan63Bytes() {
        let long = String(repeating: "x", count: 64)
        XCTAssertEqual(
            loadErrors("version: 1\ntables:\n  a:\n    columns:\n      \(long): int\n"),
            [
                "schema.yaml:5:7: error: column name '\(long)' is 64 bytes; PostgreSQL allows 63 and would silently truncate it"
            ])
        // Bytes, not characters: 32 two-byte characters are 64 bytes.
        let wide = String(repeating: "é", count: 32)
        XCTAssertEqual(
            loadErrors("version: 1\ntables:\n  \(wide):\n    columns:\n      id: int\n"),
            [
                "schema.yaml:3:3: error: table name '\(wide)' is 64 bytes; PostgreSQL allows 63 and would silently truncate it"
            ])
    }

    func testIdentifierOfExactly63BytesIsAccepted() throws {
        let name = String(repeating: "x", count: 63)
        let schema = try loadValid("version: 1\ntables:\n  \(name):\n    columns:\n      id: int\n")
        XCTAssertEqual(schema.tables.map(\.name.name), [name])
    }

    // MARK: - Defaults and identity

    func testIdentityWithDefault() {
        XCTAssertEqual(
            loadErrors(
                "version: 1\ntables:\n  a:\n    columns:\n      id: { type: int, identity: always, default: 1 }\n"),
            [
                "schema.yaml:5:7: error: column public.a.id is an identity or serial column, so it cannot also have a default"
            ])
    }

    func testSerialWithIdentity() {
        XCTAssertEqual(
            loadErrors("version: 1\ntables:\n  a:\n    columns:\n      id: { type: serial, identity: always }\n"),
            [
                "schema.yaml:5:7: error: column public.a.id is both serial and identity; use one"
            ])
    }

    func testDefaultAndDefaultSQL() {
        XCTAssertEqual(
            loadErrors(
                "version: 1\ntables:\n  a:\n    columns:\n      id: { type: int, default: 1, default_sql: now() }\n"),
            [
                "schema.yaml:5:36: error: column public.a.id has both 'default' and 'default_sql'; keep one"
            ])
    }

    /// Key order does not matter: the second of the two keys is reported.
    func testDefaultSQLThenDefaultIsAlsoRejected() {
        XCTAssertEqual(
            loadErrors(
                "version: 1\ntables:\n  a:\n    columns:\n      id: { type: int, default_sql: now(), default: 1 }\n"),
            [
                "schema.yaml:5:44: error: column public.a.id has both 'default' and 'default_sql'; keep one"
            ])
    }

    /// PostgreSQL identity columns are always NOT NULL: `nullable: true` on one is an error, whatever the
    /// key order.
    func testIdentityNullabilityDoesNotDependOnKeyOrder() {
        func outcome(_ column: String) -> String {
            do {
                let schema = try SchemaLoader.load(
                    yaml: "version: 1\ntables:\n  a:\n    columns:\n      id: \(column)\n")
                return "nullable=\(schema.tables[0].columns[0].isNullable)"
            } catch let error as SchemaLoadError {
                return error.diagnostics.map(\.message).joined(separator: "\n")
            } catch {
                return "\(error)"
            }
        }
        XCTAssertEqual(
            outcome("{ nullable: true, type: bigint, identity: always }"),
            "column public.a.id is an identity or serial column, so it cannot be nullable")
        XCTAssertEqual(outcome("{ type: bigint, identity: always }"), "nullable=false")
        XCTAssertEqual(
            outcome("{ type: bigint, identity: always, nullable: true }"),
            outcome("{ nullable: true, type: bigint, identity: always }"))
    }

    // MARK: - Seeds

    private func seeded(_ columns: String, _ seed: String) -> String {
        "version: 1\ntables:\n  a:\n    columns:\n\(columns)\n    seed:\n\(seed)\n"
    }

    func testSeededColumnNotInTable() {
        let yaml = seeded(
            "      id: { type: int, primary_key: true }\n      label: text", "      rows:\n        - { id: 1, labl: x }"
        )
        XCTAssertEqual(
            loadErrors(yaml),
            [
                "schema.yaml:9:20: error: seeded column 'labl' is not a column of public.a (did you mean 'label'?)"
            ])
    }

    func testSeedRowWithoutKeyValue() {
        let yaml = seeded(
            "      id: { type: int, primary_key: true }\n      label: text",
            "      rows:\n        - { id: 1 }\n        - { label: x }\n        - { id: null, label: y }")
        XCTAssertEqual(
            loadErrors(yaml),
            [
                "schema.yaml:10:11: error: seeded row of public.a has no value for key column(s) id",
                "schema.yaml:11:11: error: seeded row of public.a has no value for key column(s) id",
            ])
    }

    func testDuplicateSeedKeys() {
        let yaml = seeded(
            "      id: { type: int, primary_key: true }",
            "      rows:\n        - { id: 1 }\n        - { id: 2 }\n        - { id: 1 }")
        XCTAssertEqual(
            loadErrors(yaml), ["schema.yaml:10:11: error: seeded row of public.a repeats the key of an earlier row"])
    }

    func testSeedWithoutAnyKey() {
        let yaml = seeded("      id: int", "      rows:\n        - { id: 1 }")
        XCTAssertEqual(
            loadErrors(yaml), ["schema.yaml:7:7: error: seed of public.a has no key: declare a primary key or 'key:'"])
    }

    func testSeedKeyMustBeUnique() {
        let yaml = seeded(
            "      id: { type: int, primary_key: true }\n      code: text",
            "      key: [code]\n      rows:\n        - { id: 1, code: a }")
        XCTAssertEqual(
            loadErrors(yaml),
            [
                "schema.yaml:8:7: error: seed key (code) of public.a must be its primary key or a unique constraint, so rows can be matched safely"
            ])
    }

    func testSeedRowLeavingOutANotNullColumnWithoutDefault() {
        let columns =
            "      id: { type: int, primary_key: true }\n      label: { type: text, nullable: false }\n      n: { type: int, nullable: false, default: 0 }\n      g: { type: int, identity: by_default }\n      s: serial"
        let yaml = seeded(columns, "      rows:\n        - { id: 1 }")
        XCTAssertEqual(
            loadErrors(yaml),
            [
                "schema.yaml:12:11: error: seeded row of public.a leaves out 'label', which is NOT NULL and has no default"
            ])
    }

    func testSeedRowSettingNotNullColumnToNull() {
        let yaml = seeded(
            "      id: { type: int, primary_key: true }\n      label: { type: text, nullable: false }",
            "      rows:\n        - { id: 1, label: ~ }")
        XCTAssertEqual(
            loadErrors(yaml), ["schema.yaml:9:11: error: seeded row of public.a sets NOT NULL column 'label' to null"])
    }

    func testBadSeedMode() {
        let yaml = seeded(
            "      id: { type: int, primary_key: true }", "      mode: upsert\n      rows:\n        - { id: 1 }")
        XCTAssertEqual(
            loadErrors(yaml),
            [
                "schema.yaml:7:13: error: mode of seed of public.a must be 'insert-missing' or 'enforce', not 'upsert'"
            ])
    }

    // MARK: - Several problems at once

    func testSeveralErrorsAreReportedTogetherInOrder() {
        let yaml = """
            tables:
              a:
                colums: {}
              b:
                columns:
                  x: { tpye: int }
                  y: { type: int, identity: always, default: 1 }
                  z: { type: int, references: nowhere }
            """
        let errors = loadErrors(yaml)
        XCTAssertEqual(errors.count, 7)
        XCTAssertEqual(
            errors,
            [
                "schema.yaml:3:5: error: unknown key 'colums' in table public.a (did you mean 'columns'?)",
                "schema.yaml:2:3: error: table public.a has no 'columns'",
                "schema.yaml:6:12: error: unknown key 'tpye' in column public.b.x (did you mean 'type'?)",
                "schema.yaml:6:7: error: column public.b.x has no 'type'",
                "schema.yaml:7:7: error: column public.b.y is an identity or serial column, so it cannot also have a default",
                "schema.yaml:1:1: error: missing 'version: 1' at the top of the file",
                "schema.yaml:8:35: error: foreign key b_z_fkey of public.b references public.nowhere, which is not declared in this file; declare it (a minimal table is enough)",
            ])
    }

    func testSchemaLoadErrorDescriptionJoinsDiagnosticsWithNewlines() {
        let error = SchemaLoadError([
            Diagnostic(file: "s.yaml", line: 2, column: 3, message: "first"),
            Diagnostic(file: "s.yaml", line: 0, column: 0, message: "second"),
        ])
        XCTAssertEqual(error.description, "s.yaml:2:3: error: first\ns.yaml: error: second")
    }

    // MARK: - Files

    private func temporaryFile(_ data: Data) throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("reconcile-core-tests-\(UUID().uuidString).yaml")
        try data.write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    private func pathErrors(_ path: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        do {
            _ = try SchemaLoader.load(path: path)
            XCTFail("expected \(path) to be rejected", file: file, line: line)
            return []
        } catch let error as SchemaLoadError {
            return error.diagnostics.map(\.description)
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
            return []
        }
    }

    func testNonUTF8File() throws {
        let path = try temporaryFile(Data([0x76, 0x65, 0x72, 0x3A, 0x20, 0xFF, 0xFE, 0x0A]))
        XCTAssertEqual(pathErrors(path), ["\(path): error: schema file is not valid UTF-8"])
    }

    func testMissingFile() {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "reconcile-no-such-\(UUID().uuidString).yaml"
        ).path
        XCTAssertEqual(pathErrors(path), ["\(path): error: schema file does not exist"])
    }

    func testDiagnosticsFromAFileNameThePath() throws {
        let path = try temporaryFile(
            Data("version: 1\ntables:\n  a:\n    columns:\n      id: { nullable: false }\n".utf8))
        XCTAssertEqual(pathErrors(path), ["\(path):5:7: error: column public.a.id has no 'type'"])
    }

    func testValidFileLoadsFromPath() throws {
        let path = try temporaryFile(Data("version: 1\ntables:\n  a:\n    columns:\n      id: int\n".utf8))
        let schema = try SchemaLoader.load(path: path)
        XCTAssertEqual(schema.tables, [Table(name: Fixture.name("a"), columns: [Column(name: "id", type: "int")])])
    }

    /// Two declared tables as close to a misspelt target: the first declared is suggested, in every run (it
    /// once depended on a dictionary's order, which changes from process to process).
    func testAnUndeclaredTargetSuggestsTheFirstDeclaredOfEquallyCloseTables() {
        // Other tables change the dictionary's layout, so an order-dependent suggestion would differ in some.
        for fillers in 0..<20 {
            let others = (0..<fillers).map { "  far_away_\($0): { columns: { id: integer } }\n" }.joined()
            let yaml =
                "version: 1\ntables:\n" + others + """
                      xb: { columns: { id: { type: integer, primary_key: true } } }
                      ab: { columns: { id: { type: integer, primary_key: true } } }
                      t: { columns: { id: integer, b: { type: integer, references: cb } } }
                    """
            XCTAssertEqual(
                loadErrors(yaml),
                [
                    "schema.yaml:\(fillers + 5):64: error: foreign key t_b_fkey of public.t references public.cb, which is "
                        + "not declared in this file (did you mean 'public.xb'?); declare it (a minimal table is enough)"
                ], "with \(fillers) other tables")
        }
    }
}

/// The keys that carry constraint options, and the mistakes a person makes with them.
final class ConstraintOptionLoadingTests: XCTestCase {
    func testEveryOptionIsRead() throws {
        let schema = try loadValid(
            """
            version: 1
            tables:
              rooms:
                columns:
                  id: { type: integer, nullable: false }
                  code: text
                primary_key: { columns: [id], deferrable: true }
                unique:
                  - { columns: [code], nulls_not_distinct: true, initially_deferred: true }
                checks:
                  plain: id > 0
                  lazy: { expression: id < 10, not_valid: true, no_inherit: true }
                foreign_keys:
                  - { columns: [id], references: rooms(id), match: full, deferrable: true, not_valid: true }
            """)
        let table = try XCTUnwrap(schema.tables.first)
        XCTAssertEqual(table.primaryKey?.deferral, .deferrable)
        XCTAssertEqual(
            table.uniqueConstraints,
            [
                UniqueConstraint(
                    name: "rooms_code_key", columns: ["code"],
                    deferral: .initiallyDeferred, nullsNotDistinct: true)
            ])
        XCTAssertEqual(
            table.checks,
            [
                CheckConstraint(name: "plain", expression: "id > 0"),
                CheckConstraint(name: "lazy", expression: "id < 10", noInherit: true, notValid: true),
            ])
        let key = try XCTUnwrap(table.foreignKeys.first)
        XCTAssertEqual([key.matchFull, key.notValid], [true, true])
        XCTAssertEqual(key.deferral, .deferrable)
    }

    func testKeyIncludeAndWithAreRead() throws {
        let schema = try loadValid(
            """
            version: 1
            tables:
              accounts:
                columns:
                  id: { type: bigint, nullable: false }
                  email: { type: text, nullable: false }
                  name: text
                primary_key: { columns: [id], include: [email, name], with: { FillFactor: 70 } }
                unique:
                  - { columns: [email], include: [email], with: { fillfactor: "80", deduplicate_items: off } }
                  - { columns: [name], nulls_not_distinct: true }
            """)
        let table = try XCTUnwrap(schema.tables.first)
        XCTAssertEqual(
            table.primaryKey,
            PrimaryKey(
                name: "accounts_pkey", columns: ["id"],
                index: KeyIndexOptions(
                    include: ["email", "name"], storageParameters: [StorageParameter(name: "fillfactor", value: "70")])
            ))
        XCTAssertEqual(
            table.uniqueConstraints,
            [
                UniqueConstraint(
                    name: "accounts_email_key", columns: ["email"],
                    index: KeyIndexOptions(
                        include: ["email"],
                        storageParameters: [
                            StorageParameter(name: "fillfactor", value: "80"),
                            StorageParameter(name: "deduplicate_items", value: "off"),
                        ])),
                UniqueConstraint(name: "accounts_name_key", columns: ["name"], nullsNotDistinct: true),
            ])
        XCTAssertNil(table.uniqueConstraints[1].index, "a key without include or with has no index options")
        XCTAssertNil(KeyIndexOptions(include: [], storageParameters: []))
    }

    func testKeyIncludeAndWithMistakesAreErrors() {
        XCTAssertEqual(
            loadErrors(
                """
                version: 1
                tables:
                  t:
                    columns:
                      id: integer
                      name: text
                    primary_key: { columns: [id], include: [nme] }
                    unique:
                      - { columns: [name], include: [id], with: { "fill factor": 70 } }
                      - { columns: [id, name], with: [fillfactor] }
                """),
            [
                "schema.yaml:9:51: error: 'fill factor' in with of a unique constraint of public.t is not a storage "
                    + "parameter name (letters, digits, '_' and '.')",
                "schema.yaml:10:38: error: with of a unique constraint of public.t must be a mapping of keys to values, "
                    + "not a list",
                "schema.yaml:3:3: error: include of the primary key of public.t names unknown column 'nme' "
                    + "(did you mean 'name'?)",
            ])
    }

    func testContradictionsAndUnknownValuesAreErrorsAtTheirPosition() {
        XCTAssertEqual(
            loadErrors(
                """
                version: 1
                tables:
                  t:
                    columns:
                      id: integer
                    primary_key: { columns: [id], initially_deferred: true, deferrable: false }
                    checks:
                      c: { not_valid: true }
                    foreign_keys:
                      - { columns: [id], references: t(id), match: partial }
                    unique:
                      - { columns: [id], nulls_distinct: false }
                """),
            [
                "schema.yaml:6:73: error: primary_key of public.t is initially_deferred, so it cannot be 'deferrable: false'",
                "schema.yaml:8:10: error: check c of public.t needs 'expression'",
                "schema.yaml:10:52: error: match of a foreign key of public.t must be 'simple' or 'full', not 'partial'",
                "schema.yaml:12:26: error: unknown key 'nulls_distinct' in a unique constraint of public.t "
                    + "(did you mean 'nulls_not_distinct'?)",
            ])
    }
}

final class GeneratedColumnLoadingTests: XCTestCase {
    func testStoredAndVirtualForms() throws {
        let schema = try loadValid(
            """
            version: 1
            tables:
              t:
                columns:
                  a: integer
                  b: { type: integer, generated: a * 2 }
                  c: { type: integer, generated: { expression: a + 1, virtual: true } }
            """)
        XCTAssertEqual(
            schema.tables.first?.columns.map(\.generated),
            [
                nil, GeneratedColumn(expression: "a * 2"), GeneratedColumn(expression: "a + 1", isStored: false),
            ])
    }

    func testAGeneratedColumnHasNoDefaultIdentityOrSeededValue() {
        XCTAssertEqual(
            loadErrors(
                """
                version: 1
                tables:
                  t:
                    columns:
                      id: { type: integer, primary_key: true }
                      a: { type: integer, default: 1, generated: id * 2 }
                      b: { type: integer, identity: always, generated: id * 2 }
                    seed:
                      rows:
                        - { id: 1, a: 5 }
                """),
            [
                "schema.yaml:6:39: error: column public.t.a has both 'default' and 'generated'; keep one",
                "schema.yaml:7:7: error: column public.t.b is generated, so it cannot also be an identity or serial column",
                "schema.yaml:10:11: error: seeded row of public.t sets 'a', which is generated",
            ])
    }
}
