import Foundation
import XCTest

/// Runs the built `reconcile` executable as a user would, capturing exit code and output.
enum CLI {
    struct Result {
        let exitCode: Int32
        let stdout: String
        let stderr: String
    }

    /// The `reconcile` binary next to the test bundle (SwiftPM builds it because the tests depend on it).
    static var executable: URL {
        var directory = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("reconcile")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return Bundle.main.bundleURL.appendingPathComponent("reconcile")
    }

    /// Starts the process without waiting, for concurrency tests.
    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "DATABASE_URL")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, out, err)
    }

    static func finish(_ started: (Process, Pipe, Pipe)) -> Result {
        let (process, out, err) = started
        // Read before waiting, so a full pipe cannot block the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            exitCode: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        finish(try start(arguments, environment: environment))
    }
}

/// A schema file in a fresh temporary directory.
func writeSchema(_ yaml: String, name: String = "schema.yaml") throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "reconcile-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let path = directory.appendingPathComponent(name).path
    try yaml.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// The repository root, for example files and schema.yaml.
let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
}()
