import XCTest
@testable import Jinja

final class ValueTests: XCTestCase {
    func testPythonRepr() {
        let v: Value = ["a", 1, 2.5, true, nil, ["k": "it's"]]
        XCTAssertEqual(v.pythonRepr, "['a', 1, 2.5, True, None, {'k': \"it's\"}]")
        XCTAssertEqual(Value.pythonFloatRepr(1e16), "1e+16")
        XCTAssertEqual(Value.pythonFloatRepr(0.0001), "0.0001")
        XCTAssertEqual(Value.pythonFloatRepr(1e-05), "1e-05")
        XCTAssertEqual(Value.pythonFloatRepr(3.0), "3.0")
        XCTAssertEqual(Value.pythonFloatRepr(1234567890123456.0), "1234567890123456.0")
    }

    func testJSONRoundTrip() throws {
        let text = #"{"b": [1, 2.5, "x\u00e9"], "a": {"n": null, "t": true}}"#
        let v = try Value.parseJSON(text)
        XCTAssertEqual(v["b"], [1, 2.5, "xé"])
        XCTAssertEqual(v.dictValue?.keys, ["b", "a"])
        XCTAssertEqual(JSONFormat(sortKeys: true).string(v), #"{"a": {"n": null, "t": true}, "b": [1, 2.5, "x\u00e9"]}"#)
        XCTAssertEqual(JSONFormat(indent: 4, sortKeys: true, ensureASCII: false).string(["a": [1]]), "{\n    \"a\": [\n        1\n    ]\n}")
        XCTAssertThrowsError(try Value.parseJSON("{bad"))
    }

    func testEqualityFollowsPython() {
        XCTAssertEqual(Value.int(1), Value.float(1.0))
        XCTAssertEqual(Value.bool(true), Value.int(1))
        XCTAssertNotEqual(Value.string("1"), Value.int(1))
    }
}
