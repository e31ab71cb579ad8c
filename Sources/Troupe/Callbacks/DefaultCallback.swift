import Foundation
import Jinja

/// The `default` stdout callback: ansible-playbook's screen output, line for line as
/// ansible-core 2.19 prints it (banners, per-host status lines, result JSON, diffs, recap).
public final class DefaultCallback: CallbackPlugin {
    /// Where output goes.
    public let display: Display
    /// Configured behaviour.
    public var options: DefaultCallbackOptions
    /// Shared result-shaping rules.
    public var formatter: ResultFormatter

    private var play: PlayInfo?
    private var playbookCheckMode = false
    /// The task whose banner was printed last; results of another task print its banner first.
    private var lastTaskBanner: String?
    private var lastTaskName: String?
    /// "TASK" or "RUNNING HANDLER" per task uuid, for banners printed late.
    private var bannerPrefixes: [String: String] = [:]

    /// A default callback writing to `display`.
    public init(display: Display, options: DefaultCallbackOptions = DefaultCallbackOptions()) {
        self.display = display
        self.options = options
        self.formatter = ResultFormatter(display: display, prettyResults: options.prettyResults, diffContext: options.diffContext,
                                         resultFormat: options.resultFormat)
    }

    private var colors: DisplayColors { display.colors }

    // MARK: - Playbook and play

    /// Prints `PLAYBOOK:` at `-vv` and the `DRY RUN` banner when check-mode markers are on.
    public func playbookStart(_ playbook: PlaybookInfo) {
        playbookCheckMode = playbook.checkMode
        if display.verbosity > 1 {
            display.banner("PLAYBOOK: " + (playbook.path as NSString).lastPathComponent)
            // ansible's PlaybookExecutor says this right after the banner.
            if let plays = playbook.playCount { display.display("\(plays) plays in \(playbook.path)") }
        }
        if playbook.checkMode && options.checkModeMarkers { display.banner("DRY RUN") }
    }

    /// Prints the `PLAY [name]` banner (with `[CHECK MODE]` when markers are on).
    public func playStart(_ play: PlayInfo) {
        let name = play.name.trimmingCharacters(in: .whitespacesAndNewlines)
        let marker = play.checkMode && options.checkModeMarkers ? " [CHECK MODE]" : ""
        self.play = play
        display.banner(name.isEmpty ? "PLAY\(marker)" : "PLAY [\(name)]\(marker)")
    }

    /// Prints `skipping: no hosts matched`.
    public func noHostsMatched() {
        display.display("skipping: no hosts matched", color: colors.skip)
    }

    /// Prints the `NO MORE HOSTS LEFT` banner.
    public func noHostsRemaining() {
        display.banner("NO MORE HOSTS LEFT")
    }

    // MARK: - Tasks

    /// Prints the `TASK [...]` banner, deferred under free strategies or when ok/skipped hosts are hidden.
    public func taskStart(_ task: TaskInfo) { startTask(task, prefix: "TASK") }

    /// Prints the `RUNNING HANDLER [...]` banner, deferred like `taskStart`.
    public func handlerTaskStart(_ task: TaskInfo) { startTask(task, prefix: "RUNNING HANDLER") }

    private func startTask(_ task: TaskInfo, prefix: String) {
        bannerPrefixes[task.uuid] = prefix
        if let strategy = play?.strategy, Self.freeStrategies.contains(strategy) {
            lastTaskName = nil
        } else {
            lastTaskName = task.displayName.trimmingCharacters(in: .whitespacesAndNewlines)
            if options.displaySkippedHosts && options.displayOkHosts { printTaskBanner(task) }
        }
    }

    private static let freeStrategies: Set<String> = ["free", "host_pinned", "ansible.builtin.free", "ansible.builtin.host_pinned",
                                                      "ansible.legacy.free", "ansible.legacy.host_pinned"]

    private func printTaskBanner(_ task: TaskInfo) {
        var args = ""
        if !task.noLog && options.displayArgsToStdout, case .dict(let dict) = task.args {
            args = " " + dict.map { "\($0.key)=\($0.value.pythonString)" }.joined(separator: ", ")
        }
        let prefix = bannerPrefixes[task.uuid] ?? "TASK"
        let name = lastTaskName ?? task.displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        let marker = task.checkMode == true && options.checkModeMarkers ? " [CHECK MODE]" : ""
        display.banner("\(prefix) [\(name)\(args)]\(marker)")
        if display.verbosity >= 2 { printTaskPath(task) }
        lastTaskBanner = task.uuid
    }

    private func ensureBanner(_ task: TaskInfo) {
        if lastTaskBanner != task.uuid { printTaskBanner(task) }
    }

    private func printTaskPath(_ task: TaskInfo) {
        if let path = task.path { display.display("task path: \(path)", color: colors.debug) }
    }

    /// Prints ` [started TASK: ...]` when `show_per_host_start` is on.
    public func runnerStart(host: String, task: TaskInfo) {
        if options.showPerHostStart {
            display.display(" [started TASK: \(task.displayName) on \(host)]", color: colors.ok)
        }
    }

    // MARK: - Results

    /// Prints `ok:`/`changed:` for the host (result JSON when verbose); loop tasks' aggregates print nothing.
    public func runnerOk(_ result: TaskResult) {
        var view = ResultFormatter.callbackView(of: result.result, task: result.task)
        let label = ResultFormatter.hostLabel(result)
        if result.task.isInclude {
            ensureBanner(result.task)
            return
        }
        let changed = view["changed"]?.isTruthy ?? false
        if !changed && !options.displayOkHosts { return }
        ensureBanner(result.task)
        var message = changed ? "changed: [\(label)]" : "ok: [\(label)]"
        let color = changed ? colors.changed : colors.ok
        handleWarningsAndException(&view)
        if result.task.hasLoop && view["results"] != nil { return }
        view = ResultFormatter.cleanResults(view, action: result.task.action)
        if formatter.runIsVerbose(view) { message += " => " + formatter.dumpResults(view) }
        display.display(message, color: color)
    }

    /// Prints `fatal: [host]: FAILED! => {...}`, plus `...ignoring` when errors are ignored.
    public func runnerFailed(_ result: TaskResult, ignoreErrors: Bool) {
        var view = ResultFormatter.callbackView(of: result.result, task: result.task)
        let label = ResultFormatter.hostLabel(result)
        ensureBanner(result.task)
        handleWarningsAndException(&view)
        view = ResultFormatter.cleanResults(view, action: result.task.action)
        if !(result.task.hasLoop && view["results"] != nil) {
            if display.verbosity < 2 && options.showTaskPathOnFailure { printTaskPath(result.task) }
            display.display("fatal: [\(label)]: FAILED! => " + formatter.dumpResults(view), color: colors.error,
                            stderr: options.displayFailedStderr)
        }
        if ignoreErrors { display.display("...ignoring", color: colors.skip) }
    }

    /// Prints `skipping: [host]` unless `display_skipped_hosts` is off.
    public func runnerSkipped(_ result: TaskResult) {
        guard options.displaySkippedHosts else { return }
        var view = ResultFormatter.cleanResults(ResultFormatter.callbackView(of: result.result, task: result.task),
                                                action: result.task.action)
        ensureBanner(result.task)
        handleWarningsAndException(&view)
        if result.task.hasLoop, case .dict(var dict) = view, dict.contains("results") {
            dict.removeValue(forKey: "results")
            view = .dict(dict)
        }
        var message = "skipping: [\(result.host)]"
        if formatter.runIsVerbose(view) { message += " => " + formatter.dumpResults(view) }
        display.display(message, color: colors.skip)
    }

    /// Prints `fatal: [host]: UNREACHABLE! => {...}`, plus `...ignoring` under `ignore_unreachable`.
    public func runnerUnreachable(_ result: TaskResult) {
        var view = ResultFormatter.callbackView(of: result.result, task: result.task)
        ensureBanner(result.task)
        handleWarningsAndException(&view)
        let label = ResultFormatter.hostLabel(result)
        display.display("fatal: [\(label)]: UNREACHABLE! => " + formatter.dumpResults(view), color: colors.unreachable,
                        stderr: options.displayFailedStderr)
        if result.task.ignoreUnreachable { display.display("...ignoring", color: colors.skip) }
    }

    // MARK: - Loop items

    /// Prints `ok:`/`changed: [host] => (item=...)` for one loop item.
    public func itemOk(_ result: TaskResult) {
        if result.task.isInclude { return }
        var view = ResultFormatter.callbackView(of: result.result, task: result.task)
        let changed = view["changed"]?.isTruthy ?? false
        if !changed && !options.displayOkHosts { return }
        ensureBanner(result.task)
        handleWarningsAndException(&view)
        var message = "\(changed ? "changed" : "ok"): [\(ResultFormatter.hostLabel(result))] => (item=\(ResultFormatter.itemLabel(view)))"
        view = ResultFormatter.cleanResults(view, action: result.task.action)
        if formatter.runIsVerbose(view) { message += " => " + formatter.dumpResults(view) }
        display.display(message, color: changed ? colors.changed : colors.ok)
    }

    /// Prints `failed: [host] (item=...) => {...}` for one loop item.
    public func itemFailed(_ result: TaskResult) {
        var view = ResultFormatter.callbackView(of: result.result, task: result.task)
        ensureBanner(result.task)
        handleWarningsAndException(&view)
        let label = ResultFormatter.itemLabel(view)
        view = ResultFormatter.cleanResults(view, action: result.task.action)
        display.display("failed: [\(ResultFormatter.hostLabel(result))] (item=\(label)) => " + formatter.dumpResults(view),
                        color: colors.error, stderr: options.displayFailedStderr)
    }

    /// Prints `skipping: [host] => (item=...)` (with Ansible's trailing space).
    public func itemSkipped(_ result: TaskResult) {
        guard options.displaySkippedHosts else { return }
        var view = ResultFormatter.callbackView(of: result.result, task: result.task)
        ensureBanner(result.task)
        handleWarningsAndException(&view)
        view = ResultFormatter.cleanResults(view, action: result.task.action)
        // Ansible leaves a trailing space after the label here.
        var message = "skipping: [\(result.host)] => (item=\(ResultFormatter.itemLabel(view))) "
        if formatter.runIsVerbose(view) { message += " => " + formatter.dumpResults(view) }
        display.display(message, color: colors.skip)
    }

    /// Prints `FAILED - RETRYING: [host]: task (N retries left).`
    public func runnerRetry(_ result: TaskResult) {
        let view = ResultFormatter.callbackView(of: result.result, task: result.task)
        let retries = view["retries"]?.intValue ?? 0
        let attempts = view["attempts"]?.intValue ?? 0
        var message = "FAILED - RETRYING: [\(ResultFormatter.hostLabel(result))]: \(result.task.displayName) (\(retries - attempts) retries left)."
        if formatter.runIsVerbose(view, verbosity: 2) { message += "Result was: " + formatter.dumpResults(view) }
        display.display(message, color: colors.debug)
    }

    // MARK: - Other events

    /// Prints the unified diff of each changed result (or loop item) that carries one.
    public func fileDiff(_ result: TaskResult) {
        let view = result.result
        if result.task.hasLoop, case .list(let items)? = view["results"] {
            for item in items {
                guard let diff = item["diff"], diff.isTruthy, item["changed"]?.isTruthy ?? false else { continue }
                showDiff(diff, task: result.task)
            }
        } else if let diff = view["diff"], diff.isTruthy, view["changed"]?.isTruthy ?? false {
            showDiff(diff, task: result.task)
        }
    }

    private func showDiff(_ diff: Value, task: TaskInfo) {
        let text = formatter.renderDiff(diff)
        guard !text.isEmpty else { return }
        ensureBanner(task)
        display.display(text)
    }

    /// Prints `included: path for hosts` (with the loop item when there is one).
    public func include(_ file: IncludedFileInfo) {
        var message = "included: \(file.path) for \(file.hosts.joined(separator: ", "))"
        if let item = file.item, item.isTruthy {
            message += " => (item=\(item.pythonString))"
        }
        display.display(message, color: colors.included)
    }

    /// Prints `NOTIFIED HANDLER ... for host` at `-vv` (screen only).
    public func notify(host: String, handler: TaskInfo) {
        if display.verbosity > 1 {
            display.display("NOTIFIED HANDLER \(handler.displayName) for \(host)", color: colors.verbose, screenOnly: true)
        }
    }

    /// Prints `ASYNC POLL on host: jid=... started=... finished=...`.
    public func runnerAsyncPoll(_ result: TaskResult) {
        let r = result.result
        display.display("ASYNC POLL on \(result.host): jid=\(Self.pyText(r["ansible_job_id"])) started=\(Self.pyText(r["started"])) "
                        + "finished=\(Self.pyText(r["finished"]))", color: colors.debug)
    }

    /// Prints `ASYNC OK on host: jid=...`.
    public func runnerAsyncOk(_ result: TaskResult) {
        display.display("ASYNC OK on \(result.host): jid=\(Self.pyText(result.result["ansible_job_id"]))", color: colors.debug)
    }

    /// Prints `ASYNC FAILED on host: jid=...`.
    public func runnerAsyncFailed(_ result: TaskResult) {
        var jid = result.result["ansible_job_id"]
        if !(jid?.isTruthy ?? false) { jid = result.result["async_result"]?["ansible_job_id"] }
        display.display("ASYNC FAILED on \(result.host): jid=\(Self.pyText(jid))", color: colors.debug)
    }

    /// Prints `[WARNING]:` through the display.
    public func warning(_ message: String) { display.warning(message) }

    /// Prints `[DEPRECATION WARNING]:` through the display.
    public func deprecated(_ message: String, version: String?) { display.deprecated(message, version: version) }
    public func verboseMessage(_ message: String, level: Int) { display.verbose(message, level: level) }

    /// Prints PLAY RECAP, custom stats when `show_custom_stats` is on, and the closing `DRY RUN` banner.
    public func stats(_ stats: RunStats) {
        display.banner("PLAY RECAP")
        for host in stats.hosts.sorted(by: Value.pythonStringLess) {
            let s = stats[host]
            display.display(RecapLine.format(host: host, stats: s, display: display), screenOnly: true)
            display.display(RecapLine.format(host: host, stats: s, display: nil), logOnly: true)
        }
        display.display("", screenOnly: true)
        if !stats.custom.isEmpty && options.showCustomStats {
            display.banner("CUSTOM STATS: ")
            for key in stats.custom.keys.sorted(by: Value.pythonStringLess) where key != "_run" {
                let text = formatter.dumpResults(stats.custom[key]!, indent: 1).replacingOccurrences(of: "\n", with: "")
                display.display("\t\(key): \(text)")
            }
            if let run = stats.custom["_run"] {
                display.display("", screenOnly: true)
                display.display("\tRUN: " + formatter.dumpResults(run, indent: 1).replacingOccurrences(of: "\n", with: ""))
            }
            display.display("", screenOnly: true)
        }
        if playbookCheckMode && options.checkModeMarkers { display.banner("DRY RUN") }
    }

    // MARK: - Helpers

    /// Shows the result's warnings, deprecations and error (which Ansible prints before the
    /// status line) and removes them from the result.
    private func handleWarningsAndException(_ view: inout Value) {
        ResultMessages.show(from: &view, on: display, errorToStderr: options.displayFailedStderr)
    }

    private static func pyText(_ value: Value?) -> String { (value ?? .null).pythonString }
}
