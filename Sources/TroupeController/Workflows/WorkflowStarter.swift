import Foundation
import SQLKit

/// Starts pending sliced workflow jobs, with AWX's blocking rule (`DependencyGraph.
/// workflow_job_blocked_by`): a workflow job whose template does not allow simultaneous
/// runs waits while another workflow job of the template runs or a job of the template
/// is waiting or running. Starting one makes it `running` and its `new` slices `pending`
/// (claimable). One transaction, under an advisory lock on PostgreSQL, so two nodes never
/// start two blocked workflow jobs of one template at once. Run after a sliced launch, at
/// the start of every dispatcher round (a node's job end wakes it) and by the workflow
/// endpoints; one indexed query when nothing is pending.
enum WorkflowStarter {
    /// Returns the ids of the workflow jobs it started (their slices are now pending).
    @discardableResult
    static func startReady(_ database: Database) async throws -> [Int] {
        let anyPending = try await database.withConnection { db in
            try await db.select().column("id").from("unified_jobs").where("status", .equal, "pending")
                .where("kind", .equal, "workflow_job").limit(1).first() != nil
        }
        guard anyPending else { return [] }
        let postgres = database.engine == .postgres
        return try await database.transaction { db in
            if postgres { try await db.raw("SELECT pg_advisory_xact_lock(1415926536)").run() }
            let pending = try await db.select().columns("id", "job_template_id", "allow_simultaneous").from("unified_jobs")
                .where("status", .equal, "pending").where("kind", .equal, "workflow_job").orderBy("created").orderBy("id").all()
            var busy: Set<Int> = []
            for row in try await db.raw("""
                SELECT DISTINCT job_template_id FROM unified_jobs WHERE job_template_id IS NOT NULL
                AND ((kind = 'workflow_job' AND status = 'running') OR (kind = 'job' AND status IN ('waiting', 'running')))
                """).all() {
                if let template = try row.decode(column: "job_template_id", as: Int?.self) { busy.insert(template) }
            }
            var started: [Int] = []
            let now = JobClock.now()
            for row in pending {
                let id = try row.decode(column: "id", as: Int.self)
                let template = try row.decode(column: "job_template_id", as: Int?.self)
                if let template, busy.contains(template), try !row.decode(column: "allow_simultaneous", as: Bool.self) { continue }
                try await db.update("unified_jobs").set("status", to: "running").set("started", to: now).set("modified", to: now)
                    .where("id", .equal, id).where("status", .equal, "pending").run()
                try await db.update("unified_jobs").set("status", to: "pending").set("modified", to: now)
                    .where("workflow_job_id", .equal, id).where("status", .equal, "new").run()
                if let template { busy.insert(template) }
                started.append(id)
            }
            return started
        }
    }
}
