import XCTest
import Yams

@testable import ReconcileCore

/// Functions and procedures without a server: loading (and its located errors), SQL rendering, the differ's
/// choice between CREATE OR REPLACE and drop-and-create, and the export's YAML reading back to the same text.
final class RoutineTests: XCTestCase {
    func testFunctionsAndProceduresLoad() throws {
        let schema = try loadValid(
            """
            version: 1
            functions:
              billing.total:
                arguments: "invoice bigint, with_tax boolean DEFAULT true"
                returns: numeric
                language: plpgsql
                volatility: stable
                strict: true
                security_definer: true
                parallel: safe
                cost: 50
                set: { search_path: "billing, pg_temp" }
                comment: The total.
                body: |
                  BEGIN
                    RETURN 1;
                  END
              add:
                - { arguments: "a integer, b integer", returns: integer, language: sql, body: SELECT a + b }
                - { arguments: [a text, b text], returns: text, language: sql, body: SELECT a || b }
            procedures:
              purge: { language: sql, body: "DELETE FROM t" }
            tables: {}
            """)
        XCTAssertEqual(schema.schemaNames, ["billing", "public"])
        XCTAssertEqual(
            schema.routines.map(\.signature),
            [
                "billing.total(invoice bigint, with_tax boolean)", "public.add(a integer, b integer)",
                "public.add(a text, b text)", "public.purge()",
            ])
        let total = schema.routines[0]
        XCTAssertEqual(total.volatility, .stable)
        XCTAssertTrue(total.isStrict && total.securityDefiner)
        XCTAssertEqual(total.parallel, .safe)
        XCTAssertEqual(total.cost, "50")
        XCTAssertEqual(total.settings, [StorageParameter(name: "search_path", value: "billing, pg_temp")])
        XCTAssertEqual(total.body, "BEGIN\n  RETURN 1;\nEND\n")
        XCTAssertEqual(total.comment, "The total.")
        XCTAssertEqual(schema.routines[3].kind, .procedure)
        XCTAssertNil(schema.routines[3].returns)
    }

    /// A routine dropped and created again gets back its EXECUTE grants, PUBLIC's revocation and owner, on its
    /// new signature.
    func testARecreatedRoutineKeepsItsPrivileges() {
        let declared = Routine(name: Fixture.name("greet"), arguments: "name text", returns: "text", body: "SELECT 1")
        var live = Routine(name: Fixture.name("greet"), arguments: "who text", returns: "text", body: "SELECT 1")
        live.kept = Routine.Kept(
            grants: [.init(role: "app", withGrantOption: false), .init(role: "Ops", withGrantOption: true)],
            revokedFromPublic: true, owner: "owner")
        let change = RoutineChange.recreateRoutine(declared, live: live, afterTables: false)
        XCTAssertEqual(
            Array(change.statements.suffix(4)),
            [
                "REVOKE EXECUTE ON FUNCTION \"public\".\"greet\"(name text) FROM PUBLIC",
                "GRANT EXECUTE ON FUNCTION \"public\".\"greet\"(name text) TO \"app\"",
                "GRANT EXECUTE ON FUNCTION \"public\".\"greet\"(name text) TO \"Ops\" WITH GRANT OPTION",
                "ALTER FUNCTION \"public\".\"greet\"(name text) OWNER TO \"owner\"",
            ])
        XCTAssertTrue(change.summary.hasSuffix("; keeping its 2 grants, PUBLIC's revoked EXECUTE and owner"))
        XCTAssertNil(Routine.Kept().summary)
        XCTAssertEqual(Routine.Kept(owner: "x").summary, "its owner")
    }

    func testRoutineMistakesAreLocatedErrors() {
        XCTAssertEqual(
            loadErrors(
                """
                version: 1
                functions:
                  f: { returns: int, language: sql, body: SELECT 1, volatility: sometimes }
                  g: { arguments: "a int", language: sql, body: SELECT a }
                  h: { returns: int, body: SELECT 1, bodyy: x }
                  dup:
                    - { returns: int, language: sql, body: SELECT 1 }
                    - { returns: int, language: sql, body: SELECT 2 }
                  k: { returns: int, language: sql, body: SELECT 1, set: { "search path": x }, cost: -1 }
                procedures:
                  p: { returns: int, language: sql, body: SELECT 1, volatility: stable }
                tables: {}
                """),
            [
                "schema.yaml:3:65: error: volatility of function public.f must be volatile, stable or immutable, "
                    + "not 'sometimes'",
                "schema.yaml:4:6: error: function public.g needs 'returns' (e.g. returns: trigger, returns: void)",
                "schema.yaml:5:38: error: unknown key 'bodyy' in function public.h (did you mean 'body'?)",
                "schema.yaml:5:6: error: function public.h needs 'language' (sql, plpgsql, ...)",
                "schema.yaml:8:7: error: function public.dup() is declared twice: also at schema.yaml:7:7",
                "schema.yaml:9:60: error: 'search path' in set of function public.k is not a configuration "
                    + "parameter name (letters, digits, '_' and '.')",
                "schema.yaml:9:86: error: cost of function public.k must be a positive number, not '-1'",
                "schema.yaml:11:8: error: 'returns' is for functions; a procedure has no returns",
                "schema.yaml:11:53: error: 'volatility' is for functions; a procedure has no volatility",
            ])
    }

    func testRenamedFromIsCheckedAndChoosesTheLiveRoutineToRename() throws {
        XCTAssertEqual(
            loadErrors(
                """
                version: 1
                functions:
                  f: { renamed_from: other.g, returns: int, language: sql, body: SELECT 1 }
                  h: { renamed_from: h, returns: int, language: sql, body: SELECT 1 }
                tables: {}
                """),
            [
                "schema.yaml:3:22: error: renamed_from of function public.f names other.g, in another schema: it is "
                    + "renamed within its schema",
                "schema.yaml:4:22: error: renamed_from of function public.h is its own name",
            ])
        let desired = try loadValid(
            """
            version: 1
            functions:
              total: { renamed_from: sum_up, arguments: "n integer", returns: integer, language: sql, body: SELECT n }
              kept: { renamed_from: also_declared, returns: integer, language: sql, body: SELECT 1 }
              also_declared: { returns: integer, language: sql, body: SELECT 2 }
              fresh: { renamed_from: gone, returns: integer, language: sql, body: SELECT 3 }
            tables: {}
            """)
        func routine(_ name: String, _ arguments: String) -> Routine {
            Routine(
                name: QualifiedName(schema: "public", name: name), arguments: arguments, returns: "integer", body: "")
        }
        var live = Schema()
        live.routines = [routine("sum_up", "n integer"), routine("sum_up", "n text"), routine("also_declared", "")]
        // The overload with the declared arguments is renamed; a declared old name, or none live, renames nothing.
        let renames = Differ.pendingRenames(desired: desired, live: live).routines
        XCTAssertEqual(
            renames.map { "\($0.live.signature) -> \($0.declared.name)" }, ["public.sum_up(n integer) -> public.total"])
        var renamed = live.routines[0]
        renamed.catalog = Routine.Catalog(
            identityArguments: "n integer", identityTypes: "integer", arguments: "n integer", result: "integer",
            definition: "")
        XCTAssertEqual(
            SQLRenderer.renameRoutine(renamed, to: "total"),
            """
            DO $reconcile$
            BEGIN
                IF (pg_catalog.to_regprocedure('"public"."sum_up"(integer)') IS NOT NULL) AND NOT \
            (pg_catalog.to_regprocedure('"public"."total"(integer)') IS NOT NULL) THEN
                    ALTER FUNCTION "public"."sum_up"(n integer) RENAME TO "total";
                END IF;
            END
            $reconcile$
            """)
    }

    func testCreateStatementSaysExactlyWhatIsDeclared() {
        let routine = Routine(
            name: QualifiedName(schema: "app", name: "Lock Job"), arguments: "job_id bigint", returns: "boolean",
            language: "PLpgSQL", volatility: .stable, isStrict: true, securityDefiner: true, leakproof: true,
            parallel: .restricted, cost: "500", rows: nil,
            settings: [
                StorageParameter(name: "search_path", value: "\"$user\", public, \"Odd\"\"Name\""),
                StorageParameter(name: "lock_timeout", value: "2s"),
            ],
            body: "BEGIN RETURN $reconcile$x$reconcile$ = 'x'; END", comment: "it's")
        XCTAssertEqual(
            SQLRenderer.createRoutine(routine),
            """
            CREATE OR REPLACE FUNCTION "app"."Lock Job"(job_id bigint)
             RETURNS boolean
             LANGUAGE "plpgsql"
             STABLE STRICT SECURITY DEFINER LEAKPROOF PARALLEL RESTRICTED COST 500
             SET search_path = '$user', 'public', 'Odd"Name'
             SET lock_timeout = '2s'
            AS $reconcile1$BEGIN RETURN $reconcile$x$reconcile$ = 'x'; END$reconcile1$
            """)
        XCTAssertEqual(
            Change(.routine(.createRoutine(routine, afterTables: false))).statements.last,
            #"COMMENT ON FUNCTION "app"."Lock Job"(job_id bigint) IS 'it''s'"#)
        let procedure = Routine(
            kind: .procedure, name: QualifiedName(name: "purge"),
            arguments: "keep integer DEFAULT 10, note text = 'a, b'",
            language: "sql", body: "SELECT 1")
        XCTAssertEqual(
            Change(.routine(.dropRoutine(procedure))).statements,
            [#"DROP PROCEDURE IF EXISTS "public"."purge"(keep integer, note text)"#])
        XCTAssertEqual(Change(.routine(.dropRoutine(procedure))).isDestructive, true)
    }

    func testArgumentDefaultsAreCutAtTheTopLevelOnly() {
        XCTAssertEqual(Routine.withoutDefaults(""), "")
        XCTAssertEqual(Routine.withoutDefaults("a integer DEFAULT 1, b text"), "a integer, b text")
        XCTAssertEqual(
            Routine.withoutDefaults("a text = 'x = y, default z', b numeric(10,2)"), "a text, b numeric(10,2)")
        XCTAssertEqual(Routine.withoutDefaults("default_value text default 'd'"), "default_value text")
        XCTAssertEqual(Routine.withoutDefaults("VARIADIC xs int[] DEFAULT ARRAY[1, 2]"), "VARIADIC xs int[]")
    }

    /// With the server's texts on both sides, the differ replaces in place what PostgreSQL allows and drops
    /// and creates what it refuses; an argument type of its own is another function.
    func testTheDifferChoosesReplaceOrRecreate() {
        func routine(_ arguments: String, result: String, definition: String, types: String) -> Routine {
            Routine(
                name: QualifiedName(name: "f"), arguments: arguments, returns: result, body: "",
                catalog: Routine.Catalog(
                    identityArguments: arguments, identityTypes: types, arguments: arguments, result: result,
                    definition: definition))
        }
        func changes(_ declared: Routine, _ live: Routine) -> [String] {
            Differ(desired: Schema(routines: [declared]), live: Schema(routines: [live])).changes().map(\.kindName)
        }
        let live = routine("a integer", result: "integer", definition: "body 1", types: "integer")
        XCTAssertEqual(changes(live, live), [])
        XCTAssertEqual(
            changes(routine("a integer", result: "integer", definition: "body 2", types: "integer"), live),
            ["replace_routine"])
        XCTAssertEqual(
            changes(routine("a integer", result: "bigint", definition: "body 1", types: "integer"), live),
            ["recreate_routine"])
        XCTAssertEqual(
            changes(routine("b integer", result: "integer", definition: "body 1", types: "integer"), live),
            ["recreate_routine"])
        XCTAssertEqual(
            changes(routine("a bigint", result: "integer", definition: "body 1", types: "bigint"), live),
            ["create_routine", "drop_routine"])
    }

    func testASignatureUsingADeclaredTableComesAfterTheTables() throws {
        let schema = try loadValid(
            """
            version: 1
            functions:
              state: { arguments: "job jobs", returns: text, language: sql, body: SELECT 'x' }
              "billing.check": { arguments: "b billing.invoices", returns: text, language: sql, body: SELECT 'x' }
              plain: { arguments: "jobs_count integer", returns: "SETOF text", language: sql, body: SELECT 'x' }
            tables:
              jobs: { columns: { id: integer } }
              billing.invoices: { columns: { id: integer } }
            """)
        let phases = Dictionary(
            uniqueKeysWithValues: Differ(desired: schema, live: Schema()).changes().compactMap { change in
                change.kindName == "create_routine" ? (change.objectName, change.phase) : nil
            })
        XCTAssertEqual(phases["public.state(job jobs)"], .routinesOnTables)
        XCTAssertEqual(phases["billing.\"check\"(b billing.invoices)"], .routinesOnTables)
        XCTAssertEqual(phases["public.plain(jobs_count integer)"], .routines)
    }

    /// Bodies are exported as literal blocks where YAML gives the exact text back, quoted otherwise.
    func testBodiesExportAsBlocksThatReadBackExactly() throws {
        let bodies = [
            "\nBEGIN\n  RETURN 1;\nEND;\n", " SELECT 1 ", "  SELECT 1\n  FROM t\n", "SELECT 1\n\n\n", "a\n  b\nc",
            "\n\n  x\n", "tab\there\n", "carriage\r\nreturn\n", "# not a comment\n- not a list\n", "  \n  x\n",
            "x\n  \n", "ends with spaces   \nsecond   ",
        ]
        for body in bodies {
            let routine = Routine(name: QualifiedName(name: "f"), returns: "integer", language: "sql", body: body)
            let yaml = SchemaWriter.yaml(Schema(routines: [routine]))
            let loaded = try loadValid(yaml)
            XCTAssertEqual(loaded.routines.first?.body, body, yaml)
        }
        let multi = Routine(name: QualifiedName(name: "f"), returns: "void", language: "plpgsql", body: "BEGIN\nEND\n")
        XCTAssertTrue(SchemaWriter.yaml(Schema(routines: [multi])).contains("    body: |\n      BEGIN\n      END\n"))
    }
}
