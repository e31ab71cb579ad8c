import Foundation
import Testing
@testable import TroupeClient

/// Runs a product built next to the test bundle (`swift build --build-tests` builds every
/// product) and returns its exit status and output.
func runProduct(_ name: String, _ arguments: [String], environment: [String: String], stdin: String? = nil,
                timeout: TimeInterval = 60) async throws -> (status: Int32, stdout: String, stderr: String) {
    let testBinary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    var directory = URL(fileURLWithPath: testBinary).deletingLastPathComponent()
    // The XCTest bundle on Linux is a plain executable in the products directory; on other
    // layouts walk up until the product is found.
    while !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent(name).path),
          directory.path != "/" {
        directory.deleteLastPathComponent()
    }
    let executable = directory.appendingPathComponent(name)
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = environment.merging(["PATH": "/usr/bin:/bin", "TROUPE_SERVER_TIMEOUT": "120"]) { mine, _ in mine }
    let output = Pipe(), errors = Pipe(), input = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    // Read both pipes while the process runs so a full pipe cannot block it. The blocking
    // reads run on Dispatch threads, not in tasks: on a 2-core machine two blocked tasks
    // would fill Swift's cooperative pool, and the fake controller (an actor) serving the
    // child could then never run — a deadlock.
    let out = readToEnd(output.fileHandleForReading)
    let err = readToEnd(errors.fileHandleForReading)
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning {
        if Date() > deadline { process.terminate() }
        try await Task.sleep(nanoseconds: 10_000_000)
    }
    return (process.terminationStatus, String(decoding: await out.value, as: UTF8.self),
            String(decoding: await err.value, as: UTF8.self))
}

/// Reads `handle` to its end on a Dispatch thread; `value` waits without blocking a task thread.
private func readToEnd(_ handle: FileHandle) -> Task<Data, Never> {
    let (stream, continuation) = AsyncStream.makeStream(of: Data.self)
    DispatchQueue.global().async {
        continuation.yield(readAllRetryingEINTR(handle.fileDescriptor))
        continuation.finish()
    }
    return Task { var data = Data(); for await chunk in stream { data = chunk }; return data }
}

@Suite struct ExecutableTests {
    @Test func exampleListsLaunchesStreamsAndSucceeds() async throws {
        try await withFakeController { server in
            let api = try server.api()
            let template = try await makeTemplate(api, name: "Deploy", hosts: 2)
            let backup = try await api.create(JobTemplate.self, ["name": "Backup", "inventory": .int(template.inventory ?? 0)])
            let environment = ["TROUPE_SERVER_URL": server.url, "TROUPE_API_KEY": FakeController.adminToken]

            let listing = try await runProduct("controller-client", [], environment: environment)
            #expect(listing.status == 0)
            #expect(listing.stdout == "Job templates:\n  \(backup.id)\tBackup\n  \(template.id)\tDeploy\n")

            let run = try await runProduct("controller-client", ["Deploy"], environment: environment)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(lines.contains("ok: [node1]") && lines.contains("ok: [node2]"))
            #expect(run.stdout.contains("PLAY RECAP"))
            #expect(lines.dropLast().last == "status: successful")
        }
    }

    @Test func failuresExitNonZero() async throws {
        try await withFakeController { server in
            let api = try server.api()
            let deploy = try await makeTemplate(api, name: "Deploy", hosts: 1)
            // AWX's variable names; the fake fails a job whose extra vars say `fail: true`.
            let environment = ["CONTROLLER_HOST": server.url, "CONTROLLER_OAUTH_TOKEN": FakeController.adminToken]
            let failing = try await runProduct("troupe-api", ["launch", "Deploy", "--monitor", "-e", #"{"fail": true}"#],
                                               environment: environment)
            #expect(failing.status == 1)
            #expect(failing.stdout.hasSuffix("status: failed\n"))
            #expect(failing.stdout.contains("fatal: [node1]"))

            let template = try await api.create(JobTemplate.self, ["name": "Broken", "inventory": .int(deploy.inventory ?? 0),
                                                                   "extra_vars": #"{"fail": true}"#])
            let broken = try await runProduct("controller-client", [template.name], environment: environment)
            #expect(broken.status == 1)
            #expect(broken.stdout.hasSuffix("status: failed\n"))

            let missing = try await runProduct("controller-client", [], environment: [:])
            #expect(missing.status == 2)
            #expect(missing.stderr.contains("TROUPE_SERVER_URL"))
        }
    }

    @Test func troupeAPIGetPostAndTable() async throws {
        try await withFakeController { server in
            let environment = ["TROUPE_SERVER_URL": server.url, "TROUPE_API_KEY": FakeController.adminToken]
            let created = try await runProduct("troupe-api", ["post", "organizations", #"{"name": "Eng"}"#],
                                               environment: environment)
            #expect(created.status == 0, "stderr: \(created.stderr)")
            #expect(try JSONValue.parse(Data(created.stdout.utf8))["name"] == "Eng")
            let fromStdin = try await runProduct("troupe-api", ["post", "/api/v2/organizations/"], environment: environment,
                                                 stdin: #"{"name": "Ops"}"#)
            #expect(fromStdin.status == 0)

            let filtered = try await runProduct("troupe-api", ["get", "/api/v2/organizations/", "-q", "name=Ops"],
                                                environment: environment)
            let page = try JSONValue.parse(Data(filtered.stdout.utf8))
            #expect(page["count"] == 1 && page["results"]?[0]?["name"] == "Ops")

            let table = try await runProduct("troupe-api", ["get", "organizations", "--format", "table"], environment: environment)
            // Default columns: id, name, and `type` when the objects have one (no status here).
            #expect(table.stdout == "id  name  type\n1   Eng   organization\n2   Ops   organization\n", "\(table.stdout)")
            let chosen = try await runProduct("troupe-api", ["get", "organizations", "--format", "table", "--columns", "id,name"],
                                              environment: environment)
            #expect(chosen.stdout == "id  name\n1   Eng\n2   Ops\n", "\(chosen.stdout)")

            let invalid = try await runProduct("troupe-api", ["post", "organizations", "{}"], environment: environment)
            #expect(invalid.status == 1)
            #expect(invalid.stderr.contains("400 Bad Request: name: This field is required."))

            let template = try await makeTemplate(try server.api(), name: "Deploy", hosts: 1)
            let monitored = try await runProduct("troupe-api", ["launch", "Deploy", "--monitor"], environment: environment)
            #expect(monitored.status == 0, "stderr: \(monitored.stderr)")
            #expect(monitored.stdout.contains("ok: [node1]") && monitored.stdout.hasSuffix("status: successful\n"))
            #expect(template.id > 0)
        }
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
