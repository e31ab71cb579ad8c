extension ResourceCatalog {
    static let verbosityChoices: [(Int, String)] = [
        (0, "0 (Normal)"), (1, "1 (Verbose)"), (2, "2 (More Verbose)"), (3, "3 (Debug)"), (4, "4 (Connection Debug)"), (5, "5 (WinRM Debug)"),
    ]

    static let projects = ResourceDescriptor(
        name: "projects", type: "project", table: "projects", verboseName: "project",
        fields: [
            Field("local_path", .string, label: "Local path",
                  help: "Local path (relative to PROJECTS_ROOT) containing playbooks and related files for this project.",
                  defaultValue: "", maxLength: 1024),
            Field("scm_type", .choice([("", "Manual"), ("git", "Git"), ("svn", "Subversion"), ("insights", "Red Hat Insights"),
                                       ("archive", "Remote Archive")]),
                  label: "Source Control Type", help: "Specifies the source control system used to store the project.", defaultValue: ""),
            Field("scm_url", .string, label: "Source Control URL", help: "The location where the project is stored.", defaultValue: "", maxLength: 1024),
            Field("scm_branch", .string, label: "Source Control Branch", help: "Specific branch, tag or commit to checkout.", defaultValue: "", maxLength: 256),
            Field("scm_refspec", .string, label: "Source Control Refspec", help: "For git projects, an additional refspec to fetch.", defaultValue: "", maxLength: 1024),
            Field("scm_clean", .boolean, label: "Scm clean", help: "Discard any local changes before syncing the project.", defaultValue: false),
            Field("scm_track_submodules", .boolean, label: "Scm track submodules", defaultValue: false),
            Field("scm_delete_on_update", .boolean, label: "Scm delete on update", defaultValue: false),
            Field("credential", .foreignKey("credentials"), label: "Credential", nullable: true, defaultValue: .null),
            Field("timeout", .integer, label: "Timeout", help: "The amount of time (in seconds) to run before the task is canceled.", defaultValue: 0),
            Field("scm_revision", .string, label: "SCM Revision", help: "The last revision fetched by a project update", readOnly: true),
            Field("last_job_run", .datetime, label: "Last job run", expression: "SELECT {t}.last_updated"),
            Field("last_job_failed", .boolean, label: "Last job failed", expression: "SELECT {t}.last_update_failed"),
            Field("next_job_run", .datetime, label: "Next job run", expression: "SELECT NULL"),
            Field("status", .choice(statusChoices), label: "Status", readOnly: true),
            Field("organization", .foreignKey("organizations"), label: "Organization", help: "The organization used to determine access to this template.",
                  nullable: true, defaultValue: .null),
            Field("scm_update_on_launch", .boolean, label: "Scm update on launch", defaultValue: false),
            Field("scm_update_cache_timeout", .integer, label: "Scm update cache timeout", defaultValue: 0, minValue: 0),
            Field("allow_override", .boolean, label: "Allow override", help: "Allow changing the SCM branch or revision in a job template that uses this project.",
                  defaultValue: false),
            Field("custom_virtualenv", .string, label: "Custom virtualenv", expression: "SELECT NULL"),
            Field("last_update_failed", .boolean, label: "Last update failed", readOnly: true),
            Field("last_updated", .datetime, label: "Last updated", readOnly: true, nullable: true),
        ],
        ordering: ["name"],
        relations: ["job_templates": .reverse(target: "job_templates", column: "project_id")],
        namedURL: NamedURLFormat(["name"], parents: [("organization", "organizations")]), roleContentType: "project",
        relatedPaths: ["playbooks", "inventory_files", "activity_stream", "object_roles", "copy", "access_list"],
        summaryColumns: ["id", "name", "description", "status", "scm_type", "allow_override"],
        uniqueTogether: [["organization", "name"]])

    static let askFlags = ["scm_branch", "diff_mode", "variables", "limit", "tags", "skip_tags", "job_type", "verbosity",
                           "inventory", "credential", "execution_environment", "labels", "forks", "job_slice_count", "timeout",
                           "instance_groups"]

    static let jobTemplateFields: [Field] = {
        var fields: [Field] = [
            Field("job_type", .choice([("run", "Run"), ("check", "Check")]), label: "Job Type", defaultValue: "run"),
            Field("inventory", .foreignKey("inventories"), label: "Inventory", nullable: true, defaultValue: .null),
            Field("project", .foreignKey("projects"), label: "Project", nullable: true, defaultValue: .null),
            Field("playbook", .string, label: "Playbook", defaultValue: "", maxLength: 1024),
            Field("scm_branch", .string, label: "Scm branch", help: "Branch to use in job run. Project default used if blank.", defaultValue: "", maxLength: 1024),
            Field("forks", .integer, label: "Forks", defaultValue: 0, minValue: 0, maxValue: 2_147_483_647),
            Field("limit", .string, label: "Limit", defaultValue: ""),
            Field("verbosity", .intChoice(verbosityChoices), label: "Verbosity", defaultValue: 0),
            Field("extra_vars", .variables, label: "Extra vars", defaultValue: "", forbidsFiltering: true),
            Field("job_tags", .string, label: "Job tags", defaultValue: ""),
            Field("force_handlers", .boolean, label: "Force handlers", defaultValue: false),
            Field("skip_tags", .string, label: "Skip tags", defaultValue: "", maxLength: 1024),
            Field("start_at_task", .string, label: "Start at task", defaultValue: "", maxLength: 1024),
            Field("timeout", .integer, label: "Timeout", help: "The amount of time (in seconds) to run before the task is canceled.", defaultValue: 0),
            Field("use_fact_cache", .boolean, label: "Use fact cache", defaultValue: false),
            Field("organization", .foreignKey("organizations"), label: "Organization", help: "The organization used to determine access to this template.",
                  readOnly: true, nullable: true),
            Field("last_job_run", .datetime, label: "Last job run", readOnly: true, nullable: true),
            Field("last_job_failed", .boolean, label: "Last job failed", readOnly: true),
            Field("next_job_run", .datetime, label: "Next job run", readOnly: true, nullable: true),
            Field("status", .choice(statusChoices), label: "Status", readOnly: true),
            Field("execution_environment", .integer, label: "Execution environment", expression: "SELECT NULL", nullable: true),
            Field("host_config_key", .string, label: "Host config key", defaultValue: "", maxLength: 1024),
        ]
        fields += askFlags.map { Field("ask_\($0)_on_launch", .boolean, label: "Ask \($0.replacingOccurrences(of: "_", with: " ")) on launch", defaultValue: false) }
        fields += [
            Field("survey_enabled", .boolean, label: "Survey enabled", defaultValue: false),
            Field("become_enabled", .boolean, label: "Become enabled", defaultValue: false),
            Field("diff_mode", .boolean, label: "Diff mode", help: "If enabled, textual changes made to any templated files on the host are shown in the standard output",
                  defaultValue: false),
            Field("allow_simultaneous", .boolean, label: "Allow simultaneous", defaultValue: false),
            Field("custom_virtualenv", .string, label: "Custom virtualenv", expression: "SELECT NULL"),
            Field("job_slice_count", .integer, label: "Job Slice Count", defaultValue: 1, minValue: 0),
            Field("webhook_service", .choice([("", "None"), ("github", "GitHub"), ("gitlab", "GitLab"), ("bitbucket_dc", "BitBucket DataCenter")]),
                  label: "Webhook service", defaultValue: ""),
            Field("webhook_credential", .integer, label: "Webhook credential", expression: "SELECT NULL", nullable: true),
            Field("prevent_instance_group_fallback", .boolean, label: "Prevent instance group fallback", defaultValue: false),
        ]
        return fields
    }()

    static let jobTemplates = ResourceDescriptor(
        name: "job_templates", type: "job_template", table: "job_templates", verboseName: "job template",
        fields: jobTemplateFields,
        ordering: ["name"],
        relations: ["credentials": .manyToMany(target: "credentials", table: "job_template_credentials",
                                               ownColumn: "job_template_id", targetColumn: "credential_id")],
        namedURL: NamedURLFormat(["name"], parents: [("organization", "organizations")]), roleContentType: "job_template",
        // `launch` and `jobs` are served by the jobs work (#15).
        relatedPaths: ["launch", "jobs", "slice_workflow_jobs", "instance_groups", "activity_stream", "object_roles", "credentials", "copy", "access_list"],
        uniqueTogether: [["organization", "name"]])

    static let instanceGroups = ResourceDescriptor(
        name: "instance_groups", type: "instance_group", table: "instance_groups", verboseName: "instance group",
        fields: [
            Field("name", .string, label: "Name", required: true, maxLength: 250),
            Field("is_container_group", .boolean, label: "Is container group", defaultValue: false),
            Field("policy_instance_percentage", .integer, label: "Policy instance percentage", defaultValue: 100, minValue: 0, maxValue: 100),
            Field("policy_instance_minimum", .integer, label: "Policy instance minimum", defaultValue: 0, minValue: 0),
            Field("max_concurrent_jobs", .integer, label: "Max concurrent jobs", defaultValue: 0, minValue: 0),
            Field("max_forks", .integer, label: "Max forks", defaultValue: 0, minValue: 0),
        ],
        searchFields: ["name"], ordering: ["name"],
        namedURL: NamedURLFormat(["name"]), roleContentType: "instance_group", hasNameAndDescription: false,
        relatedPaths: ["object_roles"], summaryColumns: ["id", "name"],
        uniqueTogether: [["name"]])

    static let tokens = ResourceDescriptor(
        name: "tokens", type: "o_auth2_access_token", table: "tokens", verboseName: "access token",
        fields: [
            Field("description", .string, label: "Description", defaultValue: ""),
            Field("user", .foreignKey("users"), label: "User", help: "The user representing the token owner", readOnly: true),
            Field("token", .string, label: "Token", expression: "SELECT '************'"),
            Field("refresh_token", .string, label: "Refresh token", expression: "SELECT NULL"),
            Field("application", .foreignKey("applications"), label: "Application", nullable: true, defaultValue: .null),
            Field("expires", .datetime, label: "Expires", readOnly: true),
            Field("scope", .choice([("read", "read"), ("write", "write"), ("read write", "read write")]), label: "Scope",
                  help: "Allowed scopes, further restricts user's permissions. Must be a simple space-separated string with allowed scopes ['read', 'write'].",
                  defaultValue: "write"),
        ],
        searchFields: ["description"], ordering: ["id"], hasNameAndDescription: false,
        relatedPaths: ["activity_stream"], summaryColumns: ["id", "description", "scope"])

    static let activityStream = ResourceDescriptor(
        name: "activity_stream", type: "activity_stream", table: "activity_stream", verboseName: "activity stream",
        fields: [
            Field("timestamp", .datetime, label: "Timestamp", readOnly: true),
            Field("operation", .choice([("create", "Entity Created"), ("update", "Entity Updated"), ("delete", "Entity Deleted"),
                                        ("associate", "Entity Associated with another Entity"),
                                        ("disassociate", "Entity was Disassociated with another Entity")]),
                  label: "Operation", help: "The action taken with respect to the given object(s).", readOnly: true),
            Field("changes", .json, label: "Changes", help: "A summary of the new and changed values when an object is created, updated, or deleted",
                  readOnly: true),
            Field("object1", .string, label: "Object1", help: "For create, update, and delete events this is the object type that was affected.",
                  readOnly: true),
            Field("object2", .string, label: "Object2", readOnly: true),
            Field("object1_id", .integer, label: "Object1 id", readOnly: true, nullable: true),
            Field("object2_id", .integer, label: "Object2 id", readOnly: true, nullable: true),
            Field("object_relationship_type", .string, label: "Object relationship type", readOnly: true),
            Field("actor", .foreignKey("users"), label: "Actor", readOnly: true, nullable: true),
            Field("action_node", .string, label: "Action node", help: "The cluster node the activity took place on.", readOnly: true),
        ],
        searchFields: ["changes"], ordering: ["-timestamp"], hasNameAndDescription: false,
        allowsCreate: false, allowsUpdate: false, allowsDelete: false, hasTimestamps: false)
}
