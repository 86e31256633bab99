import XCTest

@testable import ReconcileCore

/// Catalog texts (`pg_get_expr`, `pg_get_constraintdef`) that export and introspection read.
final class CatalogTextTests: XCTestCase {
    /// How pg_get_expr prints `DEFAULT NULL` where the server keeps it (under a length or precision coercion,
    /// or as pg_dump writes it), against look-alikes that are expressions.
    func testNullConstantDefaults() {
        for text in [
            "NULL", "NULL::character varying", "NULL::text", "NULL::numeric", "NULL::bpchar",
            "NULL::timestamp without time zone", "NULL::character varying(20)", "NULL::\"char\"",
            "NULL::text[]", "NULL::billing.\"Plan Kind\"", "NULL::text::character varying",
            "NULL::interval day to second(3)", "NULL::numeric(12,4)",
        ] {
            XCTAssertTrue(CatalogText.isNullConstant(text), text)
        }
        for text in [
            "'NULL'::text", "(NULL::text IS NULL)", "NULL::text IS NULL", "NULL::text COLLATE \"C\"",
            "NULLIF(a, b)", "NULL::text || 'x'::text", "NULL::", "NULL::text::", "NULL::f(x)",
            "NULL::numeric(12, a)", "NULLS", "NULL::\"open", "now()", "NULL:: text",
        ] {
            XCTAssertFalse(CatalogText.isNullConstant(text), text)
        }
    }
}
