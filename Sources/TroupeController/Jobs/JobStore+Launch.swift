import Foundation
import SQLKit

/// Creating and cancelling jobs (the API's launch and cancel call these).
extension JobStore {
    /// The columns a launch sets (see `NewJob`).
    typealias NewJob = TroupeController.NewJob

    /// Inserts the job `pending` with its candidate instance groups (one transaction) and
    /// returns its id; the caller then wakes the dispatcher.
    func createPending(_ job: NewJob) async throws -> Int {
        try await transaction { db in try await JobStore.insertPending(db, job) }
    }

    /// The insert of `createPending`, inside the caller's transaction (a sliced launch
    /// inserts its workflow job and every slice in one).
    /// `status`: `new` for the slices of a workflow job that waits for another of its
    /// template (`WorkflowStarter` makes them pending when it starts).
    static func insertPending(_ db: any SQLDatabase, _ job: NewJob, status: String = "pending") async throws -> Int {
        let now = JobClock.now()
        let credentials = "[" + job.credentialIDs.map(String.init).joined(separator: ",") + "]"
        let columns = ["kind", "name", "status", "created", "modified", "launch_type", "launched_by", "job_template_id",
                       "inventory_id", "project_id", "playbook", "limit", "extra_vars", "job_tags", "skip_tags", "job_type",
                       "extra_vars_encrypted", "verbosity", "forks", "timeout", "diff_mode", "become_enabled", "module_name", "module_args",
                       "credential_ids", "allow_simultaneous", "impact", "workflow_job_id", "job_slice_number", "job_slice_count"]
        let values: [any Encodable & Sendable] = [
            job.kind, job.name, status, now, now, job.launchType, job.launchedBy, job.jobTemplateID,
            job.inventoryID, job.projectID, job.playbook, job.limit, job.extraVars, job.jobTags, job.skipTags, job.jobType,
            job.encryptedExtraVars, job.verbosity, job.forks, job.timeout, job.diffMode, job.becomeEnabled, job.moduleName, job.moduleArgs,
            credentials, job.allowSimultaneous, JobSpec.impact(forks: job.forks, hostCount: job.hostCount),
            job.workflowJobID, job.jobSliceNumber, job.jobSliceCount,
        ]
        guard let row = try await db.insert(into: "unified_jobs").columns(columns).values(values).returning("id").first() else {
            throw JobRunError.setup("the new job's id was not returned")
        }
        let id = try row.decode(column: "id", as: Int.self)
        // The candidate groups are fixed at launch, in the same transaction, so no node can
        // claim the job before they are known; which one runs it is the claim's choice.
        let groups = try await candidateInstanceGroups(db, templateID: job.jobTemplateID, inventoryID: job.inventoryID)
        if !groups.isEmpty {
            var insert = db.insert(into: "unified_job_instance_groups").columns("unified_job_id", "position", "instance_group_id")
            for (position, group) in groups.enumerated() {
                let values: [any Encodable & Sendable] = [id, position + 1, group]
                insert = insert.values(values)
            }
            try await insert.run()
        }
        return id
    }

    /// AWX's `preferred_instance_groups`: the template's groups, then the inventory's, then
    /// the organization's (the template's, else the inventory's), each level cut off when
    /// the level before it sets `prevent_instance_group_fallback`. Each level's groups in
    /// the order they were added (AWX's ordered relation); duplicates keep their first place. Empty: any node may run the job (AWX's global groups).
    static func candidateInstanceGroups(_ db: any SQLDatabase, templateID: Int?, inventoryID: Int?) async throws -> [Int] {
        var groups: [Int] = []
        // The order they were added in (migration 210): `position` on PostgreSQL, rowid on SQLite.
        let added = db.dialect.name == "sqlite" ? "rowid" : "position"
        func add(_ table: String, _ column: String, _ id: Int) async throws {
            for row in try await db.select().column("instance_group_id").from(table).where(SQLColumn(column), .equal, SQLBind(id))
                .orderBy(SQLColumn(added)).all() {
                let group = try row.decode(column: "instance_group_id", as: Int.self)
                if !groups.contains(group) { groups.append(group) }
            }
        }
        var organizationID: Int?
        if let templateID {
            try await add("job_template_instance_groups", "job_template_id", templateID)
            if let template = try await db.select().columns("organization_id", "prevent_instance_group_fallback").from("job_templates")
                .where("id", .equal, templateID).first() {
                organizationID = try template.decode(column: "organization_id", as: Int?.self)
                if try template.decode(column: "prevent_instance_group_fallback", as: Bool.self) { return groups }
            }
        }
        if let inventoryID {
            try await add("inventory_instance_groups", "inventory_id", inventoryID)
            if let inventory = try await db.select().columns("organization_id", "prevent_instance_group_fallback").from("inventories")
                .where("id", .equal, inventoryID).first() {
                organizationID = try organizationID ?? inventory.decode(column: "organization_id", as: Int?.self)
                if try inventory.decode(column: "prevent_instance_group_fallback", as: Bool.self) { return groups }
            }
        }
        if let organizationID { try await add("organization_instance_groups", "organization_id", organizationID) }
        return groups
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
        let result = try await transaction { db -> CancelResult in
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
        if result == .canceledBeforeStart { try await WorkflowSettlement.settle(afterJobs: [id], database: database) }
        return result
    }
}
