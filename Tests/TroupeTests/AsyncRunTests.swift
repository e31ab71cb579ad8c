import XCTest
import Jinja
@testable import Troupe

/// `try await PlaybookExecutor(…).run()`, `try await tqm.run(play)`, the events sequence of
/// any run, and Task cancellation cancelling the run.
final class AsyncRunTests: XCTestCase {
    private func executor(_ harness: PlaybookHarness, _ playbook: String, hosts: [String] = ["localhost"]) throws -> PlaybookExecutor {
        let path = try harness.write("site.yml", playbook)
        let inventory = StaticInventory(hosts: hosts, variables: Dictionary(uniqueKeysWithValues: hosts.map { ($0, ["ansible_connection": "local"] as OrderedDict) }))
        let vm = VariableManager(inventory: inventory, templar: Templar(baseDirectory: harness.directory.path))
        return PlaybookExecutor(playbooks: [path], inventory: inventory, variableManager: vm,
                                loader: DataLoader(baseDirectory: harness.directory.path), options: ExecutionOptions(), callbacks: [])
    }

    func testAsyncRunReturnsTheCodeAndTheEventsEndWithTheRecap() async throws {
        let harness = try PlaybookHarness()
        defer { harness.remove() }
        let executor = try executor(harness, """
            - hosts: all
              gather_facts: false
              tasks:
                - name: hello
                  command: echo hello
                - name: boom
                  fail: msg=bad
                  when: inventory_hostname == 'b'
            """, hosts: ["a", "b"])
        let events = executor.events()
        let collector = _Concurrency.Task { () -> [RunEvent] in
            var seen: [RunEvent] = []
            for await event in events { seen.append(event) }
            return seen
        }
        let rc = try await executor.run()
        XCTAssertEqual(rc, 2)
        let seen = await collector.value
        let oks = seen.compactMap { if case .ok(let r) = $0 { return "\(r.task.displayName) \(r.host)" } else { return nil } }
        XCTAssertEqual(Set(oks), ["hello a", "hello b"])
        let failures = seen.compactMap { if case .failed(let r, _) = $0 { return r.host } else { return nil } }
        XCTAssertEqual(failures, ["b"])
        guard case .stats(let stats)? = seen.last else { return XCTFail("the last event is not the recap: \(String(describing: seen.last))") }
        XCTAssertEqual(stats.perHost["b"]?.failures, 1)
        XCTAssertEqual(stats.perHost["a"]?.ok, 1)
    }

    func testTaskQueueManagerRunsAPlayAsynchronously() async throws {
        let harness = try PlaybookHarness()
        defer { harness.remove() }
        let executor = try executor(harness, """
            - hosts: localhost
              gather_facts: false
              tasks:
                - debug: msg=one
            """)
        let playbook = try XCTUnwrap(executor.parse().first)
        let tqm = executor.taskQueueManager
        let events = tqm.events()
        let rc = try await tqm.run(XCTUnwrap(playbook.plays.first))
        tqm.finish()
        XCTAssertEqual(rc, 0)
        var kinds: [String] = []
        for await event in events {
            switch event {
            case .playStart: kinds.append("play")
            case .taskStart: kinds.append("task")
            case .ok: kinds.append("ok")
            case .stats: kinds.append("stats")
            default: break
            }
        }
        XCTAssertEqual(kinds, ["play", "task", "ok", "stats"])
    }

    func testCancellingTheCallingTaskCancelsTheRun() async throws {
        let harness = try PlaybookHarness()
        defer { harness.remove() }
        let executor = try executor(harness, """
            - hosts: all
              gather_facts: false
              tasks:
                - command: sleep 45.7
                - name: never
                  debug: msg=never
            """, hosts: ["a", "b"])
        let events = executor.events()
        let run = _Concurrency.Task { try await executor.run() }
        XCTAssertTrue(waitUntil(15) { processes(matching: "45.7").count == 2 }, "the sleeps never started")
        let cancelled = Date()
        run.cancel()
        _ = try await run.value
        XCTAssertLessThan(Date().timeIntervalSince(cancelled), 10, "the run waited for the commands instead of stopping them")
        XCTAssertTrue(executor.taskQueueManager.isCancelled)
        XCTAssertTrue(waitUntil(3) { processes(matching: "45.7").isEmpty }, "sleep outlived the cancelled run")
        var names: [String] = []
        var sawRecap = false
        for await event in events {
            if case .taskStart(let t) = event { names.append(t.displayName) }
            if case .stats = event { sawRecap = true }
        }
        XCTAssertFalse(names.contains("never"))
        XCTAssertFalse(sawRecap, "a cancelled run reports no recap")
    }
}
