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
    /// Starts opening connections to these hosts in the background, so a play's first
    /// task does not pay every handshake inside the `forks` limit. Never blocks.
    func preconnect(_ specs: [ConnectionSpec])
    /// Terminates the commands running on hosts now (a cancelled run); their tasks fail.
    func interrupt()
    /// Kills at once every process the runner started (a run aborted by a second
    /// Ctrl-C); the runner is unusable afterwards.
    func kill()
}

extension ModuleRunner {
    /// Default: nothing runs outside the calling threads, nothing to interrupt.
    public func interrupt() {}

    /// Default: interrupting is all there is to do.
    public func kill() { interrupt() }

    /// Default: connections open on first use.
    public func preconnect(_ specs: [ConnectionSpec]) {}
}

/// Runs modules on the calling thread, with one cached connection per host.
public final class InProcessModuleRunner: ModuleRunner, @unchecked Sendable {
    let modules: ModuleRegistry
    let connections = ConnectionCache()
    let customUploads = CustomModuleUploads()

    /// A runner over `modules`; connections are cached per host spec.
    public init(modules: ModuleRegistry = .standard()) { self.modules = modules }

    /// Runs the module on the calling thread (connecting first); an unknown module gives a failed result, a lost host throws `UnreachableError`.
    private let failuresLock = NSLock()
    /// A background connect that failed: the first task on that host reports it instead
    /// of waiting for a second timeout.
    private var connectFailures: [ConnectionSpec: UnreachableError] = [:]

    /// Opens the connection for `spec` now (worker `connect` requests).
    public func connect(_ spec: ConnectionSpec) {
        do {
            try connections.connection(for: spec).connect()
        } catch {
            failuresLock.lock()
            connectFailures[spec] = (error as? UnreachableError) ?? UnreachableError(TaskErrorText.message(error))
            failuresLock.unlock()
        }
    }

    public func run(_ invocation: ModuleInvocation, spec: ConnectionSpec) throws -> Value {
        failuresLock.lock()
        let failure = connectFailures.removeValue(forKey: spec)
        failuresLock.unlock()
        if let failure { throw failure }
        if let custom = invocation.custom {
            let connection = try connections.connection(for: spec)
            try connection.connect()
            do {
                return try CustomModuleRunner(source: custom, invocation: invocation, connection: connection, spec: spec,
                                              uploads: customUploads).run()
            } catch let failure as ModuleFailure {
                return .dict(failure.result)
            }
        }
        guard let module = modules.remoteModules[invocation.module] else {
            return ["failed": true, "changed": false, "msg": .string("The module \(invocation.module) was not found in configured module paths")]
        }
        let connection = try connections.connection(for: spec)
        try connection.connect()
        guard invocation.tracesCommands else { return try module.executeReportingInvocation(invocation, connection: connection) }
        let tracing = TracingConnection(connection)
        let result = try module.executeReportingInvocation(invocation, connection: tracing)
        guard case .dict(var traced) = result else { return result }
        traced[ModuleInvocation.traceKey] = .list(tracing.trace.map { .string($0) })
        return .dict(traced)
    }

    /// Resets the host's cached connections.
    public func resetConnection(host: String) { connections.reset(host: host) }
    /// Interrupts every command running through the cached connections.
    public func interrupt() { connections.interruptAll() }
    /// Removes uploaded custom modules, then closes every cached connection.
    public func shutdown() {
        removeCustomModuleUploads()
        connections.closeAll()
    }

    /// One round trip per host that ran custom modules, all hosts at once.
    func removeCustomModuleUploads() {
        let uploads = Array(customUploads.takeDirectories())
        DispatchQueue.concurrentPerform(iterations: uploads.count) { i in
            let (spec, directory) = uploads[i]
            _ = try? connections.connection(for: spec).run(CommandRequest(.shell("rm -rf \(shellQuote(directory))")))
        }
    }
}
