import ArgumentParser
import Foundation
import Reconcile

/// The CLI: parse flags, run one `Reconciler` call, print, choose the exit code. Nothing else lives here.
@main
struct ReconcileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Make a PostgreSQL database match the tables and seeded rows declared in a YAML file.",
        discussion: """
            Modes:
              --plan    print what --apply would do (reads only). Exit 0.
              --apply   do it, in one transaction: all of it or nothing. Exit 0 on success, 1 on error.
              --check   report drift for cron: exit 0 in sync, 2 drift, 1 error.
              --export  print the live database as a schema file (adopt an existing database).

            Examples:
              reconcile --plan --database-url postgresql://app@db.internal/app
              DATABASE_URL=postgresql://app@localhost/app reconcile --apply --schema deploy/schema.yaml
              reconcile --check || alert "schema drift on $(hostname)"
              reconcile --apply --allow-destructive --lock-timeout 2s --statement-timeout 5m
              reconcile --export --schemas public,billing --seed-tables admin_settings > schema.yaml

            The connection comes from --database-url, else $DATABASE_URL, else libpq's PG* variables,
            ~/.pgpass and service files. Passwords are never printed.
            """)

    enum Mode: String, EnumerableFlag {
        case plan, apply, check, export

        static func help(for value: Mode) -> ArgumentHelp? {
            switch value {
            case .plan: return "Print the plan: what --apply would change (the default)."
            case .apply: return "Apply the plan in one transaction, then verify the database matches."
            case .check: return "Exit 0 when the database matches the file, 2 when it drifts, 1 on error."
            case .export: return "Print the live database as a schema file, to stdout."
            }
        }
    }

    @Flag(exclusivity: .exclusive)
    var mode: Mode = .plan

    @Option(name: .long, help: ArgumentHelp("The schema file.", valueName: "path"))
    var schema: String = "schema.yaml"

    @Option(name: .customLong("database-url"),
            help: ArgumentHelp("libpq URI or conninfo (default: $DATABASE_URL, then PG* variables).", valueName: "url"))
    var databaseURL: String?

    @Flag(name: .customLong("allow-destructive"),
          help: "Also drop tables, columns, constraints and indexes the file does not declare.")
    var allowDestructive = false

    @Option(name: .customLong("lock-timeout"),
            help: ArgumentHelp("How long a step may wait for a table lock (e.g. 5s, 500ms).", valueName: "duration"),
            transform: DurationText.seconds)
    var lockTimeout: Double = 5

    @Option(name: .customLong("statement-timeout"),
            help: ArgumentHelp("How long one statement may run; 0 means no limit.", valueName: "duration"),
            transform: DurationText.seconds)
    var statementTimeout: Double = 0

    @Option(name: .customLong("lock-wait"),
            help: ArgumentHelp("How long to wait for another reconcile --apply on the same database.", valueName: "duration"),
            transform: DurationText.seconds)
    var lockWait: Double = 120

    @Option(name: .long, parsing: .singleValue,
            help: ArgumentHelp("--export: schemas to export, comma-separated (default: every user schema).", valueName: "names"),
            transform: { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } })
    var schemas: [[String]] = []

    @Option(name: .customLong("seed-tables"), parsing: .singleValue,
            help: ArgumentHelp("--export: also write these tables' rows as seeded rows ([schema.]table, comma-separated).", valueName: "tables"),
            transform: { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } })
    var seedTables: [[String]] = []

    @Flag(name: .long, help: "Print the number of statements sent to the server and the elapsed time to stderr.")
    var stats = false

    func run() throws {
        let options = ReconcileOptions(
            schemaPath: schema,
            connection: ConnectionInfo(databaseURL ?? ProcessInfo.processInfo.environment["DATABASE_URL"] ?? ""),
            allowDestructive: allowDestructive, lockTimeout: lockTimeout, statementTimeout: statementTimeout,
            lockWait: lockWait)
        let reconciler = Reconciler(options: options)
        let started = Date()
        defer {
            if stats {
                let seconds = String(format: "%.3f", Date().timeIntervalSince(started))
                FileHandle.standardError.write(Data("reconcile: \(reconciler.statementsSent) statements sent, \(seconds) s\n".utf8))
            }
        }
        do {
            switch mode {
            case .plan: try runPlan(reconciler)
            case .apply: try runApply(reconciler)
            case .check: try runCheck(reconciler)
            case .export:
                let names = schemas.flatMap { $0 }
                let tables = try seedTables.flatMap { $0 }.map(ReconcileCLIParsing.tableName)
                Output.out(try reconciler.export(schemas: names.isEmpty ? nil : names, seedTables: tables))
            }
        } catch let error as ReconcileError {
            Output.error(error.description)
            throw ExitCode(1)
        }
    }

    private func runPlan(_ reconciler: Reconciler) throws {
        let result = try reconciler.plan()
        Output.out(PlanTextRenderer.render(result.plan))
    }

    private func runApply(_ reconciler: Reconciler) throws {
        let result = try reconciler.apply { event in
            switch event {
            case .waitingForLock:
                Output.out("Waiting for another reconcile --apply on this database to finish (up to --lock-wait)...\n")
            case .stepStarted(let step):
                Output.out("\(step.change.marker) \(step.number). \(step.change.table.map { "\($0): " } ?? "")\(step.summary) ... ")
            case .stepFinished(_, let seconds):
                Output.out("done (\(Int((seconds * 1000).rounded())) ms)\n")
            }
        }
        if result.executed.isEmpty {
            Output.out("No changes. The database matches the schema file.\n")
        } else {
            Output.out("Applied \(result.executed.count) step\(result.executed.count == 1 ? "" : "s") in one transaction; the database now matches the schema file.\n")
        }
        if !result.blocked.isEmpty {
            Output.out("\nNot applied: destructive, run with --allow-destructive to include:\n")
            for step in result.blocked {
                Output.out("  - \(step.change.table.map { "\($0): " } ?? "")\(step.summary)\n")
            }
        }
    }

    private func runCheck(_ reconciler: Reconciler) throws {
        let result = try reconciler.check()
        guard !result.inSync else {
            Output.out("In sync: the database matches the schema file.\n")
            return
        }
        Output.out("Drift: \(result.drift.count) difference\(result.drift.count == 1 ? "" : "s") between the database and the schema file.\n")
        for step in result.drift {
            Output.out("  \(step.change.marker) \(step.change.table.map { "\($0): " } ?? "")\(step.summary)\n")
        }
        Output.out("Run `reconcile --plan` to see the SQL, `reconcile --apply` to fix it.\n")
        throw ExitCode(2)
    }
}

enum ReconcileCLIParsing {
    /// `table` or `schema.table` (double quotes for odd names), as in the schema file.
    static func tableName(_ text: String) throws -> QualifiedName {
        guard let name = try? SchemaLoader.qualifiedName(text) else {
            throw ValidationError("'\(text)' is not a table name; write table or schema.table")
        }
        return name
    }
}

enum Output {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data("error: \(text)\n".utf8))
    }
}

/// `5`, `5s`, `500ms`, `2m`, `1h` → seconds.
enum DurationText {
    static func seconds(_ text: String) throws -> Double {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            if let value = Double(text.dropLast(suffix.count)), value >= 0 { return value * factor }
        }
        if let value = Double(text), value >= 0 { return value }
        throw ValidationError("'\(text)' is not a duration; write e.g. 5s, 500ms, 2m")
    }
}
