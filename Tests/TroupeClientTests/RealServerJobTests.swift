import Foundation
import Testing
@testable import TroupeClient

/// Jobs through the client against the real controller: its dispatcher runs the `troupe`
/// binary of this build on a local-connection inventory.
@Suite(.serialized) struct RealServerJobTests {
    /// An organization, a local inventory with `localhost`, a manual project with three
    /// playbooks and a template for each: Hello (succeeds), Broken (fails), Slow (a minute).
    static func makeContent(_ server: RealController) async throws -> ServerAPI {
        let project = server.controller.configuration.projectsDirectory.appendingPathComponent("demo")
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        let playbooks = [
            "site.yml": "- hosts: all\n  gather_facts: false\n  tasks:\n    - ping:\n    - debug: msg=hello-from-troupe\n",
            "fail.yml": "- hosts: all\n  gather_facts: false\n  tasks:\n    - fail: msg=boom-on-purpose\n",
            "slow.yml": "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: sleep 60\n",
        ]
        for (name, text) in playbooks { try text.write(to: project.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let api = try server.adminAPI()
        let org = try await api.create(Organization.self, ["name": "Org"])
        let inventory = try await api.create(Inventory.self, ["name": "Local", "organization": .int(org.id)])
        _ = try await api.create(Host.self, ["name": "localhost", "inventory": .int(inventory.id),
                                             "variables": "ansible_connection: local\nansible_python_interpreter: /usr/bin/python3"])
        let projectObject = try await api.post("projects", ["name": "Demo", "organization": .int(org.id), "scm_type": "", "local_path": "demo"])
        let projectID = try #require(projectObject["id"]?.intValue)
        for (name, playbook) in [("Hello", "site.yml"), ("Broken", "fail.yml"), ("Slow", "slow.yml")] {
            _ = try await api.create(JobTemplate.self, ["name": .string(name), "project": .int(projectID), "inventory": .int(inventory.id),
                                                        "playbook": .string(playbook), "ask_limit_on_launch": true])
        }
        return api
    }

    @Test func launchStreamsEventsAndEndsSuccessful() async throws {
        try await withRealController { server in
            let api = try await Self.makeContent(server)
            let job = try await api.launch(jobTemplate: "Hello")
            #expect(job.id > 0 && job.url == "/api/v2/jobs/\(job.id)/")
            var seen: [JobEvent] = []
            for try await event in job.events(pollInterval: 0.05) { seen.append(event) }
            #expect(!seen.isEmpty && seen.map(\.counter) == Array(1...seen.count))
            #expect(seen.first?.event == "playbook_on_start" && seen.last?.event == "playbook_on_stats")
            #expect(seen.filter { $0.event == "runner_on_ok" }.map(\.hostName) == ["localhost", "localhost"])

            let finished = try await job.wait(timeout: 120)
            #expect(finished.status == "successful" && finished.isSuccessful && !finished.failed)
            let stdout = try await finished.stdout()
            #expect(stdout.contains("ok: [localhost]") && stdout.contains("hello-from-troupe") && stdout.contains("PLAY RECAP"))

            // A failing job fails, and its relaunch on the failed hosts limits to them.
            let broken = try await api.launch(jobTemplate: "Broken")
            let failed = try await broken.wait(timeout: 120)
            #expect(failed.status == "failed" && failed.failed)
            #expect(try await failed.stdout().contains("boom-on-purpose"))
            let again = try await failed.relaunch(hosts: .failed)
            #expect(again.id != broken.id)
            let relaunched = try await again.wait(timeout: 120)
            #expect(relaunched.status == "failed" && relaunched.limit == "localhost")
        }
    }

    @Test func cancelStopsARunningJob() async throws {
        try await withRealController { server in
            let api = try await Self.makeContent(server)
            let job = try await api.launch(jobTemplate: "Slow")
            let deadline = Date().addingTimeInterval(60)
            while try await api.get("jobs/\(job.id)")["status"]?.stringValue != "running" && Date() < deadline {
                try await Task.sleep(nanoseconds: 50_000_000)
            }
            let cancelled = Date()
            try await job.cancel()
            let finished = try await job.wait(timeout: 60)
            #expect(finished.status == "canceled")
            #expect(Date().timeIntervalSince(cancelled) < 15)
            // A finished job cannot be cancelled again: AWX's 405, typed.
            let error = await #expect(throws: ServerError.self) { try await job.cancel() }
            #expect(error?.status == 405)
        }
    }

    @Test func exampleRunsAgainstTheRealServer() async throws {
        try await withRealController { server in
            _ = try await Self.makeContent(server)
            let environment = ["TROUPE_SERVER_URL": server.url, "TROUPE_API_KEY": try await server.adminToken(scope: "write")]
            let listed = try await runProduct("controller-client", [], environment: environment)
            #expect(listed.status == 0, "stderr: \(listed.stderr)")
            #expect(listed.stdout.contains("Hello") && listed.stdout.contains("Slow"), "\(listed.stdout)")
            let run = try await runProduct("controller-client", ["Hello"], environment: environment, timeout: 120)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            #expect(run.stdout.contains("hello-from-troupe") && run.stdout.hasSuffix("status: successful\n"), "\(run.stdout)")
            let failing = try await runProduct("controller-client", ["Broken"], environment: environment, timeout: 120)
            #expect(failing.status != 0 && failing.stdout.contains("status: failed"), "\(failing.stdout)\n\(failing.stderr)")
        }
    }
}
