import Foundation
import Jinja
import XCTest
@testable import Troupe

/// Feeds the default callback the events ansible-playbook emitted for the fixture playbooks
/// and compares the screen output with what ansible-core 2.19 printed.
final class CallbackGoldenTests: XCTestCase {
    private let dir = "/tmp/troupe-callback-fixtures"

    private func failureText(_ message: String, line: Int, excerpt: [String], column: Int = 7, file: String = "basic.yml") -> String {
        "Task failed: \(message)\nOrigin: \(dir)/\(file):\(line):\(column)\n\n" + excerpt.joined(separator: "\n") + "\n"
    }

    func testBasicPlaybookAtDefaultVerbosity() throws {
        let out = try runBasicPlay(color: false)
        assertSameText(out.stdout, try callbackFixture("basic.txt"))
        XCTAssertEqual(out.stderr, "")
    }

    func testBasicPlaybookWithForcedColour() throws {
        let out = try runBasicPlay(color: true)
        assertSameText(out.stdout, try callbackFixture("basic_color.txt"))
    }

    func testBasicPlaybookWithOkAndSkippedHostsHidden() throws {
        var options = DefaultCallbackOptions()
        options.displayOkHosts = false
        options.displaySkippedHosts = false
        let out = try runBasicPlay(color: false, options: options)
        assertSameText(out.stdout, try callbackFixture("basic_quiet.txt"))
    }

    private func runBasicPlay(color: Bool, options: DefaultCallbackOptions = DefaultCallbackOptions()) throws -> CapturedOutput {
        let out = CapturedOutput()
        let cb = DefaultCallback(display: out.makeDisplay(color: color), options: options)
        var ev = EventFactory(playbookPath: "\(dir)/basic.yml")
        let host = "localhost"
        cb.playbookStart(PlaybookInfo(path: "\(dir)/basic.yml"))
        cb.playStart(PlayInfo(name: "Basic play", uuid: "p1", pattern: "all"))

        var t = ev.task("say hello", "debug")
        cb.taskStart(t)
        cb.runnerOk(TaskResult(host: host, task: t, result: EventFactory.debugMessage("hello world")))

        t = ev.task("run echo", "command")
        cb.taskStart(t)
        cb.runnerOk(TaskResult(host: host, task: t, result: EventFactory.command(["echo", "hi"], stdout: "hi", changed: false)))

        t = ev.task("changed cmd", "command")
        cb.taskStart(t)
        cb.runnerOk(TaskResult(host: host, task: t, result: EventFactory.command(["echo", "changed"], stdout: "changed")))

        t = ev.task("skipped task", "debug")
        cb.taskStart(t)
        cb.runnerSkipped(TaskResult(host: host, task: t, result: EventFactory.skipped))

        t = ev.task("debug var", "debug")
        cb.taskStart(t)
        cb.runnerOk(TaskResult(host: host, task: t, result: ["foo": ["b": 2, "a": [1, "x"]], "_ansible_verbose_always": true, "changed": false]))

        t = ev.task("loop with labels", "debug", loop: true)
        cb.taskStart(t)
        var items: [Value] = []
        for n in ["one", "two"] {
            let r = EventFactory.item(EventFactory.debugMessage(.string(n)), item: ["n": .string(n)], label: .string(n))
            items.append(r)
            cb.itemOk(TaskResult(host: host, task: t, result: r))
        }
        cb.runnerOk(TaskResult(host: host, task: t, result: ["results": .list(items), "changed": false, "msg": "All items completed"]))

        t = ev.task("loop plain", "command", loop: true)
        cb.taskStart(t)
        items = []
        for x in ["a", "b"] {
            let r = EventFactory.item(EventFactory.command(["echo", x], stdout: x), item: .string(x))
            items.append(r)
            cb.itemOk(TaskResult(host: host, task: t, result: r))
        }
        cb.runnerOk(TaskResult(host: host, task: t, result: ["results": .list(items), "changed": true, "msg": "All items completed"]))

        t = ev.task("loop skip some", "debug", loop: true)
        cb.taskStart(t)
        cb.itemSkipped(TaskResult(host: host, task: t, result: EventFactory.item(EventFactory.skipped, item: 1)))
        cb.itemOk(TaskResult(host: host, task: t, result: EventFactory.item(EventFactory.debugMessage(2), item: 2)))
        cb.runnerOk(TaskResult(host: host, task: t, result: ["results": [], "changed": false]))

        t = ev.task("failing", "command")
        cb.taskStart(t)
        let exception = failureText("Module failed: non-zero return code", line: 34, excerpt: [
            "32       loop: [1, 2]", "33       when: item == 2", "34     - name: failing", "         ^ column 7",
        ])
        cb.runnerFailed(TaskResult(host: host, task: t, result: EventFactory.command(["/bin/false"], rc: 1, extra: [("exception", .string(exception))])),
                        ignoreErrors: true)

        t = ev.task("notify", "command")
        cb.taskStart(t)
        cb.runnerOk(TaskResult(host: host, task: t, result: EventFactory.command(["echo", "x"], stdout: "x")))

        t = ev.task("", "set_fact")
        cb.taskStart(t)
        cb.runnerOk(TaskResult(host: host, task: t, result: ["ansible_facts": ["z": 1], "changed": false]))

        t = ev.task("my handler", "debug", handler: true)
        cb.handlerTaskStart(t)
        cb.runnerOk(TaskResult(host: host, task: t, result: EventFactory.debugMessage("handled")))

        var stats = RunStats()
        stats[host] = HostStats(ok: 11, changed: 4, skipped: 1, ignored: 1)
        cb.stats(stats)
        return out
    }

    func testVerboseOutputAtOneTwoAndThree() throws {
        for verbosity in [1, 2, 3] {
            let out = CapturedOutput()
            let display = out.makeDisplay(verbosity: verbosity)
            let cb = DefaultCallback(display: display)
            var ev = EventFactory(playbookPath: "\(dir)/small.yml")
            let host = "localhost"
            // What the CLI and executor print around the callback at these verbosities.
            cb.playbookStart(PlaybookInfo(path: "\(dir)/small.yml"))
            display.vv("1 plays in small.yml")
            cb.playStart(PlayInfo(name: "Small", uuid: "p", pattern: "all"))
            var t = ev.task("say hello", "debug", line: 5)
            cb.taskStart(t)
            cb.runnerOk(TaskResult(host: host, task: t, result: EventFactory.debugMessage("hello world")))
            t = ev.task("run echo", "command", line: 8)
            cb.taskStart(t)
            cb.runnerOk(TaskResult(host: host, task: t, result: EventFactory.command(["echo", "hi"], stdout: "hi", changed: false)))
            t = ev.task("skipped task", "debug", line: 11)
            cb.taskStart(t)
            cb.runnerSkipped(TaskResult(host: host, task: t, result: EventFactory.skipped))
            t = ev.task("loop", "debug", line: 14, loop: true)
            cb.taskStart(t)
            let item = EventFactory.item(EventFactory.debugMessage(1), item: 1)
            cb.itemOk(TaskResult(host: host, task: t, result: item))
            cb.runnerOk(TaskResult(host: host, task: t, result: ["results": [item], "changed": false]))
            t = ev.task("notify", "command", line: 17)
            cb.taskStart(t)
            display.vv("Notification for handler my handler has been saved.")
            cb.runnerOk(TaskResult(host: host, task: t, result: EventFactory.command(["echo", "x"], stdout: "x")))
            let handler = ev.task("my handler", "debug", line: 21, handler: true)
            cb.notify(host: host, handler: handler)
            cb.handlerTaskStart(handler)
            cb.runnerOk(TaskResult(host: host, task: handler, result: EventFactory.debugMessage("handled")))
            var stats = RunStats()
            stats[host] = HostStats(ok: 5, changed: 1, skipped: 1)
            cb.stats(stats)

            var expected = try callbackFixture(["small_v.txt", "small_vv.txt", "small_vvv.txt"][verbosity - 1])
            // Drop the CLI's own start-up lines, which are not callback output.
            if verbosity == 1, let range = expected.range(of: "No config file found; using defaults\n") {
                expected = String(expected[range.upperBound...])
            } else if let range = expected.range(of: "\nPLAYBOOK: ") {
                expected = String(expected[range.lowerBound...])
            }
            assertSameText(out.stdout, expected)
        }
    }

    func testMultiHostFailuresRetriesDelegationAndUnreachable() throws {
        let out = CapturedOutput()
        let display = out.makeDisplay()
        let cb = DefaultCallback(display: display)
        var ev = EventFactory(playbookPath: "\(dir)/fail.yml")
        let long = "a_very_long_hostname_that_exceeds_26"
        cb.playbookStart(PlaybookInfo(path: "\(dir)/fail.yml"))
        cb.playStart(PlayInfo(name: "web", uuid: "p1", pattern: "web"))

        var t = ev.task("", "debug")
        cb.taskStart(t)
        cb.runnerOk(TaskResult(host: "host1", task: t, result: EventFactory.debugMessage("noname")))
        cb.runnerSkipped(TaskResult(host: "host2", task: t, result: EventFactory.skipped))
        cb.runnerSkipped(TaskResult(host: long, task: t, result: EventFactory.skipped))

        t = ev.task("fail some", "fail")
        cb.taskStart(t)
        cb.runnerSkipped(TaskResult(host: "host1", task: t, result: EventFactory.skipped))
        let boom = failureText("Action failed: boom host2", line: 6, excerpt: [
            "4     - debug: msg=noname", "5       when: inventory_hostname == 'host1'", "6     - name: fail some", "        ^ column 7",
        ], file: "fail.yml")
        cb.runnerFailed(TaskResult(host: "host2", task: t, result: ["failed": true, "msg": "boom host2", "changed": false, "exception": .string(boom)]),
                        ignoreErrors: false)
        cb.runnerSkipped(TaskResult(host: long, task: t, result: EventFactory.skipped))

        t = ev.task("assert", "assert")
        cb.taskStart(t)
        for host in ["host1", long] {
            cb.runnerOk(TaskResult(host: host, task: t, result: ["changed": false, "msg": "All assertions passed", "_ansible_verbose_always": true]))
        }

        t = ev.task("loop fail", "command", loop: true)
        cb.taskStart(t)
        let okItem = EventFactory.item(EventFactory.command(["/bin/true"]), item: "/bin/true")
        cb.itemOk(TaskResult(host: "host1", task: t, result: okItem))
        let loopFailure = failureText("Module failed: non-zero return code", line: 13, excerpt: [
            "11       assert:", "12         that: [1 == 1]", "13     - name: loop fail", "         ^ column 7",
        ], file: "fail.yml")
        let badItem = EventFactory.item(EventFactory.command(["/bin/false"], rc: 1, extra: [("exception", .string(loopFailure))]), item: "/bin/false")
        cb.itemFailed(TaskResult(host: "host1", task: t, result: badItem))
        cb.runnerFailed(TaskResult(host: "host1", task: t, result: ["results": [okItem, badItem], "failed": true, "changed": true,
                                                                     "msg": "One or more items failed"]), ignoreErrors: true)
        let skippedItems = ["/bin/true", "/bin/false"].map { EventFactory.item(EventFactory.skipped, item: .string($0)) }
        for item in skippedItems { cb.itemSkipped(TaskResult(host: long, task: t, result: item)) }
        cb.runnerSkipped(TaskResult(host: long, task: t, result: ["results": .list(skippedItems), "skipped": true, "changed": false, "msg": "All items skipped"]))

        t = ev.task("delegated", "command", delegateTo: "host1")
        cb.taskStart(t)
        for host in ["host1", long] {
            cb.runnerOk(TaskResult(host: host, task: t, result: EventFactory.command(["echo", "d"], stdout: "d", changed: false),
                                   delegatedTo: "host1"))
        }

        t = ev.task("retry", "command")
        cb.taskStart(t)
        for attempt in 1...2 {
            cb.runnerRetry(TaskResult(host: "host1", task: t, result: EventFactory.command(["/bin/false"], rc: 1,
                                                                                          extra: [("attempts", .int(attempt)), ("retries", 3)])))
        }
        let retryFailure = failureText("Module failed: non-zero return code", line: 22, excerpt: [
            "20       delegate_to: host1", "21       changed_when: false", "22     - name: retry", "         ^ column 7",
        ], file: "fail.yml")
        cb.runnerFailed(TaskResult(host: "host1", task: t, result: EventFactory.command(["/bin/false"], rc: 1,
                                                                                     extra: [("attempts", 2), ("exception", .string(retryFailure))])),
                        ignoreErrors: false)
        cb.runnerSkipped(TaskResult(host: long, task: t, result: EventFactory.skipped))

        cb.playStart(PlayInfo(name: "nomatch", uuid: "p2", pattern: "nomatch"))
        cb.noHostsMatched()

        cb.playStart(PlayInfo(name: "bad", uuid: "p3", pattern: "bad"))
        t = ev.task("", "ping")
        cb.taskStart(t)
        let unreachable = "Task failed: Failed to connect to the host via ssh: Connection timed out during banner exchange\r\n"
            + "Connection to 10.255.255.1 port 22 timed out\nOrigin: \(dir)/fail.yml:35:7\n\n33   gather_facts: false\n34   tasks:\n"
            + "35     - ping:\n         ^ column 7\n"
        cb.runnerUnreachable(TaskResult(host: "unreach", task: t, result: [
            "unreachable": true, "changed": false, "exception": .string(unreachable),
            "msg": "Task failed: Failed to connect to the host via ssh: Connection timed out during banner exchange\r\nConnection to 10.255.255.1 port 22 timed out",
        ]))

        var stats = RunStats()
        stats["host1"] = HostStats(ok: 4, changed: 1, failures: 1, skipped: 1, ignored: 1)
        stats["host2"] = HostStats(failures: 1, skipped: 1)
        stats[long] = HostStats(ok: 2, skipped: 4)
        stats["unreach"] = HostStats(unreachable: 1)
        cb.stats(stats)

        assertSameText(out.stdout, try callbackFixture("fail.txt"))
    }

    func testVerboseEdgeCasesNoLogIncludesAndWarnings() throws {
        let out = CapturedOutput()
        let display = out.makeDisplay(verbosity: 1)
        let cb = DefaultCallback(display: display)
        var ev = EventFactory(playbookPath: "\(dir)/edge.yml")
        let host = "localhost"
        display.v("No config file found; using defaults")
        cb.playbookStart(PlaybookInfo(path: "\(dir)/edge.yml"))
        cb.playStart(PlayInfo(name: "all", uuid: "p", pattern: "all"))

        var t = ev.task("skip cmd", "command")
        cb.taskStart(t)
        cb.runnerSkipped(TaskResult(host: host, task: t, result: EventFactory.skipped))

        t = ev.task("nolog", "command", noLog: true)
        cb.taskStart(t)
        cb.runnerOk(TaskResult(host: host, task: t, result: EventFactory.command(["echo", "secret"], stdout: "secret", extra: [("_ansible_no_log", true)])))

        t = ev.task("loop nolog", "debug", loop: true, noLog: true)
        cb.taskStart(t)
        let secretItem = EventFactory.item(EventFactory.debugMessage("a", extra: [("_ansible_no_log", true)]), item: "a")
        cb.itemOk(TaskResult(host: host, task: t, result: secretItem))
        cb.runnerOk(TaskResult(host: host, task: t, result: ["results": [secretItem], "changed": false]))

        t = ev.task("set_fact", "set_fact")
        cb.taskStart(t)
        cb.runnerOk(TaskResult(host: host, task: t, result: ["ansible_facts": ["a": 1], "changed": false]))

        t = ev.task("loop dict items", "debug", loop: true)
        cb.taskStart(t)
        let dictItem = EventFactory.item(EventFactory.debugMessage("hi"), item: ["k": 1])
        cb.itemOk(TaskResult(host: host, task: t, result: dictItem))
        cb.runnerOk(TaskResult(host: host, task: t, result: ["results": [dictItem], "changed": false]))

        t = ev.task("loop skip all", "command", loop: true)
        cb.taskStart(t)
        let skippedItem = EventFactory.item(EventFactory.skipped, item: 1)
        cb.itemSkipped(TaskResult(host: host, task: t, result: skippedItem))
        cb.runnerSkipped(TaskResult(host: host, task: t, result: ["results": [skippedItem], "skipped": true, "changed": false, "msg": "All items skipped"]))

        t = ev.task("", "include_tasks", include: true)
        cb.taskStart(t)
        cb.runnerOk(TaskResult(host: host, task: t, result: ["include": "inc.yml", "changed": false]))
        cb.include(IncludedFileInfo(path: "\(dir)/inc.yml", hosts: [host]))

        t = ev.task("", "debug")
        cb.taskStart(t)
        cb.runnerOk(TaskResult(host: host, task: t, result: EventFactory.debugMessage("inner")))

        t = ev.task("", "debug")
        cb.taskStart(t)
        let warning = "Encountered 1 template error.\nerror 1 - 'undefined_thing' is undefined\nOrigin: \(dir)/edge.yml:25:14\n\n"
            + "23     - include_tasks: inc.yml\n24     - debug:\n25         var: undefined_thing\n                ^ column 14\n"
        cb.runnerOk(TaskResult(host: host, task: t, result: ["undefined_thing": "<< error 1 - 'undefined_thing' is undefined >>",
                                                             "_ansible_verbose_always": true, "changed": false, "warnings": [.string(warning)]]))

        t = ev.task("warn", "debug", delegateTo: "localhost")
        cb.taskStart(t)
        cb.runnerOk(TaskResult(host: host, task: t, result: EventFactory.debugMessage("x"), delegatedTo: "localhost"))

        var stats = RunStats()
        stats[host] = HostStats(ok: 8, changed: 1, skipped: 2)
        cb.stats(stats)

        assertSameText(out.stdout, try callbackFixture("edge_v.txt"))
        assertSameText(out.stderr, try callbackFixture("edge_v.stderr.txt"))
    }

    private func runDiffPlay(markers: Bool, color: Bool = false) throws -> String {
        let out = CapturedOutput()
        var options = DefaultCallbackOptions()
        options.checkModeMarkers = markers
        let cb = DefaultCallback(display: out.makeDisplay(color: color), options: options)
        var ev = EventFactory(playbookPath: "\(dir)/diff.yml")
        cb.playbookStart(PlaybookInfo(path: "\(dir)/diff.yml", checkMode: true))
        cb.playStart(PlayInfo(name: "Diff play", uuid: "p", pattern: "all", checkMode: true))
        var t = ev.task("copy content", "copy", checkMode: true)
        cb.taskStart(t)
        var result: Value = ["changed": true, "diff": [["before": "line1\nline2\n", "after": "line1\nchanged\n",
                                                        "before_header": .string("\(dir)/target.txt"), "after_header": .string("\(dir)/target.txt")]]]
        cb.fileDiff(TaskResult(host: "localhost", task: t, result: result))
        cb.runnerOk(TaskResult(host: "localhost", task: t, result: result))
        t = ev.task("new file", "copy", checkMode: true)
        cb.taskStart(t)
        result = ["changed": true, "diff": [["before": "", "after": "new", "after_header": .string("\(dir)/newfile.txt")]]]
        cb.fileDiff(TaskResult(host: "localhost", task: t, result: result))
        cb.runnerOk(TaskResult(host: "localhost", task: t, result: result))
        var stats = RunStats()
        stats["localhost"] = HostStats(ok: 2, changed: 2)
        cb.stats(stats)
        return out.stdout
    }

    func testDiffInCheckMode() throws {
        assertSameText(try runDiffPlay(markers: false), try callbackFixture("diff_check.txt"))
        assertSameText(try runDiffPlay(markers: true), try callbackFixture("diff_check_markers.txt"))
        assertSameText(try runDiffPlay(markers: false, color: true), try callbackFixture("diff_color.txt"))
    }

    func testAdHocMinimalAndOneLine() throws {
        let ping: Value = ["ping": "pong", "changed": false, "invocation": ["module_args": ["data": "pong"]]]
        let pingTask = TaskInfo(name: "", action: "ping", uuid: "t1")
        var out = CapturedOutput()
        MinimalCallback(display: out.makeDisplay()).runnerOk(TaskResult(host: "localhost", task: pingTask, result: ping))
        assertSameText(out.stdout, try callbackFixture("adhoc_ping.txt"))

        out = CapturedOutput()
        let commandTask = TaskInfo(name: "", action: "command", uuid: "t2")
        MinimalCallback(display: out.makeDisplay()).runnerOk(TaskResult(host: "localhost", task: commandTask,
                                                                         result: EventFactory.command(["echo", "hi"], stdout: "hi")))
        assertSameText(out.stdout, try callbackFixture("adhoc_command.txt"))

        out = CapturedOutput()
        OneLineCallback(display: out.makeDisplay()).runnerOk(TaskResult(host: "localhost", task: pingTask, result: ping))
        assertSameText(out.stdout, try callbackFixture("adhoc_ping_oneline.txt"))
        XCTAssertTrue(out.stderr.contains("[DEPRECATION WARNING]: The oneline callback plugin is deprecated. This feature will be removed from ansible-core version 2.23."))
    }
}

/// `callback_result_format = yaml`, compared with ansible-playbook's output for the same data.
final class CallbackYAMLGoldenTests: XCTestCase {
    func testYAMLResultFormatMatchesAnsible() throws {
        let data = try Value.parseJSON(try callbackFixture("yaml_cases.json"))
        let out = CapturedOutput()
        let display = out.makeDisplay(verbosity: 1)
        var options = DefaultCallbackOptions()
        options.resultFormat = "yaml"
        let cb = DefaultCallback(display: display, options: options)
        var ev = EventFactory(playbookPath: "/tmp/troupe-callback-fixtures/yaml.yml")
        display.v("No config file found; using defaults")
        cb.playbookStart(PlaybookInfo(path: "/tmp/troupe-callback-fixtures/yaml.yml"))
        cb.playStart(PlayInfo(name: "YAML results", uuid: "p", pattern: "all"))
        var t = ev.task("", "debug")
        cb.taskStart(t)
        cb.runnerOk(TaskResult(host: "localhost", task: t, result: ["data": data, "_ansible_verbose_always": true, "changed": false]))
        t = ev.task("", "debug")
        cb.taskStart(t)
        cb.runnerOk(TaskResult(host: "localhost", task: t, result: EventFactory.debugMessage("line1\nline2\n")))
        t = ev.task("", "command")
        cb.taskStart(t)
        cb.runnerOk(TaskResult(host: "localhost", task: t, result: EventFactory.command(["printf", "a\\nb"], stdout: "a\nb", changed: false)))
        var stats = RunStats()
        stats["localhost"] = HostStats(ok: 3)
        cb.stats(stats)
        // The fixture's timings are real; put ours in their place.
        var expected = try callbackFixture("yaml_v.txt")
        for (key, value) in [("delta", "'0:00:00.001000'"), ("start", "'2026-01-01 00:00:00.000000'"), ("end", "'2026-01-01 00:00:00.001000'")] {
            expected = expected.replacingOccurrences(of: "    \(key): '[^']*'", with: "    \(key): \(value)", options: .regularExpression)
        }
        assertSameText(out.stdout, expected)
    }

    func testYAMLScalarStyles() {
        XCTAssertEqual(YAMLResultEmitter.dump(["a": "yes", "b": "x: y", "c": "plain", "d": 1.5, "e": "1.5", "f": nil]),
                       "a: 'yes'\nb: 'x: y'\nc: plain\nd: 1.5\ne: '1.5'\nf: null\n")
        XCTAssertEqual(YAMLResultEmitter.dump(["k": "a\nb\n"]), "k: |-\n    a\n    b\n", "lossy mode drops the final newline")
        XCTAssertEqual(YAMLResultEmitter.dump(["k": "a\nb\n"], lossy: false), "k: |\n    a\n    b\n")
        XCTAssertEqual(YAMLResultEmitter.dump(["k": "tail  \nx"], lossy: false), "k: \"tail  \\nx\"\n")
        XCTAssertEqual(YAMLResultEmitter.dump([1, [2], ["a": []]], indent: 2), "- 1\n- - 2\n- a: []\n")
    }
}
