import XCTest

@testable import ReconcileCore

/// Triggers without a server: loading (and its located errors), SQL rendering, reading the condition back
/// from `pg_get_triggerdef`, the differ, and the export's fields reading back to the same trigger.
final class TriggerTests: XCTestCase {
    func testTriggersLoad() throws {
        let schema = try loadValid(
            """
            version: 1
            tables:
              posts:
                columns: { id: integer, title: text, search: tsvector }
                triggers:
                  posts_search:
                    timing: BEFORE
                    events: [insert]
                    update_of: [title]
                    for_each: row
                    function: pg_catalog.tsvector_update_trigger
                    arguments: [search, pg_catalog.english, title]
                  posts_audit: { timing: instead_of, events: [delete, truncate, insert], function: audit, comment: x }
            """)
        let triggers = schema.tables[0].triggers
        XCTAssertEqual(triggers.map(\.name), ["posts_search", "posts_audit"])
        XCTAssertEqual(triggers[0].timing, .before)
        XCTAssertEqual(triggers[0].events, [.insert, .update], "update_of implies the update event")
        XCTAssertEqual(triggers[0].updateColumns, ["title"])
        XCTAssertTrue(triggers[0].forEachRow)
        XCTAssertEqual(triggers[0].function, QualifiedName(schema: "pg_catalog", name: "tsvector_update_trigger"))
        XCTAssertEqual(triggers[0].arguments, ["search", "pg_catalog.english", "title"])
        XCTAssertEqual(triggers[1].timing, .insteadOf)
        XCTAssertEqual(triggers[1].events, [.insert, .delete, .truncate], "in pg_get_triggerdef's order")
        XCTAssertFalse(triggers[1].forEachRow)
        XCTAssertEqual(triggers[1].function, QualifiedName(name: "audit"))
        XCTAssertEqual(triggers[1].comment, "x")
    }

    func testTriggerMistakesAreLocatedErrors() {
        XCTAssertEqual(
            loadErrors(
                """
                version: 1
                tables:
                  t:
                    columns: { a: text }
                    triggers:
                      one: { timing: during, events: [insert], function: f }
                      two: { timing: after, events: [upsert], for_each: rows, function: f }
                      three: { timing: after, events: [update] }
                      four: { timing: after, update_of: [b], function: "a.b.c", fucntion: f }
                """),
            [
                "schema.yaml:6:22: error: timing of trigger one of public.t must be before, after or instead of, "
                    + "not 'during'",
                "schema.yaml:6:7: error: trigger one of public.t needs 'timing' (before, after or instead of)",
                "schema.yaml:7:37: error: events of trigger two of public.t are insert, update, delete or "
                    + "truncate, not 'upsert' (did you mean 'insert'?)",
                "schema.yaml:7:57: error: for_each of trigger two of public.t must be row or statement, not 'rows'",
                "schema.yaml:7:7: error: trigger two of public.t needs 'events' (insert, update, delete, truncate)",
                "schema.yaml:8:7: error: trigger three of public.t needs 'function', the trigger function to execute",
                "schema.yaml:9:65: error: unknown key 'fucntion' in trigger four of public.t (did you mean "
                    + "'function'?)",
                "schema.yaml:9:56: error: function of trigger four of public.t: 'a.b.c' has 3 dotted parts; write "
                    + "schema.table, or double-quote a name containing a dot; write [schema.]name",
                "schema.yaml:9:7: error: trigger four of public.t needs 'function', the trigger function to execute",
            ])
        XCTAssertEqual(
            loadErrors(
                """
                version: 1
                tables:
                  t:
                    columns: { a: text }
                    triggers:
                      five: { timing: after, update_of: [b], function: f }
                """),
            [
                "schema.yaml:3:3: error: update_of of trigger five of public.t names unknown column 'b' (did you mean 'a'?)"
            ])
    }

    func testRenamedFromCannotBeTheTriggersOwnName() {
        XCTAssertEqual(
            loadErrors(
                """
                version: 1
                tables:
                  t:
                    columns: { a: integer }
                    triggers:
                      t_a: { renamed_from: t_a, timing: before, events: [insert], function: f }
                """),
            ["schema.yaml:6:28: error: renamed_from of trigger t_a of public.t is its own name"])
    }

    func testCreateStatementQuotesEveryNameAndArgument() {
        let trigger = Trigger(
            name: "Audit Me", timing: .after, events: [.delete, .update, .insert], updateColumns: ["status", "Odd"],
            forEachRow: true, when: "NEW.status IS DISTINCT FROM OLD.status",
            function: QualifiedName(schema: "app", name: "audit"), arguments: ["it's", "two words"])
        XCTAssertEqual(
            SQLRenderer.createTrigger(trigger, on: QualifiedName(name: "orders")),
            #"CREATE OR REPLACE TRIGGER "Audit Me" AFTER INSERT OR UPDATE OF "status", "Odd" OR DELETE ON "public"."orders" "#
                + #"FOR EACH ROW WHEN (NEW.status IS DISTINCT FROM OLD.status) EXECUTE FUNCTION "app"."audit"('it''s', 'two words')"#
        )
        let table = QualifiedName(name: "orders")
        XCTAssertEqual(
            Change(.trigger(.dropTrigger(table, name: "Audit Me"))).statements,
            [#"DROP TRIGGER IF EXISTS "Audit Me" ON "public"."orders""#])
        XCTAssertEqual(
            Change(.trigger(.setTriggerComment(table, name: "t", comment: nil))).statements,
            [#"COMMENT ON TRIGGER "t" ON "public"."orders" IS NULL"#])
        XCTAssertTrue(Change(.trigger(.dropTrigger(table, name: "t"))).isDestructive)
        XCTAssertEqual(Change(.trigger(.createTrigger(table, trigger))).lock, .shareRowExclusive)
    }

    func testTheConditionIsReadBackFromTheDefinition() {
        XCTAssertEqual(
            CatalogText.triggerCondition(
                "CREATE TRIGGER t AFTER INSERT ON $table FOR EACH ROW WHEN ((new.a > 0)) EXECUTE FUNCTION f()"),
            "(new.a > 0)")
        XCTAssertNil(
            CatalogText.triggerCondition(
                "CREATE TRIGGER \"x WHEN (y\" AFTER INSERT ON $table FOR EACH STATEMENT EXECUTE FUNCTION f(' WHEN (')"))
        XCTAssertEqual(
            CatalogText.triggerCondition(
                "CREATE TRIGGER t AFTER UPDATE ON $table FOR EACH STATEMENT WHEN ((')' = ')')) EXECUTE FUNCTION f()"),
            "(')' = ')')")
    }

    /// Compared by the server's text when both sides have it, by the declared fields otherwise; an undeclared
    /// live trigger is dropped, a new one created.
    func testTheDifferComparesTriggersByName() {
        let base = Trigger(name: "t", timing: .before, events: [.update], function: QualifiedName(name: "f"))
        func changes(_ declared: [Trigger], _ live: [Trigger]) -> [String] {
            var desired = Table(name: QualifiedName(name: "x"), columns: [Column(name: "a", type: "integer")])
            var current = desired
            desired.triggers = declared
            current.triggers = live
            return Differ(desired: Schema(tables: [desired]), live: Schema(tables: [current])).changes().map(\.kindName)
        }
        XCTAssertEqual(changes([base], [base]), [])
        var other = base
        other.forEachRow = true
        XCTAssertEqual(changes([other], [base]), ["replace_trigger"])
        var spelled = base, live = base
        spelled.when = "NEW.a > 0"
        spelled.definition = "same"
        live.when = "(new.a > 0)"
        live.definition = "same"
        XCTAssertEqual(changes([spelled], [live]), [], "the server's texts decide when both are known")
        var commented = base
        commented.comment = "c"
        XCTAssertEqual(changes([commented], [base]), ["set_trigger_comment"])
        XCTAssertEqual(changes([], [base]), ["drop_trigger"])
        XCTAssertEqual(changes([base], []), ["create_trigger"])

        // renamed_from: renamed, then compared under the new name (the server's text too), never dropped.
        var renamed = base, old = base
        renamed.name = "t2"
        renamed.renamedFrom = "t"
        renamed.definition = "CREATE TRIGGER t2 BEFORE UPDATE ON $table FOR EACH STATEMENT EXECUTE FUNCTION f()"
        old.definition = "CREATE TRIGGER t BEFORE UPDATE ON $table FOR EACH STATEMENT EXECUTE FUNCTION f()"
        XCTAssertEqual(changes([renamed], [old]), ["rename_trigger"])
        XCTAssertEqual(changes([renamed], [old, renamed]), ["drop_trigger"], "done: the old one is just undeclared")
        var quoted = old
        quoted.name = "Old T"
        quoted.definition = #"CREATE TRIGGER "Old T" BEFORE UPDATE ON $table FOR EACH STATEMENT EXECUTE FUNCTION f()"#
        renamed.renamedFrom = "Old T"
        XCTAssertEqual(changes([renamed], [quoted]), ["rename_trigger"])
        XCTAssertEqual(
            TriggerDiffer.renaming(quoted.definition!, from: "Old T", to: "new"),
            "CREATE TRIGGER new BEFORE UPDATE ON $table FOR EACH STATEMENT EXECUTE FUNCTION f()")
    }

    func testExportedTriggersReadBackTheSame() throws {
        var table = Table(name: QualifiedName(name: "t"), columns: [Column(name: "a", type: "text")])
        table.triggers = [
            Trigger(
                name: "Odd \"name\"", timing: .insteadOf, events: [.insert, .update], updateColumns: ["a"],
                forEachRow: true, when: "(new.a <> 'x, y')", function: QualifiedName(schema: "s p", name: "f"),
                arguments: ["", "it's"], comment: "c"),
            Trigger(name: "plain", timing: .after, events: [.truncate], function: QualifiedName(name: "g")),
        ]
        let yaml = SchemaWriter.yaml(Schema(tables: [table]))
        XCTAssertEqual(try loadValid(yaml).tables[0].triggers.sorted { $0.name < $1.name }, table.triggers, yaml)
    }
}
