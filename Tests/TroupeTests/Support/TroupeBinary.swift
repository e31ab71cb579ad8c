import Foundation
import XCTest

/// Runs the built `troupe` executable (tests build it with `swift build --build-tests`).
enum TroupeBinary {
    static var path: String {
        if let override = ProcessInfo.processInfo.environment["TROUPE_BINARY"] { return override }
        // The products directory holds both the test bundle and the executables.
        let bundle = Bundle(for: BundleMarker.self).bundleURL
        let candidates = [bundle.appendingPathComponent("troupe"), bundle.deletingLastPathComponent().appendingPathComponent("troupe")]
        return (candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[1]).path
    }

    struct Output {
        var status: Int32
        var stdout: String
        var combined: String
    }

    /// Runs `troupe ARGS` in `directory` with colour off; stdout and stderr merged, as
    /// compare.py reads them.
    /// `closedInput`: stdin is /dev/null (prompts take their defaults, as without a terminal).
    static func run(_ arguments: [String], in directory: String, environment extra: [String: String] = [:],
                    closedInput: Bool = false) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env["ANSIBLE_NOCOLOR"] = "1"
        env["NO_COLOR"] = "1"
        env.removeValue(forKey: "ANSIBLE_FORCE_COLOR")
        env.removeValue(forKey: "ANSIBLE_CONFIG")
        for (k, v) in extra { env[k] = v }
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        if closedInput { process.standardInput = FileHandle.nullDevice }
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        return Output(status: process.terminationStatus, stdout: text, combined: text)
    }
}

private final class BundleMarker {}
