import Foundation
@testable import TroupeController

/// `troupe serve --port 0` as its own process (the built `troupe` binary execs the sibling
/// `troupe-server`), on a temporary data dir; `stop()` ends it with SIGTERM, SIGKILL after
/// five seconds, and removes the data dir.
final class ServeProcess: @unchecked Sendable {
    let process: Process
    let baseURL: String
    let dataDirectory: URL
    let password = "serve-secret-1"

    /// The `troupe` executable next to the test bundle (`.build/debug/troupe`).
    static var troupePath: String {
        if let override = ProcessInfo.processInfo.environment["TROUPE_BINARY"] { return override }
        let bundle = Bundle(for: ServeProcess.self).bundleURL
        let candidates = [bundle.appendingPathComponent("troupe"), bundle.deletingLastPathComponent().appendingPathComponent("troupe")]
        return (candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[1]).path
    }

    static func start(projects: [String] = []) async throws -> ServeProcess {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-serve-\(UUID().uuidString)")
        for project in projects {
            let path = directory.appendingPathComponent("projects/\(project)")
            try FileManager.default.createDirectory(at: path, withIntermediateDirectories: true)
            try "- hosts: all\n  tasks:\n    - ping:\n".write(to: path.appendingPathComponent("site.yml"), atomically: true, encoding: .utf8)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: troupePath)
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", directory.path, "--node-name", "serve-test"]
        var environment = ProcessInfo.processInfo.environment
        environment["TROUPE_ADMIN_PASSWORD"] = "serve-secret-1"
        environment["TROUPE_SECRET_KEY"] = nil
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let handle = output.fileHandleForReading
        // The banner names the bound port: "troupe-server listening on http://127.0.0.1:PORT/api/ …".
        let banner: String? = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                var text = ""
                var buffer = [UInt8](repeating: 0, count: 4096)
                let deadline = Date().addingTimeInterval(60)
                while Date() < deadline {
                    let count = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
                    if count < 0 && errno == EINTR { continue }
                    if count <= 0 { break }
                    text += String(decoding: buffer[0..<count], as: UTF8.self)
                    if let line = text.split(separator: "\n").first(where: { $0.contains(" listening on ") }) {
                        continuation.resume(returning: String(line))
                        return
                    }
                }
                continuation.resume(returning: nil)
            }
        }
        let server = ServeProcess(process: process, dataDirectory: directory,
                                  baseURL: banner.flatMap(ServeProcess.url(fromBanner:)) ?? "")
        guard !server.baseURL.isEmpty else {
            await server.stop()
            throw TestFailure("troupe serve printed no listening banner (\(troupePath))")
        }
        // Keep draining stdout so the server never blocks on a full pipe.
        DispatchQueue.global().async { _ = readAllRetryingEINTR(handle.fileDescriptor) }
        return server
    }

    static func url(fromBanner line: String) -> String? {
        guard let start = line.range(of: "http://")?.lowerBound,
              let end = line.range(of: "/api/", range: start..<line.endIndex)?.lowerBound else { return nil }
        return String(line[start..<end])
    }

    private init(process: Process, dataDirectory: URL, baseURL: String) {
        self.process = process
        self.dataDirectory = dataDirectory
        self.baseURL = baseURL
    }

    func stop() async {
        if process.isRunning {
            process.terminate()
            for _ in 0..<50 where process.isRunning { try? await Task.sleep(nanoseconds: 100_000_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: dataDirectory)
    }
}
