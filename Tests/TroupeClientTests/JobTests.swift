import Foundation
import Testing
@testable import TroupeClient

/// An organization, an inventory with `hosts` hosts and a job template named `name`.
func makeTemplate(_ api: ServerAPI, name: String = "Deploy", hosts: Int = 2) async throws -> JobTemplate {
    let org = try await api.create(Organization.self, ["name": "Default"])
    let inventory = try await api.create(Inventory.self, ["name": "inv", "organization": .int(org.id)])
    for index in 1...max(hosts, 1) {
        _ = try await api.create(Host.self, ["name": .string("node\(index)"), "inventory": .int(inventory.id)])
    }
    return try await api.create(JobTemplate.self, ["name": .string(name), "organization": .int(org.id),
                                                   "inventory": .int(inventory.id), "playbook": "ping.yml"])
}

@Suite struct JobTests {
    @Test func launchStreamsEventsAndEndsSuccessful() async throws {
        try await withFakeController { server in
            let api = try server.api()
            _ = try await makeTemplate(api, hosts: 3)
            let job = try await api.launch(jobTemplate: "Deploy", extraVars: ["who": "test"], limit: "node1,node3")
            #expect(job.id > 0 && job.url == "/api/v2/jobs/\(job.id)/")
            var seen: [JobEvent] = []
            for try await event in job.events(pollInterval: 0.01) { seen.append(event) }
            #expect(seen.map(\.counter) == Array(1...seen.count))
            #expect(seen.first?.event == "playbook_on_start" && seen.last?.event == "playbook_on_stats")
            #expect(seen.filter { $0.event == "runner_on_ok" }.map(\.hostName) == ["node1", "node3"])
            for (previous, next) in zip(seen, seen.dropFirst()) { #expect(previous.endLine == next.startLine) }

            let finished = try await job.wait(timeout: 10)
            #expect(finished.status == "successful" && finished.isSuccessful && !finished.failed)
            #expect(finished.limit == "node1,node3")
            let stdout = try await finished.stdout()
            #expect(stdout.contains("ok: [node1]") && stdout.contains("PLAY RECAP"))
            #expect(try await finished.stdout(format: .json).contains("ok: [node3]"))
            #expect(stdout == seen.map(\.stdout).filter { !$0.isEmpty }.joined(separator: "\n") + "\n")
        }
    }

    @Test func eventsAreStreamedByTheServer() async throws {
        try await withFakeController { server in
            let api = try server.api()
            _ = try await makeTemplate(api, hosts: 3)
            let job = try await api.launch(jobTemplate: "Deploy")
            let started = Date()
            let seen = try await job.events(pollInterval: 30).reduce(into: [JobEvent]()) { $0.append($1) }
            #expect(Date().timeIntervalSince(started) < 10)
            #expect(seen.map(\.counter) == Array(1...seen.count))
            #expect(seen.last?.event == "playbook_on_stats")
            let log = await server.state.log()
            #expect(log.contains("GET /api/v2/jobs/\(job.id)/stream/"))
            #expect(!log.contains { $0.contains("/job_events/") })  // no polling needed

            // A finished job's stream gives its stored events and ends at once.
            let again = try await job.events.reduce(into: [Int]()) { $0.append($1.counter) }
            #expect(again == seen.map(\.counter))
        }
    }

    @Test func eventsArePushedOverTheWebSocket() async throws {
        try await withFakeController(eventStream: false) { server in
            let api = try server.api()
            _ = try await makeTemplate(api, hosts: 3)
            let job = try await api.launch(jobTemplate: "Deploy")
            // A 30 s polling interval: only the WebSocket's pushes can end this quickly.
            let started = Date()
            var seen: [JobEvent] = []
            for try await event in job.events(pollInterval: 30) { seen.append(event) }
            #expect(Date().timeIntervalSince(started) < 10)
            #expect(seen.map(\.counter) == Array(1...seen.count))
            #expect(seen.last?.event == "playbook_on_stats")
        }
    }

    @Test func eventsArePolledWithoutAWebSocket() async throws {
        try await withFakeController(webSocket: false, eventStream: false) { server in
            let api = try server.api()
            _ = try await makeTemplate(api, hosts: 3)
            let job = try await api.launch(jobTemplate: "Deploy")
            let seen = try await job.events(pollInterval: 0.02).reduce(into: [JobEvent]()) { $0.append($1) }
            #expect(seen.map(\.counter) == Array(1...seen.count))
            #expect(seen.filter { $0.event == "runner_on_ok" }.count == 3)
            let polls = await server.state.log().filter { $0.contains("/job_events/") }
            // How many polls depends on how far the job got before the first one (one poll can
            // see them all); every poll must resume where the last one stopped.
            #expect(polls.count >= 1)
            #expect(polls.allSatisfy { $0.contains("start_line__gte=") })
        }
    }

    @Test func failedJobRelaunchesOnFailedHosts() async throws {
        try await withFakeController { server in
            let api = try server.api()
            let template = try await makeTemplate(api, hosts: 2)
            let job = try await api.launch(jobTemplate: .id(template.id), extraVars: ["fail": true])
            let finished = try await job.wait(timeout: 10)
            #expect(finished.status == "failed" && finished.failed)
            let again = try await finished.relaunch(hosts: .failed)
            #expect(again.id != job.id)
            #expect(try await again.wait(timeout: 10).limit == "node1,node2")
            // Cancelling a finished job is the server's 405.
            let error = await #expect(throws: ServerError.self) { try await finished.cancel() }
            #expect(error?.status == 405)
        }
    }

    @Test func cancelStopsARunningJob() async throws {
        try await withFakeController { server in
            let api = try server.api()
            _ = try await makeTemplate(api, hosts: 1)
            let job = try await api.launch(jobTemplate: "Deploy++Default", extraVars: ["pause": 30])
            var running = job
            while running.status != "running" {
                try await Task.sleep(nanoseconds: 10_000_000)
                running = try await job.refresh()
            }
            try await job.cancel()
            let started = Date()
            let finished = try await job.wait(timeout: 10)
            #expect(finished.status == "canceled")
            #expect(Date().timeIntervalSince(started) < 5)
        }
    }

    @Test func waitTimesOut() async throws {
        try await withFakeController { server in
            let api = try server.api()
            _ = try await makeTemplate(api, hosts: 1)
            let job = try await api.launch(jobTemplate: "Deploy", extraVars: ["pause": 30])
            await #expect(throws: ClientError.self) { try await job.wait(timeout: 0.3) }
            try await job.cancel()
            #expect(try await job.wait(timeout: 10).status == "canceled")
        }
    }

    @Test func adHocCommandRunsOnTheInventory() async throws {
        try await withFakeController { server in
            let api = try server.api()
            _ = try await makeTemplate(api, hosts: 2)
            let command = try await api.adHoc(inventory: "inv++Default", module: "ping", limit: "node2")
            #expect(command.type == "ad_hoc_command")
            let events = try await command.events(pollInterval: 0.01).reduce(into: [JobEvent]()) { $0.append($1) }
            #expect(events.filter { $0.event == "runner_on_ok" }.map(\.hostName) == ["node2"])
            #expect(try await command.wait(timeout: 10).isSuccessful)
        }
    }
}
