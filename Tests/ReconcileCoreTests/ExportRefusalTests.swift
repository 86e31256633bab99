import XCTest

@testable import ReconcileCore

/// The pure parts of `--export`'s refusals: how they are reported, the flags they suggest, and how a table
/// comes to be out of scope.
final class ExportRefusalTests: XCTestCase {
    private let invoices = QualifiedName(name: "invoices")

    func testReportListsEveryRefusalThenTheExcludesForAllRefusedTables() {
        let refusals = [
            ExportRefusal(
                table: invoices, problem: "column number takes its default from a sequence",
                remedy: "leave the table out: --exclude public.invoices"),
            ExportRefusal(
                table: invoices, problem: "index i uses options the schema file cannot express yet",
                remedy: "leave the table out: --exclude public.invoices"),
            ExportRefusal(
                table: QualifiedName(schema: "Odd", name: "a.b"), problem: "check c is NO INHERIT",
                remedy: "leave the table out"),
            ExportRefusal(flag: "--seed-tables", problem: "public.nope is not exported", remedy: "drop it"),
        ]
        XCTAssertEqual(
            ExportRefusal.report(refusals),
            """
            4 problems, listed below; nothing was written.
              public.invoices: column number takes its default from a sequence; leave the table out: \
            --exclude public.invoices
              public.invoices: index i uses options the schema file cannot express yet; leave the table out: \
            --exclude public.invoices
              "Odd"."a.b": check c is NO INHERIT; leave the table out
              --seed-tables: public.nope is not exported; drop it
            To leave every refused table out, add: --exclude public.invoices --exclude 'Odd.a?b'
            """)
        XCTAssertEqual(
            ExportRefusal.report([refusals[3]]),
            """
            1 problem, listed below; nothing was written.
              --seed-tables: public.nope is not exported; drop it
            """)
    }

    func testGroupedByTableInNameOrderWithFlagsLastKeepingTheOrderFound() {
        let seed = ExportRefusal(flag: "--seed-tables", problem: "s", remedy: "r")
        let first = ExportRefusal(table: QualifiedName(name: "b"), problem: "first", remedy: "r")
        let second = ExportRefusal(table: QualifiedName(name: "b"), problem: "second", remedy: "r")
        let other = ExportRefusal(table: QualifiedName(name: "a"), problem: "other", remedy: "r")
        let billing = ExportRefusal(table: QualifiedName(schema: "billing", name: "z"), problem: "z", remedy: "r")
        XCTAssertEqual(
            ExportRefusal.grouped([seed, first, billing, other, second]).map(\.problem),
            ["z", "other", "first", "second", "s"])
    }

    /// The suggested `--exclude` must leave out the very table it is for, whatever its name, and survive a shell.
    func testExcludeFlagMatchesTheTableAndIsShellSafe() {
        let cases: [(QualifiedName, String)] = [
            (invoices, "--exclude public.invoices"),
            (QualifiedName(schema: "billing", name: "Order Items"), "--exclude 'billing.Order Items'"),
            (QualifiedName(schema: "a.b", name: "c.d"), "--exclude 'a.b.c?d'"),
            (QualifiedName(name: "it's"), "--exclude 'public.it'\\''s'"),
            (QualifiedName(name: "$HOME"), "--exclude 'public.$HOME'"),
        ]
        for (table, flag) in cases {
            XCTAssertEqual(ExportRefusal.excludeFlag(table), flag)
            let pattern = ExportRefusal.tablePattern(table)
            XCTAssertFalse(TableFilter(exclude: [pattern]).manages(table), "\(pattern) must exclude \(table)")
            XCTAssertTrue(TableFilter(exclude: [pattern]).manages(QualifiedName(name: "other")), pattern)
            XCTAssertTrue(TableFilter(include: [pattern]).manages(table), "\(pattern) must include \(table)")
        }
    }

    func testScopeSaysWhyATableIsNotExportedAndWhichFlagBringsItIn() {
        let filter = TableFilter(include: ["public.*", "billing.*"], exclude: ["public.legacy_*"])
        let scope = ExportScope(
            requested: ["public", "billing"], read: ["public", "billing"], filter: filter,
            readable: [invoices, QualifiedName(name: "legacy_users")])
        XCTAssertEqual(
            scope.whyNotExported(QualifiedName(schema: "audit", name: "log")).why,
            "its schema audit is not in --schemas")
        XCTAssertEqual(
            scope.whyNotExported(QualifiedName(schema: "audit", name: "log")).bringIn,
            "add audit to --schemas")
        XCTAssertEqual(
            scope.whyNotExported(QualifiedName(name: "legacy_users")).why,
            "--exclude 'public.legacy_*' leaves it out")
        XCTAssertEqual(
            scope.whyNotExported(QualifiedName(name: "legacy_users")).bringIn,
            "export it too (narrow --exclude 'public.legacy_*')")
        let narrow = ExportScope(
            requested: nil, read: ["public", "billing"],
            filter: TableFilter(include: ["invoices"]),
            readable: [invoices, QualifiedName(schema: "billing", name: "plans")])
        XCTAssertEqual(
            narrow.whyNotExported(QualifiedName(schema: "billing", name: "plans")).why,
            "it matches no --include")
        XCTAssertEqual(
            narrow.whyNotExported(QualifiedName(schema: "billing", name: "plans")).bringIn,
            "export it too (add --include billing.plans)")
        XCTAssertEqual(
            narrow.whyNotExported(QualifiedName(schema: "postgis", name: "x")).why,
            "its schema postgis is not a user schema (an extension's)")
        XCTAssertNil(narrow.whyNotExported(QualifiedName(schema: "postgis", name: "x")).bringIn)
        let everything = ExportScope(requested: nil, read: ["public"], filter: .everything, readable: [invoices])
        XCTAssertEqual(
            everything.whyNotExported(QualifiedName(name: "spatial_ref_sys")).why,
            "it is a partition or an extension's table, which reconcile does not manage")
        XCTAssertEqual(
            everything.whyNotExported(QualifiedName(name: "nope"), asSeedTable: true).why,
            "there is no such table (or it is a partition, or an extension's)")
    }
}
