import Jinja

/// A receiver of run events — Ansible's CallbackBase. Every method has a default that
/// does nothing, so a plugin implements only what it needs. Events arrive in order on one
/// thread at a time.
public protocol CallbackPlugin: AnyObject {
    func playbookStart(_ playbook: PlaybookInfo)
    func playStart(_ play: PlayInfo)
    func taskStart(_ task: TaskInfo)
    func handlerTaskStart(_ task: TaskInfo)
    func runnerStart(host: String, task: TaskInfo)
    func runnerOk(_ result: TaskResult)
    func runnerFailed(_ result: TaskResult, ignoreErrors: Bool)
    func runnerSkipped(_ result: TaskResult)
    func runnerUnreachable(_ result: TaskResult)
    func itemOk(_ result: TaskResult)
    func itemFailed(_ result: TaskResult)
    func itemSkipped(_ result: TaskResult)
    func runnerRetry(_ result: TaskResult)
    func notify(host: String, handler: TaskInfo)
    func include(_ file: IncludedFileInfo)
    func noHostsMatched()
    func noHostsRemaining()
    func fileDiff(_ result: TaskResult)
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
}

extension CallbackPlugin {
    public func playbookStart(_ playbook: PlaybookInfo) {}
    public func playStart(_ play: PlayInfo) {}
    public func taskStart(_ task: TaskInfo) {}
    public func handlerTaskStart(_ task: TaskInfo) {}
    public func runnerStart(host: String, task: TaskInfo) {}
    public func runnerOk(_ result: TaskResult) {}
    public func runnerFailed(_ result: TaskResult, ignoreErrors: Bool) {}
    public func runnerSkipped(_ result: TaskResult) {}
    public func runnerUnreachable(_ result: TaskResult) {}
    public func itemOk(_ result: TaskResult) {}
    public func itemFailed(_ result: TaskResult) {}
    public func itemSkipped(_ result: TaskResult) {}
    public func runnerRetry(_ result: TaskResult) {}
    public func notify(host: String, handler: TaskInfo) {}
    public func include(_ file: IncludedFileInfo) {}
    public func noHostsMatched() {}
    public func noHostsRemaining() {}
    public func fileDiff(_ result: TaskResult) {}
    public func stats(_ stats: RunStats) {}
    public func warning(_ message: String) {}
    public func runnerAsyncPoll(_ result: TaskResult) {}
    public func runnerAsyncOk(_ result: TaskResult) {}
    public func runnerAsyncFailed(_ result: TaskResult) {}
    public func deprecated(_ message: String, version: String?) {}
}
