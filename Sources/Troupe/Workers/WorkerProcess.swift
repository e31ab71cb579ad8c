import Foundation
import Jinja

/// The controller's handle on one worker process: sends requests, and a reader thread
/// hands each response to the caller waiting for it.
final class WorkerProcess: @unchecked Sendable {
    enum Outcome {
        case response(WorkerMessage.Response)
        case died(String)
    }

    private let process = Process()
    private let toWorker = Pipe()
    private let fromWorker = Pipe()
    private let lock = NSLock()
    private var waiting: [Int: (Outcome) -> Void] = [:]
    private var deathMessage: String?
    private let exited = ExitLatch()
    /// Open once the worker's stdout reached end of file, which it does as it exits; comes
    /// ~25 ms before Foundation reports the exit.
    private let outputEnded = ExitLatch()

    init(executable: String, arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = toWorker
        process.standardOutput = fromWorker
        process.standardError = FileHandle.standardError
        var env = ProcessInfo.processInfo.environment
        env[WorkerProcesses.environmentKey] = "1"
        process.environment = env
        // Not waitUntilExit(): on Linux it polls the run loop every 50 ms.
        process.terminationHandler = { [exited] _ in exited.open() }
        try process.run()
        let reader = Thread { [weak self] in self?.readLoop() }
        reader.name = "troupe-worker-reader"
        reader.start()
    }

    var isAlive: Bool {
        lock.lock(); defer { lock.unlock() }
        return deathMessage == nil
    }

    var processIdentifier: Int32 { process.processIdentifier }

    /// Sends a request; `completion` runs on the reader thread.
    func send(_ request: WorkerMessage.Request, completion: @escaping (Outcome) -> Void) {
        lock.lock()
        if let death = deathMessage {
            lock.unlock()
            completion(.died(death))
            return
        }
        waiting[request.id] = completion
        do {
            try WorkerMessage.write(WorkerMessage.encode(request), to: toWorker.fileHandleForWriting)
            lock.unlock()
        } catch {
            waiting[request.id] = nil
            lock.unlock()
            completion(.died("worker process died: could not send request"))
        }
    }

    private func readLoop() {
        let handle = fromWorker.fileHandleForReading
        while true {
            guard let frame = try? WorkerMessage.read(from: handle), let response = WorkerMessage.decodeResponse(frame) else { break }
            let id: Int
            switch response {
            case .result(let i, _), .unreachable(let i, _): id = i
            }
            lock.lock()
            let completion = waiting.removeValue(forKey: id)
            lock.unlock()
            completion?(.response(response))
        }
        outputEnded.open()
        exited.wait()
        let message = process.terminationReason == .uncaughtSignal
            ? "worker process died: signal \(process.terminationStatus)"
            : "worker process died: exit code \(process.terminationStatus)"
        lock.lock()
        deathMessage = message
        let orphans = waiting
        waiting.removeAll()
        lock.unlock()
        for (_, completion) in orphans { completion(.died(message)) }
    }

    /// Asks the worker to finish (closing its stdin) and waits for it.
    func stop() {
        closeInput()
        waitForExit()
    }

    /// Closing stdin tells the worker to finish its queued requests and exit.
    func closeInput() { try? toWorker.fileHandleForWriting.close() }

    /// Waits until the worker has finished (its output ended: it is exiting).
    func waitForExit() { outputEnded.wait() }

    func kill(signal: Int32) { Glibc.kill(process.processIdentifier, signal) }
}

/// Opens once; waiters before and after the opening all get through.
private final class ExitLatch: @unchecked Sendable {
    private let condition = NSCondition()
    private var isOpen = false

    func open() {
        condition.lock()
        isOpen = true
        condition.broadcast()
        condition.unlock()
    }

    func wait() {
        condition.lock()
        while !isOpen { condition.wait() }
        condition.unlock()
    }
}
