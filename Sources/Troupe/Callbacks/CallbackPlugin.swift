import Jinja

/// A receiver of run events — Ansible's CallbackBase. Every method has a default that
/// does nothing, so a plugin implements only what it needs. Events arrive in order on one
/// thread at a time.
public protocol CallbackPlugin: AnyObject {
    /// The playbook file is about to run (`v2_playbook_on_start`).
    func playbookStart(_ playbook: PlaybookInfo)
    /// A play begins, after its hosts are resolved (`v2_playbook_on_play_start`).
    func playStart(_ play: PlayInfo)
    /// A task begins, once per task, not per host (`v2_playbook_on_task_start`).
    func taskStart(_ task: TaskInfo)
    /// A handler begins running (`v2_playbook_on_handler_task_start`).
    func handlerTaskStart(_ task: TaskInfo)
    /// A task starts on one host (`v2_runner_on_start`).
    func runnerStart(host: String, task: TaskInfo)
    /// A task succeeded on a host, changed or not (`v2_runner_on_ok`).
    func runnerOk(_ result: TaskResult)
    /// A task failed on a host; `ignoreErrors` is true when `ignore_errors` applies (`v2_runner_on_failed`).
    func runnerFailed(_ result: TaskResult, ignoreErrors: Bool)
    /// A task was skipped on a host (`v2_runner_on_skipped`).
    func runnerSkipped(_ result: TaskResult)
    /// A host could not be reached (`v2_runner_on_unreachable`).
    func runnerUnreachable(_ result: TaskResult)
    /// One loop item succeeded (`v2_runner_item_on_ok`).
    func itemOk(_ result: TaskResult)
    /// One loop item failed (`v2_runner_item_on_failed`).
    func itemFailed(_ result: TaskResult)
    /// One loop item was skipped (`v2_runner_item_on_skipped`).
    func itemSkipped(_ result: TaskResult)
    /// A task with `until:` failed an attempt and will retry (`v2_runner_retry`).
    func runnerRetry(_ result: TaskResult)
    /// A changed task notified `handler` on `host` (`v2_playbook_on_notify`).
    func notify(host: String, handler: TaskInfo)
    /// An `include_tasks`/`include_role` file was loaded (`v2_playbook_on_include`).
    func include(_ file: IncludedFileInfo)
    /// A play's pattern matched no hosts (`v2_playbook_on_no_hosts_matched`).
    func noHostsMatched()
    /// Every host of the play has failed or become unreachable (`v2_playbook_on_no_hosts_remaining`).
    func noHostsRemaining()
    /// A result carries a `diff` to show (`v2_on_file_diff`).
    func fileDiff(_ result: TaskResult)
    /// The run finished; `stats` holds the PLAY RECAP counters (`v2_playbook_on_stats`).
    func stats(_ stats: RunStats)
    /// `[WARNING]:` text produced by the run.
    func warning(_ message: String)
    /// An async task's status poll (`ASYNC POLL on host: jid=… started=… finished=…`).
    func runnerAsyncPoll(_ result: TaskResult)
    /// An async task finished (`ASYNC OK on host: jid=…`).
    func runnerAsyncOk(_ result: TaskResult)
    /// An async task failed or timed out.
    func runnerAsyncFailed(_ result: TaskResult)
    /// `[DEPRECATION WARNING]:` produced by the run.
    func deprecated(_ message: String, version: String?)
    /// A message the engine shows at `-v`…`-vvvv` (`level` 1…4), such as "META: …".
    func verboseMessage(_ message: String, level: Int)
}

extension CallbackPlugin {
    /// Default `playbookStart`: ignores the event.
    public func playbookStart(_ playbook: PlaybookInfo) {}
    /// Default `playStart`: ignores the event.
    public func playStart(_ play: PlayInfo) {}
    /// Default `taskStart`: ignores the event.
    public func taskStart(_ task: TaskInfo) {}
    /// Default `handlerTaskStart`: ignores the event.
    public func handlerTaskStart(_ task: TaskInfo) {}
    /// Default `runnerStart`: ignores the event.
    public func runnerStart(host: String, task: TaskInfo) {}
    /// Default `runnerOk`: ignores the event.
    public func runnerOk(_ result: TaskResult) {}
    /// Default `runnerFailed`: ignores the event.
    public func runnerFailed(_ result: TaskResult, ignoreErrors: Bool) {}
    /// Default `runnerSkipped`: ignores the event.
    public func runnerSkipped(_ result: TaskResult) {}
    /// Default `runnerUnreachable`: ignores the event.
    public func runnerUnreachable(_ result: TaskResult) {}
    /// Default `itemOk`: ignores the event.
    public func itemOk(_ result: TaskResult) {}
    /// Default `itemFailed`: ignores the event.
    public func itemFailed(_ result: TaskResult) {}
    /// Default `itemSkipped`: ignores the event.
    public func itemSkipped(_ result: TaskResult) {}
    /// Default `runnerRetry`: ignores the event.
    public func runnerRetry(_ result: TaskResult) {}
    /// Default `notify`: ignores the event.
    public func notify(host: String, handler: TaskInfo) {}
    /// Default `include`: ignores the event.
    public func include(_ file: IncludedFileInfo) {}
    /// Default `noHostsMatched`: ignores the event.
    public func noHostsMatched() {}
    /// Default `noHostsRemaining`: ignores the event.
    public func noHostsRemaining() {}
    /// Default `fileDiff`: ignores the event.
    public func fileDiff(_ result: TaskResult) {}
    /// Default `stats`: ignores the event.
    public func stats(_ stats: RunStats) {}
    /// Default `warning`: ignores the event.
    public func warning(_ message: String) {}
    /// Default `runnerAsyncPoll`: ignores the event.
    public func runnerAsyncPoll(_ result: TaskResult) {}
    /// Default `runnerAsyncOk`: ignores the event.
    public func runnerAsyncOk(_ result: TaskResult) {}
    /// Default `runnerAsyncFailed`: ignores the event.
    public func runnerAsyncFailed(_ result: TaskResult) {}
    /// Default `deprecated`: ignores the event.
    public func deprecated(_ message: String, version: String?) {}
    /// Default `verboseMessage`: ignores the event.
    public func verboseMessage(_ message: String, level: Int) {}
}
