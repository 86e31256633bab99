// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "reconcile",
    products: [
        .executable(name: "reconcile", targets: ["reconcile"]),
        .library(name: "Reconcile", targets: ["Reconcile"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // The only place that sees libpq's C API.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // A small, safe PostgreSQL client over libpq: connections, results, errors.
        .target(name: "PostgresClient", dependencies: ["CLibPQ"]),
        // Model, YAML loading, diffing, planning, SQL and plan rendering. Needs no database.
        .target(name: "ReconcileCore", dependencies: [.product(name: "Yams", package: "Yams")]),
        // Introspection, canonicalisation, apply, and the one entry point the CLI drives.
        .target(name: "Reconcile", dependencies: ["ReconcileCore", "PostgresClient"]),
        .executableTarget(
            name: "reconcile",
            dependencies: ["Reconcile", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "ReconcileCoreTests", dependencies: ["ReconcileCore"], exclude: ["Golden"]),
        .testTarget(
            name: "ReconcileTests", dependencies: ["Reconcile", "reconcile", .product(name: "Yams", package: "Yams")],
            exclude: ["Cases", "Corpus"]),
    ]
)
