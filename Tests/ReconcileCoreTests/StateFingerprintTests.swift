import XCTest

@testable import ReconcileCore

/// The saved-plan fingerprint is a hash of a canonical encoding: the same state always gives the same
/// value, on any Swift version, and any change of the state or of the model's encoding changes it.
final class StateFingerprintTests: XCTestCase {
    private let state = Schema(
        schemaNames: ["public"],
        tables: [
            Table(
                name: QualifiedName(name: "admin_settings"),
                columns: [
                    Column(name: "id", type: "integer", isNullable: false),
                    Column(name: "cap", type: "numeric(10,2)", defaultValue: .literal(.null)),
                ],
                primaryKey: PrimaryKey(name: "admin_settings_pkey", columns: ["id"]))
        ],
        sequences: [StandaloneSequence(name: QualifiedName(name: "numbers"), options: SequenceOptions(start: 5))])
    private let seeds: [QualifiedName: [SeedRowState]] = [QualifiedName(name: "admin_settings"): [.missing]]

    /// Pinned: if this changes, saved plans made before the change are refused as stale. That is right when
    /// the model gained something a plan must cover (bump `StateFingerprint.version` if only the meaning
    /// changed), and a bug otherwise.
    func testTheFingerprintOfAFixedStateIsPinned() {
        XCTAssertEqual(
            StateFingerprint.of(state, seeds: seeds),
            "970a990a2fd6fdc30fdf56977aac99f2ff5a07b32ec58c3ebdf2aef7cc3abb5b")
    }

    func testEveryDifferenceChangesIt() {
        let base = StateFingerprint.of(state, seeds: seeds)
        XCTAssertEqual(StateFingerprint.of(state, seeds: seeds), base, "deterministic")
        var renamed = state
        renamed.tables[0].columns[1].name = "monthly_cap"
        XCTAssertNotEqual(StateFingerprint.of(renamed, seeds: seeds), base)
        var other = state
        other.sequences[0].options.start = 6
        XCTAssertNotEqual(StateFingerprint.of(other, seeds: seeds), base)
        var secured = state
        secured.tables[0].rowLevelSecurity = .enabled
        XCTAssertNotEqual(StateFingerprint.of(secured, seeds: seeds), base)
        var withPolicy = secured
        withPolicy.tables[0].policies = [Policy(name: "p", using: "true")]
        XCTAssertNotEqual(StateFingerprint.of(withPolicy, seeds: seeds), StateFingerprint.of(secured, seeds: seeds))
        var withDomain = state
        withDomain.domains = [Domain(name: QualifiedName(name: "d"), baseType: "integer")]
        XCTAssertNotEqual(StateFingerprint.of(withDomain, seeds: seeds), base)
        var withType = state
        withType.compositeTypes = [CompositeType(name: QualifiedName(name: "c"), attributes: [])]
        XCTAssertNotEqual(StateFingerprint.of(withType, seeds: seeds), base)
        var withRoutine = state
        withRoutine.routines = [Routine(name: QualifiedName(name: "f"), returns: "integer", body: "SELECT 1")]
        XCTAssertNotEqual(StateFingerprint.of(withRoutine, seeds: seeds), base)
        var withTrigger = state
        withTrigger.tables[0].triggers = [
            Trigger(name: "t", timing: .before, events: [.update], function: QualifiedName(name: "f"))
        ]
        XCTAssertNotEqual(StateFingerprint.of(withTrigger, seeds: seeds), base)
        XCTAssertNotEqual(StateFingerprint.of(state, seeds: [QualifiedName(name: "admin_settings"): [.matches]]), base)
    }
}
