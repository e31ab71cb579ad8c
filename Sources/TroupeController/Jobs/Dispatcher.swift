import Foundation
import Logging

/// One per node: starts pending jobs while the node has capacity. Woken in-process the
/// moment a job is launched or one ends (no polling cycle; a 30 s sweep is only a safety
/// net, and the wake-up from other nodes on PostgreSQL comes from LISTEN).
actor Dispatcher {
    /// Builds the run's parameters (inventory, credentials, project path) for a claimed job.
    typealias Resolver = @Sendable (_ unifiedJobID: Int) async throws -> JobSpec

    let capacity: Int
    /// False on control nodes: they serve the API and never claim jobs.
    let runsJobs: Bool
    /// Tells the other nodes about launches (PostgreSQL NOTIFY); nil in single-node tests.
    private let bus: ClusterBus?
    private let store: JobStore
    private let runEnvironment: JobRun.Environment
    private let resolve: Resolver
    private let logger: Logger
    private var running: [Int: (run: JobRun, impact: Int)] = [:]
    private var finishedWaiters: [Int: [CheckedContinuation<Void, Never>]] = [:]
    private let wakeups: AsyncStream<Void>
    private let wakeup: AsyncStream<Void>.Continuation
    private var loop: Task<Void, Never>?
    private var sweep: Task<Void, Never>?
    /// Set by `shutdown`: claims failing from then on (pool closed, task cancelled) are expected.
    private var stopping = false
    /// A look-again is scheduled (see `remindLater`).
    private var reminderScheduled = false

    init(store: JobStore, runEnvironment: JobRun.Environment, capacity: Int? = nil, runsJobs: Bool = true, bus: ClusterBus? = nil,
         logger: Logger = Logger(label: "troupe.dispatcher"), resolve: @escaping Resolver) {
        self.store = store
        self.runsJobs = runsJobs
        self.bus = bus
        self.runEnvironment = runEnvironment
        self.capacity = capacity ?? Self.nodeCapacity()
        self.resolve = resolve
        self.logger = logger
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        wakeups = stream
        wakeup = continuation
    }

    /// Recovers jobs a previous process of this node left running, then starts dispatching.
    func start() async throws {
        let recovered = try await store.recoverInterrupted()
        if !recovered.isEmpty { logger.warning("jobs \(recovered) were running when this node stopped; they end as error") }
        loop = Task { [wakeups] in
            for await _ in wakeups { await self.dispatch() }
        }
        sweep = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(30))
                self.wake()
            }
        }
        wake()
    }

    /// Stops dispatching and cancels the runs still going (server shutdown).
    func shutdown() async {
        stopping = true
        loop?.cancel()
        sweep?.cancel()
        wakeup.finish()
        // A claim in flight finishes (and its launches register) before the runs are
        // stopped, and no query of these loops outlives the pool closed after this.
        await loop?.value
        await sweep?.value
        for (_, entry) in running { await entry.run.stop(.cancel) }
    }

    /// Capacity freed, or a sibling node asked: look for work now.
    nonisolated func wake() { wakeup.yield() }

    /// A job was launched (or made claimable): this node and every other node look for work.
    nonisolated func launched() {
        wakeup.yield()
        if let bus, bus.isActive { Task { await bus.notify(.dispatch) } }
    }

    /// A cancel of a job that runs on another node: tell that node now (NOTIFY troupe_cancel;
    /// its sweep would find `cancel_requested` too, but only at its next wake-up).
    nonisolated func announceCancel(_ unifiedJobID: Int) {
        if let bus, bus.isActive { Task { await bus.notify(.cancel, String(unifiedJobID)) } }
    }

    /// Cancels a job running on this node; false when it does not run here.
    @discardableResult
    func cancel(_ unifiedJobID: Int) async -> Bool {
        guard let entry = running[unifiedJobID] else { return false }
        await entry.run.stop(.cancel)
        return true
    }

    /// After this node was declared lost while alive (a stall longer than the threshold),
    /// the jobs it still runs have been ended `error` by another node: stop their
    /// processes. Returns the ids stopped.
    @discardableResult
    func stopRunsEndedElsewhere() async -> [Int] {
        let ids = Array(running.keys)
        guard !ids.isEmpty, let open = try? await store.openJobs(ids) else { return [] }
        let ended = ids.filter { !open.contains($0) }
        for id in ended { await running[id]?.run.stop(.cancel) }
        return ended
    }

    /// Waits until the job, running on this node, has ended (tests, shutdown).
    func waitUntilFinished(_ unifiedJobID: Int) async {
        guard running[unifiedJobID] != nil else { return }
        await withCheckedContinuation { finishedWaiters[unifiedJobID, default: []].append($0) }
    }

    /// The process id of a job running here (fault tests kill it).
    func processID(_ unifiedJobID: Int) async -> pid_t? { await running[unifiedJobID]?.run.processID }

    var runningCount: Int { running.count }
    var usedCapacity: Int { running.values.reduce(0) { $0 + $1.impact } }

    private func dispatch() async {
        guard !stopping else { return }
        // A sliced workflow job that waited for another of its template may start now:
        // its slices become pending, for every node.
        if let started = try? await WorkflowStarter.startReady(store.database), !started.isEmpty {
            if let bus, bus.isActive { Task { await bus.notify(.dispatch) } }
        }
        // Cancels that reached the database through another node.
        guard runsJobs else { return }
        if let ids = try? await store.cancelRequestedHere() {
            for id in ids { await cancel(id) }
        }
        var claimedAny = false
        defer {
            // Another node may have left jobs to this one (an earlier instance group with
            // room); now that this node's room has changed, the others look again.
            if claimedAny, let bus, bus.isActive { Task { await bus.notify(.dispatch) } }
        }
        while true {
            // A node without room claims nothing, so it does not lock the pending rows
            // either (SKIP LOCKED would hide them from a node that has room).
            if capacity - usedCapacity <= 0 && !running.isEmpty { return }
            let claimed: [Int]
            do {
                let result = try await store.claimReporting(freeCapacity: capacity - usedCapacity, idle: running.isEmpty)
                claimed = result.claimed
                if result.leftToOthers { remindLater() }
            } catch {
                if !stopping && !(error is CancellationError) {
                    logger.error("claiming pending jobs failed: \(String(describing: error))")
                }
                return
            }
            if claimed.isEmpty { return }
            claimedAny = true
            for id in claimed { await launch(id) }
        }
    }

    /// The claim left pending jobs it had locked: to a node of an earlier instance group,
    /// or for want of room here. Another node's claim running meanwhile skipped them
    /// (SKIP LOCKED), and that node may have missed a wake-up, so the jobs would wait for
    /// its 30 s sweep. While that is so, this node looks again and re-notifies the others
    /// once a second — only then, never as a polling cycle of the normal path.
    private func remindLater() {
        guard !reminderScheduled, !stopping else { return }
        reminderScheduled = true
        let bus = self.bus
        Task {
            try? await Task.sleep(for: .seconds(1))
            self.reminderFired()
            if let bus, bus.isActive { await bus.notify(.dispatch) }
        }
    }

    private func reminderFired() {
        reminderScheduled = false
        wake()
    }

    private func launch(_ id: Int) async {
        let spec: JobSpec
        do {
            spec = try await resolve(id)
        } catch {
            try? await store.end(id, status: "error", explanation: "Could not prepare the job: \(error)")
            return
        }
        let run = JobRun(spec: spec, environment: runEnvironment)
        running[id] = (run, JobSpec.impact(forks: spec.forks, hostCount: spec.hosts.count))
        Task {
            await run.run()
            self.finished(id)
        }
    }

    private func finished(_ id: Int) {
        running[id] = nil
        finishedWaiters.removeValue(forKey: id)?.forEach { $0.resume() }
        wake()
    }

    /// AWX's node capacity: the larger of 4 forks per CPU and one fork per 100 MB of
    /// memory above 2 GB (capacity_adjustment 1).
    static func nodeCapacity() -> Int {
        let cpus = ProcessInfo.processInfo.activeProcessorCount
        let memoryMB = Int(ProcessInfo.processInfo.physicalMemory / 1_048_576)
        return max(cpus * 4, (memoryMB - 2048) / 100, 1)
    }
}
