import Foundation
import Jinja

/// Everything a module needs to act on one host, fully templated by the controller —
/// the unit a worker process receives.
public struct ModuleInvocation: Sendable {
    public var module: String
    public var args: OrderedDict
    public var host: String
    public var checkMode: Bool
    public var diff: Bool
    public var become: BecomeSettings?
    public var environment: [String: String]
    public var timeout: Double?

    public init(module: String, args: OrderedDict, host: String, checkMode: Bool = false, diff: Bool = false,
                become: BecomeSettings? = nil, environment: [String: String] = [:], timeout: Double? = nil) {
        self.module = module
        self.args = args
        self.host = host
        self.checkMode = checkMode
        self.diff = diff
        self.become = become
        self.environment = environment
        self.timeout = timeout
    }
}

/// A module that runs against a host through its ``Connection`` (command, copy, file …).
/// Modules must be pure functions of the invocation and the host: they may run in a
/// worker process.
public protocol RemoteModule: Sendable {
    var name: String { get }
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
    public var result: OrderedDict
    public init(_ message: String, _ extra: OrderedDict = OrderedDict()) {
        var r = extra
        r["msg"] = .string(message)
        r["failed"] = true
        if r["changed"] == nil { r["changed"] = false }
        result = r
    }
}

extension RemoteModule {
    public var supportsCheckMode: Bool { false }

    /// Validates the arguments and runs the module, turning every error into a result.
    public func execute(_ invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let args: OrderedDict
        do {
            args = try argumentSpec.validate(invocation.args, module: name)
        } catch let failure as ModuleFailure {
            return .dict(failure.result)
        }
        if invocation.checkMode && !supportsCheckMode {
            return ["changed": false, "skipped": true, "msg": .string("remote module (\(name)) does not support check mode")]
        }
        do {
            return try run(args, invocation: invocation, connection: connection)
        } catch let failure as ModuleFailure {
            return .dict(failure.result)
        }
    }
}
