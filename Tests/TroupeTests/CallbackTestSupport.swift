import Foundation
import Jinja
import XCTest
@testable import Troupe

/// Captures what a Display writes, per stream.
final class CapturedOutput {
    var stdout = ""
    var stderr = ""
    /// Both streams interleaved, in write order.
    var combined = ""

    func makeDisplay(verbosity: Int = 0, color: Bool = false) -> Display {
        Display(verbosity: verbosity, colorEnabled: color) { [unowned self] text, stream in
            if stream == .stdout { self.stdout += text } else { self.stderr += text }
            self.combined += text
        }
    }
}

/// Loads a reference output captured from ansible-playbook (see Fixtures/callbacks/regenerate.sh).
func callbackFixture(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
    let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/callbacks/\(name)")
    guard let data = FileManager.default.contents(atPath: url.path) else {
        XCTFail("missing fixture \(name)", file: file, line: line)
        return ""
    }
    return String(decoding: data, as: UTF8.self)
}

/// Asserts two multi-line texts are equal, reporting the first differing line.
func assertSameText(_ actual: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
    if actual == expected { return }
    let a = actual.components(separatedBy: "\n"), e = expected.components(separatedBy: "\n")
    for i in 0..<max(a.count, e.count) {
        let al = i < a.count ? a[i] : "<missing>", el = i < e.count ? e[i] : "<missing>"
        if al != el {
            XCTFail("line \(i + 1) differs:\n  actual:   \(al.debugDescription)\n  expected: \(el.debugDescription)", file: file, line: line)
            return
        }
    }
    XCTFail("texts differ", file: file, line: line)
}

/// Builds events the way the executor emits them.
struct EventFactory {
    var playbookPath = "/tmp/troupe-callback-fixtures/basic.yml"
    private var counter = 0

    init(playbookPath: String) { self.playbookPath = playbookPath }

    mutating func task(_ name: String, _ action: String, line: Int = 1, role: String? = nil, handler: Bool = false,
                       loop: Bool = false, include: Bool = false, noLog: Bool = false, checkMode: Bool? = nil,
                       delegateTo: String? = nil) -> TaskInfo {
        counter += 1
        return TaskInfo(name: name, action: action, uuid: "task-\(counter)",
                        location: SourceLocation(file: playbookPath, line: line, column: 7), roleName: role, isHandler: handler,
                        noLog: noLog, checkMode: checkMode, hasLoop: loop, isInclude: include, delegateTo: delegateTo)
    }

    /// A `command` module result with fixed timings (matching the normalised fixtures).
    static func command(_ argv: [String], stdout: String = "", rc: Int = 0, changed: Bool = true, extra: [(String, Value)] = []) -> Value {
        var pairs: [(String, Value)] = [
            ("changed", .bool(changed)), ("stdout", .string(stdout)), ("stderr", ""), ("rc", .int(rc)),
            ("cmd", .list(argv.map { .string($0) })), ("start", "2026-01-01 00:00:00.000000"),
            ("end", "2026-01-01 00:00:00.001000"), ("delta", "0:00:00.001000"), ("msg", rc == 0 ? "" : "non-zero return code"),
            ("invocation", ["module_args": [
                "_raw_params": .string(argv.joined(separator: " ")), "_uses_shell": false, "argv": nil, "chdir": nil, "cmd": nil,
                "creates": nil, "executable": nil, "expand_argument_vars": true, "removes": nil, "stdin": nil,
                "stdin_add_newline": true, "strip_empty_ends": true,
            ]]),
            ("stdout_lines", .list(stdout.isEmpty ? [] : stdout.components(separatedBy: "\n").map { .string($0) })),
            ("stderr_lines", []),
        ]
        if rc != 0 { pairs.append(("failed", true)) }
        pairs += extra
        return .dict(OrderedDict(pairs))
    }

    /// A `debug` result with `msg`, as the debug action returns it.
    static func debugMessage(_ msg: Value, extra: [(String, Value)] = []) -> Value {
        .dict(OrderedDict([("msg", msg), ("_ansible_verbose_always", true), ("changed", false)] + extra))
    }

    /// A conditional skip result.
    static let skipped: Value = ["changed": false, "skipped": true, "skip_reason": "Conditional result was False", "false_condition": false]

    /// A loop item: the item result plus `item`, `ansible_loop_var` and optional label.
    static func item(_ base: Value, item: Value, label: Value? = nil) -> Value {
        guard case .dict(var dict) = base else { return base }
        dict["item"] = item
        dict["ansible_loop_var"] = "item"
        if let label { dict["_ansible_item_label"] = label }
        return .dict(dict)
    }
}

extension HostStats {
    /// Counters for a recap line.
    init(ok: Int = 0, changed: Int = 0, unreachable: Int = 0, failures: Int = 0, skipped: Int = 0, rescued: Int = 0, ignored: Int = 0) {
        self.init()
        self.ok = ok
        self.changed = changed
        self.unreachable = unreachable
        self.failures = failures
        self.skipped = skipped
        self.rescued = rescued
        self.ignored = ignored
    }
}
