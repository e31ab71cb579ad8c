import Foundation
import Jinja
import XCTest
@testable import Troupe

final class DisplayTests: XCTestCase {
    func testBannerPadsToEightyColumnsWithAtLeastThreeStars() {
        let out = CapturedOutput()
        let display = out.makeDisplay()
        display.banner("PLAY [x]")
        XCTAssertEqual(out.stdout, "\nPLAY [x] " + String(repeating: "*", count: 71) + "\n")
        XCTAssertEqual(out.stdout.count, 82) // leading newline + 80 columns + newline

        out.stdout = ""
        display.banner("TASK [" + String(repeating: "n", count: 100) + "]")
        XCTAssertTrue(out.stdout.hasSuffix("] ***\n"))
    }

    func testBannerCountsWideCharactersAsTwoColumns() {
        let out = CapturedOutput()
        out.makeDisplay().banner("TASK [日本]")
        // "TASK [日本]" is 11 columns wide, so 79 - 11 stars follow.
        XCTAssertEqual(out.stdout, "\nTASK [日本] " + String(repeating: "*", count: 68) + "\n")
    }

    func testDisplayColoursEachLineAndNormalisesCRLF() {
        let out = CapturedOutput()
        let display = out.makeDisplay(color: true)
        display.display("a\r\nb", color: "green")
        XCTAssertEqual(out.stdout, "\u{1B}[0;32ma\u{1B}[0m\n\u{1B}[0;32mb\u{1B}[0m\n")
        out.stdout = ""
        display.display("plain", color: nil)
        XCTAssertEqual(out.stdout, "plain\n")
    }

    func testColoursOffWhenDisabled() {
        let out = CapturedOutput()
        out.makeDisplay(color: false).display("x", color: "red")
        XCTAssertEqual(out.stdout, "x\n")
    }

    func testNamedAndNumericColours() {
        XCTAssertEqual(DisplayColor("bright purple").sgrParameters, "1;35")
        XCTAssertEqual(DisplayColor("dark gray").sgrParameters, "1;30")
        XCTAssertEqual(DisplayColor("color123").sgrParameters, "38;5;123")
        XCTAssertEqual(DisplayColor("rgb520").sgrParameters, "38;5;208")
        XCTAssertEqual(DisplayColor("gray7").sgrParameters, "38;5;239")
        XCTAssertNil(DisplayColor("nonsense").sgrParameters)
        XCTAssertEqual(DisplayColor("nonsense").apply(to: "x"), "x")
    }

    func testColorPolicyFollowsAnsibleRules() {
        let term = ["TERM": "xterm"]
        XCTAssertTrue(ColorPolicy.colorEnabled(stdoutIsTTY: true, environment: term))
        XCTAssertFalse(ColorPolicy.colorEnabled(stdoutIsTTY: false, environment: term), "no tty, no colour")
        XCTAssertFalse(ColorPolicy.colorEnabled(stdoutIsTTY: true, environment: ["TERM": "dumb"]))
        XCTAssertFalse(ColorPolicy.colorEnabled(stdoutIsTTY: true, environment: [:]), "unknown terminal")
        XCTAssertFalse(ColorPolicy.colorEnabled(stdoutIsTTY: true, environment: term.merging(["NO_COLOR": "1"]) { $1 }))
        XCTAssertFalse(ColorPolicy.colorEnabled(stdoutIsTTY: true, environment: term.merging(["ANSIBLE_NOCOLOR": "yes"]) { $1 }))
        // NO_COLOR is read as an Ansible boolean, and it is the later of the two spellings.
        XCTAssertTrue(ColorPolicy.colorEnabled(stdoutIsTTY: true, environment: term.merging(["NO_COLOR": "false", "ANSIBLE_NOCOLOR": "1"]) { $1 }))
        XCTAssertTrue(ColorPolicy.colorEnabled(stdoutIsTTY: false, environment: ["ANSIBLE_FORCE_COLOR": "1"]))
        XCTAssertTrue(ColorPolicy.colorEnabled(stdoutIsTTY: false, environment: ["ANSIBLE_FORCE_COLOR": "true", "NO_COLOR": "1"]),
                      "force_color wins, as in ansible")
        XCTAssertFalse(ColorPolicy.colorEnabled(stdoutIsTTY: true, noColor: true, forceColor: false, environment: term))
        XCTAssertTrue(ColorPolicy.colorEnabled(stdoutIsTTY: false, noColor: false, forceColor: true, environment: [:]))
    }

    func testWarningsGoToStderrOnceWithBlankLineAfterMultiLineText() {
        let out = CapturedOutput()
        let display = out.makeDisplay()
        display.warning("Could not match supplied host pattern, ignoring: nomatch")
        display.warning("Could not match supplied host pattern, ignoring: nomatch")
        display.warning("first\nsecond\n")
        XCTAssertEqual(out.stdout, "")
        XCTAssertEqual(out.stderr, "[WARNING]: Could not match supplied host pattern, ignoring: nomatch\n[WARNING]: first\nsecond\n\n")
    }

    func testDeprecationWarningsAsAnsiblePrintsThem() {
        let out = CapturedOutput()
        let display = out.makeDisplay()
        display.deprecated("The '-o' argument is deprecated.", version: "2.23")
        display.deprecated("The oneline callback plugin is deprecated.", version: "2.23")
        XCTAssertEqual(out.stderr, """
        [WARNING]: Deprecation warnings can be disabled by setting `deprecation_warnings=False` in ansible.cfg.
        [DEPRECATION WARNING]: The '-o' argument is deprecated. This feature will be removed from ansible-core version 2.23.
        [DEPRECATION WARNING]: The oneline callback plugin is deprecated. This feature will be removed from ansible-core version 2.23.

        """)
        out.stderr = ""
        display.deprecationWarningsEnabled = false
        display.deprecated("hidden")
        XCTAssertEqual(out.stderr, "")
    }

    func testErrorsDefaultToStderr() {
        let out = CapturedOutput()
        let display = out.makeDisplay(color: true)
        display.error("the playbook: missing.yml could not be found")
        XCTAssertEqual(out.stderr, "\u{1B}[0;31m[ERROR]: the playbook: missing.yml could not be found\u{1B}[0m\n")
        display.error("on stdout", stderr: false)
        XCTAssertEqual(out.stdout, "\u{1B}[0;31m[ERROR]: on stdout\u{1B}[0m\n")
    }

    func testVerbosityGatesVerboseLines() {
        let out = CapturedOutput()
        let display = out.makeDisplay(verbosity: 2)
        display.v("one")
        display.vv("two")
        display.vvv("three")
        display.verbose("EXEC /bin/sh", host: "web1", level: 2)
        XCTAssertEqual(out.stdout, "one\ntwo\n<web1> EXEC /bin/sh\n")
        display.verboseToStderr = true
        display.v("err")
        XCTAssertEqual(out.stderr, "err\n")
    }

    func testSinkCanBeSwappedToCaptureOneEvent() {
        let display = Display { _, _ in }
        var captured: [String] = []
        display.setSink { text, _ in captured.append(text) }
        display.display("ok: [h]")
        XCTAssertEqual(captured, ["ok: [h]\n"])
    }

    func testNewlineHandling() {
        let out = CapturedOutput()
        let display = out.makeDisplay()
        display.display("no newline", newline: false)
        display.display("ends\n")
        display.display("")
        XCTAssertEqual(out.stdout, "no newlineends\n\n")
    }

    func testLogOnlyAndScreenOnlyWithLogFile() throws {
        let path = NSTemporaryDirectory() + "troupe-display-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let out = CapturedOutput()
        let display = out.makeDisplay(color: true)
        display.logWriter = try XCTUnwrap(DisplayLogWriter(path: path))
        display.display("screen", color: "green", screenOnly: true)
        display.display("log", logOnly: true)
        display.warning("careful")
        display.display("task path: /x.yml:3", color: display.colors.debug, logOnly: true)
        XCTAssertEqual(out.stdout, "\u{1B}[0;32mscreen\u{1B}[0m\n")
        let log = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertFalse(log.contains("screen"))
        XCTAssertTrue(log.contains(" n=ansible INFO| log\n"), log)
        XCTAssertTrue(log.contains(" n=ansible WARNING| [WARNING]: careful\n"), log)
        XCTAssertFalse(log.contains("\u{1B}"), "the log is never coloured")
        XCTAssertFalse(log.contains("task path"), "debug-level lines are below the log's INFO level")
    }
}

final class DisplaySourceExcerptTests: XCTestCase {
    func testExcerptMatchesAnsibleOriginBlock() throws {
        let source = try callbackFixture("basic.yml")
        let location = SourceLocation(file: "/tmp/troupe-callback-fixtures/basic.yml", line: 34, column: 7)
        XCTAssertEqual(SourceExcerpt.render(location, source: source), """
        Origin: /tmp/troupe-callback-fixtures/basic.yml:34:7

        32       loop: [1, 2]
        33       when: item == 2
        34     - name: failing
                 ^ column 7
        """)
        // The reference output printed exactly this block after "[ERROR]: Task failed: …".
        XCTAssertTrue(try callbackFixture("basic.txt").contains(SourceExcerpt.render(location, source: source)))
        let top = SourceExcerpt.render(SourceLocation(file: "x.yml", line: 1, column: 3), source: "- hosts: all\n")
        XCTAssertEqual(top, "Origin: x.yml:1:3\n\n1 - hosts: all\n    ^ column 3")
        XCTAssertEqual(SourceExcerpt.render(SourceLocation(file: "x.yml", line: 5, column: 1), source: "a\n"),
                       "Origin: x.yml:5:1\n\n(source not shown: file truncated)")
    }
}

final class DisplayTaskFailureTextTests: XCTestCase {
    func testFailureTextsAsAnsiblePrintsThem() throws {
        let source = try callbackFixture("fail.yml")
        let file = "/tmp/troupe-callback-fixtures/fail.yml"
        let text = TaskFailureText.make(.action, message: "boom host2", location: SourceLocation(file: file, line: 6, column: 7), source: source)
        let out = CapturedOutput()
        out.makeDisplay().error(text, stderr: false)
        XCTAssertTrue(try callbackFixture("fail.txt").contains(out.stdout), out.stdout)
        XCTAssertEqual(TaskFailureText.make(.action, message: "", location: nil), "Task failed: Action failed.\n")
        XCTAssertEqual(TaskFailureText.make(.module, message: "non-zero return code", location: nil),
                       "Task failed: Module failed: non-zero return code\n")
        XCTAssertEqual(TaskFailureText.make(.unreachable, message: "Task failed: Failed to connect", location: nil), "Task failed: Failed to connect\n")
    }
}

final class DisplayAdHocOriginTests: XCTestCase {
    func testAdHocOriginAsAnsiblePrintsIt() {
        XCTAssertEqual(SourceExcerpt.renderAdHoc(module: "command", args: ["_raw_params": "/bin/false"]), """
        Origin: <adhoc 'command' task>

        {'action': 'command', 'args': {'_raw_params': '/bin/false'}, 'timeout': 0, 'async_val': 0, 'poll': 15}
        """)
        XCTAssertEqual(SourceExcerpt.renderAdHoc(module: "command", args: ["_raw_params": "sh -c \"echo out; echo err >&2; exit 2\""]), """
        Origin: <adhoc 'command' task>

        {'action': 'command', 'args': {'_raw_params': 'sh -c "echo out; echo err >&2; exit 2"'}, 'timeout': 0, [...]
        """)
        let out = CapturedOutput()
        let text = TaskFailureText.make(.module, message: "non-zero return code", location: nil)
            .trimmingCharacters(in: .newlines) + "\n" + SourceExcerpt.renderAdHoc(module: "command", args: ["_raw_params": "/bin/false"])
        let minimal = MinimalCallback(display: out.makeDisplay())
        var result = EventFactory.command(["/bin/false"], rc: 1)
        if case .dict(var d) = result { d["exception"] = .string(text); result = .dict(d) }
        minimal.runnerFailed(TaskResult(host: "localhost", task: TaskInfo(name: "", action: "command", uuid: "u"), result: result),
                             ignoreErrors: false)
        XCTAssertEqual(out.stdout, """
        [ERROR]: Task failed: Module failed: non-zero return code
        Origin: <adhoc 'command' task>

        {'action': 'command', 'args': {'_raw_params': '/bin/false'}, 'timeout': 0, 'async_val': 0, 'poll': 15}

        localhost | FAILED | rc=1 >>
        non-zero return code

        """)
    }
}
