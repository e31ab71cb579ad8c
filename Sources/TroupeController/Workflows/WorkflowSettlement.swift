import Foundation
import SQLKit

/// Ends a sliced workflow job once its slice jobs have ended, with AWX's rules (the
/// workflow manager's `spawn_workflow_graph_jobs`): canceled when its cancel was asked,
/// else failed when a slice ended `failed`, `error` or `canceled` (a slice has no failure
/// path), else successful. Idempotent and safe from any node: the update only applies to
/// a workflow job still `running`, so whichever node settles first wins.
enum WorkflowSettlement {
    static let explanation = "No error handling paths found, marking workflow as failed"

    /// Settles the workflow jobs of `jobs` (ids of jobs that just ended; most have none).
    /// Returns the (workflow job id, status) pairs it ended. (Workflow jobs they blocked
    /// start at the dispatcher's next round: `WorkflowStarter`.)
    @discardableResult
    static func settle(afterJobs jobs: [Int], database: Database) async throws -> [(Int, String)] {
        guard !jobs.isEmpty else { return [] }
        let rows = try await database.withConnection { db in
            try await db.select().column("workflow_job_id").from("unified_jobs").where("id", .in, jobs)
                .where(SQLColumn("workflow_job_id"), .isNot, SQLLiteral.null).all()
        }
        let workflows = Set(try rows.compactMap { try $0.decode(column: "workflow_job_id", as: Int?.self) })
        var ended: [(Int, String)] = []
        for workflow in workflows.sorted() {
            if let status = try await settle(workflow, database: database) { ended.append((workflow, status)) }
        }
        return ended
    }

    /// Every running workflow job whose jobs have all ended (the safety net that readers
    /// of workflow jobs run: it covers ends no hook saw, such as a lost node's jobs).
    @discardableResult
    static func settleOpen(database: Database) async throws -> [(Int, String)] {
        let rows = try await database.withConnection { db in
            try await db.raw("""
                SELECT w.id AS id FROM unified_jobs w WHERE w.kind = 'workflow_job' AND w.status IN ('pending', 'running')
                AND NOT EXISTS (SELECT 1 FROM unified_jobs j WHERE j.workflow_job_id = w.id
                  AND j.status IN ('new', 'pending', 'waiting', 'running'))
                """).all()
        }
        var ended: [(Int, String)] = []
        for id in try rows.map({ try $0.decode(column: "id", as: Int.self) }) {
            if let status = try await settle(id, database: database) { ended.append((id, status)) }
        }
        return ended
    }

    /// Ends one workflow job if all its jobs have ended; returns its new status, or nil.
    static func settle(_ workflowID: Int, database: Database) async throws -> String? {
        try await database.transaction { db in
            guard let workflow = try await db.select().columns("status", "cancel_requested", "started").from("unified_jobs")
                .where("id", .equal, workflowID).where("kind", .equal, "workflow_job").first(),
                  try ["pending", "running"].contains(workflow.decode(column: "status", as: String.self)) else { return nil }
            let children = try await db.select().columns("id", "status").from("unified_jobs")
                .where("workflow_job_id", .equal, workflowID).all()
            let statuses = try children.map { try $0.decode(column: "status", as: String.self) }
            if statuses.contains(where: { ["new", "pending", "waiting", "running"].contains($0) }) { return nil }
            let status: String
            var explanation = ""
            if try workflow.decode(column: "cancel_requested", as: Bool.self) {
                status = "canceled"
            } else if statuses.contains(where: { ["failed", "error", "canceled"].contains($0) }) {
                status = "failed"
                explanation = Self.explanation
            } else {
                status = "successful"
            }
            let finished = Date()
            var elapsed = 0.0
            if let started = try workflow.decode(column: "started", as: String?.self), let date = JobClock.parse(started) {
                elapsed = JobTermination.rounded(finished.timeIntervalSince(date))
            }
            let now = JobClock.format(finished)
            try await db.update("unified_jobs")
                .set("status", to: status).set("failed", to: status == "failed").set("job_explanation", to: explanation)
                .set("finished", to: now).set("modified", to: now).set("elapsed", to: elapsed)
                .where("id", .equal, workflowID).where("status", .in, ["pending", "running"]).run()
            return status
        }
    }
}
