/// OPTIONS bodies of the job endpoints, in AWX's metadata shape: the `awx` CLI builds
/// `jobs list --status …`, `ad_hoc_commands create …` and `job_templates launch …` flags
/// from them (every field needs a `type`; choices are `[value, label]` pairs).
enum JobMetadata {
    static func field(_ type: String, _ label: String, help: String = "", filterable: Bool = true, required: Bool = false,
                      choices: [(JSON, String)]? = nil, defaultValue: JSON? = nil) -> JSON {
        var object = JSONObject([("type", .string(type)), ("label", .string(label))])
        if !help.isEmpty { object["help_text"] = .string(help) }
        object["filterable"] = .bool(filterable)
        if required { object["required"] = true }
        if let choices { object["choices"] = .array(choices.map { .array([$0.0, .string($0.1)]) }) }
        if let defaultValue { object["default"] = defaultValue }
        return .object(object)
    }

    static let statusChoices: [(JSON, String)] = [
        ("new", "New"), ("pending", "Pending"), ("waiting", "Waiting"), ("running", "Running"), ("successful", "Successful"),
        ("failed", "Failed"), ("error", "Error"), ("canceled", "Canceled"),
    ]
    static let jobTypeChoices: [(JSON, String)] = [("run", "Run"), ("check", "Check")]
    static let verbosityChoices: [(JSON, String)] = [
        (0, "0 (Normal)"), (1, "1 (Verbose)"), (2, "2 (More Verbose)"), (3, "3 (Debug)"), (4, "4 (Connection Debug)"), (5, "5 (WinRM Debug)"),
    ]
    /// AWX's AD_HOC_COMMANDS list; Troupe accepts any module it has, these are offered.
    static let moduleChoices: [(JSON, String)] = [
        "command", "shell", "yum", "apt", "apt_key", "apt_repository", "apt_rpm", "service", "group", "user", "mount", "ping",
        "selinux", "setup", "win_ping", "win_service", "win_updates", "win_group", "win_user",
    ].map { (JSON.string($0), $0) }

    static func listOptions(_ kind: JobsAPI.Kind) -> JSON {
        var get: [(String, JSON)] = [
            ("id", field("integer", "ID", filterable: true)),
            ("type", field("choice", "Type", filterable: false)),
            ("url", field("string", "Url", filterable: false)),
            ("created", field("datetime", "Created")),
            ("modified", field("datetime", "Modified")),
            ("name", field("string", "Name")),
            ("launch_type", field("choice", "Launch type", choices: [("manual", "Manual"), ("relaunch", "Relaunch"), ("scheduled", "Scheduled")])),
            ("status", field("choice", "Status", choices: statusChoices)),
            ("failed", field("boolean", "Failed")),
            ("started", field("datetime", "Started")),
            ("finished", field("datetime", "Finished")),
            ("elapsed", field("decimal", "Elapsed")),
            ("job_explanation", field("string", "Job explanation")),
            ("execution_node", field("string", "Execution node")),
            ("inventory", field("id", "Inventory")),
            ("limit", field("string", "Limit")),
            ("job_type", field("choice", "Job type", choices: jobTypeChoices)),
            ("verbosity", field("choice", "Verbosity", choices: verbosityChoices)),
        ]
        var actions = JSONObject()
        switch kind {
        case .job:
            get += [("job_template", field("id", "Job template")), ("project", field("id", "Project")),
                    ("playbook", field("string", "Playbook"))]
        case .adHocCommand:
            get += [("module_name", field("choice", "Module name", choices: moduleChoices)), ("module_args", field("string", "Module args"))]
            actions["POST"] = .object(JSONObject([
                ("job_type", field("choice", "Job type", choices: jobTypeChoices, defaultValue: "run")),
                ("inventory", field("id", "Inventory")),
                ("limit", field("string", "Limit", defaultValue: "")),
                ("credential", field("id", "Credential")),
                ("module_name", field("choice", "Module name", choices: moduleChoices, defaultValue: "command")),
                ("module_args", field("string", "Module args", defaultValue: "")),
                ("forks", field("integer", "Forks", defaultValue: 0)),
                ("verbosity", field("choice", "Verbosity", choices: verbosityChoices, defaultValue: 0)),
                ("extra_vars", field("string", "Extra vars", defaultValue: "")),
                ("become_enabled", field("boolean", "Become enabled", defaultValue: false)),
                ("diff_mode", field("boolean", "Diff mode", defaultValue: false)),
            ]))
        }
        actions["GET"] = .object(JSONObject(get))
        let name = kind == .job ? "Job List" : "Ad Hoc Command List"
        return .object(JSONObject([
            ("name", .string(name)), ("description", ""), ("renders", ["application/json", "text/html"]),
            ("parses", ["application/json"]), ("actions", .object(actions)),
            ("search_fields", ["name"]),
        ]))
    }

    /// OPTIONS `job_templates/N/launch/`: the launch-time prompts become `awx job_templates launch` flags.
    static var launchOptions: JSON {
        let post = JSONObject([
            ("extra_vars", field("json", "Extra vars")),
            ("inventory", field("id", "Inventory")),
            ("limit", field("string", "Limit")),
            ("job_tags", field("string", "Job tags")),
            ("skip_tags", field("string", "Skip tags")),
            ("job_type", field("choice", "Job type", choices: jobTypeChoices)),
            ("verbosity", field("choice", "Verbosity", choices: verbosityChoices)),
            ("diff_mode", field("boolean", "Diff mode")),
            ("credentials", field("list_of_ids", "Credentials")),
            ("forks", field("integer", "Forks")),
            ("timeout", field("integer", "Timeout")),
            ("job_slice_count", field("integer", "Job slice count")),
        ])
        return .object(JSONObject([
            ("name", "Job Template Launch"), ("description", ""), ("renders", ["application/json", "text/html"]),
            ("parses", ["application/json"]), ("actions", .object(JSONObject([("POST", .object(post))]))),
        ]))
    }
}
