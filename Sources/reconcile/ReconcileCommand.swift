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
              --plan      what --apply would do (reads only); exit 0
              --apply     do it in one transaction, all or nothing; exit 0 or 1
              --check     drift for cron: exit 0 in sync, 2 drift, 1 error
              --export    the live database as a schema file (adoption)
              --validate  the schema file alone, no database; exit 0 or 1

            Examples:
              reconcile --plan --database-url postgresql://app@db/app
              reconcile --plan --format markdown > plan.md
              reconcile --plan --out plan.json
              reconcile --apply --plan-file plan.json
              reconcile --apply --schema deploy/schema.yaml --lock-timeout 2s
              reconcile --check --exclude schema_migrations || alert drift
              reconcile --apply --allow-destructive --statement-timeout 5m
              reconcile --apply --online --lock-timeout 500ms
              reconcile --export --seed-tables admin_settings > schema.yaml
              reconcile --export --exclude 'public.tmp_*' > schema.yaml
              reconcile --export --split schema && reconcile --check --schema schema
              reconcile --plan --offline --format sql

            The connection comes from --database-url, else $DATABASE_URL,
            else libpq's PG* variables, ~/.pgpass and service files.
            Passwords are never printed.
            """,
        version: BuildInfo.versionLine)

    enum Mode: String, EnumerableFlag {
        case plan, apply, check, export, validate

        static func help(for value: Mode) -> ArgumentHelp? {
            switch value {
            case .plan: return "Print the plan: what --apply would change (the default)."
            case .apply: return "Apply the plan in one transaction, then verify the database matches."
            case .check: return "Exit 0 when the database matches the file, 2 when it drifts, 1 on error."
            case .export: return "Print the live database as a schema file, to stdout."
            case .validate: return "Check the schema file without connecting to a database."
            }
        }
    }

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, sql, json, markdown
    }

    @Flag(exclusivity: .exclusive)
    var mode: Mode = .plan

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The schema file, or a folder of them (every *.yaml and *.yml in it).",
            valueName: "path"))
    var schema: String = "schema.yaml"

    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp("libpq URI or conninfo (default: $DATABASE_URL, then PG* variables).", valueName: "url"))
    var databaseURL: String?

    @Option(name: .long, help: "Output of --plan and --check: text (default), sql, json or markdown.")
    var format: Format = .text

    @Flag(
        name: .customLong("allow-destructive"),
        help:
            "Also drop tables, columns, constraints and indexes the file does not declare, and allow lossy type changes."
    )
    var allowDestructive = false

    @Option(
        name: .customLong("include"), parsing: .singleValue,
        help: ArgumentHelp(
            "Manage (or --export) only tables matching this pattern (schema.table or table; * and ?). "
                + "Repeatable.", valueName: "pattern"))
    var include: [String] = []

    @Option(
        name: .customLong("exclude"), parsing: .singleValue,
        help: ArgumentHelp(
            "Never touch (or --export) tables matching this pattern, even with --allow-destructive. "
                + "Repeatable.", valueName: "pattern"))
    var exclude: [String] = []

    @Option(
        name: .customLong("out"),
        help: ArgumentHelp("--plan: also save the plan, with the state it was made from, as JSON.", valueName: "file"))
    var out: String?

    @Option(
        name: .customLong("plan-file"),
        help: ArgumentHelp("--apply: execute exactly this saved plan, or refuse if it is stale.", valueName: "file"))
    var planFile: String?

    @Flag(name: .long, help: "--plan: plan against an empty database without connecting to one.")
    var offline = false

    @Option(
        name: .customLong("lock-timeout"),
        help: ArgumentHelp(
            "How long a step, or a read of --plan, --check or --export, may wait for a table lock (e.g. 5s, 500ms; 0: no bound; "
                + "default 5s, 1s with --online).",
            valueName: "duration"),
        transform: DurationText.seconds)
    var lockTimeout: Double?

    @Option(
        name: .customLong("statement-timeout"),
        help: ArgumentHelp("How long one statement may run; 0 means no limit.", valueName: "duration"),
        transform: DurationText.seconds)
    var statementTimeout: Double = 0

    @Option(
        name: .customLong("lock-wait"),
        help: ArgumentHelp(
            "How long to wait for another reconcile --apply on the same database.", valueName: "duration"),
        transform: DurationText.seconds)
    var lockWait: Double = 120

    @Option(
        name: .long,
        help: ArgumentHelp(
            "--apply: start over up to N times after a lock timeout, deadlock or serialization failure, with backoff "
                + "(default 0; with --online each step retries on its own, default \(Self.onlineRetries)).",
            valueName: "n"))
    var retries: Int?

    static let onlineRetries = 8

    @Flag(
        name: .long,
        help: ArgumentHelp(
            "--plan/--apply: in phases that never hold a lock blocking writes for long: indexes CONCURRENTLY, "
                + "constraints NOT VALID then validated, each step committed on its own and retried on a lock "
                + "timeout; a run stopped anywhere is finished by the next."))
    var online = false

    @Flag(
        name: .customLong("allow-rewrites"),
        help: "--online: also run steps that rewrite or scan a table under a lock that blocks writes.")
    var allowRewrites = false

    @Flag(
        name: .customLong("single-connection"),
        help: "--plan/--check: read the catalog on one connection (by default a second one shares its snapshot).")
    var singleConnection = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Give up after this long in all (e.g. 10m); the running statement is cancelled, nothing changes.",
            valueName: "duration"),
        transform: DurationText.seconds)
    var timeout: Double = 0

    @Option(
        name: .long, parsing: .singleValue,
        help: ArgumentHelp(
            "--export: schemas to export, comma-separated (default: every user schema).", valueName: "names"),
        transform: CommaList.split)
    var schemas: [[String]] = []

    @Option(
        name: .customLong("seed-tables"), parsing: .singleValue,
        help: ArgumentHelp(
            "--export: also write these tables' rows as seeded rows ([schema.]table, comma-separated).",
            valueName: "tables"),
        transform: CommaList.split)
    var seedTables: [[String]] = []

    @Flag(name: .long, help: "Print the number of statements sent to the server and the elapsed time to stderr.")
    var stats = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "--export: write a schema folder, one file per table, instead of "
                + "printing one file.", valueName: "dir"))
    var split: String?

    @Flag(
        name: .customLong("print-json-schema"),
        help: "Print the JSON Schema of the schema file (for editors) and exit.")
    var printJSONSchema = false

    func validate() throws {
        if out != nil && mode != .plan { throw ValidationError("--out goes with --plan") }
        if planFile != nil && mode != .apply { throw ValidationError("--plan-file goes with --apply") }
        if offline && mode != .plan { throw ValidationError("--offline goes with --plan") }
        if offline && out != nil {
            throw ValidationError("--offline plans cannot be saved: they know no database state")
        }
        if (retries ?? 0) < 0 { throw ValidationError("--retries must be 0 or more") }
        if online && mode != .plan && mode != .apply { throw ValidationError("--online goes with --plan or --apply") }
        if online && planFile != nil {
            throw ValidationError("a saved plan runs as it was made: save it with --plan --online --out instead")
        }
        if allowRewrites && !online { throw ValidationError("--allow-rewrites goes with --online") }
        if split != nil && mode != .export { throw ValidationError("--split goes with --export") }
    }

    func run() throws {
        if printJSONSchema {
            Output.out(SchemaFileJSONSchema.text)
            return
        }
        var options = ReconcileOptions(
            schemaPath: schema,
            connection: ConnectionInfo(databaseURL ?? ProcessInfo.processInfo.environment["DATABASE_URL"] ?? ""),
            allowDestructive: allowDestructive, lockTimeout: lockTimeout ?? (online ? 1 : 5),
            statementTimeout: statementTimeout,
            lockWait: lockWait, filter: TableFilter(include: include, exclude: exclude),
            retries: retries ?? (online ? Self.onlineRetries : 0), totalTimeout: timeout)
        options.online = online
        options.allowRewrites = allowRewrites
        options.singleConnection = singleConnection
        let reconciler = Reconciler(options: options)
        let started = Date()
        defer {
            if stats {
                let seconds = String(format: "%.3f", Date().timeIntervalSince(started))
                Output.errorLine("reconcile: \(reconciler.statementsSent) statements sent, \(seconds) s")
            }
        }
        do {
            switch mode {
            case .plan: try runPlan(reconciler)
            case .apply: try ApplyProgress().run(reconciler, planFile: planFile)
            case .check: try runCheck(reconciler)
            case .export:
                let names = schemas.flatMap { $0 }
                let tables = try seedTables.flatMap { $0 }.map(CommaList.tableName)
                let schemas = names.isEmpty ? nil : names
                if let split {
                    let files = try reconciler.export(schemas: schemas, seedTables: tables, splitInto: split)
                    Output.out(
                        "Exported \(files.count - 1) table\(files.count == 2 ? "" : "s") into \(split) "
                            + "(\(files.count) files); load it with --schema \(split).\n")
                } else {
                    Output.out(try reconciler.export(schemas: schemas, seedTables: tables))
                }
                if !reconciler.exportNotModelled.isEmpty {
                    Output.errorLine(
                        "warning: the export does not rebuild \(reconciler.exportNotModelled.count) object"
                            + "\(reconciler.exportNotModelled.count == 1 ? "" : "s") reconcile does not model "
                            + "(named in the file's header): "
                            + reconciler.exportNotModelled.joined(separator: ", "))
                }
            case .validate:
                let schema = try reconciler.loadSchema()
                let seeded = schema.tables.filter { $0.seed != nil }.count
                Output.out(
                    "\(self.schema): valid (\(schema.tables.count) table\(schema.tables.count == 1 ? "" : "s"), \(seeded) seeded)\n"
                )
            }
        } catch ReconcileError.invalidSchema(let error) {
            // Diagnostics are already `file:line:column: error: message`, as compilers print them.
            Output.errorLine(error.description)
            throw ExitCode(1)
        } catch let error as ReconcileError {
            Output.errorLine("error: " + error.description)
            throw ExitCode(1)
        }
    }

    private func runPlan(_ reconciler: Reconciler) throws {
        if offline {
            Output.out(render(try reconciler.offlinePlan(), reconciler: reconciler))
            return
        }
        let result = try reconciler.plan(recordingState: out != nil)
        if let out {
            let document = PlanDocument(
                plan: result.plan, mode: "plan", timeouts: reconciler.options.timeouts, state: result.state)
            do {
                try document.json().write(toFile: out, atomically: true, encoding: .utf8)
            } catch {
                Output.errorLine("error: cannot write the plan to \(out): \(error.localizedDescription)")
                throw ExitCode(1)
            }
        }
        Output.out(render(result.plan, reconciler: reconciler))
    }

    private func render(_ plan: Plan, reconciler: Reconciler) -> String {
        switch format {
        case .text: return PlanTextRenderer.render(plan, style: Output.style)
        case .sql: return PlanSQLRenderer.render(plan)
        case .json: return PlanDocument(plan: plan, mode: "plan", timeouts: reconciler.options.timeouts).json()
        case .markdown: return PlanMarkdownRenderer.render(plan)
        }
    }

    private func runCheck(_ reconciler: Reconciler) throws {
        let result = try reconciler.check()
        switch format {
        case .text:
            Output.out(PlanTextRenderer.renderDrift(result.drift, style: Output.style))
        case .sql:
            let plan = Plan(
                steps: result.drift.filter { !$0.change.needsManualAction }, blocked: [], unmanagedTables: [])
            Output.out(PlanSQLRenderer.render(plan))
        case .json:
            let plan = Plan(steps: result.drift, blocked: [], unmanagedTables: result.unmanagedTables)
            Output.out(
                PlanDocument(plan: plan, mode: "check", timeouts: reconciler.options.timeouts, drift: result.drift)
                    .json())
        case .markdown:
            Output.out(PlanMarkdownRenderer.renderDrift(result.drift))
        }
        for item in result.notCompared {
            Output.errorLine("warning: not compared: \(item)")
        }
        if !result.inSync { throw ExitCode(2) }
    }
}

/// Prints each step as it starts and ends; on failure, which steps ran (and were rolled back) and which not.
final class ApplyProgress {
    private var planned: [PlanStep] = []
    private var finished: [PlanStep] = []
    private var online = false

    func run(_ reconciler: Reconciler, planFile: String?) throws {
        let result: ApplyResult
        do {
            if let planFile {
                guard let data = FileManager.default.contents(atPath: planFile) else {
                    throw ReconcileError.stalePlan("cannot read the plan file \(planFile)")
                }
                let document: PlanDocument
                do {
                    document = try PlanDocument.decode(data)
                } catch {
                    throw ReconcileError.stalePlan("\(planFile) is not a plan written by --plan --out")
                }
                result = try reconciler.apply(savedPlan: document, progress: event)
            } else {
                result = try reconciler.apply(progress: event)
            }
        } catch let error as ReconcileError {
            if case .stepFailed(let step, _, _, _, _) = error { Output.out("FAILED\n\n"); report(failedAt: step) }
            if case .onlineStepFailed(let failure) = error { Output.out("FAILED\n\n"); report(online: failure) }
            if case .lockNotGranted(.onlineStepFailed(let failure), _) = error {
                Output.out("FAILED\n\n")
                report(online: failure)
            }
            throw error
        }
        if result.executed.isEmpty {
            Output.out("No changes. The database matches the schema file.\n")
        } else if online {
            Output.out(
                "Applied \(result.executed.count) step\(result.executed.count == 1 ? "" : "s") online, each committed on its own; the database now matches the schema file.\n"
            )
        } else {
            Output.out(
                "Applied \(result.executed.count) step\(result.executed.count == 1 ? "" : "s") in one transaction; the database now matches the schema file.\n"
            )
        }
    }

    private func event(_ event: ApplyEvent) {
        switch event {
        case .waitingForLock:
            Output.out("Waiting for another reconcile --apply on this database to finish (up to --lock-wait)...\n")
        case .planned(let steps):
            finished = []
            planned = steps
        case .retrying(let attempt, let total, let delay, let reason):
            if !finished.isEmpty || !planned.isEmpty { Output.out("FAILED\n") }
            finished = []
            Output.out(
                "Rolled back: \(reason). Retrying in \(String(format: "%.1f", delay)) s (retry \(attempt) of \(total))...\n"
            )
        case .stepStarted(let step):
            Output.out(
                "\(Output.style.marker(step.change.marker)) \(step.number). \(step.change.table.map { "\($0): " } ?? "")\(step.summary) ... "
            )
        case .stepFinished(let step, let seconds):
            finished.append(step)
            Output.out("done (\(Int((seconds * 1000).rounded())) ms)\n")
        case .phaseStarted(let phase, let count):
            online = true
            Output.out("Phase \(phase.number) of \(count): \(phase.kind.title)\n")
        case .stepRetrying(_, let attempt, let total, let delay, let reason):
            Output.out(
                "rolled back: \(reason); retrying this step in \(String(format: "%.1f", delay)) s (retry \(attempt) of \(total)) ... "
            )
        }
    }

    /// Online: what stays committed, what failed, what did not run.
    private func report(online failure: OnlineFailure) {
        let notRun = planned.filter { $0.number > failure.step.number }
        if !finished.isEmpty { Output.out("Committed (stays): \(numbers(finished))\n") }
        Output.out("Failed: \(failure.step.number), in phase \(failure.phase.number) of \(failure.phaseCount)\n")
        if !notRun.isEmpty { Output.out("Not run: \(numbers(notRun))\n") }
    }

    private func report(failedAt step: PlanStep) {
        let notRun = planned.filter { $0.number > step.number }
        if !finished.isEmpty { Output.out("Rolled back (had run): \(numbers(finished))\n") }
        Output.out("Failed: \(step.number)\n")
        if !notRun.isEmpty { Output.out("Not run: \(numbers(notRun))\n") }
    }

    private func numbers(_ steps: [PlanStep]) -> String { steps.map { String($0.number) }.joined(separator: ", ") }
}

enum Output {
    /// Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org).
    static let style = PlanTextRenderer.Style(
        colors: isatty(STDOUT_FILENO) == 1
            && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            && ProcessInfo.processInfo.environment["TERM"] != "dumb")

    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func errorLine(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

enum CommaList {
    static func split(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `table` or `schema.table` (double quotes for odd names), as in the schema file.
    static func tableName(_ text: String) throws -> QualifiedName {
        guard let name = try? SchemaLoader.qualifiedName(text) else {
            throw ValidationError("'\(text)' is not a table name; write table or schema.table")
        }
        return name
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
