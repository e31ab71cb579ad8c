import CLibSSH
import Foundation

/// One connected, authenticated libssh session. Owned by an ``SSHWorkerThread``: every
/// method must be called on that thread.
final class SSHSession {
    let handle: ssh_session
    /// Where the session actually went, after `~/.ssh/config` and `-o` options.
    let address: String
    let port: Int
    let user: String
    let keepaliveInterval: Double
    let timeout: Double

    /// Connects, verifies the host key and authenticates. Throws ``UnreachableError``.
    init(parameters: SSHConnectionParameters, arguments: SSHArguments) throws {
        guard let handle = ssh_new() else { throw UnreachableError("Failed to connect to the host via ssh: out of memory") }
        self.handle = handle
        let options = arguments.options
        let config = parameters.sshConfigFile.map { SSHConfigFile(path: arguments.configFile ?? $0).match(host: parameters.host) }
        address = options["hostname"] ?? config?.hostName ?? parameters.host
        port = parameters.port ?? options["port"].flatMap { Int($0) } ?? config?.port ?? 22
        user = parameters.user ?? options["user"] ?? config?.user ?? Self.localUserName()
        timeout = options["connecttimeout"].flatMap { Double($0) } ?? parameters.timeout
        keepaliveInterval = options["serveraliveinterval"].flatMap { Double($0) }.flatMap { $0 > 0 ? $0 : nil }
            ?? parameters.keepaliveInterval
        // Every stored property is set, so a throw below still runs deinit, which frees the handle.
        try configure(parameters: parameters, options: options)
        try connect()
        try HostKeyVerifier(session: handle, hostLabel: address, port: port).verify(
            checking: hostKeyChecking(parameters, options),
            acceptNew: parameters.acceptNewHostKeys || options["stricthostkeychecking"]?.lowercased() == "accept-new")
        var keyFiles: [String] = []
        if let key = parameters.privateKeyFile { keyFiles.append(key) }
        if let key = options["identityfile"] { keyFiles.append(key) }
        keyFiles += config?.identityFiles ?? []
        if parameters.useDefaultKeys { keyFiles += ["~/.ssh/id_ed25519", "~/.ssh/id_ecdsa", "~/.ssh/id_rsa"] }
        var authenticator = SSHAuthenticator(session: handle, user: user, address: address)
        authenticator.useAgent = parameters.useAgent && options["identityagent"]?.lowercased() != "none"
        authenticator.keyFiles = keyFiles.map(expandTilde)
        authenticator.passphrase = parameters.privateKeyPassphrase
        authenticator.password = parameters.password
        authenticator.allowPublicKey = options["pubkeyauthentication"].map(SSHArguments.isYes) ?? true
        authenticator.allowPassword = options["passwordauthentication"].map(SSHArguments.isYes) ?? true
        authenticator.allowKeyboardInteractive = (options["kbdinteractiveauthentication"]
            ?? options["challengeresponseauthentication"]).map(SSHArguments.isYes) ?? true
        try authenticator.authenticate()
        enableTCPKeepalive()
    }

    deinit {
        ssh_disconnect(handle)
        ssh_free(handle)
    }

    /// True while the transport is up.
    var isConnected: Bool { ssh_is_connected(handle) != 0 }

    /// The last libssh error text of this session.
    var lastError: String { Self.errorText(handle) }

    static func errorText(_ handle: ssh_session) -> String {
        guard let text = ssh_get_error(UnsafeMutableRawPointer(handle)) else { return "unknown error" }
        return String(cString: text)
    }

    /// The message for a transport that went away while in use.
    func lostMessage(_ detail: String? = nil) -> String {
        let reason = detail ?? lastError
        return "Failed to connect to the host via ssh: Connection to \(address) port \(port) closed" + (reason.isEmpty ? "" : ": \(reason)")
    }

    private func hostKeyChecking(_ parameters: SSHConnectionParameters, _ options: [String: String]) -> Bool {
        if let strict = options["stricthostkeychecking"]?.lowercased() {
            if strict == "no" || strict == "off" || strict == "false" { return false }
        }
        if options["userknownhostsfile"] == "/dev/null" && parameters.hostKeyChecking == false { return false }
        return parameters.hostKeyChecking
    }

    private func configure(parameters: SSHConnectionParameters, options: [String: String]) throws {
        var failures: [String] = []
        func set(_ option: ssh_options_e, _ value: String, _ name: String) {
            if value.withCString({ ssh_options_set(handle, option, $0) }) != SSH_OK { failures.append(name) }
        }
        func setInt(_ option: ssh_options_e, _ value: Int32, _ name: String) {
            var v = value
            if ssh_options_set(handle, option, &v) != SSH_OK { failures.append(name) }
        }
        var noConfig: Int32 = 0
        ssh_options_set(handle, SSH_OPTIONS_PROCESS_CONFIG, &noConfig)
        set(SSH_OPTIONS_HOST, address, "host")
        var unsignedPort = UInt32(port)
        ssh_options_set(handle, SSH_OPTIONS_PORT, &unsignedPort)
        set(SSH_OPTIONS_USER, user, "user")
        var seconds = Int(timeout.rounded(.down)), micros = Int((timeout - timeout.rounded(.down)) * 1_000_000)
        if seconds == 0 && micros == 0 { seconds = 10 }
        ssh_options_set(handle, SSH_OPTIONS_TIMEOUT, &seconds)
        ssh_options_set(handle, SSH_OPTIONS_TIMEOUT_USEC, &micros)
        setInt(SSH_OPTIONS_NODELAY, 1, "nodelay")
        let knownHosts = options["userknownhostsfile"] ?? parameters.knownHostsFile
        if let knownHosts { set(SSH_OPTIONS_KNOWNHOSTS, expandTilde(knownHosts), "UserKnownHostsFile") }
        if let global = options["globalknownhostsfile"] { set(SSH_OPTIONS_GLOBAL_KNOWNHOSTS, expandTilde(global), "GlobalKnownHostsFile") }
        if let v = options["ciphers"] {
            set(SSH_OPTIONS_CIPHERS_C_S, v, "Ciphers")
            set(SSH_OPTIONS_CIPHERS_S_C, v, "Ciphers")
        }
        if let v = options["macs"] {
            set(SSH_OPTIONS_HMAC_C_S, v, "MACs")
            set(SSH_OPTIONS_HMAC_S_C, v, "MACs")
        }
        if let v = options["kexalgorithms"] { set(SSH_OPTIONS_KEY_EXCHANGE, v, "KexAlgorithms") }
        if let v = options["hostkeyalgorithms"] { set(SSH_OPTIONS_HOSTKEYS, v, "HostKeyAlgorithms") }
        if let v = options["pubkeyacceptedkeytypes"] ?? options["pubkeyacceptedalgorithms"] {
            set(SSH_OPTIONS_PUBLICKEY_ACCEPTED_TYPES, v, "PubkeyAcceptedAlgorithms")
        }
        if let v = options["compression"] { set(SSH_OPTIONS_COMPRESSION, SSHArguments.isYes(v) ? "yes" : "no", "Compression") }
        if let v = options["proxycommand"], v.lowercased() != "none" { set(SSH_OPTIONS_PROXYCOMMAND, v, "ProxyCommand") }
        if let v = options["bindaddress"] { set(SSH_OPTIONS_BINDADDR, v, "BindAddress") }
        if let v = options["identityagent"], v.lowercased() != "none" { set(SSH_OPTIONS_IDENTITY_AGENT, expandTilde(v), "IdentityAgent") }
        if !failures.isEmpty {
            throw UnreachableError("Failed to connect to the host via ssh: invalid ssh option value for \(failures.joined(separator: ", ")): \(lastError)")
        }
    }

    private func connect() throws {
        guard ssh_connect(handle) == SSH_OK else {
            let reason = lastError
            let lower = reason.lowercased()
            if lower.contains("resolve") {
                throw UnreachableError("Failed to connect to the host via ssh: ssh: Could not resolve hostname \(address): \(reason)")
            }
            var detail = reason
            if lower.contains("timeout") || lower.contains("timed out") { detail = "Connection timed out" } else if lower.contains("refused") { detail = "Connection refused" }
            throw UnreachableError("Failed to connect to the host via ssh: ssh: connect to host \(address) port \(port): \(detail)")
        }
    }

    /// OS-level keepalive so a vanished peer is noticed even when no SSH traffic flows.
    private func enableTCPKeepalive() {
        let fd = ssh_get_fd(handle)
        guard fd >= 0 else { return }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, socklen_t(MemoryLayout<Int32>.size))
        var idle = Int32(max(1, keepaliveInterval)), count: Int32 = 3
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_KEEPIDLE, &idle, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_KEEPINTVL, &idle, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_KEEPCNT, &count, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Sends an SSH keepalive; errors surface on the next read.
    func sendKeepalive() {
        _ = ssh_send_keepalive(handle)
    }

    static func localUserName() -> String {
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "root"
    }
}
