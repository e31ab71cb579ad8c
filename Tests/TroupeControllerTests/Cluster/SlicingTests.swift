import Foundation
import Testing
@testable import TroupeController

/// Job slicing (#16) against an in-process controller whose jobs run the `troupe` binary of
/// this build on local-connection hosts, on SQLite and on PostgreSQL.
@Suite("Controller: job slicing and instance-group fallback", .serialized)
struct SlicingTests {
    static let local = "{\"ansible_connection\": \"local\", \"ansible_python_interpreter\": \"/usr/bin/python3\"}"

    /// Organization, inventory with `hosts` (created in the given order), the manual
    /// project `demo` with `site.yml`, and a template. Returns (template, inventory).
    static func makeSlicedTemplate(_ server: TestController, hosts: [String], playbook: String, sliceCount: Int,
                                   extra: JSONObject = JSONObject()) async throws -> (template: Int, inventory: Int) {
        let project = server.controller.configuration.projectsDirectory.appendingPathComponent("demo")
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        try playbook.write(to: project.appendingPathComponent("site.yml"), atomically: true, encoding: .utf8)
        let org = try await server.create("/api/v2/organizations/", ["name": "Org"])
        let inventory = try await server.create("/api/v2/inventories/", ["name": "Fleet", "organization": .int(org)])
        for name in hosts {
            try await server.create("/api/v2/hosts/", ["name": .string(name), "inventory": .int(inventory), "variables": .string(local)])
        }
        let projectID = try await server.create("/api/v2/projects/", ["name": "Demo", "organization": .int(org), "scm_type": "", "local_path": "demo"])
        var body = JSONObject([("name", "Sliced"), ("project", .int(projectID)), ("inventory", .int(inventory)), ("playbook", "site.yml"),
                               ("job_slice_count", .int(sliceCount))])
        for (key, value) in extra.pairs { body[key] = value }
        return (try await server.create("/api/v2/job_templates/", .object(body)), inventory)
    }

    /// Polls the workflow job until `finished` is set (what awxkit's workflow monitor waits for).
    static func waitForWorkflow(_ server: TestController, _ id: Int, seconds: Double = 90) async throws -> JSON {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let workflow = try await server.get("/api/v2/workflow_jobs/\(id)/").json
            if workflow["finished"]?.stringValue != nil { return workflow }
            if Date() > deadline { throw TestFailure("workflow job \(id) did not end: \(workflow.serialized())") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// The slice jobs of a workflow job, as awxkit's monitor lists them, by slice number.
    static func slices(_ server: TestController, _ workflow: Int) async throws -> [JSON] {
        let list = try await server.get("/api/v2/unified_jobs/?unified_job_node__workflow_job=\(workflow)&order_by=id").json
        return list["results"]?.arrayValue ?? []
    }

    static func hostNames(_ server: TestController, job: Int) async throws -> Set<String> {
        let summaries = try await server.get("/api/v2/jobs/\(job)/job_host_summaries/").json
        return Set((summaries["results"]?.arrayValue ?? []).compactMap { $0["host_name"]?.stringValue })
    }

    /// 5 hosts, 3 slices: one workflow job with 3 nodes; host i of the name order runs in
    /// slice i mod 3 + 1 whatever the order the hosts were created in.
    @Test(arguments: TestController.Engine.allCases)
    func slicedLaunchPartitionsTheHostsAsAWXDoes(_ engine: TestController.Engine) async throws {
        try await withController(engine) { server in
            let (template, inventory) = try await Self.makeSlicedTemplate(
                server, hosts: ["h3", "h1", "h5", "h2", "h4"], playbook: "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n",
                sliceCount: 3)
            let launch = try await server.request("POST", "/api/v2/job_templates/\(template)/launch/", json: [:])
            #expect(launch.status == 201, "\(launch.body)")
            let workflow = try #require(launch.json["workflow_job"]?.intValue, "\(launch.body)")
            #expect(launch.json["job"] == nil)
            #expect(launch.json["type"] == "workflow_job")
            #expect(launch.json["id"]?.intValue == workflow)
            #expect(launch.json["is_sliced_job"] == true)
            #expect(launch.json["job_template"]?.intValue == template)
            #expect(launch.json["url"]?.stringValue == "/api/v2/workflow_jobs/\(workflow)/")
            #expect(launch.header("Location") == "/api/v2/workflow_jobs/\(workflow)/")
            #expect(launch.json["ignored_fields"] == .object(JSONObject()))

            let ended = try await Self.waitForWorkflow(server, workflow)
            #expect(ended["status"] == "successful", "\(ended.serialized())")
            #expect(ended["failed"] == false)

            let nodes = try await server.get("/api/v2/workflow_jobs/\(workflow)/workflow_nodes/").json
            #expect(nodes["count"] == 3)
            let nodeJobs = (nodes["results"]?.arrayValue ?? []).compactMap { $0["job"]?.intValue }
            #expect(nodeJobs.count == 3)
            if let first = nodes["results"]?.arrayValue?.first, let nodeID = first["id"]?.intValue {
                #expect(first["type"] == "workflow_job_node")
                #expect(first["workflow_job"]?.intValue == workflow)
                #expect(first["unified_job_template"]?.intValue == template)
                #expect(first["summary_fields"]?["job"]?["status"] == "successful")
                #expect(try await server.get("/api/v2/workflow_job_nodes/\(nodeID)/").json["id"]?.intValue == nodeID)
            }

            let jobs = try await Self.slices(server, workflow)
            #expect(jobs.count == 3)
            #expect(Set(jobs.compactMap { $0["id"]?.intValue }) == Set(nodeJobs))
            let expected: [Int: Set<String>] = [1: ["h1", "h4"], 2: ["h2", "h5"], 3: ["h3"]]
            for job in jobs {
                let id = try #require(job["id"]?.intValue)
                let number = try #require(job["job_slice_number"]?.intValue)
                #expect(job["type"] == "job")
                #expect(job["job_slice_count"] == 3)
                #expect(job["launch_type"] == "workflow")
                #expect(job["status"] == "successful")
                #expect(job["related"]?["source_workflow_job"]?.stringValue == "/api/v2/workflow_jobs/\(workflow)/")
                #expect(try await Self.hostNames(server, job: id) == expected[number], "slice \(number)")
            }

            // The lists AWX users read.
            let sliceLists = try await server.get("/api/v2/job_templates/\(template)/slice_workflow_jobs/").json
            #expect(sliceLists["count"] == 1)
            #expect(sliceLists["results"]?.arrayValue?.first?["id"]?.intValue == workflow)
            let unified = try await server.get("/api/v2/unified_jobs/?order_by=id").json
            #expect((unified["results"]?.arrayValue ?? []).contains { $0["type"] == "workflow_job" && $0["id"]?.intValue == workflow })
            #expect(try await server.get("/api/v2/workflow_jobs/?is_sliced_job=true").json["count"] == 1)
            #expect(try await server.get("/api/v2/jobs/?job_slice_number=2").json["count"] == 1)
            let related = try await server.get("/api/v2/job_templates/\(template)/").json["related"]
            #expect(related?["slice_workflow_jobs"]?.stringValue == "/api/v2/job_templates/\(template)/slice_workflow_jobs/")

            // The inventory script's subset shows the same partition.
            let script = try await server.get("/api/v2/inventories/\(inventory)/script/?subset=slice2of3").json
            #expect(script["all"]?["hosts"] == ["h2", "h5"])
            let bad = try await server.get("/api/v2/inventories/\(inventory)/script/?subset=slice4of3")
            #expect(bad.status == 400)
            #expect(bad.json["detail"] == "Slice number must be less than total number of slices.")
            #expect(try await server.get("/api/v2/inventories/\(inventory)/script/?subset=half").json["detail"]
                    == "Could not parse subset as slice specification.")
            // A slice relaunches on its own hosts.
            let second = try #require(jobs.first { $0["job_slice_number"] == 2 }?["id"]?.intValue)
            let relaunch = try await server.request("POST", "/api/v2/jobs/\(second)/relaunch/", json: [:])
            let again = try #require(relaunch.json["id"]?.intValue, "\(relaunch.body)")
            #expect(relaunch.json["job_slice_number"] == 2)
            #expect(try await JobsHTTPTests.waitForEnd(server, again)["status"] == "successful")
            #expect(try await Self.hostNames(server, job: again) == ["h2", "h5"])
            // Finished: no cancel (AWX's 405), and it can be deleted.
            #expect(try await server.get("/api/v2/workflow_jobs/\(workflow)/cancel/").json["can_cancel"] == false)
            #expect(try await server.request("POST", "/api/v2/workflow_jobs/\(workflow)/cancel/").status == 405)
            #expect(try await server.request("DELETE", "/api/v2/workflow_jobs/\(workflow)/").status == 204)
            #expect(try await server.get("/api/v2/workflow_jobs/\(workflow)/").status == 404)
        }
    }

    /// One slice failing fails the workflow job with AWX's explanation.
    @Test(arguments: TestController.Engine.allCases)
    func aFailingSliceFailsTheWorkflowJob(_ engine: TestController.Engine) async throws {
        try await withController(engine) { server in
            let (template, _) = try await Self.makeSlicedTemplate(server, hosts: ["h1", "h2", "h3"], playbook: """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - fail: msg=boom
                      when: inventory_hostname == 'h2'
                """, sliceCount: 3)
            let workflow = try #require(try await server.request("POST", "/api/v2/job_templates/\(template)/launch/", json: [:]).json["workflow_job"]?.intValue)
            let ended = try await Self.waitForWorkflow(server, workflow)
            #expect(ended["status"] == "failed")
            #expect(ended["failed"] == true)
            #expect(ended["job_explanation"] == "No error handling paths found, marking workflow as failed")
            let statuses = Dictionary(uniqueKeysWithValues: try await Self.slices(server, workflow).map {
                ($0["job_slice_number"]?.intValue ?? 0, $0["status"]?.stringValue ?? "")
            })
            #expect(statuses == [1: "successful", 2: "failed", 3: "successful"])
        }
    }

    /// Cancelling the workflow job cancels its running and pending slices; it ends canceled.
    @Test(arguments: TestController.Engine.allCases)
    func cancelOfTheWorkflowJobCancelsItsSlices(_ engine: TestController.Engine) async throws {
        try await withController(engine) { server in
            let (template, _) = try await Self.makeSlicedTemplate(server, hosts: ["h1", "h2"],
                playbook: "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: sleep 30\n", sliceCount: 2)
            let workflow = try #require(try await server.request("POST", "/api/v2/job_templates/\(template)/launch/", json: [:]).json["workflow_job"]?.intValue)
            let deadline = Date().addingTimeInterval(30)
            while try await Self.slices(server, workflow).allSatisfy({ $0["status"] != "running" }) {
                if Date() > deadline { throw TestFailure("no slice started") }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(try await server.get("/api/v2/workflow_jobs/\(workflow)/").json["status"] == "running")
            #expect(try await server.get("/api/v2/workflow_jobs/\(workflow)/cancel/").json["can_cancel"] == true)
            let started = Date()
            #expect(try await server.request("POST", "/api/v2/workflow_jobs/\(workflow)/cancel/").status == 202)
            let ended = try await Self.waitForWorkflow(server, workflow, seconds: 30)
            #expect(ended["status"] == "canceled")
            #expect(Date().timeIntervalSince(started) < 15, "the cancel took \(Date().timeIntervalSince(started)) s")
            for job in try await Self.slices(server, workflow) { #expect(job["status"] == "canceled", "\(job.serialized())") }
        }
    }

    /// A template without `allow_simultaneous`: a second sliced launch waits (`pending`, its
    /// slices `new`) while the first runs, then runs; a waiting one canceled ends at once.
    @Test(arguments: TestController.Engine.allCases)
    func aSecondSlicedLaunchWaitsForTheFirst(_ engine: TestController.Engine) async throws {
        try await withController(engine) { server in
            let (template, _) = try await Self.makeSlicedTemplate(server, hosts: ["h1", "h2"],
                playbook: "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: sleep 2\n", sliceCount: 2)
            let first = try #require(try await server.request("POST", "/api/v2/job_templates/\(template)/launch/", json: [:]).json["workflow_job"]?.intValue)
            let secondLaunch = try await server.request("POST", "/api/v2/job_templates/\(template)/launch/", json: [:])
            let second = try #require(secondLaunch.json["workflow_job"]?.intValue)
            #expect(secondLaunch.json["status"] == "pending")
            let third = try #require(try await server.request("POST", "/api/v2/job_templates/\(template)/launch/", json: [:]).json["workflow_job"]?.intValue)
            #expect(try await Self.slices(server, second).allSatisfy { $0["status"] == "new" })
            #expect(try await server.request("POST", "/api/v2/workflow_jobs/\(third)/cancel/").status == 202)
            #expect(try await server.get("/api/v2/workflow_jobs/\(third)/").json["status"] == "canceled")

            let firstEnded = try await Self.waitForWorkflow(server, first)
            #expect(firstEnded["status"] == "successful")
            let secondEnded = try await Self.waitForWorkflow(server, second)
            #expect(secondEnded["status"] == "successful")
            let firstFinished = try #require(firstEnded["finished"]?.stringValue)
            let secondStarted = try #require(secondEnded["started"]?.stringValue)
            #expect(secondStarted >= firstFinished, "the second started \(secondStarted), before the first finished \(firstFinished)")
            for job in try await Self.slices(server, third) { #expect(job["status"] == "canceled") }
        }
    }

    /// `job_slice_count` is a prompt only with `ask_job_slice_count_on_launch`; the count is
    /// capped at the inventory's hosts; a count of 1 (or one host) launches a plain job.
    @Test func sliceCountPromptAndCap() async throws {
        try await withController(.sqlite) { server in
            let (template, _) = try await Self.makeSlicedTemplate(server, hosts: ["a", "b", "c"],
                playbook: "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n", sliceCount: 1)
            let ignored = try await server.request("POST", "/api/v2/job_templates/\(template)/launch/", json: ["job_slice_count": 2])
            #expect(ignored.status == 201)
            #expect(ignored.json["type"] == "job")
            #expect(ignored.json["job_slice_count"] == 1)
            #expect(ignored.json["ignored_fields"]?["job_slice_count"] == 2)

            #expect(try await server.request("PATCH", "/api/v2/job_templates/\(template)/", json: ["ask_job_slice_count_on_launch": true]).status == 200)
            let info = try await server.get("/api/v2/job_templates/\(template)/launch/").json
            #expect(info["ask_job_slice_count_on_launch"] == true)
            #expect(info["defaults"]?["job_slice_count"] == 1)
            let capped = try await server.request("POST", "/api/v2/job_templates/\(template)/launch/", json: ["job_slice_count": 10])
            let workflow = try #require(capped.json["workflow_job"]?.intValue, "\(capped.body)")
            #expect(try await server.get("/api/v2/workflow_jobs/\(workflow)/workflow_nodes/").json["count"] == 3)
            #expect(try await Self.waitForWorkflow(server, workflow)["status"] == "successful")
            let wrong = try await server.request("POST", "/api/v2/job_templates/\(template)/launch/", json: ["job_slice_count": "many"])
            #expect(wrong.status == 400)
            #expect(wrong.json["job_slice_count"] == ["A valid integer is required."])
        }
    }

    /// Workflow jobs follow the template's job access: a user without a role on the
    /// template sees none of them; `read_role` lets it read them, `execute_role` cancel.
    @Test func workflowJobsFollowTheTemplatesAccess() async throws {
        try await withController(.sqlite) { server in
            let (template, _) = try await Self.makeSlicedTemplate(server, hosts: ["h1", "h2"],
                playbook: "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: sleep 30\n", sliceCount: 2)
            let workflow = try #require(try await server.request("POST", "/api/v2/job_templates/\(template)/launch/", json: [:]).json["workflow_job"]?.intValue)
            let user = try await server.makeUser("viewer", password: "viewer-pw-1")
            let viewer = TestController.Auth.basic("viewer", "viewer-pw-1")
            #expect(try await server.request("POST", "/api/v2/job_templates/\(template)/launch/", auth: viewer, json: [:]).status == 403)
            #expect(try await server.get("/api/v2/workflow_jobs/", auth: viewer).json["count"] == 0)
            #expect(try await server.get("/api/v2/unified_jobs/", auth: viewer).json["count"] == 0)
            #expect(try await server.get("/api/v2/workflow_jobs/\(workflow)/", auth: viewer).status == 403)
            #expect(try await server.get("/api/v2/workflow_jobs/\(workflow)/workflow_nodes/", auth: viewer).status == 403)
            #expect(try await server.request("POST", "/api/v2/workflow_jobs/\(workflow)/cancel/", auth: viewer).status == 403)

            try await AccessTests.grant(server, user: user, role: try await AccessTests.role(server, "/api/v2/job_templates/\(template)/", "read_role"))
            #expect(try await server.get("/api/v2/workflow_jobs/", auth: viewer).json["count"] == 1)
            #expect(try await server.get("/api/v2/workflow_jobs/\(workflow)/", auth: viewer).status == 200)
            #expect(try await server.request("POST", "/api/v2/workflow_jobs/\(workflow)/cancel/", auth: viewer).status == 403)
            try await AccessTests.grant(server, user: user, role: try await AccessTests.role(server, "/api/v2/job_templates/\(template)/", "execute_role"))
            #expect(try await server.request("POST", "/api/v2/workflow_jobs/\(workflow)/cancel/", auth: viewer).status == 202)
            #expect(try await Self.waitForWorkflow(server, workflow, seconds: 30)["status"] == "canceled")
        }
    }

    /// Ordered fallback on one node: the template's group has no node, the inventory's has
    /// this one: the job runs through the inventory's group. With the template's
    /// `prevent_instance_group_fallback` it waits for the template's group.
    @Test(arguments: TestController.Engine.allCases)
    func instanceGroupFallbackFollowsAWXsOrder(_ engine: TestController.Engine) async throws {
        try await withController(engine) { server in
            let (template, inventory) = try await Self.makeSlicedTemplate(server, hosts: ["a"],
                playbook: "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n", sliceCount: 1)
            let defaultGroup = try #require(try await server.get("/api/v2/instance_groups/?name=default").json["results"]?.arrayValue?.first?["id"]?.intValue)
            // No group anywhere: any node, through `default`.
            let free = try #require(try await server.request("POST", "/api/v2/job_templates/\(template)/launch/", json: [:]).json["job"]?.intValue)
            #expect(try await JobsHTTPTests.waitForEnd(server, free)["instance_group"]?.intValue == defaultGroup)

            let empty = try await server.create("/api/v2/instance_groups/", ["name": "empty"])
            let mine = try await server.create("/api/v2/instance_groups/", ["name": "mine"])
            let instance = try #require(try await server.get("/api/v2/instances/test-node/").json["id"]?.intValue)
            #expect(try await server.request("POST", "/api/v2/instance_groups/\(mine)/instances/", json: ["id": .int(instance)]).status == 204)
            #expect(try await server.request("POST", "/api/v2/job_templates/\(template)/instance_groups/", json: ["id": .int(empty)]).status == 204)
            #expect(try await server.request("POST", "/api/v2/inventories/\(inventory)/instance_groups/", json: ["id": .int(mine)]).status == 204)
            let fellBack = try #require(try await server.request("POST", "/api/v2/job_templates/\(template)/launch/", json: [:]).json["job"]?.intValue)
            let ran = try await JobsHTTPTests.waitForEnd(server, fellBack)
            #expect(ran["status"] == "successful")
            #expect(ran["instance_group"]?.intValue == mine)

            #expect(try await server.request("PATCH", "/api/v2/job_templates/\(template)/", json: ["prevent_instance_group_fallback": true]).status == 200)
            let held = try #require(try await server.request("POST", "/api/v2/job_templates/\(template)/launch/", json: [:]).json["job"]?.intValue)
            try await Task.sleep(for: .milliseconds(800))
            let waiting = try await server.get("/api/v2/jobs/\(held)/").json
            #expect(waiting["status"] == "pending")
            #expect(waiting["instance_group"] == .null)
            // The template's group gains this node: the job runs through it.
            #expect(try await server.request("POST", "/api/v2/instance_groups/\(empty)/instances/", json: ["id": .int(instance)]).status == 204)
            let released = try await JobsHTTPTests.waitForEnd(server, held)
            #expect(released["status"] == "successful")
            #expect(released["instance_group"]?.intValue == empty)
        }
    }

    /// A level's groups are tried in the order they were added, not by id.
    @Test(arguments: TestController.Engine.allCases)
    func groupsOfOneLevelKeepTheOrderTheyWereAddedIn(_ engine: TestController.Engine) async throws {
        try await withController(engine) { server in
            let (template, _) = try await Self.makeSlicedTemplate(server, hosts: ["a"],
                playbook: "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n", sliceCount: 1)
            let instance = try #require(try await server.get("/api/v2/instances/test-node/").json["id"]?.intValue)
            let older = try await server.create("/api/v2/instance_groups/", ["name": "older"])
            let newer = try await server.create("/api/v2/instance_groups/", ["name": "newer"])
            for group in [older, newer] {
                #expect(try await server.request("POST", "/api/v2/instance_groups/\(group)/instances/", json: ["id": .int(instance)]).status == 204)
            }
            for group in [newer, older] {
                #expect(try await server.request("POST", "/api/v2/job_templates/\(template)/instance_groups/", json: ["id": .int(group)]).status == 204)
            }
            let job = try #require(try await server.request("POST", "/api/v2/job_templates/\(template)/launch/", json: [:]).json["job"]?.intValue)
            #expect(try await JobsHTTPTests.waitForEnd(server, job)["instance_group"]?.intValue == newer)
        }
    }

    /// The real `awx` CLI: `job_templates launch --monitor` of a sliced template follows the
    /// workflow job (awxkit's workflow monitor) and exits 0 once it is successful.
    @Test func awxCLILaunchMonitorOfASlicedTemplate() async throws {
        try await withController(.sqlite) { server in
            let (template, _) = try await Self.makeSlicedTemplate(server, hosts: ["h1", "h2", "h3", "h4"],
                playbook: "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n", sliceCount: 2)
            let run = try await AwxCLI(server).ok(["job_templates", "launch", String(template), "--monitor", "--interval", "2.5"])
            let workflows = try await server.get("/api/v2/workflow_jobs/").json
            let workflow = try #require(workflows["results"]?.arrayValue?.first?["id"]?.intValue)
            #expect(try await server.get("/api/v2/workflow_jobs/\(workflow)/").json["status"] == "successful")
            for job in try await Self.slices(server, workflow) {
                let id = try #require(job["id"]?.intValue)
                #expect(run.stdout.contains("↳ \(id) - Sliced successful"), "\(run.stdout)")
            }
            #expect(run.stdout.contains("\"type\": \"workflow_job\""), "\(run.stdout)")
            #expect(run.stdout.contains("\"status\": \"successful\""), "\(run.stdout)")
            // The CLI's workflow_jobs and unified_jobs commands read them too.
            let cli = AwxCLI(server)
            let listed = try await cli.ok(["workflow_jobs", "list", "--is_sliced_job", "true"]).json
            #expect(listed["count"] == 1)
            #expect(listed["results"]?.arrayValue?.first?["job_template"]?.intValue == template)
            #expect(try await cli.ok(["workflow_jobs", "get", String(workflow)]).json["status"] == "successful")
            #expect(try await cli.ok(["unified_jobs", "list"]).json["count"] == 3)
        }
    }
}
