import Foundation
import Reconcile
import XCTest

/// The schema files users copy from: `schema.yaml` and everything in `examples/`. Each must apply to an empty
/// database and converge (a clean `--check`, a second apply that does nothing), and produce exactly the
/// tables and seeded rows it describes.
final class ExamplesTests: XCTestCase {
    private static let examplesDirectory = repositoryRoot.appendingPathComponent("examples")

    private func example(_ file: String) -> String { Self.examplesDirectory.appendingPathComponent(file).path }

    /// Every `*.yaml` in examples/, so a new example is covered without touching this file.
    private func allExamples() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: Self.examplesDirectory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" || $0.pathExtension == "yml" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// Asserts that `sql` fails with the given SQLSTATE: the example's constraints really hold.
    private func assertRejected(
        _ db: TestDatabase, _ sql: String, sqlState: SQLState, _ message: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try db.execute(sql), message, file: file, line: line) { error in
            var actual = (error as? PostgresError)?.sqlState
            // PostgreSQL 18 reports an ON DELETE RESTRICT violation as restrict_violation (23001); earlier
            // versions as foreign_key_violation (23503).
            if actual == "23001" && sqlState == "23503" { actual = "23503" }
            XCTAssertEqual(actual, sqlState, "\(message): \(error)", file: file, line: line)
        }
    }

    // MARK: - The root schema

    func testRootSchemaApplies() throws {
        let db = try TestDatabase()
        try db.applyAndAssertConverged(repositoryRoot.appendingPathComponent("schema.yaml").path)
        XCTAssertEqual(try db.tableNames().sorted(), ["public.admin_settings", "public.ai_usage_logs", "public.cases"])
        XCTAssertEqual(
            try db.column(
                """
                SELECT concat_ws('|', id, coalesce(monthly_spending_cap::text, 'NULL'), cap_warning_threshold)
                FROM admin_settings ORDER BY id
                """), ["1|NULL|0.80"])
    }

    // MARK: - One test per example

    func testSaaSMultitenant() throws {
        let db = try TestDatabase()
        try db.applyAndAssertConverged(example("saas-multitenant.yaml"))
        XCTAssertEqual(
            try db.tableNames().sorted(),
            [
                "public.api_keys", "public.plans", "public.project_members", "public.projects", "public.tasks",
                "public.tenants", "public.users",
            ])
        let plans = """
            SELECT concat_ws('|', code, name, monthly_price, coalesce(max_seats::text, 'NULL'), max_projects, features,
                             is_public, sort_order)
            FROM plans ORDER BY sort_order, code COLLATE "C"
            """
        let declaredPlans = [
            "free|Free|0.00|3|2|{projects}|t|10",
            "team|Team|49.00|25|50|{projects,sso}|t|20",
            "enterprise|Enterprise|499.00|NULL|-1|{projects,sso,saml,audit_log}|f|30",
        ]
        XCTAssertEqual(try db.column(plans), declaredPlans)

        // `enforce`: a hand edit is drift, and the next apply puts the declared values back; a plan that is
        // not declared (a custom deal) is left alone.
        try db.execute(
            """
            UPDATE plans SET monthly_price = 59, features = '{projects}' WHERE code = 'team';
            INSERT INTO plans (code, name, sort_order) VALUES ('custom-acme', 'Acme deal', 99);
            """)
        XCTAssertEqual(
            try db.reconciler(example("saas-multitenant.yaml")).check().drift.map(\.summary),
            ["insert or restore seeded row code='team'"])
        try db.applyAndAssertConverged(example("saas-multitenant.yaml"))
        XCTAssertEqual(try db.column(plans), declaredPlans + ["custom-acme|Acme deal|0.00|NULL|-1|{}|t|99"])

        // Composite keys keep tenants apart: a project cannot be owned by another tenant's user.
        try db.execute(
            """
            INSERT INTO tenants (id, slug, name) VALUES
                ('00000000-0000-0000-0000-00000000000a', 'acme', 'Acme'),
                ('00000000-0000-0000-0000-00000000000b', 'globex', 'Globex');
            INSERT INTO users (tenant_id, id, email) VALUES ('00000000-0000-0000-0000-00000000000a', 1, 'Ann@acme.test');
            """)
        XCTAssertEqual(
            try db.scalar("SELECT plan_code || '|' || status FROM tenants WHERE slug = 'acme'"), "free|trialing")
        assertRejected(
            db,
            """
            INSERT INTO projects (tenant_id, key, name, owner_id) VALUES ('00000000-0000-0000-0000-00000000000b', 'WEB', 'Web', 1)
            """, sqlState: "23503", "a project owned by another tenant's user")
        try db.execute(
            """
            INSERT INTO projects (tenant_id, key, name, owner_id) VALUES ('00000000-0000-0000-0000-00000000000a', 'WEB', 'Web', 1);
            INSERT INTO projects (tenant_id, key, name) VALUES ('00000000-0000-0000-0000-00000000000b', 'WEB', 'Web');
            """)
        assertRejected(
            db,
            "INSERT INTO projects (tenant_id, key, name) VALUES ('00000000-0000-0000-0000-00000000000a', 'WEB', 'Again')",
            sqlState: "23505", "project keys are unique per tenant")

        // The partial expression index: one live account per address and tenant, case-insensitively; a
        // soft-deleted account frees the address.
        assertRejected(
            db,
            "INSERT INTO users (tenant_id, id, email) VALUES ('00000000-0000-0000-0000-00000000000a', 5, 'ann@ACME.test')",
            sqlState: "23505", "the same address in another case")
        try db.execute(
            """
            INSERT INTO users (tenant_id, email) VALUES ('00000000-0000-0000-0000-00000000000b', 'ann@acme.test');
            UPDATE users SET deleted_at = now() WHERE tenant_id = '00000000-0000-0000-0000-00000000000a';
            INSERT INTO users (tenant_id, id, email) VALUES ('00000000-0000-0000-0000-00000000000a', 2, 'ann@acme.test');
            """)
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM users"), "3")
        XCTAssertEqual(try db.reconciler(example("saas-multitenant.yaml")).check().drift.map(\.summary), [])
    }

    func testEcommerce() throws {
        let db = try TestDatabase()
        try db.applyAndAssertConverged(example("ecommerce.yaml"))
        XCTAssertEqual(
            try db.tableNames().sorted(),
            [
                "public.addresses", "public.categories", "public.customers", "public.order_items",
                "public.order_statuses",
                "public.orders", "public.products",
            ])
        let statuses = "SELECT concat_ws('|', id, code, label, is_final, sort_order) FROM order_statuses ORDER BY id"
        let declaredStatuses = [
            "1|pending|Pending payment|f|10",
            "2|paid|Paid|f|20",
            "3|shipped|Shipped|f|30",
            "4|delivered|Delivered|t|40",
            "5|cancelled|Cancelled|t|50",
            "6|refunded|Refunded (in full)|t|60",
        ]
        XCTAssertEqual(try db.column(statuses), declaredStatuses)

        // insert-missing: a relabelled status is kept; a deleted one comes back.
        try db.execute(
            """
            UPDATE order_statuses SET label = 'Awaiting payment' WHERE code = 'pending';
            DELETE FROM order_statuses WHERE code = 'refunded';
            """)
        XCTAssertEqual(
            try db.reconciler(example("ecommerce.yaml")).check().drift.map(\.summary),
            ["insert missing seeded row code='refunded'"])
        try db.applyAndAssertConverged(example("ecommerce.yaml"))
        XCTAssertEqual(try db.column(statuses), ["1|pending|Awaiting payment|f|10"] + declaredStatuses.dropFirst())

        // Defaults, checks and the delete rules the file describes.
        try db.execute(
            """
            INSERT INTO customers (id, email, full_name) VALUES ('00000000-0000-0000-0000-0000000000c1', 'Eve@shop.test', 'Eve');
            INSERT INTO categories (slug, name) VALUES ('shoes', 'Shoes');
            INSERT INTO products (id, sku, name, category_id, price, attributes)
                VALUES ('00000000-0000-0000-0000-0000000000d1', 'SHOE-1', 'Runner', 1, 89.90, '{"color": "red", "size": 42}');
            INSERT INTO addresses (customer_id, line1, city, postal_code, country)
                VALUES ('00000000-0000-0000-0000-0000000000c1', 'Main St 1', 'Utrecht', '3511 AA', 'NL');
            INSERT INTO orders (id, customer_id, shipping_address_id, subtotal, total)
                VALUES ('00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000c1', 1, 89.90, 94.85);
            INSERT INTO order_items (order_id, line_no, product_id, product_name, unit_price)
                VALUES ('00000000-0000-0000-0000-0000000000e1', 1, '00000000-0000-0000-0000-0000000000d1', 'Runner', 89.90);
            """)
        XCTAssertEqual(
            try db.scalar("SELECT concat_ws('|', number, status, currency, shipping_fee) FROM orders"),
            "1|pending|EUR|4.95")
        XCTAssertEqual(try db.scalar("SELECT sku FROM products WHERE attributes @> '{\"color\": \"red\"}'"), "SHOE-1")
        assertRejected(
            db, "INSERT INTO customers (email, full_name) VALUES ('eve@SHOP.test', 'Eve again')",
            sqlState: "23505", "e-mail addresses are unique case-insensitively")
        assertRejected(
            db, "UPDATE products SET compare_at_price = 50", sqlState: "23514", "a 'was' price below the price")
        assertRejected(db, "UPDATE orders SET total = 1", sqlState: "23514", "a total that does not add up")
        assertRejected(db, "DELETE FROM products", sqlState: "23503", "RESTRICT: an ordered product")
        assertRejected(db, "DELETE FROM customers", sqlState: "23503", "RESTRICT: a customer with orders")
        try db.execute("DELETE FROM categories; DELETE FROM addresses;")
        XCTAssertEqual(try db.scalar("SELECT coalesce(category_id::text, 'NULL') FROM products"), "NULL", "SET NULL")
        XCTAssertEqual(
            try db.scalar("SELECT coalesce(shipping_address_id::text, 'NULL') FROM orders"), "NULL", "SET NULL")
        try db.execute("DELETE FROM orders")
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM order_items"), "0", "CASCADE")
    }

    func testMultiSchema() throws {
        let db = try TestDatabase()
        try db.applyAndAssertConverged(example("multi-schema.yaml"))
        XCTAssertEqual(
            try db.tableNames().sorted(),
            [
                "audit.events", "auth.roles", "auth.sessions", "auth.user_roles", "auth.users", "billing.customers",
                "billing.invoice_lines", "billing.invoices", "billing.tax_rates",
            ])
        // `reporting` is declared with no tables; `public` is not managed and stays as it was.
        XCTAssertEqual(
            try db.column(
                """
                SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
                ORDER BY nspname COLLATE "C"
                """), ["audit", "auth", "billing", "public", "reporting"])
        XCTAssertEqual(
            try db.column(
                "SELECT concat_ws('|', name, description, is_builtin) FROM auth.roles ORDER BY name COLLATE \"C\""),
            [
                "admin|Full access, including user management|t",
                "billing|Invoices, payments and tax settings|t",
                "member|Default role for new users|t",
                "support|Read-only access to customer accounts|t",
            ])
        XCTAssertEqual(
            try db.column(
                "SELECT concat_ws('|', country, rate, label, valid_from) FROM billing.tax_rates ORDER BY country COLLATE \"C\""
            ),
            [
                "DE|0.1900|MwSt 19%|2007-01-01",
                "FR|0.2000|TVA 20%|2014-01-01",
                "NL|0.2100|BTW 21%|2012-10-01",
                "US|0.0000|No VAT|1970-01-01",
            ])
        // The cross-schema foreign keys, with their delete rules.
        XCTAssertEqual(
            try db.column(
                """
                SELECT c.relnamespace::regnamespace::text || '.' || c.relname || ' -> ' || t.relnamespace::regnamespace::text
                       || '.' || t.relname || ' ' || con.confdeltype::text
                FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_class t ON t.oid = con.confrelid
                WHERE con.contype = 'f' AND c.relnamespace <> t.relnamespace
                """
            ).sorted(),
            [
                "audit.events -> auth.users n",
                "billing.customers -> auth.users r",
            ])

        // A tax rate edited by hand is restored (enforce); the second billing account of one user is refused.
        try db.execute("UPDATE billing.tax_rates SET rate = 0.09 WHERE country = 'NL'")
        XCTAssertEqual(
            try db.reconciler(example("multi-schema.yaml")).check().drift.map(\.summary),
            ["insert or restore seeded row country='NL'"])
        try db.applyAndAssertConverged(example("multi-schema.yaml"))
        XCTAssertEqual(try db.scalar("SELECT rate FROM billing.tax_rates WHERE country = 'NL'"), "0.2100")
        try db.execute(
            """
            INSERT INTO auth.users (email) VALUES ('ann@example.test');
            INSERT INTO billing.customers (user_id, legal_name, country) VALUES (1, 'Ann BV', 'NL');
            INSERT INTO audit.events (actor_id, action, subject_schema, subject_table, subject_id)
                VALUES (1, 'customer.create', 'billing', 'customers', '1');
            """)
        assertRejected(
            db, "INSERT INTO billing.customers (user_id, legal_name, country) VALUES (1, 'Ann again', 'DE')",
            sqlState: "23505", "one billing account per user")
        assertRejected(db, "DELETE FROM auth.users", sqlState: "23503", "RESTRICT across schemas: a billed user")
        assertRejected(
            db,
            "INSERT INTO audit.events (action, subject_schema, subject_table, subject_id) VALUES ('oops', 'a', 'b', 'c')",
            sqlState: "23514", "an action that is not entity.verb")
    }

    func testForeignKeyCycle() throws {
        let db = try TestDatabase()
        try db.applyAndAssertConverged(example("foreign-key-cycle.yaml"))
        XCTAssertEqual(
            try db.tableNames().sorted(), ["public.comments", "public.departments", "public.employees", "public.posts"])
        // Both cycles are closed and both self-references exist.
        XCTAssertEqual(
            try db.column(
                """
                SELECT conrelid::regclass::text || '.' || conname || ' -> ' || confrelid::regclass::text || ' ' || confdeltype::text
                FROM pg_constraint WHERE contype = 'f'
                """
            ).sorted(),
            [
                "comments.comments_author_id_fkey -> employees n",
                "comments.comments_parent_id_fkey -> comments c",
                "comments.comments_post_id_fkey -> posts c",
                "departments.departments_manager_id_fkey -> employees n",
                "employees.employees_department_id_fkey -> departments a",
                "employees.employees_reports_to_fkey -> employees n",
                "posts.posts_author_id_fkey -> employees r",
                "posts.posts_pinned_comment_id_fkey -> comments n",
            ])
        // Seeded by code; the ids come from the identity sequence, which stays in step.
        XCTAssertEqual(
            try db.column(
                "SELECT concat_ws('|', id, code, name, annual_budget, founded_on) FROM departments ORDER BY id"),
            [
                "1|ENG|Engineering|2500000.00|2015-03-01",
                "2|OPS|Operations|800000.00|2015-03-01",
                "3|PPL|People & Culture|350000.50|2017-09-15",
            ])
        try db.execute(
            """
            INSERT INTO departments (code, name) VALUES ('FIN', 'Finance');
            INSERT INTO employees (department_id, email, full_name, salary) VALUES (1, 'ada@corp.test', 'Ada', 9000);
            INSERT INTO employees (department_id, reports_to, email, full_name, salary) VALUES (1, 1, 'bob@corp.test', 'Bob', 5000);
            UPDATE departments SET manager_id = 1 WHERE code = 'ENG';
            INSERT INTO posts (author_id, title, body) VALUES (1, 'Welcome', 'Hello, all');
            INSERT INTO comments (post_id, author_id, body) VALUES (1, 2, 'Thanks!');
            INSERT INTO comments (post_id, parent_id, author_id, body, depth) VALUES (1, 1, 1, 'You''re welcome', 1);
            UPDATE posts SET pinned_comment_id = 1;
            """)
        XCTAssertEqual(try db.scalar("SELECT id FROM departments WHERE code = 'FIN'"), "4")
        assertRejected(
            db, "DELETE FROM departments WHERE code = 'ENG'", sqlState: "23503", "a department with employees")
        // Deleting the pinned comment deletes its replies and unpins it.
        try db.execute("DELETE FROM comments WHERE id = 1")
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM comments"), "0")
        XCTAssertEqual(try db.scalar("SELECT coalesce(pinned_comment_id::text, 'NULL') FROM posts"), "NULL")
        XCTAssertEqual(try db.reconciler(example("foreign-key-cycle.yaml")).check().drift.map(\.summary), [])
    }

    func testFeatureFlags() throws {
        let db = try TestDatabase()
        try db.applyAndAssertConverged(example("feature-flags.yaml"))
        XCTAssertEqual(
            try db.tableNames().sorted(), ["public.email_templates", "public.feature_flags", "public.rate_limits"])
        XCTAssertEqual(
            try db.column(
                """
                SELECT concat_ws('|', key, description, enabled, rollout_percent, owners, remove_by IS NOT NULL)
                FROM feature_flags ORDER BY key COLLATE "C"
                """),
            [
                "checkout.new_flow|New one-page checkout|f|10.00|{payments}|t",
                "ops.read_only_mode|Kill switch: reject writes during maintenance|f|100.00|{}|t",
                "search.typo_tolerance|Fuzzy matching in product search|t|100.00|{search,platform}|t",
            ])
        XCTAssertEqual(
            try db.scalar("SELECT remove_by FROM feature_flags WHERE key = 'checkout.new_flow'"), "2025-06-30")
        XCTAssertEqual(
            try db.column(
                """
                SELECT concat_ws('|', id, scope, plan, requests, per_seconds, burst_factor, block_for, allowlist)
                FROM rate_limits ORDER BY id
                """),
            [
                "1|api|*|600|60|1.5|00:15:00|{}",
                "2|api|enterprise|-1|60|1.0|00:15:00|{}",
                "3|login|*|5|300|1.5|01:00:00|{10.0.0.0/8,192.168.1.10}",
                "4|export|*|3|3600|1.0|00:15:00|{}",
            ])
        XCTAssertEqual(
            try db.column(
                """
                SELECT concat_ws('|', code, locale, from_name, reply_to, subject, body, version, campaign_code)
                FROM email_templates ORDER BY code COLLATE "C", locale COLLATE "C"
                """),
            [
                "password_reset|en|The \"Acme\" Team|Please don't reply to this e-mail|Reset your password|Click the link below. If you didn't ask for this, ignore this e-mail.|1|0042",
                "welcome|en|The \"Acme\" Team|Please don't reply to this e-mail|Welcome to Acme, {{first_name}}!|Hi {{first_name}},\n\nYour account is ready. Here's what to do next: ...|1|0000",
                "welcome|nl|Het \"Acme\" Team|Antwoorden op deze e-mail wordt niet gelezen|Welkom bij Acme, {{first_name}}!|Hoi {{first_name}},\n\nJe account staat klaar.|1|0000",
            ])

        // insert-missing keeps a flag flipped in production; enforce restores a rate limit edited by hand.
        try db.execute(
            """
            UPDATE feature_flags SET enabled = true, rollout_percent = 50 WHERE key = 'checkout.new_flow';
            UPDATE rate_limits SET requests = 10000, allowlist = '{0.0.0.0/0}' WHERE id = 3;
            """)
        XCTAssertEqual(
            try db.reconciler(example("feature-flags.yaml")).check().drift.map(\.summary),
            ["insert or restore seeded row id=3"])
        try db.applyAndAssertConverged(example("feature-flags.yaml"))
        XCTAssertEqual(
            try db.scalar(
                "SELECT concat_ws('|', enabled, rollout_percent) FROM feature_flags WHERE key = 'checkout.new_flow'"),
            "t|50.00")
        XCTAssertEqual(
            try db.scalar("SELECT concat_ws('|', requests, allowlist) FROM rate_limits WHERE id = 3"),
            "5|{10.0.0.0/8,192.168.1.10}")
    }

    // MARK: - Every example, through the CLI

    /// What a user does with any example: plan, apply, check, apply again. Runs every file in examples/,
    /// including ones added after this test was written.
    func testEveryExampleConvergesThroughTheCLI() throws {
        let files = try allExamples()
        XCTAssertGreaterThanOrEqual(files.count, 5, "examples/ has \(files.map(\.lastPathComponent))")
        for file in files {
            let name = file.lastPathComponent
            let text = try String(contentsOf: file, encoding: .utf8)
            XCTAssertTrue(text.hasPrefix("#"), "\(name) should open with a comment saying what it demonstrates")

            let db = try TestDatabase()
            let arguments = ["--schema", file.path, "--database-url", db.url]
            let plan = try CLI.run(["--plan"] + arguments)
            XCTAssertEqual(plan.exitCode, 0, "\(name) --plan: \(plan.stderr)")
            XCTAssertTrue(plan.stdout.contains("CREATE TABLE IF NOT EXISTS"), "\(name) --plan:\n\(plan.stdout)")

            let apply = try CLI.run(["--apply"] + arguments)
            XCTAssertEqual(apply.exitCode, 0, "\(name) --apply: \(apply.stdout)\(apply.stderr)")
            XCTAssertTrue(
                apply.stdout.contains("the database now matches the schema file"), "\(name) --apply:\n\(apply.stdout)")

            let check = try CLI.run(["--check"] + arguments)
            XCTAssertEqual(check.exitCode, 0, "\(name) --check right after --apply: \(check.stdout)\(check.stderr)")

            let again = try CLI.run(["--apply"] + arguments)
            XCTAssertEqual(again.exitCode, 0, "\(name) second --apply: \(again.stderr)")
            XCTAssertTrue(again.stdout.hasPrefix("No changes."), "\(name) second --apply:\n\(again.stdout)")

            XCTAssertFalse(try db.tableNames().isEmpty, "\(name) created no tables")
        }
    }
}
