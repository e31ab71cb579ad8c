import Jinja

/// Typed accessors for the settings the engine reads most.
extension AnsibleConfig {
    /// A boolean setting (invalid values fall back to the default).
    public func bool(_ setting: ConfigSetting) -> Bool { self[setting].isTruthy }
    /// An integer setting, or nil when unset (e.g. `remote_port`).
    public func int(_ setting: ConfigSetting) -> Int? { self[setting].intValue }
    /// A text setting, or nil when unset.
    public func string(_ setting: ConfigSetting) -> String? { self[setting].stringValue }
    /// A list or path-list setting, empty when unset.
    public func list(_ setting: ConfigSetting) -> [String] { self[setting].listValue?.compactMap(\.stringValue) ?? [] }

    /// `inventory` (`ANSIBLE_INVENTORY`): inventory sources.
    public var inventory: [String] { list(.inventory) }
    /// `forks` (5).
    public var forks: Int { int(.forks) ?? 5 }
    /// `remote_user`.
    public var remoteUser: String? { string(.remoteUser) }
    /// `host_key_checking` (true).
    public var hostKeyChecking: Bool { bool(.hostKeyChecking) }
    /// `roles_path`.
    public var rolesPath: [String] { list(.rolesPath) }
    /// `stdout_callback` ("default").
    public var stdoutCallback: String { string(.stdoutCallback) ?? "default" }
    /// `callbacks_enabled`: extra (non-stdout) callbacks to load; empty names dropped.
    public var callbacksEnabled: [String] { list(.callbacksEnabled).filter { !$0.isEmpty } }
    /// `gathering` ("implicit", "explicit" or "smart").
    public var gathering: String { string(.gathering) ?? "implicit" }
    /// `timeout` (10 seconds).
    public var timeout: Int { int(.timeout) ?? 10 }
    /// `private_key_file`.
    public var privateKeyFile: String? { string(.privateKeyFile) }
    /// `[privilege_escalation] become`.
    public var become: Bool { bool(.become) }
    /// `[privilege_escalation] become_method` ("sudo").
    public var becomeMethod: String { string(.becomeMethod) ?? "sudo" }
    /// `[privilege_escalation] become_user` ("root").
    public var becomeUser: String { string(.becomeUser) ?? "root" }
    /// `remote_port`.
    public var remotePort: Int? { int(.remotePort) }
    /// `module_name` for ad-hoc ("command").
    public var moduleName: String { string(.moduleName) ?? "command" }
    /// `retry_files_enabled` (false).
    public var retryFilesEnabled: Bool { bool(.retryFilesEnabled) }
    /// `any_errors_fatal` (false).
    public var anyErrorsFatal: Bool { bool(.anyErrorsFatal) }
    /// `force_handlers` (false).
    public var forceHandlers: Bool { bool(.forceHandlers) }
    /// `DEFAULT_NO_LOG`: whether results are censored where no `no_log` keyword says otherwise.
    public var noLog: Bool { bool(.noLog) }
    /// `hash_behaviour` ("replace" or "merge").
    public var hashBehaviour: String { string(.hashBehaviour) ?? "replace" }
    /// `library` (`ANSIBLE_LIBRARY`): module search path.
    public var modulePath: [String] { list(.modulePath) }
    /// `fact_caching` ("memory").
    public var factCaching: String { string(.factCaching) ?? "memory" }
    /// `fact_caching_connection`.
    public var factCachingConnection: String? { string(.factCachingConnection) }
    /// `fact_caching_prefix`: the jsonfile cache's file name prefix; only when set (the
    /// cache plugins' own default is no prefix, whatever the base config says).
    public var factCachingPrefix: String {
        guard let (value, origin) = try? value(.factCachingPrefix), origin != .default else { return "" }
        return value.stringValue ?? ""
    }
    /// `fact_caching_timeout` (86400).
    public var factCachingTimeout: Int { int(.factCachingTimeout) ?? 86400 }
    /// `callback_plugins`.
    public var callbackPluginPath: [String] { list(.callbackPluginPath) }
    /// `[inventory] host_pattern_mismatch` ("warning", "error" or "ignore").
    public var hostPatternMismatch: String { string(.hostPatternMismatch) ?? "warning" }
    /// `localhost_warning` (true).
    public var localhostWarning: Bool { bool(.localhostWarning) }
    /// `deprecation_warnings` (true).
    public var deprecationWarnings: Bool { bool(.deprecationWarnings) }
    /// `system_warnings` (true).
    public var systemWarnings: Bool { bool(.systemWarnings) }
    /// `nocolor` / `ANSIBLE_NOCOLOR` / `NO_COLOR`.
    public var noColor: Bool { bool(.noColor) }
    /// `force_color` / `ANSIBLE_FORCE_COLOR`.
    public var forceColor: Bool { bool(.forceColor) }
    /// `log_path`.
    public var logPath: String? { string(.logPath) }
    /// `vault_password_file`.
    public var vaultPasswordFile: String? { string(.vaultPasswordFile) }
    /// `vault_identity_list`: `label@source` vault ids loaded before the command line's.
    public var vaultIdentityList: [String] { list(.vaultIdentityList) }
    /// `vault_id_match`: only the secret of a vaulted text's own vault id may decrypt it.
    public var vaultIDMatch: Bool { bool(.vaultIDMatch) }
    /// `vault_encrypt_identity`: the vault id to encrypt with when none is given.
    public var vaultEncryptIdentity: String? { string(.vaultEncryptIdentity) }
    /// `[ssh_connection] ssh_args`.
    public var sshArgs: String { string(.sshArgs) ?? "" }
    /// `[ssh_connection] ssh_common_args`.
    public var sshCommonArgs: String { string(.sshCommonArgs) ?? "" }
    /// `[ssh_connection] ssh_extra_args`.
    public var sshExtraArgs: String { string(.sshExtraArgs) ?? "" }
    /// `pipelining` (false).
    public var pipelining: Bool { bool(.pipelining) }
    /// `error_on_undefined_vars` (true).
    public var errorOnUndefinedVars: Bool { bool(.errorOnUndefinedVars) }
    /// `verbosity` (0): the baseline verbosity before `-v` flags.
    public var verbosity: Int { int(.verbosity) ?? 0 }
    /// `[diff] always`.
    public var diffAlways: Bool { bool(.diffAlways) }
    /// `[diff] context` (3).
    public var diffContext: Int { int(.diffContext) ?? 3 }
}
