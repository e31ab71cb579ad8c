import Foundation
import Jinja

/// What every part of one run shares: options, variables, templating, modules,
/// connections, callbacks and statistics.
final class RunContext: @unchecked Sendable {
    let options: ExecutionOptions
    let variables: VariableManager
    let templar: Templar
    let modules: ModuleRegistry
    /// Where remote modules run (this process or worker processes).
    let runner: ModuleRunner
    let callbacks: CallbackDispatcher
    let loader: DataLoader
    private let statsLock = NSLock()
    private var _stats = RunStats()

    init(options: ExecutionOptions, variables: VariableManager, modules: ModuleRegistry,
         callbacks: CallbackDispatcher, loader: DataLoader, runner: ModuleRunner) {
        self.options = options
        self.variables = variables
        self.templar = variables.templar
        self.modules = modules
        modules.pythonPlugins.install(into: variables.templar.environment)
        self.runner = runner
        self.callbacks = callbacks
        self.loader = loader
    }

    private var cancelled = false

    /// Set by ``cancel()``: strategies schedule no new host-task once it is true.
    var isCancelled: Bool {
        statsLock.lock(); defer { statsLock.unlock() }
        return cancelled
    }

    /// Stops scheduling and interrupts the commands running on hosts now.
    func cancel() {
        statsLock.lock()
        let first = !cancelled
        cancelled = true
        statsLock.unlock()
        if first { runner.interrupt() }
    }

    var stats: RunStats {
        statsLock.lock(); defer { statsLock.unlock() }
        return _stats
    }

    /// Applies a `set_stats` result (`data`, `per_host`, `aggregate`).
    func recordCustomStats(_ stats: OrderedDict, host: String) {
        guard let data = stats["data"]?.dictValue, !data.isEmpty else { return }
        let perHost = stats["per_host"].map { $0.isTruthy } ?? true
        let aggregate = stats["aggregate"]?.isTruthy ?? false
        statsLock.lock(); defer { statsLock.unlock() }
        for (key, value) in data {
            _stats.recordCustom(key, value, host: perHost ? host : nil, aggregate: aggregate)
        }
    }

    func updateStats(_ host: String, _ update: (inout HostStats) -> Void) {
        statsLock.lock(); defer { statsLock.unlock() }
        var s = _stats[host]
        update(&s)
        _stats[host] = s
    }
}

/// Fans events out to the stdout callback and the other enabled callbacks, one event at a
/// time (workers report from several threads).
public final class CallbackDispatcher: @unchecked Sendable {
    private let lock = NSRecursiveLock()
    /// The receivers, stdout callback first.
    public private(set) var plugins: [CallbackPlugin]

    /// A dispatcher over `plugins`, in delivery order.
    public init(_ plugins: [CallbackPlugin]) { self.plugins = plugins }

    /// Appends a receiver; thread-safe, takes effect from the next event.
    public func add(_ plugin: CallbackPlugin) {
        lock.lock(); defer { lock.unlock() }
        plugins.append(plugin)
    }

    /// Sees every event first and around its delivery (the runner's event recorder).
    public private(set) var scope: CallbackEventScope?

    /// Installs `scope`; thread-safe, takes effect from the next event.
    public func setScope(_ scope: CallbackEventScope?) {
        lock.lock(); defer { lock.unlock() }
        self.scope = scope
    }

    func send(_ event: (CallbackPlugin) -> Void) {
        lock.lock(); defer { lock.unlock() }
        guard let scope else {
            for p in plugins { event(p) }
            return
        }
        scope.beginEvent()
        event(scope)
        for p in plugins { event(p) }
        scope.endEvent()
    }

    func warning(_ message: String) { send { $0.warning(message) } }
}

/// Text of an error as Ansible puts it in a result's `msg`.
enum TaskErrorText {
    static func message(_ error: Error) -> String {
        switch error {
        case let e as JinjaError: return e.message
        case let e as TroupeError: return e.message
        case let e as TemplateError: return e.description
        case let e as UnreachableError: return e.message
        case let e as LoopTermsError: return e.message
        default: return "\(error)"
        }
    }
}
