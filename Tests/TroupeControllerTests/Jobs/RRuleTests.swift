import Foundation
import XCTest
@testable import TroupeController

final class RRuleTests: XCTestCase {
    private func utc(_ text: String) -> Date { RRule.date(text + "Z", zone: TimeZone(identifier: "UTC")!)! }

    func testDailyWithCountAndInterval() throws {
        let rule = try RRule("DTSTART;TZID=America/New_York:20300101T090000 RRULE:FREQ=DAILY;INTERVAL=2;COUNT=3")
        let first = try XCTUnwrap(rule.next(after: utc("20291231T000000")))
        XCTAssertEqual(first, utc("20300101T140000"), "09:00 New York is 14:00 UTC in winter")
        let second = try XCTUnwrap(rule.next(after: first))
        XCTAssertEqual(second, utc("20300103T140000"))
        let third = try XCTUnwrap(rule.next(after: second))
        XCTAssertNil(rule.next(after: third), "COUNT=3 ends the rule")
    }

    func testWeeklyByDayUntilAndDST() throws {
        let rule = try RRule("DTSTART;TZID=Europe/Paris:20300322T083000\nRRULE:FREQ=WEEKLY;BYDAY=MO,FR;UNTIL=20300402T000000Z")
        var dates: [Date] = []
        var cursor = utc("20300101T000000")
        while let next = rule.next(after: cursor) { dates.append(next); cursor = next }
        // Fri 22 Mar, Mon 25, Fri 29 (after the switch to summer time on 31 Mar: Mon 1 Apr 06:30 UTC).
        XCTAssertEqual(dates, [utc("20300322T073000"), utc("20300325T073000"), utc("20300329T073000"), utc("20300401T063000")])
    }

    func testUTCStartMinutelyAndErrors() throws {
        let rule = try RRule("DTSTART:20300101T000000Z RRULE:FREQ=MINUTELY;INTERVAL=15")
        XCTAssertEqual(rule.next(after: utc("20300101T001000")), utc("20300101T001500"))
        XCTAssertThrowsError(try RRule("RRULE:FREQ=DAILY"))
        XCTAssertThrowsError(try RRule("DTSTART:20300101T000000Z RRULE:FREQ=SOMETIMES"))
        XCTAssertThrowsError(try RRule("DTSTART:20300101T000000Z RRULE:FREQ=DAILY;COUNT=2;UNTIL=20300105T000000Z"))
        XCTAssertThrowsError(try RRule("DTSTART;TZID=Europe/Paris:20300101T000000 RRULE:FREQ=DAILY;UNTIL=20300105T000000"),
                             "dateutil wants UNTIL in UTC when DTSTART has a zone")
        XCTAssertThrowsError(try RRule("DTSTART;TZID=Mars/Olympus:20300101T000000 RRULE:FREQ=DAILY"))
    }
}
