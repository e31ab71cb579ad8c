import Foundation
import Jinja

/// `raw`: the command string goes to the host's shell as is; stdout is not stripped.
public struct RawModule: RemoteModule {
    /// The module's name, "raw".
    public let name = "raw"
    /// The free-form command (`_raw_params`) and an optional `executable` shell; like
    /// Ansible's raw action, other keys are ignored.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([.init("_raw_params", required: true), .init("executable")], ignoresUnknownParameters: true)
    }

    /// Runs the string through the shell; always `changed`, fails on a non-zero rc. Throws `UnreachableError` when the connection drops.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let script = args["_raw_params"]?.stringValue ?? ""
        let result = try connection.run(CommandRequest(.shell(script), environment: invocation.environment,
                                                       become: invocation.become, timeout: invocation.timeout,
                                                       executable: args["executable"]?.stringValue))
        if result.timedOut { return TaskTimeoutError.markerResult(invocation) }
        let stdout = String(decoding: result.stdout, as: UTF8.self)
        let stderr = String(decoding: result.stderr, as: UTF8.self)
        var r = OrderedDict()
        r["changed"] = true
        r["rc"] = .int(Int(result.rc))
        r["stdout"] = .string(stdout)
        r["stderr"] = .string(stderr)
        r["stdout_lines"] = .list(CommandModule.lines(stdout))
        r["stderr_lines"] = .list(CommandModule.lines(stderr))
        if result.rc != 0 {
            r["failed"] = true
            r["msg"] = "non-zero return code"
        }
        return .dict(r)
    }
}

/// `ping`: proves the host can run modules.
public struct PingModule: RemoteModule {
    /// The module's name, "ping".
    public let name = "ping"
    /// Ping changes nothing, so it runs in check mode too.
    public var supportsCheckMode: Bool { true }
    /// `data`: the text echoed back in `ping` (default "pong"; "crash" fails on purpose).
    public var argumentSpec: ArgumentSpec { ArgumentSpec([.init("data", default: "pong")]) }

    /// Runs `echo pong` on the host to prove the shell answers, then returns `ping: data`.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let data = args["data"]?.stringValue ?? "pong"
        // ansible-core's ping raises an exception, which 2.19 reports as a module crash.
        if data == "crash" { throw ModuleFailure("Task failed: Module failed: boom") }
        // One round trip proves the shell answers.
        let r = try connection.run(CommandRequest(.shell("echo pong")))
        if r.rc != 0 { throw ModuleFailure("ping failed: \(String(decoding: r.stderr, as: UTF8.self))") }
        return ["changed": false, "ping": .string(data)]
    }
}
