import Foundation
import SQLKit

/// POST `job_templates/N/launch/` and POST `ad_hoc_commands/` (and the inventory, group
/// and host variants): reads the template or inventory, applies AWX's launch rules
/// (`LaunchPlan`), inserts the job `pending` and wakes the dispatcher.
struct JobLaunch {
    let context: APIContext

    init(_ context: APIContext) { self.context = context }

    var api: JobsAPI { context.controller.jobs.api }

    /// The template as the launch rules read it; 404 when missing, 403 without `execute_role`.
    func template(_ id: Int) async throws -> LaunchTemplate {
        _ = try context.requireUser()
        guard let template = try await Self.loadTemplate(context.database, id) else { throw APIError.notFound }
        guard try await AccessControl(context: context).holds("execute_role", contentType: "job_template", objectID: id) else {
            throw APIError.forbidden()
        }
        return template
    }

    /// The `job_templates` row, its credentials and host count as the launch rules read them.
    static func loadTemplate(_ database: Database, _ id: Int) async throws -> LaunchTemplate? {
        let rows = try await database.all(SQLQueryString("SELECT * FROM job_templates WHERE id = \(bind: id)"))
        guard let row = rows.first else { return nil }
        func text(_ c: String) throws -> String { try row.decode(column: c, as: String.self) }
        func int(_ c: String) throws -> Int { try row.decode(column: c, as: Int.self) }
        func bool(_ c: String) throws -> Bool { try row.decode(column: c, as: Bool.self) }
        var template = LaunchTemplate(id: id, name: try text("name"))
        template.description = try text("description")
        template.inventoryID = try row.decode(column: "inventory_id", as: Int?.self)
        template.projectID = try row.decode(column: "project_id", as: Int?.self)
        template.playbook = try text("playbook")
        template.limit = try text("limit")
        template.extraVarsJSON = JobSpecResolver.variablesJSON(try text("extra_vars"))
        template.jobTags = try text("job_tags")
        template.skipTags = try text("skip_tags")
        template.jobType = try text("job_type")
        template.verbosity = try int("verbosity")
        template.forks = try int("forks")
        template.timeout = try int("timeout")
        template.diffMode = try bool("diff_mode")
        template.becomeEnabled = try bool("become_enabled")
        template.allowSimultaneous = try bool("allow_simultaneous")
        template.surveyEnabled = try bool("survey_enabled")
        template.surveySpecJSON = try text("survey_spec")
        template.jobSliceCount = try int("job_slice_count")
        for flag in ["variables", "limit", "tags", "skip_tags", "job_type", "verbosity", "diff_mode", "inventory", "credential", "forks", "timeout",
                     "job_slice_count"]
        where try bool("ask_\(flag)_on_launch") {
            template.ask.insert(flag)
        }
        let credentials = try await database.all(SQLQueryString("""
            SELECT c.id AS id, c.inputs AS inputs FROM job_template_credentials jtc JOIN credentials c ON c.id = jtc.credential_id
            WHERE jtc.job_template_id = \(bind: id) ORDER BY c.id
            """))
        for credential in credentials {
            template.credentialIDs.append(try credential.decode(column: "id", as: Int.self))
            // Inputs set to ASK must come with the launch (AWX's passwords_needed_to_start).
            let inputs = (try? JSONParser.parse(try credential.decode(column: "inputs", as: String.self)))?.objectValue ?? JSONObject()
            for (key, value) in inputs.pairs where value == "ASK" {
                let field = key == "password" ? "ssh_password" : key
                if LaunchPlan.passwordFields.contains(field) { template.passwordsNeeded.append(field) }
            }
        }
        if let inventory = template.inventoryID {
            template.hostCount = try await hostCount(database, inventory)
        }
        return template
    }

    private func hostCount(_ inventory: Int) async throws -> Int {
        try await Self.hostCount(context.database, inventory)
    }

    static func hostCount(_ database: Database, _ inventory: Int) async throws -> Int {
        let rows = try await database.all(SQLQueryString("SELECT count(*) AS n FROM hosts WHERE inventory_id = \(bind: inventory) AND enabled = TRUE"))
        return try rows.first?.decode(column: "n", as: Int.self) ?? 1
    }

    func launch(_ id: Int) async throws -> APIResponse {
        let user = try context.requireUser()
        let template = try await template(id)
        let body = try context.request.jsonObjectBody()
        var plan: LaunchPlan
        switch LaunchPlan.make(template, body: JSON.object(body).foundationObject) {
        case .success(let made): plan = made
        case .failure(let error): return .json(YAMLBridge.json(error.body), status: .badRequest)
        }
        plan.job.launchedBy = user.id
        let shown = LaunchPlan.jsonText(plan.displayExtraVars)
        if shown != plan.job.extraVars {
            // Survey passwords: the row shows `$encrypted$`; the run gets the real values.
            plan.job.encryptedExtraVars = context.controller.secrets.encrypt(plan.job.extraVars)
            plan.job.extraVars = shown
        }
        if let inventory = plan.job.inventoryID, inventory != template.inventoryID {
            guard try await AccessControl(context: context).holds("use_role", contentType: "inventory", objectID: inventory) else {
                throw APIError.forbidden()
            }
            plan.job.hostCount = try await hostCount(inventory)
        }
        let slices = try await SlicedLaunch.effectiveSliceCount(plan.jobSliceCount, database: context.database, inventoryID: plan.job.inventoryID)
        if slices > 1 {
            // AWX answers a sliced launch with the workflow job, under `workflow_job`.
            let workflowID = try await SlicedLaunch.create(context.database, template: plan.job, count: slices)
            context.controller.jobs.dispatcher.launched()
            guard let row = try await WorkflowJobsAPI(jobs: api).row(workflowID) else { throw APIError.notFound }
            var object = try WorkflowJobSerializer(prefix: api.prefix).workflowJob(row, detail: true)
            object["workflow_job"] = workflowID
            object["ignored_fields"] = plan.ignoredFields
            return APIResponse(status: .created, headers: [(.location, api.prefix + "workflow_jobs/\(workflowID)/")],
                               body: .json(YAMLBridge.json(object)))
        }
        let jobID = try await context.controller.jobs.store.createPending(plan.job)
        context.controller.jobs.dispatcher.launched()
        guard let row = try await api.row(jobID, kind: .job) else { throw APIError.notFound }
        var object = try JobSerializer(prefix: api.prefix).job(row, kind: .job)
        object["job"] = jobID
        object["ignored_fields"] = plan.ignoredFields
        object["extra_vars"] = LaunchPlan.jsonText(plan.displayExtraVars)
        return APIResponse(status: .created, headers: [(.location, api.prefix + "jobs/\(jobID)/")], body: .json(YAMLBridge.json(object)))
    }

    /// The inventory (and limit) of `inventories|groups|hosts/N/ad_hoc_commands/`.
    func scopeInventory(_ scope: String, _ id: Int) async throws -> (inventoryID: Int, limit: String?) {
        let table = scope == "inventories" ? "inventories" : scope == "groups" ? "\"groups\"" : "hosts"
        let column = scope == "inventories" ? "id" : "inventory_id"
        let rows = try await context.database.all(SQLQueryString("SELECT \(unsafeRaw: column) AS inventory_id, name FROM \(unsafeRaw: table) WHERE id = \(bind: id)"))
        guard let row = rows.first else { throw APIError.notFound }
        let inventory = try row.decode(column: "inventory_id", as: Int.self)
        return (inventory, scope == "inventories" ? nil : try row.decode(column: "name", as: String.self))
    }

    func adHoc(scope: (String, Int)?) async throws -> APIResponse {
        let user = try context.requireUser()
        var body = JSON.object(try context.request.jsonObjectBody()).foundationObject
        var forcedLimit: String?
        if let scope {
            let found = try await scopeInventory(scope.0, scope.1)
            body["inventory"] = found.inventoryID
            forcedLimit = found.limit
        }
        guard let inventory = body["inventory"] as? Int else {
            return .json(["inventory": ["This field is required."]], status: .badRequest)
        }
        let exists = try await context.database.all(SQLQueryString("SELECT id FROM inventories WHERE id = \(bind: inventory)"))
        if exists.isEmpty { return .json(["inventory": .array([.string("Invalid pk \"\(inventory)\" - object does not exist.")])], status: .badRequest) }
        let access = AccessControl(context: context)
        guard try await access.holds("adhoc_role", contentType: "inventory", objectID: inventory) else { throw APIError.forbidden() }
        if let credential = body["credential"] as? Int {
            let found = try await context.database.all(SQLQueryString("SELECT id FROM credentials WHERE id = \(bind: credential)"))
            if found.isEmpty { return .json(["credential": .array([.string("Invalid pk \"\(credential)\" - object does not exist.")])], status: .badRequest) }
            guard try await access.holds("use_role", contentType: "credential", objectID: credential) else { throw APIError.forbidden() }
        }
        return try await api.createAdHoc(body: body, inventoryID: inventory, limit: forcedLimit,
                                         hostCount: try await hostCount(inventory), launchedBy: user.id).apiResponse
    }
}
