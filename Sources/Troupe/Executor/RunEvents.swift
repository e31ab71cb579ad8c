import Foundation

/// One callback event of a run, as a value: what ``RunEvents`` yields.
public enum RunEvent: Sendable {
    case playbookStart(PlaybookInfo)
    case playStart(PlayInfo)
    case taskStart(TaskInfo)
    case handlerTaskStart(TaskInfo)
    case runnerStart(host: String, task: TaskInfo)
    case ok(TaskResult)
    case failed(TaskResult, ignoreErrors: Bool)
    case skipped(TaskResult)
    case unreachable(TaskResult)
    case itemOk(TaskResult)
    case itemFailed(TaskResult)
    case itemSkipped(TaskResult)
    case retry(TaskResult)
    case notify(host: String, handler: TaskInfo)
    case include(IncludedFileInfo)
    case noHostsMatched
    case noHostsRemaining
    case warning(String)
    /// The final statistics (PLAY RECAP); the last event of a run that was not cancelled.
    case stats(RunStats)
}

/// The events of any run as an `AsyncSequence`, for programs that embed Troupe: add it
/// to a run's callbacks (``TaskQueueManager/events()`` does) and iterate it while the run
/// goes. The sequence ends when the run finishes. Events are buffered without bound, so
/// a slow reader never slows the run.
public final class RunEvents: CallbackPlugin, AsyncSequence, @unchecked Sendable {
    // @unchecked: `stream` and `continuation` are set once in init; AsyncStream's
    // continuation is itself thread-safe.
    public typealias Element = RunEvent
    private let stream: AsyncStream<RunEvent>
    private let continuation: AsyncStream<RunEvent>.Continuation

    public init() {
        (stream, continuation) = AsyncStream.makeStream(of: RunEvent.self, bufferingPolicy: .unbounded)
    }

    public func makeAsyncIterator() -> AsyncStream<RunEvent>.Iterator { stream.makeAsyncIterator() }

    /// Ends the sequence (the run is over).
    public func finish() { continuation.finish() }

    private func yield(_ event: RunEvent) { continuation.yield(event) }

    public func playbookStart(_ playbook: PlaybookInfo) { yield(.playbookStart(playbook)) }
    public func playStart(_ play: PlayInfo) { yield(.playStart(play)) }
    public func taskStart(_ task: TaskInfo) { yield(.taskStart(task)) }
    public func handlerTaskStart(_ task: TaskInfo) { yield(.handlerTaskStart(task)) }
    public func runnerStart(host: String, task: TaskInfo) { yield(.runnerStart(host: host, task: task)) }
    public func runnerOk(_ result: TaskResult) { yield(.ok(result)) }
    public func runnerFailed(_ result: TaskResult, ignoreErrors: Bool) { yield(.failed(result, ignoreErrors: ignoreErrors)) }
    public func runnerSkipped(_ result: TaskResult) { yield(.skipped(result)) }
    public func runnerUnreachable(_ result: TaskResult) { yield(.unreachable(result)) }
    public func itemOk(_ result: TaskResult) { yield(.itemOk(result)) }
    public func itemFailed(_ result: TaskResult) { yield(.itemFailed(result)) }
    public func itemSkipped(_ result: TaskResult) { yield(.itemSkipped(result)) }
    public func runnerRetry(_ result: TaskResult) { yield(.retry(result)) }
    public func notify(host: String, handler: TaskInfo) { yield(.notify(host: host, handler: handler)) }
    public func include(_ file: IncludedFileInfo) { yield(.include(file)) }
    public func noHostsMatched() { yield(.noHostsMatched) }
    public func noHostsRemaining() { yield(.noHostsRemaining) }
    public func warning(_ message: String) { yield(.warning(message)) }
    public func stats(_ stats: RunStats) { yield(.stats(stats)) }
}

/// Runs blocking engine work on a thread of its own (never on Swift's cooperative pool,
/// which host-tasks blocking on connections would starve) and resumes the caller with
/// its result. Cancelling the calling task calls `cancel` once.
enum BlockingRun {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T, cancel: @escaping @Sendable () -> Void) async throws -> T {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
                let thread = Thread {
                    do {
                        continuation.resume(returning: try work())
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
                thread.name = "troupe run"
                thread.stackSize = 8 << 20
                thread.start()
            }
        } onCancel: {
            cancel()
        }
    }
}

extension TaskQueueManager {
    /// Runs one play without blocking the caller; returns Ansible's result code (0 ok,
    /// 2 failed hosts, 4 unreachable). Cancelling the calling task cancels the run: nothing
    /// more is scheduled and the commands running on hosts are interrupted.
    public func run(_ play: Play) async throws -> Int {
        try await BlockingRun.run({ [self] in try run(play) }, cancel: { [self] in cancel() })
    }

    /// A sequence of this run's events from now on (add it before running). It ends when
    /// ``finish()`` or ``cleanup()`` ends the run.
    public func events() -> RunEvents {
        let events = RunEvents()
        callbacks.add(events)
        eventStreams.add(events)
        return events
    }
}

extension PlaybookExecutor {
    /// Runs the playbooks without blocking the caller; returns ansible-playbook's exit code.
    /// Cancelling the calling task cancels the run (no recap is reported).
    public func run() async throws -> Int {
        try await BlockingRun.run({ [self] in try run() }, cancel: { [taskQueueManager] in taskQueueManager.cancel() })
    }

    /// A sequence of the run's events (add it before running); it ends with the run.
    public func events() -> RunEvents { taskQueueManager.events() }
}

/// The event sequences handed out for a run, ended together when the run ends.
final class RunEventStreams: @unchecked Sendable {
    // @unchecked: `streams` is guarded by `lock`.
    private let lock = NSLock()
    private var streams: [RunEvents] = []

    func add(_ events: RunEvents) { lock.withLock { streams.append(events) } }

    func finishAll() {
        let all = lock.withLock { streams }
        for s in all { s.finish() }
    }
}
