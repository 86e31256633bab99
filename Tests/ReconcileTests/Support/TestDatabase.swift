import Foundation
import PostgresClient
import XCTest

/// A fresh, empty database on the throwaway server that `scripts/test` starts (it sets
/// RECONCILE_TEST_DATABASE_URL). Each test gets its own, so tests never see each other's tables.
final class TestDatabase {
    static let environmentVariable = "RECONCILE_TEST_DATABASE_URL"

    let name: String
    /// A libpq URI for this database.
    let url: String
    private let admin: Connection
    /// A connection for the test's own setup and assertions.
    let connection: Connection

    init() throws {
        guard let serverURL = ProcessInfo.processInfo.environment[Self.environmentVariable], !serverURL.isEmpty else {
            // Fail rather than skip: a database test that silently does not run proves nothing.
            throw TestDatabaseError.missingServer
        }
        // Named apart from the CLI's "reconcile" sessions, which tests look for in pg_stat_activity.
        admin = try Connection(ConnectionInfo(serverURL), applicationName: "reconcile-tests")
        name = "reconcile_test_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        try admin.query("CREATE DATABASE \"\(name)\" TEMPLATE template0")
        url = try Self.url(serverURL, database: name)
        connection = try Connection(ConnectionInfo(url), applicationName: "reconcile-tests")
    }

    deinit {
        _ = try? admin.query("DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)")
    }

    /// Skips the test on a server built without the extension (e.g. one without contrib modules); CI's
    /// Debian server has them, so there the test always runs.
    func requireExtension(_ name: String) throws {
        guard try hasExtension(name) else {
            throw XCTSkip("the server has no \(name) extension")
        }
    }

    /// Whether the server can install the extension.
    func hasExtension(_ name: String) throws -> Bool {
        try connection.query("SELECT count(*) FROM pg_available_extensions WHERE name = $1", [name]).rows.first?.first
            == "1"
    }

    /// Whether the server can compress with lz4 (built `--with-lz4`; Debian's is, a minimal build may not be).
    func hasLZ4() throws -> Bool {
        try connection.query(
            "SELECT count(*) FROM pg_catalog.pg_settings WHERE name = 'default_toast_compression' "
                + "AND 'lz4' = ANY (enumvals)"
        ).rows.first?.first == "1"
    }

    /// This database's URL for another role (which needs a password: only the superuser connects without).
    func url(user: String, password: String) -> String {
        var components = URLComponents(string: url)!
        components.user = user
        components.password = password
        return components.string!
    }

    /// A new role that may log in (with a password), connect to this database and use schema public, and
    /// nothing else unless `grants` says so (SQL, `$role` standing for its name). Drop it with `dropRole`.
    func readOnlyRole(grants: String = "") throws -> (name: String, url: String) {
        let role = "reconcile_reader_\(UUID().uuidString.prefix(8).lowercased())"
        try execute(
            """
            CREATE ROLE \(role) LOGIN PASSWORD 'reader-pw';
            GRANT CONNECT ON DATABASE "\(name)" TO \(role);
            GRANT USAGE ON SCHEMA public TO \(role);
            \(grants.replacingOccurrences(of: "$role", with: role))
            """)
        return (role, url(user: role, password: "reader-pw"))
    }

    func dropRole(_ role: String) { _ = try? execute("DROP OWNED BY \(role); DROP ROLE IF EXISTS \(role)") }

    /// Runs SQL (one or several statements) for setup.
    @discardableResult
    func execute(_ sql: String) throws -> QueryResult { try connection.execute(sql) }

    /// The first column of every row, NULL as "NULL".
    func column(_ sql: String) throws -> [String] {
        try connection.query(sql).rows.map { $0.first.flatMap { $0 } ?? "NULL" }
    }

    func scalar(_ sql: String) throws -> String? { try connection.query(sql).rows.first?.first ?? nil }

    /// Tables in the database's user schemas, as `schema.table`, sorted.
    func tableNames() throws -> [String] {
        try column(
            """
            SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%' ORDER BY 1
            """)
    }

    /// A fingerprint of everything reconcile manages (tables, columns, constraints, indexes) plus the rows
    /// of the given tables: equal fingerprints mean nothing changed.
    func fingerprint(rowsOf tables: [String] = []) throws -> String {
        var text = try column(
            """
            SELECT n.nspname || '.' || c.relname || ':' || c.relkind::text || ':' ||
                   coalesce((SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull
                                 || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') || ' ' || a.attidentity::text, ', ' ORDER BY a.attnum)
                             FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '') || ' | ' ||
                   coalesce((SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), ', ' ORDER BY conname)
                             FROM pg_constraint WHERE conrelid = c.oid), '') || ' | ' ||
                   coalesce((SELECT string_agg(pg_get_indexdef(indexrelid), ', ' ORDER BY indexrelid::regclass::text)
                             FROM pg_index WHERE indrelid = c.oid), '')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'S') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
            ORDER BY 1
            """
        ).joined(separator: "\n")
        text +=
            "\nschemas: "
            + (try column("SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg_%' ORDER BY 1").joined(
                separator: ","))
        for table in tables {
            text +=
                "\n\(table): "
                + (try column("SELECT row_to_json(t)::text FROM \(table) t ORDER BY 1").joined(separator: ";"))
        }
        return text
    }

    static func url(_ serverURL: String, database: String) throws -> String {
        if serverURL.hasPrefix("postgres://") || serverURL.hasPrefix("postgresql://") {
            guard var components = URLComponents(string: serverURL) else { throw TestDatabaseError.badURL(serverURL) }
            components.path = "/" + database
            return components.string ?? serverURL
        }
        return serverURL + " dbname=\(database)"
    }
}

enum TestDatabaseError: Error, CustomStringConvertible {
    case missingServer
    case badURL(String)

    var description: String {
        switch self {
        case .missingServer:
            return
                "\(TestDatabase.environmentVariable) is not set: run the suite with scripts/test, which starts a throwaway PostgreSQL"
        case .badURL(let url): return "cannot parse \(url)"
        }
    }
}
