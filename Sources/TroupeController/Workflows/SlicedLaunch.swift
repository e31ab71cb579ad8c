import Foundation
import SQLKit

/// AWX's sliced launch (`JobTemplate.create_unified_job` with `job_slice_count` > 1): the
/// launch makes a `workflow_job` (`is_sliced_job`, `job_template` set) and one workflow
/// job node per slice, each with a pending job that runs slice `i` of `N` of the
/// inventory. The slices are ordinary pending jobs (`allow_simultaneous`, launch type
/// `workflow`), so every node's claim spreads them; `WorkflowSettlement` ends the
/// workflow job when they have ended.
enum SlicedLaunch {
    /// AWX's `get_effective_slice_ct`: the requested count, at most the inventory's host
    /// count (every host, enabled or not, as AWX counts them).
    static func effectiveSliceCount(_ requested: Int, database: Database, inventoryID: Int?) async throws -> Int {
        guard requested > 1, let inventoryID else { return requested }
        let rows = try await database.all(SQLQueryString("SELECT count(*) AS n FROM hosts WHERE inventory_id = \(bind: inventoryID)"))
        return min(requested, try rows.first?.decode(column: "n", as: Int.self) ?? 0)
    }

    /// How many of `hostCount` hosts slice `number` of `count` gets (host i, 0-based in
    /// name order, goes to slice i mod count + 1).
    static func sliceHostCount(_ hostCount: Int, number: Int, count: Int) -> Int {
        (hostCount + count - number) / count
    }

    /// Indices (0-based, in AWX's host order) of the hosts slice `number` of `count` runs.
    static func sliceIndices(_ hostCount: Int, number: Int, count: Int) -> [Int] {
        guard count > 1, number > 0 else { return Array(0..<hostCount) }
        return Array(stride(from: number - 1, to: hostCount, by: count))
    }

    /// Inserts the workflow job `pending`, its nodes and their slice jobs (`new`) in one
    /// transaction, then starts it unless another of its template blocks it
    /// (`WorkflowStarter`). Returns the workflow job's id.
    static func create(_ database: Database, template job: NewJob, count: Int) async throws -> Int {
        let workflowID = try await database.transaction { db in
            let now = JobClock.now()
            let columns = ["kind", "name", "status", "created", "modified", "launch_type", "launched_by", "job_template_id",
                           "inventory_id", "project_id", "playbook", "limit", "extra_vars", "job_tags", "skip_tags", "job_type",
                           "allow_simultaneous", "is_sliced_job", "event_processing_finished"]
            let values: [any Encodable & Sendable] = [
                "workflow_job", job.name, "pending", now, now, job.launchType, job.launchedBy, job.jobTemplateID,
                job.inventoryID, job.projectID, job.playbook, job.limit, job.extraVars, job.jobTags, job.skipTags, job.jobType,
                job.allowSimultaneous, true, true,
            ]
            guard let row = try await db.insert(into: "unified_jobs").columns(columns).values(values).returning("id").first() else {
                throw JobRunError.setup("the new workflow job's id was not returned")
            }
            let workflowID = try row.decode(column: "id", as: Int.self)
            for number in 1...count {
                var slice = job
                slice.workflowJobID = workflowID
                slice.jobSliceNumber = number
                slice.jobSliceCount = count
                slice.allowSimultaneous = true  // AWX: slices of one launch never block each other
                slice.launchType = "workflow"
                slice.hostCount = max(sliceHostCount(job.hostCount, number: number, count: count), 1)
                let jobID = try await JobStore.insertPending(db, slice, status: "new")
                let node: [any Encodable & Sendable] = [workflowID, job.jobTemplateID, jobID, number, UUID().uuidString.lowercased(), now, now]
                try await db.insert(into: "workflow_job_nodes")
                    .columns("workflow_job_id", "unified_job_template_id", "job_id", "job_slice", "identifier", "created", "modified")
                    .values(node).run()
            }
            return workflowID
        }
        try await WorkflowStarter.startReady(database)
        return workflowID
    }
}
