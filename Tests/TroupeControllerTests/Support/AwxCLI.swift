import Foundation
import Testing
@testable import TroupeController

/// Runs the real `awx` CLI (awxkit 24.6.1) against a controller at `baseURL`, with
/// `--conf.color f -f json` and either username/password (awx then logs in with a session
/// cookie, never Basic) or a token.
struct AwxCLI: Sendable {
    struct Run: Sendable {
        let status: Int32
        let stdout: String
        let stderr: String
        var json: JSON { (try? JSONParser.parse(stdout)) ?? .null }
    }

    let baseURL: String
    var username = "admin"
    var password = TestController.adminPassword

    init(_ server: TestController) { baseURL = server.baseURL }
    init(baseURL: String, password: String) {
        self.baseURL = baseURL
        self.password = password
    }

    static func executable() throws -> String {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") + ["/root/.pyenv/shims", "/usr/local/bin"] {
            let candidate = "\(directory)/awx"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw TestFailure("the awx CLI is not installed; run scripts/install-deps.sh (pip install awxkit==24.6.1 'setuptools<81')")
    }

    /// Runs awx on a Dispatch thread: blocking a task thread would starve the in-process
    /// controller that awx talks to (the cooperative pool has one thread per core).
    func run(_ arguments: [String], token: String? = nil, stdin: String? = nil) async throws -> Run {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runBlocking(arguments, token: token, stdin: stdin) })
            }
        }
    }

    /// Runs and requires exit 0.
    @discardableResult
    func ok(_ arguments: [String], token: String? = nil, stdin: String? = nil,
            sourceLocation: SourceLocation = #_sourceLocation) async throws -> Run {
        let run = try await run(arguments, token: token, stdin: stdin)
        #expect(run.status == 0, "awx \(arguments.joined(separator: " ")) → \(run.status)\n\(run.stdout)\n\(run.stderr)", sourceLocation: sourceLocation)
        return run
    }

    private func runBlocking(_ arguments: [String], token: String?, stdin: String?) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try AwxCLI.executable())
        let auth = token.map { ["--conf.token", $0] } ?? ["--conf.username", username, "--conf.password", password]
        process.arguments = ["--conf.host", baseURL, "--conf.color", "f", "-f", "json"] + auth + arguments
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("CONTROLLER_") || key.hasPrefix("TOWER_") { environment[key] = nil }
        environment["PYTHONWARNINGS"] = "ignore"
        process.environment = environment
        let output = Pipe(), errors = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Bounded: an awx that hangs (e.g. waiting on a server that never answers) is
        // killed after two minutes so the suite cannot stall.
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 120, execute: watchdog)
        defer { watchdog.cancel() }
        let errorHandle = errors.fileHandleForReading
        nonisolated(unsafe) var err = Data()
        let errDone = DispatchSemaphore(value: 0)
        DispatchQueue(label: "awx.stderr").async { err = readAllRetryingEINTR(errorHandle.fileDescriptor); errDone.signal() }
        let out = readAllRetryingEINTR(output.fileHandleForReading.fileDescriptor)
        errDone.wait()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }
}

/// Reads `fd` to end of file, retrying reads interrupted by a signal (Foundation's
/// readDataToEndOfFile traps on EINTR, which child-process signals cause in this suite).
func readAllRetryingEINTR(_ fd: Int32) -> Data {
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count > 0 { data.append(contentsOf: buffer[0..<count]); continue }
        if count < 0 && errno == EINTR { continue }
        return data
    }
}
