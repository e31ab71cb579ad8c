import XCTest
@testable import Jinja

/// Aliases of Jinja and Ansible tests, each checked for a true, a false and an error case.
final class TestAliasTests: XCTestCase {
    func testResultAliases() throws {
        for name in ["failed", "failure"] {
            XCTAssertTrue(try check(name, ["failed": true]))
            XCTAssertFalse(try check(name, ["failed": 0]))
            assertJinjaError(.filter, "The 'failed' test expects a dictionary") { try check(name, "x") }
        }
        for name in ["succeeded", "success", "successful"] {
            XCTAssertTrue(try check(name, [:]))
            XCTAssertFalse(try check(name, ["failed": true]))
            assertJinjaError(.filter, "expects a dictionary") { try check(name, []) }
        }
        for name in ["changed", "change"] {
            XCTAssertTrue(try check(name, ["changed": true]))
            XCTAssertFalse(try check(name, ["results": []]))
            assertJinjaError(.filter, "The 'changed' test expects a dictionary") { try check(name, 1) }
        }
        for name in ["skipped", "skip"] {
            XCTAssertTrue(try check(name, ["skipped": 1]))
            XCTAssertFalse(try check(name, ["skipped": false]))
            assertJinjaError(.filter, "The 'skipped' test expects a dictionary") { try check(name, nil) }
        }
        XCTAssertTrue(try check("reachable", [:]))
        XCTAssertFalse(try check("unreachable", [:]))
        assertJinjaError(.filter, "The 'unreachable' test expects a dictionary") { try check("reachable", 1) }
        XCTAssertFalse(try check("finished", ["finished": 0]))
        XCTAssertTrue(try check("finished", [:]))
        assertJinjaError(.filter, "The 'finished' test expects a dictionary") { try check("finished", 1) }
        XCTAssertFalse(try check("started", ["started": 0]))
        assertJinjaError(.filter, "The 'started' test expects a dictionary") { try check("started", 1) }
        XCTAssertFalse(try check("timedout", ["timedout": ["period": 0]]))
        assertJinjaError(.filter, "The 'timedout' test expects a dictionary") { try check("timedout", 1) }
    }

    func testSetAliases() throws {
        XCTAssertTrue(try check("issubset", [], [1]))
        XCTAssertTrue(try check("issubset", ["a"], ["a", "b"]))
        assertJinjaError(.type, "'int' object is not iterable") { try check("subset", 1, [1]) }
        XCTAssertTrue(try check("issuperset", [1, 2], [2]))
        XCTAssertFalse(try check("issuperset", [1], [2]))
        XCTAssertFalse(try check("superset", [], [1]))
        assertJinjaError(.type, "'int' object is not iterable") { try check("issuperset", [1], 2) }
        XCTAssertTrue(try check("isnan", .float(.nan)))
        XCTAssertFalse(try check("isnan", .float(1)))
        XCTAssertFalse(try check("nan", nil))
        XCTAssertTrue(try check("any", ["", "x"]))
        XCTAssertFalse(try check("any", []))
        XCTAssertTrue(try check("all", ["a": 1]))
        XCTAssertFalse(try check("falsy", "yes", kwargs: ["convert_bool": true]))
        XCTAssertFalse(try check("falsy", [1]))
        XCTAssertTrue(try check("falsy", "off", kwargs: ["convert_bool": true]))
    }

    func testFileAliases() throws {
        XCTAssertTrue(try check("is_dir", "/"))
        XCTAssertFalse(try check("is_dir", "/nonexistent-zz"))
        XCTAssertFalse(try check("is_file", "/"))
        XCTAssertFalse(try check("is_file", "/nonexistent-zz"))
        XCTAssertTrue(try check("is_mount", "/"))
        XCTAssertFalse(try check("is_mount", "/nonexistent-zz"))
        XCTAssertTrue(try check("is_same_file", "/", "/."))
        XCTAssertFalse(try check("is_same_file", "/", "/tmp"))
        assertJinjaError(.runtime, "No such file or directory") { try check("is_same_file", "/", "/nonexistent-zz") }
        XCTAssertFalse(try check("link", "/nonexistent-zz"))
        XCTAssertFalse(try check("link_exists", "/nonexistent-zz"))
        XCTAssertTrue(try check("exists", "/"))
        XCTAssertTrue(try check("is_abs", "/x"))
        XCTAssertFalse(try check("abs", ""))
        XCTAssertFalse(try check("directory", ""))
        XCTAssertFalse(try check("file", ""))
        XCTAssertFalse(try check("mount", "/nonexistent-zz"))
        XCTAssertFalse(try check("vault_encrypted", nil))
    }

    func testJinjaTypeAliases() throws {
        XCTAssertTrue(try check("boolean", true))
        XCTAssertFalse(try check("boolean", "true"))
        XCTAssertFalse(try check("true", 1))
        XCTAssertFalse(try check("false", nil))
        XCTAssertFalse(try check("integer", 1.0))
        XCTAssertTrue(try check("mapping", ["a": 1]))
        XCTAssertFalse(try check("mapping", "a"))
        XCTAssertTrue(try check("iterable", "a"))
        XCTAssertTrue(try check("iterable", []))
        XCTAssertTrue(try check("sequence", []))
        XCTAssertFalse(try check("sequence", nil))
        XCTAssertFalse(try check("callable", nil))
        XCTAssertFalse(try check("escaped", 5))
        XCTAssertFalse(try check("escaped", ""))
        XCTAssertFalse(try check("filter", 5))
        XCTAssertTrue(try check("filter", "combine"))
        XCTAssertFalse(try check("filter", "combine", jinjaOnly: true))
        XCTAssertTrue(try check("test", "version"))
        XCTAssertFalse(try check("even", -3))
        XCTAssertTrue(try check("even", 0))
        assertJinjaError(.type, "not all arguments converted") { try check("even", "a") }
        XCTAssertFalse(try check("odd", 0))
        assertJinjaError(.type, "unsupported operand") { try check("odd", nil) }
        XCTAssertTrue(try check("match", "abc", "a.c"))
        XCTAssertTrue(try check("match", "ABC", "a", kwargs: ["ignorecase": true]))
        XCTAssertFalse(try check("match", "xabc", "abc"))
        XCTAssertTrue(try check("version_compare", "1.10", "1.9", ">"))
        XCTAssertFalse(try check("version_compare", "1.10", "1.9", "<="))
        XCTAssertTrue(try check("urn", "urn:x:y"))
        XCTAssertFalse(try check("urn", "http://x"))
        XCTAssertFalse(try check("urn", nil))
    }
}
