import Jinja

/// Sends every event to several callbacks in order (stdout callback first), so the executor
/// talks to one `CallbackPlugin`.
public final class CallbackBroadcaster: CallbackPlugin {
    /// The receivers, in delivery order.
    public private(set) var plugins: [CallbackPlugin]

    /// A broadcaster over `plugins`.
    public init(_ plugins: [CallbackPlugin]) { self.plugins = plugins }

    /// Adds a receiver at the end.
    public func add(_ plugin: CallbackPlugin) { plugins.append(plugin) }

    public func playbookStart(_ playbook: PlaybookInfo) { plugins.forEach { $0.playbookStart(playbook) } }
    public func playStart(_ play: PlayInfo) { plugins.forEach { $0.playStart(play) } }
    public func taskStart(_ task: TaskInfo) { plugins.forEach { $0.taskStart(task) } }
    public func handlerTaskStart(_ task: TaskInfo) { plugins.forEach { $0.handlerTaskStart(task) } }
    public func runnerStart(host: String, task: TaskInfo) { plugins.forEach { $0.runnerStart(host: host, task: task) } }
    public func runnerOk(_ result: TaskResult) { plugins.forEach { $0.runnerOk(result) } }
    public func runnerFailed(_ result: TaskResult, ignoreErrors: Bool) { plugins.forEach { $0.runnerFailed(result, ignoreErrors: ignoreErrors) } }
    public func runnerSkipped(_ result: TaskResult) { plugins.forEach { $0.runnerSkipped(result) } }
    public func runnerUnreachable(_ result: TaskResult) { plugins.forEach { $0.runnerUnreachable(result) } }
    public func itemOk(_ result: TaskResult) { plugins.forEach { $0.itemOk(result) } }
    public func itemFailed(_ result: TaskResult) { plugins.forEach { $0.itemFailed(result) } }
    public func itemSkipped(_ result: TaskResult) { plugins.forEach { $0.itemSkipped(result) } }
    public func runnerRetry(_ result: TaskResult) { plugins.forEach { $0.runnerRetry(result) } }
    public func notify(host: String, handler: TaskInfo) { plugins.forEach { $0.notify(host: host, handler: handler) } }
    public func include(_ file: IncludedFileInfo) { plugins.forEach { $0.include(file) } }
    public func noHostsMatched() { plugins.forEach { $0.noHostsMatched() } }
    public func noHostsRemaining() { plugins.forEach { $0.noHostsRemaining() } }
    public func fileDiff(_ result: TaskResult) { plugins.forEach { $0.fileDiff(result) } }
    public func stats(_ stats: RunStats) { plugins.forEach { $0.stats(stats) } }
    public func runnerAsyncPoll(_ result: TaskResult) { plugins.forEach { $0.runnerAsyncPoll(result) } }
    public func runnerAsyncOk(_ result: TaskResult) { plugins.forEach { $0.runnerAsyncOk(result) } }
    public func runnerAsyncFailed(_ result: TaskResult) { plugins.forEach { $0.runnerAsyncFailed(result) } }

    /// Warnings and deprecations are screen messages: only the first (stdout) callback shows
    /// them, so they are not printed once per plugin.
    public func warning(_ message: String) { plugins.first?.warning(message) }
    public func deprecated(_ message: String, version: String?) { plugins.first?.deprecated(message, version: version) }
}
