import XCTest
import Jinja
@testable import Troupe

/// The Swift `Runner`: events while the run goes, status and rc, host events, job timeout
/// and cancel (local connection, modules in-process).
final class RunnerAPITests: XCTestCase {
    private let localInventory = "h1 ansible_connection=local\nh2 ansible_connection=local\n"

    func testEventsAsyncSequenceIsConsumedWhileTheRunGoes() async throws {
        let pdd = try PrivateDataDirFixture(playbook: """
            - name: stream
              hosts: all
              gather_facts: false
              tasks:
                - name: first
                  debug: msg=one
                - name: pause a little
                  command: sleep 0.3
                - name: last
                  debug: msg=two
            """, inventory: localInventory)
        defer { pdd.remove() }
        let runner = Runner(config: RunnerConfig(privateDataDir: pdd.root, playbook: "site.yml", ident: "stream"))
        runner.start()
        var names: [String] = []
        var counters: [Int] = []
        var statusAtFirstTask: RunnerStatus?
        for await event in runner.events {
            names.append(event.event)
            counters.append(event.counter)
            if event.event == "playbook_on_task_start" && statusAtFirstTask == nil { statusAtFirstTask = runner.status }
        }
        // The first task start arrived while the run was still going.
        XCTAssertEqual(statusAtFirstTask, .running)
        XCTAssertEqual(runner.status, .successful)
        XCTAssertEqual(runner.rc, 0)
        XCTAssertEqual(counters, Array(1...counters.count))
        XCTAssertEqual(names.first, "playbook_on_start")
        XCTAssertEqual(names.last, "playbook_on_stats")
        XCTAssertEqual(names.filter { $0 == "runner_on_ok" }.count, 6)
        XCTAssertEqual(runner.recordedEvents.map(\.event), names)
        XCTAssertEqual(runner.stats?[ "h1"].ok, 3)
        // A sequence taken after the end replays every event and ends.
        var replayed = 0
        for await _ in runner.events { replayed += 1 }
        XCTAssertEqual(replayed, names.count)
        // Artifacts on disk match the stream.
        XCTAssertEqual(try pdd.events("stream").map(\.event), names)
        XCTAssertEqual(pdd.read("stream", "status"), "successful")
        XCTAssertEqual(pdd.read("stream", "rc"), "0")
    }

    func testHostEventsHandlersAndFailedStatus() throws {
        let pdd = try PrivateDataDirFixture(playbook: """
            - hosts: all
              gather_facts: false
              tasks:
                - name: fail on h2
                  fail: msg=nope
                  when: inventory_hostname == 'h2'
            """, inventory: localInventory)
        defer { pdd.remove() }
        let runner = Runner(config: RunnerConfig(privateDataDir: pdd.root, playbook: "site.yml", ident: "fail"))
        var statuses: [RunnerStatus] = []
        var handled = 0
        var finished = false
        runner.onStatusChange { statuses.append($0) }
        runner.onEvent { _ in handled += 1 }
        runner.onFinish { finished = $0.status == .failed }
        XCTAssertEqual(runner.run(), .failed)
        XCTAssertEqual(statuses, [.starting, .running, .failed])
        XCTAssertTrue(finished)
        XCTAssertEqual(runner.rc, 2)
        XCTAssertEqual(handled, runner.recordedEvents.count)
        let h2 = runner.hostEvents("h2").map(\.event)
        XCTAssertEqual(h2, ["runner_on_start", "runner_on_failed"])
        let failed = try XCTUnwrap(runner.hostEvents("h2").last)
        XCTAssertEqual(failed.eventData["res"]?["msg"]?.stringValue, "nope")
        XCTAssertEqual(failed.eventData["task"]?.stringValue, "fail on h2")
        XCTAssertEqual(failed.eventData["ignore_errors"], .null)
        XCTAssertTrue(failed.stdout.contains("fatal: [h2]: FAILED!"), failed.stdout)
        // Parenting: runner event → task start → play start → playbook start.
        let all = runner.recordedEvents
        let byUUID = Dictionary(all.map { ($0.uuid, $0) }, uniquingKeysWith: { a, _ in a })
        var chain: [String] = []
        var current: RunnerEvent? = failed
        while let event = current {
            chain.append(event.event)
            current = event.parentUUID.flatMap { byUUID[$0] }
        }
        XCTAssertEqual(chain, ["runner_on_failed", "playbook_on_task_start", "playbook_on_play_start", "playbook_on_start"])
        let stats = try XCTUnwrap(all.last)
        XCTAssertEqual(stats.event, "playbook_on_stats")
        XCTAssertEqual(stats.eventData["failures"], ["h2": 1])
        XCTAssertEqual(stats.eventData["processed"], ["h1": 1, "h2": 1])
    }

    func testJobTimeoutStopsTheRun() throws {
        let pdd = try PrivateDataDirFixture(playbook: """
            - hosts: all
              gather_facts: false
              tasks:
                - command: sleep 41.7
                - debug: msg=never
            """, inventory: localInventory, env: ["settings": "job_timeout: 1\n"])
        defer { pdd.remove() }
        let runner = Runner(config: RunnerConfig(privateDataDir: pdd.root, playbook: "site.yml", ident: "slow"))
        let started = Date()
        XCTAssertEqual(runner.run(), .timeout)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        XCTAssertEqual(runner.rc, 254)
        XCTAssertEqual(pdd.read("slow", "status"), "timeout")
        XCTAssertEqual(pdd.read("slow", "rc"), "254")
        XCTAssertFalse(runner.recordedEvents.contains { $0.eventData["task"]?.stringValue == "debug" })
        XCTAssertTrue(waitUntil(3) { processes(matching: "41.7").isEmpty }, "sleep outlived the timed-out run")
    }

    func testCancelStopsSchedulingAndKillsRunningCommands() throws {
        let pdd = try PrivateDataDirFixture(playbook: """
            - hosts: all
              gather_facts: false
              tasks:
                - shell: sleep 42.3; echo finished
                - debug: msg=never
            """, inventory: localInventory)
        defer { pdd.remove() }
        let runner = Runner(config: RunnerConfig(privateDataDir: pdd.root, playbook: "site.yml", ident: "cancel"))
        runner.start()
        XCTAssertTrue(waitUntil(10) { processes(matching: "42.3").count == 2 }, "the sleeps never started")
        let cancelled = Date()
        runner.cancel()
        runner.wait()
        XCTAssertLessThan(Date().timeIntervalSince(cancelled), 10, "the run waited for the commands instead of stopping them")
        XCTAssertEqual(runner.status, .canceled)
        XCTAssertEqual(runner.rc, 254)
        XCTAssertEqual(pdd.read("cancel", "status"), "canceled")
        XCTAssertEqual(pdd.read("cancel", "rc"), "254")
        XCTAssertTrue(waitUntil(3) { processes(matching: "42.3").isEmpty }, "sleep outlived the cancelled run")
        let tasks = Set(runner.recordedEvents.compactMap { $0.eventData["task"]?.stringValue })
        XCTAssertFalse(tasks.contains("debug"), "a task was scheduled after cancel")
        XCTAssertFalse(runner.recordedEvents.contains { $0.event == "playbook_on_stats" })
    }

    func testEventJSONLineRoundTripsWithAnsibleRunnerKeys() throws {
        let event = RunnerEvent(uuid: "u1", parentUUID: "p1", counter: 3, event: "runner_on_ok", stdout: "ok: [h1]",
                                startLine: 4, endLine: 5, runnerIdent: "id", created: "2026-01-01T00:00:00.000000+00:00",
                                pid: 42, eventData: ["host": "h1", "res": ["changed": false]])
        let line = event.jsonLine()
        XCTAssertEqual(line, #"{"uuid": "u1", "counter": 3, "stdout": "ok: [h1]", "start_line": 4, "end_line": 5, "runner_ident": "id", "#
                       + #""event": "runner_on_ok", "pid": 42, "created": "2026-01-01T00:00:00.000000+00:00", "parent_uuid": "p1", "#
                       + #""event_data": {"host": "h1", "res": {"changed": false}}}"#)
        let back = try RunnerEvent(jsonLine: line)
        XCTAssertEqual(back.jsonLine(), line)
        XCTAssertEqual(back.host, "h1")
        XCTAssertEqual(RunnerEvent.isoTimestamp(Date(timeIntervalSince1970: 1.5)), "1970-01-01T00:00:01.500000+00:00")
    }

    func testMissingPlaybookFailsWithErrorEventAndRc() throws {
        let pdd = try PrivateDataDirFixture(playbook: "- hosts: all\n  tasks: []\n", inventory: localInventory)
        defer { pdd.remove() }
        let runner = Runner(config: RunnerConfig(privateDataDir: pdd.root, playbook: "nope.yml", ident: "missing"))
        XCTAssertEqual(runner.run(), .failed)
        XCTAssertNotEqual(runner.rc, 0)
        let error = try XCTUnwrap(runner.recordedEvents.first { $0.event == "error" })
        XCTAssertTrue(error.stdout.contains("[ERROR]"), error.stdout)
        XCTAssertEqual(pdd.read("missing", "status"), "failed")
    }
}
