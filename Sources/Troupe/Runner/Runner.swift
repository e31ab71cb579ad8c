import Foundation
import Jinja

/// A playbook run as an object, the way ansible-runner offers it: start it (``run()``,
/// ``runAsync()`` or ``start()``), watch ``events`` while it goes, ``cancel()`` it, and
/// read ``status``, ``rc``, ``stats`` and the artifacts afterwards.
///
/// ```swift
/// let runner = Runner(config: RunnerConfig(privateDataDir: "/srv/job", playbook: "site.yml"))
/// runner.start()
/// for await event in runner.events where event.event == "runner_on_failed" {
///     print(event.host ?? "", event.stdout)
/// }
/// print(runner.status, runner.rc ?? -1)
/// ```
public final class Runner: @unchecked Sendable {
    /// What runs.
    public let config: RunnerConfig
    /// `artifacts/<ident>`.
    public var artifactDirectory: String { config.artifactPath }

    private let lock = NSLock()
    private let done = DispatchSemaphore(value: 0)
    private var _status = RunnerStatus.unstarted
    private var _rc: Int?
    private var _stats: RunStats?
    private var history: [RunnerEvent] = []
    private var streams: [UUID: AsyncStream<RunnerEvent>.Continuation] = [:]
    private var eventHandlers: [(RunnerEvent) -> Void] = []
    private var statusHandlers: [(RunnerStatus) -> Void] = []
    private var finishHandlers: [(Runner) -> Void] = []
    private var executor: PlaybookExecutor?
    private var canceled = false
    private var timedOut = false
    private var started = false

    /// A runner for `config`; nothing happens until it is started.
    public init(config: RunnerConfig) {
        self.config = config
    }

    // MARK: - State

    /// Where the run is.
    public var status: RunnerStatus { locked { _status } }
    /// The exit code once finished (ansible-playbook's: 0, 2 failed hosts, 4 unreachable …;
    /// 254 when canceled or timed out).
    public var rc: Int? { locked { _rc } }
    /// The PLAY RECAP counters once finished.
    public var stats: RunStats? { locked { _stats } }
    /// Every event so far, in order.
    public var recordedEvents: [RunnerEvent] { locked { history } }

    /// The events of one host so far (`event_data.host`), in order.
    public func hostEvents(_ host: String) -> [RunnerEvent] {
        locked { history.filter { $0.host == host } }
    }

    /// The run's events as an async sequence: those already recorded, then each new one as
    /// it happens; it ends when the run finishes. Each access is an independent sequence.
    public var events: AsyncStream<RunnerEvent> {
        AsyncStream(bufferingPolicy: .unbounded) { continuation in
            let id = UUID()
            lock.lock()
            for event in history { continuation.yield(event) }
            if _status.isFinal {
                lock.unlock()
                continuation.finish()
                return
            }
            streams[id] = continuation
            lock.unlock()
            continuation.onTermination = { [weak self] _ in
                self?.lock.lock()
                self?.streams[id] = nil
                self?.lock.unlock()
            }
        }
    }

    // MARK: - Handlers

    /// Called for every event, in order, on the thread that produced it.
    public func onEvent(_ handler: @escaping (RunnerEvent) -> Void) { locked { eventHandlers.append(handler) } }
    /// Called on every status change (starting, running, then the final one).
    public func onStatusChange(_ handler: @escaping (RunnerStatus) -> Void) { locked { statusHandlers.append(handler) } }
    /// Called once when the run is over, after `status` and `rc` are final.
    public func onFinish(_ handler: @escaping (Runner) -> Void) { locked { finishHandlers.append(handler) } }

    // MARK: - Running

    /// Runs to the end on the calling thread; returns the final status.
    @discardableResult
    public func run() -> RunnerStatus {
        guard claimStart() else { wait(); return status }
        execute()
        return status
    }

    /// Starts the run on a thread of its own and returns at once.
    public func start() {
        guard claimStart() else { return }
        let thread = Thread { [self] in execute() }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Runs without blocking the caller's task; returns the final status.
    public func runAsync() async -> RunnerStatus {
        start()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async { [self] in
                wait()
                continuation.resume()
            }
        }
        return status
    }

    /// Blocks until the run is over.
    public func wait() {
        guard locked({ started }) else { return }
        done.wait()
        done.signal()
    }

    /// Stops the run: no new task starts, commands running on hosts are terminated, and
    /// the run ends with status `canceled` and rc 254.
    public func cancel() { stop(timeout: false) }

    func stop(timeout: Bool) {
        lock.lock()
        guard !_status.isFinal, !canceled, !timedOut else { lock.unlock(); return }
        if timeout { timedOut = true } else { canceled = true }
        let executor = self.executor
        lock.unlock()
        executor?.taskQueueManager.cancel()
    }

    private func claimStart() -> Bool {
        locked {
            if started { return false }
            started = true
            return true
        }
    }

    // MARK: - Internals used by the execution

    var isStopped: Bool { locked { canceled || timedOut } }

    /// Publishes the executor so `cancel()` can reach it; false when already stopped.
    func install(_ executor: PlaybookExecutor) -> Bool {
        locked {
            self.executor = executor
            return !(canceled || timedOut)
        }
    }

    func setStatus(_ status: RunnerStatus) {
        lock.lock()
        _status = status
        let handlers = statusHandlers
        lock.unlock()
        for handler in handlers { handler(status) }
    }

    func publish(_ event: RunnerEvent) {
        lock.lock()
        history.append(event)
        let continuations = Array(streams.values)
        let handlers = eventHandlers
        lock.unlock()
        for c in continuations { c.yield(event) }
        for handler in handlers { handler(event) }
    }

    /// Final status from the exit code and how the run ended; `persist` writes it out
    /// before anyone waiting is told.
    func finish(code: Int, stats: RunStats?, persist: (RunnerStatus, Int) -> Void) {
        lock.lock()
        let final: RunnerStatus = canceled ? .canceled : timedOut ? .timeout : code == 0 ? .successful : .failed
        let rc = (canceled || timedOut) ? 254 : code
        lock.unlock()
        persist(final, rc)
        lock.lock()
        _rc = rc
        _stats = stats
        _status = final
        executor = nil
        let continuations = Array(streams.values)
        streams.removeAll()
        let statusHandlers = self.statusHandlers
        let finishHandlers = self.finishHandlers
        lock.unlock()
        for handler in statusHandlers { handler(final) }
        for c in continuations { c.finish() }
        done.signal()
        for handler in finishHandlers { handler(self) }
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock(); defer { lock.unlock() }
        return try body()
    }
}
