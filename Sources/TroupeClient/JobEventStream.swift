import Foundation

/// A job's events in order, as an `AsyncSequence`. Polls the job's `job_events` (or `events`
/// for ad hoc commands) with `start_line__gte` set to the last line seen, so each poll costs
/// one small page, and ends once the job has finished and the server has stored its events.
public struct JobEventStream: AsyncSequence, Sendable {
    public typealias Element = JobEvent
    let job: Job
    let pollInterval: TimeInterval

    public func makeAsyncIterator() -> Iterator {
        Iterator(job: job, pollInterval: pollInterval)
    }

    public struct Iterator: AsyncIteratorProtocol {
        var job: Job
        let pollInterval: TimeInterval
        var pending: [JobEvent] = []
        var nextLine = 0
        /// Counters already given out: events without output share a start line with the next,
        /// so `start_line__gte` returns them again on the following poll.
        var seen: Set<Int> = []
        var done = false
        var polledOnce = false

        init(job: Job, pollInterval: TimeInterval) {
            self.job = job
            self.pollInterval = pollInterval
        }

        public mutating func next() async throws -> JobEvent? {
            while pending.isEmpty {
                if done { return nil }
                if polledOnce {
                    try await Task.sleep(nanoseconds: UInt64(pollInterval * 1_000_000_000))
                }
                polledOnce = true
                try await poll()
            }
            return pending.removeFirst()
        }

        private mutating func poll() async throws {
            let api = try job.connection()
            // Status first: if the job had finished before this page was read, the page holds
            // every event (once the server says event processing has finished too).
            job = try await job.refresh()
            let finishedBefore = job.isFinished && job.eventProcessingFinished != false
            let eventsPath = job.relatedPath(job.type == "job" || job.type == nil ? "job_events" : "events",
                                             fallback: "events")
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
            pending.append(contentsOf: fresh)
            if finishedBefore { done = true }
        }
    }
}
