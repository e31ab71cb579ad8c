/// Every descriptor-driven resource by name. Modules add theirs in `extraDescriptors`
/// (the jobs work lists its own there).
public enum ResourceCatalog {
    public static let all: [ResourceDescriptor] = coreDescriptors + extraDescriptors
    private static let byName: [String: ResourceDescriptor] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    public static func descriptor(_ name: String) -> ResourceDescriptor? { byName[name] }

    /// Descriptors registered outside the core catalog (jobs, scale-out).
    static var extraDescriptors: [ResourceDescriptor] { jobDescriptors + clusterDescriptors }

    static let coreDescriptors: [ResourceDescriptor] = [
        organizations, users, teams, credentialTypes, credentials, inventories, hosts, groups, inventorySources,
        projects, jobTemplates, instanceGroups, tokens, applications, activityStream,
    ]

    static let variablesHelp = "Variables in JSON or YAML format."

    static let organizations = ResourceDescriptor(
        name: "organizations", type: "organization", table: "organizations", verboseName: "organization",
        fields: [
            Field("max_hosts", .integer, label: "Max hosts", help: "Maximum number of hosts allowed to be managed by this organization.",
                  defaultValue: 0, minValue: 0, maxValue: 2_147_483_647),
            Field("custom_virtualenv", .string, label: "Custom virtualenv", expression: "NULL", nullable: true),
            Field("default_environment", .integer, label: "Default environment", column: "default_environment_id", nullable: true),
        ],
        ordering: ["name"],
        relations: [
            "inventories": .reverse(target: "inventories", column: "organization_id"),
            "projects": .reverse(target: "projects", column: "organization_id"),
            "teams": .reverse(target: "teams", column: "organization_id"),
            "job_templates": .reverse(target: "job_templates", column: "organization_id"),
            "credentials": .reverse(target: "credentials", column: "organization_id"),
        ],
        namedURL: NamedURLFormat(["name"]), roleContentType: "organization",
        relatedPaths: ["projects", "inventories", "job_templates", "users", "admins", "teams", "credentials", "applications",
                       "activity_stream", "object_roles", "access_list"],
        uniqueTogether: [["name"]],
        description: "An organization is a collection of users, teams, projects, inventories and job templates.")

    static let users = ResourceDescriptor(
        name: "users", type: "user", table: "users", verboseName: "user",
        fields: [
            Field("username", .string, label: "Username", help: "Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.",
                  required: true, maxLength: 150),
            Field("first_name", .string, label: "First name", defaultValue: "", maxLength: 150),
            Field("last_name", .string, label: "Last name", defaultValue: "", maxLength: 150),
            Field("email", .string, label: "Email address", defaultValue: "", maxLength: 254),
            Field("is_superuser", .boolean, label: "Superuser status",
                  help: "Designates that this user has all permissions without explicitly assigning them.", defaultValue: false),
            Field("is_system_auditor", .boolean, label: "Is system auditor", defaultValue: false),
            Field("password", .password, label: "Password", help: "Field used to change the password.", defaultValue: "",
                  forbidsFiltering: true),
            Field("last_login", .datetime, label: "Last login", readOnly: true, nullable: true),
        ],
        searchFields: ["username", "first_name", "last_name", "email"], ordering: ["username"],
        relations: ["tokens": .reverse(target: "tokens", column: "user_id")],
        namedURL: NamedURLFormat(["username"]), hasNameAndDescription: false,
        relatedPaths: ["roles", "activity_stream", "tokens", "personal_tokens"],
        summaryColumns: ["id", "username", "first_name", "last_name"], uniqueTogether: [["username"]],
        description: "Users of the controller.")

    static let teams = ResourceDescriptor(
        name: "teams", type: "team", table: "teams", verboseName: "team",
        fields: [Field("organization", .foreignKey("organizations"), label: "Organization", required: true)],
        ordering: ["organization", "name"],
        namedURL: NamedURLFormat(["name"], parents: [("organization", "organizations")]), roleContentType: "team",
        relatedPaths: ["users", "roles", "object_roles", "activity_stream", "access_list"],
        uniqueTogether: [["organization", "name"]])

    static let credentialTypes = ResourceDescriptor(
        name: "credential_types", type: "credential_type", table: "credential_types", verboseName: "credential type",
        fields: [
            Field("kind", .choice([("ssh", "Machine"), ("vault", "Vault"), ("net", "Network"), ("scm", "Source Control"),
                                    ("cloud", "Cloud"), ("registry", "Container Registry"), ("token", "Personal Access Token"),
                                    ("insights", "Insights"), ("external", "External"), ("kubernetes", "Kubernetes"),
                                    ("galaxy", "Galaxy/Automation Hub"), ("cryptography", "Cryptography")]),
                  label: "Kind", required: true),
            Field("namespace", .string, label: "Namespace", readOnly: true, nullable: true),
            Field("managed", .boolean, label: "Managed", readOnly: true, defaultValue: false),
            Field("inputs", .json, label: "Inputs", help: "Enter inputs using either JSON or YAML syntax.", defaultValue: .object(JSONObject())),
            Field("injectors", .json, label: "Injectors", help: "Enter injectors using either JSON or YAML syntax.", defaultValue: .object(JSONObject())),
        ],
        ordering: ["kind", "name"],
        relations: ["credentials": .reverse(target: "credentials", column: "credential_type_id")],
        namedURL: NamedURLFormat(["name", "kind"]),
        relatedPaths: ["credentials", "activity_stream"], summaryColumns: ["id", "name", "description", "kind", "managed"],
        uniqueTogether: [["name", "kind"]])

    static let credentials = ResourceDescriptor(
        name: "credentials", type: "credential", table: "credentials", verboseName: "credential",
        fields: [
            Field("organization", .foreignKey("organizations"), label: "Organization",
                  help: "Inherit permissions from organization roles.", nullable: true, defaultValue: .null),
            Field("credential_type", .foreignKey("credential_types"), label: "Credential Type",
                  help: "Specify the type of credential you want to create.", required: true),
            Field("managed", .boolean, label: "Managed", readOnly: true, defaultValue: false),
            Field("inputs", .json, label: "Inputs", help: "Enter inputs using either JSON or YAML syntax.",
                  defaultValue: .object(JSONObject()), forbidsFiltering: true),
            Field("kind", .string, label: "Kind", expression: "SELECT ct.kind FROM credential_types ct WHERE ct.id = {t}.credential_type_id"),
            Field("cloud", .boolean, label: "Cloud", expression: "SELECT ct.kind = 'cloud' FROM credential_types ct WHERE ct.id = {t}.credential_type_id"),
            Field("kubernetes", .boolean, label: "Kubernetes", expression: "SELECT ct.kind = 'kubernetes' FROM credential_types ct WHERE ct.id = {t}.credential_type_id"),
            Field("user", .integer, label: "User", help: "Write-only field used to add a user to owner role.", column: "",
                  nullable: true, writeOnly: true),
            Field("team", .integer, label: "Team", help: "Write-only field used to add a team to owner role.", column: "",
                  nullable: true, writeOnly: true),
        ],
        ordering: ["name"],
        namedURL: NamedURLFormat(["name"], parents: [("credential_type", "credential_types"), ("organization", "organizations")]),
        roleContentType: "credential",
        relatedPaths: ["activity_stream", "object_roles", "copy", "access_list"],
        summaryColumns: ["id", "name", "description", "kind", "cloud", "kubernetes", "credential_type_id"],
        uniqueTogether: [["organization", "name", "credential_type"]])

    static let inventories = ResourceDescriptor(
        name: "inventories", type: "inventory", table: "inventories", verboseName: "inventory",
        fields: [
            Field("organization", .foreignKey("organizations"), label: "Organization", help: "Organization containing this inventory.", required: true),
            Field("kind", .choice([("", "Hosts have a direct link to this inventory."), ("smart", "Hosts for inventory generated using the host_filter property."),
                                   ("constructed", "Parse list of source inventories with the constructed inventory plugin.")]),
                  label: "Kind", help: "Kind of inventory being represented.", defaultValue: ""),
            Field("host_filter", .string, label: "Host filter", help: "Filter that will be applied to the hosts of this inventory.", nullable: true, defaultValue: .null),
            Field("variables", .variables, label: "Variables", help: "Inventory variables in JSON or YAML format.", defaultValue: ""),
            Field("has_active_failures", .boolean, label: "Has active failures", expression: "SELECT 1=0"),
            Field("total_hosts", .integer, label: "Total hosts", expression: "SELECT COUNT(*) FROM hosts h WHERE h.inventory_id = {t}.id"),
            Field("hosts_with_active_failures", .integer, label: "Hosts with active failures", expression: "SELECT 0"),
            Field("total_groups", .integer, label: "Total groups", expression: "SELECT COUNT(*) FROM \"groups\" g WHERE g.inventory_id = {t}.id"),
            Field("has_inventory_sources", .boolean, label: "Has inventory sources",
                  expression: "SELECT EXISTS (SELECT 1 FROM inventory_sources s WHERE s.inventory_id = {t}.id)"),
            Field("total_inventory_sources", .integer, label: "Total inventory sources",
                  expression: "SELECT COUNT(*) FROM inventory_sources s WHERE s.inventory_id = {t}.id"),
            Field("inventory_sources_with_failures", .integer, label: "Inventory sources with failures",
                  expression: "SELECT COUNT(*) FROM inventory_sources s WHERE s.inventory_id = {t}.id AND s.last_update_failed"),
            Field("pending_deletion", .boolean, label: "Pending deletion", readOnly: true, defaultValue: false),
            Field("prevent_instance_group_fallback", .boolean, label: "Prevent instance group fallback", defaultValue: false),
        ],
        ordering: ["name"],
        relations: [
            "hosts": .reverse(target: "hosts", column: "inventory_id"),
            "groups": .reverse(target: "groups", column: "inventory_id"),
            "inventory_sources": .reverse(target: "inventory_sources", column: "inventory_id"),
        ],
        namedURL: NamedURLFormat(["name"], parents: [("organization", "organizations")]), roleContentType: "inventory",
        relatedPaths: ["hosts", "groups", "root_groups", "variable_data", "script", "inventory_sources",
                       "activity_stream", "job_templates", "object_roles", "copy", "access_list"],
        summaryColumns: ["id", "name", "description", "kind", "organization_id"],
        uniqueTogether: [["organization", "name"]])

    static let hosts = ResourceDescriptor(
        name: "hosts", type: "host", table: "hosts", verboseName: "host",
        fields: [
            Field("inventory", .foreignKey("inventories"), label: "Inventory", required: true, writeOnce: true),
            Field("enabled", .boolean, label: "Enabled", help: "Is this host online and available for running jobs?", defaultValue: true),
            Field("instance_id", .string, label: "Instance ID", help: "The value used by the remote inventory source to uniquely identify the host",
                  defaultValue: "", maxLength: 1024),
            Field("variables", .variables, label: "Variables", help: "Host variables in JSON or YAML format.", defaultValue: ""),
            Field("has_active_failures", .boolean, label: "Has active failures", expression: "SELECT 1=0"),
            Field("has_inventory_sources", .boolean, label: "Has inventory sources", expression: "SELECT 1=0"),
            Field("last_job", .integer, label: "Last job", column: "last_job_id", readOnly: true, nullable: true),
            Field("last_job_host_summary", .integer, label: "Last job host summary", column: "last_job_host_summary_id", readOnly: true, nullable: true),
            Field("ansible_facts_modified", .datetime, label: "Ansible facts modified", readOnly: true, nullable: true),
        ],
        ordering: ["name"],
        relations: ["groups": .manyToMany(target: "groups", table: "group_hosts", ownColumn: "host_id", targetColumn: "group_id")],
        namedURL: NamedURLFormat(["name"], parents: [("inventory", "inventories")]),
        relatedPaths: ["variable_data", "groups", "all_groups", "activity_stream"],
        summaryColumns: ["id", "name", "description", "enabled"],
        uniqueTogether: [["inventory", "name"]])

    static let groups = ResourceDescriptor(
        name: "groups", type: "group", table: "groups", verboseName: "group",
        fields: [
            Field("inventory", .foreignKey("inventories"), label: "Inventory", required: true, writeOnce: true),
            Field("variables", .variables, label: "Variables", help: "Group variables in JSON or YAML format.", defaultValue: ""),
        ],
        ordering: ["name"],
        relations: [
            "hosts": .manyToMany(target: "hosts", table: "group_hosts", ownColumn: "group_id", targetColumn: "host_id"),
            "children": .manyToMany(target: "groups", table: "group_children", ownColumn: "parent_id", targetColumn: "child_id"),
            "parents": .manyToMany(target: "groups", table: "group_children", ownColumn: "child_id", targetColumn: "parent_id"),
        ],
        namedURL: NamedURLFormat(["name"], parents: [("inventory", "inventories")]),
        relatedPaths: ["variable_data", "hosts", "potential_children", "children", "all_hosts", "activity_stream"],
        uniqueTogether: [["inventory", "name"]])

    static let inventorySources = ResourceDescriptor(
        name: "inventory_sources", type: "inventory_source", table: "inventory_sources", verboseName: "inventory source",
        fields: [
            Field("inventory", .foreignKey("inventories"), label: "Inventory", required: true),
            Field("source", .choice([("file", "File, Directory or Script"), ("scm", "Sourced from a Project")]),
                  label: "Source", defaultValue: "scm"),
            Field("source_path", .string, label: "Source path", defaultValue: "", maxLength: 1024),
            Field("source_project", .foreignKey("projects"), label: "Source project", help: "Project containing inventory file used as source.",
                  nullable: true, defaultValue: .null),
            Field("source_vars", .variables, label: "Source vars", help: "Inventory source variables in YAML or JSON format.", defaultValue: ""),
            Field("credential", .foreignKey("credentials"), label: "Credential", nullable: true, defaultValue: .null),
            Field("overwrite", .boolean, label: "Overwrite", help: "Overwrite local groups and hosts from remote inventory source.", defaultValue: false),
            Field("overwrite_vars", .boolean, label: "Overwrite vars", help: "Overwrite local variables from remote inventory source.", defaultValue: false),
            Field("update_on_launch", .boolean, label: "Update on launch", defaultValue: false),
            Field("update_cache_timeout", .integer, label: "Update cache timeout", defaultValue: 0, minValue: 0),
            Field("timeout", .integer, label: "Timeout", help: "The amount of time (in seconds) to run before the task is canceled.", defaultValue: 0),
            Field("verbosity", .intChoice([(0, "0 (WARNING)"), (1, "1 (INFO)"), (2, "2 (DEBUG)")]), label: "Verbosity", defaultValue: 1),
            Field("enabled_var", .string, label: "Enabled var", defaultValue: ""),
            Field("enabled_value", .string, label: "Enabled value", defaultValue: ""),
            Field("host_filter", .string, label: "Host filter", defaultValue: ""),
            Field("status", .choice(statusChoices), label: "Status", readOnly: true),
            Field("last_update_failed", .boolean, label: "Last update failed", readOnly: true),
            Field("last_updated", .datetime, label: "Last updated", readOnly: true, nullable: true),
        ],
        ordering: ["name"],
        namedURL: NamedURLFormat(["name"], parents: [("inventory", "inventories")]),
        relatedPaths: ["activity_stream"],
        uniqueTogether: [["inventory", "name"]])

    static let statusChoices: [(String, String)] = [
        ("new", "New"), ("pending", "Pending"), ("waiting", "Waiting"), ("running", "Running"), ("successful", "Successful"),
        ("failed", "Failed"), ("error", "Error"), ("canceled", "Canceled"), ("never updated", "Never Updated"),
        ("ok", "OK"), ("missing", "Missing"), ("none", "No External Source"), ("updating", "Updating"),
    ]
}
