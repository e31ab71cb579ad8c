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
            "paced.yml": "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=one\n    - pause: seconds=1\n"
                + "    - debug: msg=two\n    - pause: seconds=1\n    - debug: msg=three\n",
        ]
        for (name, text) in playbooks { try text.write(to: project.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let api = try server.adminAPI()
        let org = try await api.create(Organization.self, ["name": "Org"])
        let inventory = try await api.create(Inventory.self, ["name": "Local", "organization": .int(org.id)])
        _ = try await api.create(Host.self, ["name": "localhost", "inventory": .int(inventory.id),
                                             "variables": "ansible_connection: local\nansible_python_interpreter: /usr/bin/python3"])
        let projectObject = try await api.post("projects", ["name": "Demo", "organization": .int(org.id), "scm_type": "", "local_path": "demo"])
        let projectID = try #require(projectObject["id"]?.intValue)
        for (name, playbook) in [("Hello", "site.yml"), ("Broken", "fail.yml"), ("Slow", "slow.yml"), ("Paced", "paced.yml")] {
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

    @Test func adHocCommandRunsAndPrintsAsAnsibleDoes() async throws {
        try await withRealController { server in
            let api = try await Self.makeContent(server)
            let command = try await api.adHoc(inventory: "Local", module: "command", args: "echo from-ad-hoc")
            #expect(command.url == "/api/v2/ad_hoc_commands/\(command.id)/")
            var seen: [JobEvent] = []
            for try await event in command.events(pollInterval: 0.05) { seen.append(event) }
            #expect(!seen.isEmpty && seen.map(\.counter) == Array(1...seen.count))
            #expect(seen.filter { $0.event == "runner_on_ok" }.map(\.hostName) == ["localhost"])
            let finished = try await command.wait(timeout: 120)
            #expect(finished.status == "successful" && !finished.failed)
            // The ad hoc callback's lines, as `ansible localhost -a 'echo from-ad-hoc'` prints them.
            let stdout = try await finished.stdout()
            #expect(stdout.contains("localhost | CHANGED | rc=0 >>\nfrom-ad-hoc"), "\(stdout)")
            #expect(!stdout.contains("PLAY RECAP"), "\(stdout)")

            let failing = try await api.adHoc(inventory: "Local", module: "command", args: "false")
            let failed = try await failing.wait(timeout: 120)
            #expect(failed.status == "failed" && failed.failed)
            #expect(try await failed.stdout().contains("localhost | FAILED | rc=1 >>"))
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

    @Test func eventsArePushedOverTheWebSocket() async throws {
        try await withRealController { server in
            let api = try await Self.makeContent(server)
            let job = try await api.launch(jobTemplate: "Paced")
            let started = Date()
            // The job emits events over 2 s and the poll interval is 60 s: only the
            // WebSocket's pushes can deliver them all in time.
            let seen = try await job.events(pollInterval: 60).reduce(into: [JobEvent]()) { $0.append($1) }
            #expect(Date().timeIntervalSince(started) < 30)
            #expect(!seen.isEmpty && seen.map(\.counter) == Array(1...seen.count))
            #expect(seen.last?.event == "playbook_on_stats")
            #expect(seen.contains { $0.stdout.contains("three") })
        }
    }

    /// AWX's WebSocket protocol spoken by a real third-party client (Python's `websockets`):
    /// greeting, subscription confirmed, every event of the job in order, the final status.
    @Test func pythonWebSocketsClientFollowsAJob() async throws {
        try await withRealController { server in
            let api = try await Self.makeContent(server)
            let token = try await server.adminToken(scope: "read")
            let job = try await api.launch(jobTemplate: "Paced")
            let script = #"""
                import asyncio, json, sys, websockets
                async def main(url, token, job):
                    async with websockets.connect(url, additional_headers={"Authorization": "Bearer " + token}) as ws:
                        print(json.loads(await ws.recv()).get("accept"))
                        await ws.send(json.dumps({"groups": {"jobs": ["status_changed"], "job_events": [job]}, "xrftoken": ""}))
                        print(json.loads(await ws.recv())["groups_current"])
                        counters = []
                        while True:
                            message = json.loads(await asyncio.wait_for(ws.recv(), 60))
                            if message.get("group_name") == "job_events" and message.get("job") == job:
                                counters.append(message["counter"])
                            if message.get("group_name") == "jobs" and message.get("unified_job_id") == job and message.get("finished"):
                                print(message["status"], counters == list(range(1, len(counters) + 1)), len(counters) > 5)
                                return
                asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
                """#
            let url = server.url.replacingOccurrences(of: "http://", with: "ws://") + "/websocket/"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", script, url, token, String(job.id)]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let text: String = await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    let data = output.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    continuation.resume(returning: String(decoding: data, as: UTF8.self))
                }
            }
            #expect(text == "True\n['job_events-\(job.id)', 'jobs-status_changed']\nsuccessful True True\n", "\(text)")
        }
    }
}
