import Foundation
import SQLKit

/// Schedules: a bad `rrule` is a 400 on `rrule`; every create or update recomputes
/// `next_run` (nil once the rule has no more occurrences) and wakes the scheduler.
struct ScheduleBehavior: ResourceBehavior {
    func validate(_ values: inout [String: JSON], input: JSONObject, existing: Record?, context: APIContext) async throws {
        guard let rrule = values["rrule"]?.stringValue ?? existing?.string("rrule") else { return }
        do {
            values["next_run"] = try Scheduler.nextRun(rrule).map(JSON.string) ?? .null
        } catch {
            throw APIError.validation("rrule", "\(error)")
        }
    }

    func afterWrite(_ db: any SQLDatabase, id: Int, values: [String: JSON], input: JSONObject, created: Bool, context: APIContext) async throws {
        // This runs inside the write transaction: wake the scheduler once it has committed.
        let scheduler = context.controller.jobs.scheduler
        Task {
            try? await Task.sleep(for: .milliseconds(50))
            scheduler.wake()
        }
    }
}
