import Foundation
import Jinja

/// `service` (the module the `service` action falls back to): starts, stops, restarts,
/// reloads and enables a service through whatever the host has — systemctl when systemd
/// runs, OpenRC's rc-service/rc-update, or SysV init scripts with update-rc.d, chkconfig or
/// insserv.
public struct ServiceModule: RemoteModule {
    /// The module's name, `service` (also reached as `ansible.builtin.service`).
    public let name = "service"
    /// Check mode is supported: the module reports what it would do without doing it.
    public var supportsCheckMode: Bool { true }
    /// Creates the plugin (it has no state).
    public init() {}

    /// Ansible's `service` parameters (the action's `use` is removed before the module runs).
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("name", required: true), .init("state", choices: ["started", "stopped", "reloaded", "restarted"]),
            .init("sleep", .int), .init("pattern"), .init("enabled", .bool), .init("runlevel", default: "default"),
            .init("arguments", default: "", aliases: ["args"]),
        ])
    }

    /// The tools found on the host for one service.
    struct Tools {
        var control: String?      // systemctl, rc-service or service
        var initScript: String?
        var enable: String?       // systemctl, rc-update, update-rc.d, insserv or chkconfig
        var isSystemd: Bool { control?.hasSuffix("systemctl") ?? false }
    }

    static func findTools(_ name: String, _ shell: SystemShell) throws -> Tools {
        let out = try shell.script("""
        for b in service chkconfig update-rc.d rc-service rc-update systemctl insserv; do p=$(command -v $b 2>/dev/null) && echo "$b=$p"; done
        [ -f /etc/init.d/\(shellQuote(name)) ] && echo "initscript=/etc/init.d/\(name)"
        [ -d /run/systemd/system ] && echo systemd=1; true
        """).stdout
        var found: [String: String] = [:]
        for line in PythonText.splitLines(out) {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { found[parts[0]] = parts[1] }
        }
        var tools = Tools(initScript: found["initscript"])
        if let systemctl = found["systemctl"], found["systemd"] != nil {
            tools.control = systemctl
            tools.enable = systemctl
            return tools
        }
        if let rc = found["rc-service"] {
            tools.control = rc
            tools.enable = found["rc-update"]
            return tools
        }
        if tools.initScript != nil {
            tools.enable = found["update-rc.d"] ?? found["insserv"] ?? found["chkconfig"]
        }
        if tools.enable == nil { throw ModuleFailure("Could not find the requested service \(name): host") }
        tools.control = found["service"]
        if tools.control == nil && tools.initScript == nil {
            throw ModuleFailure("cannot find 'service' binary or init script for service,  possible typo in service name?, aborting")
        }
        return tools
    }

    /// Brings the service to `state`/`enabled`; reports `name`, `state`, `enabled`, `changed`.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let name = args.string("name") ?? ""
        if args["state"] == nil && args["enabled"] == nil { throw ModuleFailure("one of the following is required: state, enabled") }
        let shell = SystemShell(connection, invocation)
        let check = invocation.checkMode
        let tools = try Self.findTools(name, shell)
        let state = args.string("state")
        let arguments = args.string("arguments") ?? ""
        var result: OrderedDict = ["name": .string(name)]
        var changed = false
        if let enable = args["enabled"].flatMap(ArgumentSpec.boolean) {
            changed = try setEnabled(enable, name: name, tools: tools, runlevel: args.string("runlevel") ?? "default", shell: shell, check: check)
            if check && changed { return ["changed": true] }
            result["enabled"] = .bool(enable)
        }
        guard let state else {
            result["changed"] = .bool(changed)
            return .dict(result)
        }
        result["state"] = .string(state)
        let running: Bool?
        if let pattern = args.string("pattern") {
            running = try shell.script("ps auxww 2>/dev/null | grep -v grep | grep -q -- \(shellQuote(pattern))").succeeded
        } else {
            running = try Self.status(name, tools: tools, arguments: arguments, shell: shell)
        }
        guard let isRunning = running else { throw ModuleFailure("failed determining service state, possible typo of service name?") }
        let needsChange = (!isRunning && (state == "reloaded" || state == "started")) || (isRunning && (state == "reloaded" || state == "stopped"))
            || state == "restarted"
        if needsChange {
            if check { return ["changed": true, "msg": "service state changed"] }
            let action: String
            switch state {
            case "started": action = "start"
            case "stopped": action = "stop"
            case "reloaded": action = isRunning ? "reload" : "start"
            default: action = "restart"
            }
            let out = try Self.control(action, name: name, tools: tools, arguments: arguments, sleep: args.int("sleep"), shell: shell)
            if out.rc != 0 && !out.stderr.contains("Job is already running") {
                throw ModuleFailure(out.stderr.isEmpty ? out.stdout : out.stderr)
            }
        }
        result["changed"] = .bool(changed || needsChange)
        result["state"] = .string(["reloaded", "restarted", "started"].contains(state) ? "started" : "stopped")
        return .dict(result)
    }

    /// Whether the service runs: systemctl's ActiveState, else the init script's `status`
    /// exit code and one-line output, read the way Ansible reads them.
    static func status(_ name: String, tools: Tools, arguments: String, shell: SystemShell) throws -> Bool? {
        if tools.isSystemd {
            let out = try shell.run([tools.control!, "show", name, "--property=ActiveState"])
            let state = out.stdout.replacingOccurrences(of: "ActiveState=", with: "").trimmingCharacters(in: .whitespacesAndNewlines)
            return state == "active" || state == "activating" || state == "reloading"
        }
        let out = try control("status", name: name, tools: tools, arguments: arguments, sleep: nil, shell: shell)
        if let rc = tools.control, rc.hasSuffix("rc-service") { return out.stdout.contains("started") }
        if [1, 2, 3, 4, 69].contains(out.rc) { return false }
        if out.stdout.filter({ $0 == "\n" }).count <= 1 {
            let clean = out.stdout.lowercased().replacingOccurrences(of: name.lowercased(), with: "")
            if clean.contains("stop") { return false }
            if clean.contains("run") { return !clean.contains("not ") }
            if clean.contains("start") && !clean.contains("not ") { return true }
            for dead in ["could not access pid file", "is dead and pid file exists", "dead but subsys locked", "dead but pid file exists"]
            where clean.contains(dead) { return false }
        }
        if out.rc == 0 { return true }
        if name == "iptables" && out.stdout.contains("ACCEPT") { return true }
        return nil
    }

    /// Runs `action` with the service tool (`service NAME action`, the init script, or
    /// systemctl/rc-service), detached from the session so daemons outlive it.
    static func control(_ action: String, name: String, tools: Tools, arguments: String, sleep: Int?, shell: SystemShell) throws -> CommandOutput {
        func one(_ verb: String) throws -> CommandOutput {
            let base: String
            if let control = tools.control {
                base = control.hasSuffix("systemctl") ? "\(shellQuote(control)) \(verb) \(shellQuote(name))" : "\(shellQuote(control)) \(shellQuote(name)) \(verb)"
            } else {
                base = "\(shellQuote(tools.initScript!)) \(verb)"
            }
            let command = arguments.isEmpty ? base : "\(base) \(arguments)"
            // setsid and closed descriptors: a started daemon must not hold the session open.
            return try shell.script("LANG=C LC_ALL=C; export LANG LC_ALL; o=$(mktemp); e=$(mktemp)\n"
                + "if command -v setsid >/dev/null 2>&1; then setsid \(command) </dev/null >\"$o\" 2>\"$e\"; else \(command) </dev/null >\"$o\" 2>\"$e\"; fi; rc=$?\n"
                + "cat \"$o\"; cat \"$e\" >&2; rm -f \"$o\" \"$e\"; exit $rc")
        }
        guard action == "restart", !(tools.control?.hasSuffix("rc-service") ?? false), !(tools.isSystemd) else { return try one(action) }
        let stop = try one("stop")
        if let sleep, sleep > 0 { Thread.sleep(forTimeInterval: Double(sleep)) }
        let start = try one("start")
        if stop.rc != 0 && start.rc == 0 { return start }
        return CommandOutput(rc: stop.rc + start.rc, stdout: stop.stdout + start.stdout, stderr: stop.stderr + start.stderr)
    }

    /// Enables or disables start at boot; returns whether that changes anything.
    private func setEnabled(_ enable: Bool, name: String, tools: Tools, runlevel: String, shell: SystemShell, check: Bool) throws -> Bool {
        guard let tool = tools.enable else { return false }
        let q = shellQuote(name)
        func fail(_ action: String, _ out: CommandOutput) -> ModuleFailure {
            out.stderr.isEmpty ? ModuleFailure("Failure for \(action) \(name): rc=\(out.rc) \(out.stdout)")
                : ModuleFailure("Error when trying to \(action) \(name): rc=\(out.rc) \(out.stderr)")
        }
        let action = enable ? "enable" : "disable"
        if tool.hasSuffix("systemctl") {
            let enabled = try shell.run([tool, "is-enabled", name]).rc == 0
            guard enabled != enable else { return false }
            if !check { let o = try shell.run([tool, action, name]); if o.rc != 0 { throw fail(action, o) } }
            return true
        }
        if tool.hasSuffix("rc-update") {
            let enabled = try shell.script("\(shellQuote(tool)) show \(shellQuote(runlevel)) 2>/dev/null | grep -q -- \" \(name) \"").succeeded
            guard enabled != enable else { return false }
            if !check {
                let o = try shell.run([tool, enable ? "add" : "delete", name, runlevel])
                if o.rc != 0 { throw fail(action, o) }
            }
            return true
        }
        if tool.hasSuffix("update-rc.d") {
            let enabled = try shell.script("ls /etc/rc?.d/S??\(q) >/dev/null 2>&1").succeeded
            guard enabled != enable else { return false }
            if !check {
                if enable, try !shell.script("ls /etc/rc?.d/K??\(q) >/dev/null 2>&1").succeeded {
                    let o = try shell.run([tool, name, "defaults"])
                    if o.rc != 0 { throw ModuleFailure(o.stderr.isEmpty ? o.stdout : o.stderr) }
                }
                let o = try shell.run([tool, name, action])
                if o.rc != 0 { throw ModuleFailure(o.stderr.isEmpty ? o.stdout : o.stderr) }
            }
            return true
        }
        if tool.hasSuffix("chkconfig") {
            let out = try shell.run([tool, "--list", name])
            let enabled = out.stdout.contains("3:on") || out.stdout.contains("\t on") || out.stdout.hasSuffix("on\n")
            guard enabled != enable else { return false }
            if !check { let o = try shell.run([tool, name, enable ? "on" : "off"]); if o.rc != 0 { throw fail(action, o) } }
            return true
        }
        // insserv: a dry run says whether anything would change.
        let dry = try shell.run(enable ? [tool, "-n", "-v", name] : [tool, "-n", "-r", "-v", name])
        let changes = PythonText.splitLines(dry.stderr).contains { $0.contains(enable ? "enable service" : "remove service") }
        guard changes, !check else { return changes }
        let o = try shell.run(enable ? [tool, name] : [tool, "-r", name])
        if o.rc != 0 || !o.stderr.isEmpty {
            throw ModuleFailure("Failed to \(enable ? "install" : "remove") service. rc: \(o.rc), out: \(o.stdout), err: \(o.stderr)")
        }
        return true
    }
}
