import Foundation

/// How to reach one host over SSH: the connection variables of an inventory host
/// (`ansible_host`, `ansible_port`, `ansible_user`, `ansible_ssh_private_key_file`,
/// `ansible_password`, `ansible_ssh_common_args`, ...).
public struct SSHConnectionParameters: Sendable, Hashable {
    /// Address or name to connect to (`ansible_host`); `~/.ssh/config` may rewrite it via `HostName`.
    public var host: String
    /// TCP port; nil means `~/.ssh/config` or 22.
    public var port: Int?
    /// Login user; nil means `~/.ssh/config` or the local user.
    public var user: String?
    /// Private key tried before the default keys (`ansible_ssh_private_key_file`).
    public var privateKeyFile: String?
    /// Passphrase for encrypted private keys.
    public var privateKeyPassphrase: String?
    /// Login password, used for `password` and `keyboard-interactive` authentication.
    public var password: String?
    /// Seconds allowed for connecting and for each blocking protocol step.
    public var timeout: Double
    /// `ansible_ssh_common_args`: `-o Key=Value` options and a few ssh flags.
    public var sshCommonArgs: String?
    /// `ansible_ssh_extra_args`: same syntax as ``sshCommonArgs``.
    public var sshExtraArgs: String?
    /// Verify the server's host key against known_hosts (`host_key_checking`).
    public var hostKeyChecking: Bool
    /// Accept and record keys of hosts not yet in known_hosts (`StrictHostKeyChecking=accept-new`).
    public var acceptNewHostKeys: Bool
    /// known_hosts file; nil means `~/.ssh/known_hosts`.
    public var knownHostsFile: String?
    /// OpenSSH client config applied before explicit parameters; nil disables it.
    public var sshConfigFile: String?
    /// Try the keys held by the agent at `SSH_AUTH_SOCK`.
    public var useAgent: Bool
    /// Try `~/.ssh/id_ed25519`, `id_ecdsa` and `id_rsa` after the given key.
    public var useDefaultKeys: Bool
    /// Seconds between keepalive messages while waiting on a long command.
    public var keepaliveInterval: Double

    /// Creates parameters; only the host is required.
    public init(host: String, port: Int? = nil, user: String? = nil, privateKeyFile: String? = nil,
                privateKeyPassphrase: String? = nil, password: String? = nil, timeout: Double = 10,
                sshCommonArgs: String? = nil, sshExtraArgs: String? = nil, hostKeyChecking: Bool = true,
                acceptNewHostKeys: Bool = false, knownHostsFile: String? = nil,
                sshConfigFile: String? = "~/.ssh/config", useAgent: Bool = true, useDefaultKeys: Bool = true,
                keepaliveInterval: Double = 15) {
        self.host = host
        self.port = port
        self.user = user
        self.privateKeyFile = privateKeyFile
        self.privateKeyPassphrase = privateKeyPassphrase
        self.password = password
        self.timeout = timeout
        self.sshCommonArgs = sshCommonArgs
        self.sshExtraArgs = sshExtraArgs
        self.hostKeyChecking = hostKeyChecking
        self.acceptNewHostKeys = acceptNewHostKeys
        self.knownHostsFile = knownHostsFile
        self.sshConfigFile = sshConfigFile
        self.useAgent = useAgent
        self.useDefaultKeys = useDefaultKeys
        self.keepaliveInterval = keepaliveInterval
    }
}

/// Expands a leading `~` to the local home directory.
func expandTilde(_ path: String) -> String {
    guard path.hasPrefix("~") else { return path }
    let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
    if path == "~" { return home }
    if path.hasPrefix("~/") { return home + path.dropFirst(1) }
    return path
}
