import Foundation
import Jinja
@testable import Troupe
import XCTest

/// Issue #12's bugs whose symptom the conformance normaliser does not see (the order of
/// a diff and its status line, warnings, bytes written, ad hoc output). The expectations
/// are what ansible-core 2.19 printed or wrote for the same playbooks; the rest of those
/// bugs is covered by the content_* conformance fixtures.
final class PublicContentTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-content-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func playbook(_ text: String, _ arguments: [String] = [], inventory: String = "localhost,") throws -> TroupeBinary.Output {
        try text.write(to: directory.appendingPathComponent("play.yml"), atomically: true, encoding: .utf8)
        return try TroupeBinary.run(["playbook", "-i", inventory] + arguments + ["play.yml"], in: directory.path)
    }

    /// ansible-core sends the diff before the `changed:` line.
    func testDiffComesBeforeTheStatusLine() throws {
        let target = directory.appendingPathComponent("diffed.txt").path
        let output = try playbook("""
        - hosts: localhost
          connection: local
          gather_facts: false
          tasks:
            - copy: content="a\\nb\\n" dest=\(target)
        """, ["--check", "--diff"])
        XCTAssertEqual(output.status, 0, output.combined)
        let lines = output.combined.components(separatedBy: "\n")
        let diffLine = try XCTUnwrap(lines.firstIndex(of: "+++ after: \(target)"), output.combined)
        let changedLine = try XCTUnwrap(lines.firstIndex(of: "changed: [localhost]"), output.combined)
        XCTAssertLessThan(diffLine, changedLine, output.combined)
        XCTAssertEqual(Array(lines[(diffLine + 1)...(diffLine + 3)]), ["@@ -0,0 +1,2 @@", "+a", "+b"])
    }

    /// `content="line1\nline2\n"` writes two lines, as ansible-core's parse_kv decodes escapes.
    func testKeyValueEscapesAreDecoded() throws {
        let target = directory.appendingPathComponent("escaped.txt").path
        let output = try playbook("""
        - hosts: localhost
          connection: local
          gather_facts: false
          tasks:
            - copy: content="line1\\nline2\\n" dest=\(target)
            - lineinfile: path=\(target) regexp="^line2$" line="second\\tline"
        """)
        XCTAssertEqual(output.status, 0, output.combined)
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "line1\nsecond\tline\n")
    }

    func testKeyValueParserDecodesLikeParseKV() {
        let parsed = KeyValueParser.parse(#"a="x\ny" b='q\"r' c=\x41\u00e9 d="e\=f" g=h\\i"#, checkRaw: false)
        XCTAssertEqual(parsed["a"], "x\ny")
        XCTAssertEqual(parsed["b"], "q\"r")
        XCTAssertEqual(parsed["c"], "Aé")
        XCTAssertEqual(parsed["d"], "e\\=f")
        XCTAssertEqual(parsed["g"], "h\\i")
        // Free-form command words keep their text: the shell decodes them.
        XCTAssertEqual(KeyValueParser.parse(#"echo "a\nb" chdir=/tmp"#, checkRaw: true)["_raw_params"], #"echo "a\nb""#)
    }

    /// Free-form commands keep the layout ansible-core's split_args/join_args give them
    /// (expected values from ansible-core's parse_kv with check_raw=True).
    func testFreeFormCommandsKeepAnsibleCoreLayout() {
        func raw(_ text: String) -> Value? { KeyValueParser.parse(text, checkRaw: true)["_raw_params"] }
        XCTAssertEqual(raw("echo a=b  c=\"x  y\" \\\n and more"), "echo a=b  c=\"x  y\" and more")
        XCTAssertEqual(raw("echo this is a \\\n\"multi line\" \\\n| cat\necho second\n"),
                       "echo this is a \"multi line\" | cat\necho second\n")
        let parsed = KeyValueParser.parse("ls\t-l  /tmp creates=/x", checkRaw: true)
        XCTAssertEqual(parsed["_raw_params"], "ls\t-l  /tmp")
        XCTAssertEqual(parsed["creates"], "/x")
        XCTAssertEqual(raw("echo {{ a }}  {{ b|default(\"x y\") }}"), "echo {{ a }}  {{ b|default(\"x y\") }}")
        XCTAssertEqual(raw("msg=\"hello world\" other=1"), "msg=\"hello world\" other=1")
    }

    /// ansible-core warns once per run about group names it keeps despite invalid characters.
    func testGroupByWarnsOnceAboutInvalidCharacters() throws {
        let inventory = directory.appendingPathComponent("hosts")
        try "a ansible_connection=local\nb ansible_connection=local\n".write(to: inventory, atomically: true, encoding: .utf8)
        let output = try playbook("""
        - hosts: all
          gather_facts: false
          tasks:
            - group_by: key="bad-{{ inventory_hostname }}"
            - group_by: key=fine_name
        """, inventory: inventory.path)
        XCTAssertEqual(output.status, 0, output.combined)
        let warning = "[WARNING]: Invalid characters were found in group names but not replaced, use -vvvv to see details"
        XCTAssertEqual(output.combined.components(separatedBy: warning).count - 1, 1, output.combined)
        XCTAssertTrue(output.combined.contains("changed: [a]") && output.combined.contains("changed: [b]"), output.combined)
    }

    /// `ansible -m setup` prints facts with their `ansible_` prefix, python facts included.
    func testAdHocSetupKeepsThePrefixAndHasPythonFacts() throws {
        let output = try TroupeBinary.run(["adhoc", "localhost", "-c", "local", "-m", "setup", "-a", "filter=ansible_python*"],
                                          in: directory.path)
        XCTAssertEqual(output.status, 0, output.combined)
        let json = try XCTUnwrap(output.stdout.range(of: "=> ").map { String(output.stdout[$0.upperBound...]) })
        let facts = try XCTUnwrap(Value.parseJSON(json)["ansible_facts"]?.dictValue, output.combined)
        XCTAssertEqual(Set(facts.keys), ["ansible_python", "ansible_python_version"])
        XCTAssertEqual(facts["ansible_python"]?["version"]?["major"], 3)
        XCTAssertEqual(facts["ansible_python"]?["type"], "CPython")
    }
}
