import Foundation
import Jinja

/// Where remote modules run: in this process, or in worker processes that own the
/// connections. The controller always sends fully templated invocations.
public protocol ModuleRunner: AnyObject, Sendable {
    /// Runs a module on the host `spec` reaches; throws ``UnreachableError``.
    func run(_ invocation: ModuleInvocation, spec: ConnectionSpec) throws -> Value
    /// Drops the host's connection (`meta: reset_connection`).
    func resetConnection(host: String)
    /// Closes every connection and stops workers.
    func shutdown()
}

/// Runs modules on the calling thread, with one cached connection per host.
public final class InProcessModuleRunner: ModuleRunner, @unchecked Sendable {
    let modules: ModuleRegistry
    let connections = ConnectionCache()

    /// A runner over `modules`; connections are cached per host spec.
    public init(modules: ModuleRegistry = .standard()) { self.modules = modules }

    /// Runs the module on the calling thread (connecting first); an unknown module gives a failed result, a lost host throws `UnreachableError`.
    public func run(_ invocation: ModuleInvocation, spec: ConnectionSpec) throws -> Value {
        guard let module = modules.remoteModules[invocation.module] else {
            return ["failed": true, "changed": false, "msg": .string("The module \(invocation.module) was not found in configured module paths")]
        }
        let connection = try connections.connection(for: spec)
        try connection.connect()
        return try module.execute(invocation, connection: connection)
    }

    /// Resets the host's cached connections.
    public func resetConnection(host: String) { connections.reset(host: host) }
    /// Closes every cached connection.
    public func shutdown() { connections.closeAll() }
}
