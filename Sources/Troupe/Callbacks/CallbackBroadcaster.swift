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

    /// Forwards `playbookStart` to every plugin, in order.
    public func playbookStart(_ playbook: PlaybookInfo) { plugins.forEach { $0.playbookStart(playbook) } }
    /// Forwards `playStart` to every plugin, in order.
    public func playStart(_ play: PlayInfo) { plugins.forEach { $0.playStart(play) } }
    /// Forwards `taskStart` to every plugin, in order.
    public func taskStart(_ task: TaskInfo) { plugins.forEach { $0.taskStart(task) } }
    /// Forwards `handlerTaskStart` to every plugin, in order.
    public func handlerTaskStart(_ task: TaskInfo) { plugins.forEach { $0.handlerTaskStart(task) } }
    /// Forwards `runnerStart` to every plugin, in order.
    public func runnerStart(host: String, task: TaskInfo) { plugins.forEach { $0.runnerStart(host: host, task: task) } }
    /// Forwards `runnerOk` to every plugin, in order.
    public func runnerOk(_ result: TaskResult) { plugins.forEach { $0.runnerOk(result) } }
    /// Forwards `runnerFailed` to every plugin, in order.
    public func runnerFailed(_ result: TaskResult, ignoreErrors: Bool) { plugins.forEach { $0.runnerFailed(result, ignoreErrors: ignoreErrors) } }
    /// Forwards `runnerSkipped` to every plugin, in order.
    public func runnerSkipped(_ result: TaskResult) { plugins.forEach { $0.runnerSkipped(result) } }
    /// Forwards `runnerUnreachable` to every plugin, in order.
    public func runnerUnreachable(_ result: TaskResult) { plugins.forEach { $0.runnerUnreachable(result) } }
    /// Forwards `itemOk` to every plugin, in order.
    public func itemOk(_ result: TaskResult) { plugins.forEach { $0.itemOk(result) } }
    /// Forwards `itemFailed` to every plugin, in order.
    public func itemFailed(_ result: TaskResult) { plugins.forEach { $0.itemFailed(result) } }
    /// Forwards `itemSkipped` to every plugin, in order.
    public func itemSkipped(_ result: TaskResult) { plugins.forEach { $0.itemSkipped(result) } }
    /// Forwards `runnerRetry` to every plugin, in order.
    public func runnerRetry(_ result: TaskResult) { plugins.forEach { $0.runnerRetry(result) } }
    /// Forwards `notify` to every plugin, in order.
    public func notify(host: String, handler: TaskInfo) { plugins.forEach { $0.notify(host: host, handler: handler) } }
    /// Forwards `include` to every plugin, in order.
    public func include(_ file: IncludedFileInfo) { plugins.forEach { $0.include(file) } }
    /// Forwards `noHostsMatched` to every plugin, in order.
    public func noHostsMatched() { plugins.forEach { $0.noHostsMatched() } }
    /// Forwards `noHostsRemaining` to every plugin, in order.
    public func noHostsRemaining() { plugins.forEach { $0.noHostsRemaining() } }
    /// Forwards `fileDiff` to every plugin, in order.
    public func fileDiff(_ result: TaskResult) { plugins.forEach { $0.fileDiff(result) } }
    /// Forwards `stats` to every plugin, in order.
    public func stats(_ stats: RunStats) { plugins.forEach { $0.stats(stats) } }
    /// Forwards `runnerAsyncPoll` to every plugin, in order.
    public func runnerAsyncPoll(_ result: TaskResult) { plugins.forEach { $0.runnerAsyncPoll(result) } }
    /// Forwards `runnerAsyncOk` to every plugin, in order.
    public func runnerAsyncOk(_ result: TaskResult) { plugins.forEach { $0.runnerAsyncOk(result) } }
    /// Forwards `runnerAsyncFailed` to every plugin, in order.
    public func runnerAsyncFailed(_ result: TaskResult) { plugins.forEach { $0.runnerAsyncFailed(result) } }

    /// Warnings and deprecations are screen messages: only the first (stdout) callback shows
    /// them, so they are not printed once per plugin.
    public func warning(_ message: String) { plugins.first?.warning(message) }
    /// Forwards a deprecation to the first (stdout) plugin only.
    public func deprecated(_ message: String, version: String?) { plugins.first?.deprecated(message, version: version) }
    /// Forwards an engine verbose message to the first (stdout) plugin only.
    public func verboseMessage(_ message: String, level: Int) { plugins.first?.verboseMessage(message, level: level) }
}
