import Foundation
import Testing
@testable import TroupeController

/// Slicing and ordered instance-group fallback across real `troupe-server` nodes on one
/// real PostgreSQL (#16).
@Suite("Controller cluster: slicing and instance-group fallback", .serialized)
struct SlicingClusterTests {
    static let playbooks = [
        "slice.yml": "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: sleep 2\n    - debug: msg=done\n",
        "slow.yml": "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: sleep 3\n",
    ]

    static func withCluster(_ body: (ClusterHarness) async throws -> Void) async throws {
        try ClusterTests.requireServer()
        let cluster = try await ClusterHarness(playbooks: playbooks)
        do {
            try await body(cluster)
        } catch {
            await cluster.stopAll()
            throw error
        }
        await cluster.stopAll()
    }

    /// Organization, an inventory of `hosts` local hosts, the project and a template of
    /// `playbook`. Returns (template, inventory).
    static func seed(_ cluster: ClusterHarness, through node: String, hosts: [String], playbook: String,
                     extra: JSONObject = JSONObject()) async throws -> (Int, Int) {
        let org = try ClusterHarness.id(try await cluster.request(node, "POST", "/api/v2/organizations/", json: ["name": "Org"]))
        let inventory = try ClusterHarness.id(try await cluster.request(node, "POST", "/api/v2/inventories/",
                                                                         json: ["name": "Fleet", "organization": .int(org)]))
        for name in hosts {
            _ = try ClusterHarness.id(try await cluster.request(node, "POST", "/api/v2/hosts/", json: [
                "name": .string(name), "inventory": .int(inventory), "variables": .string(SlicingTests.local)]))
        }
        let project = try ClusterHarness.id(try await cluster.request(node, "POST", "/api/v2/projects/",
            json: ["name": "Demo", "organization": .int(org), "scm_type": "", "local_path": "demo"]))
        var body = JSONObject([("name", .string(playbook)), ("project", .int(project)), ("inventory", .int(inventory)),
                               ("playbook", .string(playbook))])
        for (key, value) in extra.pairs { body[key] = value }
        let template = try ClusterHarness.id(try await cluster.request(node, "POST", "/api/v2/job_templates/", json: .object(body)))
        return (template, inventory)
    }

    /// 3 nodes of capacity 4 and a 6-slice launch of 6 hosts (impact 2 each): no node can
    /// hold more than 2 slices at once, so the slices run on more than one node, and the
    /// workflow job, read through a third node, ends successful.
    @Test func slicesSpreadOverTheNodes() async throws {
        try await Self.withCluster { cluster in
            for name in ["s1", "s2", "s3"] { try await cluster.start(name) }
            let hosts = (1...6).map { "host\($0)" }
            let (template, _) = try await Self.seed(cluster, through: "s1", hosts: hosts, playbook: "slice.yml",
                                                    extra: JSONObject([("job_slice_count", 6)]))
            let launch = try await cluster.request("s2", "POST", "/api/v2/job_templates/\(template)/launch/", json: [:])
            #expect(launch.0 == 201)
            let workflow = try #require(launch.1["workflow_job"]?.intValue, "\(launch.1.serialized())")
            let deadline = Date().addingTimeInterval(120)
            var ended = JSON.null
            while Date() < deadline {
                ended = try await cluster.request("s3", "GET", "/api/v2/workflow_jobs/\(workflow)/").1
                if ended["finished"]?.stringValue != nil { break }
                try await Task.sleep(for: .milliseconds(250))
            }
            #expect(ended["status"] == "successful", "\(ended.serialized())")
            let jobs = try await cluster.request("s1", "GET", "/api/v2/unified_jobs/?unified_job_node__workflow_job=\(workflow)").1["results"]?
                .arrayValue ?? []
            #expect(jobs.count == 6)
            let nodes = Set(jobs.compactMap { $0["execution_node"]?.stringValue })
            #expect(nodes.count > 1, "every slice ran on \(nodes)")
            #expect(jobs.allSatisfy { $0["status"] == "successful" })
            // Each host ran exactly once, in its own slice.
            var seen: [String] = []
            for job in jobs {
                let id = try #require(job["id"]?.intValue)
                let summaries = try await cluster.request("s3", "GET", "/api/v2/jobs/\(id)/job_host_summaries/").1
                seen += (summaries["results"]?.arrayValue ?? []).compactMap { $0["host_name"]?.stringValue }
            }
            #expect(seen.sorted() == hosts)
        }
    }

    /// Waits until the job runs (f1 is then full), so the next launch meets a full f1
    /// however slowly the loaded machine let f1 claim the first one.
    static func waitUntilRunning(_ id: Int, _ cluster: ClusterHarness) async throws {
        for _ in 0..<400 {
            if try await cluster.request("f1", "GET", "/api/v2/jobs/\(id)/").1["status"] == "running" { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("job \(id) never ran")
    }

    /// Two nodes in different groups: the template's group (f1, room for one job) first,
    /// the inventory's (f2) second. The first job runs on f1; the second, while f1 is full,
    /// falls back to f2; each job's `instance_group` is the group that ran it. With the
    /// template's `prevent_instance_group_fallback`, both wait for f1.
    @Test func orderedFallbackAcrossNodes() async throws {
        try await Self.withCluster { cluster in
            try await cluster.start("f1", capacity: 2)
            try await cluster.start("f2", capacity: 4)
            let (template, inventory) = try await Self.seed(cluster, through: "f1", hosts: ["only"], playbook: "slow.yml",
                                                            extra: JSONObject([("allow_simultaneous", true)]))
            var groups: [String: Int] = [:]
            for (group, node) in [("first", "f1"), ("second", "f2")] {
                let id = try ClusterHarness.id(try await cluster.request("f1", "POST", "/api/v2/instance_groups/", json: ["name": .string(group)]))
                let instance = try #require(try await cluster.request("f1", "GET", "/api/v2/instances/\(node)/").1["id"]?.intValue)
                #expect(try await cluster.request("f1", "POST", "/api/v2/instance_groups/\(id)/instances/", json: ["id": .int(instance)]).0 == 204)
                groups[group] = id
            }
            let first = try #require(groups["first"]), second = try #require(groups["second"])
            #expect(try await cluster.request("f1", "POST", "/api/v2/job_templates/\(template)/instance_groups/", json: ["id": .int(first)]).0 == 204)
            #expect(try await cluster.request("f1", "POST", "/api/v2/inventories/\(inventory)/instance_groups/", json: ["id": .int(second)]).0 == 204)

            let a = try await cluster.launch(template, through: "f2")
            try await Self.waitUntilRunning(a, cluster)
            let b = try await cluster.launch(template, through: "f2")
            let rows = try await cluster.waitUntilTerminal([a, b], through: "f1", timeout: 60)
            #expect(rows[a]?["status"] == "successful")
            #expect(rows[b]?["status"] == "successful")
            #expect(rows[a]?["execution_node"] == "f1")
            #expect(rows[a]?["instance_group"]?.intValue == first)
            let instances = try await cluster.request("f1", "GET", "/api/v2/instances/").1.serialized()
            #expect(rows[b]?["execution_node"] == "f2", "f1 was full: the job falls back to the inventory's group; a: \(rows[a]?.serialized() ?? "") b: \(rows[b]?.serialized() ?? "") instances: \(instances)")
            #expect(rows[b]?["instance_group"]?.intValue == second)

            #expect(try await cluster.request("f1", "PATCH", "/api/v2/job_templates/\(template)/", json: ["prevent_instance_group_fallback": true]).0 == 200)
            let c = try await cluster.launch(template, through: "f2")
            try await Self.waitUntilRunning(c, cluster)
            let d = try await cluster.launch(template, through: "f2")
            let held = try await cluster.waitUntilTerminal([c, d], through: "f2", timeout: 60)
            for job in [c, d] {
                #expect(held[job]?["status"] == "successful")
                #expect(held[job]?["execution_node"] == "f1", "no fallback: job \(job) waits for the template's group")
                #expect(held[job]?["instance_group"]?.intValue == first)
            }
        }
    }
}
