import XCTest
@testable import Jinja

final class TestAnsibleTests: XCTestCase {
    func testLooseVersions() throws {
        XCTAssertTrue(try check("version", "1.2.3", "1.2.10", "<"))
        XCTAssertFalse(try check("version", "1.0", "1.0.0", "=="))
        XCTAssertTrue(try check("version", "1.0a", "1.0b", "lt"))
        XCTAssertFalse(try check("version_compare", "1.0-RC1", "1.0-rc1", "<"))
        XCTAssertTrue(try check("version", "2.10", "2.9", "gt"))
        XCTAssertTrue(try check("version", "2.9", "2.9", ">="))
        XCTAssertTrue(try check("version", "2.9", "2.10", "<>"))
        XCTAssertTrue(try check("version", "2.9", "2.9", "="))
        XCTAssertTrue(try check("version", "2.9", "2.9", "le"))
        XCTAssertTrue(try check("version", "2.9", "3", "!="))
        assertJinjaError(.filter, "Version comparison failed: '<' not supported between instances of 'str' and 'int'") {
            try check("version", "1.0a", "1.0.1", "lt")
        }
        assertJinjaError(.filter, "Version comparison failed") { try check("version", "1.0a", "1.0.1", "==") }
        assertJinjaError(.filter, "Invalid operator type (foo).") { try check("version", "1.0", "1.0", "foo") }
        assertJinjaError(.filter, "Input version value cannot be empty") { try check("version", "", "1.0") }
        assertJinjaError(.filter, "Version parameter to compare against cannot be empty") { try check("version", "1.0", "") }
    }

    func testStrictSemverPep440() throws {
        XCTAssertTrue(try check("version", "2.0", "1.10", ">=", kwargs: ["strict": true]))
        XCTAssertTrue(try check("version", "1.0a1", "1.0", "<", kwargs: ["strict": true]))
        assertJinjaError(.filter, "invalid version number '1.0.x'") { try check("version", "1.0.x", "1.0", "<", kwargs: ["strict": true]) }
        XCTAssertTrue(try check("version", "1.0.0-rc.1", "1.0.0", "<", kwargs: ["version_type": "semver"]))
        XCTAssertTrue(try check("version", "1.0.0-alpha", "1.0.0-alpha.1", "<", kwargs: ["version_type": "semver"]))
        XCTAssertTrue(try check("version", "1.0.0-alpha.beta", "1.0.0-alpha.1", ">", kwargs: ["version_type": "semantic"]))
        XCTAssertTrue(try check("version", "1.0.0+b1", "1.0.0", "==", kwargs: ["version_type": "semver"]))
        assertJinjaError(.filter, "invalid semantic version '1.0'") { try check("version", "1.0", "1.0.0", "==", kwargs: ["version_type": "semver"]) }
        assertJinjaError(.filter, "Invalid version type (bad).") { try check("version", "1.0", "1.0", "==", kwargs: ["version_type": "bad"]) }
        assertJinjaError(.filter, "Cannot specify both 'strict' and 'version_type'") {
            try check("version", "1.0", "1.0", "==", kwargs: ["strict": true, "version_type": "semver"])
        }
        XCTAssertTrue(try check("version", "1.0rc1", "1.0", "<", kwargs: ["version_type": "pep440"]))
        XCTAssertTrue(try check("version", "1.0.post1", "1.0", ">", kwargs: ["version_type": "pep440"]))
        XCTAssertTrue(try check("version", "1.0.dev1", "1.0a1", "<", kwargs: ["version_type": "pep440"]))
        XCTAssertTrue(try check("version", "1.0", "1.0.0", "==", kwargs: ["version_type": "pep440"]))
    }

    func testRegexTests() throws {
        XCTAssertFalse(try check("match", "abc", "b"))
        XCTAssertTrue(try check("match", "abc", "a"))
        XCTAssertTrue(try check("search", "abc", "b"))
        XCTAssertTrue(try check("search", "ABC", "b", true))
        XCTAssertTrue(try check("regex", "abc", "B", kwargs: ["ignorecase": true]))
        XCTAssertFalse(try check("regex", "abc", "ab", kwargs: ["match_type": "fullmatch"]))
        XCTAssertTrue(try check("regex", "abc", "abc", kwargs: ["match_type": "fullmatch"]))
        XCTAssertTrue(try check("search", "a\nb", "^b", kwargs: ["multiline": true]))
        assertJinjaError(.filter, "Invalid regular expression") { try check("search", "a", "(") }
    }

    func testCollectionTests() throws {
        XCTAssertTrue(try check("subset", [1, 2], [1, 2, 3]))
        XCTAssertFalse(try check("issubset", [1, 4], [1, 2, 3]))
        XCTAssertTrue(try check("superset", [1, 2, 3], [1]))
        XCTAssertTrue(try check("contains", [1, 2], 2))
        XCTAssertTrue(try check("contains", "abc", "b"))
        XCTAssertFalse(try check("contains", ["a": 1], "b"))
        XCTAssertTrue(try check("any", [0, 1]))
        XCTAssertFalse(try check("all", [0, 1]))
        XCTAssertTrue(try check("all", []))
        assertJinjaError(.type, "'int' object is not iterable") { try check("any", 5) }
    }

    func testTruthiness() throws {
        XCTAssertTrue(try check("truthy", "no"))
        XCTAssertFalse(try check("truthy", "no", kwargs: ["convert_bool": true]))
        XCTAssertTrue(try check("falsy", "no", kwargs: ["convert_bool": true]))
        XCTAssertTrue(try check("falsy", ""))
        XCTAssertTrue(try check("truthy", "maybe", kwargs: ["convert_bool": true]))
        XCTAssertTrue(try check("nan", .float(.nan)))
        XCTAssertFalse(try check("nan", 1))
        XCTAssertFalse(try check("isnan", "nan"))
    }

    func testTaskResultTests() throws {
        XCTAssertTrue(try check("failed", ["failed": true]))
        XCTAssertTrue(try check("succeeded", ["failed": false]))
        XCTAssertTrue(try check("success", ["rc": 0]))
        assertJinjaError(.filter, "The 'failed' test expects a dictionary") { try check("failed", 5) }
        XCTAssertFalse(try check("changed", ["changed": false, "results": [["changed": true]]]))
        XCTAssertTrue(try check("changed", ["results": [["changed": true]]]))
        XCTAssertFalse(try check("change", [:]))
        XCTAssertTrue(try check("skipped", ["skipped": true]))
        XCTAssertFalse(try check("skip", [:]))
        XCTAssertFalse(try check("reachable", ["unreachable": true]))
        XCTAssertTrue(try check("unreachable", ["unreachable": true]))
        XCTAssertTrue(try check("finished", ["finished": 1]))
        XCTAssertTrue(try check("started", [:]))
        XCTAssertTrue(try check("timedout", ["timedout": ["period": 5]]))
        XCTAssertFalse(try check("timedout", [:]))
    }

    func testFileTests() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jinja-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("f.txt").path
        let vault = dir.appendingPathComponent("v.yml").path
        let link = dir.appendingPathComponent("l").path
        try "hello".write(toFile: file, atomically: true, encoding: .utf8)
        try "$ANSIBLE_VAULT;1.1;AES256\n6162".write(toFile: vault, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: file)
        XCTAssertTrue(try check("directory", .string(dir.path)))
        XCTAssertFalse(try check("directory", .string(file)))
        XCTAssertTrue(try check("file", .string(file)))
        XCTAssertTrue(try check("file", .string(link)))
        XCTAssertTrue(try check("link", .string(link)))
        XCTAssertFalse(try check("is_link", .string(file)))
        XCTAssertTrue(try check("exists", .string(file)))
        XCTAssertFalse(try check("exists", "/nonexistent/path"))
        XCTAssertTrue(try check("link_exists", .string(link)))
        XCTAssertTrue(try check("abs", "/etc"))
        XCTAssertFalse(try check("is_abs", "etc"))
        XCTAssertTrue(try check("mount", "/"))
        XCTAssertFalse(try check("mount", .string(file)))
        XCTAssertTrue(try check("same_file", .string(link), .string(file)))
        assertJinjaError(.runtime, "No such file or directory") { try check("same_file", "/nonexistent", .string(file)) }
        XCTAssertTrue(try check("vaulted_file", .string(vault)))
        XCTAssertFalse(try check("vaulted_file", .string(file)))
        assertJinjaError(.filter, "Cannot test if the file '/nonexist' is a vault") { try check("vaulted_file", "/nonexist") }
        XCTAssertTrue(try check("vault_encrypted", .vault("$ANSIBLE_VAULT;1.1;AES256\n31")))
        XCTAssertFalse(try check("vault_encrypted", "x"))
    }

    func testURITests() throws {
        XCTAssertTrue(try check("url", "https://x.y/z"))
        XCTAssertFalse(try check("url", "mailto:a@b"))
        XCTAssertTrue(try check("url", "file:///etc"))
        XCTAssertTrue(try check("urn", "urn:isbn:123"))
        XCTAssertTrue(try check("uri", "x"))
        XCTAssertFalse(try check("uri", "http://x", ["ftp"]))
        XCTAssertFalse(try check("uri", 5))
    }

    func testDefinedWrappersStillAcceptUndefined() throws {
        XCTAssertFalse(try check("defined", undefinedX))
        XCTAssertTrue(try check("undefined", undefinedX))
        XCTAssertNotNil(FilterHarness.ansible.tests["undefined"]?.acceptsUndefined == true ? true : nil)
    }
}
