import Foundation
import XCTest
import Jinja
@testable import Troupe

final class FileModuleEditTests: XCTestCase {
    var box: FileModuleSandbox!
    override func setUpWithError() throws { box = try FileModuleSandbox() }
    override func tearDown() { box.remove() }

    func testLineInFileAddReplaceRemove() throws {
        try box.write("li", "a\nb\n")
        let p = Value.string(box.path("li"))
        let predicted = try box.run(LineInFileModule(), ["path": p, "line": "c"], check: true)
        XCTAssertTrue(predicted.isChanged)
        XCTAssertEqual(box.read("li"), "a\nb\n")

        let added = try box.run(LineInFileModule(), ["path": p, "line": "c"], diff: true)
        XCTAssertEqual(added["msg"], "line added")
        XCTAssertEqual(added["backup"], "")
        XCTAssertEqual(box.read("li"), "a\nb\nc\n")
        XCTAssertEqual(added["diff"]?.listValue?.first,
                       ["before": "a\nb\n", "after": "a\nb\nc\n", "before_header": .string(box.path("li") + " (content)"),
                        "after_header": .string(box.path("li") + " (content)")])
        let again = try box.run(LineInFileModule(), ["path": p, "line": "c"])
        XCTAssertFalse(again.isChanged)
        XCTAssertEqual(again["msg"], "")

        let replaced = try box.run(LineInFileModule(), ["path": p, "regexp": "^a", "line": "A", "backup": true])
        XCTAssertEqual(replaced["msg"], "line replaced")
        XCTAssertEqual(box.read("li"), "A\nb\nc\n")
        let backup = try XCTUnwrap(replaced["backup"]?.stringValue)
        XCTAssertEqual(try String(contentsOfFile: backup, encoding: .utf8), "a\nb\nc\n")

        _ = try box.run(LineInFileModule(), ["path": p, "line": "first", "insertbefore": "BOF"])
        _ = try box.run(LineInFileModule(), ["path": p, "line": "after-b", "insertafter": "^b"])
        XCTAssertEqual(box.read("li"), "first\nA\nb\nafter-b\nc\n")
        let backref = try box.run(LineInFileModule(), ["path": p, "regexp": "^after-(?P<x>\\w)$", "line": "B=\\g<x>", "backrefs": true])
        XCTAssertTrue(backref.isChanged)
        XCTAssertEqual(box.read("li"), "first\nA\nb\nB=b\nc\n")
        XCTAssertFalse(try box.run(LineInFileModule(), ["path": p, "regexp": "^zz", "line": "y", "backrefs": true]).isChanged)

        let removed = try box.run(LineInFileModule(), ["path": p, "regexp": "^[AB]", "state": "absent"])
        XCTAssertEqual(removed["msg"], "2 line(s) removed")
        XCTAssertEqual(removed["found"], 2)
        XCTAssertEqual(box.read("li"), "first\nb\nc\n")

        let mode = try box.run(LineInFileModule(), ["path": p, "line": "c", "mode": "0600"])
        XCTAssertEqual(mode["msg"], "ownership, perms or SE linux context changed")
        XCTAssertEqual(box.mode("li"), 0o600)
    }

    func testLineInFileKeepsCRLFLines() throws {
        try box.write("crlf", "a\r\nb\r\n")
        let p = Value.string(box.path("crlf"))
        XCTAssertTrue(try box.run(LineInFileModule(), ["path": p, "line": "c"]).isChanged)
        XCTAssertEqual(box.read("crlf"), "a\r\nb\r\nc\n")
        XCTAssertFalse(try box.run(LineInFileModule(), ["path": p, "line": "c"]).isChanged)
    }

    func testLineInFileErrors() throws {
        let missing = try box.run(LineInFileModule(), ["path": .string(box.path("nope")), "line": "x"])
        XCTAssertEqual(missing["msg"], .string("Destination \(box.path("nope")) does not exist !"))
        XCTAssertEqual(missing["rc"], 257)
        XCTAssertEqual(try box.run(LineInFileModule(), ["path": "/tmp"])["msg"], "line is required with state=present")
        let exclusive = try box.run(LineInFileModule(), ["path": "/tmp/x", "line": "a", "insertafter": "a", "insertbefore": "b"])
        XCTAssertEqual(exclusive["msg"], "parameters are mutually exclusive: insertbefore|insertafter")
        let created = try box.run(LineInFileModule(), ["path": .string(box.path("new/file")), "line": "x", "create": true])
        XCTAssertTrue(created.isChanged)
        XCTAssertEqual(box.read("new/file"), "x\n")
    }

    func testBlockInFile() throws {
        try box.write("bi", "a\nb\n")
        let p = Value.string(box.path("bi"))
        let checked = try box.run(BlockInFileModule(), ["path": p, "block": "x\ny"], check: true)
        XCTAssertTrue(checked.isChanged)
        XCTAssertEqual(box.read("bi"), "a\nb\n")
        let inserted = try box.run(BlockInFileModule(), ["path": p, "block": "x\ny"], diff: true)
        XCTAssertEqual(inserted["msg"], "Block inserted")
        XCTAssertEqual(box.read("bi"), "a\nb\n# BEGIN ANSIBLE MANAGED BLOCK\nx\ny\n# END ANSIBLE MANAGED BLOCK\n")
        XCTAssertEqual(inserted["diff"]?.listValue?.first?["after"], .string(box.read("bi")!))
        let same = try box.run(BlockInFileModule(), ["path": p, "block": "x\ny", "insertbefore": "BOF"])
        XCTAssertFalse(same.isChanged)
        let updated = try box.run(BlockInFileModule(), ["path": p, "block": "z", "marker": "// {mark} cfg", "insertafter": "^a"])
        XCTAssertTrue(updated.isChanged)
        XCTAssertEqual(box.read("bi"), "a\n// BEGIN cfg\nz\n// END cfg\nb\n# BEGIN ANSIBLE MANAGED BLOCK\nx\ny\n# END ANSIBLE MANAGED BLOCK\n")
        let removed = try box.run(BlockInFileModule(), ["path": p, "state": "absent"])
        XCTAssertEqual(removed["msg"], "Block removed")
        XCTAssertEqual(box.read("bi"), "a\n// BEGIN cfg\nz\n// END cfg\nb\n")
        let missing = try box.run(BlockInFileModule(), ["path": .string(box.path("none")), "block": "x"])
        XCTAssertEqual(missing["msg"], .string("Path \(box.path("none")) does not exist !"))
        XCTAssertTrue(try box.run(BlockInFileModule(), ["path": p, "blok": "x"]).isFailed)
    }

    func testReplaceWithNamedGroupsAndSections() throws {
        try box.write("rp", "host=a\nport=1\nhost=b\n")
        let p = Value.string(box.path("rp"))
        let checked = try box.run(ReplaceModule(), ["path": p, "regexp": "^host=(?P<h>\\w+)$", "replace": "server=\\g<h>"], check: true)
        XCTAssertEqual(checked["msg"], "2 replacements made")
        XCTAssertEqual(box.read("rp"), "host=a\nport=1\nhost=b\n")
        let r = try box.run(ReplaceModule(), ["path": p, "regexp": "^host=(?P<h>\\w+)$", "replace": "server=\\g<h>"], diff: true)
        XCTAssertEqual(r["msg"], "2 replacements made")
        XCTAssertEqual(r["rc"], 0)
        XCTAssertEqual(box.read("rp"), "server=a\nport=1\nserver=b\n")
        XCTAssertEqual(r["diff"]?["after"], "server=a\nport=1\nserver=b\n")
        XCTAssertFalse(try box.run(ReplaceModule(), ["path": p, "regexp": "^host=(?P<h>\\w+)$", "replace": "server=\\g<h>"]).isChanged)
        let section = try box.run(ReplaceModule(), ["path": p, "regexp": "^server=(\\w+)$", "replace": "srv=\\1", "after": "port"])
        XCTAssertEqual(section["msg"], "1 replacements made")
        XCTAssertEqual(box.read("rp"), "server=a\nport=1\nsrv=b\n")
        let missing = try box.run(ReplaceModule(), ["path": p])
        XCTAssertEqual(missing["msg"], "missing required arguments: regexp")
    }

    func testPythonRegexTranslation() throws {
        // Python-only syntax works: named groups, backreferences by name, \Z, a ']' first in a class.
        XCTAssertTrue(try PythonRegex("(?P<a>x)(?P=a)[]a]\\Z").matches("xx]"))
        XCTAssertFalse(try PythonRegex("(?P<a>x)(?P=a)\\Z").matches("xy"))
        let re = try PythonRegex("(\\d+)-(\\d+)")
        let text = "10-20"
        let m = try XCTUnwrap(re.firstMatch(in: text))
        XCTAssertEqual(re.expand("\\2:\\g<1>\\n", match: m, in: text), "20:10\n")
    }
}
