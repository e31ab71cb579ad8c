import Jinja

/// The options of a run — what ansible-playbook's command line and ansible.cfg decide.
/// Passed to ``TaskQueueManager``; immutable during the run.
public struct ExecutionOptions: Sendable {
    public var forks = 5
    public var check = false
    public var diff = false
    public var verbosity = 0
    /// `--connection`: overrides every host's `ansible_connection` when set.
    public var connection: String?
    public var remoteUser: String?
    public var privateKeyFile: String?
    public var timeout: Double = 10
    public var become = false
    public var becomeMethod = "sudo"
    public var becomeUser = "root"
    public var becomePassword: String?
    public var connectionPassword: String?
    public var tags: [String] = ["all"]
    public var skipTags: [String] = []
    public var limit: String?
    public var startAtTask: String?
    public var extraVars = OrderedDict()
    public var forceHandlers = false
    /// `gathering`: implicit (gather unless `gather_facts: false`), explicit, smart.
    public var gathering = "implicit"
    public var hostKeyChecking = true
    public var modulePaths: [String] = []
    /// `roles_path`: where roles are looked up after `roles/` next to the playbook.
    public var rolesPath: [String] = []
    public var inventorySources: [String] = []

    public init() {}
}
