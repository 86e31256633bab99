import XCTest
import Yams

@testable import ReconcileCore

/// The loader's own composer must build the tree Yams would, positions included, since every located
/// diagnostic reads them.
final class YAMLComposerTests: XCTestCase {
    /// `Mark` is made from its stored layout (Yams keeps its initialiser internal): a Yams upgrade that
    /// reorders or adds fields fails here, not as wrong line numbers in users' errors.
    func testMarkLayoutMatchesTheResolvedYams() {
        XCTAssertEqual(MemoryLayout<Mark>.size, MemoryLayout<YAMLComposer.MarkLayout>.size)
        let mark = YAMLComposer.mark(line: 12, column: 34)
        XCTAssertEqual(mark.line, 12)
        XCTAssertEqual(mark.column, 34)
    }

    func testTreeAndPositionsEqualWhatYamsComposes() throws {
        let yaml = """
            version: 1
            base: &base { type: text, nullable: false }
            tables:
              "odd table":
                columns:
                  id: { type: bigint, identity: always }
                  name: *base
                  note: !!str 12
                  body: |
                    line one
                    line two
                  tags: [a, 'b', "c", ~]
                indexes:
                  - columns: [name]
                  -
                    columns:
                      - note
            empty:
            """
        let ours = try XCTUnwrap(try YAMLComposer.compose(yaml))
        let theirs = try XCTUnwrap(try Yams.compose(yaml: yaml, .basic))
        XCTAssertEqual(ours, theirs)
        XCTAssertEqual(describe(ours), describe(theirs))
    }

    func testNoDocumentIsNil() throws {
        XCTAssertNil(try YAMLComposer.compose(""))
        XCTAssertNil(try YAMLComposer.compose("# only a comment\n"))
    }

    func testProblemsAreLocated() {
        XCTAssertEqual(
            failure("a: 1\n---\nb: 2\n"),
            "2:1 invalid YAML: expected a single document in the stream but found another document")
        XCTAssertEqual(failure("a: *nowhere\n"), "1:4 invalid YAML: found undefined alias")
        XCTAssertEqual(failure("a: 1\nb: 2\na: 3\nb: 4\n"), "1:1 duplicate key 'a', 'b' in a mapping")
        XCTAssertEqual(
            failure("a: [1, 2\n"), "2:1 invalid YAML: while parsing a flow sequence did not find expected ',' or ']'")
        XCTAssertEqual(
            failure(String(repeating: "[", count: 65)),
            "1:65 the document nests deeper than 64 levels; a schema file never needs that")
    }

    private func failure(_ yaml: String) -> String? {
        do {
            _ = try YAMLComposer.compose(yaml)
            return nil
        } catch {
            return "\(error.line):\(error.column) \(error.message)"
        }
    }

    /// Every node with its kind and position, scalars with their text and style, in document order. (Yams
    /// records no style for collections, this composer does; no parser reads them.)
    private func describe(_ node: Node) -> [String] {
        switch node {
        case .scalar(let scalar):
            return ["scalar \(scalar.string) \(scalar.style) \(String(describing: scalar.mark))"]
        case .mapping(let mapping):
            return ["mapping \(String(describing: mapping.mark))"]
                + mapping.flatMap { describe($0.key) + describe($0.value) }
        case .sequence(let sequence):
            return ["sequence \(String(describing: sequence.mark))"] + sequence.flatMap(describe)
        case .alias:
            return ["alias"]
        }
    }
}
