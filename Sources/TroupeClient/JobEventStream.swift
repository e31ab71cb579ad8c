import Foundation

/// A job's events in order, as an `AsyncSequence` that ends once the job has finished and the
/// server has stored its last event.
///
/// Otherwise the events come from the REST list (`job_events`, or `events` for ad hoc commands)
/// read with `start_line__gte` set to the last line seen, ordered by `start_line` and
/// de-duplicated by `counter`, so ordering and completeness never depend on the push channel.
/// Live sources, best first:
/// 1. Troupe's server-sent events (`<job>/stream/?after=COUNTER`): the events themselves, in
///    counter order, ending with `event: end`.
/// 2. AWX's WebSocket (`/websocket/`, subscribed to the job's event group and job status
///    changes): it only says *when* to read the REST list, so ordering and completeness never
///    depend on it.
/// 3. Polling the REST list every `pollInterval` seconds (no stream, no WebSocket).
/// If a stream breaks off, the REST reads carry on from the last line seen.
public struct JobEventStream: AsyncSequence, Sendable {
    public typealias Element = JobEvent
    let job: Job
    let pollInterval: TimeInterval
    let live: Bool

    public func makeAsyncIterator() -> AsyncThrowingStream<JobEvent, Error>.Iterator {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: JobEvent.self)
        let job = job, pollInterval = pollInterval, live = live
        let producer = Task {
            // The feed lives in this task only.
            var feed = EventFeed(job: job)
            do {
                try await feed.run(pollInterval: pollInterval, live: live, continuation: continuation)
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in producer.cancel() }
        return stream.makeAsyncIterator()
    }
}

/// The reading side of a `JobEventStream` (owned by its producer task).
struct EventFeed {
    var job: Job
    var nextLine = 0
    /// Counters already given out: events without output share a start line with the next
    /// one, so `start_line__gte` returns them again on the following read.
    var seen: Set<Int> = []

    init(job: Job) { self.job = job }

    mutating func run(pollInterval: TimeInterval, live: Bool,
                      continuation: AsyncThrowingStream<JobEvent, Error>.Continuation) async throws {
        if live, try await streamServerSentEvents(continuation: continuation) == .finished {
            return
        }
        let doorbell = Doorbell()
        let api = try job.connection()
        var listener: Task<Void, Never>?
        if live {
            listener = Task { [job] in await JobWebSocket.listen(api: api, job: job, doorbell: doorbell) }
        }
        defer { listener?.cancel() }
        var needsRead = true
        while true {
            try Task.checkCancellation()
            if needsRead {
                let (events, finished) = try await read()
                for event in events { continuation.yield(event) }
                if finished { return }
            }
            // With a live WebSocket the next read waits for a push (the timer is only a safety
            // net); a finished job whose events are still being stored is read again soon.
            let pushing = await doorbell.isLive
            await doorbell.wait(timeout: pushing && !job.isFinished ? 1 : pollInterval)
            // Pushed events that continue the sequence exactly are given out as they are;
            // a gap, a status change or a timer falls back to reading the REST list.
            let (pushed, statusChanged) = await doorbell.takePushes()
            needsRead = true
            if !statusChanged, let next = takeContiguous(pushed) {
                for event in next { continuation.yield(event) }
                needsRead = false
            }
        }
    }

    /// The pushed events not given out yet, if they continue the counters seen so far
    /// without a gap (AWX numbers a job's events 1, 2, 3 …); nil otherwise.
    mutating func takeContiguous(_ pushed: [JobEvent]) -> [JobEvent]? {
        let fresh = pushed.filter { !seen.contains($0.counter) }.sorted { $0.counter < $1.counter }
        guard !fresh.isEmpty else { return nil }
        var expected = (seen.max() ?? 0) + 1
        for event in fresh {
            guard event.counter == expected else { return nil }
            expected += 1
        }
        for event in fresh {
            seen.insert(event.counter)
            nextLine = max(nextLine, event.endLine)
        }
        return fresh
    }

    /// Reads the job's status, then every event from the last line seen. The job is done when
    /// the status read *before* the events was terminal (and the server does not say events
    /// are still being stored): those events are then all there are.
    mutating func read() async throws -> (events: [JobEvent], finished: Bool) {
        let api = try job.connection()
        job = try await job.refresh()
        let finishedBefore = job.isFinished && job.eventProcessingFinished != false
        let eventsPath = job.type == "job" || job.type == nil
            ? job.relatedPath("job_events", fallback: "events") : job.relatedPath("events")
        var fresh: [JobEvent] = []
        var path: String? = eventsPath
        var query: [String: JSONValue] = ["order_by": "start_line", "start_line__gte": .int(nextLine),
                                          "page_size": 200, "no_truncate": true]
        while let current = path {
            let page = try await api.get(current, query)
            query = [:]
            for value in page["results"]?.arrayValue ?? [] {
                guard let fields = value.objectValue else { continue }
                let event = JobEvent(fields: fields)
                if !seen.contains(event.counter) { fresh.append(event) }
            }
            path = page["next"]?.stringValue
        }
        fresh.sort { ($0.startLine, $0.counter) < ($1.startLine, $1.counter) }
        for event in fresh {
            seen.insert(event.counter)
            nextLine = max(nextLine, event.endLine)
        }
        return (fresh, finishedBefore)
    }
}

/// Wakes the event reader: rung by the WebSocket listener, or by a timer.
actor Doorbell {
    private var rung = false
    private var waiter: CheckedContinuation<Void, Never>?
    /// Whether a WebSocket subscription is currently delivering pushes.
    private(set) var isLive = false
    private var pushed: [JobEvent] = []
    private var statusChanged = false

    /// An event the WebSocket pushed, with its fields.
    func deliver(_ event: JobEvent) {
        if pushed.count < 10_000 { pushed.append(event) }
        ring()
    }

    /// The job's status changed: the reader must look at the job again.
    func statusDidChange() {
        statusChanged = true
        ring()
    }

    /// The events pushed since the last call, and whether the status changed meanwhile.
    func takePushes() -> (events: [JobEvent], statusChanged: Bool) {
        defer {
            pushed = []
            statusChanged = false
        }
        return (pushed, statusChanged)
    }

    func setLive(_ live: Bool) {
        isLive = live
        if !live { ring() }  // fall back to polling now, not after the long timer
    }

    func ring() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else {
            rung = true
        }
    }

    /// Returns when rung (or at once if rung since the last wait), or after `timeout` seconds.
    func wait(timeout: TimeInterval) async {
        if rung {
            rung = false
            return
        }
        await withCheckedContinuation { continuation in
            waiter = continuation
            Task { [weak self] in
                try? await Task.sleep(nanoseconds: UInt64(timeout * 1_000_000_000))
                await self?.ring()
            }
        }
        rung = false
    }
}
