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
    public var address: String
    public var port: Int?
    public var user: String?
    public var privateKeyFile: String?
    public var password: String?
    public var timeout: Double
    public var hostKeyChecking: Bool
    public var sshCommonArgs: String?
    public var sshExtraArgs: String?

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
            sshCommonArgs: try string("ansible_ssh_common_args"), sshExtraArgs: try string("ansible_ssh_extra_args"))
    }
}

/// Creates connections from specs. The SSH implementation registers itself here so the
/// executor does not depend on it directly.
public enum ConnectionFactory {
    nonisolated(unsafe) public static var makers: [String: @Sendable (ConnectionSpec) throws -> Connection] = [
        "local": { spec in LocalConnection(hostName: spec.host) },
        "ssh": { spec in
            SSHConnection(hostName: spec.host, parameters: SSHConnectionParameters(
                host: spec.address, port: spec.port, user: spec.user, privateKeyFile: spec.privateKeyFile,
                password: spec.password, timeout: spec.timeout, sshCommonArgs: spec.sshCommonArgs,
                sshExtraArgs: spec.sshExtraArgs, hostKeyChecking: spec.hostKeyChecking))
        },
    ]

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

    public init() {}

    public func connection(for spec: ConnectionSpec) throws -> Connection {
        lock.lock()
        if let c = connections[spec] { lock.unlock(); return c }
        lock.unlock()
        let c = try ConnectionFactory.make(spec)
        lock.lock()
        defer { lock.unlock() }
        if let existing = connections[spec] { return existing }
        connections[spec] = c
        return c
    }

    /// Closes every connection (end of run).
    public func closeAll() {
        lock.lock()
        let all = Array(connections.values)
        connections.removeAll()
        lock.unlock()
        for c in all { c.close() }
    }

    public func reset(host: String) {
        lock.lock()
        let matching = connections.filter { $0.key.host == host }
        lock.unlock()
        for (_, c) in matching { try? c.reset() }
    }
}
