import Foundation

/// A dedicated thread that runs every libssh call of one host. libssh sessions are not
/// thread-safe, and their blocking calls must never occupy Swift's cooperative pool, so
/// callers hand closures to this thread and wait for the result.
final class SSHWorkerThread: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private var stopping = false
    private var thread: Thread?

    init(name: String) {
        let thread = Thread { [self] in self.runLoop() }
        thread.name = name
        thread.stackSize = 1 << 20
        self.thread = thread
        thread.start()
    }

    /// Runs `body` on the worker thread and returns its result; calls from the worker
    /// itself run inline.
    func sync<T>(_ body: () throws -> T) throws -> T {
        if let thread, Thread.current === thread { return try body() }
        return try withoutActuallyEscaping(body) { escapable in
            let box = ResultBox<T>()
            box.body = escapable
            let done = DispatchSemaphore(value: 0)
            condition.lock()
            guard !stopping else {
                condition.unlock()
                throw UnreachableError("the SSH connection was closed")
            }
            jobs.append {
                // Release the borrowed closure before waking the caller: it must not outlive
                // the caller's frame.
                if let body = box.body { box.result = Result { try body() } }
                box.body = nil
                done.signal()
            }
            condition.signal()
            condition.unlock()
            done.wait()
            return try box.result!.get()
        }
    }

    /// Lets the thread finish its queued work and exit.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func runLoop() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty && stopping {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}

private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, Error>?
    var body: (() throws -> T)?
}
