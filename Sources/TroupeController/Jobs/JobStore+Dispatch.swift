import Foundation
import SQLKit

/// The dispatcher's statements: the claim transaction and start-up recovery.
extension JobStore {
    /// A pending job as the claim sees it.
    struct Candidate: Sendable {
        var id: Int
        var impact: Int
        var templateID: Int?
        var allowSimultaneous: Bool
    }

    /// Claims pending jobs that fit `freeCapacity`, oldest first, moving them to `waiting`
    /// on this node. A job without `allow_simultaneous` waits while another job of its
    /// template is waiting or running on any node. Safe with several nodes: SQLite's
    /// `BEGIN IMMEDIATE` serialises writers; on PostgreSQL the rows are locked `FOR UPDATE
    /// SKIP LOCKED` and a transaction-scoped advisory lock serialises the sibling check
    /// (only when a non-simultaneous job is a candidate). A disabled node, a node marked
    /// lost and a job bound to an instance group this node is not in are left out.
    /// `idle`: nothing runs here, so one job larger than the whole capacity may start.
    func claim(freeCapacity: Int, idle: Bool, limit: Int = 200) async throws -> [Int] {
        try await claimReporting(freeCapacity: freeCapacity, idle: idle, limit: limit).claimed
    }

    /// `claim`, also saying whether pending jobs this claim looked at (and so held locked
    /// for its transaction, hidden from the other nodes' claims) were left unclaimed: for
    /// an earlier instance group's node, or for want of room here.
    func claimReporting(freeCapacity: Int, idle: Bool, limit: Int = 200) async throws -> (claimed: [Int], leftToOthers: Bool) {
        let node = self.node
        let postgres = isPostgres
        return try await transaction { db in
            // A disabled node drains (claims nothing, finishes what it runs); a node marked
            // lost claims again once its heartbeat has registered it back.
            let me = try await db.raw("SELECT enabled, node_state FROM instances WHERE hostname = \(bind: node)").first()
            if let me, try !me.decode(column: "enabled", as: Bool.self) || me.decode(column: "node_state", as: String.self) != "ready" {
                return ([], false)
            }
            // A job with candidate instance groups goes only to a member of one of them.
            let rows = try await db.raw("""
                SELECT id, impact, job_template_id, allow_simultaneous FROM unified_jobs u WHERE status = 'pending'
                AND kind <> 'workflow_job'
                AND (NOT EXISTS (SELECT 1 FROM unified_job_instance_groups c WHERE c.unified_job_id = u.id)
                  OR EXISTS (SELECT 1 FROM unified_job_instance_groups c JOIN instance_group_instances gi
                    ON gi.instance_group_id = c.instance_group_id JOIN instances i ON i.id = gi.instance_id
                    WHERE c.unified_job_id = u.id AND i.hostname = \(bind: node)))
                ORDER BY created, id LIMIT \(unsafeRaw: String(limit))\(unsafeRaw: postgres ? " FOR UPDATE OF u SKIP LOCKED" : "")
                """).all()
            guard !rows.isEmpty else { return ([], false) }
            var candidates = try rows.map { row in
                Candidate(id: try row.decode(column: "id", as: Int.self), impact: try row.decode(column: "impact", as: Int.self),
                          templateID: try row.decode(column: "job_template_id", as: Int?.self),
                          allowSimultaneous: try row.decode(column: "allow_simultaneous", as: Bool.self))
            }
            // Ordered fallback: a job is left to an earlier group of its list that has room.
            let placement = try await InstanceGroupPlacement.load(db, node: node, jobs: candidates.map(\.id))
            let before = candidates.count
            candidates = candidates.filter { !placement.leavesToEarlierGroup($0.id, impact: $0.impact) }
            let leftToOthers = candidates.count < before
            guard !candidates.isEmpty else { return ([], leftToOthers) }
            let templates = Set(candidates.compactMap { $0.allowSimultaneous ? nil : $0.templateID })
            var busyTemplates: Set<Int> = []
            if !templates.isEmpty {
                // Two nodes must not both start a job of one non-simultaneous template: the
                // sibling check runs under a transaction-scoped advisory lock, taken only
                // when such a job is a candidate (claims of allow_simultaneous jobs never
                // serialise). No deadlock: the row locks above were taken with SKIP LOCKED,
                // so nobody waits for them while holding this lock.
                if postgres { try await db.raw("SELECT pg_advisory_xact_lock(1415926535)").run() }
                let busy = try await db.select().column("job_template_id").from("unified_jobs")
                    .where("status", .in, ["waiting", "running"]).where("job_template_id", .in, Array(templates)).all()
                for row in busy { if let id = try row.decode(column: "job_template_id", as: Int?.self) { busyTemplates.insert(id) } }
            }
            var free = freeCapacity
            var nothingClaimed = idle
            var claimed: [Int] = []
            for job in candidates {
                if let template = job.templateID, !job.allowSimultaneous {
                    if busyTemplates.contains(template) { continue }
                }
                guard job.impact <= free || nothingClaimed else { continue }
                if let template = job.templateID { busyTemplates.insert(template) }
                free -= job.impact
                nothingClaimed = false
                claimed.append(job.id)
                if free <= 0 { break }
            }
            guard !claimed.isEmpty else { return ([], true) }
            let now = JobClock.now()
            // `instance_group` is the group the job was placed through (AWX sets it when the
            // task manager starts the job), so the update is per group.
            let byGroup = Dictionary(grouping: claimed) { placement.group(for: $0) }
            for (group, ids) in byGroup {
                try await db.update("unified_jobs")
                    .set("status", to: "waiting").set("execution_node", to: node).set("controller_node", to: node)
                    .set("modified", to: now).set("instance_group_id", to: group)
                    .where("id", .in, ids).where("status", .equal, "pending").run()
            }
            return (claimed, leftToOthers || claimed.count < rows.count)
        }
    }

    /// Start-up recovery: jobs this node had `waiting` or `running` when it stopped end as
    /// `error`; a job is never run twice. Returns their ids.
    func recoverInterrupted() async throws -> [Int] {
        let node = self.node
        let ended = try await transaction { db -> [Int] in
            let rows = try await db.select().column("id").from("unified_jobs")
                .where("execution_node", .equal, node).where("status", .in, ["waiting", "running"]).all()
            let ids = try rows.map { try $0.decode(column: "id", as: Int.self) }
            guard !ids.isEmpty else { return [] }
            let now = JobClock.now()
            try await db.update("unified_jobs")
                .set("status", to: "error").set("failed", to: true)
                .set("job_explanation", to: "Job terminated because the controller node \(node) stopped while it ran (the node restarted)")
                .set("finished", to: now).set("modified", to: now).set("event_processing_finished", to: true)
                .where("id", .in, ids).run()
            return ids
        }
        try await WorkflowSettlement.settle(afterJobs: ended, database: database)
        return ended
    }

    /// Ids of this node's `waiting`/`running` jobs with `cancel_requested` (the sweep's
    /// answer to a cancel that arrived through another node).
    func cancelRequestedHere() async throws -> [Int] {
        let node = self.node
        let rows = try await read { db in
            try await db.select().column("id").from("unified_jobs")
                .where("execution_node", .equal, node).where("status", .in, ["waiting", "running"])
                .where("cancel_requested", .equal, true).all()
        }
        return try rows.map { try $0.decode(column: "id", as: Int.self) }
    }

    /// Which of `ids` are still `waiting` or `running`.
    func openJobs(_ ids: [Int]) async throws -> Set<Int> {
        let rows = try await read { db in
            try await db.select().column("id").from("unified_jobs").where("id", .in, ids).where("status", .in, ["waiting", "running"]).all()
        }
        return Set(try rows.map { try $0.decode(column: "id", as: Int.self) })
    }
}
