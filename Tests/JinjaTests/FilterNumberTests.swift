import XCTest
@testable import Jinja

final class FilterNumberTests: XCTestCase {
    func testAbs() throws {
        XCTAssertEqual(try filter("abs", -3), 3)
        XCTAssertEqual(try filter("abs", -2.5), .float(2.5))
        XCTAssertEqual(try filter("abs", true), 1)
        assertJinjaError(.type, "bad operand type for abs(): 'str'") { try filter("abs", "x") }
    }

    func testInt() throws {
        XCTAssertEqual(try filter("int", "abc"), 0)
        XCTAssertEqual(try filter("int", 3.7), 3)
        XCTAssertEqual(try filter("int", "3.7"), 3)
        XCTAssertEqual(try filter("int", " 1_000 "), 1000)
        XCTAssertEqual(try filter("int", "0x1F", kwargs: ["base": 16]), 31)
        XCTAssertEqual(try filter("int", "0x1F", 0, 16), 31)
        XCTAssertEqual(try filter("int", "0b101", kwargs: ["base": 0]), 5)
        XCTAssertEqual(try filter("int", "012", kwargs: ["base": 0]), 12)
        XCTAssertEqual(try filter("int", "1e3"), 1000)
        XCTAssertEqual(try filter("int", true), 1)
        XCTAssertEqual(try filter("int", "inf"), 0)
        XCTAssertEqual(try filter("int", "x", 7), 7)
        XCTAssertEqual(try filter("int", nil), 0)
    }

    func testFloat() throws {
        XCTAssertEqual(try filter("float", "3.7"), .float(3.7))
        XCTAssertEqual(try filter("float", "x"), .float(0))
        XCTAssertEqual(try filter("float", "x", 1), 1)
        XCTAssertEqual(try filter("float", " 1e3 "), .float(1000))
        XCTAssertEqual(try filter("float", 2), .float(2))
        XCTAssertEqual(try filter("float", "0x10"), .float(0))
    }

    func testRound() throws {
        XCTAssertEqual(try filter("round", 2.5), .float(2.0))
        XCTAssertEqual(try filter("round", 3.5), .float(4.0))
        XCTAssertEqual(try filter("round", 2.675, 2), .float(2.67))
        XCTAssertEqual(try filter("round", 5), .int(5))
        XCTAssertEqual(try filter("round", 5, 1), .int(5))
        XCTAssertEqual(try filter("round", 1234.5, -2), .float(1200))
        XCTAssertEqual(try filter("round", -2.5, 0, "floor"), .float(-3))
        XCTAssertEqual(try filter("round", 2.1, 0, "ceil"), .float(3))
        XCTAssertEqual(try filter("round", 2.1234, 2, "ceil"), .float(2.13))
        assertJinjaError(.type, "type str doesn't define __round__ method") { try filter("round", "x") }
        assertJinjaError(.runtime, "method must be common, ceil or floor") { try filter("round", 2, 1, "bad") }
    }
}
