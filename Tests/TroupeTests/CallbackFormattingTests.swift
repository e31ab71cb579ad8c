import Foundation
import Jinja
import XCTest
@testable import Troupe

/// Result shaping, diffs, recap lines and smaller default-callback behaviours.
final class CallbackFormattingTests: XCTestCase {
    func testUnifiedDiffMatchesPythonDifflib() throws {
        let cases = try Value.parseJSON(try callbackFixture("difflib_cases.json"))
        guard case .dict(let dict) = cases else { return XCTFail("bad fixture") }
        XCTAssertGreaterThanOrEqual(dict.count, 7)
        let formatter = ResultFormatter(display: Display { _, _ in })
        for (name, c) in dict {
            let rendered = formatter.renderDiff(["before": c["before"]!, "after": c["after"]!])
            let expected = c["diff"]!.stringValue!
            // renderDiff ends a non-empty diff with an extra newline, as ansible does.
            XCTAssertEqual(rendered, expected.isEmpty ? "" : expected + "\n", name)
        }
    }

    func testDiffOfDictsAndSkippedNotes() {
        let formatter = ResultFormatter(display: Display { _, _ in })
        let text = formatter.renderDiff([
            ["before": ["state": "absent"], "after": ["state": "directory", "mode": "0755"], "before_header": "/x"],
            ["dst_binary": 1], ["src_larger": 100], ["prepared": "prepared text\n"],
        ])
        XCTAssertEqual(text, """
        --- before: /x
        +++ after
        @@ -1,3 +1,4 @@
         {
        -    "state": "absent"
        +    "mode": "0755",
        +    "state": "directory"
         }

        diff skipped: destination file appears to be binary
        diff skipped: source file size is greater than 100
        prepared text

        """)
        XCTAssertEqual(formatter.renderDiff(["before": "same\n", "after": "same\n"]), "")
    }

    func testCallbackViewStripsStatusAndInternalKeysAndCensorsNoLog() {
        let task = TaskInfo(name: "t", action: "command", uuid: "u")
        let view = ResultFormatter.callbackView(of: [
            "failed": true, "skipped": false, "rc": 1, "_ansible_parsed": true, "_ansible_item_label": "x",
            "nested": ["_ansible_x": 1, "k": 2], "_ansible_delegated_vars": ["ansible_host": "10.0.0.1", "secret": "s"],
        ], task: task)
        XCTAssertEqual(view, ["rc": 1, "_ansible_item_label": "x", "nested": ["k": 2], "_ansible_delegated_vars": ["ansible_host": "10.0.0.1"]])

        var secret = task
        secret.noLog = true
        let censored = ResultFormatter.callbackView(of: ["changed": true, "stdout": "pw", "attempts": 2], task: secret)
        XCTAssertEqual(censored, ["attempts": 2, "changed": true, "censored": .string(ResultFormatter.censoredMessage)])
    }

    func testDumpResultsHidesInvocationAndDiffBelowVVV() {
        let result: Value = ["changed": true, "invocation": ["module_args": ["a": 1]], "diff": ["before": ""], "z": "é",
                             "warnings": ["w"], "_ansible_no_log": false]
        let display = Display { _, _ in }
        let formatter = ResultFormatter(display: display)
        XCTAssertEqual(formatter.dumpResults(result), #"{"changed": true, "z": "é"}"#)
        display.verbosity = 3
        XCTAssertEqual(formatter.dumpResults(["b": 1, "invocation": ["module_args": [:]]]), """
        {
            "b": 1,
            "invocation": {
                "module_args": {}
            }
        }
        """)
        XCTAssertEqual(ResultFormatter(display: display, prettyResults: false).dumpResults(["b": 1]), #"{"b": 1}"#)
    }

    func testDebugCleaningKeepsOnlyMessageOrVariable() {
        XCTAssertEqual(ResultFormatter.cleanResults(["msg": "hi", "changed": false, "other": 1, "_ansible_verbose_always": true], action: "debug"),
                       ["msg": "hi", "_ansible_verbose_always": true])
        XCTAssertEqual(ResultFormatter.cleanResults(["foo": 1, "changed": false, "skip_reason": "x"], action: "ansible.builtin.debug"), ["foo": 1])
        XCTAssertEqual(ResultFormatter.cleanResults(["foo": 1, "changed": false], action: "command"), ["foo": 1, "changed": false])
    }

    func testItemAndHostLabels() {
        XCTAssertEqual(ResultFormatter.itemLabel(["item": ["a": 1, "b": "x"]]), "{'a': 1, 'b': 'x'}")
        XCTAssertEqual(ResultFormatter.itemLabel(["item": 3, "_ansible_item_label": "three"]), "three")
        XCTAssertEqual(ResultFormatter.itemLabel(["item": 3, "_ansible_no_log": true]), "(censored due to no_log)")
        XCTAssertEqual(ResultFormatter.itemLabel([:]), "None")
        let task = TaskInfo(name: "t", action: "ping", uuid: "u", delegateTo: "db")
        XCTAssertEqual(ResultFormatter.hostLabel(TaskResult(host: "web", task: task, result: [:])), "web -> db")
        XCTAssertEqual(ResultFormatter.hostLabel(TaskResult(host: "web", task: task, result: ["_ansible_delegated_vars": ["ansible_host": "10.1.1.1"]])),
                       "web -> db(10.1.1.1)")
        XCTAssertEqual(ResultFormatter.hostLabel(TaskResult(host: "db", task: task, result: [:])), "db")
    }

    func testRecapLinePadding() {
        var stats = HostStats(ok: 12345, failures: 1)
        XCTAssertEqual(RecapLine.format(host: "h", stats: stats, display: nil),
                       "h                          : ok=12345 changed=0    unreachable=0    failed=1    skipped=0    rescued=0    ignored=0   ")
        stats = HostStats(ok: 1)
        let display = Display(colorEnabled: true) { _, _ in }
        XCTAssertEqual(RecapLine.format(host: "h", stats: stats, display: display),
                       "\u{1B}[0;32mh\u{1B}[0m                          : \u{1B}[0;32mok=1   \u{1B}[0m changed=0    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0   ")
    }

    func testHiddenOkAndSkippedHostsDelayTheBanner() {
        let out = CapturedOutput()
        var options = DefaultCallbackOptions()
        options.displayOkHosts = false
        options.displaySkippedHosts = false
        let cb = DefaultCallback(display: out.makeDisplay(), options: options)
        cb.playStart(PlayInfo(name: "p", uuid: "p", pattern: "all"))
        let quiet = TaskInfo(name: "quiet", action: "ping", uuid: "t1")
        cb.taskStart(quiet)
        cb.runnerOk(TaskResult(host: "h", task: quiet, result: ["changed": false]))
        cb.runnerSkipped(TaskResult(host: "h", task: quiet, result: ["skipped": true]))
        let loud = TaskInfo(name: "loud", action: "command", uuid: "t2", isHandler: true)
        cb.handlerTaskStart(loud)
        cb.runnerOk(TaskResult(host: "h", task: loud, result: ["changed": true]))
        XCTAssertEqual(out.stdout, "\nPLAY [p] " + String(repeating: "*", count: 71) + "\n\nRUNNING HANDLER [loud] "
                       + String(repeating: "*", count: 57) + "\nchanged: [h]\n")
    }

    func testMiscLines() {
        let out = CapturedOutput()
        var options = DefaultCallbackOptions()
        options.showPerHostStart = true
        options.displayFailedStderr = true
        options.showCustomStats = true
        let cb = DefaultCallback(display: out.makeDisplay(verbosity: 0), options: options)
        cb.playStart(PlayInfo(name: "", uuid: "p", pattern: "all"))
        let task = TaskInfo(name: "t", action: "ping", uuid: "t1", roleName: "web", ignoreUnreachable: true)
        cb.taskStart(task)
        cb.runnerStart(host: "h", task: task)
        cb.runnerUnreachable(TaskResult(host: "h", task: task, result: ["unreachable": true, "msg": "down", "changed": false]))
        cb.include(IncludedFileInfo(path: "/p/x.yml", hosts: ["a", "b"], item: "one"))
        cb.noHostsRemaining()
        var stats = RunStats()
        stats["h"] = HostStats(unreachable: 1)
        stats.custom = ["h": ["a": 1], "_run": ["b": [1, 2]]]
        cb.stats(stats)
        XCTAssertEqual(out.stderr, "fatal: [h]: UNREACHABLE! => {\"changed\": false, \"msg\": \"down\", \"unreachable\": true}\n")
        let stars = { (title: String) in "\n\(title) " + String(repeating: "*", count: 79 - title.count) + "\n" }
        XCTAssertEqual(out.stdout, stars("PLAY") + stars("TASK [web : t]") + " [started TASK: web : t on h]\n...ignoring\n"
                       + "included: /p/x.yml for a, b => (item=one)\n" + stars("NO MORE HOSTS LEFT") + stars("PLAY RECAP")
                       + "h                          : ok=0    changed=0    unreachable=1    failed=0    skipped=0    rescued=0    ignored=0   \n\n"
                       + stars("CUSTOM STATS:") + "\th: { \"a\": 1}\n\n\tRUN: { \"b\": [  1,  2 ]}\n\n")
    }
}

final class CallbackBroadcasterTests: XCTestCase {
    func testEventsReachEveryPluginAndOutputCanBeCapturedPerEvent() {
        final class Counter: CallbackPlugin {
            var oks = 0
            var warnings = 0
            func runnerOk(_ result: TaskResult) { oks += 1 }
            func warning(_ message: String) { warnings += 1 }
        }
        let out = CapturedOutput()
        let display = out.makeDisplay()
        let counter = Counter()
        let broadcaster = CallbackBroadcaster([DefaultCallback(display: display), counter])
        let task = TaskInfo(name: "t", action: "ping", uuid: "u")
        let printed = display.capturing {
            broadcaster.taskStart(task)
            broadcaster.runnerOk(TaskResult(host: "h", task: task, result: ["changed": false]))
        }
        broadcaster.warning("w")
        XCTAssertEqual(counter.oks, 1)
        XCTAssertEqual(counter.warnings, 0, "warnings are shown by the stdout callback only")
        XCTAssertEqual(printed.stdout, "\nTASK [t] " + String(repeating: "*", count: 71) + "\nok: [h]\n")
        XCTAssertEqual(out.stdout, printed.stdout, "captured output still reaches the screen")
        XCTAssertEqual(out.stderr, "[WARNING]: w\n")
    }

    /// The async lines as ansible-core's default callback prints them (jid from the timed-out
    /// job's `async_result` when the result has none).
    func testAsyncLines() {
        let out = CapturedOutput()
        let cb = DefaultCallback(display: out.makeDisplay(verbosity: 0), options: DefaultCallbackOptions())
        let task = TaskInfo(name: "t", action: "command", uuid: "t1")
        cb.runnerAsyncPoll(TaskResult(host: "h", task: task, result: ["ansible_job_id": "j1.2", "started": true, "finished": false]))
        cb.runnerAsyncOk(TaskResult(host: "h", task: task, result: ["ansible_job_id": "j1.2"]))
        cb.runnerAsyncFailed(TaskResult(host: "h", task: task, result: ["failed": true, "async_result": ["ansible_job_id": "j3.4"]]))
        XCTAssertEqual(out.stdout, "ASYNC POLL on h: jid=j1.2 started=True finished=False\nASYNC OK on h: jid=j1.2\n"
                       + "ASYNC FAILED on h: jid=j3.4\n")
    }
}
