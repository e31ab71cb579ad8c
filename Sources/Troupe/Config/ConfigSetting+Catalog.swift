import Jinja

/// The settings Troupe understands, with Ansible's names, types, defaults, env vars and
/// ini locations (ansible-core 2.19's config definitions and plugin options).
extension ConfigSetting {
    private typealias E = IniEntry

    // MARK: [defaults] — general
    public static let inventory = ConfigSetting("DEFAULT_HOST_LIST", .pathlist, default: ["/etc/ansible/hosts"],
                                                env: ["ANSIBLE_INVENTORY"], ini: [E("defaults", "inventory")])
    public static let forks = defaults("DEFAULT_FORKS", .integer, "forks", default: 5)
    public static let remoteUser = defaults("DEFAULT_REMOTE_USER", .string, "remote_user")
    public static let hostKeyChecking = ConfigSetting("HOST_KEY_CHECKING", .boolean, default: true,
                                                      env: ["ANSIBLE_HOST_KEY_CHECKING", "ANSIBLE_SSH_HOST_KEY_CHECKING"],
                                                      ini: [E("defaults", "host_key_checking"), E("ssh_connection", "host_key_checking")])
    public static let rolesPath = defaults("DEFAULT_ROLES_PATH", .pathspec, "roles_path",
                                           default: "~/.ansible/roles:/usr/share/ansible/roles:/etc/ansible/roles")
    public static let stdoutCallback = defaults("DEFAULT_STDOUT_CALLBACK", .string, "stdout_callback", default: "default")
    public static let callbacksEnabled = defaults("CALLBACKS_ENABLED", .list, "callbacks_enabled", default: [])
    public static let gathering = defaults("DEFAULT_GATHERING", .string, "gathering", default: "implicit")
    public static let gatherSubset = ConfigSetting("DEFAULT_GATHER_SUBSET", .list, default: .null,
                                                   env: ["ANSIBLE_GATHER_SUBSET"], ini: [E("defaults", "gather_subset")])
    public static let timeout = ConfigSetting("DEFAULT_TIMEOUT", .integer, default: 10, env: ["ANSIBLE_TIMEOUT", "ANSIBLE_SSH_TIMEOUT"],
                                              ini: [E("defaults", "timeout"), E("ssh_connection", "timeout")])
    public static let privateKeyFile = defaults("DEFAULT_PRIVATE_KEY_FILE", .path, "private_key_file")
    public static let remotePort = defaults("DEFAULT_REMOTE_PORT", .integer, "remote_port")
    public static let moduleName = ConfigSetting("DEFAULT_MODULE_NAME", .string, default: "command", ini: [E("defaults", "module_name")])
    public static let transport = defaults("DEFAULT_TRANSPORT", .string, "transport", default: "ssh")
    public static let pollInterval = defaults("DEFAULT_POLL_INTERVAL", .integer, "poll_interval", default: 15)
    public static let retryFilesEnabled = defaults("RETRY_FILES_ENABLED", .boolean, "retry_files_enabled", default: false)
    public static let retryFilesSavePath = defaults("RETRY_FILES_SAVE_PATH", .path, "retry_files_save_path")
    public static let anyErrorsFatal = defaults("ANY_ERRORS_FATAL", .boolean, "any_errors_fatal", default: false)
    public static let forceHandlers = defaults("DEFAULT_FORCE_HANDLERS", .boolean, "force_handlers", default: false)
    public static let hashBehaviour = defaults("DEFAULT_HASH_BEHAVIOUR", .string, "hash_behaviour", default: "replace")
    public static let modulePath = ConfigSetting("DEFAULT_MODULE_PATH", .pathspec,
                                                 default: "~/.ansible/plugins/modules:/usr/share/ansible/plugins/modules",
                                                 env: ["ANSIBLE_LIBRARY"], ini: [E("defaults", "library")])
    public static let moduleUtilsPath = ConfigSetting("DEFAULT_MODULE_UTILS_PATH", .pathspec,
                                                      default: "~/.ansible/plugins/module_utils:/usr/share/ansible/plugins/module_utils",
                                                      env: ["ANSIBLE_MODULE_UTILS"], ini: [E("defaults", "module_utils")])
    public static let callbackPluginPath = ConfigSetting("DEFAULT_CALLBACK_PLUGIN_PATH", .pathspec,
                                                         default: "~/.ansible/plugins/callback:/usr/share/ansible/plugins/callback",
                                                         env: ["ANSIBLE_CALLBACK_PLUGINS"], ini: [E("defaults", "callback_plugins")])
    public static let collectionsPath = ConfigSetting("COLLECTIONS_PATHS", .pathspec,
                                                      default: "~/.ansible/collections:/usr/share/ansible/collections",
                                                      env: ["ANSIBLE_COLLECTIONS_PATH"], ini: [E("defaults", "collections_path")])
    public static let factCaching = ConfigSetting("CACHE_PLUGIN", .string, default: "memory",
                                                  env: ["ANSIBLE_CACHE_PLUGIN"], ini: [E("defaults", "fact_caching")])
    public static let factCachingConnection = ConfigSetting("CACHE_PLUGIN_CONNECTION", .string,
                                                            env: ["ANSIBLE_CACHE_PLUGIN_CONNECTION"], ini: [E("defaults", "fact_caching_connection")])
    public static let factCachingTimeout = ConfigSetting("CACHE_PLUGIN_TIMEOUT", .integer, default: 86400,
                                                         env: ["ANSIBLE_CACHE_PLUGIN_TIMEOUT"], ini: [E("defaults", "fact_caching_timeout")])
    public static let factCachingPrefix = ConfigSetting("CACHE_PLUGIN_PREFIX", .string, default: "ansible_facts",
                                                        env: ["ANSIBLE_CACHE_PLUGIN_PREFIX"], ini: [E("defaults", "fact_caching_prefix")])
    public static let hostPatternMismatch = ConfigSetting("HOST_PATTERN_MISMATCH", .string, default: "warning",
                                                          env: ["ANSIBLE_HOST_PATTERN_MISMATCH"], ini: [E("inventory", "host_pattern_mismatch")])
    public static let localhostWarning = defaults("LOCALHOST_WARNING", .boolean, "localhost_warning", default: true)
    public static let deprecationWarnings = defaults("DEPRECATION_WARNINGS", .boolean, "deprecation_warnings", default: true)
    public static let systemWarnings = defaults("SYSTEM_WARNINGS", .boolean, "system_warnings", default: true)
    public static let noColor = ConfigSetting("ANSIBLE_NOCOLOR", .boolean, default: false,
                                              env: ["ANSIBLE_NOCOLOR", "NO_COLOR"], ini: [E("defaults", "nocolor")])
    public static let forceColor = defaults("ANSIBLE_FORCE_COLOR", .boolean, "force_color", default: false)
    public static let logPath = defaults("DEFAULT_LOG_PATH", .path, "log_path")
    public static let logFilter = defaults("DEFAULT_LOG_FILTER", .list, "log_filter", default: [])
    public static let vaultPasswordFile = defaults("DEFAULT_VAULT_PASSWORD_FILE", .path, "vault_password_file")
    public static let vaultIdentityList = defaults("DEFAULT_VAULT_IDENTITY_LIST", .list, "vault_identity_list", default: [])
    public static let interpreterPython = ConfigSetting("INTERPRETER_PYTHON", .string, default: "auto",
                                                        env: ["ANSIBLE_PYTHON_INTERPRETER"], ini: [E("defaults", "interpreter_python")])
    public static let jinja2Native = defaults("DEFAULT_JINJA2_NATIVE", .boolean, "jinja2_native", default: true)
    public static let errorOnUndefinedVars = ConfigSetting("DEFAULT_UNDEFINED_VAR_BEHAVIOR", .boolean, default: true,
                                                           env: ["ANSIBLE_ERROR_ON_UNDEFINED_VARS"], ini: [E("defaults", "error_on_undefined_vars")])
    public static let askPass = defaults("DEFAULT_ASK_PASS", .boolean, "ask_pass", default: false)
    public static let keepRemoteFiles = defaults("DEFAULT_KEEP_REMOTE_FILES", .boolean, "keep_remote_files", default: false)
    public static let localTemp = ConfigSetting("DEFAULT_LOCAL_TMP", .path, default: "~/.ansible/tmp",
                                                env: ["ANSIBLE_LOCAL_TEMP"], ini: [E("defaults", "local_tmp")])
    public static let remoteTemp = ConfigSetting("REMOTE_TMP", .string, default: "~/.ansible/tmp",
                                                 env: ["ANSIBLE_REMOTE_TEMP", "ANSIBLE_REMOTE_TMP"], ini: [E("defaults", "remote_tmp")])
    public static let displayArgsToStdout = defaults("DISPLAY_ARGS_TO_STDOUT", .boolean, "display_args_to_stdout", default: false)
    public static let noLog = defaults("DEFAULT_NO_LOG", .boolean, "no_log", default: false)
    public static let verboseToStderr = defaults("VERBOSE_TO_STDERR", .boolean, "verbose_to_stderr", default: false)
    public static let verbosity = defaults("DEFAULT_VERBOSITY", .integer, "verbosity", default: 0)
    public static let strategy = defaults("DEFAULT_STRATEGY", .string, "strategy", default: "linear")
    public static let loadCallbackPlugins = ConfigSetting("DEFAULT_LOAD_CALLBACK_PLUGINS", .boolean, default: false,
                                                          env: ["ANSIBLE_LOAD_CALLBACK_PLUGINS"], ini: [E("defaults", "bin_ansible_callbacks")])
    public static let executable = defaults("DEFAULT_EXECUTABLE", .string, "executable", default: "/bin/sh")
    public static let maxDiffSize = ConfigSetting("MAX_FILE_SIZE_FOR_DIFF", .integer, default: 104448,
                                                  env: ["ANSIBLE_MAX_DIFF_SIZE"], ini: [E("defaults", "max_diff_size")])
    public static let privateRoleVars = defaults("DEFAULT_PRIVATE_ROLE_VARS", .boolean, "private_role_vars", default: false)
    public static let errorOnMissingHandler = defaults("ERROR_ON_MISSING_HANDLER", .boolean, "error_on_missing_handler", default: true)
    public static let playbookVarsRoot = defaults("PLAYBOOK_VARS_ROOT", .string, "playbook_vars_root", default: "top")
    public static let playbookDir = defaults("PLAYBOOK_DIR", .path, "playbook_dir")
    public static let ansibleManaged = ConfigSetting("DEFAULT_MANAGED_STR", .string, default: "Ansible managed", ini: [E("defaults", "ansible_managed")])
    public static let nullRepresentation = defaults("DEFAULT_NULL_REPRESENTATION", .raw, "null_representation")
    public static let pipelining = ConfigSetting("ANSIBLE_PIPELINING", .boolean, default: false,
                                                 env: ["ANSIBLE_PIPELINING", "ANSIBLE_SSH_PIPELINING"],
                                                 ini: [E("defaults", "pipelining"), E("connection", "pipelining"), E("ssh_connection", "pipelining")])

    // MARK: [inventory] and [tags]
    public static let inventoryEnabled = ConfigSetting("INVENTORY_ENABLED", .list, default: ["host_list", "script", "auto", "yaml", "ini", "toml"],
                                                       env: ["ANSIBLE_INVENTORY_ENABLED"], ini: [E("inventory", "enable_plugins")])
    public static let inventoryUnparsedIsFailed = ConfigSetting("INVENTORY_UNPARSED_IS_FAILED", .boolean, default: false,
                                                                env: ["ANSIBLE_INVENTORY_UNPARSED_FAILED"], ini: [E("inventory", "unparsed_is_failed")])
    public static let tagsRun = ConfigSetting("TAGS_RUN", .list, default: [], env: ["ANSIBLE_RUN_TAGS"], ini: [E("tags", "run")])
    public static let tagsSkip = ConfigSetting("TAGS_SKIP", .list, default: [], env: ["ANSIBLE_SKIP_TAGS"], ini: [E("tags", "skip")])

    // MARK: [privilege_escalation]
    public static let become = ConfigSetting("DEFAULT_BECOME", .boolean, default: false, env: ["ANSIBLE_BECOME"], ini: [E("privilege_escalation", "become")])
    public static let becomeMethod = ConfigSetting("DEFAULT_BECOME_METHOD", .string, default: "sudo",
                                                   env: ["ANSIBLE_BECOME_METHOD"], ini: [E("privilege_escalation", "become_method")])
    public static let becomeUser = ConfigSetting("DEFAULT_BECOME_USER", .string, default: "root",
                                                 env: ["ANSIBLE_BECOME_USER"], ini: [E("privilege_escalation", "become_user")])
    public static let becomeAskPass = ConfigSetting("DEFAULT_BECOME_ASK_PASS", .boolean, default: false,
                                                    env: ["ANSIBLE_BECOME_ASK_PASS"], ini: [E("privilege_escalation", "become_ask_pass")])
    public static let becomeFlags = ConfigSetting("DEFAULT_BECOME_FLAGS", .string, default: "",
                                                  env: ["ANSIBLE_BECOME_FLAGS"], ini: [E("privilege_escalation", "become_flags")])
    public static let becomeExe = ConfigSetting("DEFAULT_BECOME_EXE", .string, env: ["ANSIBLE_BECOME_EXE"], ini: [E("privilege_escalation", "become_exe")])

    // MARK: [ssh_connection]
    public static let sshArgs = ConfigSetting("SSH_ARGS", .string, default: "-C -o ControlMaster=auto -o ControlPersist=60s",
                                              env: ["ANSIBLE_SSH_ARGS"], ini: [E("ssh_connection", "ssh_args")])
    public static let sshCommonArgs = ConfigSetting("SSH_COMMON_ARGS", .string, default: "",
                                                    env: ["ANSIBLE_SSH_COMMON_ARGS"], ini: [E("ssh_connection", "ssh_common_args")])
    public static let sshExtraArgs = ConfigSetting("SSH_EXTRA_ARGS", .string, default: "",
                                                   env: ["ANSIBLE_SSH_EXTRA_ARGS"], ini: [E("ssh_connection", "ssh_extra_args")])
    public static let sshExecutable = ConfigSetting("SSH_EXECUTABLE", .string, default: "ssh",
                                                    env: ["ANSIBLE_SSH_EXECUTABLE"], ini: [E("ssh_connection", "ssh_executable")])
    public static let sshControlPathDir = ConfigSetting("SSH_CONTROL_PATH_DIR", .string, default: "~/.ansible/cp",
                                                        env: ["ANSIBLE_SSH_CONTROL_PATH_DIR"], ini: [E("ssh_connection", "control_path_dir")])
    public static let sshTransferMethod = ConfigSetting("SSH_TRANSFER_METHOD", .string, default: "smart",
                                                        env: ["ANSIBLE_SSH_TRANSFER_METHOD"], ini: [E("ssh_connection", "transfer_method")])

    // MARK: [diff]
    public static let diffAlways = ConfigSetting("DIFF_ALWAYS", .boolean, default: false, env: ["ANSIBLE_DIFF_ALWAYS"], ini: [E("diff", "always")])
    public static let diffContext = ConfigSetting("DIFF_CONTEXT", .integer, default: 3, env: ["ANSIBLE_DIFF_CONTEXT"], ini: [E("diff", "context")])

    // MARK: default/minimal callback options (the default_callback and result_format fragments)
    public static let displaySkippedHosts = defaults("DISPLAY_SKIPPED_HOSTS", .boolean, "display_skipped_hosts", default: true)
    public static let displayOkHosts = defaults("DISPLAY_OK_HOSTS", .boolean, "display_ok_hosts", default: true)
    public static let displayFailedStderr = defaults("DISPLAY_FAILED_STDERR", .boolean, "display_failed_stderr", default: false)
    public static let showCustomStats = defaults("SHOW_CUSTOM_STATS", .boolean, "show_custom_stats", default: false)
    public static let showPerHostStart = defaults("SHOW_PER_HOST_START", .boolean, "show_per_host_start", default: false)
    public static let checkModeMarkers = defaults("CHECK_MODE_MARKERS", .boolean, "check_mode_markers", default: false)
    public static let showTaskPathOnFailure = defaults("SHOW_TASK_PATH_ON_FAILURE", .boolean, "show_task_path_on_failure", default: false)
    public static let callbackResultFormat = ConfigSetting("CALLBACK_RESULT_FORMAT", .string, default: "json",
                                                           env: ["ANSIBLE_CALLBACK_RESULT_FORMAT"], ini: [E("defaults", "callback_result_format")])
    public static let callbackFormatPretty = ConfigSetting("CALLBACK_FORMAT_PRETTY", .boolean, default: .null,
                                                           env: ["ANSIBLE_CALLBACK_FORMAT_PRETTY"], ini: [E("defaults", "callback_format_pretty")])

    // MARK: [colors]
    /// The colour setting for one status, e.g. `color(.ok)` → `COLOR_OK` / `ANSIBLE_COLOR_OK` / `[colors] ok`.
    public static func color(_ key: String, default defaultValue: String) -> ConfigSetting {
        ConfigSetting("COLOR_" + key.uppercased(), .string, default: .string(defaultValue),
                      env: ["ANSIBLE_COLOR_" + key.uppercased()], ini: [E("colors", key)])
    }

    /// Every fixed setting above, for listing (`ansible-config dump`-like) and lookup by name.
    public static let catalog: [ConfigSetting] = [
        inventory, forks, remoteUser, hostKeyChecking, rolesPath, stdoutCallback, callbacksEnabled, gathering, gatherSubset,
        timeout, privateKeyFile, remotePort, moduleName, transport, pollInterval, retryFilesEnabled, retryFilesSavePath,
        anyErrorsFatal, forceHandlers, hashBehaviour, modulePath, moduleUtilsPath, callbackPluginPath, collectionsPath,
        factCaching, factCachingConnection, factCachingTimeout, factCachingPrefix, hostPatternMismatch, localhostWarning,
        deprecationWarnings, systemWarnings, noColor, forceColor, logPath, logFilter, vaultPasswordFile, vaultIdentityList,
        interpreterPython, jinja2Native, errorOnUndefinedVars, askPass, keepRemoteFiles, localTemp, remoteTemp,
        displayArgsToStdout, noLog, verboseToStderr, verbosity, strategy, loadCallbackPlugins, executable, maxDiffSize,
        privateRoleVars, errorOnMissingHandler, playbookVarsRoot, playbookDir, ansibleManaged, nullRepresentation, pipelining,
        inventoryEnabled, inventoryUnparsedIsFailed, tagsRun, tagsSkip,
        become, becomeMethod, becomeUser, becomeAskPass, becomeFlags, becomeExe,
        sshArgs, sshCommonArgs, sshExtraArgs, sshExecutable, sshControlPathDir, sshTransferMethod,
        diffAlways, diffContext,
        displaySkippedHosts, displayOkHosts, displayFailedStderr, showCustomStats, showPerHostStart, checkModeMarkers,
        showTaskPathOnFailure, callbackResultFormat, callbackFormatPretty,
    ]

    /// Looks a setting up by its Ansible constant name (e.g. "DEFAULT_FORKS").
    public static func named(_ name: String) -> ConfigSetting? {
        catalog.first { $0.name == name }
    }
}
