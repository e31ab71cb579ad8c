import Foundation

/// Everything one run needs, resolved from the job row, its template, inventory and
/// credentials when the dispatcher claims it. Secrets live only here and in the 0600
/// files of the private data dir; `JobRun` never logs them.
struct JobSpec: Sendable {
    enum Kind: String, Sendable {
        case job
        case adHocCommand = "ad_hoc_command"
    }

    /// A host of the job's inventory, with its variables as JSON text.
    struct Host: Sendable {
        var id: Int?
        var name: String
        var variablesJSON: String = "{}"
    }

    /// A group: its hosts and child groups by name, its variables as JSON text.
    struct Group: Sendable {
        var name: String
        var hosts: [String] = []
        var children: [String] = []
        var variablesJSON: String = "{}"
    }

    /// SSH (Machine credential) settings.
    struct Machine: Sendable {
        var username: String?
        var password: String?
        var sshKeyData: String?
        var sshKeyUnlock: String?
        var becomeMethod: String?
        var becomeUsername: String?
        var becomePassword: String?
    }

    var id: Int
    var kind: Kind = .job
    /// The project's directory (a job's playbook is relative to it). Ad hoc commands have none.
    var projectPath: String?
    var playbook: String = ""
    /// Ad hoc: module and its free-form/`k=v` arguments, run on `limit` (default `all`).
    var moduleName: String = ""
    var moduleArgs: String = ""
    var hosts: [Host] = []
    var groups: [Group] = []
    /// Inventory-level variables (JSON text), as `all`'s vars.
    var inventoryVariablesJSON: String = "{}"
    /// Extra vars as JSON text (survey answers included).
    var extraVarsJSON: String = "{}"
    /// SecretBox-encrypted real extra vars (survey passwords); the resolver decrypts them
    /// into `extraVarsJSON`.
    var encryptedExtraVars: String = ""
    var limit: String = ""
    var jobTags: String = ""
    var skipTags: String = ""
    /// `run` or `check`.
    var jobType: String = "run"
    var verbosity = 0
    var forks = 0
    var diffMode = false
    var become = false
    /// Seconds; 0 means none.
    var timeout = 0
    var machine: Machine?
    /// The job's credentials (`unified_jobs.credential_ids`), resolved into `machine` and `vaultPassword`.
    var credentialIDs: [Int] = []
    var vaultPassword: String?
    /// Environment for the run (`env/envvars`).
    var environment: [String: String] = [:]

    /// Host name → id, for events and host summaries.
    var hostIDs: [String: Int] {
        var map: [String: Int] = [:]
        for host in hosts { if let id = host.id { map[host.name] = id } }
        return map
    }

    /// AWX's impact of a job on a node's capacity: `min(forks or 5, hosts) + 1`.
    static func impact(forks: Int, hostCount: Int) -> Int {
        let parallel = forks > 0 ? forks : 5
        return min(parallel, max(hostCount, 1)) + 1
    }
}
