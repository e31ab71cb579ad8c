import Foundation
import Jinja

/// The `oneline` stdout callback (`ansible -o`): every result on a single line.
public final class OneLineCallback: CallbackPlugin {
    /// Where output goes.
    public let display: Display
    /// Shared result-shaping rules.
    public var formatter: ResultFormatter

    /// A oneline callback writing to `display`. Like Ansible it announces its own deprecation.
    public init(display: Display, announceDeprecation: Bool = true) {
        self.display = display
        self.formatter = ResultFormatter(display: display)
        if announceDeprecation {
            display.deprecated("The oneline callback plugin is deprecated.", version: "2.23")
        }
    }

    /// `host | CAPTION | rc=N | (stdout) … (stderr) …` with newlines shown as `\n`.
    static func commandMessage(host: String, result: Value, caption: String) -> String {
        func flat(_ value: Value?) -> String {
            (value?.pythonString ?? "").replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
        }
        let rc = (result["rc"] ?? .int(-1)).pythonString
        if let stderr = result["stderr"], stderr.isTruthy {
            return "\(host) | \(caption) | rc=\(rc) | (stdout) \(flat(result["stdout"])) (stderr) \(flat(stderr))"
        }
        return "\(host) | \(caption) | rc=\(rc) | (stdout) \(flat(result["stdout"]))"
    }

    private func compactJSON(_ result: Value) -> String {
        formatter.dumpResults(result, indent: 0).replacingOccurrences(of: "\n", with: "")
    }

    /// Prints `host | FAILED! => {json}` on one line, preceded by the exception summary when there is one.
    public func runnerFailed(_ result: TaskResult, ignoreErrors: Bool) {
        let view = ResultFormatter.callbackView(of: result.result, task: result.task)
        if let exception = view["exception"] {
            let text = exception["msg"]?.pythonString ?? exception.pythonString
            let message: String
            if display.verbosity < 3 {
                // ansible-core 2.19 keeps no traceback below -vvv; its serialised exception says so.
                let last = RecordedResult.tracebackUnavailable.pythonString
                message = "An exception occurred during task execution. To see the full traceback, use -vvv. The error was: \(last)"
            } else {
                message = "An exception occurred during task execution. The full traceback is:\n" + text.replacingOccurrences(of: "\n", with: "")
            }
            if ResultFormatter.noJSONActions.contains(result.task.action) && view["module_stderr"] == nil {
                display.display(Self.commandMessage(host: result.host, result: view, caption: "FAILED"), color: display.colors.error)
            } else {
                display.display(message, color: display.colors.error)
            }
        }
        display.display("\(result.host) | FAILED! => " + compactJSON(view), color: display.colors.error)
    }

    /// Prints `host | SUCCESS/CHANGED => {json}` on one line, or the `rc=N | (stdout) …` form for command-like modules.
    public func runnerOk(_ result: TaskResult) {
        let view = ResultFormatter.callbackView(of: result.result, task: result.task)
        let shown = ResultFormatter.adHocOk(view, action: result.task.action, colors: display.colors)
        if shown.commandForm {
            display.display(Self.commandMessage(host: result.host, result: view, caption: shown.caption), color: shown.color)
        } else {
            display.display("\(result.host) | \(shown.caption) => " + compactJSON(view), color: shown.color)
        }
    }

    /// Prints `host | UNREACHABLE!: msg`.
    public func runnerUnreachable(_ result: TaskResult) {
        display.display("\(result.host) | UNREACHABLE!: \(result.result["msg"]?.pythonString ?? "")", color: display.colors.unreachable)
    }

    /// Prints `host | SKIPPED`.
    public func runnerSkipped(_ result: TaskResult) {
        display.display("\(result.host) | SKIPPED", color: display.colors.skip)
    }
}
