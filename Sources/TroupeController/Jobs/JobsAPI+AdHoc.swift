import Foundation

extension JobsAPI {
    /// POST `ad_hoc_commands/` (and `inventories|groups|hosts/N/ad_hoc_commands/`, whose
    /// caller passes the inventory and, for a group or host, the limit). Any module Troupe
    /// has is accepted, not only AWX's short list. The caller has checked the inventory
    /// and credential exist and the user may use them.
    func createAdHoc(body: [String: Any], inventoryID: Int?, limit forcedLimit: String? = nil, hostCount: Int = 1,
                     launchedBy: Int? = nil) async throws -> Reply {
        var errors: [String: Any] = [:]
        let inventory = inventoryID ?? (body["inventory"] as? Int)
        if inventory == nil { errors["inventory"] = ["This field is required."] }
        let module = (body["module_name"] as? String ?? "command").trimmingCharacters(in: .whitespaces)
        if module.isEmpty || module.contains(where: { $0.isWhitespace }) {
            errors["module_name"] = ["\"\(module)\" is not a valid choice."]
        }
        let args = body["module_args"] as? String ?? ""
        if ["command", "shell", "ansible.builtin.command", "ansible.builtin.shell"].contains(module),
           args.trimmingCharacters(in: .whitespaces).isEmpty {
            errors["module_args"] = ["No argument passed to \(module) module."]
        }
        var job = JobStore.NewJob()
        job.kind = JobsAPI.Kind.adHocCommand.rawValue
        job.name = module
        job.launchedBy = launchedBy
        job.inventoryID = inventory
        job.moduleName = module
        job.moduleArgs = args
        job.limit = forcedLimit ?? (body["limit"] as? String ?? "")
        job.forks = body["forks"] as? Int ?? 0
        job.verbosity = body["verbosity"] as? Int ?? 0
        if !(0...5).contains(job.verbosity) { errors["verbosity"] = ["\"\(job.verbosity)\" is not a valid choice."] }
        job.jobType = body["job_type"] as? String ?? "run"
        if !["run", "check"].contains(job.jobType) { errors["job_type"] = ["\"\(job.jobType)\" is not a valid choice."] }
        job.becomeEnabled = body["become_enabled"] as? Bool ?? false
        job.diffMode = body["diff_mode"] as? Bool ?? false
        job.allowSimultaneous = true
        job.hostCount = hostCount
        if let credential = body["credential"] as? Int { job.credentialIDs = [credential] }
        switch body["extra_vars"] {
        case let text as String:
            guard let vars = LaunchPlan.parseVars(text) else {
                errors["extra_vars"] = ["Cannot parse as JSON (error: invalid) or YAML (error: invalid)."]
                break
            }
            job.extraVars = LaunchPlan.jsonText(vars)
        case let vars as [String: Any]: job.extraVars = LaunchPlan.jsonText(vars)
        default: break
        }
        guard errors.isEmpty else { return .json(400, errors) }
        let id = try await store.createPending(job)
        dispatcher.launched()
        guard let row = try await row(id, kind: .adHocCommand) else { return .notFound() }
        var reply = Reply.json(201, try JobSerializer(prefix: prefix).job(row, kind: .adHocCommand))
        reply.headers = [("Location", prefix + "ad_hoc_commands/\(id)/")]
        return reply
    }
}
