/// What `reconcile --version` prints: the release version and the git commit the binary was built from.
///
/// SwiftPM has no way to pass a string into a build without a plugin, so the commit is written into this
/// file by `scripts/stamp-commit`, which `scripts/package` and the Dockerfile run on their own copy of the
/// sources (exported from git), never on the checkout. A plain `swift build` keeps `nil` and prints
/// "unknown commit": a binary that cannot say where it came from says so instead of guessing.
enum BuildInfo {
    /// Raised by hand for a release.
    static let version = "0.1.0"

    /// The full commit hash, or nil. scripts/stamp-commit replaces the line below and fails if it is not there.
    static let commit: String? = nil  // stamp-commit

    static var versionLine: String {
        "reconcile \(version) (\(commit.map { "commit \($0)" } ?? "unknown commit"))"
    }
}
