import Foundation
import SQLKit

/// AWX's `WorkflowJobSerializer` (list variant without `job_args`, `job_cwd`, `job_env`,
/// `result_traceback`) and `WorkflowJobNodeSerializer`, from rows. Troupe's workflow jobs
/// are the containers of sliced launches, so `workflow_job_template` is always null and
/// `job_template` is set.
struct WorkflowJobSerializer {
    let prefix: String

    func workflowJob(_ row: any SQLRow, detail: Bool) throws -> [String: Any] {
        func text(_ c: String) throws -> String { try row.decode(column: c, as: String.self) }
        func optionalInt(_ c: String) throws -> Any { orNull(try row.decode(column: c, as: Int?.self)) }
        let id = try row.decode(column: "id", as: Int.self)
        let base = prefix + "workflow_jobs/\(id)/"
        let status = try text("status")
        let started = try row.decode(column: "started", as: String?.self)
        let finished = try row.decode(column: "finished", as: String?.self)
        var elapsed = try row.decode(column: "elapsed", as: Double.self)
        if finished == nil, let started, let date = JobClock.parse(started) {
            elapsed = JobTermination.rounded(Date().timeIntervalSince(date))  // live while it runs, as AWX
        }
        var related: [String: Any] = [
            "workflow_nodes": base + "workflow_nodes/", "labels": base + "labels/", "activity_stream": base + "activity_stream/",
            "relaunch": base + "relaunch/", "cancel": base + "cancel/", "notifications": base + "notifications/",
        ]
        let templateID = try row.decode(column: "job_template_id", as: Int?.self)
        var summary: [String: Any] = ["labels": ["count": 0, "results": [Any]()] as [String: Any],
                                      "user_capabilities": ["delete": true, "start": true]]
        if let templateID {
            related["job_template"] = prefix + "job_templates/\(templateID)/"
            related["unified_job_template"] = prefix + "job_templates/\(templateID)/"
            summary["job_template"] = ["id": templateID, "name": try text("name")]
            summary["unified_job_template"] = ["id": templateID, "name": try text("name"), "unified_job_type": "job"]
        }
        if let inventory = try row.decode(column: "inventory_id", as: Int?.self) { related["inventory"] = prefix + "inventories/\(inventory)/" }
        if let user = try row.decode(column: "launched_by", as: Int?.self) { related["created_by"] = prefix + "users/\(user)/" }
        var object: [String: Any] = [
            "id": id, "type": "workflow_job", "url": base, "related": related, "summary_fields": summary,
            "created": try text("created"), "modified": try text("modified"), "name": try text("name"),
            "description": try text("description"), "unified_job_template": try optionalInt("job_template_id"),
            "launch_type": try text("launch_type"), "status": status, "failed": try row.decode(column: "failed", as: Bool.self),
            "started": orNull(started), "finished": orNull(finished), "canceled_on": NSNull(), "elapsed": elapsed,
            "job_explanation": try text("job_explanation"), "launched_by": [String: Any](), "work_unit_id": NSNull(),
            "workflow_job_template": NSNull(), "extra_vars": try text("extra_vars"),
            "allow_simultaneous": try row.decode(column: "allow_simultaneous", as: Bool.self),
            "job_template": try optionalInt("job_template_id"), "is_sliced_job": try row.decode(column: "is_sliced_job", as: Bool.self),
            "inventory": try optionalInt("inventory_id"), "limit": orNull(try text("limit").nilIfEmpty), "scm_branch": NSNull(),
            "webhook_service": "", "webhook_credential": NSNull(), "webhook_guid": "",
            "skip_tags": orNull(try text("skip_tags").nilIfEmpty), "job_tags": orNull(try text("job_tags").nilIfEmpty),
        ]
        if detail {
            object["job_args"] = ""
            object["job_cwd"] = ""
            object["job_env"] = [String: Any]()
            object["result_traceback"] = ""
        }
        return object
    }

    /// A node row joined with its job's `status`, `failed`, `elapsed`, `name`.
    func node(_ row: any SQLRow) throws -> [String: Any] {
        let id = try row.decode(column: "id", as: Int.self)
        let base = prefix + "workflow_job_nodes/\(id)/"
        let workflowID = try row.decode(column: "workflow_job_id", as: Int.self)
        let jobID = try row.decode(column: "job_id", as: Int?.self)
        let templateID = try row.decode(column: "unified_job_template_id", as: Int?.self)
        var related: [String: Any] = [
            "credentials": base + "credentials/", "labels": base + "labels/", "instance_groups": base + "instance_groups/",
            "success_nodes": base + "success_nodes/", "failure_nodes": base + "failure_nodes/", "always_nodes": base + "always_nodes/",
            "workflow_job": prefix + "workflow_jobs/\(workflowID)/",
        ]
        var summary: [String: Any] = ["workflow_job": ["id": workflowID, "name": try row.decode(column: "workflow_name", as: String.self),
                                                       "description": ""]]
        if let templateID {
            related["unified_job_template"] = prefix + "job_templates/\(templateID)/"
            summary["unified_job_template"] = ["id": templateID, "name": try row.decode(column: "workflow_name", as: String.self),
                                               "description": "", "unified_job_type": "job"]
        }
        if let jobID {
            related["job"] = prefix + "jobs/\(jobID)/"
            summary["job"] = [
                "id": jobID, "name": try row.decode(column: "job_name", as: String?.self) ?? "", "description": "",
                "status": try row.decode(column: "job_status", as: String?.self) ?? "", "failed": try row.decode(column: "job_failed", as: Bool?.self) ?? false,
                "elapsed": try row.decode(column: "job_elapsed", as: Double?.self) ?? 0, "type": "job",
            ] as [String: Any]
        }
        let created = try row.decode(column: "created", as: String.self)
        return [
            "id": id, "type": "workflow_job_node", "url": base, "related": related, "summary_fields": summary,
            "created": created, "modified": try row.decode(column: "modified", as: String.self),
            "extra_data": [String: Any](), "inventory": NSNull(), "scm_branch": NSNull(), "job_type": NSNull(), "job_tags": NSNull(),
            "skip_tags": NSNull(), "limit": NSNull(), "diff_mode": NSNull(), "verbosity": NSNull(), "execution_environment": NSNull(),
            "forks": NSNull(), "job_slice_count": NSNull(), "timeout": NSNull(), "job": orNull(jobID), "workflow_job": workflowID,
            "unified_job_template": orNull(templateID), "success_nodes": [Any](), "failure_nodes": [Any](), "always_nodes": [Any](),
            "all_parents_must_converge": false, "do_not_run": false, "identifier": try row.decode(column: "identifier", as: String.self),
        ]
    }

    /// The node query: nodes with their workflow job's name and their job's state.
    static let nodeSelect = """
        SELECT n.id AS id, n.workflow_job_id AS workflow_job_id, n.unified_job_template_id AS unified_job_template_id,
          n.job_id AS job_id, n.identifier AS identifier, n.created AS created, n.modified AS modified, n.job_slice AS job_slice,
          w.name AS workflow_name, j.name AS job_name, j.status AS job_status, j.failed AS job_failed, j.elapsed AS job_elapsed
        FROM workflow_job_nodes n JOIN unified_jobs w ON w.id = n.workflow_job_id LEFT JOIN unified_jobs j ON j.id = n.job_id
        """
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
