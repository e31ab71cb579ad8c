import Foundation
import XCTest
@testable import TroupeController

/// The job endpoints' logic over a real run's stored events.
final class JobsAPITests: XCTestCase {
    private func json(_ reply: JobsAPI.Reply) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: reply.body) as? [String: Any])
    }

    func testEventsStdoutCancelRelaunchDelete() async throws {
        let lab = try await JobsHarness()
        defer { Task { await lab.close() } }
        try await lab.dispatcher.start()
        let api = JobsAPI(store: lab.store, dispatcher: lab.dispatcher)
        let spec = try lab.playbook("mixed.yml", """
            - hosts: all
              gather_facts: false
              tasks:
                - name: greet
                  debug: msg=hello
                - name: break beta
                  fail: msg=broken
                  when: inventory_hostname == 'beta'
            """, hosts: ["alpha", "beta"])
        let id = try await lab.launch(spec)
        _ = try await lab.waitForEnd(id)

        let detail = try json(try await api.detail(id, kind: .job))
        XCTAssertEqual(detail["status"] as? String, "failed")
        XCTAssertEqual(detail["event_processing_finished"] as? Bool, true)
        XCTAssertEqual(detail["type"] as? String, "job")
        XCTAssertEqual((detail["related"] as? [String: Any])?["job_events"] as? String, "/api/v2/jobs/\(id)/job_events/")

        // What `awx … --monitor` asks.
        let page = try json(try await api.events(id, kind: .job, parameters: [("order_by", "start_line"), ("no_truncate", "True")]))
        let results = try XCTUnwrap(page["results"] as? [[String: Any]])
        let count = try XCTUnwrap(page["count"] as? Int)
        XCTAssertEqual(results.count, min(count, 25))
        XCTAssertEqual(results.first?["start_line"] as? Int, 0)
        let after = try XCTUnwrap(results[2]["end_line"] as? Int)
        let later = try json(try await api.events(id, kind: .job, parameters: [("order_by", "start_line"), ("start_line__gte", String(after))]))
        XCTAssertEqual((later["results"] as? [[String: Any]])?.first?["start_line"] as? Int, after)
        let failures = try json(try await api.events(id, kind: .job, parameters: [("event", "runner_on_failed")]))
        XCTAssertEqual(failures["count"] as? Int, 1)
        XCTAssertEqual((failures["results"] as? [[String: Any]])?.first?["host_name"] as? String, "beta")
        let notOk = try json(try await api.events(id, kind: .job, parameters: [("not__event", "runner_on_ok"), ("failed", "true")]))
        XCTAssertGreaterThanOrEqual(notOk["count"] as? Int ?? 0, 2, "the failure and its task (propagated)")
        let bad = try await api.events(id, kind: .job, parameters: [("nonsense", "1")])
        XCTAssertEqual(bad.status, 400)
        let paged = try json(try await api.events(id, kind: .job, parameters: [("page_size", "2"), ("page", "2")]))
        XCTAssertEqual((paged["results"] as? [[String: Any]])?.first?["counter"] as? Int, 3)
        XCTAssertNotNil(paged["next"] as? String)

        let summary = try json(try await api.childrenSummary(id))
        XCTAssertEqual(summary["is_tree"] as? Bool, true)
        XCTAssertEqual(summary["event_processing_finished"] as? Bool, true)
        XCTAssertNotNil((summary["children_summary"] as? [String: Any])?["1"])
        let hosts = try json(try await api.hostSummaries(id, parameters: []))
        XCTAssertEqual((hosts["results"] as? [[String: Any]])?.map { $0["host_name"] as? String }, ["alpha", "beta"])
        XCTAssertEqual((hosts["results"] as? [[String: Any]])?.map { $0["failed"] as? Bool }, [false, true])

        let txt = String(decoding: try await api.stdout(id, kind: .job, parameters: [("format", "txt")]).body, as: UTF8.self)
        XCTAssertTrue(txt.contains("TASK [greet]"), txt)
        XCTAssertTrue(txt.contains("PLAY RECAP"))
        XCTAssertFalse(txt.contains("\u{1b}["), "txt has no escape sequences")
        let ansi = String(decoding: try await api.stdout(id, kind: .job, parameters: [("format", "ansi")]).body, as: UTF8.self)
        XCTAssertTrue(ansi.contains("\u{1b}["), "ansi keeps the colours")
        let html = try await api.stdout(id, kind: .job, parameters: [("format", "html")])
        XCTAssertTrue(html.contentType.contains("text/html"))
        XCTAssertTrue(String(decoding: html.body, as: UTF8.self).contains("<span class=\"ansi"))
        let ranged = try json(try await api.stdout(id, kind: .job, parameters: [("format", "json"), ("start_line", "1"), ("end_line", "3"),
                                                                                 ("content_encoding", "base64")]))
        XCTAssertEqual((ranged["range"] as? [String: Any])?["start"] as? Int, 1)
        XCTAssertEqual((ranged["range"] as? [String: Any])?["end"] as? Int, 3)
        let decoded = String(decoding: Data(base64Encoded: try XCTUnwrap(ranged["content"] as? String)) ?? Data(), as: UTF8.self)
        XCTAssertEqual(decoded.split(separator: "\n", omittingEmptySubsequences: false).count, 3, decoded)
        let download = try await api.stdout(id, kind: .job, parameters: [("format", "txt_download")])
        XCTAssertEqual(download.headers.first?.1, "attachment; filename=\"job_\(id).txt\"")

        let awaited1 = try json(try await api.canCancel(id, kind: .job))["can_cancel"] as? Bool
        XCTAssertEqual(awaited1, false)
        let awaited2 = try await api.cancel(id, kind: .job).status
        XCTAssertEqual(awaited2, 405)

        let relaunch = try await api.relaunch(id, kind: .job, body: ["hosts": "failed"])
        XCTAssertEqual(relaunch.status, 201)
        let relaunched = try json(relaunch)
        let newID = try XCTUnwrap(relaunched["job"] as? Int)
        XCTAssertEqual(relaunched["limit"] as? String, "beta")
        XCTAssertEqual(relaunched["launch_type"] as? String, "relaunch")
        _ = try await lab.waitForEnd(newID)
        let rerun = try await lab.events(newID)
        XCTAssertEqual(Set(rerun.map(\.hostName).filter { !$0.isEmpty }), ["beta"], "only the failed host ran")

        let awaited3 = try await api.delete(id, kind: .job).status
        XCTAssertEqual(awaited3, 204)
        let awaited4 = try await api.detail(id, kind: .job).status
        XCTAssertEqual(awaited4, 404)
        let awaited5 = try await api.detail(newID, kind: .adHocCommand).status
        XCTAssertEqual(awaited5, 404, "a job is not an ad hoc command")
    }

    func testDeleteRunningIsForbiddenAndCancelIsAccepted() async throws {
        let lab = try await JobsHarness()
        defer { Task { await lab.close() } }
        try await lab.dispatcher.start()
        let api = JobsAPI(store: lab.store, dispatcher: lab.dispatcher)
        let spec = try lab.playbook("slow.yml", "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: sleep 96.5\n")
        let id = try await lab.launch(spec)
        try await lab.waitForStatus(id, "running")
        let awaited6 = try await api.delete(id, kind: .job).status
        XCTAssertEqual(awaited6, 403)
        let awaited7 = try json(try await api.canCancel(id, kind: .job))["can_cancel"] as? Bool
        XCTAssertEqual(awaited7, true)
        let running = try json(try await api.detail(id, kind: .job))
        XCTAssertEqual(running["status"] as? String, "running")
        let awaited8 = try await api.cancel(id, kind: .job).status
        XCTAssertEqual(awaited8, 202)
        let job = try await lab.waitForEnd(id, seconds: 10)
        XCTAssertEqual(job.status, "canceled")
    }
}

final class AdHocAPITests: XCTestCase {
    func testCreateRunsAndValidates() async throws {
        let lab = try await JobsHarness()
        defer { Task { await lab.close() } }
        try await lab.dispatcher.start()
        let api = JobsAPI(store: lab.store, dispatcher: lab.dispatcher)
        // The harness gives jobs created through the API the hosts of its last playbook.
        _ = try lab.playbook("unused.yml", "", hosts: ["alpha"])
        let missing = try await api.createAdHoc(body: ["module_name": "command"], inventoryID: nil)
        XCTAssertEqual(missing.status, 400)
        let errors = try XCTUnwrap(JSONSerialization.jsonObject(with: missing.body) as? [String: Any])
        XCTAssertNotNil(errors["inventory"])
        XCTAssertEqual(errors["module_args"] as? [String], ["No argument passed to command module."])
        let created = try await api.createAdHoc(body: ["module_name": "ansible.builtin.ping", "inventory": 1], inventoryID: nil)
        XCTAssertEqual(created.status, 201)
        let body = try XCTUnwrap(JSONSerialization.jsonObject(with: created.body) as? [String: Any])
        let id = try XCTUnwrap(body["id"] as? Int)
        XCTAssertEqual(body["type"] as? String, "ad_hoc_command")
        XCTAssertEqual(body["module_name"] as? String, "ansible.builtin.ping")
        XCTAssertEqual(created.headers.first?.1, "/api/v2/ad_hoc_commands/\(id)/")
        let job = try await lab.waitForEnd(id)
        XCTAssertEqual(job.status, "successful", job.explanation)
        let eventsReply = try await api.events(id, kind: .adHocCommand, parameters: [])
        let events = try XCTUnwrap(JSONSerialization.jsonObject(with: eventsReply.body) as? [String: Any])
        let results = try XCTUnwrap(events["results"] as? [[String: Any]])
        XCTAssertTrue(results.contains { $0["event"] as? String == "runner_on_ok" && $0["host_name"] as? String == "alpha" })
        XCTAssertEqual(results.first?["type"] as? String, "ad_hoc_command_event")
        let stdout = String(decoding: try await api.stdout(id, kind: .adHocCommand, parameters: [("format", "txt")]).body, as: UTF8.self)
        XCTAssertTrue(stdout.contains("alpha"), stdout)
    }
}
