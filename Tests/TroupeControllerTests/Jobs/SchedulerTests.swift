import Foundation
import XCTest
@testable import TroupeController

final class SchedulerTests: XCTestCase {
    func testDueScheduleLaunchesOnceAndMovesNextRun() async throws {
        let lab = try await JobsHarness()
        defer { Task { await lab.close() } }
        let launched = LaunchLog()
        let scheduler = Scheduler(store: lab.store) { template, extra, schedule in
            await launched.add("\(template) \(extra) \(schedule)")
        }
        let now = Date()
        let start = JobClock.format(now.addingTimeInterval(-90)).filter { $0.isNumber }.prefix(14)
        let rrule = "DTSTART:\(start.prefix(8))T\(start.dropFirst(8))Z RRULE:FREQ=MINUTELY;INTERVAL=1"
        let past = JobClock.format(now.addingTimeInterval(-1))
        try await lab.store.read { db in
            try await db.raw("PRAGMA foreign_keys = OFF").run()  // template 7 does not exist in this bare database
            try await db.insert(into: "schedules")
                .columns("name", "unified_job_template_id", "rrule", "extra_data", "next_run", "created", "modified")
                .values(["every minute", 7, rrule, #"{"x": 1}"#, past, past, past] as [any Encodable & Sendable]).run()
            try await db.raw("PRAGMA foreign_keys = ON").run()
        }
        let sleep = await scheduler.runDue(now: now)
        let again = await scheduler.runDue(now: now)
        let log = await launched.entries
        XCTAssertEqual(log, [#"7 {"x": 1} 1"#], "launched once although asked twice")
        XCTAssertGreaterThan(sleep, 0)
        XCTAssertLessThanOrEqual(again, 60)
        let row = try await lab.store.read { db in try await db.select().column("next_run").from("schedules").first() }
        let next = try XCTUnwrap(JobClock.parse(try XCTUnwrap(row?.decode(column: "next_run", as: String?.self))))
        XCTAssertGreaterThan(next, now)
        XCTAssertLessThanOrEqual(next.timeIntervalSince(now), 60)
    }
}

actor LaunchLog {
    private(set) var entries: [String] = []
    func add(_ entry: String) { entries.append(entry) }
}
