import Foundation
import Jinja

/// `sysvinit`: controls a SysV init script (`/etc/init.d/NAME`) and its runlevel links
/// (update-rc.d or chkconfig); what the `service` action uses when `service_mgr` is sysvinit.
public struct SysvinitModule: RemoteModule {
    /// The module's name, `sysvinit` (also reached as `ansible.builtin.sysvinit`).
    public let name = "sysvinit"
    /// Check mode is supported: the module reports what it would do without doing it.
    public var supportsCheckMode: Bool { true }
    /// Creates the plugin (it has no state).
    public init() {}

    /// Ansible's `sysvinit` parameters.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("name", required: true, aliases: ["service"]), .init("state", choices: ["started", "stopped", "restarted", "reloaded"]),
            .init("enabled", .bool), .init("sleep", .int, default: 1), .init("pattern"), .init("arguments", aliases: ["args"]),
            .init("runlevels", .list, elements: .str), .init("daemonize", .bool, default: false),
        ])
    }

    /// Reconciles the runlevel links and the running state; reports per-step `status`.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        if args["state"] == nil && args["enabled"] == nil { throw ModuleFailure("one of the following is required: state, enabled") }
        let name = args.string("name") ?? ""
        let q = shellQuote(name)
        let shell = SystemShell(connection, invocation)
        let check = invocation.checkMode
        guard try shell.script("[ -x /etc/init.d/\(q) ]").succeeded else {
            throw ModuleFailure("Could not find the requested service \(name): ")
        }
        let script = "/etc/init.d/\(name)"
        let tools = try ServiceModule.findTools(name, shell)
        let updateRcd = try shell.which("update-rc.d"), chkconfig = try shell.which("chkconfig")
        let runlevels = args["runlevels"]?.listValue?.compactMap(\.stringValue)
        func isEnabled(_ level: String?) throws -> Bool {
            try shell.script("ls /etc/rc\(level.map { shellQuote($0) } ?? "?").d/S??\(q) >/dev/null 2>&1").succeeded
        }
        var running = false
        if let pattern = args.string("pattern") {
            running = try shell.script("ps auxww 2>/dev/null | grep -v grep | grep -q -- \(shellQuote(pattern))").succeeded
        } else {
            running = try ServiceModule.status(name, tools: tools, arguments: "", shell: shell) ?? false
        }
        var result: OrderedDict = ["name": .string(name), "changed": false]
        var enabledStatus: OrderedDict = ["changed": false, "rc": .null, "stdout": .null, "stderr": .null]
        if let enable = args["enabled"].flatMap(ArgumentSpec.boolean) {
            var command: [String]?
            if let runlevels {
                enabledStatus["runlevels"] = .list(runlevels.map { .string($0) })
                if try runlevels.contains(where: { try isEnabled($0) != enable }) {
                    if let updateRcd { command = [updateRcd, name, enable ? "enable" : "disable"] + runlevels }
                    else if let chkconfig { command = [chkconfig, "--level", runlevels.joined(), name, enable ? "on" : "off"] }
                    else { command = [] }
                }
            } else if try isEnabled(nil) != enable {
                if let updateRcd { command = [updateRcd, name, enable ? "defaults" : "disable"] }
                else if let chkconfig { command = [chkconfig, name, enable ? "on" : "off"] }
                else { command = [] }
            }
            if let command {
                result["changed"] = true
                enabledStatus["changed"] = true
                if !check && !command.isEmpty {
                    let out = try shell.run(command)
                    enabledStatus["rc"] = .int(out.rc)
                    enabledStatus["stdout"] = .string(out.stdout)
                    enabledStatus["stderr"] = .string(out.stderr)
                    if out.stderr.contains("illegal runlevel specified") {
                        var extra = result
                        extra["status"] = ["enabled": .dict(enabledStatus)]
                        throw ModuleFailure("Illegal runlevel specified for enable operation on service \(name)", extra)
                    }
                }
            }
        }
        var status: OrderedDict = ["enabled": .dict(enabledStatus)]
        let stateKey = args.string("state") ?? "null"
        var stateStatus: OrderedDict = ["changed": false, "rc": .null, "stdout": .null, "stderr": .null]
        if let state = args.string("state") {
            let action = state.replacingOccurrences(of: #"p?ed$"#, with: "", options: .regularExpression)
            let arguments = args.string("arguments") ?? ""
            func runme(_ verb: String) throws -> CommandOutput {
                let out = try shell.script("\(shellQuote(script)) \(verb) \(arguments) </dev/null")
                if out.rc != 0 {
                    throw ModuleFailure("Failed to \(action) service: \(name)", ["rc": .int(out.rc), "stdout": .string(out.stdout), "stderr": .string(out.stderr)])
                }
                return out
            }
            var out: CommandOutput?
            if action == "restart" || running != (action == "start") || running == (action == "stop") {
                result["changed"] = true
                stateStatus["changed"] = true
                if !check {
                    if action == "restart" {
                        for verb in ["stop", "start"] {
                            out = try runme(verb)
                            if let s = args.int("sleep"), s > 0 { Thread.sleep(forTimeInterval: Double(s)) }
                        }
                    } else {
                        out = try runme(action)
                    }
                }
            }
            if let out, !check {
                stateStatus["rc"] = .int(out.rc)
                stateStatus["stdout"] = .string(out.stdout)
                stateStatus["stderr"] = .string(out.stderr)
            }
        }
        status[stateKey] = .dict(stateStatus)
        result["status"] = .dict(status)
        return .dict(result)
    }
}
