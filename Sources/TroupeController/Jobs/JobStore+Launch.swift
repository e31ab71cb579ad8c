import Foundation
import SQLKit

/// Creating and cancelling jobs (the API's launch and cancel call these).
extension JobStore {
    /// The columns a launch sets (see `NewJob`).
    typealias NewJob = TroupeController.NewJob

    /// Inserts the job `pending` (one statement, so one implicit transaction) and returns
    /// its id; the caller then wakes the dispatcher.
    func createPending(_ job: NewJob) async throws -> Int {
        let now = JobClock.now()
        let credentials = "[" + job.credentialIDs.map(String.init).joined(separator: ",") + "]"
        let columns = ["kind", "name", "status", "created", "modified", "launch_type", "launched_by", "job_template_id",
                       "inventory_id", "project_id", "playbook", "limit", "extra_vars", "job_tags", "skip_tags", "job_type",
                       "extra_vars_encrypted", "verbosity", "forks", "timeout", "diff_mode", "become_enabled", "module_name", "module_args",
                       "credential_ids", "allow_simultaneous", "impact"]
        let values: [any Encodable & Sendable] = [
            job.kind, job.name, "pending", now, now, job.launchType, job.launchedBy, job.jobTemplateID,
            job.inventoryID, job.projectID, job.playbook, job.limit, job.extraVars, job.jobTags, job.skipTags, job.jobType,
            job.encryptedExtraVars, job.verbosity, job.forks, job.timeout, job.diffMode, job.becomeEnabled, job.moduleName, job.moduleArgs,
            credentials, job.allowSimultaneous, JobSpec.impact(forks: job.forks, hostCount: job.hostCount),
        ]
        let templateID = job.jobTemplateID
        let inventoryID = job.inventoryID
        let row = try await read { db in
            // The instance group is fixed at launch, in the insert, so no node can claim
            // the job before it is bound.
            let group = try await JobStore.preferredInstanceGroup(db, templateID: templateID, inventoryID: inventoryID)
            return try await db.insert(into: "unified_jobs").columns(columns + ["instance_group_id"]).values(values + [group])
                .returning("id").first()
        }
        guard let row else { throw JobRunError.setup("the new job's id was not returned") }
        return try row.decode(column: "id", as: Int.self)
    }

    /// AWX's preference: the template's first instance group, else the inventory's, else
    /// the inventory organization's; nil lets any node run the job.
    static func preferredInstanceGroup(_ db: any SQLDatabase, templateID: Int?, inventoryID: Int?) async throws -> Int? {
        var sources: [(String, String, Int)] = []
        if let templateID { sources.append(("job_template_instance_groups", "job_template_id", templateID)) }
        if let inventoryID { sources.append(("inventory_instance_groups", "inventory_id", inventoryID)) }
        for (table, column, id) in sources {
            if let row = try await db.select().column("instance_group_id").from(table).where(SQLColumn(column), .equal, SQLBind(id))
                .orderBy("instance_group_id").limit(1).first() {
                return try row.decode(column: "instance_group_id", as: Int.self)
            }
        }
        guard let inventoryID else { return nil }
        let row = try await db.raw("""
            SELECT oig.instance_group_id AS instance_group_id FROM organization_instance_groups oig
            JOIN inventories i ON i.organization_id = oig.organization_id WHERE i.id = \(bind: inventoryID)
            ORDER BY oig.instance_group_id LIMIT 1
            """).first()
        return try row?.decode(column: "instance_group_id", as: Int.self)
    }

    /// What a cancel request did.
    enum CancelResult: Sendable, Equatable {
        /// Not started yet: it is `canceled` now.
        case canceledBeforeStart
        /// Running (or about to): `cancel_requested` is set; the node running it stops it.
        case requested(node: String)
        /// Already finished (the API answers 405).
        case notCancelable
        case notFound
    }

    func requestCancel(_ id: Int) async throws -> CancelResult {
        try await transaction { db in
            guard let row = try await db.select().columns("status", "execution_node").from("unified_jobs").where("id", .equal, id).first() else {
                return .notFound
            }
            let status = try row.decode(column: "status", as: String.self)
            let now = JobClock.now()
            switch status {
            case "new", "pending":
                try await db.update("unified_jobs").set("status", to: "canceled").set("cancel_requested", to: true)
                    .set("job_explanation", to: "Job canceled before it started").set("finished", to: now).set("modified", to: now)
                    .set("event_processing_finished", to: true).where("id", .equal, id).run()
                return .canceledBeforeStart
            case "waiting", "running":
                try await db.update("unified_jobs").set("cancel_requested", to: true).set("modified", to: now)
                    .where("id", .equal, id).run()
                return .requested(node: try row.decode(column: "execution_node", as: String.self))
            default:
                return .notCancelable
            }
        }
    }
}
