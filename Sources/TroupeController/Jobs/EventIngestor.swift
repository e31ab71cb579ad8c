import Foundation
import Logging

/// Stores the events of every job running on this node. Runs hand rows over without
/// waiting for the database; one writer task collects them (up to 25 ms, or at once when
/// 500 are waiting), inserts each batch in one transaction, then tells subscribers which
/// jobs have new rows. A job's storage errors are kept for that job only.
actor EventIngestor {
    /// New rows for a job are readable up to `counter`.
    struct Stored: Sendable {
        var unifiedJobID: Int
        var counter: Int
        /// The job has ended and every event of it is stored (`event_processing_finished`).
        var finished = false
        /// A status change (`status_changed` for WebSocket subscribers), with the job's kind.
        var status: String? = nil
        var kind = "job"
    }

    static let batchSize = 500
    /// How long a small batch waits for company: short, because live followers see an
    /// event only once it is stored; rows arriving during a write form the next batch anyway.
    static let batchWindow: Duration = .milliseconds(5)

    private let store: JobStore
    private let logger: Logger
    private var buffer: [JobEventRow] = []
    /// Sequence number of the last row submitted / stored, so a flush waits only for what
    /// was submitted before it.
    private var submitted = 0
    private var written = 0
    private var writer: Task<Void, Never>?
    private var flushWaiters: [(sequence: Int, continuation: CheckedContinuation<Void, Never>)] = []
    private var storageErrors: [Int: String] = [:]
    private var subscribers: [UUID: AsyncStream<Stored>.Continuation] = [:]
    /// Rows stored since start (benchmarks read it).
    private(set) var storedCount = 0

    /// Carries the notices to subscribers on other nodes (NOTIFY troupe_events).
    private let bus: ClusterBus?

    init(store: JobStore, bus: ClusterBus? = nil, logger: Logger = Logger(label: "troupe.events")) {
        self.store = store
        self.bus = bus
        self.logger = logger
    }

    /// Notices from another node (its `troupe_events`): this node's subscribers read the
    /// rows from the database as for local jobs.
    func relay(_ notices: [ClusterBus.EventNotice]) {
        for notice in notices {
            let stored = Stored(unifiedJobID: notice.unifiedJobID, counter: notice.counter, finished: notice.finished,
                                status: notice.status, kind: notice.kind)
            for continuation in subscribers.values { continuation.yield(stored) }
        }
    }

    func submit(_ row: JobEventRow) {
        buffer.append(row)
        submitted += 1
        if writer == nil { writer = Task { await self.drain() } }
    }

    func submit(_ rows: [JobEventRow]) {
        guard !rows.isEmpty else { return }
        buffer.append(contentsOf: rows)
        submitted += rows.count
        if writer == nil { writer = Task { await self.drain() } }
    }

    /// Returns once every row submitted so far is stored (or failed to store); then the
    /// storage error of `unifiedJobID`, if any.
    func flush(_ unifiedJobID: Int) async -> String? {
        let target = submitted
        if written < target {
            await withCheckedContinuation { flushWaiters.append((target, $0)) }
        }
        return storageErrors.removeValue(forKey: unifiedJobID)
    }

    /// Stored-row notifications, for WebSocket and SSE subscribers.
    func subscribe() -> AsyncStream<Stored> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: Stored.self, bufferingPolicy: .bufferingNewest(4096))
        subscribers[id] = continuation
        continuation.onTermination = { _ in Task { await self.unsubscribe(id) } }
        return stream
    }

    private func unsubscribe(_ id: UUID) { subscribers[id] = nil }

    /// Tells subscribers a job's status is final and its events are all stored.
    func publishFinished(_ unifiedJobID: Int, status: String? = nil, kind: String = "job") async {
        for continuation in subscribers.values {
            continuation.yield(Stored(unifiedJobID: unifiedJobID, counter: 0, finished: true, status: status, kind: kind))
        }
        if let status { await bus?.notify(events: [.init(unifiedJobID: unifiedJobID, counter: 0, status: status, kind: kind, finished: true)]) }
    }

    /// Nudges subscribers to read a job's stored events (a new WebSocket subscription).
    func publishStatusless(_ unifiedJobID: Int) {
        for continuation in subscribers.values { continuation.yield(Stored(unifiedJobID: unifiedJobID, counter: 0)) }
    }

    /// Tells subscribers a job changed status (pending, running …).
    func publishStatus(_ unifiedJobID: Int, status: String, kind: String = "job") async {
        for continuation in subscribers.values {
            continuation.yield(Stored(unifiedJobID: unifiedJobID, counter: 0, status: status, kind: kind))
        }
        await bus?.notify(events: [.init(unifiedJobID: unifiedJobID, counter: 0, status: status, kind: kind)])
    }

    private func drain() async {
        while !buffer.isEmpty {
            if buffer.count < Self.batchSize { try? await Task.sleep(for: Self.batchWindow) }
            let batch = buffer
            buffer.removeAll(keepingCapacity: true)
            do {
                try await store.insert(events: batch)
                storedCount += batch.count
                await publish(batch)
            } catch {
                // One bad job must not cost the others their events: retry row by row,
                // and remember the error for the jobs whose rows failed.
                await insertOneByOne(batch, firstError: error)
            }
            written += batch.count
            let ready = flushWaiters.filter { $0.sequence <= written }
            flushWaiters.removeAll { $0.sequence <= written }
            ready.forEach { $0.continuation.resume() }
        }
        writer = nil
    }

    private func insertOneByOne(_ batch: [JobEventRow], firstError: any Error) async {
        logger.error("storing \(batch.count) events failed, retrying one by one: \(String(describing: firstError))")
        var stored: [JobEventRow] = []
        for row in batch where storageErrors[row.unifiedJobID] == nil {
            do {
                try await store.insert(events: [row])
                stored.append(row)
            } catch {
                storageErrors[row.unifiedJobID] = "Storing job events failed: \(String(describing: error))"
            }
        }
        storedCount += stored.count
        await publish(stored)
    }

    private func publish(_ rows: [JobEventRow]) async {
        let remote = bus?.isActive == true
        guard !subscribers.isEmpty || remote else { return }
        var highest: [Int: Int] = [:]
        for row in rows { highest[row.unifiedJobID] = max(highest[row.unifiedJobID] ?? 0, row.counter) }
        for (job, counter) in highest {
            for continuation in subscribers.values { continuation.yield(Stored(unifiedJobID: job, counter: counter)) }
        }
        if remote { await bus?.notify(events: highest.map { ClusterBus.EventNotice(unifiedJobID: $0.key, counter: $0.value) }) }
    }
}
