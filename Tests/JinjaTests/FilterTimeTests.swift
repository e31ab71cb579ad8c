import XCTest
@testable import Jinja

final class FilterTimeTests: XCTestCase {
    func testStrftime() throws {
        XCTAssertEqual(try filter("strftime", "%H:%M", 3600, kwargs: ["utc": true]), "01:00")
        XCTAssertEqual(try filter("strftime", "%Y-%m-%d %H:%M:%S", 86400.5, kwargs: ["utc": true]), "1970-01-02 00:00:00")
        XCTAssertEqual(try filter("strftime", "%a %b %d %j %p", 0, kwargs: ["utc": true]), "Thu Jan 01 001 AM")
        XCTAssertEqual(try filter("strftime", "%Y", "0", kwargs: ["utc": true]), "1970")
        let year = Calendar(identifier: .gregorian).component(.year, from: Date())
        XCTAssertEqual(try filter("strftime", "%Y"), .string(String(year)))
        assertJinjaError(.filter, "Invalid value for epoch value (x)") { try filter("strftime", "%Y", "x") }
    }

    func testToDatetime() throws {
        let dt = try filter("to_datetime", "2024-03-05 14:07:09")
        guard case .object(let object) = dt, let parsed = object as? PythonDateTime else { return XCTFail("not a datetime") }
        XCTAssertEqual(parsed.renderedString, "2024-03-05 14:07:09")
        XCTAssertEqual(object.attribute("year"), 2024)
        XCTAssertEqual(object.attribute("weekday").flatMap { try? callMethod($0) }, 1)
        XCTAssertEqual(object.attribute("strftime").flatMap { try? callMethod($0, "%d/%m/%Y %H") }, "05/03/2024 14")
        let pm = try filter("to_datetime", "05/03/24 2:07PM", "%d/%m/%y %I:%M%p")
        XCTAssertEqual(pm.pythonString, "2024-03-05 14:07:00")
        XCTAssertEqual(try filter("to_datetime", "2024-001 10", "%Y-%j %H").pythonString, "2024-01-01 10:00:00")
        XCTAssertEqual(try filter("to_datetime", "Mar 5 2024", "%b %d %Y").pythonString, "2024-03-05 00:00:00")
        XCTAssertEqual(try filter("to_datetime", "2024-03-05 14:07:09.25", "%Y-%m-%d %H:%M:%S.%f").pythonString, "2024-03-05 14:07:09.250000")
        assertJinjaError(.value, "time data '2024-13-05' does not match format '%Y-%m-%d'") { try filter("to_datetime", "2024-13-05", "%Y-%m-%d") }
        assertJinjaError(.value, "unconverted data remains: x") { try filter("to_datetime", "2024-03-05x", "%Y-%m-%d") }
        assertJinjaError(.type, "strptime() argument 1 must be str, not int") { try filter("to_datetime", 5) }
    }

    func testDatetimeDifference() throws {
        guard case .object(let a as PythonDateTime) = try filter("to_datetime", "2024-03-05 00:00:00"),
              case .object(let b as PythonDateTime) = try filter("to_datetime", "2024-03-03 12:00:00") else { return XCTFail() }
        let delta = PythonDateTime.subtract(a, b)
        XCTAssertEqual(delta.attribute("days"), 1)
        XCTAssertEqual(delta.attribute("seconds"), 43200)
        XCTAssertEqual(delta.attribute("total_seconds").flatMap { try? callMethod($0) }, .float(129600))
        XCTAssertEqual(delta.renderedString, "1 day, 12:00:00")
    }

    private func callMethod(_ method: Value, _ args: Value...) throws -> Value {
        guard case .object(let o) = method else { throw JinjaError(.type, "not callable") }
        return try o.call(Arguments(args), FilterHarness.context(FilterHarness.ansible))
    }
}
