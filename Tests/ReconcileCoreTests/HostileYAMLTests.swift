import Foundation
import XCTest

@testable import ReconcileCore

/// Schema files written to hurt: each gets a located error, in bounded time and memory, and never a crash.
final class HostileYAMLTests: XCTestCase {
    func testAliasBombIsRefusedAtTheAliasThatCrossesTheLimit() {
        var yaml = "version: 1\nx0: &x0 [a, a, a, a, a, a, a, a, a, a]\n"
        for level in 1...9 {
            yaml +=
                "x\(level): &x\(level) [" + Array(repeating: "*x\(level - 1)", count: 10).joined(separator: ", ")
                + "]\n"
        }
        yaml += "tables: {}\n"
        XCTAssertEqual(
            loadErrors(yaml),
            [
                "schema.yaml:6:45: error: aliases expand the document by more than 100000 values; a schema file never needs that"
            ])
    }

    func testLargePlainFilesAreNotMistakenForAliasBombs() throws {
        var yaml = "version: 1\ntables:\n"
        for number in 0..<3_000 {
            yaml +=
                "  t\(number):\n    columns:\n"
                + (0..<13).map { "      c\($0): { type: text, nullable: false, default: x }\n" }.joined()
        }
        XCTAssertEqual(try SchemaLoader.load(yaml: yaml).tables.count, 3_000)
    }

    func testDeepNestingIsRefused() {
        let flow =
            "version: 1\ntables: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
            + "\n"
        XCTAssertEqual(loadErrors(flow).count, 1)
        XCTAssertTrue(loadErrors(flow)[0].hasPrefix("schema.yaml:2:"), loadErrors(flow)[0])
        let block =
            "version: 1\ntables:\n" + (1...100).map { String(repeating: "  ", count: $0) + "k\($0):\n" }.joined()
        XCTAssertEqual(
            loadErrors(block),
            ["schema.yaml:66:129: error: the document nests deeper than 64 levels; a schema file never needs that"])
    }

    func testHugeFilesAreRefusedBeforeParsing() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("huge-\(UUID().uuidString).yaml").path
        let line = "# " + String(repeating: "x", count: 1022) + "\n"
        try String(repeating: line, count: 9 * 1024).write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertThrowsError(try SchemaLoader.load(path: path)) { error in
            XCTAssertEqual("\(error)", "\(path): error: schema file is \(1025 * 9 * 1024) bytes; the limit is 8388608")
        }
    }

    func testDuplicateKeysWrongTypesAndBadEncoding() throws {
        XCTAssertEqual(
            loadErrors("version: 1\ntables:\n  a:\n    columns:\n      id: int\n      id: text\n"),
            ["schema.yaml:5:7: error: duplicate key 'id' in a mapping"])
        XCTAssertEqual(
            loadErrors("version: 1\ntables:\n  a:\n    columns: [id, name]\n"),
            ["schema.yaml:4:14: error: columns of public.a must be a mapping of keys to values, not a list"])
        XCTAssertEqual(
            loadErrors("version: 1\ntables:\n  a:\n    columns:\n      id: { type: int, nullable: maybe }\n"),
            ["schema.yaml:5:34: error: nullable of column public.a.id must be true or false, not 'maybe'"])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("latin1-\(UUID().uuidString).yaml")
            .path
        try Data([0x76, 0x65, 0x72, 0x73, 0x69, 0x6F, 0x6E, 0x3A, 0x20, 0x31, 0x0A, 0x23, 0x20, 0xE9, 0x0A]).write(
            to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertThrowsError(try SchemaLoader.load(path: path)) { error in
            XCTAssertEqual("\(error)", "\(path): error: schema file is not valid UTF-8")
        }
    }

    /// Thousands of random and mutated documents: every one loads or is rejected with located
    /// diagnostics; nothing crashes, hangs or throws anything else. Fixed seed, so a failure reproduces.
    func testFuzzedDocumentsNeverCrashTheLoader() throws {
        let seed: UInt64 = 0xF022_5EED_0000_0001
        var random = SplitMix64(seed: seed)
        let examples = try FileManager.default.contentsOfDirectory(
            atPath: Fixture.repoRoot.appendingPathComponent("examples").path
        )
        .filter { $0.hasSuffix(".yaml") }.sorted()
        .map { try String(contentsOf: Fixture.repoRoot.appendingPathComponent("examples/\($0)"), encoding: .utf8) }
        let corpus = [try String(contentsOfFile: Fixture.rootSchemaPath, encoding: .utf8)] + examples
        let tokens = [
            "&a ", "*a", "[", "]", "{", "}", ": ", "- ", "\"", "'", "\t", "\n", "  ", "#", "!!binary ", "? ",
            "|", ">", "%YAML 1.1\n", "---\n", "...\n", "null", "~", "1e309", "-0", "é", "\u{0}", "\u{FEFF}",
            "references: ", "seed:", "rows:", "type: ", "default: ", "key: [", "version: 2",
        ]
        var accepted = 0, rejected = 0
        for iteration in 0..<2_000 {
            var text = Array(corpus[Int(random.next() % UInt64(corpus.count))].unicodeScalars)
            for _ in 0..<(1 + Int(random.next() % 8)) {
                let position = text.isEmpty ? 0 : Int(random.next() % UInt64(text.count))
                switch random.next() % 5 {
                case 0: if !text.isEmpty { text.remove(at: position) }
                case 1:
                    text.insert(
                        contentsOf: tokens[Int(random.next() % UInt64(tokens.count))].unicodeScalars, at: position)
                case 2: if !text.isEmpty { text[position] = Unicode.Scalar(UInt8(32 + random.next() % 95)) }
                case 3: text = Array(text.prefix(position))
                default:
                    let end = min(text.count, position + Int(random.next() % 200))
                    text.insert(contentsOf: text[position..<end], at: position)
                }
            }
            var document = String.UnicodeScalarView()
            document.append(contentsOf: text)
            do {
                _ = try SchemaLoader.load(yaml: String(document))
                accepted += 1
            } catch let error as SchemaLoadError {
                XCTAssertFalse(
                    error.diagnostics.isEmpty, "iteration \(iteration) (seed \(seed)): an error without diagnostics")
                rejected += 1
            } catch {
                XCTFail("iteration \(iteration) (seed \(seed)): unexpected \(type(of: error)): \(error)")
            }
        }
        XCTAssertEqual(accepted + rejected, 2_000)
        XCTAssertGreaterThan(rejected, 700, "the mutations should break most documents")
    }
}

/// A tiny deterministic generator (SplitMix64), so fuzz runs reproduce from their seed.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
