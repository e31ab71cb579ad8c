import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import TroupeController

/// Real `troupe-server` processes sharing one PostgreSQL database (the suite's
/// `PostgresTestServer`): each node has its own port and data dir (with the same project
/// files), the cluster's secret key and admin password, and short heartbeat thresholds so
/// node loss shows within seconds.
final class ClusterHarness: @unchecked Sendable {
    static let heartbeat = "0.5"
    static let lostAfter = "3"

    final class Node: @unchecked Sendable {
        let name: String
        let port: Int
        let dataDirectory: URL
        let arguments: [String]
        var process: Process?

        init(name: String, port: Int, dataDirectory: URL, arguments: [String]) {
            self.name = name
            self.port = port
            self.dataDirectory = dataDirectory
            self.arguments = arguments
        }
    }

    let databaseURL: String
    let root: URL
    private(set) var nodes: [String: Node] = [:]
    /// Playbooks written into every node's `projects/demo`.
    let playbooks: [String: String]

    init(playbooks: [String: String]) async throws {
        databaseURL = try await PostgresTestServer.shared.freshDatabase()
        root = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-cluster-\(UUID().uuidString.prefix(8))")
        self.playbooks = playbooks
    }

    /// Starts a node and waits until it answers `ping`.
    @discardableResult
    func start(_ name: String, type: String = "hybrid", capacity: Int = 4) async throws -> Node {
        let directory = root.appendingPathComponent(name)
        let project = directory.appendingPathComponent("projects/demo")
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        for (file, text) in playbooks {
            try text.write(to: project.appendingPathComponent(file), atomically: true, encoding: .utf8)
        }
        let node = Node(name: name, port: PostgresTestServer.freePort(), dataDirectory: directory, arguments: [
            "--node", name, "--node-type", type, "--capacity", String(capacity), "--database", databaseURL,
            "--heartbeat-interval", Self.heartbeat, "--node-lost-after", Self.lostAfter,
        ])
        nodes[name] = node
        try await launch(node)
        return node
    }

    /// Starts a stopped (killed) node again on its port and data dir.
    func restart(_ name: String) async throws {
        guard let node = nodes[name] else { throw TestFailure("no node \(name)") }
        try await launch(node)
    }

    private func launch(_ node: Node) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ServerCrashRecoveryTests.serverPath())
        process.arguments = ["--port", String(node.port), "--data-dir", node.dataDirectory.path] + node.arguments
        var environment = ProcessInfo.processInfo.environment
        environment["TROUPE_ADMIN_PASSWORD"] = TestController.adminPassword
        environment["TROUPE_SECRET_KEY"] = "cluster-test-key"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        node.process = process
        try await ServerCrashRecoveryTests.waitUntilUp(node.port)
    }

    func kill(_ name: String) async {
        guard let process = nodes[name]?.process, process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
    }

    func stopAll() async {
        for node in nodes.values {
            guard let process = node.process, process.isRunning else { continue }
            process.terminate()
            for _ in 0..<100 where process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
            if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        }
        try? FileManager.default.removeItem(at: root)
    }

    func port(_ name: String) -> Int { nodes[name]!.port }

    func request(_ node: String, _ method: String, _ path: String, json: JSON? = nil) async throws -> (Int, JSON) {
        try await ServerCrashRecoveryTests.request(port(node), method, path, json: json)
    }

    /// Organization, a local inventory with one host, the manual project `demo` and one
    /// template per playbook (allow_simultaneous), created through `node`. Template ids by playbook.
    func seed(through node: String) async throws -> [String: Int] {
        let org = try Self.id(try await request(node, "POST", "/api/v2/organizations/", json: ["name": "Org"]))
        let inventory = try Self.id(try await request(node, "POST", "/api/v2/inventories/", json: ["name": "Local", "organization": .int(org)]))
        _ = try Self.id(try await request(node, "POST", "/api/v2/hosts/", json: ["name": "localhost", "inventory": .int(inventory),
            "variables": "{\"ansible_connection\": \"local\", \"ansible_python_interpreter\": \"/usr/bin/python3\"}"]))
        let project = try Self.id(try await request(node, "POST", "/api/v2/projects/",
            json: ["name": "Demo", "organization": .int(org), "scm_type": "", "local_path": "demo"]))
        var templates: [String: Int] = [:]
        for playbook in playbooks.keys.sorted() {
            templates[playbook] = try Self.id(try await request(node, "POST", "/api/v2/job_templates/", json: [
                "name": .string(playbook), "project": .int(project), "inventory": .int(inventory), "playbook": .string(playbook),
                "allow_simultaneous": true]))
        }
        return templates
    }

    static func id(_ response: (Int, JSON)) throws -> Int {
        guard let id = response.1["id"]?.intValue else { throw TestFailure("no id in \(response.0) \(response.1.serialized())") }
        return id
    }

    func launch(_ template: Int, through node: String) async throws -> Int {
        let response = try await request(node, "POST", "/api/v2/job_templates/\(template)/launch/", json: [:])
        guard let job = response.1["job"]?.intValue else { throw TestFailure("launch through \(node): \(response.0) \(response.1.serialized())") }
        return job
    }

    static let terminal: Set<String> = ["successful", "failed", "error", "canceled"]

    /// Polls until every job is terminal (or `timeout` passes); the last rows by id.
    func waitUntilTerminal(_ jobs: [Int], through node: String, timeout: Double = 120) async throws -> [Int: JSON] {
        let deadline = Date().addingTimeInterval(timeout)
        var rows: [Int: JSON] = [:]
        while Date() < deadline {
            rows = try await jobRows(jobs, through: node)
            if jobs.allSatisfy({ Self.terminal.contains(rows[$0]?["status"]?.stringValue ?? "") }) { return rows }
            try await Task.sleep(for: .milliseconds(250))
        }
        let open = jobs.filter { !Self.terminal.contains(rows[$0]?["status"]?.stringValue ?? "") }
        throw TestFailure("jobs not terminal after \(timeout) s: \(open.map { "\($0): \(rows[$0]?["status"]?.stringValue ?? "?")" })")
    }

    func jobRows(_ jobs: [Int], through node: String) async throws -> [Int: JSON] {
        let wanted = Set(jobs)
        var rows: [Int: JSON] = [:]
        var page = 1
        while true {
            let list = try await request(node, "GET", "/api/v2/jobs/?order_by=id&page_size=200&page=\(page)").1
            for row in list["results"]?.arrayValue ?? [] {
                if let id = row["id"]?.intValue, wanted.contains(id) { rows[id] = row }
            }
            guard list["next"]?.stringValue != nil else { return rows }
            page += 1
        }
    }

    /// The database, for checks the API does not show (events' `node`).
    func withDatabase<R: Sendable>(_ body: @Sendable (Database) async throws -> R) async throws -> R {
        let database = try await Database.open(url: databaseURL, sqlitePath: "")
        do {
            let result = try await body(database)
            await database.shutdown()
            return result
        } catch {
            await database.shutdown()
            throw error
        }
    }
}
