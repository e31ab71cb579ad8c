import Foundation
import XCTest
import Jinja
@testable import Troupe

final class FileModuleCopyTests: XCTestCase {
    var pb: FilePlaybookHarness!
    override func setUpWithError() throws { pb = try FilePlaybookHarness() }
    override func tearDown() { pb.remove() }

    private func result(_ rec: RecordingCallback, _ task: String) throws -> OrderedDict {
        try XCTUnwrap(rec.results[task]?.last?.dictValue, "no result for \(task): \(rec.lines)")
    }

    func testCopyFileFromFilesDirectoryIsIdempotent() throws {
        try pb.write("files/motd", "hello\n")
        let play = """
        - hosts: localhost
          gather_facts: false
          tasks:
            - name: copy it
              copy: src=motd dest=\(pb.path)/out/ mode=0640
        """
        var (rc, rec) = try pb.run(play, options: { var o = ExecutionOptions(); o.check = true; return o }())
        XCTAssertEqual(rc, 0, "\(rec.results)")
        XCTAssertEqual(rec.lines, ["play localhost", "task copy it", "changed localhost"])
        XCTAssertNil(pb.read("out/motd"))

        (rc, rec) = try pb.run(play, options: { var o = ExecutionOptions(); o.diff = true; return o }())
        XCTAssertEqual(rec.lines.last, "changed localhost")
        var r = try result(rec, "copy it")
        XCTAssertEqual(pb.read("out/motd"), "hello\n")
        XCTAssertEqual(r["checksum"], "f572d396fae9206628714fb2ce00f72e94f2258f")
        XCTAssertEqual(r["md5sum"], "b1946ac92492d2347c6235b4d2611184")
        XCTAssertEqual(r["dest"], .string(pb.path + "/out/motd"))
        XCTAssertEqual(r["src"], .string(pb.path + "/files/motd"))
        XCTAssertEqual(r["mode"], "0640")
        XCTAssertEqual(r["size"], 6)
        XCTAssertEqual(r["state"], "file")
        XCTAssertEqual(r["diff"], [["before": "", "after": "hello\n", "after_header": .string(pb.path + "/files/motd")]])

        (rc, rec) = try pb.run(play)
        XCTAssertEqual(rec.lines.last, "ok localhost")
        r = try result(rec, "copy it")
        XCTAssertEqual(r["changed"], false)
        XCTAssertEqual(r["path"], .string(pb.path + "/out/motd"))
        XCTAssertNil(r["md5sum"])
    }

    func testContentBackupForceAndValidate() throws {
        let dest = pb.path + "/c.txt"
        try pb.write("c.txt", "old\n")
        chmod(dest, 0o600)
        let (_, rec) = try pb.run("""
        - hosts: localhost
          gather_facts: false
          tasks:
            - name: keep
              copy: content="new" dest=\(dest) force=no
            - name: invalid
              copy: content="new" dest=\(dest) validate="false %s"
              ignore_errors: true
            - name: replace
              copy: content="new" dest=\(dest) backup=yes
            - name: bogus
              copy: content=x dest=\(dest) colour=red
              ignore_errors: true
            - name: nothing
              copy: dest=\(dest)
              ignore_errors: true
        """)
        XCTAssertEqual(try result(rec, "keep")["changed"], false)
        let invalid = try result(rec, "invalid")
        XCTAssertEqual(invalid["msg"], "failed to validate")
        XCTAssertEqual(invalid["exit_status"], 1)
        let replaced = try result(rec, "replace")
        XCTAssertEqual(replaced["changed"], true)
        XCTAssertEqual(try String(contentsOfFile: dest, encoding: .utf8), "new")
        XCTAssertEqual(replaced["mode"], "0600", "replacing keeps the file's permissions")
        let backup = try XCTUnwrap(replaced["backup_file"]?.stringValue)
        XCTAssertTrue(backup.hasPrefix(dest + ".") && backup.hasSuffix("~"))
        XCTAssertEqual(try String(contentsOfFile: backup, encoding: .utf8), "old\n")
        XCTAssertTrue(try result(rec, "bogus")["msg"]?.stringValue?.hasPrefix("Unsupported parameters for (copy) module: colour") ?? false)
        XCTAssertEqual(try result(rec, "nothing")["msg"], "src (or content) is required")
    }

    func testDirectoryCopyTrailingSlashRuleAndRemoteSrc() throws {
        try pb.write("files/tree/one", "1\n")
        try pb.write("files/tree/sub/two", "2\n")
        let play = """
        - hosts: localhost
          gather_facts: false
          tasks:
            - name: whole
              copy: src=tree dest=\(pb.path)/a/
            - name: contents
              copy: src=tree/ dest=\(pb.path)/b
            - name: remote
              copy: src=\(pb.path)/files/tree/sub/two dest=\(pb.path)/two.txt remote_src=yes
            - name: remote tree
              copy: src=\(pb.path)/files/tree/ dest=\(pb.path)/rt remote_src=yes
        """
        var (_, rec) = try pb.run(play, options: { var o = ExecutionOptions(); o.check = true; return o }())
        XCTAssertEqual(rec.lines.filter { $0.hasPrefix("changed") }.count, 4, "\(rec.lines)")
        XCTAssertNil(pb.read("a/tree/one"))
        (_, rec) = try pb.run(play)
        XCTAssertEqual(rec.lines.filter { $0.hasPrefix("changed") }.count, 4, "\(rec.lines)")
        XCTAssertEqual(pb.read("a/tree/one"), "1\n")
        XCTAssertEqual(pb.read("a/tree/sub/two"), "2\n")
        XCTAssertEqual(pb.read("b/one"), "1\n")
        XCTAssertEqual(pb.read("b/sub/two"), "2\n")
        XCTAssertEqual(pb.read("two.txt"), "2\n")
        XCTAssertEqual(pb.read("rt/sub/two"), "2\n")
        XCTAssertEqual(try result(rec, "whole")["dest"], .string(pb.path + "/a/"))
        (_, rec) = try pb.run(play)
        XCTAssertEqual(rec.lines.filter { $0.hasPrefix("changed") }, [], "\(rec.lines)")
    }

    func testStructuredContentIsJSONAndModePreserve() throws {
        try pb.write("files/script.sh", "#!/bin/sh\n")
        chmod(pb.path + "/files/script.sh", 0o750)
        let (_, rec) = try pb.run("""
        - hosts: localhost
          gather_facts: false
          tasks:
            - name: json
              copy:
                content: {a: 1, b: [x]}
                dest: \(pb.path)/data.json
            - name: preserve
              copy: src=script.sh dest=\(pb.path)/script.sh mode=preserve
        """)
        XCTAssertEqual(pb.read("data.json"), #"{"a": 1, "b": ["x"]}"#)
        XCTAssertEqual(try result(rec, "preserve")["mode"], "0750")
    }

    func testMissingSourceMessage() throws {
        let (rc, rec) = try pb.run("""
        - hosts: localhost
          gather_facts: false
          tasks:
            - name: missing
              copy: src=nothere dest=\(pb.path)/x
        """)
        XCTAssertEqual(rc, 2)
        XCTAssertEqual(try result(rec, "missing")["msg"], "Could not find or access 'nothere' on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option")
    }

    func testTemplateCopiesRenderedTextAndRejectsBadParameter() throws {
        // A template without markup needs no Jinja rendering engine beyond pass-through.
        try pb.write("templates/plain.j2", "no markup here\n")
        let (_, rec) = try pb.run("""
        - hosts: localhost
          gather_facts: false
          tasks:
            - name: plain
              template: src=plain.j2 dest=\(pb.path)/plain.txt
            - name: bad
              template: src=plain.j2 dest=\(pb.path)/plain.txt nope=1
              ignore_errors: true
            - name: missing
              template: src=absent.j2 dest=\(pb.path)/x
              ignore_errors: true
        """)
        let bad = try result(rec, "bad")
        XCTAssertTrue(bad["msg"]?.stringValue?.hasPrefix("Unsupported parameters for (template) module: nope") ?? false)
        XCTAssertTrue(try result(rec, "missing")["msg"]?.stringValue?.hasPrefix("Could not find or access 'absent.j2'") ?? false)
        // Rendering relies on the Jinja engine; when it is present the file must be installed.
        let plain = try result(rec, "plain")
        if plain["failed"] != true {
            XCTAssertEqual(pb.read("plain.txt"), "no markup here\n")
            XCTAssertEqual(plain["changed"], true)
        }
    }

    /// NOTE: needs the Jinja engine (developed in parallel). Until it lands this test fails
    /// with "template rendering is not implemented yet"; afterwards it must pass.
    func testTemplateRendersExpressionWithTemplateDefaults() throws {
        try pb.write("templates/sum.j2", "x={{ 1 + 1 }}\n{% if true %}\nyes\n{% endif %}\n")
        try pb.write("templates/vars.j2", "hello {{ who }} {{ template_destpath == dest }}\n")
        let play = """
        - hosts: localhost
          gather_facts: false
          vars:
            who: world
            dest: \(pb.path)/vars.txt
          tasks:
            - name: render
              template: src=sum.j2 dest=\(pb.path)/sum.txt
            - name: vars
              template:
                src: vars.j2
                dest: \(pb.path)/vars.txt
                newline_sequence: '\\r\\n'
        """
        var (_, rec) = try pb.run(play)
        XCTAssertEqual(pb.read("sum.txt"), "x=2\nyes\n")
        XCTAssertEqual(try result(rec, "render")["checksum"], "a04933c5a1e2faf10a3fd67af99b5c9d955221bc")
        XCTAssertEqual(pb.read("vars.txt"), "hello world True\r\n", "\(rec.results["vars"] ?? [])")
        (_, rec) = try pb.run(play)
        XCTAssertEqual(rec.lines.filter { $0.hasPrefix("changed") }, [])
    }
}
