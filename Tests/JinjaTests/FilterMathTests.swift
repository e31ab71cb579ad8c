import XCTest
@testable import Jinja

final class FilterMathTests: XCTestCase {
    func testSetTheory() throws {
        XCTAssertEqual(try filter("union", [3, 1, 2, 3], [5, 4]), [1, 2, 3, 4, 5])
        XCTAssertEqual(try filter("union", [100, 7, 33, 9, 64], [-1, 17]), [64, 33, 17, 100, 7, 9, -1])
        XCTAssertEqual(try filter("intersect", [1000, 8, 16], [16, 8, 1000]), [16, 8, 1000])
        XCTAssertEqual(try filter("intersect", ["b", "a", "c"], ["c", "b"]), ["b", "c"])
        XCTAssertEqual(try filter("difference", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [2, 4]), [1, 3, 5, 6, 7, 8, 9, 10])
        XCTAssertEqual(try filter("symmetric_difference", [1, 2, 3], [3, 4, 5]), [1, 2, 4, 5])
        XCTAssertEqual(try filter("union", [[1], [2]], [[1]]), [[1], [2]])
        XCTAssertEqual(try filter("union", ["b", "a"], ["c", "a"]), ["b", "a", "c"])
        assertJinjaError(.type, "'int' object is not iterable") { try filter("union", 1, [2]) }
    }

    /// Integer results follow CPython's set table order, checked against `list(set(a) op set(b))`.
    func testIntegerSetOrderMatchesCPython() throws {
        XCTAssertEqual(try filter("union", [80, 133, 283, 221, -36, 188, 77, 282, -24, 30, 7, 140, 190, 76, 144, 228, 2, 243, 77, -44, 60, 158],
                                  [43, 149, 31, -14, 21]),
                       [2, 133, 7, 140, 76, 77, 144, 80, -44, 21, 149, 282, 283, -36, 221, 30, 158, 31, 228, -24, 43, 60, -14, 243, 188, 190])
        XCTAssertEqual(try filter("union", [266, 177, 14, 17, -50, -48, 57, 60, 34, 35, 98, 110, 51, 226, 297, 270, 54, 43, 50, 146, 102, -39],
                                  [162, 34, 24, 85, -17, 119]),
                       [266, 14, 270, -50, 17, 146, -48, 85, 24, -39, 34, 35, 98, 226, 102, 162, 297, 43, 110, -17, 177, 50, 51, 54, 119, 57, 60])
        XCTAssertEqual(try filter("intersect", [258, 250, -49, 255, 297, 123, -17, 108, 131, 106, 196, 111], [196, 191, 40]), [196])
        XCTAssertEqual(try filter("difference", [137, 142, 246, -46, 181, -27, 42, 269, 50, 10, 75, 186, 126, 212, 131, 218], [186, 5, 251, 138, 101]),
                       [131, -27, 137, 10, 42, 75, 269, 142, -46, 50, 212, 181, 246, 218, 126])
        XCTAssertEqual(try filter("difference", [171, -4, 56, 124], [262, 135, 25, 124, 91, 229, -3, 109, 112]), [56, 171, -4])
        XCTAssertEqual(try filter("symmetric_difference", [40, -10, 270, 26, 108, 197, 32, -26, -9, 257, 223, 157], [71]),
                       [32, 257, 197, -26, 71, 40, 108, 270, -10, -9, 26, 157, 223])
        XCTAssertEqual(try filter("symmetric_difference", [126, 78, 183, 283, 165, 24, -22, 276, -34, 202, 121, 56, 16, 238, 17, 272, 161, 4, 36, 172, 140, 26], [165]),
                       [4, 140, 16, 17, 272, 276, 24, 26, 283, 161, 36, 172, 183, 56, 202, 78, -34, -22, 238, 121, 126])
    }

    func testCombinatorics() throws {
        XCTAssertEqual(try filter("product", [1, 2], ["a"]), [[1, "a"], [2, "a"]])
        XCTAssertEqual(try filter("product", [1, 2], ["a", "b"], kwargs: ["repeat": 2]).listValue?.count, 16)
        XCTAssertEqual(try filter("permutations", [1, 2, 3], 2), [[1, 2], [1, 3], [2, 1], [2, 3], [3, 1], [3, 2]])
        XCTAssertEqual(try filter("permutations", [1, 2, 3]).listValue?.count, 6)
        XCTAssertEqual(try filter("permutations", [1, 2], 3), [])
        XCTAssertEqual(try filter("combinations", [1, 2, 3], 2), [[1, 2], [1, 3], [2, 3]])
        XCTAssertEqual(try filter("combinations", [1, 2, 3], 0), [[]])
        assertJinjaError(.type, "missing required argument 'r'") { try filter("combinations", [1]) }
        XCTAssertEqual(try filter("zip", [1, 2], ["a", "b", "c"]), [[1, "a"], [2, "b"]])
        XCTAssertEqual(try filter("zip", [1, 2], ["a"], [true, false]), [[1, "a", true]])
        XCTAssertEqual(try filter("zip_longest", [1, 2], ["a"], kwargs: ["fillvalue": "x"]), [[1, "a"], [2, "x"]])
        XCTAssertEqual(try filter("zip_longest", [1], [2, 3]), [[1, 2], [nil, 3]])
    }

    func testLogPowRoot() throws {
        XCTAssertEqual(try filter("log", 1), .float(0))
        XCTAssertEqual(try filter("log", 100, 10), .float(2))
        XCTAssertEqual(try filter("log", 8, 2), .float(3))
        assertJinjaError(.value, "math domain error") { try filter("log", 0) }
        assertJinjaError(.filter, "log() can only be used on numbers: must be real number, not str") { try filter("log", "x") }
        XCTAssertEqual(try filter("pow", 2, 3), .float(8))
        XCTAssertEqual(try filter("pow", 2, -1), .float(0.5))
        assertJinjaError(.value, "math domain error") { try filter("pow", -1, 0.5) }
        XCTAssertEqual(try filter("root", 9), .float(3))
        XCTAssertEqual(try filter("root", 27, 3), .float(3))
        assertJinjaError(.filter, "root() can only be used on numbers: math domain error") { try filter("root", -4) }
        assertJinjaError(.filter, "root() can only be used on numbers: must be real number, not str") { try filter("root", "x") }
    }

    func testHumanSizes() throws {
        XCTAssertEqual(try filter("human_readable", 1), "1.00 Bytes")
        XCTAssertEqual(try filter("human_readable", 1023), "1023.00 Bytes")
        XCTAssertEqual(try filter("human_readable", 1024), "1.00 KB")
        XCTAssertEqual(try filter("human_readable", 1048576, true), "1.00 Mb")
        XCTAssertEqual(try filter("human_readable", 1048576, kwargs: ["unit": "K"]), "1024.00 KB")
        assertJinjaError(.filter, "human_readable() failed on bad input") { try filter("human_readable", "x") }
        XCTAssertEqual(try filter("human_to_bytes", "10M"), 10485760)
        XCTAssertEqual(try filter("human_to_bytes", "1.5K"), 1536)
        XCTAssertEqual(try filter("human_to_bytes", "10"), 10)
        XCTAssertEqual(try filter("human_to_bytes", "10", "K"), 10240)
        XCTAssertEqual(try filter("human_to_bytes", "1Mb", kwargs: ["isbits": true]), 1048576)
        XCTAssertEqual(try filter("human_to_bytes", "1 megabyte"), 1048576)
        XCTAssertEqual(try filter("human_to_bytes", "0.5K"), 512)
        XCTAssertEqual(try filter("human_to_bytes", "1.5b"), 2)
        assertJinjaError(.filter, "Value is not a valid string (expect Mb or M)") { try filter("human_to_bytes", "1MB", kwargs: ["isbits": true]) }
        assertJinjaError(.filter, "The suffix must be one of Y, Z, E, P, T, G, M, K, B") { try filter("human_to_bytes", "1Q") }
    }

    func testSeededRandomMatchesPython() throws {
        XCTAssertEqual(try filter("random", [1, 2, 3, 4, 5], kwargs: ["seed": "web01"]), 3)
        XCTAssertEqual(try filter("random", 100, kwargs: ["seed": 42]), 81)
        XCTAssertEqual(try filter("random", 100, 10, 5, kwargs: ["seed": 42]), 25)
        XCTAssertEqual(try filter("random", 5, 1, 1, "x"), 3)
        XCTAssertEqual(try filter("random", "abc", kwargs: ["seed": 12345678901234]), "a")
        XCTAssertEqual(try filter("shuffle", [1, 2, 3, 4, 5, 6], kwargs: ["seed": "abc"]), [6, 1, 2, 3, 4, 5])
        XCTAssertEqual(try filter("shuffle", [1, 2, 3, 4, 5, 6], kwargs: ["seed": 7]), [5, 1, 6, 4, 2, 3])
        XCTAssertEqual(try filter("shuffle", 5), 5)
        let unseeded = try filter("shuffle", [1, 2, 3]).listValue ?? []
        XCTAssertEqual(Set(unseeded), Set([1, 2, 3]))
        let roll = try filter("random", 10).intValue ?? -1
        XCTAssertTrue((0..<10).contains(roll))
        assertJinjaError(.filter, "start and step can only be used with integer values") { try filter("random", [1, 2, 3], kwargs: ["start": 1]) }
        assertJinjaError(.filter, "random can only be used on sequences and integers") { try filter("random", nil) }
    }
}
