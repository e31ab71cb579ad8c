import Foundation
import XCTest
@testable import TroupeController

/// Jobs run end to end: dispatcher → private data dir → real `troupe run` → events in
/// SQLite → terminal status, host summaries, `event_processing_finished`.
final class JobRunTests: XCTestCase {
    func testSuccessfulJobStoresEveryEventGapFreeWithSummaries() async throws {
        let lab = try await JobsHarness()
        defer { Task { await lab.close() } }
        try await lab.dispatcher.start()
        let spec = try lab.playbook("site.yml", """
            - hosts: all
              gather_facts: false
              tasks:
                - name: say hello
                  debug: msg=hello
                - name: change something
                  command: echo changed
            """, hosts: ["alpha", "beta"])
        let id = try await lab.launch(spec)
        let job = try await lab.waitForEnd(id)
        XCTAssertEqual(job.status, "successful")
        XCTAssertFalse(job.failed)
        XCTAssertNotNil(job.started)
        XCTAssertGreaterThan(job.elapsed, 0)

        let events = try await lab.events(id)
        XCTAssertEqual(events.map(\.counter), Array(1...events.count), "counters are gap-free from 1")
        XCTAssertEqual(events.first?.event, "playbook_on_start")
        XCTAssertEqual(events.last?.event, "playbook_on_stats")
        for (previous, next) in zip(events, events.dropFirst()) {
            XCTAssertEqual(previous.endLine, next.startLine, "stdout lines are contiguous at counter \(next.counter)")
        }
        XCTAssertEqual(events.filter { $0.event == "runner_on_ok" }.count, 4)
        let task = try XCTUnwrap(events.first { $0.event == "playbook_on_task_start" && $0.stdout.contains("change something") })
        XCTAssertTrue(task.changed, "changed propagates from the host results to their task")
        XCTAssertEqual(task.eventLevel, 2)
        XCTAssertEqual(task.eventDisplay, "Task Started (change something)")
        XCTAssertTrue(events.contains { $0.event == "playbook_on_play_start" && $0.eventDisplay.hasPrefix("Play Started") })
        XCTAssertTrue(events.last!.changed)
        let summaries = try await lab.hostSummaries(id)
        XCTAssertEqual(summaries.map(\.host), ["alpha", "beta"])
        XCTAssertEqual(summaries.map(\.ok), [2, 2])
        XCTAssertEqual(summaries.map(\.changed), [1, 1])
        XCTAssertFalse(FileManager.default.fileExists(atPath: lab.root + "/jobs/\(id)"), "the private data dir is removed")
    }

    func testFailedJobPropagatesFailureAndSummaries() async throws {
        let lab = try await JobsHarness()
        defer { Task { await lab.close() } }
        try await lab.dispatcher.start()
        let spec = try lab.playbook("fail.yml", """
            - hosts: all
              gather_facts: false
              tasks:
                - name: break
                  fail: msg=broken
                  when: inventory_hostname == 'beta'
            """, hosts: ["alpha", "beta"])
        let id = try await lab.launch(spec)
        let job = try await lab.waitForEnd(id)
        XCTAssertEqual(job.status, "failed")
        XCTAssertTrue(job.failed)
        let events = try await lab.events(id)
        let failure = try XCTUnwrap(events.first { $0.event == "runner_on_failed" })
        XCTAssertTrue(failure.failed)
        XCTAssertEqual(failure.hostName, "beta")
        XCTAssertEqual(failure.eventDisplay, "Host Failed")
        let task = try XCTUnwrap(events.first { $0.uuid == failure.parentUUID })
        XCTAssertTrue(task.failed, "failed propagates to the task")
        XCTAssertTrue(events.last!.failed, "stats of a run with failures is failed")
        let summaries = try await lab.hostSummaries(id)
        XCTAssertEqual(summaries.map(\.failed), [false, true])
    }

    func testCancelStopsTheRunWithinTwoSeconds() async throws {
        let lab = try await JobsHarness()
        defer { Task { await lab.close() } }
        try await lab.dispatcher.start()
        let spec = try lab.playbook("slow.yml", """
            - hosts: all
              gather_facts: false
              tasks:
                - command: sleep 97.5
            """)
        let id = try await lab.launch(spec)
        try await lab.waitForStatus(id, "running")
        try await waitForEvent(lab, id, "runner_on_start")
        let result = try await lab.store.requestCancel(id)
        XCTAssertEqual(result, .requested(node: "node1"))
        let asked = Date()
        let canceled = await lab.dispatcher.cancel(id)
        XCTAssertTrue(canceled)
        let job = try await lab.waitForEnd(id, seconds: 10)
        XCTAssertLessThan(Date().timeIntervalSince(asked), 2.5)
        XCTAssertEqual(job.status, "canceled")
        XCTAssertFalse(job.explanation.isEmpty)
        try await Task.sleep(for: .milliseconds(300))
        XCTAssertTrue(sleepers("97.5").isEmpty, "the remote command is gone")
        let again = try await lab.store.requestCancel(id)
        XCTAssertEqual(again, .notCancelable)
    }

    func testCancelBeforeStartNeverRuns() async throws {
        let lab = try await JobsHarness()
        defer { Task { await lab.close() } }
        let spec = try lab.playbook("quick.yml", "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n")
        let id = try await lab.launch(spec)  // dispatcher not started: stays pending
        let result = try await lab.store.requestCancel(id)
        XCTAssertEqual(result, .canceledBeforeStart)
        try await lab.dispatcher.start()
        try await Task.sleep(for: .milliseconds(300))
        let job = try await lab.job(id)
        XCTAssertEqual(job.status, "canceled")
        XCTAssertNil(job.started)
        let events = try await lab.events(id)
        XCTAssertTrue(events.isEmpty)
    }

    func testTimeoutEndsFailedWithExplanation() async throws {
        let lab = try await JobsHarness()
        defer { Task { await lab.close() } }
        try await lab.dispatcher.start()
        var spec = try lab.playbook("forever.yml", """
            - hosts: all
              gather_facts: false
              tasks:
                - command: sleep 98.5
            """)
        spec.timeout = 1
        let id = try await lab.launch(spec)
        let job = try await lab.waitForEnd(id, seconds: 15)
        XCTAssertEqual(job.status, "failed")
        XCTAssertTrue(job.explanation.contains("timeout"), job.explanation)
        XCTAssertLessThan(job.elapsed, 5)
    }

    func testKilledJobProcessEndsInErrorAndOthersContinue() async throws {
        let lab = try await JobsHarness()
        defer { Task { await lab.close() } }
        try await lab.dispatcher.start()
        let slow = try lab.playbook("victim.yml", "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: sleep 99.5\n")
        let quick = try lab.playbook("bystander.yml", "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: sleep 1\n")
        let victim = try await lab.launch(slow)
        let bystander = try await lab.launch(quick)
        try await waitForEvent(lab, victim, "runner_on_start")
        let victimPID = await lab.dispatcher.processID(victim)
        let pid = try XCTUnwrap(victimPID)
        kill(pid, SIGKILL)
        let job = try await lab.waitForEnd(victim, seconds: 15)
        XCTAssertEqual(job.status, "error")
        XCTAssertTrue(job.explanation.contains("SIGKILL"), job.explanation)
        let other = try await lab.waitForEnd(bystander, seconds: 30)
        XCTAssertEqual(other.status, "successful")
        for pid in sleepers("99.5") { kill(pid, SIGKILL) }
    }

    func testUnwritableDataDirEndsInErrorAndServerStaysUp() async throws {
        let lab = try await JobsHarness()
        defer { Task { await lab.close() } }
        // A file where the jobs directory should be: the private data dir cannot be made
        // (as on a full or read-only disk); the job ends error with the reason.
        try "x".write(toFile: lab.root + "/jobs", atomically: true, encoding: .utf8)
        try await lab.dispatcher.start()
        let spec = try lab.playbook("ok.yml", "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n")
        let id = try await lab.launch(spec)
        let job = try await lab.waitForEnd(id)
        XCTAssertEqual(job.status, "error")
        XCTAssertTrue(job.explanation.contains("private data dir"), job.explanation)
        try FileManager.default.removeItem(atPath: lab.root + "/jobs")
        let next = try await lab.launch(spec)
        let ok = try await lab.waitForEnd(next)
        XCTAssertEqual(ok.status, "successful")
    }

    func testRestartRecoversInterruptedJobsAndRunsPendingOnce() async throws {
        let lab = try await JobsHarness()
        defer { Task { await lab.close() } }
        let spec = try lab.playbook("ok.yml", "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n")
        let interrupted = try await lab.launch(spec)
        let pending = try await lab.launch(spec)
        // As a SIGKILLed server leaves it: claimed and running on this node.
        try await lab.store.read { db in
            try await db.update("unified_jobs").set("status", to: "running").set("execution_node", to: "node1")
                .where("id", .equal, interrupted).run()
        }
        try await lab.dispatcher.start()
        let recovered = try await lab.waitForEnd(interrupted)
        XCTAssertEqual(recovered.status, "error")
        XCTAssertTrue(recovered.explanation.contains("node1"), recovered.explanation)
        let ran = try await lab.waitForEnd(pending)
        XCTAssertEqual(ran.status, "successful")
        let events = try await lab.events(pending)
        XCTAssertEqual(events.filter { $0.event == "playbook_on_start" }.count, 1, "the pending job ran once")
    }

    func testNonSimultaneousJobsOfOneTemplateRunOneAfterTheOther() async throws {
        let lab = try await JobsHarness()
        defer { Task { await lab.close() } }
        try await lab.dispatcher.start()
        let spec = try lab.playbook("serial.yml", "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: sleep 0.5\n")
        let first = try await lab.launch(spec, templateID: 7, allowSimultaneous: false)
        let second = try await lab.launch(spec, templateID: 7, allowSimultaneous: false)
        let a = try await lab.waitForEnd(first)
        let b = try await lab.waitForEnd(second)
        XCTAssertEqual([a.status, b.status], ["successful", "successful"])
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(b.started), try XCTUnwrap(a.finished), "the second started after the first ended")
    }

    func testAdHocCommandRunsAnyModule() async throws {
        let lab = try await JobsHarness()
        defer { Task { await lab.close() } }
        try await lab.dispatcher.start()
        var spec = try lab.playbook("unused.yml", "", hosts: ["alpha", "beta"])
        spec.kind = .adHocCommand
        spec.projectPath = nil
        spec.moduleName = "shell"
        spec.moduleArgs = "echo adhoc-$((20+22))"
        spec.limit = "beta"
        let id = try await lab.launch(spec)
        let job = try await lab.waitForEnd(id)
        XCTAssertEqual(job.status, "successful", job.explanation)
        let events = try await lab.events(id)
        let ok = try XCTUnwrap(events.first { $0.event == "runner_on_ok" })
        XCTAssertEqual(ok.hostName, "beta")
        XCTAssertTrue(ok.stdout.contains("beta"), ok.stdout)
        XCTAssertTrue(ok.eventData.contains("adhoc-42"), ok.eventData)
        XCTAssertFalse(events.contains { $0.hostName == "alpha" })
    }

    private func waitForEvent(_ lab: JobsHarness, _ id: Int, _ name: String) async throws {
        for _ in 0..<600 {
            if try await lab.events(id).contains(where: { $0.event == name }) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        XCTFail("no \(name) event for job \(id)")
    }

    /// `sleep MARKER` processes, from /proc.
    private func sleepers(_ marker: String) -> [pid_t] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry in
            guard let pid = pid_t(entry), let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let words = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return words.first.map { ($0 as NSString).lastPathComponent } == "sleep" && words.dropFirst().first == marker ? pid : nil
        }
    }
}
