import Jinja

/// The settings Troupe understands, with Ansible's names, types, defaults, env vars and
/// ini locations (ansible-core 2.19's config definitions and plugin options).
extension ConfigSetting {
    private typealias E = IniEntry

    // MARK: [defaults] — general
    /// Ansible's `DEFAULT_HOST_LIST` (ini `[defaults] inventory`; env `ANSIBLE_INVENTORY`); default `["/etc/ansible/hosts"]`.
    public static let inventory = ConfigSetting("DEFAULT_HOST_LIST", .pathlist, default: ["/etc/ansible/hosts"],
                                                env: ["ANSIBLE_INVENTORY"], ini: [E("defaults", "inventory")])
    /// Ansible's `DEFAULT_FORKS` (ini `[defaults] forks`; env `ANSIBLE_FORKS`); default `5`.
    public static let forks = defaults("DEFAULT_FORKS", .integer, "forks", default: 5)
    /// Ansible's `DEFAULT_REMOTE_USER` (ini `[defaults] remote_user`; env `ANSIBLE_REMOTE_USER`); unset by default.
    public static let remoteUser = defaults("DEFAULT_REMOTE_USER", .string, "remote_user")
    /// Ansible's `HOST_KEY_CHECKING` (ini `[defaults] host_key_checking`, `[ssh_connection] host_key_checking`; env `ANSIBLE_HOST_KEY_CHECKING`, `ANSIBLE_SSH_HOST_KEY_CHECKING`); default `true`.
    public static let hostKeyChecking = ConfigSetting("HOST_KEY_CHECKING", .boolean, default: true,
                                                      env: ["ANSIBLE_HOST_KEY_CHECKING", "ANSIBLE_SSH_HOST_KEY_CHECKING"],
                                                      ini: [E("defaults", "host_key_checking"), E("ssh_connection", "host_key_checking")])
    /// Ansible's `DEFAULT_ROLES_PATH` (ini `[defaults] roles_path`; env `ANSIBLE_ROLES_PATH`); default `"~/.ansible/roles:/usr/share/ansible/roles:/etc/ansible/roles"`.
    public static let rolesPath = defaults("DEFAULT_ROLES_PATH", .pathspec, "roles_path",
                                           default: "~/.ansible/roles:/usr/share/ansible/roles:/etc/ansible/roles")
    /// Ansible's `DEFAULT_STDOUT_CALLBACK` (ini `[defaults] stdout_callback`; env `ANSIBLE_STDOUT_CALLBACK`); default `"default"`.
    public static let stdoutCallback = defaults("DEFAULT_STDOUT_CALLBACK", .string, "stdout_callback", default: "default")
    /// Ansible's `CALLBACKS_ENABLED` (ini `[defaults] callbacks_enabled`; env `ANSIBLE_CALLBACKS_ENABLED`); default `[]`.
    public static let callbacksEnabled = defaults("CALLBACKS_ENABLED", .list, "callbacks_enabled", default: [])
    /// Ansible's `DEFAULT_GATHERING` (ini `[defaults] gathering`; env `ANSIBLE_GATHERING`); default `"implicit"`.
    public static let gathering = defaults("DEFAULT_GATHERING", .string, "gathering", default: "implicit")
    /// Ansible's `DEFAULT_GATHER_SUBSET` (ini `[defaults] gather_subset`; env `ANSIBLE_GATHER_SUBSET`); unset by default.
    public static let gatherSubset = ConfigSetting("DEFAULT_GATHER_SUBSET", .list, default: .null,
                                                   env: ["ANSIBLE_GATHER_SUBSET"], ini: [E("defaults", "gather_subset")])
    /// Ansible's `DEFAULT_TIMEOUT` (ini `[defaults] timeout`, `[ssh_connection] timeout`; env `ANSIBLE_TIMEOUT`, `ANSIBLE_SSH_TIMEOUT`); default `10`.
    public static let timeout = ConfigSetting("DEFAULT_TIMEOUT", .integer, default: 10, env: ["ANSIBLE_TIMEOUT", "ANSIBLE_SSH_TIMEOUT"],
                                              ini: [E("defaults", "timeout"), E("ssh_connection", "timeout")])
    /// Ansible's `DEFAULT_PRIVATE_KEY_FILE` (ini `[defaults] private_key_file`; env `ANSIBLE_PRIVATE_KEY_FILE`); unset by default.
    public static let privateKeyFile = defaults("DEFAULT_PRIVATE_KEY_FILE", .path, "private_key_file")
    /// Ansible's `DEFAULT_REMOTE_PORT` (ini `[defaults] remote_port`; env `ANSIBLE_REMOTE_PORT`); unset by default.
    public static let remotePort = defaults("DEFAULT_REMOTE_PORT", .integer, "remote_port")
    /// Ansible's `DEFAULT_MODULE_NAME` (ini `[defaults] module_name`); default `"command"`.
    public static let moduleName = ConfigSetting("DEFAULT_MODULE_NAME", .string, default: "command", ini: [E("defaults", "module_name")])
    /// Ansible's `DEFAULT_TRANSPORT` (ini `[defaults] transport`; env `ANSIBLE_TRANSPORT`); default `"ssh"`.
    public static let transport = defaults("DEFAULT_TRANSPORT", .string, "transport", default: "ssh")
    /// Ansible's `DEFAULT_POLL_INTERVAL` (ini `[defaults] poll_interval`; env `ANSIBLE_POLL_INTERVAL`); default `15`.
    public static let pollInterval = defaults("DEFAULT_POLL_INTERVAL", .integer, "poll_interval", default: 15)
    /// Ansible's `RETRY_FILES_ENABLED` (ini `[defaults] retry_files_enabled`; env `ANSIBLE_RETRY_FILES_ENABLED`); default `false`.
    public static let retryFilesEnabled = defaults("RETRY_FILES_ENABLED", .boolean, "retry_files_enabled", default: false)
    /// Ansible's `RETRY_FILES_SAVE_PATH` (ini `[defaults] retry_files_save_path`; env `ANSIBLE_RETRY_FILES_SAVE_PATH`); unset by default.
    public static let retryFilesSavePath = defaults("RETRY_FILES_SAVE_PATH", .path, "retry_files_save_path")
    /// Ansible's `ANY_ERRORS_FATAL` (ini `[defaults] any_errors_fatal`; env `ANSIBLE_ANY_ERRORS_FATAL`); default `false`.
    public static let anyErrorsFatal = defaults("ANY_ERRORS_FATAL", .boolean, "any_errors_fatal", default: false)
    /// Ansible's `DEFAULT_FORCE_HANDLERS` (ini `[defaults] force_handlers`; env `ANSIBLE_FORCE_HANDLERS`); default `false`.
    public static let forceHandlers = defaults("DEFAULT_FORCE_HANDLERS", .boolean, "force_handlers", default: false)
    /// Ansible's `DEFAULT_HASH_BEHAVIOUR` (ini `[defaults] hash_behaviour`; env `ANSIBLE_HASH_BEHAVIOUR`); default `"replace"`.
    public static let hashBehaviour = defaults("DEFAULT_HASH_BEHAVIOUR", .string, "hash_behaviour", default: "replace")
    /// Ansible's `DEFAULT_MODULE_PATH` (ini `[defaults] library`; env `ANSIBLE_LIBRARY`); default `"~/.ansible/plugins/modules:/usr/share/ansible/plugins/modules"`.
    public static let modulePath = ConfigSetting("DEFAULT_MODULE_PATH", .pathspec,
                                                 default: "~/.ansible/plugins/modules:/usr/share/ansible/plugins/modules",
                                                 env: ["ANSIBLE_LIBRARY"], ini: [E("defaults", "library")])
    /// Ansible's `DEFAULT_MODULE_UTILS_PATH` (ini `[defaults] module_utils`; env `ANSIBLE_MODULE_UTILS`); default `"~/.ansible/plugins/module_utils:/usr/share/ansible/plugins/module_utils"`.
    public static let moduleUtilsPath = ConfigSetting("DEFAULT_MODULE_UTILS_PATH", .pathspec,
                                                      default: "~/.ansible/plugins/module_utils:/usr/share/ansible/plugins/module_utils",
                                                      env: ["ANSIBLE_MODULE_UTILS"], ini: [E("defaults", "module_utils")])
    /// Ansible's `DEFAULT_CALLBACK_PLUGIN_PATH` (ini `[defaults] callback_plugins`; env `ANSIBLE_CALLBACK_PLUGINS`); default `"~/.ansible/plugins/callback:/usr/share/ansible/plugins/callback"`.
    public static let callbackPluginPath = ConfigSetting("DEFAULT_CALLBACK_PLUGIN_PATH", .pathspec,
                                                         default: "~/.ansible/plugins/callback:/usr/share/ansible/plugins/callback",
                                                         env: ["ANSIBLE_CALLBACK_PLUGINS"], ini: [E("defaults", "callback_plugins")])
    /// Ansible's `COLLECTIONS_PATHS` (ini `[defaults] collections_path`; env `ANSIBLE_COLLECTIONS_PATH`); default `"~/.ansible/collections:/usr/share/ansible/collections"`.
    public static let collectionsPath = ConfigSetting("COLLECTIONS_PATHS", .pathspec,
                                                      default: "~/.ansible/collections:/usr/share/ansible/collections",
                                                      env: ["ANSIBLE_COLLECTIONS_PATH"], ini: [E("defaults", "collections_path")])
    /// Ansible's `CACHE_PLUGIN` (ini `[defaults] fact_caching`; env `ANSIBLE_CACHE_PLUGIN`); default `"memory"`.
    public static let factCaching = ConfigSetting("CACHE_PLUGIN", .string, default: "memory",
                                                  env: ["ANSIBLE_CACHE_PLUGIN"], ini: [E("defaults", "fact_caching")])
    /// Ansible's `CACHE_PLUGIN_CONNECTION` (ini `[defaults] fact_caching_connection`; env `ANSIBLE_CACHE_PLUGIN_CONNECTION`); unset by default.
    public static let factCachingConnection = ConfigSetting("CACHE_PLUGIN_CONNECTION", .string,
                                                            env: ["ANSIBLE_CACHE_PLUGIN_CONNECTION"], ini: [E("defaults", "fact_caching_connection")])
    /// Ansible's `CACHE_PLUGIN_TIMEOUT` (ini `[defaults] fact_caching_timeout`; env `ANSIBLE_CACHE_PLUGIN_TIMEOUT`); default `86400`.
    public static let factCachingTimeout = ConfigSetting("CACHE_PLUGIN_TIMEOUT", .integer, default: 86400,
                                                         env: ["ANSIBLE_CACHE_PLUGIN_TIMEOUT"], ini: [E("defaults", "fact_caching_timeout")])
    /// Ansible's `CACHE_PLUGIN_PREFIX` (ini `[defaults] fact_caching_prefix`; env `ANSIBLE_CACHE_PLUGIN_PREFIX`); default `"ansible_facts"`.
    public static let factCachingPrefix = ConfigSetting("CACHE_PLUGIN_PREFIX", .string, default: "ansible_facts",
                                                        env: ["ANSIBLE_CACHE_PLUGIN_PREFIX"], ini: [E("defaults", "fact_caching_prefix")])
    /// Ansible's `HOST_PATTERN_MISMATCH` (ini `[inventory] host_pattern_mismatch`; env `ANSIBLE_HOST_PATTERN_MISMATCH`); default `"warning"`.
    public static let hostPatternMismatch = ConfigSetting("HOST_PATTERN_MISMATCH", .string, default: "warning",
                                                          env: ["ANSIBLE_HOST_PATTERN_MISMATCH"], ini: [E("inventory", "host_pattern_mismatch")])
    /// Ansible's `LOCALHOST_WARNING` (ini `[defaults] localhost_warning`; env `ANSIBLE_LOCALHOST_WARNING`); default `true`.
    public static let localhostWarning = defaults("LOCALHOST_WARNING", .boolean, "localhost_warning", default: true)
    /// Ansible's `DEPRECATION_WARNINGS` (ini `[defaults] deprecation_warnings`; env `ANSIBLE_DEPRECATION_WARNINGS`); default `true`.
    public static let deprecationWarnings = defaults("DEPRECATION_WARNINGS", .boolean, "deprecation_warnings", default: true)
    /// Ansible's `SYSTEM_WARNINGS` (ini `[defaults] system_warnings`; env `ANSIBLE_SYSTEM_WARNINGS`); default `true`.
    public static let systemWarnings = defaults("SYSTEM_WARNINGS", .boolean, "system_warnings", default: true)
    /// Ansible's `ANSIBLE_NOCOLOR` (ini `[defaults] nocolor`; env `ANSIBLE_NOCOLOR`, `NO_COLOR`); default `false`.
    public static let noColor = ConfigSetting("ANSIBLE_NOCOLOR", .boolean, default: false,
                                              env: ["ANSIBLE_NOCOLOR", "NO_COLOR"], ini: [E("defaults", "nocolor")])
    /// Ansible's `ANSIBLE_FORCE_COLOR` (ini `[defaults] force_color`; env `ANSIBLE_FORCE_COLOR`); default `false`.
    public static let forceColor = defaults("ANSIBLE_FORCE_COLOR", .boolean, "force_color", default: false)
    /// Ansible's `DEFAULT_LOG_PATH` (ini `[defaults] log_path`; env `ANSIBLE_LOG_PATH`); unset by default.
    public static let logPath = defaults("DEFAULT_LOG_PATH", .path, "log_path")
    /// Ansible's `DEFAULT_LOG_FILTER` (ini `[defaults] log_filter`; env `ANSIBLE_LOG_FILTER`); default `[]`.
    public static let logFilter = defaults("DEFAULT_LOG_FILTER", .list, "log_filter", default: [])
    /// Ansible's `DEFAULT_VAULT_PASSWORD_FILE` (ini `[defaults] vault_password_file`; env `ANSIBLE_VAULT_PASSWORD_FILE`); unset by default.
    public static let vaultPasswordFile = defaults("DEFAULT_VAULT_PASSWORD_FILE", .path, "vault_password_file")
    /// Ansible's `DEFAULT_VAULT_IDENTITY_LIST` (ini `[defaults] vault_identity_list`; env `ANSIBLE_VAULT_IDENTITY_LIST`); default `[]`.
    public static let vaultIdentityList = defaults("DEFAULT_VAULT_IDENTITY_LIST", .list, "vault_identity_list", default: [])
    /// Ansible's `DEFAULT_VAULT_ID_MATCH` (ini `[defaults] vault_id_match`; env `ANSIBLE_VAULT_ID_MATCH`); default `false`:
    /// when set, a vaulted text is only tried with the secret of the vault id in its header.
    public static let vaultIDMatch = defaults("DEFAULT_VAULT_ID_MATCH", .boolean, "vault_id_match", default: false)
    /// Ansible's `DEFAULT_VAULT_ENCRYPT_IDENTITY` (ini `[defaults] vault_encrypt_identity`; env `ANSIBLE_VAULT_ENCRYPT_IDENTITY`); unset by default.
    public static let vaultEncryptIdentity = defaults("DEFAULT_VAULT_ENCRYPT_IDENTITY", .string, "vault_encrypt_identity")
    /// Ansible's `INTERPRETER_PYTHON` (ini `[defaults] interpreter_python`; env `ANSIBLE_PYTHON_INTERPRETER`); default `"auto"`.
    public static let interpreterPython = ConfigSetting("INTERPRETER_PYTHON", .string, default: "auto",
                                                        env: ["ANSIBLE_PYTHON_INTERPRETER"], ini: [E("defaults", "interpreter_python")])
    /// Ansible's `DEFAULT_JINJA2_NATIVE` (ini `[defaults] jinja2_native`; env `ANSIBLE_JINJA2_NATIVE`); default `true`.
    public static let jinja2Native = defaults("DEFAULT_JINJA2_NATIVE", .boolean, "jinja2_native", default: true)
    /// Ansible's `DEFAULT_UNDEFINED_VAR_BEHAVIOR` (ini `[defaults] error_on_undefined_vars`; env `ANSIBLE_ERROR_ON_UNDEFINED_VARS`); default `true`.
    public static let errorOnUndefinedVars = ConfigSetting("DEFAULT_UNDEFINED_VAR_BEHAVIOR", .boolean, default: true,
                                                           env: ["ANSIBLE_ERROR_ON_UNDEFINED_VARS"], ini: [E("defaults", "error_on_undefined_vars")])
    /// Ansible's `DEFAULT_ASK_PASS` (ini `[defaults] ask_pass`; env `ANSIBLE_ASK_PASS`); default `false`.
    public static let askPass = defaults("DEFAULT_ASK_PASS", .boolean, "ask_pass", default: false)
    /// Ansible's `DEFAULT_KEEP_REMOTE_FILES` (ini `[defaults] keep_remote_files`; env `ANSIBLE_KEEP_REMOTE_FILES`); default `false`.
    public static let keepRemoteFiles = defaults("DEFAULT_KEEP_REMOTE_FILES", .boolean, "keep_remote_files", default: false)
    /// Ansible's `DEFAULT_LOCAL_TMP` (ini `[defaults] local_tmp`; env `ANSIBLE_LOCAL_TEMP`); default `"~/.ansible/tmp"`.
    public static let localTemp = ConfigSetting("DEFAULT_LOCAL_TMP", .path, default: "~/.ansible/tmp",
                                                env: ["ANSIBLE_LOCAL_TEMP"], ini: [E("defaults", "local_tmp")])
    /// Ansible's `REMOTE_TMP` (ini `[defaults] remote_tmp`; env `ANSIBLE_REMOTE_TEMP`, `ANSIBLE_REMOTE_TMP`); default `"~/.ansible/tmp"`.
    public static let remoteTemp = ConfigSetting("REMOTE_TMP", .string, default: "~/.ansible/tmp",
                                                 env: ["ANSIBLE_REMOTE_TEMP", "ANSIBLE_REMOTE_TMP"], ini: [E("defaults", "remote_tmp")])
    /// Ansible's `DISPLAY_ARGS_TO_STDOUT` (ini `[defaults] display_args_to_stdout`; env `ANSIBLE_DISPLAY_ARGS_TO_STDOUT`); default `false`.
    public static let displayArgsToStdout = defaults("DISPLAY_ARGS_TO_STDOUT", .boolean, "display_args_to_stdout", default: false)
    /// Ansible's `DEFAULT_NO_LOG` (ini `[defaults] no_log`; env `ANSIBLE_NO_LOG`); default `false`.
    public static let noLog = defaults("DEFAULT_NO_LOG", .boolean, "no_log", default: false)
    /// Ansible's `VERBOSE_TO_STDERR` (ini `[defaults] verbose_to_stderr`; env `ANSIBLE_VERBOSE_TO_STDERR`); default `false`.
    public static let verboseToStderr = defaults("VERBOSE_TO_STDERR", .boolean, "verbose_to_stderr", default: false)
    /// Ansible's `DEFAULT_VERBOSITY` (ini `[defaults] verbosity`; env `ANSIBLE_VERBOSITY`); default `0`.
    public static let verbosity = defaults("DEFAULT_VERBOSITY", .integer, "verbosity", default: 0)
    /// Ansible's `DEFAULT_STRATEGY` (ini `[defaults] strategy`; env `ANSIBLE_STRATEGY`); default `"linear"`.
    public static let strategy = defaults("DEFAULT_STRATEGY", .string, "strategy", default: "linear")
    /// Ansible's `DEFAULT_LOAD_CALLBACK_PLUGINS` (ini `[defaults] bin_ansible_callbacks`; env `ANSIBLE_LOAD_CALLBACK_PLUGINS`); default `false`.
    public static let loadCallbackPlugins = ConfigSetting("DEFAULT_LOAD_CALLBACK_PLUGINS", .boolean, default: false,
                                                          env: ["ANSIBLE_LOAD_CALLBACK_PLUGINS"], ini: [E("defaults", "bin_ansible_callbacks")])
    /// Ansible's `DEFAULT_EXECUTABLE` (ini `[defaults] executable`; env `ANSIBLE_EXECUTABLE`); default `"/bin/sh"`.
    public static let executable = defaults("DEFAULT_EXECUTABLE", .string, "executable", default: "/bin/sh")
    /// Ansible's `MAX_FILE_SIZE_FOR_DIFF` (ini `[defaults] max_diff_size`; env `ANSIBLE_MAX_DIFF_SIZE`); default `104448`.
    public static let maxDiffSize = ConfigSetting("MAX_FILE_SIZE_FOR_DIFF", .integer, default: 104448,
                                                  env: ["ANSIBLE_MAX_DIFF_SIZE"], ini: [E("defaults", "max_diff_size")])
    /// Ansible's `DEFAULT_PRIVATE_ROLE_VARS` (ini `[defaults] private_role_vars`; env `ANSIBLE_PRIVATE_ROLE_VARS`); default `false`.
    public static let privateRoleVars = defaults("DEFAULT_PRIVATE_ROLE_VARS", .boolean, "private_role_vars", default: false)
    /// Ansible's `ERROR_ON_MISSING_HANDLER` (ini `[defaults] error_on_missing_handler`; env `ANSIBLE_ERROR_ON_MISSING_HANDLER`); default `true`.
    public static let errorOnMissingHandler = defaults("ERROR_ON_MISSING_HANDLER", .boolean, "error_on_missing_handler", default: true)
    /// Ansible's `PLAYBOOK_VARS_ROOT` (ini `[defaults] playbook_vars_root`; env `ANSIBLE_PLAYBOOK_VARS_ROOT`); default `"top"`.
    public static let playbookVarsRoot = defaults("PLAYBOOK_VARS_ROOT", .string, "playbook_vars_root", default: "top")
    /// Ansible's `PLAYBOOK_DIR` (ini `[defaults] playbook_dir`; env `ANSIBLE_PLAYBOOK_DIR`); unset by default.
    public static let playbookDir = defaults("PLAYBOOK_DIR", .path, "playbook_dir")
    /// Ansible's `DEFAULT_MANAGED_STR` (ini `[defaults] ansible_managed`); default `"Ansible managed"`.
    public static let ansibleManaged = ConfigSetting("DEFAULT_MANAGED_STR", .string, default: "Ansible managed", ini: [E("defaults", "ansible_managed")])
    /// Ansible's `DEFAULT_NULL_REPRESENTATION` (ini `[defaults] null_representation`; env `ANSIBLE_NULL_REPRESENTATION`); unset by default.
    public static let nullRepresentation = defaults("DEFAULT_NULL_REPRESENTATION", .raw, "null_representation")
    /// Ansible's `ANSIBLE_PIPELINING` (ini `[defaults] pipelining`, `[connection] pipelining`, `[ssh_connection] pipelining`; env `ANSIBLE_PIPELINING`, `ANSIBLE_SSH_PIPELINING`); default `false`.
    public static let pipelining = ConfigSetting("ANSIBLE_PIPELINING", .boolean, default: false,
                                                 env: ["ANSIBLE_PIPELINING", "ANSIBLE_SSH_PIPELINING"],
                                                 ini: [E("defaults", "pipelining"), E("connection", "pipelining"), E("ssh_connection", "pipelining")])

    // MARK: [inventory] and [tags]
    /// Ansible's `INVENTORY_ENABLED` (ini `[inventory] enable_plugins`; env `ANSIBLE_INVENTORY_ENABLED`); default `["host_list", "script", "auto", "yaml", "ini", "toml"]`.
    public static let inventoryEnabled = ConfigSetting("INVENTORY_ENABLED", .list, default: ["host_list", "script", "auto", "yaml", "ini", "toml"],
                                                       env: ["ANSIBLE_INVENTORY_ENABLED"], ini: [E("inventory", "enable_plugins")])
    /// Ansible's `INVENTORY_UNPARSED_IS_FAILED` (ini `[inventory] unparsed_is_failed`; env `ANSIBLE_INVENTORY_UNPARSED_FAILED`); default `false`.
    public static let inventoryUnparsedIsFailed = ConfigSetting("INVENTORY_UNPARSED_IS_FAILED", .boolean, default: false,
                                                                env: ["ANSIBLE_INVENTORY_UNPARSED_FAILED"], ini: [E("inventory", "unparsed_is_failed")])
    /// Ansible's `TAGS_RUN` (ini `[tags] run`; env `ANSIBLE_RUN_TAGS`); default `[]`.
    public static let tagsRun = ConfigSetting("TAGS_RUN", .list, default: [], env: ["ANSIBLE_RUN_TAGS"], ini: [E("tags", "run")])
    /// Ansible's `TAGS_SKIP` (ini `[tags] skip`; env `ANSIBLE_SKIP_TAGS`); default `[]`.
    public static let tagsSkip = ConfigSetting("TAGS_SKIP", .list, default: [], env: ["ANSIBLE_SKIP_TAGS"], ini: [E("tags", "skip")])

    // MARK: [privilege_escalation]
    /// Ansible's `DEFAULT_BECOME` (ini `[privilege_escalation] become`; env `ANSIBLE_BECOME`); default `false`.
    public static let become = ConfigSetting("DEFAULT_BECOME", .boolean, default: false, env: ["ANSIBLE_BECOME"], ini: [E("privilege_escalation", "become")])
    /// Ansible's `DEFAULT_BECOME_METHOD` (ini `[privilege_escalation] become_method`; env `ANSIBLE_BECOME_METHOD`); default `"sudo"`.
    public static let becomeMethod = ConfigSetting("DEFAULT_BECOME_METHOD", .string, default: "sudo",
                                                   env: ["ANSIBLE_BECOME_METHOD"], ini: [E("privilege_escalation", "become_method")])
    /// Ansible's `DEFAULT_BECOME_USER` (ini `[privilege_escalation] become_user`; env `ANSIBLE_BECOME_USER`); default `"root"`.
    public static let becomeUser = ConfigSetting("DEFAULT_BECOME_USER", .string, default: "root",
                                                 env: ["ANSIBLE_BECOME_USER"], ini: [E("privilege_escalation", "become_user")])
    /// Ansible's `DEFAULT_BECOME_ASK_PASS` (ini `[privilege_escalation] become_ask_pass`; env `ANSIBLE_BECOME_ASK_PASS`); default `false`.
    public static let becomeAskPass = ConfigSetting("DEFAULT_BECOME_ASK_PASS", .boolean, default: false,
                                                    env: ["ANSIBLE_BECOME_ASK_PASS"], ini: [E("privilege_escalation", "become_ask_pass")])
    /// Ansible's `DEFAULT_BECOME_FLAGS` (ini `[privilege_escalation] become_flags`; env `ANSIBLE_BECOME_FLAGS`); default `""`.
    public static let becomeFlags = ConfigSetting("DEFAULT_BECOME_FLAGS", .string, default: "",
                                                  env: ["ANSIBLE_BECOME_FLAGS"], ini: [E("privilege_escalation", "become_flags")])
    /// Ansible's `DEFAULT_BECOME_EXE` (ini `[privilege_escalation] become_exe`; env `ANSIBLE_BECOME_EXE`); unset by default.
    public static let becomeExe = ConfigSetting("DEFAULT_BECOME_EXE", .string, env: ["ANSIBLE_BECOME_EXE"], ini: [E("privilege_escalation", "become_exe")])

    // MARK: [ssh_connection]
    /// Ansible's `SSH_ARGS` (ini `[ssh_connection] ssh_args`; env `ANSIBLE_SSH_ARGS`); default `"-C -o ControlMaster=auto -o ControlPersist=60s"`.
    public static let sshArgs = ConfigSetting("SSH_ARGS", .string, default: "-C -o ControlMaster=auto -o ControlPersist=60s",
                                              env: ["ANSIBLE_SSH_ARGS"], ini: [E("ssh_connection", "ssh_args")])
    /// Ansible's `SSH_COMMON_ARGS` (ini `[ssh_connection] ssh_common_args`; env `ANSIBLE_SSH_COMMON_ARGS`); default `""`.
    public static let sshCommonArgs = ConfigSetting("SSH_COMMON_ARGS", .string, default: "",
                                                    env: ["ANSIBLE_SSH_COMMON_ARGS"], ini: [E("ssh_connection", "ssh_common_args")])
    /// Ansible's `SSH_EXTRA_ARGS` (ini `[ssh_connection] ssh_extra_args`; env `ANSIBLE_SSH_EXTRA_ARGS`); default `""`.
    public static let sshExtraArgs = ConfigSetting("SSH_EXTRA_ARGS", .string, default: "",
                                                   env: ["ANSIBLE_SSH_EXTRA_ARGS"], ini: [E("ssh_connection", "ssh_extra_args")])
    /// Ansible's `SSH_EXECUTABLE` (ini `[ssh_connection] ssh_executable`; env `ANSIBLE_SSH_EXECUTABLE`); default `"ssh"`.
    public static let sshExecutable = ConfigSetting("SSH_EXECUTABLE", .string, default: "ssh",
                                                    env: ["ANSIBLE_SSH_EXECUTABLE"], ini: [E("ssh_connection", "ssh_executable")])
    /// Ansible's `SSH_CONTROL_PATH_DIR` (ini `[ssh_connection] control_path_dir`; env `ANSIBLE_SSH_CONTROL_PATH_DIR`); default `"~/.ansible/cp"`.
    public static let sshControlPathDir = ConfigSetting("SSH_CONTROL_PATH_DIR", .string, default: "~/.ansible/cp",
                                                        env: ["ANSIBLE_SSH_CONTROL_PATH_DIR"], ini: [E("ssh_connection", "control_path_dir")])
    /// Ansible's `SSH_TRANSFER_METHOD` (ini `[ssh_connection] transfer_method`; env `ANSIBLE_SSH_TRANSFER_METHOD`); default `"smart"`.
    public static let sshTransferMethod = ConfigSetting("SSH_TRANSFER_METHOD", .string, default: "smart",
                                                        env: ["ANSIBLE_SSH_TRANSFER_METHOD"], ini: [E("ssh_connection", "transfer_method")])

    // MARK: [diff]
    /// Ansible's `DIFF_ALWAYS` (ini `[diff] always`; env `ANSIBLE_DIFF_ALWAYS`); default `false`.
    public static let diffAlways = ConfigSetting("DIFF_ALWAYS", .boolean, default: false, env: ["ANSIBLE_DIFF_ALWAYS"], ini: [E("diff", "always")])
    /// Ansible's `DIFF_CONTEXT` (ini `[diff] context`; env `ANSIBLE_DIFF_CONTEXT`); default `3`.
    public static let diffContext = ConfigSetting("DIFF_CONTEXT", .integer, default: 3, env: ["ANSIBLE_DIFF_CONTEXT"], ini: [E("diff", "context")])

    // MARK: default/minimal callback options (the default_callback and result_format fragments)
    /// Ansible's `DISPLAY_SKIPPED_HOSTS` (ini `[defaults] display_skipped_hosts`; env `ANSIBLE_DISPLAY_SKIPPED_HOSTS`); default `true`.
    public static let displaySkippedHosts = defaults("DISPLAY_SKIPPED_HOSTS", .boolean, "display_skipped_hosts", default: true)
    /// Ansible's `DISPLAY_OK_HOSTS` (ini `[defaults] display_ok_hosts`; env `ANSIBLE_DISPLAY_OK_HOSTS`); default `true`.
    public static let displayOkHosts = defaults("DISPLAY_OK_HOSTS", .boolean, "display_ok_hosts", default: true)
    /// Ansible's `DISPLAY_FAILED_STDERR` (ini `[defaults] display_failed_stderr`; env `ANSIBLE_DISPLAY_FAILED_STDERR`); default `false`.
    public static let displayFailedStderr = defaults("DISPLAY_FAILED_STDERR", .boolean, "display_failed_stderr", default: false)
    /// Ansible's `SHOW_CUSTOM_STATS` (ini `[defaults] show_custom_stats`; env `ANSIBLE_SHOW_CUSTOM_STATS`); default `false`.
    public static let showCustomStats = defaults("SHOW_CUSTOM_STATS", .boolean, "show_custom_stats", default: false)
    /// Ansible's `SHOW_PER_HOST_START` (ini `[defaults] show_per_host_start`; env `ANSIBLE_SHOW_PER_HOST_START`); default `false`.
    public static let showPerHostStart = defaults("SHOW_PER_HOST_START", .boolean, "show_per_host_start", default: false)
    /// Ansible's `CHECK_MODE_MARKERS` (ini `[defaults] check_mode_markers`; env `ANSIBLE_CHECK_MODE_MARKERS`); default `false`.
    public static let checkModeMarkers = defaults("CHECK_MODE_MARKERS", .boolean, "check_mode_markers", default: false)
    /// Ansible's `SHOW_TASK_PATH_ON_FAILURE` (ini `[defaults] show_task_path_on_failure`; env `ANSIBLE_SHOW_TASK_PATH_ON_FAILURE`); default `false`.
    public static let showTaskPathOnFailure = defaults("SHOW_TASK_PATH_ON_FAILURE", .boolean, "show_task_path_on_failure", default: false)
    /// Ansible's `CALLBACK_RESULT_FORMAT` (ini `[defaults] callback_result_format`; env `ANSIBLE_CALLBACK_RESULT_FORMAT`); default `"json"`.
    public static let callbackResultFormat = ConfigSetting("CALLBACK_RESULT_FORMAT", .string, default: "json",
                                                           env: ["ANSIBLE_CALLBACK_RESULT_FORMAT"], ini: [E("defaults", "callback_result_format")])
    /// Ansible's `CALLBACK_FORMAT_PRETTY` (ini `[defaults] callback_format_pretty`; env `ANSIBLE_CALLBACK_FORMAT_PRETTY`); unset by default.
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
        vaultIDMatch, vaultEncryptIdentity,
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
