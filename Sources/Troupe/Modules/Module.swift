import Foundation
import Jinja

/// Everything a module needs to act on one host, fully templated by the controller —
/// the unit a worker process receives.
public struct ModuleInvocation: Sendable {
    /// The module's short name, e.g. "copy".
    public var module: String
    /// The templated task arguments, not yet validated against the module's spec.
    public var args: OrderedDict
    /// Inventory name of the target host.
    public var host: String
    /// Run in check mode: predict, don't change.
    public var checkMode: Bool
    /// Return a `diff` in the result when the module supports it.
    public var diff: Bool
    /// Privilege escalation for the module's commands; nil runs as the connection user.
    public var become: BecomeSettings?
    /// The task's `environment:` for the module's commands.
    public var environment: [String: String]
    /// The task's `timeout:` in seconds, applied to the module's commands; nil: none.
    public var timeout: Double?
    /// `async:`: start the module as a background job on the host and return its job id
    /// at once; nil runs it to completion.
    public var asyncJob: AsyncJobOptions?
    /// For a custom module from a library directory: its file, shipped to the worker; nil for builtins.
    public var custom: CustomModuleSource?
    /// Write down what goes to the host (`-vvv`'s `<host> EXEC …` lines); the result then
    /// carries them under ``ModuleInvocation/traceKey``.
    public var tracesCommands = false
    /// The result key holding the `-vvv` lines of a traced run; removed before anyone sees the result.
    public static let traceKey = "_troupe_connection_trace"

    /// Creates an invocation; only `module`, `args` and `host` are required.
    public init(module: String, args: OrderedDict, host: String, checkMode: Bool = false, diff: Bool = false,
                become: BecomeSettings? = nil, environment: [String: String] = [:], timeout: Double? = nil,
                asyncJob: AsyncJobOptions? = nil, custom: CustomModuleSource? = nil) {
        self.module = module
        self.args = args
        self.host = host
        self.checkMode = checkMode
        self.diff = diff
        self.become = become
        self.environment = environment
        self.timeout = timeout
        self.asyncJob = asyncJob
        self.custom = custom
    }
}

/// A module that runs against a host through its ``Connection`` (command, copy, file …).
/// Modules must be pure functions of the invocation and the host: they may run in a
/// worker process.
public protocol RemoteModule: Sendable {
    /// The module's short name, e.g. "copy"; FQCNs resolve to it.
    var name: String { get }
    /// The module name argument errors give ("Unsupported parameters for (X) module"):
    /// `ansible.legacy.X` for modules Ansible runs through an action plugin.
    var parameterErrorName: String { get }
    /// The `msg` of the skipped result in check mode when the module cannot predict.
    var checkModeSkipMessage: String { get }
    /// The accepted arguments, their types, defaults and aliases (Ansible's `argument_spec`).
    var argumentSpec: ArgumentSpec { get }
    /// Whether the module can predict its result in check mode. Modules that cannot are
    /// skipped in check mode, as Ansible does.
    var supportsCheckMode: Bool { get }
    /// Runs with validated arguments (defaults filled in); returns the result dict.
    func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value
}

/// A failure a module reports as its result (`failed: true` with `msg`), rather than an
/// error of Troupe itself.
public struct ModuleFailure: Error, Sendable {
    /// The result dict the task reports (`failed: true`, `msg`, `changed` plus extras).
    public var result: OrderedDict
    /// A failure with `msg`; `extra` keys (e.g. `rc`, `stdout`) are kept, `changed` defaults to false.
    public init(_ message: String, _ extra: OrderedDict = OrderedDict()) {
        var r = extra
        r["msg"] = .string(message)
        r["failed"] = true
        if r["changed"] == nil { r["changed"] = false }
        result = r
    }
}

extension RemoteModule {
    /// Default: the module's own name.
    public var parameterErrorName: String { name }

    /// Default: Ansible's wording for a module that does not support check mode.
    public var checkModeSkipMessage: String { "remote module (\(name)) does not support check mode" }

    /// Default: the module does not support check mode and is skipped there.
    public var supportsCheckMode: Bool { false }

    /// Validates the arguments and runs the module, turning every error into a result.
    public func execute(_ invocation: ModuleInvocation, connection: Connection) throws -> Value {
        try validatedRun(invocation, connection: connection).result
    }

    /// ``execute(_:connection:)``'s result as Ansible's modules report it: with what the
    /// module ran with (`invocation.module_args`, shown from -vvv on and kept in registered
    /// loop results). Not for an async start, nor for arguments the module refused.
    func executeReportingInvocation(_ invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let (result, args) = try validatedRun(invocation, connection: connection)
        guard let args, invocation.asyncJob == nil, case .dict(var reported) = result, reported["invocation"] == nil else {
            return result
        }
        reported["invocation"] = ["module_args": .dict(argumentSpec.invocationArguments(validated: args, given: invocation.args))]
        return .dict(reported)
    }

    /// The result, and the validated arguments (nil when the module refused them).
    private func validatedRun(_ invocation: ModuleInvocation, connection: Connection) throws -> (result: Value, args: OrderedDict?) {
        let args: OrderedDict
        do {
            args = try argumentSpec.validate(invocation.args, module: parameterErrorName)
        } catch let failure as ModuleFailure {
            return (.dict(failure.result), nil)
        }
        if invocation.checkMode && !supportsCheckMode {
            return (["changed": false, "skipped": true, "msg": .string(checkModeSkipMessage)], args)
        }
        do {
            if let options = invocation.asyncJob {
                return (try AsyncJob.start(self, args: args, invocation: invocation, options: options, connection: connection), args)
            }
            return (try run(args, invocation: invocation, connection: connection), args)
        } catch let failure as ModuleFailure {
            return (.dict(failure.result), args)
        }
    }
}
