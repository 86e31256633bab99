import CLibPQ
import Foundation

/// One libpq connection. Owns its `PGconn*`; not shared between threads.
public final class Connection {
    private let handle: OpaquePointer
    private let info: ConnectionInfo

    /// How many statements (round trips) this connection has sent: tests assert on it, not on time.
    public private(set) var statementCount = 0

    /// Connects with a conninfo string or URI; an empty string uses libpq's PG* environment.
    /// Errors never contain the password.
    public init(_ info: ConnectionInfo, applicationName: String = "reconcile") throws {
        self.info = info
        // fallback_application_name lets a user's own application_name win.
        // connect_timeout comes first so that the user's own value, inside the conninfo, overrides it:
        // libpq processes the expanded dbname in its place, later keywords winning.
        let keywords = ["connect_timeout", "dbname", "fallback_application_name"]
        let values = ["10", info.conninfo, applicationName]
        let connection: OpaquePointer? = withCStrings(keywords) { keywordPointers in
            withCStrings(values) { valuePointers in
                // expand_dbname = 1: the dbname value may itself be a full conninfo or URI.
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let connection else {
            throw PostgresError(kind: .connection, message: "out of memory while connecting")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = info.redact(Self.errorText(connection))
            PQfinish(connection)
            throw PostgresError(kind: .connection, message: message)
        }
        handle = connection
        // Notices ("relation already exists, skipping" from idempotent DDL) are expected; libpq would
        // print each one to stderr.
        PQsetNoticeReceiver(handle, { _, _ in }, nil)
    }

    deinit {
        PQfinish(handle)
    }

    /// The server's version as an integer, e.g. 150018 for 15.18.
    public var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// IDLE, INTRANS, INERROR... as libpq reports it.
    public var transactionStatus: TransactionStatus {
        switch PQtransactionStatus(handle) {
        case PQTRANS_IDLE: return .idle
        case PQTRANS_INTRANS: return .inTransaction
        case PQTRANS_INERROR: return .failedTransaction
        case PQTRANS_ACTIVE: return .active
        default: return .unknown
        }
    }

    public enum TransactionStatus: Equatable, Sendable { case idle, inTransaction, failedTransaction, active, unknown }

    /// Runs one statement with text parameters (nil is NULL). Only one statement is allowed in `sql`.
    @discardableResult
    public func query(_ sql: String, _ parameters: [String?] = []) throws -> QueryResult {
        statementCount += 1
        let result: OpaquePointer? = withOptionalCStrings(parameters) { pointers in
            PQexecParams(handle, sql, Int32(parameters.count), nil, pointers, nil, nil, 0)
        }
        return try consume(result)
    }

    /// Runs a script of one or more statements (simple query protocol); returns the last result.
    @discardableResult
    public func execute(_ sql: String) throws -> QueryResult {
        statementCount += 1
        return try consume(PQexec(handle, sql))
    }

    /// A handle that can cancel this connection's running statement from another thread (libpq's
    /// PGcancel is made for exactly that).
    public func makeCanceller() -> Canceller? {
        PQgetCancel(handle).map(Canceller.init)
    }

    private func consume(_ result: OpaquePointer?) throws -> QueryResult {
        guard let result else {
            throw PostgresError(
                kind: PQstatus(handle) == CONNECTION_OK ? .server : .connectionLost,
                message: info.redact(Self.errorText(handle)))
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return QueryResult(copying: result)
        default:
            throw error(from: result)
        }
    }

    private func error(from result: OpaquePointer) -> PostgresError {
        func field(_ code: Int32) -> String? {
            guard let value = PQresultErrorField(result, code) else { return nil }
            return info.redact(String(cString: value))
        }
        let lost = PQstatus(handle) != CONNECTION_OK
        let message =
            field(RECONCILE_DIAG_MESSAGE_PRIMARY)
            ?? info.redact(
                String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines))
        return PostgresError(
            kind: lost ? .connectionLost : .server,
            sqlState: field(RECONCILE_DIAG_SQLSTATE).map(SQLState.init(rawValue:)),
            message: message.isEmpty ? "connection to the server was lost" : message,
            detail: field(RECONCILE_DIAG_MESSAGE_DETAIL),
            hint: field(RECONCILE_DIAG_MESSAGE_HINT),
            position: field(RECONCILE_DIAG_STATEMENT_POSITION).flatMap { Int($0) })
    }

    private static func errorText(_ connection: OpaquePointer) -> String {
        String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Cancels a connection's running statement; safe to use from any thread.
public final class Canceller: @unchecked Sendable {
    private let cancel: OpaquePointer

    init(_ cancel: OpaquePointer) { self.cancel = cancel }

    deinit { PQfreeCancel(cancel) }

    /// Asks the server to cancel the statement; the statement then fails with SQLSTATE 57014.
    public func cancelRunningStatement() {
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancel, &buffer, Int32(buffer.count))
    }
}

private func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    withOptionalCStrings(strings.map(Optional.some)) { pointers in
        body(pointers + [nil])
    }
}

/// Keeps C copies of the strings alive for the duration of `body`; nil stays a null pointer.
private func withOptionalCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0)! } }
    defer { copies.forEach { free($0) } }
    return body(copies.map { UnsafePointer($0) })
}
