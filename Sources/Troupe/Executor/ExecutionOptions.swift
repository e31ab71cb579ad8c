import Jinja

/// The options of a run — what ansible-playbook's command line and ansible.cfg decide.
/// Passed to ``TaskQueueManager``; immutable during the run.
public struct ExecutionOptions: Sendable {
    /// `--forks`: how many hosts a task runs on at once.
    public var forks = 5
    /// `--check`: run modules in check mode (report, don't change).
    public var check = false
    /// `--diff`: ask modules for diffs and show them.
    public var diff = false
    /// `-v` count (0–6), also exposed as `ansible_verbosity`.
    public var verbosity = 0
    /// `--connection`: overrides every host's `ansible_connection` when set.
    public var connection: String?
    /// `--user`/`remote_user`: the login user when the host sets none.
    public var remoteUser: String?
    /// `--private-key`: SSH key file used when the host sets none.
    public var privateKeyFile: String?
    /// `--timeout`/`timeout`: connection timeout in seconds, unless `ansible_timeout` overrides it.
    public var timeout: Double = 10
    /// `--become`: escalate privileges for every task by default.
    public var become = false
    /// `--become-method`: the default escalation method.
    public var becomeMethod = "sudo"
    /// `--become-user`: the default user to become.
    public var becomeUser = "root"
    /// `--ask-become-pass` answer; fed over stdin, never put on a command line.
    public var becomePassword: String?
    /// `--ask-pass` answer, used when a host sets no `ansible_password`.
    public var connectionPassword: String?
    /// `--ssh-common-args` (else ansible.cfg's `ssh_common_args`), used when a host sets no
    /// `ansible_ssh_common_args`.
    public var sshCommonArgs: String?
    /// `--ssh-extra-args` (else ansible.cfg's `ssh_extra_args`), used when a host sets no
    /// `ansible_ssh_extra_args`.
    public var sshExtraArgs: String?
    /// `--tags`: only tasks with these tags run; the default "all" runs every task not tagged `never`.
    public var tags: [String] = ["all"]
    /// `--skip-tags`: tasks with these tags are skipped.
    public var skipTags: [String] = []
    /// `--limit`: a host pattern that further restricts every play's hosts.
    public var limit: String?
    /// `--start-at-task`: skip tasks before the first whose name matches (exactly or as a glob).
    public var startAtTask: String?
    /// `--extra-vars`: variables with the highest precedence.
    public var extraVars = OrderedDict()
    /// `--force-handlers`: run notified handlers even on hosts that failed.
    public var forceHandlers = false
    /// `no_log` for tasks, blocks and plays that do not set it (ansible.cfg `no_log`, `ANSIBLE_NO_LOG`).
    public var noLogByDefault = false
    /// `ERROR_ON_MISSING_HANDLER`: notifying a handler that does not exist stops the run
    /// (else it is a warning).
    public var errorOnMissingHandler = true
    /// `--step`: asks before each task; nil runs every task.
    public var stepPrompter: StepPrompter?
    /// The default strategy (`strategy` in ansible.cfg): "linear" or "free".
    public var strategy = "linear"
    /// `gathering`: implicit (gather unless `gather_facts: false`), explicit, smart.
    public var gathering = "implicit"
    /// `fact_caching` ("memory" or "jsonfile"), its directory and timeout in seconds.
    public var factCaching = "memory"
    public var factCachingConnection: String?
    public var factCachingTimeout: Double = 86400
    /// `--flush-cache`: forget every inventory host's cached facts before the run.
    public var flushCache = false
    /// `fact_caching_prefix`: prefix of the jsonfile cache's file names.
    public var factCachingPrefix = ""
    /// `host_key_checking`: verify SSH host keys against known_hosts.
    public var hostKeyChecking = true
    /// `--module-path` and `library`: extra directories searched for modules.
    public var modulePaths: [String] = []
    /// `collections_path` (`ANSIBLE_COLLECTIONS_PATH`): directories holding `ansible_collections/`.
    public var collectionsPaths: [String] = CollectionIndex.configuredPaths()
    /// `module_utils` (`ANSIBLE_MODULE_UTILS`): extra `module_utils` directories packed with Python modules.
    public var moduleUtilsPaths: [String] = []
    /// `interpreter_python` (`ANSIBLE_PYTHON_INTERPRETER`): custom Python modules' interpreter
    /// when a host sets no `ansible_python_interpreter`; "auto" discovers one.
    public var pythonInterpreter = "auto"
    /// `roles_path`: where roles are looked up after `roles/` next to the playbook.
    public var rolesPath: [String] = []
    /// `DEFAULT_PRIVATE_ROLE_VARS` when set (nil: left at its default, where `include_role`
    /// is private and `roles:`/`import_role` public, as ansible-core decides by origin).
    public var privateRoleVars: Bool?
    /// `-i` inventory sources as given on the command line.
    public var inventorySources: [String] = []

    /// Options with Ansible's defaults.
    public init() {}
}
