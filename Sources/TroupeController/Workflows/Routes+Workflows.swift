import Foundation
import SQLKit

/// Routes of sliced launches (#16): `workflow_jobs` (list, detail, delete, cancel,
/// `workflow_nodes`), `workflow_job_nodes/N`, `job_templates/N/slice_workflow_jobs`.
/// Access follows the template's jobs (`JobAccess`). The launch itself is
/// `JobLaunch.launch`, which answers a sliced launch with the workflow job.
extension Controller {
    func registerWorkflowRoutes() {
        let api = WorkflowJobsAPI(jobs: jobs.api)
        let kind = "workflow_job"
        router.add(.get, "v2/workflow_jobs/") { context in
            try await api.list(parameters: context.request.query, restriction: try await JobAccess(context).restriction()).apiResponse
        }
        router.add(.options, "v2/workflow_jobs/") { context in
            _ = try context.requireUser()
            return .json(WorkflowJobMetadata.listOptions)
        }
        router.add(.get, "v2/workflow_jobs/{id}/") { context in
            let id = try context.intParameter("id")
            try await JobAccess(context).requireReadable(id, kindName: kind)
            return try await api.detail(id).apiResponse
        }
        router.add(.delete, "v2/workflow_jobs/{id}/") { context in
            let id = try context.intParameter("id")
            try await JobAccess(context).requireStartedOrAdmin(id, kindName: kind)
            return try await api.delete(id).apiResponse
        }
        router.add(.get, "v2/workflow_jobs/{id}/cancel/") { context in
            let id = try context.intParameter("id")
            try await JobAccess(context).requireReadable(id, kindName: kind)
            return try await api.canCancel(id).apiResponse
        }
        router.add(.post, "v2/workflow_jobs/{id}/cancel/") { context in
            let id = try context.intParameter("id")
            try await JobAccess(context).requireStartedOrAdmin(id, kindName: kind)
            return try await api.cancel(id).apiResponse
        }
        router.add(.get, "v2/workflow_jobs/{id}/workflow_nodes/") { context in
            let id = try context.intParameter("id")
            try await JobAccess(context).requireReadable(id, kindName: kind)
            return try await api.nodes(id, parameters: context.request.query).apiResponse
        }
        router.add(.get, "v2/workflow_job_nodes/{id}/") { context in
            let id = try context.intParameter("id")
            guard let workflow = try await api.nodeWorkflow(id) else { throw APIError.notFound }
            try await JobAccess(context).requireReadable(workflow, kindName: kind)
            return try await api.node(id).apiResponse
        }
        router.add(.get, "v2/job_templates/{id}/slice_workflow_jobs/") { context in
            let template = try await context.resolveID(ResourceCatalog.jobTemplates)
            return try await api.list(parameters: context.request.query + [("job_template", String(template))],
                                      restriction: try await JobAccess(context).restriction()).apiResponse
        }
    }
}

/// OPTIONS of `workflow_jobs/`: the fields the `awx workflow_jobs list` flags come from.
enum WorkflowJobMetadata {
    static var listOptions: JSON {
        typealias M = JobMetadata
        let get = JSONObject([
            ("id", M.field("integer", "ID")), ("type", M.field("choice", "Type", filterable: false)),
            ("url", M.field("string", "Url", filterable: false)), ("created", M.field("datetime", "Created")),
            ("modified", M.field("datetime", "Modified")), ("name", M.field("string", "Name")),
            ("launch_type", M.field("choice", "Launch type", choices: [("manual", "Manual"), ("relaunch", "Relaunch"), ("scheduled", "Scheduled"),
                                                                      ("workflow", "Workflow")])),
            ("status", M.field("choice", "Status", choices: M.statusChoices)), ("failed", M.field("boolean", "Failed")),
            ("started", M.field("datetime", "Started")), ("finished", M.field("datetime", "Finished")),
            ("elapsed", M.field("decimal", "Elapsed")), ("job_explanation", M.field("string", "Job explanation")),
            ("job_template", M.field("id", "Job template", help: "If automatically created for a sliced job run, the job template the workflow job was created from.")),
            ("is_sliced_job", M.field("boolean", "Is sliced job")), ("inventory", M.field("id", "Inventory")),
            ("allow_simultaneous", M.field("boolean", "Allow simultaneous")),
        ])
        return .object(JSONObject([
            ("name", "Workflow Job List"), ("description", ""), ("renders", ["application/json", "text/html"]),
            ("parses", ["application/json"]), ("actions", .object(JSONObject([("GET", .object(get))]))),
            ("search_fields", ["name"]),
        ]))
    }
}
