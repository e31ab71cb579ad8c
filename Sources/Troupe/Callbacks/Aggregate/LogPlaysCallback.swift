import Foundation
import Jinja

/// community.general's `log_plays`: every result appended to a per-host file in the log
/// folder (`ANSIBLE_LOG_FOLDER` / `[callback_log_plays] log_folder`, default
/// `/var/log/ansible/hosts`) as
/// `Nov 21 2026 21:57:54 - site.yml - task name - action - OK - {json}` and a blank line.
public final class LogPlaysCallback: CallbackPlugin {
    /// Where the per-host logs go.
    public let folder: String
    private let display: Display
    private var playbook = ""

    /// A logger configured from the run's options; creates the folder.
    public init(context: CallbackContext) {
        display = context.display
        let configured = context.config.string(section: "callback_log_plays", key: "log_folder", env: "ANSIBLE_LOG_FOLDER")
            ?? "/var/log/ansible/hosts"
        folder = CallbackFiles.directory(configured, context: context)
        CallbackFiles.makeDirectory(folder, display: display)
    }

    /// Remembers the playbook path for the log lines.
    public func playbookStart(_ playbook: PlaybookInfo) { self.playbook = playbook.path }
    /// Logs `OK`.
    public func runnerOk(_ result: TaskResult) { log(result, "OK") }
    /// Logs `FAILED` (ignored failures too).
    public func runnerFailed(_ result: TaskResult, ignoreErrors: Bool) { log(result, "FAILED") }
    /// Logs `SKIPPED`.
    public func runnerSkipped(_ result: TaskResult) { log(result, "SKIPPED") }
    /// Logs `UNREACHABLE`.
    public func runnerUnreachable(_ result: TaskResult) { log(result, "UNREACHABLE") }
    /// Logs `ASYNC_FAILED`.
    public func runnerAsyncFailed(_ result: TaskResult) { log(result, "ASYNC_FAILED") }

    private func log(_ result: TaskResult, _ category: String) {
        let line = "\(ProfileClock.format(Date(), "%b %d %Y %H:%M:%S")) - \(playbook) - \(result.task.name) - "
            + "\(result.task.action) - \(category) - \(Self.data(.dict(RecordedResult.of(result))))\n\n"
        let path = (folder as NSString).appendingPathComponent(result.host)
        CallbackFiles.append(path, line, display: display, what: "'\(result.host)''s log")
    }

    /// The result as the plugin logs it: `omitted` for fact gathering, otherwise the JSON
    /// in the module's key order, preceded by `{invocation} => ` when the module reported one.
    static func data(_ result: Value) -> String {
        guard case .dict(var dict) = result else { return result.pythonString }
        if dict.contains("_ansible_verbose_override") { return "omitted" }
        let invocation = dict.removeValue(forKey: "invocation")
        let json = JSONFormat().string(.dict(dict))
        if let invocation { return "\(JSONFormat().string(invocation)) => \(json) " }
        return json
    }
}
