import Foundation
import SQLKit
import XCTest
@testable import TroupeController

/// Figures for benchmarks/controller (run there at full size with TROUPE_BENCH=1); at
/// the default small size they check that nothing is lost under load.
final class JobsBenchmarkTests: XCTestCase {
    private var full: Bool { ProcessInfo.processInfo.environment["TROUPE_BENCH"] == "1" }

    private func rss() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }

    func testIngestionThroughputWithoutLoss() async throws {
        let engine: TestController.Engine = ProcessInfo.processInfo.environment["TROUPE_BENCH_POSTGRES"] == "1" ? .postgres : .sqlite
        let lab = try await JobsHarness(engine: engine)
        defer { Task { await lab.close() } }
        let jobs = 20
        let perJob = full ? 10_000 : 1_000
        var ids: [Int] = []
        for _ in 0..<jobs { ids.append(try await lab.store.createPending(JobStore.NewJob())) }
        let eventData = #"{"host":"web1","task":"copy","res":{"changed":true,"msg":"ok"},"play":"web"}"#
        let begin = Date()
        await withTaskGroup(of: Void.self) { group in
            for id in ids {
                group.addTask {
                    var batch: [JobEventRow] = []
                    for counter in 1...perJob {
                        batch.append(JobEventRow(unifiedJobID: id, counter: counter, event: "runner_on_ok", eventDisplay: "Host OK",
                                                 eventData: eventData, eventLevel: 3, failed: false, changed: true,
                                                 uuid: UUID().uuidString, parentUUID: "task", hostID: 1, hostName: "web1",
                                                 playbook: "site.yml", play: "web", task: "copy", role: "",
                                                 stdout: "\u{1b}[0;33mchanged: [web1]\u{1b}[0m", startLine: counter, endLine: counter + 1,
                                                 verbosity: 0, created: JobClock.now(), node: "node1"))
                        if batch.count == 64 {
                            await lab.ingestor.submit(batch)
                            batch.removeAll()
                        }
                    }
                    await lab.ingestor.submit(batch)
                }
            }
        }
        for id in ids { _ = await lab.ingestor.flush(id) }
        let seconds = Date().timeIntervalSince(begin)
        let total = jobs * perJob
        let stored = try await lab.store.read { db in
            try await db.select().column(SQLFunction("count", args: SQLLiteral.all), as: "n").from("job_events").first()
        }
        let storedCount = try stored?.decode(column: "n", as: Int.self)
        XCTAssertEqual(storedCount, total, "every event is stored")
        for id in ids.prefix(3) {
            let counters = try await lab.store.read { db in
                try await db.select().column("counter").from("job_events")
                    .where("unified_job_id", .equal, id).orderBy("counter").all().map { try $0.decode(column: "counter", as: Int.self) }
            }
            XCTAssertEqual(counters, Array(1...perJob))
        }
        print("BENCH ingestion_\(engine.rawValue) events=\(total) seconds=\(String(format: "%.3f", seconds)) events_per_s=\(Int(Double(total) / seconds)) rss_kb=\(rss())")
    }

    func testLaunchLatency() async throws {
        let lab = try await JobsHarness()
        defer { Task { await lab.close() } }
        try await lab.dispatcher.start()
        let spec = try lab.playbook("one.yml", "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n")
        let stored = await lab.ingestor.subscribe()
        let firstEvents = FirstEvents()
        let watcher = Task {
            for await s in stored { await firstEvents.seen(s.unifiedJobID, finished: s.finished) }
        }
        defer { watcher.cancel() }
        var toFirst: [Double] = [], toEnd: [Double] = []
        for _ in 0..<(full ? 30 : 5) {
            let start = Date()
            let id = try await lab.launch(spec)
            let first = await firstEvents.wait(id, finished: false)
            let end = await firstEvents.wait(id, finished: true)
            let job = try await lab.job(id)
            XCTAssertEqual(job.status, "successful")
            toFirst.append(first.timeIntervalSince(start) * 1000)
            toEnd.append(end.timeIntervalSince(start) * 1000)
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        print("BENCH launch_to_first_event_ms=\(Int(median(toFirst))) launch_to_successful_ms=\(Int(median(toEnd))) rss_kb=\(rss())")
    }
}

/// When each job's first stored-events notice and its finished notice arrived.
actor FirstEvents {
    private var first: [Int: Date] = [:]
    private var finished: [Int: Date] = [:]
    private var waiters: [(Int, Bool, CheckedContinuation<Date, Never>)] = []

    func seen(_ id: Int, finished done: Bool) {
        let now = Date()
        if done { finished[id] = finished[id] ?? now } else { first[id] = first[id] ?? now }
        let ready = waiters.filter { ($0.1 ? finished : first)[$0.0] != nil }
        waiters.removeAll { ($0.1 ? finished : first)[$0.0] != nil }
        for (id, done, continuation) in ready { continuation.resume(returning: (done ? finished : first)[id]!) }
    }

    func wait(_ id: Int, finished done: Bool) async -> Date {
        if let date = (done ? finished : first)[id] { return date }
        return await withCheckedContinuation { waiters.append((id, done, $0)) }
    }
}
