import XCTest
@testable import Jinja

final class FilterStringTests: XCTestCase {
    func testCaseFilters() throws {
        XCTAssertEqual(try filter("capitalize", "hELLO wORLD"), "Hello world")
        XCTAssertEqual(try filter("capitalize", ""), "")
        XCTAssertEqual(try filter("capitalize", 5), "5")
        XCTAssertEqual(try filter("lower", "ÄbC"), "äbc")
        XCTAssertEqual(try filter("upper", "straße"), "STRASSE")
        XCTAssertEqual(try filter("upper", nil), "NONE")
        XCTAssertEqual(try filter("title", "hello-world (foo) [bar]"), "Hello-World (Foo) [Bar]")
        XCTAssertEqual(try filter("title", "they're bill's"), "They're Bill's")
        XCTAssertEqual(try filter("title", ""), "")
    }

    func testCenterAndTrim() throws {
        XCTAssertEqual(try filter("center", "ab", 7), "   ab  ")
        XCTAssertEqual(try filter("center", "abc", 6), " abc  ")
        XCTAssertEqual(try filter("center", 3, 9), "    3    ")
        XCTAssertEqual(try filter("center", "abcdef", 3), "abcdef")
        XCTAssertEqual(try filter("trim", "  x \n"), "x")
        XCTAssertEqual(try filter("trim", "xxaxx", "x"), "a")
        assertJinjaError(.type, "unexpected keyword") { try filter("trim", "a", kwargs: ["bogus": 1]) }
    }

    func testTruncate() throws {
        XCTAssertEqual(try filter("truncate", "foo bar baz qux", 11), "foo bar baz qux")
        XCTAssertEqual(try filter("truncate", "foo bar baz qux", 11, false, "!!", 0), "foo bar!!")
        XCTAssertEqual(try filter("truncate", "hello world foo", 9), "hello...")
        XCTAssertEqual(try filter("truncate", "hello world foo", 9, true, "...", 0), "hello ...")
        XCTAssertEqual(try filter("truncate", "short", 3), "short")
        assertJinjaError(.runtime, "expected length >= 3") { try filter("truncate", "abcdefghijk", 2, kwargs: ["leeway": 0]) }
    }

    func testWordcountReplaceIndent() throws {
        XCTAssertEqual(try filter("wordcount", "one two  three,four"), 4)
        XCTAssertEqual(try filter("wordcount", ""), 0)
        XCTAssertEqual(try filter("replace", "aaa", "a", "b", 2), "bba")
        XCTAssertEqual(try filter("replace", "ab", "", "-"), "-a-b-")
        XCTAssertEqual(try filter("replace", "hello", "l", "L"), "heLLo")
        XCTAssertEqual(try filter("indent", "a\nb\n\nc", 2), "a\n  b\n\n  c")
        XCTAssertEqual(try filter("indent", "a\nb\n\nc", 2, true, true), "  a\n  b\n  \n  c")
        XCTAssertEqual(try filter("indent", "a\nb", "> "), "a\n> b")
        XCTAssertEqual(try filter("indent", "a\n", 2), "a\n")
    }

    func testFormat() throws {
        XCTAssertEqual(try filter("format", "%s=%d", "x", 3), "x=3")
        XCTAssertEqual(try filter("format", "%.3e|%g|%+d|%5s|%-5d|", 12345.678, 0.00001, 5, "ab", 3), "1.235e+04|1e-05|+5|   ab|3    |")
        XCTAssertEqual(try filter("format", "%5.2f|%-4s|%r|%x|%05d", 3.14159, "ab", "q", 255, 42), " 3.14|ab  |'q'|ff|00042")
        XCTAssertEqual(try filter("format", "%s", [1, 2]), "[1, 2]")
        XCTAssertEqual(try filter("format", "%(a)s-%(b)03d", kwargs: ["a": 1, "b": 7]), "1-007")
        XCTAssertEqual(try filter("format", "100%%"), "100%")
        assertJinjaError(.type, "%d format: a real number is required, not str") { try filter("format", "%d", "x") }
        assertJinjaError(.type, "not all arguments converted") { try filter("format", "%s", 1, 2) }
        assertJinjaError(.type, "not enough arguments") { try filter("format", "%s %s", 1) }
    }

    func testEscapingFilters() throws {
        XCTAssertEqual(try filter("escape", "<a href=\"x\">&'"), "&lt;a href=&#34;x&#34;&gt;&amp;&#39;")
        XCTAssertEqual(try filter("e", "plain"), "plain")
        XCTAssertEqual(try filter("forceescape", "<b>"), "&lt;b&gt;")
        XCTAssertEqual(try filter("safe", "<b>"), "<b>")
        XCTAssertEqual(try filter("striptags", "<p>Hi &amp; <b>bye</b></p><!-- c -->  x"), "Hi & bye x")
        XCTAssertEqual(try filter("striptags", "no tags"), "no tags")
        XCTAssertEqual(try filter("string", 5), "5")
        XCTAssertEqual(try filter("string", nil), "None")
        XCTAssertEqual(try filter("string", [1, "a"]), "[1, 'a']")
        XCTAssertEqual(try filter("pprint", ["a": "x"]), "{'a': 'x'}")
        XCTAssertEqual(try filter("pprint", "abc"), "'abc'")
    }

    func testFilesizeformat() throws {
        XCTAssertEqual(try filter("filesizeformat", 1), "1 Byte")
        XCTAssertEqual(try filter("filesizeformat", 999), "999 Bytes")
        XCTAssertEqual(try filter("filesizeformat", 1000), "1.0 kB")
        XCTAssertEqual(try filter("filesizeformat", 1536, true), "1.5 KiB")
        XCTAssertEqual(try filter("filesizeformat", 123456789), "123.5 MB")
        XCTAssertEqual(try filter("filesizeformat", "2000"), "2.0 kB")
        assertJinjaError(.value, "could not convert string to float") { try filter("filesizeformat", "abc") }
    }

    func testXmlattrAndJSON() throws {
        XCTAssertEqual(try filter("xmlattr", ["class": "a b", "id": nil, "x": "<"]), " class=\"a b\" x=\"&lt;\"")
        XCTAssertEqual(try filter("xmlattr", ["a": 1], false), "a=\"1\"")
        assertJinjaError(.value, "Invalid character in attribute name: 'a b'") { try filter("xmlattr", ["a b": 1]) }
        XCTAssertEqual(try filter("tojson", [1, ["a": nil]]), "[1, {\"a\": null}]")
        XCTAssertEqual(try filter("tojson", ["b": 1, "a": "<"]), "{\"a\": \"\\u003c\", \"b\": 1}")
        XCTAssertEqual(try filter("tojson", "it's & <b>"), "\"it\\u0027s \\u0026 \\u003cb\\u003e\"")
    }

    func testURLFilters() throws {
        XCTAssertEqual(try filter("urlencode", "a b"), "a%20b")
        XCTAssertEqual(try filter("urlencode", "/a b?c=d&e"), "/a%20b%3Fc%3Dd%26e")
        XCTAssertEqual(try filter("urlencode", ["a": "x y", "b": "/"]), "a=x+y&b=%2F")
        XCTAssertEqual(try filter("urlencode", [["a", 1], ["b c", "&"]]), "a=1&b+c=%26")
        XCTAssertEqual(try filter("urlize", "go to http://x.com/a. and www.y.org or me@z.com"),
                       "go to <a href=\"http://x.com/a\" rel=\"noopener\">http://x.com/a</a>. and <a href=\"https://www.y.org\" rel=\"noopener\">www.y.org</a> or <a href=\"mailto:me@z.com\">me@z.com</a>")
        XCTAssertEqual(try filter("urlize", "plain <text>"), "plain &lt;text&gt;")
    }

    func testWordwrap() throws {
        XCTAssertEqual(try filter("wordwrap", "The quick brown fox jumps over the lazy dog", 10),
                       "The quick\nbrown fox\njumps over\nthe lazy\ndog")
        XCTAssertEqual(try filter("wordwrap", "abcdefghijkl mn", 5), "abcde\nfghij\nkl mn")
        XCTAssertEqual(try filter("wordwrap", "abcdefghijkl mn", 5, false), "abcdefghijkl\nmn")
        XCTAssertEqual(try filter("wordwrap", "foo-bar-baz qux", 8), "foo-bar-\nbaz qux")
        XCTAssertEqual(try filter("wordwrap", "a b c", 3, kwargs: ["wrapstring": "|"]), "a b|c")
        assertJinjaError(.value, "invalid width") { try filter("wordwrap", "a", 0) }
    }
}
