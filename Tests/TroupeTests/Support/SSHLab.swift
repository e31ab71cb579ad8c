import Foundation
import XCTest
@testable import Troupe

/// A real OpenSSH server on loopback addresses for the SSH tests. Needs root (it creates
/// the `troupetest` user and a sudoers file) and /usr/sbin/sshd. Set
/// `TROUPE_SKIP_SSH_TESTS=1` to skip the SSH tests where that is impossible.
final class SSHLab {
    static let user = "troupetest"
    static let password = "Troupe-lab-pw-7"
    /// Per process, so two test runs at once do not remove each other's rules.
    static let sudoersPath = "/etc/sudoers.d/troupe-test-\(getpid())"

    let directory: String
    let port: Int
    /// Loopback addresses served by the main sshd (with SFTP).
    let hosts: [String]
    /// Served by a second sshd whose config has no `Subsystem sftp` line.
    let noSFTPHost = "127.0.0.40"
    /// Served, once ``startKeyboardInteractiveServer()`` ran, by an sshd offering only
    /// keyboard-interactive authentication.
    let keyboardInteractiveHost = "127.0.0.41"
    let clientKey: String
    /// known_hosts listing every lab host.
    let knownHosts: String
    /// A directory the test user owns, for file tests.
    let workDirectory: String
    private(set) var hostPublicKeyLine = ""
    /// Watchdog shells, each running one sshd and killing it when the test process is gone.
    private var servers: [(watchdog: pid_t, pidFile: String)] = []

    /// Starts the lab, or throws XCTSkip / a clear failure when it cannot run here.
    static func start(hostCount: Int = 5) throws -> SSHLab {
        if ProcessInfo.processInfo.environment["TROUPE_SKIP_SSH_TESTS"] == "1" {
            throw XCTSkip("TROUPE_SKIP_SSH_TESTS=1: SSH tests against a real sshd are skipped")
        }
        guard getuid() == 0 else {
            throw LabError("SSH tests need root to create the test user and start sshd (set TROUPE_SKIP_SSH_TESTS=1 to skip them)")
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd") else {
            throw LabError("SSH tests need /usr/sbin/sshd (apt-get install openssh-server), or set TROUPE_SKIP_SSH_TESTS=1 to skip them")
        }
        return try SSHLab(hostCount: hostCount)
    }

    private init(hostCount: Int) throws {
        var template = Array("/tmp/troupe-sshlab.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw LabError("mkdtemp failed") }
        directory = String(cString: made)
        chmod(directory, 0o755)
        hosts = (2..<(2 + hostCount)).map { "127.0.0.\($0)" }
        clientKey = directory + "/client_ed25519"
        knownHosts = directory + "/known_hosts"
        workDirectory = directory + "/work"
        port = try Self.freePort(addresses: hosts + [noSFTPHost, keyboardInteractiveHost])
        do {
            try Self.sh("ssh-keygen -q -t ed25519 -N '' -C troupe-lab-host -f \(directory)/host_ed25519")
            try Self.sh("ssh-keygen -q -t ed25519 -N '' -C troupe-lab-client -f \(clientKey)")
            try Self.sh("cp \(clientKey).pub \(directory)/authorized_keys")
            let hostKey = try String(contentsOfFile: directory + "/host_ed25519.pub", encoding: .utf8)
                .split(separator: " ").prefix(2).joined(separator: " ")
            hostPublicKeyLine = hostKey
            let entries = (hosts + [noSFTPHost, keyboardInteractiveHost]).map { "[\($0)]:\(port) \(hostKey)" }.joined(separator: "\n") + "\n"
            try entries.write(toFile: knownHosts, atomically: true, encoding: .utf8)
            try Self.prepareUser()
            try Self.sh("mkdir -p \(workDirectory) && chown \(Self.user): \(workDirectory) && chmod 755 \(workDirectory)")
            try Self.installSudoers()
            try Self.sh("mkdir -p /run/sshd && chmod 755 /run/sshd")
            servers.append(try startServer(name: "main", addresses: hosts, sftp: true))
            servers.append(try startServer(name: "nosftp", addresses: [noSFTPHost], sftp: false))
            for address in hosts + [noSFTPHost] { try waitForPort(address) }
        } catch {
            stop()
            throw error
        }
    }

    /// Parameters for one lab host with key authentication and strict host key checking.
    func parameters(_ host: String, password: String? = nil, key: Bool = true, timeout: Double = 5) -> SSHConnectionParameters {
        SSHConnectionParameters(host: host, port: port, user: Self.user, privateKeyFile: key ? clientKey : nil,
                                password: password, timeout: timeout, knownHostsFile: knownHosts,
                                sshConfigFile: nil, useAgent: false, useDefaultKeys: false)
    }

    /// Kills every per-connection sshd process (and what runs under it), keeping the listeners.
    func killClientConnections() {
        for server in servers {
            guard let listener = Self.listenerPid(server.pidFile) else { continue }
            for pid in Self.descendants(of: listener) { kill(pid, SIGKILL) }
        }
    }

    /// Stops the servers and removes everything the lab created except the reusable user.
    func stop() {
        for server in servers {
            let children = Self.descendants(of: server.watchdog)
            kill(server.watchdog, SIGTERM)
            for pid in children { kill(pid, SIGKILL) }
            var status: Int32 = 0
            waitpid(server.watchdog, &status, 0)
        }
        servers.removeAll()
        unlink(Self.sudoersPath)
        try? FileManager.default.removeItem(atPath: directory)
        // Shell work directories of sessions the tests killed (their EXIT trap never ran);
        // only stale ones, in case another test run is using the lab user right now.
        _ = try? Self.sh("find /tmp -maxdepth 1 -name '.troupe-shell.*' -user \(Self.user) -mmin +5 -exec rm -rf {} + ; true")
    }

    // MARK: - Setup steps

    /// Starts one more sshd on `address` that offers only keyboard-interactive
    /// authentication (through PAM, as stock Debian configures it); stopped with the lab.
    func startKeyboardInteractiveServer() throws {
        servers.append(try startServer(name: "kbdint", addresses: [keyboardInteractiveHost], sftp: true,
                                       authentication: ["UsePAM yes", "PasswordAuthentication no",
                                                        "KbdInteractiveAuthentication yes", "PubkeyAuthentication no"]))
        try waitForPort(keyboardInteractiveHost)
    }

    private func startServer(name: String, addresses: [String], sftp: Bool,
                             authentication: [String] = ["UsePAM no", "PasswordAuthentication yes",
                                                         "KbdInteractiveAuthentication no", "PubkeyAuthentication yes"])
        throws -> (watchdog: pid_t, pidFile: String) {
        let config = directory + "/sshd_\(name).conf"
        var lines = addresses.map { "ListenAddress \($0):\(port)" }
        lines += [
            "HostKey \(directory)/host_ed25519",
            "PidFile \(directory)/sshd_\(name).pid",
            "AuthorizedKeysFile \(directory)/authorized_keys",
            "StrictModes no", "PermitRootLogin no", "AllowUsers \(Self.user)", "UseDNS no",
            "MaxStartups 200:30:400", "MaxSessions 100", "LogLevel ERROR", "PrintMotd no",
        ] + authentication
        if sftp { lines.append("Subsystem sftp internal-sftp") }
        try (lines.joined(separator: "\n") + "\n").write(toFile: config, atomically: true, encoding: .utf8)
        try Self.sh("/usr/sbin/sshd -t -f \(config)")
        let log = directory + "/sshd_\(name).log"
        // The watchdog stops sshd when this test process dies without running tearDown.
        let watchdog = """
            /usr/sbin/sshd -D -e -f \(config) </dev/null >/dev/null 2>\(log) &
            s=$!
            trap 'kill $s 2>/dev/null; exit 0' TERM INT
            while kill -0 \(getpid()) 2>/dev/null && kill -0 $s 2>/dev/null; do sleep 0.5; done
            kill $s 2>/dev/null
            """
        return (try Self.spawn(["/bin/sh", "-c", watchdog]), directory + "/sshd_\(name).pid")
    }

    private func waitForPort(_ address: String) throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if Self.canConnect(address, port) { return }
            usleep(20_000)
        }
        let log = (try? String(contentsOfFile: directory + "/sshd_main.log", encoding: .utf8)) ?? ""
        throw LabError("sshd did not start listening on \(address):\(port): \(log)")
    }

    private static func prepareUser() throws {
        if (try? sh("id -u \(user) >/dev/null 2>&1")) == nil {
            try sh("useradd -m -s /bin/sh \(user)")
        }
        try sh("usermod -s /bin/sh \(user) && echo '\(user):\(password)' | chpasswd && usermod -U \(user) 2>/dev/null; true")
        // Files earlier runs may have left behind in the user's home.
        try sh("rm -rf ~\(user)/troupe-* ~\(user)/.troupe* 2>/dev/null; true")
    }

    private static func installSudoers() throws {
        let rules = """
            Defaults:\(user) !requiretty, timestamp_timeout=0, !lecture
            \(user) ALL=(root) NOPASSWD: ALL
            \(user) ALL=(nobody) ALL

            """
        let staged = sudoersPath + ".new"
        try rules.write(toFile: staged, atomically: true, encoding: .utf8)
        chmod(staged, 0o440)
        do {
            try sh("visudo -cqf \(staged) && mv -f \(staged) \(sudoersPath)")
        } catch {
            unlink(staged)
            throw error
        }
    }

    // MARK: - Helpers

    /// Runs a shell command locally; throws with its output when it fails. Uses
    /// posix_spawn and waitpid directly: Foundation's Process can miss child exits while
    /// other children (sshd) are running.
    @discardableResult
    static func sh(_ command: String) throws -> String {
        let output = NSTemporaryDirectory() + "troupe-lab-sh-\(UUID().uuidString)"
        defer { unlink(output) }
        let pid = try spawn(["/bin/sh", "-c", "exec > \(output) 2>&1 </dev/null\n" + command])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard status == 0 else { throw LabError("`\(command)` failed (status \(status)): \(text)") }
        return text
    }

    /// Starts a program and returns its pid.
    static func spawn(_ argv: [String]) throws -> pid_t {
        var pid: pid_t = 0
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        let rc = posix_spawn(&pid, argv[0], nil, nil, cArgs, environ)
        guard rc == 0 else { throw LabError("could not start \(argv[0]): \(String(cString: strerror(rc)))") }
        return pid
    }

    static func listenerPid(_ pidFile: String) -> pid_t? {
        (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    static func descendants(of root: pid_t) -> [pid_t] {
        var parents: [pid_t: [pid_t]] = [:]
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = pid_t(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let ppid = pid_t(fields[1]) { parents[ppid, default: []].append(pid) }
        }
        var result: [pid_t] = []
        var queue = parents[root] ?? []
        while let pid = queue.popLast() {
            result.append(pid)
            queue += parents[pid] ?? []
        }
        return result
    }

    static func canConnect(_ address: String, _ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, address, &addr.sin_addr)
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// A port free on every address (tried by binding), in a range unlikely to collide.
    static func freePort(addresses: [String]) throws -> Int {
        for _ in 0..<50 {
            let candidate = Int.random(in: 22000..<42000)
            let free = addresses.allSatisfy { address in
                let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                defer { close(fd) }
                var addr = sockaddr_in()
                addr.sin_family = sa_family_t(AF_INET)
                addr.sin_port = in_port_t(UInt16(candidate).bigEndian)
                inet_pton(AF_INET, address, &addr.sin_addr)
                return withUnsafePointer(to: &addr) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
                }
            }
            if free { return candidate }
        }
        throw LabError("no free port found for the SSH lab")
    }
}

/// The lab could not be set up.
struct LabError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
