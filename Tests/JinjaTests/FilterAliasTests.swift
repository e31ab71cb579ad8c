import XCTest
@testable import Jinja

/// Aliases and less common filters, each with a normal, an edge and an error/odd case.
final class FilterAliasTests: XCTestCase {
    func testEscapeFamily() throws {
        XCTAssertEqual(try filter("e", "a&b"), "a&amp;b")
        XCTAssertEqual(try filter("e", 5), "5")
        XCTAssertEqual(try filter("escape", ""), "")
        XCTAssertEqual(try filter("escape", "\"'"), "&#34;&#39;")
        XCTAssertEqual(try filter("forceescape", "&amp;"), "&amp;amp;")
        XCTAssertEqual(try filter("forceescape", ""), "")
        XCTAssertEqual(try filter("safe", 5), "5")
        XCTAssertEqual(try filter("safe", ""), "")
        XCTAssertEqual(try filter("striptags", "a<br/>\n\n  b"), "a b")
        assertJinjaError(.undefined, "'x' is undefined") { try filter("escape", undefinedX) }
        assertJinjaError(.undefined, "'x' is undefined") { try filter("safe", undefinedX) }
    }

    func testCountAndWordcount() throws {
        XCTAssertEqual(try filter("count", ["a": 1, "b": 2]), 2)
        XCTAssertEqual(try filter("count", []), 0)
        assertJinjaError(.type, "object of type 'NoneType' has no len()") { try filter("count", nil) }
        XCTAssertEqual(try filter("wordcount", "héllo wörld_x 42"), 3)
        XCTAssertEqual(try filter("wordcount", 12345), 1)
    }

    func testDefaultAlias() throws {
        XCTAssertEqual(try filter("d", undefinedX, "z"), "z")
        XCTAssertEqual(try filter("d", 0, "z", true), "z")
        XCTAssertEqual(try filter("d", 0, "z"), 0)
    }

    func testMinRejectRejectattr() throws {
        XCTAssertEqual(try filter("min", [3, 1, 2]), 1)
        XCTAssertEqual(try filter("min", ["b", "A"]), "A")
        XCTAssertEqual(try filter("min", [["v": 3], ["v": 1]], kwargs: ["attribute": "v"]), ["v": 1])
        XCTAssertEqual(try filter("reject", [1, 2, 3], "odd"), [2])
        XCTAssertEqual(try filter("reject", [0, "", "a"]), [0, ""])
        XCTAssertEqual(try filter("reject", [], "odd"), [])
        XCTAssertEqual(try filter("rejectattr", [["a": 1], ["a": 0]], "a", "eq", 1), [["a": 0]])
        assertJinjaError(.unknownTest, "No test named 'nosuch'.") { try filter("reject", [1], "nosuch") }
    }

    func testDigestAliases() throws {
        XCTAssertEqual(try filter("sha1", ""), "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        XCTAssertEqual(try filter("sha1", 5), "ac3478d69a3c81fa62e60f5c3696165a4e5e6ac4")
        XCTAssertEqual(try filter("checksum", ""), "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        XCTAssertEqual(try filter("checksum", "ü"), .string(Digest.hexDigest("ü", .sha1)))
        XCTAssertEqual(try filter("md5", "ü"), "c03410a5204b21cd8229ff754688d743")
        assertJinjaError(.undefined, "'x' is undefined") { try filter("md5", undefinedX) }
    }

    func testJSONAndURLExtras() throws {
        XCTAssertEqual(try filter("to_nice_json", ["a": [1, 2]], kwargs: ["indent": 2]), "{\n  \"a\": [\n    1,\n    2\n  ]\n}")
        XCTAssertEqual(try filter("to_nice_json", "é"), "\"\\u00e9\"")
        XCTAssertEqual(try filter("urldecode", "plain"), "plain")
        XCTAssertEqual(try filter("urldecode", "%C3%A9"), "é")
        XCTAssertEqual(try filter("urlize", "x www.a.b/c."), "x www.a.b/c.")
        XCTAssertEqual(try filter("urlize", "see (www.ab.org/x) <b>", kwargs: ["target": "_blank"]),
                       "see (<a href=\"https://www.ab.org/x\" rel=\"noopener\" target=\"_blank\">www.ab.org/x</a>) &lt;b&gt;")
        XCTAssertEqual(try filter("urlize", "example.com mailto:a@b.co"),
                       "<a href=\"https://example.com\" rel=\"noopener\">example.com</a> <a href=\"mailto:a@b.co\">a@b.co</a>")
        XCTAssertEqual(try filter("urlize", "http://long.example.com/path", 10),
                       "<a href=\"http://long.example.com/path\" rel=\"noopener\">http://lon...</a>")
    }

    func testPrettyAndStrip() throws {
        XCTAssertEqual(try filter("pprint", ["b": 1, "a": 2]), "{'b': 1, 'a': 2}")
        XCTAssertEqual(try filter("pprint", nil), "None")
        XCTAssertEqual(try filter("pprint", [1.0, true]), "[1.0, True]")
        XCTAssertEqual(try filter("striptags", "&lt;kept&gt;"), "<kept>")
    }

    func testCombinatoricEdges() throws {
        XCTAssertEqual(try filter("product", []), [])
        XCTAssertEqual(try filter("product", [1], []), [])
        assertJinjaError(.type, "'int' object is not iterable") { try filter("product", 1) }
        XCTAssertEqual(try filter("zip", []), [])
        assertJinjaError(.type, "'int' object is not iterable") { try filter("zip", [1], 2) }
        XCTAssertEqual(try filter("zip_longest", [], []), [])
        XCTAssertEqual(try filter("zip_longest", [1, 2]), [[1], [2]])
    }

    func testPathAliasesEdges() throws {
        XCTAssertEqual(try filter("win_basename", "x"), "x")
        XCTAssertEqual(try filter("expandvars", "$$"), "$$")
        XCTAssertEqual(try filter("realpath", "/"), "/")
        XCTAssertEqual(try filter("fileglob", "/etc/hostname-does-not-exist*"), [])
    }
}
