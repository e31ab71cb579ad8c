import Foundation
import Jinja

/// Runs modules in worker processes spawned from this program's own binary. Each host is
/// assigned to one worker for the whole run, so its connection lives there; a worker
/// serves many hosts at once. A worker that dies fails only the tasks in flight on it
/// and is replaced.
public final class WorkerPool: ModuleRunner, @unchecked Sendable {
    private let executable: String
    private let size: Int
    private let lock = NSLock()
    private var workers: [WorkerProcess?]
    private var assignment: [String: Int] = [:]
    private var nextWorker = 0
    private var nextID = 0

    /// - Parameters:
    ///   - executable: the binary to spawn (it must call `WorkerProcesses.enable()` first thing).
    ///   - size: how many worker processes at most.
    public init(executable: String, size: Int) {
        self.executable = executable
        self.size = max(1, size)
        self.workers = Array(repeating: nil, count: max(1, size))
    }

    private func worker(for host: String) throws -> WorkerProcess {
        lock.lock(); defer { lock.unlock() }
        let index: Int
        if let i = assignment[host] {
            index = i
        } else {
            index = nextWorker % size
            nextWorker += 1
            assignment[host] = index
        }
        if let w = workers[index], w.isAlive { return w }
        let w = try WorkerProcess(executable: executable, arguments: [WorkerProcesses.argument])
        workers[index] = w
        return w
    }

    /// Sends the invocation to the host's worker and blocks until it answers; a worker crash gives a failed result, not an error.
    public func run(_ invocation: ModuleInvocation, spec: ConnectionSpec) throws -> Value {
        let outcome = try send(kind: "run", invocation: invocation, spec: spec)
        switch outcome {
        case .response(.result(_, let value)): return value
        case .response(.unreachable(_, let message)): throw UnreachableError(message)
        case .died(let message): return ["failed": true, "changed": false, "msg": .string(message)]
        }
    }

    private func send(kind: String, invocation: ModuleInvocation, spec: ConnectionSpec) throws -> WorkerProcess.Outcome {
        let worker = try worker(for: invocation.host)
        lock.lock()
        nextID += 1
        let id = nextID
        lock.unlock()
        let done = DispatchSemaphore(value: 0)
        final class Box: @unchecked Sendable { var outcome: WorkerProcess.Outcome? }
        let box = Box()
        worker.send(WorkerMessage.Request(id: id, invocation: invocation, spec: spec, kind: kind)) { outcome in
            box.outcome = outcome
            done.signal()
        }
        done.wait()
        return box.outcome ?? .died("worker process died")
    }

    /// Asks the host's worker to reset its connection; errors are ignored.
    public func preconnect(_ specs: [ConnectionSpec]) {
        for spec in specs where spec.type != "local" {
            guard let worker = try? worker(for: spec.host) else { continue }
            lock.lock()
            nextID += 1
            let id = nextID
            lock.unlock()
            let invocation = ModuleInvocation(module: "", args: OrderedDict(), host: spec.host)
            worker.send(WorkerMessage.Request(id: id, invocation: invocation, spec: spec, kind: "connect")) { _ in }
        }
    }

    /// Tells every live worker to terminate the commands it is running; answered at once,
    /// not queued behind them.
    public func interrupt() {
        lock.lock()
        let live = workers.compactMap { $0 }.filter(\.isAlive)
        nextID += 1
        let id = nextID
        lock.unlock()
        for worker in live {
            let invocation = ModuleInvocation(module: "", args: OrderedDict(), host: "")
            worker.send(WorkerMessage.Request(id: id, invocation: invocation, spec: ConnectionSpec(type: "local", host: "", address: ""),
                                              kind: "interrupt")) { _ in }
        }
    }

    public func resetConnection(host: String) {
        let inv = ModuleInvocation(module: "", args: OrderedDict(), host: host)
        _ = try? send(kind: "reset", invocation: inv, spec: ConnectionSpec(type: "local", host: host, address: host))
    }

    /// Stops every worker process; later calls spawn new ones.
    public func shutdown() {
        lock.lock()
        let all = workers.compactMap { $0 }
        workers = Array(repeating: nil, count: size)
        lock.unlock()
        // All at once: each worker spends its exit closing its hosts' connections.
        for w in all { w.closeInput() }
        for w in all { w.waitForExit() }
    }

    /// Kills every worker and the commands it started (SIGKILL, no clean-up): a run
    /// aborted by a second Ctrl-C must leave nothing behind, at once.
    public func kill() {
        lock.lock()
        let pids = workers.compactMap { $0?.isAlive == true ? $0?.processIdentifier : nil }
        lock.unlock()
        for pid in pids { ProcessTree.kill(pid, signal: SIGKILL) }
    }

    /// Process ids of the running workers (for tests and diagnostics).
    public var workerProcessIDs: [Int32] {
        lock.lock(); defer { lock.unlock() }
        return workers.compactMap { $0?.isAlive == true ? $0?.processIdentifier : nil }
    }

    /// Kills a worker (tests use it to prove a dead worker fails only its own tasks).
    public func killWorker(serving host: String, signal: Int32 = SIGKILL) {
        lock.lock()
        let w = assignment[host].flatMap { workers[$0] }
        lock.unlock()
        w?.kill(signal: signal)
    }
}

/// Worker-process support for programs that embed Troupe: call ``enable()`` first thing
/// in `main`. In a worker it serves requests and exits; in the controller it records
/// that workers can be spawned from this binary.
public enum WorkerProcesses {
    static let argument = "__troupe-worker"
    static let environmentKey = "TROUPE_WORKER_PROCESS"
    /// Path of the binary workers are spawned from; nil until `enable()` runs in the controller.
    nonisolated(unsafe) public private(set) static var executablePath: String?

    /// The freeze_support idiom: never returns in a worker process.
    public static func enable(modules: @escaping () -> ModuleRegistry = { .standard() }) {
        if CommandLine.arguments.dropFirst().first == argument {
            WorkerMain.serve(modules: modules())
            exit(0)
        }
        executablePath = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first
    }

    /// Whether `enable()` ran in the controller, so workers can be spawned.
    public static var isEnabled: Bool { executablePath != nil }
}

/// The worker side: reads requests, runs each host's requests in order on that host's
/// own queue, writes responses.
enum WorkerMain {
    static func serve(modules: ModuleRegistry) {
        let runner = InProcessModuleRunner(modules: modules)
        let input = FileHandle.standardInput
        let output = FileHandle.standardOutput
        let writeLock = NSLock()
        let connectSlots = DispatchSemaphore(value: 8)
        var queues: [String: HostWorkQueue] = [:]
        let group = DispatchGroup()
        signal(SIGPIPE, SIG_IGN)
        // Ctrl-C reaches the whole process group, workers included: the controller alone
        // decides how the run stops (interrupting the commands, then closing our input),
        // so a worker never dies mid-upload or leaves a remote command running. A no-op
        // handler rather than SIG_IGN: commands started from here get the default action back.
        let controller = getppid()
        signal(SIGINT, workerIgnoreSignal)
        signal(SIGTERM, workerIgnoreSignal)
        while let frame = try? WorkerMessage.read(from: input) {
            guard let request = try? WorkerMessage.decodeRequest(frame) else { continue }
            if request.kind == "interrupt" {
                // Handled on the reading thread: the host queues are busy with the very
                // commands to stop.
                runner.interrupt()
                writeLock.lock()
                try? WorkerMessage.write(WorkerMessage.encode(.result(id: request.id, .null)), to: output)
                writeLock.unlock()
                continue
            }
            let host = request.invocation.host
            let queue = queues[host] ?? HostWorkQueue(name: "troupe-host-\(host)")
            queues[host] = queue
            group.enter()
            queue.async {
                let response: WorkerMessage.Response
                if request.kind == "reset" {
                    runner.resetConnection(host: host)
                    response = .result(id: request.id, .null)
                } else if request.kind == "connect" {
                    // Bounded: a burst of handshakes would trip sshd's MaxStartups.
                    connectSlots.wait()
                    runner.connect(request.spec)
                    connectSlots.signal()
                    response = .result(id: request.id, .null)
                } else {
                    do {
                        response = .result(id: request.id, try runner.run(request.invocation, spec: request.spec))
                    } catch let e as UnreachableError {
                        response = .unreachable(id: request.id, e.message)
                    } catch {
                        response = .result(id: request.id, ["failed": true, "changed": false, "msg": .string(TaskErrorText.message(error))])
                    }
                }
                writeLock.lock()
                try? WorkerMessage.write(WorkerMessage.encode(response), to: output)
                writeLock.unlock()
                group.leave()
            }
        }
        if getppid() != controller {
            // End of input because the controller died (killed outright): stop the commands
            // still running for it rather than let them run on, orphaned.
            runner.interrupt()
        }
        group.wait()
        // The process exits next; the kernel closes the SSH sockets at once, and each
        // remote shell ends on its channel's EOF (running its cleanup trap) just as after a
        // goodbye, which would cost a round trip per host.
        runner.removeCustomModuleUploads()
        // Closing stdout first tells the controller it is done now, not after the kernel
        // has torn down every thread and socket (~25 ms). Exit here, while `runner` is
        // alive: releasing it would close every connection politely, one after another.
        close(STDOUT_FILENO)
        exit(0)
    }
}

/// Catches a signal and does nothing (see `WorkerMain.serve`); unlike `SIG_IGN`, a caught
/// signal is reset to its default in programs the worker executes.
private func workerIgnoreSignal(_ signo: Int32) {}

/// A thread that runs one host's requests in order. Requests block on the network, so
/// each host gets a real thread rather than a slot in the (core-bounded) dispatch pool.
final class HostWorkQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []

    init(name: String) {
        let thread = Thread { [self] in
            while true {
                condition.lock()
                while jobs.isEmpty { condition.wait() }
                let job = jobs.removeFirst()
                condition.unlock()
                job()
            }
        }
        thread.name = name
        thread.start()
    }

    func async(_ job: @escaping () -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }
}
