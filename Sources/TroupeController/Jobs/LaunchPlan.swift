import Foundation

/// What a job template contributes to a launch (the controller reads it from its
/// `job_templates` row and credentials).
struct LaunchTemplate: Sendable {
    var id: Int
    var name: String
    var description = ""
    var inventoryID: Int?
    var projectID: Int?
    var playbook = ""
    var limit = ""
    /// JSON (or YAML read as JSON by the caller) text.
    var extraVarsJSON = "{}"
    var jobTags = ""
    var skipTags = ""
    var jobType = "run"
    var verbosity = 0
    var forks = 0
    var timeout = 0
    var diffMode = false
    var becomeEnabled = false
    var allowSimultaneous = false
    var credentialIDs: [Int] = []
    /// Credential inputs set to `ASK` (e.g. `ssh_password`, `become_password`, `vault_password`).
    var passwordsNeeded: [String] = []
    var surveyEnabled = false
    var surveySpecJSON = "{}"
    var hostCount = 1
    /// `job_slice_count`: more than 1 makes the launch a sliced workflow job.
    var jobSliceCount = 1
    /// `ask_<field>_on_launch` flags, by field (`variables`, `limit`, `tags`, `skip_tags`,
    /// `job_type`, `verbosity`, `diff_mode`, `inventory`, `credential`, `forks`, `timeout`,
    /// `job_slice_count`).
    var ask: Set<String> = []
}

/// AWX's launch rules: prompts the template allows are taken, others go to
/// `ignored_fields`; survey answers are validated and defaulted; passwords the
/// credentials ask for must come with the launch.
struct LaunchPlan {
    var job = NewJob()
    var ignoredFields: [String: Any] = [:]
    /// Extra vars for display (survey passwords as `$encrypted$`).
    var displayExtraVars: [String: Any] = [:]
    /// Answers to ASK passwords (go to the private data dir only).
    var passwords: [String: String] = [:]
    /// The requested slice count (the template's, or the prompt's); the launch caps it at
    /// the inventory's host count (`SlicedLaunch`).
    var jobSliceCount = 1

    /// The request's field name → template's ask flag.
    static let prompts: [String: String] = [
        "extra_vars": "variables", "limit": "limit", "job_tags": "tags", "skip_tags": "skip_tags", "job_type": "job_type",
        "verbosity": "verbosity", "diff_mode": "diff_mode", "inventory": "inventory", "credentials": "credential",
        "forks": "forks", "timeout": "timeout", "job_slice_count": "job_slice_count",
    ]

    /// Returns the plan, or the 400 body.
    static func make(_ template: LaunchTemplate, body: [String: Any]) -> Result<LaunchPlan, LaunchError> {
        var plan = LaunchPlan()
        var errors: [String: Any] = [:]
        var job = NewJob()
        job.kind = "job"
        job.name = template.name
        job.jobTemplateID = template.id
        job.inventoryID = template.inventoryID
        job.projectID = template.projectID
        job.playbook = template.playbook
        job.limit = template.limit
        job.jobTags = template.jobTags
        job.skipTags = template.skipTags
        job.jobType = template.jobType
        job.verbosity = template.verbosity
        job.forks = template.forks
        job.timeout = template.timeout
        job.diffMode = template.diffMode
        job.becomeEnabled = template.becomeEnabled
        job.allowSimultaneous = template.allowSimultaneous
        job.credentialIDs = template.credentialIDs
        job.hostCount = template.hostCount
        plan.jobSliceCount = template.jobSliceCount

        var extraVars = parseVars(template.extraVarsJSON) ?? [:]
        var launchVars: [String: Any] = [:]
        for (key, value) in body {
            if key == "extra_vars" {
                guard let vars = value is String ? parseVars(value as! String) : value as? [String: Any] else {
                    errors["extra_vars"] = ["Cannot parse as JSON (error: invalid) or YAML (error: invalid)."]
                    continue
                }
                launchVars = vars
                continue
            }
            guard let flag = prompts[key] else {
                if passwordFields.contains(key) { continue }
                continue  // AWX ignores unknown keys silently
            }
            guard template.ask.contains(flag) else {
                plan.ignoredFields[key] = value
                continue
            }
            switch key {
            case "limit": job.limit = value as? String ?? ""
            case "job_tags": job.jobTags = value as? String ?? ""
            case "skip_tags": job.skipTags = value as? String ?? ""
            case "job_type":
                guard let text = value as? String, ["run", "check"].contains(text) else {
                    errors["job_type"] = ["\"\(value)\" is not a valid choice."]
                    continue
                }
                job.jobType = text
            case "verbosity":
                guard let n = value as? Int, (0...5).contains(n) else { errors["verbosity"] = ["\"\(value)\" is not a valid choice."]; continue }
                job.verbosity = n
            case "forks":
                guard let n = value as? Int, n >= 0 else { errors["forks"] = ["A valid integer is required."]; continue }
                job.forks = n
            case "timeout":
                guard let n = value as? Int else { errors["timeout"] = ["A valid integer is required."]; continue }
                job.timeout = n
            case "job_slice_count":
                guard let n = value as? Int, !(value is Bool) else { errors["job_slice_count"] = ["A valid integer is required."]; continue }
                guard n >= 0 else { errors["job_slice_count"] = ["Ensure this value is greater than or equal to 0."]; continue }
                plan.jobSliceCount = n
            case "diff_mode": job.diffMode = value as? Bool ?? false
            case "inventory":
                guard let n = value as? Int else { errors["inventory"] = ["Incorrect type. Expected pk value, received \(type(of: value))."]; continue }
                job.inventoryID = n
            case "credentials":
                guard let ids = value as? [Int] else { errors["credentials"] = ["Expected a list of items."]; continue }
                job.credentialIDs = ids
            default: break
            }
        }
        // Survey answers are accepted even when variables are not prompted; other launch
        // variables only when they are.
        let survey = template.surveyEnabled ? parseVars(template.surveySpecJSON).map(Survey.init) : nil
        if let survey {
            let surveyErrors = survey.errors(launchVars)
            if !surveyErrors.isEmpty { errors["variables_needed_to_start"] = surveyErrors }
            for q in survey.questions {
                if let name = q["variable"] as? String, let value = launchVars.removeValue(forKey: name) { extraVars[name] = value }
            }
            for (name, value) in survey.defaults(extraVars) where extraVars[name] == nil { extraVars[name] = value }
        }
        if !launchVars.isEmpty {
            if template.ask.contains("variables") {
                extraVars.merge(launchVars) { _, new in new }
            } else {
                plan.ignoredFields["extra_vars"] = launchVars
            }
        }
        for field in template.passwordsNeeded {
            if let answer = body[field] as? String, !answer.isEmpty { plan.passwords[field] = answer } else {
                errors["passwords_needed_to_start"] = template.passwordsNeeded
            }
        }
        if job.inventoryID == nil { errors["inventory"] = ["Job Template 'inventory' is missing or undefined."] }
        guard errors.isEmpty else { return .failure(LaunchError(body: errors)) }
        job.extraVars = jsonText(extraVars)
        plan.displayExtraVars = survey?.redacted(extraVars) ?? extraVars
        plan.job = job
        return .success(plan)
    }

    static let passwordFields: Set<String> = ["ssh_password", "ssh_key_unlock", "become_password", "vault_password"]

    static func parseVars(_ text: String) -> [String: Any]? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty || trimmed == "---" { return [:] }
        return (try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))) as? [String: Any]
    }

    static func jsonText(_ vars: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: vars, options: [.sortedKeys, .withoutEscapingSlashes]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// GET `job_templates/N/launch/`.
    static func launchInfo(_ template: LaunchTemplate) -> [String: Any] {
        var body: [String: Any] = [:]
        for flag in Set(prompts.values) {
            let name = flag == "tags" ? "ask_tags_on_launch" : "ask_\(flag)_on_launch"
            body[name] = template.ask.contains(flag)
        }
        body["ask_scm_branch_on_launch"] = false
        body["ask_execution_environment_on_launch"] = false
        body["ask_labels_on_launch"] = false
        body["ask_instance_groups_on_launch"] = false
        let survey = template.surveyEnabled ? parseVars(template.surveySpecJSON).map(Survey.init) : nil
        let needed = survey?.questions.compactMap { q -> String? in
            (q["required"] as? Bool ?? false) && q["default"] == nil ? q["variable"] as? String : nil
        } ?? []
        body["survey_enabled"] = template.surveyEnabled
        body["variables_needed_to_start"] = needed
        body["passwords_needed_to_start"] = template.passwordsNeeded
        body["credential_needed_to_start"] = false
        body["inventory_needed_to_start"] = template.inventoryID == nil
        body["can_start_without_user_input"] = needed.isEmpty && template.passwordsNeeded.isEmpty && template.inventoryID != nil
        body["job_template_data"] = ["name": template.name, "id": template.id, "description": template.description]
        body["defaults"] = [
            "extra_vars": template.extraVarsJSON, "diff_mode": template.diffMode, "limit": template.limit,
            "job_tags": template.jobTags, "skip_tags": template.skipTags, "job_type": template.jobType,
            "verbosity": template.verbosity, "forks": template.forks, "timeout": template.timeout, "job_slice_count": template.jobSliceCount,
            "inventory": ["id": orNull(template.inventoryID)], "credentials": template.credentialIDs.map { ["id": $0] },
        ] as [String: Any]
        return body
    }
}

/// The 400 body of a launch (JSON values; never shared across tasks mutably).
struct LaunchError: Error, @unchecked Sendable {
    var body: [String: Any]
}
