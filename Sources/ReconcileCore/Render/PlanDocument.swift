import Foundation

/// The machine-readable plan (`--format json`, and the saved plan of `--plan --out`). Its shape is
/// documented in the README and pinned by a golden test; `format_version` changes when it changes.
public struct PlanDocument: Codable, Equatable, Sendable {
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    /// "plan" or "check".
    public var mode: String
    public var inSync: Bool
    public var summary: Summary
    public var steps: [Step]
    public var blocked: [Step]
    public var unmanagedTables: [String]
    /// `--plan` only, and only when there are some: objects reconcile does not model, as `kind name`.
    public var notModelled: [String]?
    /// `--check` only: one item per difference.
    public var drift: [DriftItem]?
    /// Saved plans only: what the plan was computed from, so `--apply --plan-file` can refuse a stale one.
    public var state: SavedState?
    /// True for an online plan (`--online`); absent otherwise.
    public var online: Bool?

    public struct Summary: Codable, Equatable, Sendable {
        public var steps: Int
        public var add: Int
        public var change: Int
        public var remove: Int
        public var blocked: Int
        public var destructive: Int
        public var hazardous: Int
        public var wouldFail: Int
    }

    public struct Step: Codable, Equatable, Sendable {
        public var number: Int
        public var kind: String
        public var object: String
        public var table: String?
        public var summary: String
        public var marker: String
        public var sql: [String]
        public var inTransaction: Bool
        public var commitsSeparately: Bool
        public var lockTimeoutMs: Int
        public var statementTimeoutMs: Int
        public var hazards: [String]
        /// The strongest lock on an existing table (`SHARE ROW EXCLUSIVE`), and what it blocks (`reads`,
        /// `writes`); both absent when the step locks no existing table.
        public var lock: String?
        public var blocks: [String]?
        public var destructive: Bool
        public var estimatedRows: Int?
        public var preflightFailure: String?
        /// Online plans: the step's phase (numbered from 1) and its kind (`short-locks`, `concurrent-indexes`,
        /// `validation`, `backfill`), and why `--online` refuses it, if it does.
        public var phase: Int?
        public var phaseKind: String?
        public var onlineRefusal: String?
    }

    public struct DriftItem: Codable, Equatable, Sendable {
        public var marker: String
        public var kind: String
        public var object: String
        public var description: String
    }

    public struct SavedState: Codable, Equatable, Sendable {
        /// SHA-256 of the live schema (and seeded rows' state) the plan was computed from.
        public var databaseSha256: String
        /// SHA-256 of the schema file's bytes.
        public var schemaSha256: String
        public var schemaPath: String
        public var allowDestructive: Bool
        /// `--online` and `--allow-rewrites` of the plan (absent: false); `--apply --plan-file` runs it the same way.
        public var online: Bool?
        public var allowRewrites: Bool?

        public init(
            databaseSha256: String, schemaSha256: String, schemaPath: String, allowDestructive: Bool,
            online: Bool = false, allowRewrites: Bool = false
        ) {
            self.databaseSha256 = databaseSha256
            self.schemaSha256 = schemaSha256
            self.schemaPath = schemaPath
            self.allowDestructive = allowDestructive
            self.online = online ? true : nil
            self.allowRewrites = allowRewrites ? true : nil
        }
    }

    /// Timeouts the applier sets, recorded on each step.
    public struct Timeouts: Sendable {
        public var lockTimeoutMs: Int
        public var statementTimeoutMs: Int

        public init(lockTimeoutMs: Int, statementTimeoutMs: Int) {
            self.lockTimeoutMs = lockTimeoutMs
            self.statementTimeoutMs = statementTimeoutMs
        }
    }

    public init(plan: Plan, mode: String, timeouts: Timeouts, drift: [PlanStep]? = nil, state: SavedState? = nil) {
        var phaseNumbers: [Int: Int] = [:]
        for phase in plan.phases { for step in phase.steps { phaseNumbers[step.number] = phase.number } }
        func step(_ step: PlanStep) -> Step {
            Step(
                number: step.number, kind: step.change.kindName, object: step.change.objectName,
                table: step.change.table?.description, summary: step.summary, marker: step.change.marker.description,
                sql: step.statements, inTransaction: step.onlinePhase?.inTransaction ?? true,
                commitsSeparately: step.commitsSeparately,
                lockTimeoutMs: timeouts.lockTimeoutMs, statementTimeoutMs: timeouts.statementTimeoutMs,
                hazards: step.hazards.map(\.rawValue), lock: step.lock.mode,
                blocks: step.lock == .none
                    ? nil
                    : (step.lock.blocksReads ? ["reads"] : []) + (step.lock.blocksWrites ? ["writes"] : []),
                destructive: step.isDestructive,
                estimatedRows: step.estimatedRows, preflightFailure: step.preflightFailure,
                phase: phaseNumbers[step.number], phaseKind: step.onlinePhase?.rawValue,
                onlineRefusal: step.onlineRefusal)
        }
        let markers = plan.steps.map(\.change.marker)
        formatVersion = Self.currentFormatVersion
        self.mode = mode
        inSync = drift.map(\.isEmpty) ?? plan.isInSync
        summary = Summary(
            steps: plan.steps.count, add: markers.filter { $0 == .add }.count,
            change: markers.filter { $0 == .change }.count, remove: markers.filter { $0 == .remove }.count,
            blocked: plan.blocked.count,
            destructive: (plan.steps + plan.blocked).filter(\.isDestructive).count,
            hazardous: plan.steps.filter { !$0.hazards.isEmpty }.count,
            wouldFail: plan.failingSteps.count)
        steps = plan.steps.map(step)
        blocked = plan.blocked.map(step)
        unmanagedTables = plan.unmanagedTables.map(\.description)
        notModelled = plan.notModelled.isEmpty ? nil : plan.notModelled
        self.drift = drift?.map {
            DriftItem(
                marker: $0.change.marker.description, kind: $0.change.kindName,
                object: $0.change.objectName, description: $0.change.driftDescription)
        }
        self.state = state
        online = plan.isOnline ? true : nil
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, numbers and arrays cannot fail.
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self) + "\n"
    }

    public static func decode(_ data: Data) throws -> PlanDocument {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(PlanDocument.self, from: data)
    }
}
