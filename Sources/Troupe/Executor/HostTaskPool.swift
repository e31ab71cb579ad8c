import Foundation

/// The threads that run host-tasks for one play batch (`Outcome` is a `TaskOutcome`),
/// and the only place the engine makes them. The strategy thread submits work (a
/// ``TaskExecutor`` built over an immutable ``PlayContext`` snapshot) and takes the
/// outcomes back here, so statistics, the iterator, host lists and handler notifications
/// are only ever touched by the strategy thread.
///
/// Dedicated threads, not GCD: host-tasks block on connections, and Linux's dispatch
/// pool would cap them at the number of cores instead of `forks`. Threads are started
/// lazily, up to `maxThreads`, and reused for the next host-task.
final class HostTaskPool<Outcome>: @unchecked Sendable {
    // @unchecked: every mutable field is guarded by `condition`.
    private let condition = NSCondition()
    private let maxThreads: Int
    private var queue: [() -> Outcome] = []
    private var finished: [Outcome] = []
    private var threads = 0
    private var idleThreads = 0
    /// Submitted and not finished (queued or running).
    private var inFlight = 0
    private var closed = false

    init(maxThreads: Int) {
        self.maxThreads = max(1, maxThreads)
    }

    /// Runs `work` on a pool thread; its outcome comes back through ``takeFinished()`` or
    /// ``waitForFinished()``.
    func submit(_ work: @escaping () -> Outcome) {
        condition.lock()
        defer { condition.unlock() }
        precondition(!closed, "HostTaskPool used after shutdown")  // programming error, not input
        queue.append(work)
        inFlight += 1
        if idleThreads == 0 && threads < maxThreads {
            threads += 1
            let thread = Thread { [self] in serve() }
            thread.name = "troupe host-task"
            thread.stackSize = 4 << 20
            thread.start()
        } else {
            condition.broadcast()
        }
    }

    private func serve() {
        condition.lock()
        while true {
            if let work = queue.first {
                queue.removeFirst()
                condition.unlock()
                let outcome = work()
                condition.lock()
                finished.append(outcome)
                inFlight -= 1
                condition.broadcast()
                continue
            }
            if closed { break }
            idleThreads += 1
            condition.wait()
            idleThreads -= 1
        }
        threads -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Outcomes that came in since the last call, in arrival order.
    func takeFinished() -> [Outcome] {
        condition.lock()
        defer { finished.removeAll(); condition.unlock() }
        return finished
    }

    /// Blocks until at least one outcome is in (or nothing is in flight), then takes them all.
    func waitForFinished() -> [Outcome] {
        condition.lock()
        while finished.isEmpty && inFlight > 0 { condition.wait() }
        defer { finished.removeAll(); condition.unlock() }
        return finished
    }

    /// Blocks until fewer than `limit` host-tasks run (their outcomes may wait untaken).
    func waitForSlot(limit: Int) {
        condition.lock()
        while inFlight >= limit { condition.wait() }
        condition.unlock()
    }

    /// Blocks until every submitted host-task has finished.
    func waitForAll() {
        condition.lock()
        while inFlight > 0 { condition.wait() }
        condition.unlock()
    }

    /// Lets the threads end once the queue is empty and waits for them to.
    func shutdown() {
        condition.lock()
        closed = true
        condition.broadcast()
        while threads > 0 { condition.wait() }
        condition.unlock()
    }
}
