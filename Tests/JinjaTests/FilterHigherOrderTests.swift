import XCTest
@testable import Jinja

final class FilterHigherOrderTests: XCTestCase {
    func testMap() throws {
        XCTAssertEqual(try filter("map", ["a", "b"], "upper"), ["A", "B"])
        XCTAssertEqual(try filter("map", ["a", "b"], "replace", "a", "x"), ["x", "b"])
        XCTAssertEqual(try filter("map", [["v": 2]], kwargs: ["attribute": "k", "default": "z"]), ["z"])
        XCTAssertEqual(try filter("map", [["a": ["b": 1]]], kwargs: ["attribute": "a.b"]), [1])
        assertJinjaError(.undefined, "object of type 'dict' has no attribute 'k'") { try filter("map", [["v": 2]], kwargs: ["attribute": "k"]) }
        assertJinjaError(.undefined, "object of type 'list' has no attribute 5") { try filter("map", [[1, 2]], kwargs: ["attribute": "5"]) }
        assertJinjaError(.unknownFilter, "No filter named 'nosuch'.") { try filter("map", [1], "nosuch") }
        // Over an undefined value map stays undefined, as Jinja2's lazy map (`x | map(…) is undefined`).
        guard case .undefined(let u) = try filter("map", undefinedX, "upper") else { return XCTFail("map over undefined") }
        XCTAssertEqual(u.message, "'x' is undefined")
    }

    func testSelectReject() throws {
        XCTAssertEqual(try filter("select", [1, 2, 3, 4], "odd"), [1, 3])
        XCTAssertEqual(try filter("reject", [1, 2, 3, 4], "gt", 2), [1, 2])
        XCTAssertEqual(try filter("select", [0, 1, "", nil, "a"]), [1, "a"])
        XCTAssertEqual(try filter("select", ["ab", "cd"], "match", "c"), ["cd"])
        assertJinjaError(.unknownTest, "No test named 'nosuch'.") { try filter("select", [1], "nosuch") }
    }

    func testSelectattrRejectattr() throws {
        let rows: Value = [["a": ["b": 1]], ["a": ["b": 2]]]
        XCTAssertEqual(try filter("selectattr", rows, "a.b", "equalto", 2), [["a": ["b": 2]]])
        XCTAssertEqual(try filter("rejectattr", [["a": 1]], "a"), [])
        XCTAssertEqual(try filter("selectattr", [["v": 2]], "k", "defined"), [])
        XCTAssertEqual(try filter("rejectattr", [["v": 2], ["k": 1]], "k", "undefined"), [["k": 1]])
        assertJinjaError(.undefined, "object of type 'dict' has no attribute 'k'") { try filter("selectattr", [["v": 2]], "k") }
        assertJinjaError(.runtime, "Missing parameter for attribute name") { try filter("selectattr", [1]) }
    }

    func testDefault() throws {
        XCTAssertEqual(try filter("default", undefinedX, "d"), "d")
        XCTAssertEqual(try filter("default", "", "d"), "")
        XCTAssertEqual(try filter("default", "", "d", true), "d")
        XCTAssertEqual(try filter("default", nil, "d"), nil)
        XCTAssertEqual(try filter("d", undefinedX), "")
        XCTAssertEqual(try filter("d", undefinedX, jinjaOnly: true), "")
        assertJinjaError(.type, "The 'boolean' argument must be of type 'bool', not 'str'.") { try filter("default", undefinedX, 1, "x") }
    }

    func testJinjaRandom() throws {
        let pick = try filter("random", [1, 2, 3], jinjaOnly: true)
        XCTAssertTrue([1, 2, 3].contains(pick))
        XCTAssertEqual(try filter("random", "a", jinjaOnly: true), "a")
        assertJinjaError(.runtime, "Cannot choose from an empty sequence") { try filter("random", [], jinjaOnly: true) }
    }
}
