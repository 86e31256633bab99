import Foundation

/// The fingerprint a saved plan records of the database it was made against: a SHA-256 of a canonical,
/// versioned encoding (JSON with sorted keys of the model values), never of Swift's own description of
/// them, which a new Swift version or a renamed field would change silently. A new model field changes
/// the encoding, and so the fingerprint, on purpose: a plan saved before cannot be trusted to cover it.
public enum StateFingerprint {
    /// Bump when the meaning of the encoding changes without the model changing.
    public static let version = 1

    private struct Encoded: Encodable {
        let version: Int
        let schema: Schema
        let seeds: [String: [SeedRowState]]
    }

    /// `seeds`: the state of each declared seeded row, by table.
    public static func of(_ schema: Schema, seeds: [QualifiedName: [SeedRowState]]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let encoded = Encoded(
            version: version, schema: schema,
            seeds: Dictionary(seeds.map { ($0.key.description, $0.value) }, uniquingKeysWith: { a, _ in a }))
        // Every value is Codable by construction; an encoding failure would be a programming error.
        let data = (try? encoder.encode(encoded)) ?? Data()
        return SHA256.hex(String(decoding: data, as: UTF8.self))
    }
}
