import Jinja

/// The `minimal` stdout callback, used by ad-hoc `ansible`: one `host | STATUS => {json}`
/// block per host, or `host | STATUS | rc=N >>` followed by the output for command-like modules.
public final class MinimalCallback: CallbackPlugin {
    /// Where output goes.
    public let display: Display
    /// Shared result-shaping rules.
    public var formatter: ResultFormatter

    /// A minimal callback writing to `display`.
    public init(display: Display, prettyResults: Bool? = nil, diffContext: Int = 3, resultFormat: String = "json") {
        self.display = display
        self.formatter = ResultFormatter(display: display, prettyResults: prettyResults, diffContext: diffContext,
                                         resultFormat: resultFormat)
    }

    /// `host | CAPTION | rc=N >>` then stdout, stderr and msg, as ad-hoc prints command output.
    static func commandMessage(host: String, result: Value, caption: String) -> String {
        var text = "\(host) | \(caption) | rc=\((result["rc"] ?? .int(-1)).pythonString) >>\n"
        for key in ["stdout", "stderr", "msg"] { text += result[key]?.pythonString ?? "" }
        return text + "\n"
    }

    /// Prints `host | FAILED! => {...}`, or `host | FAILED | rc=N >>` and the output for command-like modules.
    public func runnerFailed(_ result: TaskResult, ignoreErrors: Bool) {
        var view = ResultFormatter.callbackView(of: result.result, task: result.task)
        ResultMessages.show(from: &view, on: display, errorToStderr: false)
        if ResultFormatter.noJSONActions.contains(result.task.action) && view["module_stderr"] == nil {
            display.display(Self.commandMessage(host: result.host, result: view, caption: "FAILED"), color: display.colors.error)
        } else {
            display.display("\(result.host) | FAILED! => " + formatter.dumpResults(view, indent: 4), color: display.colors.error)
        }
    }

    /// Prints `host | SUCCESS/CHANGED => {...}`, or the `rc=N >>` form for command-like modules.
    public func runnerOk(_ result: TaskResult) {
        var view = ResultFormatter.callbackView(of: result.result, task: result.task)
        ResultMessages.show(from: &view, on: display, errorToStderr: false)
        view = ResultFormatter.cleanResults(view, action: result.task.action)
        let shown = ResultFormatter.adHocOk(view, action: result.task.action, colors: display.colors)
        if shown.commandForm {
            display.display(Self.commandMessage(host: result.host, result: view, caption: shown.caption), color: shown.color)
        } else {
            display.display("\(result.host) | \(shown.caption) => " + formatter.dumpResults(view, indent: 4), color: shown.color)
        }
    }

    /// Prints `host | SKIPPED`.
    public func runnerSkipped(_ result: TaskResult) {
        var view = ResultFormatter.callbackView(of: result.result, task: result.task)
        ResultMessages.show(from: &view, on: display, errorToStderr: false)
        display.display("\(result.host) | SKIPPED", color: display.colors.skip)
    }

    /// Prints `host | UNREACHABLE! => {...}`.
    public func runnerUnreachable(_ result: TaskResult) {
        var view = ResultFormatter.callbackView(of: result.result, task: result.task)
        ResultMessages.show(from: &view, on: display, errorToStderr: false)
        display.display("\(result.host) | UNREACHABLE! => " + formatter.dumpResults(view, indent: 4), color: display.colors.unreachable)
    }

    /// Prints the result's diff when it has one.
    public func fileDiff(_ result: TaskResult) {
        if let diff = result.result["diff"], diff.isTruthy {
            display.display(formatter.renderDiff(diff))
        }
    }

    /// Prints `[WARNING]:` through the display.
    public func warning(_ message: String) { display.warning(message) }

    /// Prints `[DEPRECATION WARNING]:` through the display.
    public func deprecated(_ message: String, version: String?) { display.deprecated(message, version: version) }
}
