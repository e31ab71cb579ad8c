import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import TroupeController

/// The real `troupe-server` killed with SIGKILL while a job runs, then started again on the
/// same data dir: the job ends `error` with an explanation, a job launched while the server
/// was down-and-pending runs, and the server serves on.
@Suite("troupe-server crash recovery", .serialized)
struct ServerCrashRecoveryTests {
    static func serverPath() -> String {
        URL(fileURLWithPath: JobsService.siblingTroupe()).deletingLastPathComponent().appendingPathComponent("troupe-server").path
    }

    static func freePort() -> Int { PostgresTestServer.freePort() }

    static func startServer(_ directory: URL, port: Int) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: serverPath())
        process.arguments = ["--port", String(port), "--data-dir", directory.path, "--node-name", "crash-node"]
        var environment = ProcessInfo.processInfo.environment
        environment["TROUPE_ADMIN_PASSWORD"] = TestController.adminPassword
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func request(_ port: Int, _ method: String, _ path: String, json: JSON? = nil) async throws -> (Int, JSON) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.setValue("Basic " + Data("admin:\(TestController.adminPassword)".utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        if let json {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(json.serialized().utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, (try? JSONParser.parse(Array(data))) ?? .null)
    }

    static func waitUntilUp(_ port: Int) async throws {
        for _ in 0..<200 {
            if let (status, _) = try? await request(port, "GET", "/api/v2/ping/"), status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("troupe-server did not start on port \(port)")
    }

    @Test func killedServerLeavesNoJobRunningForever() async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.serverPath()) else {
            throw TestFailure("troupe-server is not built at \(Self.serverPath())")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-crash-\(UUID().uuidString)")
        let project = directory.appendingPathComponent("projects/demo")
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let marker = "77.25"
        try "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: sleep \(marker)\n"
            .write(to: project.appendingPathComponent("slow.yml"), atomically: true, encoding: .utf8)
        try "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=after-restart\n"
            .write(to: project.appendingPathComponent("quick.yml"), atomically: true, encoding: .utf8)
        let port = Self.freePort()
        var server = try Self.startServer(directory, port: port)
        defer { if server.isRunning { server.terminate() } }
        try await Self.waitUntilUp(port)

        let org = try #require(try await Self.request(port, "POST", "/api/v2/organizations/", json: ["name": "Org"]).1["id"]?.intValue)
        let inventory = try #require(try await Self.request(port, "POST", "/api/v2/inventories/", json: ["name": "Local", "organization": .int(org)]).1["id"]?.intValue)
        _ = try await Self.request(port, "POST", "/api/v2/hosts/", json: ["name": "localhost", "inventory": .int(inventory),
            "variables": "{\"ansible_connection\": \"local\", \"ansible_python_interpreter\": \"/usr/bin/python3\"}"])
        let projectID = try #require(try await Self.request(port, "POST", "/api/v2/projects/",
            json: ["name": "Demo", "organization": .int(org), "scm_type": "", "local_path": "demo"]).1["id"]?.intValue)
        var templates: [String: Int] = [:]
        for (name, playbook) in [("Slow", "slow.yml"), ("Quick", "quick.yml")] {
            templates[name] = try #require(try await Self.request(port, "POST", "/api/v2/job_templates/", json: [
                "name": .string(name), "project": .int(projectID), "inventory": .int(inventory), "playbook": .string(playbook)]).1["id"]?.intValue)
        }
        let slow = try #require(try await Self.request(port, "POST", "/api/v2/job_templates/\(templates["Slow"]!)/launch/", json: [:]).1["job"]?.intValue)
        var running = false
        for _ in 0..<200 where !running {
            running = try await Self.request(port, "GET", "/api/v2/jobs/\(slow)/").1["status"] == "running"
            if !running { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(running)

        kill(server.processIdentifier, SIGKILL)
        // The killed server's `troupe run` reads EOF on its lifeline and cancels: its
        // `sleep` must be gone long before the 77 s it would take.
        var orphaned = true
        for _ in 0..<200 where orphaned {
            orphaned = !Self.processes(marker: marker).isEmpty
            if orphaned { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(!orphaned, "the job's command outlived its killed server by 10 s")
        Self.killOrphans(marker: marker)  // only if the expectation above failed
        while server.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        server = try Self.startServer(directory, port: port)
        try await Self.waitUntilUp(port)

        let recovered = try await Self.request(port, "GET", "/api/v2/jobs/\(slow)/").1
        #expect(recovered["status"] == "error", "\(recovered.serialized())")
        #expect(recovered["failed"] == true)
        #expect(recovered["job_explanation"]?.stringValue?.contains("crash-node") == true)
        #expect(recovered["event_processing_finished"] == true, "the awx monitor stops on it")

        let quick = try #require(try await Self.request(port, "POST", "/api/v2/job_templates/\(templates["Quick"]!)/launch/", json: [:]).1["job"]?.intValue)
        var status = ""
        for _ in 0..<400 where !["successful", "failed", "error"].contains(status) {
            status = try await Self.request(port, "GET", "/api/v2/jobs/\(quick)/").1["status"]?.stringValue ?? ""
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(status == "successful")
        server.terminate()
        while server.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        Self.killOrphans(marker: marker)
    }

    /// The pids of every `sleep <marker>` (the job's command).
    static func processes(marker: String) -> [pid_t] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry in
            guard let pid = pid_t(entry), let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let words = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return words.first.map({ ($0 as NSString).lastPathComponent }) == "sleep" && words.dropFirst().first == marker ? pid : nil
        }
    }

    /// SIGKILLs every `sleep <marker>`, so a failed run of this test leaves nothing behind.
    static func killOrphans(marker: String) {
        for pid in processes(marker: marker) { kill(pid, SIGKILL) }
    }
}
