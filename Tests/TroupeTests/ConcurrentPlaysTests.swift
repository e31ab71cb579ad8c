import XCTest
import Jinja
@testable import Troupe

/// One owner for play state: host-task threads see an immutable snapshot and hand their
/// outcomes back through ``HostTaskPool``. These tests run under ThreadSanitizer in
/// `make test` (scripts/run-tsan-tests.sh), which fails on any data race they provoke.
final class ConcurrentPlaysTests: XCTestCase {
    /// The race issue #13 found: with `free`, the strategy removed failed hosts from the
    /// play's host list while other hosts' tasks read it for `ansible_play_hosts`.
    func testFreeStrategyHostsSeeASnapshotOfThePlayHosts() throws {
        let harness = try PlaybookHarness()
        defer { harness.remove() }
        let (rc, rec) = try harness.run(Self.playbook(strategy: "free"), hosts: Self.hosts)
        XCTAssertEqual(rc, 2)
        try Self.assertResults(rec, strategy: "free")
    }

    func testLinearStrategyDropsFailedHostsFromPlayHostsForLaterTasks() throws {
        let harness = try PlaybookHarness()
        defer { harness.remove() }
        let (rc, rec) = try harness.run(Self.playbook(strategy: "linear"), hosts: Self.hosts)
        XCTAssertEqual(rc, 2)
        try Self.assertResults(rec, strategy: "linear")
    }

    /// Eight plays at once in one process, four `free` and four `linear`, each with a
    /// failing host, loops, `set_fact` and handlers: runs share nothing.
    func testEightPlaysConcurrentlyWithFreeAndLinear() throws {
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var byRun: [Int: (Int, RecordingCallback)] = [:]
            var errors: [String] = []
        }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            let strategy = index.isMultiple(of: 2) ? "free" : "linear"
            do {
                let harness = try PlaybookHarness()
                defer { harness.remove() }
                var options = ExecutionOptions()
                options.forks = 3
                let outcome = try harness.run(Self.playbook(strategy: strategy), hosts: Self.hosts, options: options)
                results.lock.withLock { results.byRun[index] = outcome }
            } catch {
                results.lock.withLock { results.errors.append("run \(index): \(error)") }
            }
        }
        XCTAssertEqual(results.errors, [])
        XCTAssertEqual(results.byRun.count, 8)
        for (index, (rc, rec)) in results.byRun.sorted(by: { $0.key < $1.key }) {
            XCTAssertEqual(rc, 2, "run \(index)")
            try Self.assertResults(rec, strategy: index.isMultiple(of: 2) ? "free" : "linear")
        }
    }

    func testPoolRunsAtMostMaxThreadsAtOnceAndReturnsEveryOutcome() {
        let pool = HostTaskPool<Int>(maxThreads: 3)
        final class Gauge: @unchecked Sendable {
            let lock = NSLock()
            var now = 0
            var peak = 0
            func enter() { lock.withLock { now += 1; peak = max(peak, now) } }
            func leave() { lock.withLock { now -= 1 } }
        }
        let gauge = Gauge()
        for i in 0..<12 {
            pool.submit {
                gauge.enter()
                usleep(20_000)
                gauge.leave()
                return i
            }
        }
        var outcomes: [Int] = []
        while outcomes.count < 12 { outcomes += pool.waitForFinished() }
        pool.shutdown()
        XCTAssertEqual(outcomes.sorted(), Array(0..<12))
        XCTAssertEqual(gauge.peak, 3)
        XCTAssertEqual(pool.waitForFinished(), [], "nothing is in flight after every outcome was taken")
    }

    func testPoolWaitForSlotBlocksUntilATaskEnds() {
        let pool = HostTaskPool<String>(maxThreads: 2)
        let release = DispatchSemaphore(value: 0)
        pool.submit { release.wait(); return "first" }
        pool.submit { "second" }
        XCTAssertEqual(pool.waitForFinished(), ["second"])
        let waited = Date()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { release.signal() }
        pool.waitForSlot(limit: 1)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(waited), 0.15)
        pool.waitForAll()
        XCTAssertEqual(pool.takeFinished(), ["first"])
        pool.shutdown()
    }

    static let hosts = ["h1", "h2", "bad", "h3"]

    static func playbook(strategy: String) -> String {
        """
        - hosts: all
          gather_facts: false
          strategy: \(strategy)
          tasks:
            - name: maybe fail
              fail: msg=boom
              when: inventory_hostname == 'bad'
            - name: loop
              debug: msg="{{ item }} {{ ansible_play_hosts | length }}"
              loop: [1, 2, 3]
            - name: fact
              set_fact: seen="{{ ansible_play_hosts | join(',') }}"
              changed_when: true
              notify: handler
            - name: hosts
              debug: var=seen
          handlers:
            - name: handler
              debug: msg="handled {{ ansible_play_batch | join(',') }}"
        """
    }

    /// Every good host ran every task; `bad` failed once and ran nothing after. Lists of
    /// play hosts are consistent snapshots: each contains the host itself and the other
    /// good hosts; only `free` may still list `bad` (its failure may not be processed yet
    /// when the task is queued, as in ansible-core).
    static func assertResults(_ rec: RecordingCallback, strategy: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let stats = try XCTUnwrap(rec.stats, file: file, line: line)
        XCTAssertEqual(stats.perHost["bad"]?.failures, 1, file: file, line: line)
        for host in ["h1", "h2", "h3"] {
            let s = try XCTUnwrap(stats.perHost[host], file: file, line: line)
            XCTAssertEqual([s.ok, s.changed, s.failures, s.skipped], [4, 1, 0, 1], "\(host) \(strategy)", file: file, line: line)
        }
        let seen = (rec.results["hosts"] ?? []).compactMap { $0["seen"]?.stringValue }
        XCTAssertEqual(seen.count, 3, file: file, line: line)
        for list in seen {
            let names = Set(list.split(separator: ",").map(String.init))
            XCTAssertTrue(names.isSuperset(of: ["h1", "h2", "h3"]), list, file: file, line: line)
            if strategy == "linear" { XCTAssertFalse(names.contains("bad"), list, file: file, line: line) }
        }
        let handled = (rec.results["handler"] ?? []).compactMap { $0["msg"]?.stringValue }
        XCTAssertEqual(handled.count, 3, rec.lines.joined(separator: "\n"), file: file, line: line)
    }
}
