import XCTest
@testable import Jinja

final class FilterListTests: XCTestCase {
    func testBatchAndSlice() throws {
        XCTAssertEqual(try filter("batch", [1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]])
        XCTAssertEqual(try filter("batch", [1, 2, 3], 2, "x"), [[1, 2], [3, "x"]])
        XCTAssertEqual(try filter("batch", [], 3), [])
        XCTAssertEqual(try filter("batch", [1, 2, 3], 0), [[], [1, 2, 3]])
        XCTAssertEqual(try filter("batch", [1, 2, 3], -1, "x"), [[1, 2, 3]])
        assertJinjaError(.runtime, "integer division or modulo by zero") { try filter("slice", [1], 0) }
        XCTAssertEqual(try filter("slice", [1, 2, 3, 4, 5], 3), [[1, 2], [3, 4], [5]])
        XCTAssertEqual(try filter("slice", [1, 2, 3, 4], 3, 0), [[1, 2], [3, 0], [4, 0]])
        assertJinjaError(.type, "'int' object is not iterable") { try filter("slice", 5, 2) }
    }

    func testFirstLastLength() throws {
        XCTAssertEqual(try filter("first", "abc"), "a")
        XCTAssertEqual(try filter("first", ["a": 1, "b": 2]), "a")
        XCTAssertEqual(try filter("first", []), .undefined(Undefined("No first item, sequence was empty.")))
        assertJinjaError(.type, "'int' object is not iterable") { try filter("first", 5) }
        XCTAssertEqual(try filter("last", ["a": 1, "b": 2]), "b")
        XCTAssertEqual(try filter("last", "abc"), "c")
        assertJinjaError(.type, "'int' object is not reversible") { try filter("last", 5) }
        XCTAssertEqual(try filter("length", ["a": 1]), 1)
        XCTAssertEqual(try filter("count", "héllo"), 5)
        assertJinjaError(.type, "object of type 'int' has no len()") { try filter("length", 5) }
        assertJinjaError(.undefined, "'x' is undefined") { try filter("length", undefinedX) }
    }

    func testListJoinReverse() throws {
        XCTAssertEqual(try filter("list", "ab"), ["a", "b"])
        XCTAssertEqual(try filter("list", ["a": 1]), ["a"])
        assertJinjaError(.type, "not iterable") { try filter("list", 1.5) }
        XCTAssertEqual(try filter("join", [1, "a", nil], ","), "1,a,None")
        XCTAssertEqual(try filter("join", [["n": "a"], ["n": "b"]], "-", kwargs: ["attribute": "n"]), "a-b")
        XCTAssertEqual(try filter("join", "abc"), "abc")
        assertJinjaError(.undefined, "has no attribute 'm'") { try filter("join", [["n": "a"]], kwargs: ["attribute": "m"]) }
        XCTAssertEqual(try filter("reverse", "abc"), "cba")
        XCTAssertEqual(try filter("reverse", ["a": 1, "b": 2]), ["b", "a"])
        XCTAssertEqual(try filter("reverse", [1, 2, 3]), [3, 2, 1])
        assertJinjaError(.runtime, "argument must be iterable: 'int' object is not iterable") { try filter("reverse", 5) }
    }

    func testSort() throws {
        XCTAssertEqual(try filter("sort", ["b", "A", "c"]), ["A", "b", "c"])
        XCTAssertEqual(try filter("sort", ["b", "a", "B"], kwargs: ["case_sensitive": true]), ["B", "a", "b"])
        XCTAssertEqual(try filter("sort", [3, 1, 2], kwargs: ["reverse": true]), [3, 2, 1])
        let nested: Value = [["a": ["b": 2], "c": 1], ["a": ["b": 1], "c": 2]]
        XCTAssertEqual(try filter("sort", nested, kwargs: ["attribute": "a.b"]), [["a": ["b": 1], "c": 2], ["a": ["b": 2], "c": 1]])
        let multi: Value = [["x": 1, "y": "b"], ["x": 1, "y": "a"], ["x": 0, "y": "z"]]
        XCTAssertEqual(try filter("sort", multi, kwargs: ["attribute": "x,y"]),
                       [["x": 0, "y": "z"], ["x": 1, "y": "a"], ["x": 1, "y": "b"]])
        assertJinjaError(.type, "'<' not supported between instances of 'str' and 'int'") { try filter("sort", [1, "a"]) }
        assertJinjaError(.undefined, "object of type 'dict' has no attribute 'a'") {
            try filter("sort", [["a": 1], ["b": 2]], kwargs: ["attribute": "a"])
        }
    }

    func testUniqueMinMax() throws {
        XCTAssertEqual(try filter("unique", ["a", "B", "A", "b"]), ["a", "B"])
        XCTAssertEqual(try filter("unique", ["a", "A"], kwargs: ["case_sensitive": true]), ["a", "A"])
        XCTAssertEqual(try filter("unique", [["n": "a"], ["n": "A"], ["n": "b"]], kwargs: ["attribute": "n"]), [["n": "a"], ["n": "b"]])
        XCTAssertEqual(try filter("unique", [3, 1, 3.0, true]), [3, 1])
        XCTAssertEqual(try filter("max", ["b", "A", "c"]), "c")
        XCTAssertEqual(try filter("min", ["b", "A", "c"], kwargs: ["case_sensitive": true]), "A")
        XCTAssertEqual(try filter("max", [["v": 3], ["v": 9]], kwargs: ["attribute": "v"]), ["v": 9])
        XCTAssertEqual(try filter("max", []), .undefined(Undefined("No aggregated item, sequence was empty.")))
        assertJinjaError(.type, "not supported") { try filter("min", [1, "a"]) }
    }

    func testSum() throws {
        XCTAssertEqual(try filter("sum", [1, 2.5]), 3.5)
        XCTAssertEqual(try filter("sum", [1, 2], kwargs: ["start": 3]), 6)
        XCTAssertEqual(try filter("sum", [[1], [2]], kwargs: ["start": []]), [1, 2])
        XCTAssertEqual(try filter("sum", [["v": 3], ["v": 9]], kwargs: ["attribute": "v"]), 12)
        assertJinjaError(.type, "unsupported operand type(s) for +: 'int' and 'str'") { try filter("sum", ["a"]) }
    }

    func testDictsortGroupbyItems() throws {
        let d: Value = ["b": 1, "A": 2, "c": 0]
        XCTAssertEqual(try filter("dictsort", d), [["A", 2], ["b", 1], ["c", 0]])
        XCTAssertEqual(try filter("dictsort", d, kwargs: ["by": "value", "reverse": true]), [["A", 2], ["b", 1], ["c", 0]])
        XCTAssertEqual(try filter("dictsort", d, true), [["A", 2], ["b", 1], ["c", 0]])
        assertJinjaError(.runtime, "You can only sort by either \"key\" or \"value\"") { try filter("dictsort", d, kwargs: ["by": "x"]) }
        let rows: Value = [["k": "b", "v": 1], ["k": "a", "v": 2], ["k": "B", "v": 3]]
        XCTAssertEqual(try filter("groupby", rows, "k"),
                       [["a", [["k": "a", "v": 2]]], ["b", [["k": "b", "v": 1], ["k": "B", "v": 3]]]])
        XCTAssertEqual(try filter("groupby", rows, "k", kwargs: ["case_sensitive": true]).listValue?.count, 3)
        assertJinjaError(.undefined, "has no attribute 'k'") { try filter("groupby", [["v": 2]], "k") }
        XCTAssertEqual(try filter("items", ["a": 1]), [["a", 1]])
        XCTAssertEqual(try filter("items", undefinedX, jinjaOnly: true), [])
        assertJinjaError(.undefined, "'x' is undefined") { try filter("items", undefinedX) }
        assertJinjaError(.type, "Can only get item pairs from a mapping.") { try filter("items", 5) }
    }

    func testAttr() throws {
        XCTAssertEqual(try filter("attr", ["a": 1], "a"), .undefined(Undefined("object of type 'dict' has no attribute 'a'")))
        let dt = PythonDateTime(year: 2024, month: 1, day: 2)
        XCTAssertEqual(try filter("attr", .object(dt), "year"), 2024)
        XCTAssertTrue(try filter("attr", 5, "real").isUndefined)
    }
}
