import XCTest
import Jinja
@testable import Troupe

final class YAMLLoaderTests: XCTestCase {
    func testAnsibleScalarRules() throws {
        let yaml = """
        a: yes
        b: off
        c: 1e3
        d: 0o17
        e: 017
        f: 1.5
        g: "yes"
        h: ~
        i: 0x1F
        j: 1:30
        k: !unsafe "{{ x }}"
        l: 1.0e+3
        """
        let node = try XCTUnwrap(YAMLLoader().load(yaml, file: "t.yml"))
        let v = node.value
        XCTAssertEqual(v["a"], .bool(true))
        XCTAssertEqual(v["b"], .bool(false))
        XCTAssertEqual(v["c"], .string("1e3"))
        XCTAssertEqual(v["d"], .string("0o17"))
        XCTAssertEqual(v["e"], .int(15))
        XCTAssertEqual(v["f"], .float(1.5))
        XCTAssertEqual(v["g"], .string("yes"))
        XCTAssertEqual(v["h"], .null)
        XCTAssertEqual(v["i"], .int(31))
        XCTAssertEqual(v["j"], .int(90))
        guard case .unsafe("{{ x }}")? = v["k"] else { return XCTFail("expected unsafe, got \(String(describing: v["k"]))") }
        XCTAssertEqual(v["l"], .float(1000))
    }

    func testDuplicateKeysWarnAndLastWins() throws {
        final class Box: @unchecked Sendable { var warnings: [String] = [] }
        let box = Box()
        let loader = YAMLLoader(warn: { box.warnings.append($0) })
        let node = try XCTUnwrap(loader.load("a: 1\na: 2\n", file: "d.yml"))
        XCTAssertEqual(node.value["a"], 2)
        XCTAssertEqual(box.warnings.count, 1)
    }

    func testPositionsAndErrors() throws {
        let node = try XCTUnwrap(YAMLLoader().load("- name: x\n  debug: {}\n", file: "p.yml"))
        let entry = try XCTUnwrap(node.items?.first?.entry("debug"))
        XCTAssertEqual(entry.keyLocation, SourceLocation(file: "p.yml", line: 2, column: 3))
        XCTAssertThrowsError(try YAMLLoader().load("a: [1, 2\nb: 3\n", file: "bad.yml")) { error in
            let e = error as? TroupeError
            XCTAssertEqual(e?.code, .parse)
            XCTAssertEqual(e?.location?.file, "bad.yml")
        }
    }

    func testMergeKeys() throws {
        let yaml = "base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\n"
        let v = try XCTUnwrap(YAMLLoader().load(yaml, file: "m.yml")).value
        XCTAssertEqual(v["derived"], ["y": 3, "x": 1])
    }
}
