import XCTest
@testable import Jinja

final class TestBuiltinTests: XCTestCase {
    func testDefinedness() throws {
        XCTAssertFalse(try check("defined", undefinedX))
        XCTAssertTrue(try check("defined", nil))
        XCTAssertTrue(try check("undefined", undefinedX))
        XCTAssertFalse(try check("undefined", 0))
        XCTAssertTrue(try check("none", nil))
        XCTAssertFalse(try check("none", 0))
        assertJinjaError(.undefined, "'x' is undefined") { try check("none", undefinedX) }
    }

    func testTypeTests() throws {
        XCTAssertTrue(try check("number", 1))
        XCTAssertTrue(try check("number", true))
        XCTAssertFalse(try check("number", "1"))
        XCTAssertFalse(try check("integer", true))
        XCTAssertTrue(try check("integer", 3))
        XCTAssertTrue(try check("float", 1.0))
        XCTAssertFalse(try check("float", 1))
        XCTAssertTrue(try check("string", ""))
        XCTAssertTrue(try check("string", .unsafe("x")))
        XCTAssertFalse(try check("string", 1))
        XCTAssertTrue(try check("mapping", [:]))
        XCTAssertFalse(try check("mapping", []))
        XCTAssertTrue(try check("sequence", "a"))
        XCTAssertFalse(try check("sequence", 5))
        XCTAssertFalse(try check("iterable", 5))
        XCTAssertTrue(try check("iterable", ["a": 1]))
        XCTAssertFalse(try check("boolean", 1))
        XCTAssertTrue(try check("boolean", false))
        XCTAssertTrue(try check("false", false))
        XCTAssertFalse(try check("false", 0))
        XCTAssertTrue(try check("true", true))
        XCTAssertFalse(try check("callable", "upper"))
        XCTAssertTrue(try check("callable", .object(DateTimeMethod("f") { _ in nil })))
        XCTAssertFalse(try check("escaped", "x"))
    }

    func testSameasAndIn() throws {
        XCTAssertTrue(try check("sameas", 1, 1))
        // Two separately made strings are different objects (Python: a variable's 'Oslo'
        // is not a literal 'Oslo'); the same long string value is the same object.
        XCTAssertFalse(try check("sameas", "a", "a"))
        let long: Value = .string(String(repeating: "x", count: 40))
        XCTAssertTrue(try check("sameas", long, long))
        XCTAssertFalse(try check("sameas", long, .string(String(repeating: "x", count: 40))))
        let list: Value = [1, 2]
        XCTAssertTrue(try check("sameas", list, list))
        XCTAssertFalse(try check("sameas", list, [1, 2]))
        XCTAssertFalse(try check("sameas", [], []))
        XCTAssertFalse(try check("sameas", 1, true))
        XCTAssertTrue(try check("in", 2, [1, 2]))
        XCTAssertTrue(try check("in", "a", "cat"))
        XCTAssertTrue(try check("in", "a", ["a": 1]))
        assertJinjaError(.type, "'in <string>' requires string as left operand, not int") { try check("in", 1, "abc") }
    }

    func testArithmeticTests() throws {
        XCTAssertFalse(try check("divisibleby", 10, 3))
        XCTAssertTrue(try check("divisibleby", 9, 3))
        assertJinjaError(.type, "not all arguments converted during string formatting") { try check("divisibleby", "a", 3) }
        XCTAssertTrue(try check("odd", 3))
        XCTAssertTrue(try check("odd", -3))
        XCTAssertTrue(try check("even", 4.0))
        XCTAssertFalse(try check("even", 3))
    }

    func testCaseAndRegistryTests() throws {
        XCTAssertTrue(try check("lower", "abc"))
        XCTAssertFalse(try check("lower", "123"))
        XCTAssertTrue(try check("upper", "ABC1"))
        XCTAssertFalse(try check("upper", "AbC"))
        XCTAssertTrue(try check("filter", "upper"))
        XCTAssertFalse(try check("test", "zzz"))
        XCTAssertTrue(try check("test", "odd"))
    }

    func testComparisons() throws {
        XCTAssertTrue(try check("lt", 1, 2))
        XCTAssertTrue(try check("<", 1, 2.5))
        XCTAssertTrue(try check("lessthan", "a", "b"))
        XCTAssertTrue(try check("ge", 2, 2))
        XCTAssertTrue(try check(">=", 3, 2))
        XCTAssertFalse(try check("gt", 2, 2))
        XCTAssertTrue(try check("greaterthan", [2], [1, 5]))
        XCTAssertTrue(try check("le", 2, 2))
        XCTAssertTrue(try check("eq", 1, 1.0))
        XCTAssertTrue(try check("equalto", "a", "a"))
        XCTAssertTrue(try check("==", ["a": 1], ["a": 1]))
        XCTAssertTrue(try check("ne", 1, 2))
        XCTAssertFalse(try check("!=", 1, true))
        assertJinjaError(.type, "'>' not supported between instances of 'str' and 'int'") { try check("gt", "a", 1) }
        assertJinjaError(.type, "missing 1 required positional argument") { try check("eq", 1) }
    }
}
