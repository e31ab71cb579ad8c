import Foundation
import Logging
import SQLKit

/// Launches the templates of due schedules. Sleeps until the earliest `next_run` (or 60 s),
/// is woken when a schedule changes, and claims each due schedule by moving its
/// `next_run` forward in one conditional UPDATE, so with several nodes a run starts once.
actor Scheduler {
    /// Launches template `id` with `extra_data` (JSON text); the API's launch path.
    typealias Launch = @Sendable (_ templateID: Int, _ extraData: String, _ scheduleID: Int) async throws -> Void

    private let store: JobStore
    private let launch: Launch
    private let logger: Logger
    private var loop: Task<Void, Never>?
    private let wakeups: AsyncStream<Void>
    private let wakeup: AsyncStream<Void>.Continuation

    init(store: JobStore, logger: Logger = Logger(label: "troupe.schedules"), launch: @escaping Launch) {
        self.store = store
        self.launch = launch
        self.logger = logger
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        wakeups = stream
        wakeup = continuation
    }

    func start() {
        loop = Task { [wakeups] in
            // One iterator for the loop's life: dropping an AsyncStream's iterator (or
            // cancelling the task that awaits it) ends the stream for good, and every later
            // wait would then return at once, a busy loop of schedule queries.
            var iterator = wakeups.makeAsyncIterator()
            while !Task.isCancelled {
                let sleep = await self.runDue()
                // Sleep until the next run or a wake-up, whichever comes first: the timer
                // wakes the same stream.
                let timer = Task {
                    try? await Task.sleep(for: .seconds(sleep))
                    if !Task.isCancelled { self.wake() }
                }
                let woken: Void? = await iterator.next()
                timer.cancel()
                if woken == nil { return }
            }
        }
    }

    /// Stops the loop and waits for a pass in flight, so no query outlives the pool.
    func stop() async {
        loop?.cancel()
        await loop?.value
        loop = nil
    }

    /// A schedule was created, changed or enabled.
    nonisolated func wake() { wakeup.yield() }

    /// `next_run` of an rrule from now (nil when it has no more occurrences).
    static func nextRun(_ rrule: String, after: Date = Date()) throws -> String? {
        try RRule(rrule).next(after: after).map(JobClock.format)
    }

    /// Launches every due schedule; returns seconds until the next one (at most 60).
    func runDue(now: Date = Date()) async -> Double {
        let nowText = JobClock.format(now)
        do {
            let due = try await store.read { db in
                try await db.select().columns("id", "unified_job_template_id", "rrule", "extra_data", "next_run")
                    .from("schedules").where("enabled", .equal, true).where("next_run", .lessThanOrEqual, nowText).all()
            }
            for row in due {
                let id = try row.decode(column: "id", as: Int.self)
                let previous = try row.decode(column: "next_run", as: String.self)
                let following = try? Self.nextRun(try row.decode(column: "rrule", as: String.self), after: now)
                // Claim: only the node whose UPDATE still sees the old next_run launches.
                let claimed = try await store.read { db in
                    try await db.update("schedules").set("next_run", to: following)
                        .set("modified", to: nowText).where("id", .equal, id).where("next_run", .equal, previous)
                        .returning("id").all()
                }
                guard !claimed.isEmpty else { continue }
                do {
                    try await launch(try row.decode(column: "unified_job_template_id", as: Int.self),
                                     try row.decode(column: "extra_data", as: String.self), id)
                } catch {
                    logger.error("schedule \(id): launch failed: \(String(describing: error))")
                }
            }
            let next = try await store.read { db in
                try await db.select().column("next_run").from("schedules").where("enabled", .equal, true)
                    .where("next_run", .isNot, SQLLiteral.null).orderBy("next_run").limit(1).first()
            }
            if let text = try next?.decode(column: "next_run", as: String?.self), let date = JobClock.parse(text) {
                return min(max(date.timeIntervalSince(Date()), 0.01), 60)
            }
        } catch is CancellationError {
            return 60  // shutting down
        } catch {
            logger.error("schedules: \(String(describing: error))")
        }
        return 60
    }
}
