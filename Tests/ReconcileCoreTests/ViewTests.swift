import XCTest

@testable import ReconcileCore

/// Views and materialized views without a server: loading (and its located errors), SQL rendering, the
/// differ's choice between CREATE OR REPLACE and drop-and-create, the views kept out of a column change's way,
/// their order, and the export reading back to the same schema.
final class ViewTests: XCTestCase {
    private let t = Fixture.name("t")

    func testViewsAndMaterializedViewsLoad() throws {
        let schema = try loadValid(
            """
            version: 1
            tables:
              t: { columns: { id: integer, name: text } }
            views:
              named:
                sql: SELECT id, name FROM t
                columns: [item_id, item_name]
                security_barrier: true
                security_invoker: true
                check_option: LOCAL
                comment: Named ones.
                column_comments: { item_id: The key. }
              reporting.ids: { sql: "SELECT id FROM t;" }
            materialized_views:
              counts:
                sql: SELECT count(*) AS n FROM t
                with_data: false
                indexes:
                  - { columns: [n], unique: true }
            """)
        XCTAssertEqual(schema.schemaNames, ["public", "reporting"])
        XCTAssertEqual(
            schema.views.map(\.description),
            ["materialized view public.counts", "view public.named", "view reporting.ids"])
        let named = schema.views[1]
        XCTAssertEqual(named.columns, ["item_id", "item_name"])
        XCTAssertTrue(named.securityBarrier && named.securityInvoker)
        XCTAssertEqual(named.checkOption, .local)
        XCTAssertEqual(named.comment, "Named ones.")
        XCTAssertEqual(named.columnComments, ["item_id": "The key."])
        let counts = schema.views[0]
        XCTAssertEqual(counts.kind, .materializedView)
        XCTAssertFalse(counts.withData)
        XCTAssertEqual(counts.indexes.map(\.name), ["counts_n_idx"])
        XCTAssertEqual(counts.indexes.first?.isUnique, true)
        XCTAssertEqual(View.trimmedQuery(schema.views[2].query), "SELECT id FROM t")
    }

    func testViewMistakesAreLocatedErrors() {
        XCTAssertEqual(
            loadErrors(
                """
                version: 1
                views:
                  a: { sql: SELECT 1, with_data: false }
                  b: { columns: [x] }
                  c: { sql: SELECT 1, check_option: cascade }
                  d: { sql: SELECT 1, colums: [x] }
                materialized_views:
                  m: { sql: SELECT 1, security_barrier: true }
                  t: { sql: SELECT 1 }
                tables:
                  t: { columns: { id: integer } }
                """),
            [
                "schema.yaml:3:23: error: 'with_data' is for materialized views; a view has no with_data",
                "schema.yaml:4:6: error: view public.b needs 'sql' (the SELECT it shows)",
                "schema.yaml:5:37: error: check_option of view public.c must be local or cascaded, not 'cascade' "
                    + "(did you mean 'cascaded'?)",
                "schema.yaml:6:23: error: unknown key 'colums' in view public.d (did you mean 'columns'?)",
                "schema.yaml:8:23: error: 'security_barrier' is for views; a materialized view has no security_barrier",
                "schema.yaml:9:3: error: materialized view public.t has the name of a table: also at schema.yaml:11:3",
            ])
    }

    func testColumnCommentsOfAViewWithAColumnListNameItsColumns() {
        XCTAssertEqual(
            loadErrors(
                """
                version: 1
                views:
                  v: { sql: "SELECT 1, 2", columns: [a, b], column_comments: { a: x, c: y } }
                """),
            ["schema.yaml:3:70: error: column_comments of view public.v names 'c', which is not among its columns"])
    }

    /// What a view made again gets back is said in its step, and its statements are safe to run twice.
    func testWhatAViewTakesAlongIsRestoredAndSummarised() {
        var view = View(name: Fixture.name("v"), query: "SELECT 1 AS a")
        XCTAssertNil(view.restoringSummary)
        view.restoring = [
            "CREATE TRIGGER v_ins INSTEAD OF INSERT ON public.v FOR EACH ROW EXECUTE FUNCTION f()",
            "CREATE RULE r AS\n    ON DELETE TO public.v DO INSTEAD NOTHING;",
            "GRANT SELECT ON public.v TO reader", "GRANT UPDATE (a) ON public.v TO reader",
            "ALTER VIEW public.v OWNER TO app",
        ].map(View.idempotentRestoring)
        XCTAssertEqual(view.restoring[0].prefix(35), "CREATE OR REPLACE TRIGGER v_ins INS")
        XCTAssertEqual(view.restoring[1], "CREATE OR REPLACE RULE r AS\n    ON DELETE TO public.v DO INSTEAD NOTHING")
        XCTAssertEqual(view.restoringSummary, "its trigger, rule, 2 grants and owner")
        XCTAssertEqual(
            ViewChange.createView(view, reads: [], again: true).summary,
            "create view public.v again, with its trigger, rule, 2 grants and owner")
        XCTAssertEqual(Array(SQLRenderer.viewStatements(view).suffix(5)), view.restoring)
    }

    func testAViewDeclaredTwiceAcrossKindsIsAnError() {
        let errors = loadErrors(
            """
            version: 1
            views:
              v: { sql: SELECT 1 }
            materialized_views:
              v: { sql: SELECT 2 }
            """)
        XCTAssertEqual(
            errors, ["schema.yaml:5:3: error: materialized view public.v is declared twice: also at schema.yaml:3:3"])
    }

    func testSQL() {
        let view = View(
            name: Fixture.name("named"), query: "SELECT id, name FROM t;\n", columns: ["a", "b"],
            securityBarrier: true, checkOption: .cascaded, comment: "it's")
        XCTAssertEqual(
            SQLRenderer.createView(view),
            "CREATE VIEW \"public\".\"named\" (\"a\", \"b\") WITH (check_option=cascaded, security_barrier=true) AS\n"
                + "SELECT id, name FROM t")
        XCTAssertEqual(
            SQLRenderer.createView(view, orReplace: true).prefix(31), "CREATE OR REPLACE VIEW \"public\"")
        XCTAssertEqual(
            SQLRenderer.createView(view, as: QualifiedName(schema: "pg_temp", name: "named"), temporary: true)
                .prefix(34), "CREATE TEMPORARY VIEW \"named\" (\"a\"")
        XCTAssertEqual(
            Change(.view(.createView(view, reads: [t], again: false))).statements.last,
            "COMMENT ON VIEW \"public\".\"named\" IS 'it''s'")
        var counts = View(
            kind: .materializedView, name: Fixture.name("counts"), query: "SELECT count(*) AS n FROM t",
            withData: false, indexes: [Index(name: "counts_n", keys: [.column("n")], isUnique: true)])
        XCTAssertEqual(
            Change(.view(.createView(counts, reads: [t], again: false))).statements,
            [
                "CREATE MATERIALIZED VIEW IF NOT EXISTS \"public\".\"counts\" AS\nSELECT count(*) AS n FROM t\nWITH NO DATA",
                "CREATE UNIQUE INDEX IF NOT EXISTS \"counts_n\" ON \"public\".\"counts\" USING btree (\"n\")",
            ])
        counts.withData = true
        XCTAssertTrue(SQLRenderer.createView(counts).hasSuffix("\nWITH DATA"))
        // A scratch copy of a materialized view is a plain temporary view: only the query is compared.
        XCTAssertEqual(
            SQLRenderer.createView(counts, as: QualifiedName(schema: "pg_temp", name: "counts"), temporary: true),
            "CREATE TEMPORARY VIEW \"counts\" AS\nSELECT count(*) AS n FROM t")
        XCTAssertEqual(
            Change(.view(.dropView(counts, reason: .undeclared))).statements,
            ["DROP MATERIALIZED VIEW IF EXISTS \"public\".\"counts\""])
        XCTAssertTrue(Change(.view(.dropView(counts, reason: .undeclared))).isDestructive)
        XCTAssertFalse(Change(.view(.dropView(counts, reason: .recreated("x")))).isDestructive)
        // Creating a view reads its tables (ACCESS SHARE); dropping one locks only the view.
        XCTAssertEqual(Change(.view(.createView(counts, reads: [t], again: false))).lock, .accessShare)
        XCTAssertEqual(Change(.view(.createView(counts, reads: [], again: false))).lock, .none)
        XCTAssertEqual(Change(.view(.dropView(counts, reason: .undeclared))).lock, .none)
    }

    /// A live view as the introspector reads it: its query is `pg_get_viewdef`'s, and the catalog says what it reads.
    private func liveView(
        _ name: String, _ query: String, columns: [(String, String)], reads: [(QualifiedName, [String])] = [],
        kind: View.Kind = .view, schema: String = "public"
    ) -> View {
        View(
            kind: kind, name: Fixture.name(name, schema: schema), query: query,
            catalog: View.Catalog(
                definition: query, columns: columns.map { View.Column(name: $0.0, type: $0.1) },
                dependencies: reads.map { View.Dependency(relation: $0.0, columns: $0.1) }))
    }

    private func changes(desired: [View], live: [View], dependent: [View] = [], tables: [Table]) -> [String] {
        var desiredSchema = Schema(tables: tables, views: desired)
        desiredSchema.schemaNames = ["public"]
        var liveSchema = Schema(schemaNames: ["public"], tables: tables, views: live)
        liveSchema.dependentViews = dependent
        return Differ(desired: desiredSchema, live: liveSchema).changes().map(\.summary)
    }

    func testTheDifferReplacesWhereItCanAndMakesAgainWhereItMust() {
        let table = Table(name: t, columns: [Column(name: "id", type: "integer"), Column(name: "name", type: "text")])
        let live = liveView("v", "SELECT t.id FROM t", columns: [("id", "integer")], reads: [(t, ["id"])])
        func declared(_ query: String, _ columns: [(String, String)]) -> View {
            var view = liveView("v", query, columns: columns, reads: [(t, ["id", "name"])])
            view.query = query
            return view
        }
        XCTAssertEqual(
            changes(desired: [declared("SELECT t.id FROM t", [("id", "integer")])], live: [live], tables: [table]), [])
        XCTAssertEqual(
            changes(
                desired: [declared("SELECT t.id, t.name FROM t", [("id", "integer"), ("name", "text")])], live: [live],
                tables: [table]),
            ["replace view public.v (CREATE OR REPLACE)"])
        XCTAssertEqual(
            changes(desired: [declared("SELECT t.name FROM t", [("name", "text")])], live: [live], tables: [table]),
            [
                "drop view public.v to create it again: columns (id integer) → (name text)",
                "create view public.v again",
            ])
        var barrier = declared("SELECT t.id FROM t", [("id", "integer")])
        barrier.securityBarrier = true
        XCTAssertEqual(
            changes(desired: [barrier], live: [live], tables: [table]), ["replace view public.v (CREATE OR REPLACE)"])
        var commented = declared("SELECT t.id FROM t", [("id", "integer")])
        commented.comment = "ids"
        XCTAssertEqual(changes(desired: [commented], live: [live], tables: [table]), ["comment on view public.v"])
        // A materialized view changes only by being made again.
        var liveCounts = liveView(
            "counts", "SELECT count(*) AS n FROM t", columns: [("n", "bigint")], reads: [(t, [])],
            kind: .materializedView)
        var declaredCounts = liveCounts
        declaredCounts.indexes = [Index(name: "counts_n_idx", keys: [.column("n")], isUnique: true)]
        XCTAssertEqual(
            changes(desired: [declaredCounts], live: [liveCounts], tables: [table]),
            [
                "drop materialized view public.counts to create it again: a materialized view changes only by being "
                    + "made again",
                "create materialized view public.counts again",
            ])
        // The same index read back from the server is no difference.
        liveCounts.indexes = [
            Index(
                name: "counts_n_idx", keys: [.column("n")], isUnique: true, canonicalDefinition: "USING btree (n)")
        ]
        XCTAssertEqual(changes(desired: [declaredCounts], live: [liveCounts], tables: [table]), [])
        // An undeclared view goes only as a destructive step.
        XCTAssertEqual(
            changes(desired: [], live: [live], tables: [table]),
            ["drop view public.v (not declared in the schema file)"])
    }

    func testViewsAreKeptOutOfAColumnTypeChangeAndCreatedAgainAfterIt() throws {
        let old = Table(name: t, columns: [Column(name: "id", type: "integer"), Column(name: "name", type: "text")])
        var new = old
        new.columns[0].type = "bigint"
        let ids = liveView("ids", "SELECT t.id FROM t", columns: [("id", "integer")], reads: [(t, ["id"])])
        let names = liveView("names", "SELECT t.name FROM t", columns: [("name", "text")], reads: [(t, ["name"])])
        let onIds = liveView(
            "on_ids", "SELECT ids.id FROM ids", columns: [("id", "integer")], reads: [(Fixture.name("ids"), ["id"])],
            schema: "reporting")
        var desired = Schema(tables: [new], views: [ids, names])
        desired.schemaNames = ["public"]
        var live = Schema(schemaNames: ["public"], tables: [old], views: [ids, names])
        live.dependentViews = [onIds]
        let plan = Planner.plan(Differ(desired: desired, live: live).changes(), allowDestructive: false)
        XCTAssertEqual(
            plan.steps.map(\.summary),
            [
                "drop view reporting.on_ids until it is created again: it reads view public.ids, which is made again",
                "drop view public.ids until it is created again: it reads column public.t.id, whose type changes",
                "change type of id: integer → bigint",
                "create view public.ids again",
                "create view reporting.on_ids again as it was (not managed by the schema file)",
            ])
        XCTAssertEqual(
            plan.steps.last?.statements, ["CREATE OR REPLACE VIEW \"reporting\".\"on_ids\" AS\nSELECT ids.id FROM ids"])
    }

    /// A function dropped and created again takes the views that call it along (one elsewhere too, made again
    /// as it was); a domain made again, the views that use it; an attribute retyped, only the materialized views
    /// with a column of the type (PostgreSQL lets a plain view refer to it).
    func testViewsAreKeptOutOfAFunctionOrTypeMadeAgain() {
        let table = Table(name: t, columns: [Column(name: "id", type: "integer")])
        func routine(result: String) -> Routine {
            Routine(
                name: QualifiedName(name: "twice"), arguments: "n integer", returns: result, body: "SELECT n * 2",
                catalog: Routine.Catalog(
                    identityArguments: "n integer", identityTypes: "integer", arguments: "n integer", result: result,
                    definition: "returns \(result)"))
        }
        func using(_ name: String, kind: View.Kind = .view, schema: String = "public", routine: Bool) -> View {
            var view = liveView(
                name, "SELECT x FROM t", columns: [("x", "integer")], reads: [(t, ["id"])], kind: kind, schema: schema)
            if routine {
                view.catalog?.routines = [RoutineKey(name: QualifiedName(name: "twice"), identityTypes: "integer")]
            } else {
                view.catalog?.types = [QualifiedName(name: "code")]
            }
            return view
        }
        let calls = using("calls", routine: true), elsewhere = using("calls", schema: "reporting", routine: true)
        var desired = Schema(tables: [table], routines: [routine(result: "bigint")], views: [calls])
        desired.schemaNames = ["public"]
        var live = Schema(
            schemaNames: ["public"], tables: [table], routines: [routine(result: "integer")], views: [calls])
        live.dependentViews = [elsewhere]
        XCTAssertEqual(
            Planner.plan(Differ(desired: desired, live: live).changes(), allowDestructive: false).steps.map(\.summary),
            [
                "drop view reporting.calls until it is created again: it calls function public.twice(n integer), "
                    + "which is made again",
                "drop view public.calls until it is created again: it calls function public.twice(n integer), "
                    + "which is made again",
                "drop and create function public.twice(n integer): result integer → bigint",
                "create view public.calls again",
                "create view reporting.calls again as it was (not managed by the schema file)",
            ])

        let plain = using("plain", routine: false), stored = using("stored", kind: .materializedView, routine: false)
        let change = { (kind: TypeChange) in
            ViewDiffer(
                desired: Schema(views: [plain, stored]), canonical: Schema(views: [plain, stored]),
                live: Schema(views: [plain, stored]), otherChanges: [Change(.type(kind))]
            ).changes().map(\.summary)
        }
        let code = QualifiedName(name: "code")
        XCTAssertEqual(
            change(.replaceDomain(Domain(name: code, baseType: "text"), reason: "base type")),
            [
                "drop materialized view public.stored until it is created again: it uses domain public.code, "
                    + "which is made again",
                "drop view public.plain until it is created again: it uses domain public.code, which is made again",
                "create view public.plain again", "create materialized view public.stored again",
            ])
        XCTAssertEqual(
            change(.alterAttributeType(code, CompositeAttribute(name: "a", type: "bigint"), from: "integer")),
            [
                "drop materialized view public.stored until it is created again: it uses type public.code, "
                    + "which changes",
                "create materialized view public.stored again",
            ])
        XCTAssertEqual(change(.addAttribute(code, CompositeAttribute(name: "b", type: "text"))), [])
    }

    func testAnExcludedViewIsLeftAloneButMadeAgainAroundAChange() {
        let old = Table(name: t, columns: [Column(name: "id", type: "integer"), Column(name: "note", type: "text")])
        var new = old
        new.columns[0].type = "bigint"
        let ids = liveView("tmp_ids", "SELECT t.id FROM t", columns: [("id", "integer")], reads: [(t, ["id"])])
        var desired = Schema(tables: [new])
        desired.schemaNames = ["public"]
        let filter = TableFilter(exclude: ["public.tmp_*"])
        let live = filter.apply(Schema(schemaNames: ["public"], tables: [old], views: [ids]))
        XCTAssertEqual(live.views, [])
        XCTAssertEqual(live.dependentViews.map(\.name), [ids.name])
        XCTAssertEqual(
            Planner.plan(Differ(desired: desired, live: live).changes(), allowDestructive: false).steps.map(\.summary),
            [
                "drop view public.tmp_ids until it is created again: it reads column public.t.id, whose type changes",
                "change type of id: integer → bigint",
                "create view public.tmp_ids again as it was (not managed by the schema file)",
            ])
        // One that reads a column the plan drops cannot be made again: it stays, for pre-flight to name.
        let notes = liveView("tmp_notes", "SELECT t.note FROM t", columns: [("note", "text")], reads: [(t, ["note"])])
        var withoutNote = old
        withoutNote.columns.removeLast()
        desired = Schema(tables: [withoutNote])
        desired.schemaNames = ["public"]
        let liveWithNotes = filter.apply(Schema(schemaNames: ["public"], tables: [old], views: [notes]))
        XCTAssertEqual(
            Planner.plan(Differ(desired: desired, live: liveWithNotes).changes(), allowDestructive: true).steps
                .map(\.summary),
            ["drop column note"])
    }

    func testANewViewOnAReplacedViewComesAfterTheReplacement() {
        let table = Table(name: t, columns: [Column(name: "id", type: "integer"), Column(name: "name", type: "text")])
        let live = liveView("a_base", "SELECT t.id FROM t", columns: [("id", "integer")], reads: [(t, ["id"])])
        var wider = liveView(
            "a_base", "SELECT t.id, t.name FROM t", columns: [("id", "integer"), ("name", "text")],
            reads: [(t, ["id", "name"])])
        wider.comment = "wider"
        // Named so that name order alone would put the new view first.
        let reader = View(name: Fixture.name("0_names"), query: "SELECT name FROM a_base")
        XCTAssertEqual(
            changes(desired: [wider, reader], live: [live], tables: [table]),
            [
                "replace view public.a_base (CREATE OR REPLACE)", "comment on view public.a_base",
                "create view public.\"0_names\"",
            ])
    }

    func testNewViewsComeAfterTheViewsTheirQueriesName() {
        let views = [
            View(name: Fixture.name("a_top"), query: "SELECT * FROM public.m_middle"),
            View(name: Fixture.name("m_middle"), query: "SELECT * FROM \"z_base\" WHERE x = 'a_top'"),
            View(name: Fixture.name("z_base"), query: "SELECT 1 AS x -- m_middle"),
        ]
        XCTAssertEqual(View.creationOrder(views).map(\.name.name), ["z_base", "m_middle", "a_top"])
        XCTAssertEqual(
            SQLScanning.words(in: "SELECT a.\"B c\", x FROM s.t -- note\nWHERE y = 'z'"),
            ["select", "a.B c", "x", "from", "s.t", "where", "y"])
    }

    func testTheExportReadsBack() throws {
        var view = View(
            name: Fixture.name("named"), query: "SELECT t.id,\n    t.name\n   FROM t", securityBarrier: true,
            checkOption: .local, comment: "Named.")
        view.columnComments = ["name": "Shown: yes", "id": "key"]
        let counts = View(
            kind: .materializedView, name: Fixture.name("counts", schema: "reporting"),
            query: "SELECT count(*) AS n\n   FROM named", withData: false,
            indexes: [Index(name: "counts_n_idx", keys: [.column("n")], isUnique: true)])
        let table = Table(name: t, columns: [Column(name: "id", type: "integer"), Column(name: "name", type: "text")])
        let yaml = SchemaWriter.yaml(Schema(tables: [table], views: [view, counts]))
        XCTAssertTrue(yaml.contains("views:\n  named:\n    check_option: local\n"), yaml)
        let loaded = try loadValid(yaml)
        XCTAssertEqual(loaded.views.map(\.query), [view.query, counts.query])
        XCTAssertEqual(loaded.views[0].securityBarrier, true)
        XCTAssertEqual(loaded.views[0].checkOption, .local)
        XCTAssertEqual(loaded.views[0].columnComments, view.columnComments)
        XCTAssertEqual(loaded.views[1].withData, false)
        XCTAssertEqual(loaded.views[1].indexes.map(\.name), ["counts_n_idx"])
        XCTAssertEqual(SchemaWriter.yaml(loaded), yaml)
    }
}
