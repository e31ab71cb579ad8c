import Foundation
import Jinja

/// How to reach one host, resolved from its variables (`ansible_connection`,
/// `ansible_host`, `ansible_port`, `ansible_user` …) and the run's options. Plain data,
/// so it can be sent to a worker process.
public struct ConnectionSpec: Sendable, Hashable, Codable {
    /// "local" or "ssh" (`paramiko` and `smart` mean ssh).
    public var type: String
    /// Inventory name of the host.
    public var host: String
    /// The address to connect to (`ansible_host`), the inventory name when unset.
    public var address: String
    /// `ansible_port`; nil uses the transport's default (22 for ssh).
    public var port: Int?
    /// `ansible_user` or `--user`; nil lets ssh choose.
    public var user: String?
    /// `ansible_ssh_private_key_file` or `--private-key`.
    public var privateKeyFile: String?
    /// `ansible_password` or the `--ask-pass` answer; never logged.
    public var password: String?
    /// Connection timeout in seconds (`ansible_timeout` or `--timeout`).
    public var timeout: Double
    /// Verify the host key against known_hosts (`host_key_checking`).
    public var hostKeyChecking: Bool
    /// `ansible_ssh_common_args`: extra ssh/scp/sftp arguments.
    public var sshCommonArgs: String?
    /// `ansible_ssh_extra_args`: extra arguments for ssh only.
    public var sshExtraArgs: String?

    /// Creates a spec from already resolved values; see `resolve` for the Ansible rules.
    public init(type: String, host: String, address: String, port: Int? = nil, user: String? = nil,
                privateKeyFile: String? = nil, password: String? = nil, timeout: Double = 10,
                hostKeyChecking: Bool = true, sshCommonArgs: String? = nil, sshExtraArgs: String? = nil) {
        self.type = type
        self.host = host
        self.address = address
        self.port = port
        self.user = user
        self.privateKeyFile = privateKeyFile
        self.password = password
        self.timeout = timeout
        self.hostKeyChecking = hostKeyChecking
        self.sshCommonArgs = sshCommonArgs
        self.sshExtraArgs = sshExtraArgs
    }

    /// Resolves the spec for `host` from its (templated) variables.
    public static func resolve(host: String, scope: VariableScope, options: ExecutionOptions,
                               playConnection: String?) throws -> ConnectionSpec {
        func string(_ names: String...) throws -> String? {
            for name in names {
                if let v = try scope.lookup(name), !v.isNull { return v.pythonString }
            }
            return nil
        }
        // Variables override play keywords, which override the command line. (The
        // implicit localhost gets `ansible_connection: local` from the inventory.)
        var type = try string("ansible_connection") ?? playConnection ?? options.connection ?? "ssh"
        if type == "paramiko" || type == "smart" || type == "ansible.builtin.ssh" || type == "ansible.builtin.paramiko_ssh" { type = "ssh" }
        if type == "ansible.builtin.local" { type = "local" }
        let port = try string("ansible_port", "ansible_ssh_port").flatMap { Int($0) }
        let timeout = try string("ansible_timeout", "ansible_ssh_timeout").flatMap { Double($0) } ?? options.timeout
        var checking = options.hostKeyChecking
        if let v = try scope.lookup("ansible_host_key_checking") ?? scope.lookup("ansible_ssh_host_key_checking"),
           let b = ArgumentSpec.boolean(v) { checking = b }
        return ConnectionSpec(
            type: type, host: host,
            address: try string("ansible_host", "ansible_ssh_host") ?? host,
            port: port,
            user: try string("ansible_user", "ansible_ssh_user") ?? options.remoteUser,
            privateKeyFile: try string("ansible_ssh_private_key_file", "ansible_private_key_file") ?? options.privateKeyFile,
            password: try string("ansible_password", "ansible_ssh_pass", "ansible_ssh_password") ?? options.connectionPassword,
            timeout: timeout, hostKeyChecking: checking,
            sshCommonArgs: try string("ansible_ssh_common_args") ?? options.sshCommonArgs,
            sshExtraArgs: try string("ansible_ssh_extra_args") ?? options.sshExtraArgs)
    }
}

/// Creates connections from specs. The SSH implementation registers itself here so the
/// executor does not depend on it directly.
public enum ConnectionFactory {
    /// Connection constructors by type ("local", "ssh"); register new types before the run starts (not synchronised).
    nonisolated(unsafe) public static var makers: [String: @Sendable (ConnectionSpec) throws -> Connection] = [
        "local": { spec in LocalConnection(hostName: spec.host) },
        "ssh": { spec in
            SSHConnection(hostName: spec.host, parameters: SSHConnectionParameters(
                host: spec.address, port: spec.port, user: spec.user, privateKeyFile: spec.privateKeyFile,
                password: spec.password, timeout: spec.timeout, sshCommonArgs: spec.sshCommonArgs,
                sshExtraArgs: spec.sshExtraArgs, hostKeyChecking: spec.hostKeyChecking))
        },
    ]

    /// Creates (but does not open) a connection for `spec`; throws `UnreachableError` for an unknown type.
    public static func make(_ spec: ConnectionSpec) throws -> Connection {
        guard let maker = makers[spec.type] else {
            throw UnreachableError("the connection plugin '\(spec.type)' was not found")
        }
        return try maker(spec)
    }
}

/// One connection per host (and spec) for the whole run, opened on first use.
public final class ConnectionCache: @unchecked Sendable {
    private let lock = NSLock()
    private var connections: [ConnectionSpec: Connection] = [:]
    /// Set by `interruptAll`: a connection made afterwards (its command was about to start
    /// when the run was cancelled) is interrupted as it is made, so nothing starts late.
    private var interrupted = false

    /// An empty cache.
    public init() {}

    /// The cached connection for `spec`, created on first use. Thread-safe; creation throws like `ConnectionFactory.make`.
    public func connection(for spec: ConnectionSpec) throws -> Connection {
        lock.lock()
        if let c = connections[spec] { lock.unlock(); return c }
        lock.unlock()
        let c = try ConnectionFactory.make(spec)
        lock.lock()
        if let existing = connections[spec] {
            lock.unlock()
            return existing
        }
        connections[spec] = c
        let lateForInterrupt = interrupted
        lock.unlock()
        if lateForInterrupt { c.interrupt() }
        return c
    }

    /// Closes every connection (end of run).
    public func closeAll() {
        lock.lock()
        let all = Array(connections.values)
        connections.removeAll()
        lock.unlock()
        // In parallel: each close waits for its host's goodbye round trip.
        let group = DispatchGroup()
        for c in all {
            group.enter()
            Thread.detachNewThread {
                c.close()
                group.leave()
            }
        }
        group.wait()
    }

    /// Interrupts the commands running on every cached connection (a cancelled run).
    public func interruptAll() {
        lock.lock()
        interrupted = true
        let all = Array(connections.values)
        lock.unlock()
        for c in all { c.interrupt() }
    }

    /// Resets every cached connection of `host` (`meta: reset_connection`); errors are ignored.
    public func reset(host: String) {
        lock.lock()
        let matching = connections.filter { $0.key.host == host }
        lock.unlock()
        for (_, c) in matching { try? c.reset() }
    }
}
