import Foundation
import Testing
@testable import TroupeController

/// One node's view of the cluster API: its `instances` row, `ping`, draining through
/// `PATCH enabled`, instance groups binding jobs, and SQLite refusing a second node.
@Suite("instances and instance groups", .serialized)
struct InstancesAPITests {
    @Test(arguments: TestController.Engine.allCases)
    func localNodeIsListedAndPingShowsIt(_ engine: TestController.Engine) async throws {
        try await withController(engine) { server in
            let list = try await server.get("/api/v2/instances/").json
            #expect(list["count"] == 1)
            let node = try #require(list["results"]?.arrayValue?.first)
            #expect(node["hostname"] == "test-node")
            #expect(node["type"] == "instance")
            #expect(node["node_type"] == "hybrid")
            #expect(node["node_state"] == "ready")
            #expect(node["enabled"] == true)
            #expect((node["capacity"]?.intValue ?? 0) > 0)
            #expect(node["consumed_capacity"] == 0)
            #expect(node["percent_capacity_remaining"] == .double(100))
            #expect(node["last_seen"]?.stringValue?.isEmpty == false)
            let id = try #require(node["id"]?.intValue)
            #expect(try await server.get("/api/v2/instances/test-node/").json["id"]?.intValue == id, "named URL by hostname")
            #expect(try await server.get("/api/v2/instances/\(id)/jobs/").status == 200)
            #expect(try await server.get("/api/v2/instances/\(id)/instance_groups/").json["count"] == 1)

            let ping = try await server.request("GET", "/api/v2/ping/", auth: .none).json
            #expect(ping["ha"] == false)
            #expect(ping["instances"]?.arrayValue?.first?["node"] == "test-node")
            #expect(ping["instances"]?.arrayValue?.first?["heartbeat"]?.stringValue?.isEmpty == false)
            #expect(ping["instance_groups"]?.arrayValue?.first?["instances"] == ["test-node"])

            // Only `enabled` (and the policy knobs) are writable; a node cannot be created by hand.
            let patched = try await server.request("PATCH", "/api/v2/instances/\(id)/", json: ["enabled": false, "hostname": "renamed", "capacity": 1])
            #expect(patched.status == 200)
            #expect(patched.json["enabled"] == false)
            #expect(patched.json["hostname"] == "test-node")
            #expect(try await server.request("POST", "/api/v2/instances/", json: ["hostname": "x"]).status == 405)
            #expect(try await server.request("DELETE", "/api/v2/instances/\(id)/").status == 405)
            _ = try await server.makeUser("plain", password: "plain-pw-1")
            #expect(try await server.request("PATCH", "/api/v2/instances/\(id)/", auth: .basic("plain", "plain-pw-1"), json: ["enabled": true]).status == 403)
        }
    }

    /// A job whose template is bound to a group without members waits; once this node
    /// joins the group, it runs. A disabled node claims nothing until enabled again.
    @Test(arguments: TestController.Engine.allCases)
    func instanceGroupsAndDrainGateTheClaim(_ engine: TestController.Engine) async throws {
        try await withController(engine) { server in
            let template = try await JobsHTTPTests.makeTemplate(server, playbook: "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n")
            let group = try await server.create("/api/v2/instance_groups/", ["name": "isolated"])
            #expect(try await server.request("POST", "/api/v2/job_templates/\(template)/instance_groups/", json: ["id": .int(group)]).status == 204)
            let bound = try #require(try await server.request("POST", "/api/v2/job_templates/\(template)/launch/", json: [:]).json["job"]?.intValue)
            try await Task.sleep(for: .milliseconds(600))
            let waiting = try await server.get("/api/v2/jobs/\(bound)/").json
            #expect(waiting["status"] == "pending", "no node of group isolated: \(waiting["status"]?.stringValue ?? "")")
            // AWX sets `instance_group` when the job is placed, not at launch.
            #expect(waiting["instance_group"] == .null)
            let instance = try #require(try await server.get("/api/v2/instances/test-node/").json["id"]?.intValue)
            #expect(try await server.request("POST", "/api/v2/instance_groups/\(group)/instances/", json: ["id": .int(instance)]).status == 204)
            let ran = try await JobsHTTPTests.waitForEnd(server, bound)
            #expect(ran["status"] == "successful")
            #expect(ran["instance_group"]?.intValue == group)

            // Drained: nothing new starts; enabled again: the pending job runs at once.
            #expect(try await server.request("PATCH", "/api/v2/instances/\(instance)/", json: ["enabled": false]).status == 200)
            let held = try #require(try await server.request("POST", "/api/v2/job_templates/\(template)/launch/", json: [:]).json["job"]?.intValue)
            try await Task.sleep(for: .milliseconds(600))
            #expect(try await server.get("/api/v2/jobs/\(held)/").json["status"] == "pending")
            #expect(try await server.request("PATCH", "/api/v2/instances/\(instance)/", json: ["enabled": true]).status == 200)
            #expect(try await JobsHTTPTests.waitForEnd(server, held, seconds: 10)["status"] == "successful")
        }
    }

    @Test func sqliteRefusesASecondLiveNode() async throws {
        try await withController(.sqlite) { server in
            var second = server.controller.configuration
            second.nodeName = "other-node"
            second.port = 0
            do {
                let controller = try await Controller.prepare(second)
                await controller.shutdown()
                Issue.record("a second node started on the same SQLite database")
            } catch {
                #expect("\(error)".contains("SQLite serves one node"), "\(error)")
                #expect("\(error)".contains("test-node"))
            }
            // The same node restarting is not a second node.
            let count = try await server.get("/api/v2/instances/").json["count"]
            #expect(count == 1)
        }
    }
}
