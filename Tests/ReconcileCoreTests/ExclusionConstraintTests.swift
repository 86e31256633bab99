import XCTest

@testable import ReconcileCore

/// Exclusion constraints without a database: the two YAML forms, the loader's diagnostics, the differ's
/// decisions, the pre-flight query and the export text. Against a real server: Cases/exclusion.yaml,
/// ExportRoundTripTests and CorpusTests.
final class ExclusionConstraintTests: XCTestCase {
    private let t = Fixture.name("bookings")

    private func bookings(
        _ exclusions: String, columns: String = "room: integer, during: tstzrange, ok: boolean"
    )
        -> String
    {
        """
        version: 1
        tables:
          bookings:
            columns: { id: integer, \(columns) }
            exclusions:
        \(exclusions)
        """
    }

    // MARK: - Loading

    func testBothFormsAreRead() throws {
        let schema = try loadValid(
            bookings(
                """
                      plain: "USING gist (room WITH =, during WITH &&)"
                      later: { definition: "using gist (during with &&) where (ok)", deferrable: true }
                      latest: { definition: "(room WITH =)", initially_deferred: true }
                """))
        XCTAssertEqual(
            schema.tables.first?.exclusions,
            [
                ExclusionConstraint(name: "plain", definition: "USING gist (room WITH =, during WITH &&)"),
                ExclusionConstraint(
                    name: "later", definition: "using gist (during with &&) where (ok)",
                    deferral: .deferrable),
                ExclusionConstraint(name: "latest", definition: "(room WITH =)", deferral: .initiallyDeferred),
            ])
        XCTAssertEqual(schema.tables.first?.constraintNames, ["plain", "later", "latest"])
    }

    func testMistakesAreReportedWhereTheyAre() {
        XCTAssertEqual(
            loadErrors(
                bookings(
                    """
                          a: "EXCLUDE USING gist (during WITH &&)"
                          b: "USING gist (during WITH &&) DEFERRABLE"
                          c: "USING gist (during &&)"
                          d: "USING gist (during WITH &&"
                          e: "USING gist (during WITH &&) USING INDEX TABLESPACE fast"
                          f: "USING gist (during WITH &&) WHERE ok"
                          g: { deferrable: true }
                          h: { definition: "USING gist (during WITH &&)", initialy_deferred: true }
                          i: "USING gist (rooom WITH =, lower(during) WITH =, \\"Room\\" WITH =, Room WITH =)"
                          j: [during]
                    """)),
            [
                "schema.yaml:6:10: error: exclusion constraint a of public.bookings: write the text after EXCLUDE, as in "
                    + "'USING gist (room_id WITH =, during WITH &&)'",
                "schema.yaml:7:10: error: exclusion constraint b of public.bookings: write 'deferrable: true' or "
                    + "'initially_deferred: true' beside 'definition' instead of in the text",
                "schema.yaml:8:10: error: exclusion constraint c of public.bookings is not [USING method] (element WITH "
                    + "operator, ...) [INCLUDE (...)] [WITH (...)] [WHERE (...)]: element 'during &&' needs "
                    + "'WITH operator', as in 'during WITH &&'",
                "schema.yaml:9:10: error: exclusion constraint d of public.bookings is not [USING method] (element WITH "
                    + "operator, ...) [INCLUDE (...)] [WITH (...)] [WHERE (...)]: it needs the elements in parentheses "
                    + "after the method, as in 'USING gist (room_id WITH =, during WITH &&)'",
                "schema.yaml:10:10: error: exclusion constraint e of public.bookings is not [USING method] (element WITH "
                    + "operator, ...) [INCLUDE (...)] [WITH (...)] [WHERE (...)]: 'USING INDEX TABLESPACE fast' is not "
                    + "INCLUDE (...), WITH (...) or WHERE (...)",
                "schema.yaml:11:10: error: exclusion constraint f of public.bookings is not [USING method] (element WITH "
                    + "operator, ...) [INCLUDE (...)] [WITH (...)] [WHERE (...)]: the predicate after WHERE goes in "
                    + "parentheses, as in 'WHERE (NOT cancelled)'",
                "schema.yaml:12:10: error: exclusion constraint g of public.bookings needs 'definition'",
                "schema.yaml:13:55: error: unknown key 'initialy_deferred' in exclusion constraint h of public.bookings "
                    + "(did you mean 'initially_deferred'?)",
                "schema.yaml:15:10: error: definition of exclusion constraint j of public.bookings must be a single "
                    + "value, not a list",
                "schema.yaml:14:10: error: exclusion constraint i of public.bookings names unknown column 'rooom' "
                    + "(did you mean 'room'?)",
                "schema.yaml:14:10: error: exclusion constraint i of public.bookings names unknown column 'Room' "
                    + "(did you mean 'room'?)",
            ])
    }

    func testNamesAreSharedWithOtherConstraintsAndWithRelations() {
        XCTAssertEqual(
            loadErrors(
                bookings(
                    """
                          bookings_check: "USING gist (during WITH &&)"
                          bookings_idx: "USING gist (during WITH &&)"
                        checks:
                          bookings_check: id > 0
                        indexes:
                          - { name: bookings_idx, columns: [room] }
                    """)),
            [
                "schema.yaml:3:3: error: constraint name 'bookings_check' is used twice in public.bookings",
                "schema.yaml:3:3: error: the name 'bookings_idx' is used twice in schema public (also by public.bookings); "
                    + "indexes and tables share one namespace",
            ])
    }

    // MARK: - Differ

    private func table(_ exclusions: [ExclusionConstraint]) -> Table {
        var table = Table(
            name: t,
            columns: [
                Column(name: "room", type: "integer"),
                Column(name: "during", type: "tstzrange"),
            ])
        table.exclusions = exclusions
        return table
    }

    func testTheDifferAddsReplacesRenamesAndDrops() {
        let overlap = ExclusionConstraint(name: "no_overlap", definition: "USING gist (room WITH =, during WITH &&)")
        XCTAssertEqual(diffKinds(desired: [table([overlap])], live: [table([overlap])]), [])
        XCTAssertEqual(
            diffKinds(desired: [table([overlap])], live: [table([])]),
            [.constraint(.addExclusion(t, overlap))])

        var predicate = overlap
        predicate.definition += " WHERE (room > 0)"
        XCTAssertEqual(
            diffKinds(desired: [table([predicate])], live: [table([overlap])]),
            [
                .constraint(.dropConstraint(t, name: "no_overlap", replaced: true)),
                .constraint(.addExclusion(t, predicate)),
            ])
        var deferred = overlap
        deferred.deferral = .deferrable
        XCTAssertEqual(
            diffKinds(desired: [table([deferred])], live: [table([overlap])]),
            [
                .constraint(.dropConstraint(t, name: "no_overlap", replaced: true)),
                .constraint(.addExclusion(t, deferred)),
            ])

        var renamed = overlap
        renamed.name = "old_name"
        XCTAssertEqual(
            diffKinds(desired: [table([overlap])], live: [table([renamed])]),
            [.constraint(.renameConstraint(t, from: "old_name", to: "no_overlap"))])
        XCTAssertEqual(
            diffKinds(desired: [table([])], live: [table([overlap])]),
            [.constraint(.dropConstraint(t, name: "no_overlap", replaced: false))])
    }

    func testANewTableCreatesItsExclusionConstraintsInline() {
        let overlap = ExclusionConstraint(
            name: "no_overlap", definition: "USING gist (during WITH &&)",
            deferral: .deferrable)
        let statements = Change(.table(.createTable(table([overlap]), inlineForeignKeys: []))).statements
        XCTAssertEqual(
            statements.first,
            """
            CREATE TABLE IF NOT EXISTS "public"."bookings" (
                "room" integer,
                "during" tstzrange,
                CONSTRAINT "no_overlap" EXCLUDE USING gist (during WITH &&) DEFERRABLE
            )
            """)
    }

    /// Only the catalog's own text proves two definitions equal without the server.
    func testCatalogSpellingNeedsTheServerUnlessTheTextIsTheCatalogs() {
        let live = table([ExclusionConstraint(name: "x", definition: "USING gist (room WITH =, during WITH &&)")])
        XCTAssertNotNil(CatalogSpelling.canonical(live, live: live))
        let typed = table([ExclusionConstraint(name: "x", definition: "using gist (room with =, during with &&)")])
        XCTAssertNil(CatalogSpelling.canonical(typed, live: live))
    }

    // MARK: - Pre-flight

    func testConflictingPairsAreCountedWithEachElementsOperator() throws {
        let probe = try XCTUnwrap(
            ConstraintChange.conflictingPairs(
                "\"public\".\"bookings\" AS t",
                "USING gist (room WITH =, \"Odd\" DESC WITH OPERATOR(pg_catalog.&&), lower(during) WITH &&) "
                    + "INCLUDE (ok) WITH (fillfactor='70') WHERE ((ok AND (room > 0)))"))
        XCTAssertEqual(
            probe.query,
            "WITH x AS (SELECT row_number() OVER () AS r, (room) AS e0, (\"Odd\") AS e1, "
                + "(lower(during)) AS e2 FROM \"public\".\"bookings\" AS t WHERE ((ok AND (room > 0)))) "
                + "SELECT count(*) FROM x AS a JOIN x AS b ON a.r < b.r AND a.e0 = b.e0 "
                + "AND a.e1 OPERATOR(pg_catalog.&&) b.e1 AND a.e2 && b.e2")
        XCTAssertEqual(probe.elements, "room WITH =, \"Odd\" WITH OPERATOR(pg_catalog.&&), lower(during) WITH &&")
        XCTAssertTrue(probe.hashable)
        XCTAssertEqual(
            ConstraintChange.conflictingPairs("\"public\".\"bookings\" AS t", "USING gist (during WITH &&)")?.hashable,
            false)
        // An operator class or collation after the column cannot be evaluated as an expression.
        XCTAssertNil(
            ConstraintChange.conflictingPairs("\"public\".\"bookings\" AS t", "USING gist (during range_ops WITH &&)"))
        XCTAssertNil(
            ConstraintChange.conflictingPairs("\"public\".\"bookings\" AS t", "USING gist (name COLLATE \"C\" WITH =)"))
    }

    /// Without `=`, counting pairs compares every pair: only on a table known to be small.
    func testAPairProbeWithoutEqualityNeedsASmallTable() {
        let overlap = Change(
            .constraint(
                .addExclusion(
                    t,
                    ExclusionConstraint(
                        name: "x", definition: "USING gist (during WITH &&)"))))
        let keyed = Change(
            .constraint(
                .addExclusion(
                    t,
                    ExclusionConstraint(
                        name: "x", definition: "USING gist (room WITH =, during WITH &&)"))))
        var live = table([])
        for rows in [nil, ConstraintChange.pairProbeRowLimit + 1] {
            live.estimatedRows = rows
            XCTAssertNil(overlap.preflight(tables: [t: live]), "\(String(describing: rows)) rows")
            XCTAssertNotNil(keyed.preflight(tables: [t: live]), "\(String(describing: rows)) rows")
        }
        live.estimatedRows = ConstraintChange.pairProbeRowLimit
        let probe = overlap.preflight(tables: [t: live])
        XCTAssertEqual(
            probe?.questions.first?.explain(2),
            "2 pairs of rows conflict under (during WITH &&): exclusion constraint x cannot be added")
        XCTAssertEqual(
            probe?.questions.first?.explain(1),
            "1 pair of rows conflicts under (during WITH &&): exclusion constraint x cannot be added")
        XCTAssertNil(overlap.preflight(tables: [QualifiedName: Table]()), "a new table is empty")
    }

    // MARK: - Export

    func testTheWriterUsesTheShortFormUnlessDeferredAndLoadsBack() throws {
        let exclusions = [
            ExclusionConstraint(
                name: "b_later", definition: "USING gist (during WITH &&) WHERE ((NOT ok))",
                deferral: .initiallyDeferred),
            ExclusionConstraint(name: "a \"odd\"", definition: "USING gist (\"Odd\" WITH &&)"),
            ExclusionConstraint(name: "c_soon", definition: "USING btree (room WITH =)", deferral: .deferrable),
        ]
        let schema = Schema(tables: [table(exclusions)])
        let yaml = SchemaWriter.yaml(schema)
        XCTAssertTrue(
            yaml.contains(
                """
                    exclusions:
                      "a \\"odd\\"": "USING gist (\\"Odd\\" WITH &&)"
                      b_later: { definition: "USING gist (during WITH &&) WHERE ((NOT ok))", initially_deferred: true }
                      c_soon: { definition: "USING btree (room WITH =)", deferrable: true }

                """), yaml)
        let loaded = try loadValid(
            yaml.replacingOccurrences(
                of: "during: { type: tstzrange }",
                with: "during: { type: tstzrange }\n      Odd: tsrange"))
        XCTAssertEqual(Set(loaded.tables.first?.exclusions ?? []), Set(exclusions))
    }
}
