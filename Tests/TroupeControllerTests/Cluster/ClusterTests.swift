import Foundation
import SQLKit
import Testing
@testable import TroupeController

/// Issue #16's acceptance: several real `troupe-server` nodes on one real PostgreSQL.
@Suite("Controller cluster (several nodes on PostgreSQL)", .serialized)
struct ClusterTests {
    /// A job of about a second: long enough to be running when a node is killed.
    static let playbooks = [
        "short.yml": "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: sleep 0.8\n    - debug: msg=done\n",
        "slow.yml": "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: sleep 4\n    - debug: msg=done\n",
        "endless.yml": "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=started\n    - command: sleep 60\n",
        "stall.yml": "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: sleep 61.5\n",
    ]

    static func requireServer() throws {
        guard FileManager.default.isExecutableFile(atPath: ServerCrashRecoveryTests.serverPath()) else {
            throw TestFailure("troupe-server is not built at \(ServerCrashRecoveryTests.serverPath())")
        }
    }

    /// 3 nodes, 60 jobs launched through all three; one node SIGKILLed while its jobs run.
    @Test func nodeLossEndsItsJobsAndTheOthersFinish() async throws {
        try Self.requireServer()
        let cluster = try await ClusterHarness(playbooks: Self.playbooks)
        do {
            try await run(cluster)
        } catch {
            await cluster.stopAll()
            throw error
        }
        await cluster.stopAll()
    }

    private func run(_ cluster: ClusterHarness) async throws {
        let names = ["n1", "n2", "n3"]
        for name in names { try await cluster.start(name) }
        let templates = try await cluster.seed(through: "n1")
        let short = try #require(templates["short.yml"])

        // The instances list shows the three nodes, each in the default group.
        let instances = try await cluster.request("n2", "GET", "/api/v2/instances/").1
        #expect(instances["count"] == 3)
        let ping = try await cluster.request("n3", "GET", "/api/v2/ping/").1
        #expect(ping["ha"] == true)
        #expect(ping["instance_groups"]?.arrayValue?.first?["instances"] == ["n1", "n2", "n3"])

        // 60 launches spread over the three APIs, 6 at a time.
        var jobs: [Int] = []
        for round in 0..<10 {
            let launched = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<6 {
                    let node = names[(round * 6 + index) % 3]
                    group.addTask { try await cluster.launch(short, through: node) }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            jobs += launched
        }
        #expect(jobs.count == 60)

        // Kill n3 once it runs jobs, watching the database itself so that the kill
        // follows the sighting by milliseconds, not by an API round of 60 rows.
        let heldAtKill: [Int] = try await cluster.withDatabase { database in
            let query = "SELECT id FROM unified_jobs WHERE execution_node = 'n3' AND status IN ('waiting', 'running') ORDER BY id"
            for _ in 0..<2000 {
                if try await database.all(SQLQueryString(stringLiteral: query)).isEmpty {
                    try await Task.sleep(for: .milliseconds(10))
                    continue
                }
                await cluster.kill("n3")
                // What n3 held when it died: nothing but the lost-node sweep changes these rows now.
                return try await database.all(SQLQueryString(stringLiteral: query)).map { try $0.decode(column: "id", as: Int.self) }
            }
            return []
        }
        let killedAt = Date()
        try #require(!heldAtKill.isEmpty, "n3 held no job when it was killed")

        let rows = try await cluster.waitUntilTerminal(jobs, through: "n1")
        var lost: [Int] = []
        for job in jobs {
            let row = try #require(rows[job])
            let node = row["execution_node"]?.stringValue ?? ""
            let status = row["status"]?.stringValue ?? ""
            if node == "n3" && status == "error" {
                lost.append(job)
                let explanation = row["job_explanation"]?.stringValue ?? ""
                #expect(explanation.contains("n3") && explanation.contains("lost"), "job \(job): \(explanation)")
            } else {
                #expect(status == "successful", "job \(job) on \(node): \(status) \(row["job_explanation"]?.stringValue ?? "")")
            }
        }
        #expect(Set(lost) == Set(heldAtKill), "n3 held \(heldAtKill.sorted()) when killed; ended lost: \(lost.sorted())")
        #expect(Date().timeIntervalSince(killedAt) < 60)

        // No job ran on two nodes: every stored event of a job names its execution node,
        // and its counters run 1…n without a gap.
        let executionNodes = Dictionary(uniqueKeysWithValues: jobs.map { ($0, rows[$0]?["execution_node"]?.stringValue ?? "") })
        let eventStats = try await cluster.withDatabase { database in
            try await database.all(SQLQueryString("""
                SELECT unified_job_id, COUNT(*) AS total, COUNT(DISTINCT node) AS nodes, MIN(node) AS node,
                MIN(counter) AS first, MAX(counter) AS last FROM job_events GROUP BY unified_job_id
                """)).map { row in
                (try row.decode(column: "unified_job_id", as: Int.self), try row.decode(column: "total", as: Int.self),
                 try row.decode(column: "nodes", as: Int.self), try row.decode(column: "node", as: String.self),
                 try row.decode(column: "first", as: Int.self), try row.decode(column: "last", as: Int.self))
            }
        }
        var withEvents = Set<Int>()
        for (job, total, nodes, node, first, last) in eventStats where executionNodes[job] != nil {
            withEvents.insert(job)
            #expect(nodes == 1 && node == executionNodes[job], "job \(job): events from \(nodes) nodes (\(node)), ran on \(executionNodes[job] ?? "")")
            #expect(first == 1 && last == total, "job \(job): counters \(first)…\(last) for \(total) events")
        }
        for job in jobs where rows[job]?["status"] == "successful" { #expect(withEvents.contains(job), "job \(job) has no events") }

        // n3 is marked lost, its capacity no longer counts; the others' jobs all succeeded.
        let lostInstance = try await cluster.request("n1", "GET", "/api/v2/instances/n3/").1
        #expect(lostInstance["node_state"] == "unavailable")
        #expect(lostInstance["capacity"] == 0)

        // n3 comes back, rejoins, and takes work: with n1 and n2 disabled, it runs every new job.
        try await cluster.restart("n3")
        var back = false
        for _ in 0..<100 where !back {
            back = try await cluster.request("n1", "GET", "/api/v2/instances/n3/").1["node_state"] == "ready"
            if !back { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(back)
        for name in ["n1", "n2"] {
            let (status, _) = try await cluster.request("n3", "PATCH", "/api/v2/instances/\(name)/", json: ["enabled": false])
            #expect(status == 200)
        }
        var after: [Int] = []
        for index in 0..<3 { after.append(try await cluster.launch(short, through: names[index])) }
        let afterRows = try await cluster.waitUntilTerminal(after, through: "n2", timeout: 60)
        for job in after {
            #expect(afterRows[job]?["status"] == "successful")
            #expect(afterRows[job]?["execution_node"] == "n3")
        }
    }

    /// A disabled node takes nothing new and finishes the job it holds.
    @Test func disabledNodeDrains() async throws {
        try Self.requireServer()
        let cluster = try await ClusterHarness(playbooks: Self.playbooks)
        do {
            try await cluster.start("d1")
            try await cluster.start("d2")
            let templates = try await cluster.seed(through: "d1")
            // Only d1 may take the slow job.
            #expect(try await cluster.request("d1", "PATCH", "/api/v2/instances/d2/", json: ["enabled": false]).0 == 200)
            let slow = try await cluster.launch(try #require(templates["slow.yml"]), through: "d2")
            var running = false
            for _ in 0..<200 where !running {
                let row = try await cluster.request("d2", "GET", "/api/v2/jobs/\(slow)/").1
                running = row["status"] == "running"
                if !running { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(running)
            // Now drain d1 and let d2 work.
            #expect(try await cluster.request("d2", "PATCH", "/api/v2/instances/d1/", json: ["enabled": false]).0 == 200)
            #expect(try await cluster.request("d2", "PATCH", "/api/v2/instances/d2/", json: ["enabled": true]).0 == 200)
            let drained = try await cluster.request("d2", "GET", "/api/v2/instances/d1/").1
            #expect(drained["enabled"] == false)
            var quick: [Int] = []
            for index in 0..<4 { quick.append(try await cluster.launch(try #require(templates["short.yml"]), through: index % 2 == 0 ? "d1" : "d2")) }
            let rows = try await cluster.waitUntilTerminal(quick + [slow], through: "d1", timeout: 60)
            #expect(rows[slow]?["status"] == "successful", "the drained node finishes what it holds")
            #expect(rows[slow]?["execution_node"] == "d1")
            for job in quick {
                #expect(rows[job]?["status"] == "successful")
                #expect(rows[job]?["execution_node"] == "d2", "job \(job) went to the disabled node")
            }
        } catch {
            await cluster.stopAll()
            throw error
        }
        await cluster.stopAll()
    }

    /// A node that stalls (SIGSTOP) past the threshold is declared lost and its job ends
    /// `error`; when it resumes it registers again, stops the run that is no longer its
    /// own, and the job's status is not overwritten.
    @Test func stalledNodeIsLostThenRejoins() async throws {
        try Self.requireServer()
        let cluster = try await ClusterHarness(playbooks: Self.playbooks)
        do {
            try await cluster.start("s1")
            try await cluster.start("s2")
            let templates = try await cluster.seed(through: "s2")
            #expect(try await cluster.request("s2", "PATCH", "/api/v2/instances/s2/", json: ["enabled": false]).0 == 200)
            let job = try await cluster.launch(try #require(templates["stall.yml"]), through: "s2")
            var running = false
            for _ in 0..<300 where !running {
                running = try await cluster.request("s2", "GET", "/api/v2/jobs/\(job)/").1["status"] == "running"
                if !running { try await Task.sleep(for: .milliseconds(50)) }
            }
            try #require(running)
            var started = false
            for _ in 0..<200 where !started {
                started = !Self.sleepers("61.5").isEmpty
                if !started { try await Task.sleep(for: .milliseconds(50)) }
            }
            try #require(started, "the job's command runs")
            let stalled = try #require(cluster.nodes["s1"]?.process?.processIdentifier)
            kill(stalled, SIGSTOP)
            let rows = try await cluster.waitUntilTerminal([job], through: "s2", timeout: 30)
            kill(stalled, SIGCONT)
            #expect(rows[job]?["status"] == "error")
            #expect(rows[job]?["job_explanation"]?.stringValue?.contains("s1 was lost") == true)
            var back = false
            for _ in 0..<100 where !back {
                back = try await cluster.request("s2", "GET", "/api/v2/instances/s1/").1["node_state"] == "ready"
                if !back { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(back, "the resumed node registered again")
            var gone = false
            for _ in 0..<100 where !gone {
                gone = Self.sleepers("61.5").isEmpty
                if !gone { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(gone, "the resumed node stopped the run another node had ended")
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await cluster.request("s1", "GET", "/api/v2/jobs/\(job)/").1["status"] == "error", "the late end does not overwrite it")
        } catch {
            await cluster.stopAll()
            ServerCrashRecoveryTests.killOrphans(marker: "61.5")
            throw error
        }
        await cluster.stopAll()
        ServerCrashRecoveryTests.killOrphans(marker: "61.5")
    }

    static func sleepers(_ marker: String) -> [pid_t] {
        var found: [pid_t] = []
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry), let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { continue }
            let words = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            if words.first.map({ ($0 as NSString).lastPathComponent }) == "sleep", words.dropFirst().first == marker { found.append(pid) }
        }
        return found
    }

    /// Launch through node A, follow the job live over node B's WebSocket, cancel through
    /// node C; the job runs on execution node E. A, B and C are control nodes (they run
    /// nothing), so every message crosses nodes through NOTIFY.
    @Test func launchFollowAndCancelAcrossNodes() async throws {
        try Self.requireServer()
        let cluster = try await ClusterHarness(playbooks: Self.playbooks)
        do {
            for name in ["a", "b", "c"] { try await cluster.start(name, type: "control") }
            try await cluster.start("e", type: "execution")
            let templates = try await cluster.seed(through: "a")
            let job = try await cluster.launch(try #require(templates["endless.yml"]), through: "a")
            let follower = try WebSocketFollower(port: cluster.port("b"), job: job)
            try await follower.waitForSubscription()
            // The job runs on E and its first events are stored.
            var events = 0
            for _ in 0..<300 where events == 0 {
                events = try await cluster.request("c", "GET", "/api/v2/jobs/\(job)/job_events/").1["count"]?.intValue ?? 0
                if events == 0 { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(events > 0)
            let canceledAt = Date()
            #expect(try await cluster.request("c", "POST", "/api/v2/jobs/\(job)/cancel/", json: [:]).0 == 202)
            let rows = try await cluster.waitUntilTerminal([job], through: "b", timeout: 30)
            #expect(rows[job]?["status"] == "canceled")
            #expect(rows[job]?["execution_node"] == "e")
            #expect(Date().timeIntervalSince(canceledAt) < 5, "the cancel reached node e through NOTIFY, not a sweep")
            let messages = try await follower.finish()
            let statuses = messages.filter { $0["group_name"] as? String == "jobs" && $0["unified_job_id"] as? Int == job }
                .compactMap { $0["status"] as? String }
            #expect(statuses.contains("canceled"), "status messages on b: \(statuses)")
            let counters = messages.filter { $0["group_name"] as? String == "job_events" && $0["job"] as? Int == job }
                .compactMap { $0["counter"] as? Int }
            #expect(!counters.isEmpty, "no job events over b's WebSocket")
            #expect(counters == Array(1...(counters.max() ?? 1)), "events in order without gaps: \(counters)")
        } catch {
            await cluster.stopAll()
            throw error
        }
        await cluster.stopAll()
    }
}

/// Python's `websockets` client on a node's `/websocket/`: subscribes to a job's events and
/// status changes (AWX's protocol) and prints every message until the job is terminal.
final class WebSocketFollower: @unchecked Sendable {
    static let script = """
        import asyncio, json, sys, base64, websockets
        async def main(url, auth, job):
            async with websockets.connect(url, additional_headers={"Authorization": auth}) as ws:
                print(await ws.recv(), flush=True)
                await ws.send(json.dumps({"groups": {"jobs": ["status_changed"], "job_events": [job]}}))
                async for message in ws:
                    print(message, flush=True)
                    data = json.loads(message)
                    if data.get("group_name") == "jobs" and data.get("unified_job_id") == job and \\
                            data.get("status") in ("canceled", "successful", "failed", "error"):
                        return
        asyncio.run(asyncio.wait_for(main(sys.argv[1], sys.argv[2], int(sys.argv[3])), 60))
        """

    let process = Process()
    private let output = Pipe()
    private let collected = OutputBuffer()

    init(port: Int, job: Int) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let auth = "Basic " + Data("admin:\(TestController.adminPassword)".utf8).base64EncodedString()
        process.arguments = ["python3", "-c", Self.script, "ws://127.0.0.1:\(port)/websocket/", auth, String(job)]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let handle = output.fileHandleForReading
        let collected = self.collected
        DispatchQueue.global().async {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                collected.append(buffer[0..<count])
            }
        }
    }

    func waitForSubscription() async throws {
        for _ in 0..<200 {
            if collected.text.contains("groups_current") { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("the WebSocket client did not subscribe: \(collected.text)")
    }

    /// Waits for the client to exit (it does once the job is terminal); every message.
    func finish() async throws -> [[String: Any]] {
        for _ in 0..<200 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return collected.text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }
}

final class OutputBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    func append(_ chunk: ArraySlice<UInt8>) { lock.lock(); bytes += chunk; lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: bytes, as: UTF8.self) }
}
