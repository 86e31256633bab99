import CLibPQ
import Foundation

/// What the user gave us to connect with, and the one secret in it that must never be printed.
public struct ConnectionInfo: Sendable {
    /// A libpq conninfo string or `postgresql://` URI; empty means "libpq's PG* environment and service files".
    public var conninfo: String

    public init(_ conninfo: String) { self.conninfo = conninfo }

    /// The password written in the conninfo or URI, if any (parsed by libpq itself), plus `PGPASSWORD`.
    public var secrets: [String] {
        var found: [String] = []
        if let password = Self.parsedOptions(conninfo)["password"], !password.isEmpty { found.append(password) }
        if let env = getenvString("PGPASSWORD"), !env.isEmpty { found.append(env) }
        return found
    }

    /// A description safe to print: host, port, database and user, never the password.
    public var redactedDescription: String {
        let options = Self.parsedOptions(conninfo)
        func pick(_ key: String, _ env: String) -> String? {
            if let value = options[key], !value.isEmpty { return value }
            return getenvString(env)
        }
        let user = pick("user", "PGUSER")
        let host = pick("host", "PGHOST") ?? "localhost"
        let port = pick("port", "PGPORT") ?? "5432"
        let database = pick("dbname", "PGDATABASE") ?? user ?? "?"
        return "\(user.map { "\($0)@" } ?? "")\(host):\(port)/\(database)"
    }

    /// Removes every secret from a text (libpq messages can echo parts of the conninfo back).
    public func redact(_ text: String) -> String {
        var result = text
        for secret in secrets { result = result.replacingOccurrences(of: secret, with: "********") }
        return result
    }

    static func parsedOptions(_ conninfo: String) -> [String: String] {
        guard !conninfo.isEmpty else { return [:] }
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &errorMessage) else {
            if let errorMessage { PQfreemem(errorMessage) }
            return [:]
        }
        defer { PQconninfoFree(options) }
        var result: [String: String] = [:]
        var cursor = options
        while let keyword = cursor.pointee.keyword {
            if let value = cursor.pointee.val { result[String(cString: keyword)] = String(cString: value) }
            cursor += 1
        }
        return result
    }
}

func getenvString(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    return String(cString: value)
}
