import XCTest
@testable import Jinja

final class FilterRegexTests: XCTestCase {
    func testRegexReplace() throws {
        XCTAssertEqual(try filter("regex_replace", "ansible", "^a.*i(.*)$", "a\\1"), "able")
        XCTAssertEqual(try filter("regex_replace", "foo=bar", "(?P<k>\\w+)=(?P<v>\\w+)", "\\g<v>=\\g<k>"), "bar=foo")
        XCTAssertEqual(try filter("regex_replace", "abab", "(?P<x>a)(?P=x)?b", "[\\g<x>]"), "[a][a]")
        XCTAssertEqual(try filter("regex_replace", "abc", "b", "\\n"), "a\nc")
        XCTAssertEqual(try filter("regex_replace", "abc", "(b)|(z)", "<\\2>"), "a<>c")
        XCTAssertEqual(try filter("regex_replace", "a[b]c", "[[]", "("), "a(b]c")
        XCTAssertEqual(try filter("regex_replace", "x y", "\\s", "\\\\"), "x\\y")
        XCTAssertEqual(try filter("regex_replace", "a\\b", "\\\\", "/"), "a/b")
        XCTAssertEqual(try filter("regex_replace", "aAa", "a", "x", kwargs: ["ignorecase": true]), "xxx")
        XCTAssertEqual(try filter("regex_replace", "a\nb", "^", "> ", kwargs: ["multiline": true]), "> a\n> b")
        XCTAssertEqual(try filter("regex_replace", "aaa", "a", "b", kwargs: ["count": 2]), "bba")
        assertJinjaError(.filter, "'x' should match 1 times, but matches 0 times in 'abc'") {
            try filter("regex_replace", "abc", "x", "y", kwargs: ["mandatory_count": 1])
        }
        assertJinjaError(.filter, "bad escape \\q") { try filter("regex_replace", "x", "x", "\\q") }
        assertJinjaError(.filter, "invalid group reference 2") { try filter("regex_replace", "x", "x", "\\2") }
        assertJinjaError(.filter, "Invalid regular expression") { try filter("regex_replace", "abc", "(", "y") }
    }

    func testRegexSearch() throws {
        XCTAssertEqual(try filter("regex_search", "server1 server22", "server(\\d+)"), "server1")
        XCTAssertEqual(try filter("regex_search", "server1", "server(\\d+)", "\\1"), ["1"])
        XCTAssertEqual(try filter("regex_search", "k=v", "(?P<key>\\w)=(?P<val>\\w)", "\\g<val>", "\\g<key>"), ["v", "k"])
        XCTAssertEqual(try filter("regex_search", "abc", "x"), nil)
        XCTAssertEqual(try filter("regex_search", "ABC", "b", kwargs: ["ignorecase": true]), "B")
        XCTAssertEqual(try filter("regex_search", "ab\n", "b\\Z"), nil)
        XCTAssertEqual(try filter("regex_search", "ab\n", "b$"), "b")
        XCTAssertEqual(try filter("regex_search", "aaa", "a{2}"), "aa")
        assertJinjaError(.filter, "Unknown argument") { try filter("regex_search", "abc", "b", "bad") }
        XCTAssertEqual(try filter("regex_search", "a{b}", "a{b"), "a{b")
        XCTAssertEqual(try filter("regex_search", "aaa", "a{,2}"), "aa")
        XCTAssertEqual(try filter("regex_search", "ABC", "(?u)(?i)b"), "B")
        XCTAssertEqual(try filter("regex_search", "x{}", "\\w{}"), "x{}")
    }

    func testRegexFindallAndEscape() throws {
        XCTAssertEqual(try filter("regex_findall", "a1b22", "\\d+"), ["1", "22"])
        XCTAssertEqual(try filter("regex_findall", "a=1 b=2", "(\\w)=(\\d)"), [["a", "1"], ["b", "2"]])
        XCTAssertEqual(try filter("regex_findall", "a=1 b=2", "(\\w)=\\d"), ["a", "b"])
        XCTAssertEqual(try filter("regex_findall", "Hello", "L", kwargs: ["ignorecase": true]), ["l", "l"])
        XCTAssertEqual(try filter("regex_findall", "a\nb", "^\\w", true), ["a", "b"])
        XCTAssertEqual(try filter("regex_findall", "a\nb", "^\\w"), ["a"])
        XCTAssertEqual(try filter("regex_escape", "a.b*c"), "a\\.b\\*c")
        XCTAssertEqual(try filter("regex_escape", "a.b*c[d]", "posix_basic"), "a\\.b\\*c\\[d\\]")
        XCTAssertEqual(try filter("regex_escape", "plain_word1"), "plain_word1")
        assertJinjaError(.filter, "Invalid regex type (bad)") { try filter("regex_escape", "x", "bad") }
        assertJinjaError(.filter, "not yet implemented") { try filter("regex_escape", "x", "posix_extended") }
    }
}
