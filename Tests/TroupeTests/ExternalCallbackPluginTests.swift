import XCTest
import Jinja
@testable import Troupe

/// Executables in `callback_plugins/` read every event as a JSON line on stdin; a plugin
/// that crashes or never reads leaves the run as it was (a warning, no stall, no leftover).
final class ExternalCallbackPluginTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "troupe-extcb-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir + "/callback_plugins", withIntermediateDirectories: true)
        try """
            - name: plugins
              hosts: all
              gather_facts: false
              tasks:
                - name: first
                  debug: msg=one
                - name: second
                  command: "true"
            """.write(toFile: dir + "/site.yml", atomically: true, encoding: .utf8)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    private func plugin(_ name: String, _ script: String, in directory: String? = nil) throws {
        let path = (directory ?? dir + "/callback_plugins") + "/" + name
        try ("#!/bin/sh\n" + script + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
    }

    private func playbook() throws -> TroupeBinary.Output {
        try TroupeBinary.run(["playbook", "-i", "h1,h2,", "-c", "local", "site.yml"], in: dir, closedInput: true)
    }

    private func recordedEvents(_ file: String) throws -> [RunnerEvent] {
        try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map { try RunnerEvent(jsonLine: String($0)) }
    }

    func testPluginReadsEveryEventInOrderAndPythonPluginsAreNamedInAWarning() throws {
        try plugin("record", "cat > '\(dir)/events.jsonl'")
        try "from ansible.plugins.callback import CallbackBase\n".write(toFile: dir + "/callback_plugins/mine.py", atomically: true, encoding: .utf8)
        try "not a plugin\n".write(toFile: dir + "/callback_plugins/README", atomically: true, encoding: .utf8)
        let out = try playbook()
        XCTAssertEqual(out.status, 0, out.combined)
        XCTAssertTrue(out.combined.contains("[WARNING]: Callback plugin \(dir)/callback_plugins/mine.py is a Python callback plugin"),
                      out.combined)
        let events = try recordedEvents(dir + "/events.jsonl")
        XCTAssertEqual(events.map(\.counter), Array(1...events.count))
        XCTAssertEqual(events.map(\.event), [
            "playbook_on_start", "playbook_on_play_start",
            "playbook_on_task_start", "runner_on_start", "runner_on_start", "runner_on_ok", "runner_on_ok",
            "playbook_on_task_start", "runner_on_start", "runner_on_start", "runner_on_ok", "runner_on_ok",
            "playbook_on_stats",
        ])
        XCTAssertEqual(events.compactMap { $0.event == "playbook_on_task_start" ? $0.eventData["task"]?.stringValue : nil },
                       ["first", "second"])
        XCTAssertEqual(Set(events.compactMap { $0.event == "runner_on_ok" ? $0.eventData["host"]?.stringValue : nil }), ["h1", "h2"])
        // Each event carries the text the terminal showed for it; the terminal output is unchanged.
        let firstOk = try XCTUnwrap(events.first { $0.event == "runner_on_ok" })
        XCTAssertTrue(firstOk.stdout.hasPrefix("ok: [h"), firstOk.stdout)
        XCTAssertTrue(out.combined.contains(firstOk.stdout), out.combined)
        XCTAssertEqual(events.last?.eventData["ok"], ["h1": 2, "h2": 2])
    }

    func testCrashingPluginIsAWarningAndTheRunSucceeds() throws {
        try plugin("crash", "exit 3")
        try plugin("record", "cat > '\(dir)/events.jsonl'")
        let out = try playbook()
        XCTAssertEqual(out.status, 0, out.combined)
        XCTAssertTrue(out.combined.contains("[WARNING]: Callback plugin \(dir)/callback_plugins/crash exited with status 3"), out.combined)
        XCTAssertEqual(out.combined.components(separatedBy: "callback_plugins/crash").count, 2, "one warning: \(out.combined)")
        XCTAssertTrue(out.combined.contains("h1                         : ok=2"), out.combined)
        // The other plugin still saw the whole run.
        XCTAssertEqual(try recordedEvents(dir + "/events.jsonl").last?.event, "playbook_on_stats")
    }

    func testPluginThatNeverReadsIsStoppedAfterTheRunWithNothingLeftRunning() throws {
        try plugin("stuck", "echo $$ > '\(dir)/stuck.pid'\nsleep 600 &\nsleep 600")
        let started = Date()
        let out = try playbook()
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertEqual(out.status, 0, out.combined)
        XCTAssertLessThan(elapsed, ExternalCallbackPlugins.defaultExitGrace + 5, "the run waits a bounded time")
        XCTAssertTrue(out.combined.contains("[WARNING]: Callback plugin \(dir)/callback_plugins/stuck did not finish"), out.combined)
        let group = try XCTUnwrap(Int32(String(contentsOfFile: dir + "/stuck.pid", encoding: .utf8)
                                            .trimmingCharacters(in: .whitespacesAndNewlines)))
        // Its process group (the script and both sleeps) is gone; zombies waiting for init to reap them do not count.
        let deadline = Date().addingTimeInterval(3)
        while !Self.livingMembers(ofGroup: group).isEmpty && Date() < deadline { usleep(50_000) }
        XCTAssertEqual(Self.livingMembers(ofGroup: group), [])
    }

    func testPluginsOnTheConfiguredPathRunOnceEach() throws {
        let shared = dir + "/shared-plugins"
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
        try plugin("count", "wc -l >> '\(dir)/counts'", in: shared)
        try plugin("count", "wc -l >> '\(dir)/adjacent-counts'")
        // The adjacent directory named again on the path does not start its plugin twice.
        let out = try TroupeBinary.run(["playbook", "-i", "h1,", "-c", "local", "site.yml"], in: dir,
                                       environment: ["ANSIBLE_CALLBACK_PLUGINS": "\(shared):\(dir)/callback_plugins"], closedInput: true)
        XCTAssertEqual(out.status, 0, out.combined)
        let events = "playbook_on_start play_start task_start runner_on_start ok task_start runner_on_start ok stats".split(separator: " ").count
        XCTAssertEqual(try String(contentsOfFile: dir + "/counts", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), "\(events)")
        XCTAssertEqual(try String(contentsOfFile: dir + "/adjacent-counts", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
                       "\(events)")
    }

    func testFullQueueDropsEventsWithOneWarningAndNeverBlocks() throws {
        try plugin("stuck", "sleep 600")
        let warnings = WarningLog()
        let plugins = ExternalCallbackPlugins(directories: [dir + "/callback_plugins"], warn: { warnings.add($0) },
                                              queueCapacity: 4, exitGrace: 0.5)
        XCTAssertEqual(plugins.paths, [dir + "/callback_plugins/stuck"])
        let big = String(repeating: "x", count: 4096)
        let started = Date()
        // Far more than the pipe holds plus the queue.
        for counter in 1...200 {
            plugins.send(RunnerEvent(uuid: "u\(counter)", parentUUID: nil, counter: counter, event: "verbose", stdout: big,
                                     startLine: 0, endLine: 1, runnerIdent: "t", created: "", pid: 1, eventData: OrderedDict()))
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 1, "sending never waits for the plugin")
        plugins.finish()
        XCTAssertLessThan(Date().timeIntervalSince(started), 3)
        let deadline = Date().addingTimeInterval(2)
        while warnings.all.count < 2 && Date() < deadline { usleep(20_000) }
        XCTAssertEqual(warnings.all.filter { $0.contains("not reading its events fast enough") }.count, 1, "\(warnings.all)")
        XCTAssertEqual(warnings.all.filter { $0.contains("did not finish") }.count, 1, "\(warnings.all)")
        XCTAssertEqual(warnings.all.count, 2, "\(warnings.all)")
    }

    func testTroupeRunPluginGetsTheArtifactEventsAndTheRunEnvironment() throws {
        let pdd = try PrivateDataDirFixture(playbook: try String(contentsOfFile: dir + "/site.yml", encoding: .utf8),
                                            inventory: "h1 ansible_connection=local\n",
                                            env: ["envvars": "EVENTS_OUT: \(dir)/run-events.jsonl\n"])
        defer { pdd.remove() }
        try FileManager.default.createDirectory(atPath: pdd.root + "/project/callback_plugins", withIntermediateDirectories: true)
        try plugin("record", "cat > \"$EVENTS_OUT\"", in: pdd.root + "/project/callback_plugins")
        let runner = Runner(config: RunnerConfig(privateDataDir: pdd.root, playbook: "site.yml", ident: "ext"))
        runner.run()
        XCTAssertEqual(runner.rc, 0)
        let received = try recordedEvents(dir + "/run-events.jsonl")
        let artifacts = try pdd.events("ext")
        XCTAssertEqual(received.map(\.uuid), artifacts.map(\.uuid))
        XCTAssertEqual(received.map(\.event), artifacts.map(\.event))
        XCTAssertEqual(received.map(\.stdout), artifacts.map(\.stdout))
        XCTAssertEqual(received.last?.event, "playbook_on_stats")
    }

    func testExamplePluginWritesItsLog() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/callback-plugins").path
        let copy = dir + "/example"
        try FileManager.default.copyItem(atPath: example, toPath: copy)
        let out = try TroupeBinary.run(["playbook", "-i", "localhost,", "-c", "local", "site.yml"], in: copy,
                                       environment: ["NOTIFY_LOG": dir + "/notify.log"], closedInput: true)
        XCTAssertEqual(out.status, 0, out.combined)
        XCTAssertEqual(try String(contentsOfFile: dir + "/notify.log", encoding: .utf8), """
            start site.yml
               5 localhost: say hello ok
               8 localhost: touch a file ok (changed)
            end: all hosts fine

            """)
    }

    /// Processes of `group` that are not zombies (from /proc).
    private static func livingMembers(ofGroup group: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            // After "(comm)": state, ppid, pgrp.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && fields[0] != "Z" && Int32(fields[2]) == group
        }
    }
}

private final class WarningLog: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    func add(_ message: String) { lock.lock(); messages.append(message); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return messages }
}
