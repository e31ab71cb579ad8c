import Foundation
import Jinja

/// `systemd_service` (also `systemd`): controls a unit with systemctl — state, enabled,
/// masked, daemon-reload/reexec — and reports `systemctl show` as `status`.
public struct SystemdModule: RemoteModule {
    /// `systemd` or `systemd_service` (both reach this module).
    public let name: String
    /// Check mode is supported: the module reports what it would do without doing it.
    public var supportsCheckMode: Bool { true }
    /// Creates the module under one of its two names.
    public init(name: String = "systemd_service") { self.name = name }

    /// Ansible's `systemd_service` parameters.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("name", aliases: ["service", "unit"]), .init("state", choices: ["reloaded", "restarted", "started", "stopped"]),
            .init("enabled", .bool), .init("force", .bool), .init("masked", .bool),
            .init("daemon_reload", .bool, default: false, aliases: ["daemon-reload"]),
            .init("daemon_reexec", .bool, default: false, aliases: ["daemon-reexec"]),
            .init("scope", default: "system", choices: ["system", "user", "global"]), .init("no_block", .bool, default: false),
        ])
    }

    /// `systemctl show` output as a dict; `{ … }` values may span lines (Exec* properties).
    static func parseShow(_ text: String) -> OrderedDict {
        var parsed = OrderedDict()
        var multiKey: String?
        var multiValue: [String] = []
        for line in text.components(separatedBy: "\n") {
            if let key = multiKey {
                multiValue.append(line)
                if line.trimmingCharacters(in: .whitespaces).hasSuffix("}") {
                    parsed[key] = .string(multiValue.joined(separator: "\n"))
                    multiKey = nil
                }
                continue
            }
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<eq]), value = String(line[line.index(after: eq)...])
            if value.hasPrefix("{") && !value.trimmingCharacters(in: .whitespaces).hasSuffix("}") {
                multiKey = key
                multiValue = [value]
            } else {
                parsed[key] = .string(value.trimmingCharacters(in: .whitespaces))
            }
        }
        return parsed
    }

    /// Compares the unit with the request and runs the systemctl commands that reconcile them.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let unit = args.string("name")
        let wanted = ["state", "enabled", "masked"].filter { args[$0] != nil }
        if wanted.isEmpty && !args.flag("daemon_reload") && !args.flag("daemon_reexec") {
            throw ModuleFailure("one of the following is required: state, enabled, masked, daemon_reload, daemon_reexec")
        }
        if unit == nil, let first = wanted.first {
            throw ModuleFailure("missing parameter(s) required by '\(first)': name")
        }
        if let unit, let glob = ["*", "?", "["].first(where: { unit.contains($0) }) {
            throw ModuleFailure("This module does not currently support using glob patterns, found '\(glob)' in service name: \(unit)")
        }
        let shell = SystemShell(connection, invocation)
        _ = try shell.requireProgram("systemctl")
        var systemctl = "systemctl"
        if let scope = args.string("scope"), scope != "system" { systemctl += " --\(scope)" }
        if args.flag("no_block") { systemctl += " --no-block" }
        if args.flag("force") { systemctl += " --force" }
        let check = invocation.checkMode
        var warnings: [String] = []
        func run(_ command: String) throws -> CommandOutput {
            try shell.script("[ -n \"$XDG_RUNTIME_DIR\" ] || XDG_RUNTIME_DIR=/run/user/$(id -u); export XDG_RUNTIME_DIR\n" + command)
        }
        for (flag, verb) in [("daemon_reload", "daemon-reload"), ("daemon_reexec", "daemon-reexec")] where args.flag(flag) && !check {
            let out = try run("\(systemctl) \(verb)")
            if out.rc != 0 { throw ModuleFailure("failure \(out.rc) during \(verb): \(out.stderr)") }
        }
        var result: OrderedDict = ["name": unit.map { .string($0) } ?? .null, "changed": false, "status": .dict([:])]
        guard let unit else { return .dict(result) }
        let q = shellQuote(unit)
        let initScript = try shell.script("[ -x /etc/init.d/\(q) ]").succeeded
        var isSystemd = false
        var status = OrderedDict()
        let show = try run("\(systemctl) show \(q)")
        let ignored = { (s: String) in s.contains("Request was ignored") }
        if show.rc == 0 && !ignored(show.stdout) && !ignored(show.stderr) {
            if !show.stdout.isEmpty {
                status = Self.parseShow(show.stdout)
                let load = status["LoadState"]?.stringValue
                isSystemd = load != nil && load != "not-found"
                if isSystemd && load != "masked", let error = status["LoadError"]?.stringValue {
                    throw ModuleFailure("Error loading unit file '\(unit)': \(error)")
                }
            }
        } else {
            let valid: Set<String> = ["enabled", "enabled-runtime", "linked", "linked-runtime", "masked", "masked-runtime", "static",
                                      "indirect", "disabled", "generated", "transient"]
            if valid.contains(try run("\(systemctl) is-enabled \(q)").stdout.trimmingCharacters(in: .whitespacesAndNewlines)) {
                isSystemd = true
            } else if try run("\(systemctl) list-unit-files \(q)").succeeded {
                isSystemd = true
            }
        }
        result["status"] = .dict(status)
        let found = isSystemd || initScript
        if initScript && !isSystemd { warnings.append("The service (\(unit)) is actually an init script but the system is managed by systemd") }
        let missing = ModuleFailure("Could not find the requested service \(unit): host")

        if let masked = args["masked"].flatMap(ArgumentSpec.boolean) {
            let current = try run("\(systemctl) is-enabled \(q)").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "masked"
            if current != masked {
                result["changed"] = true
                let action = masked ? "mask" : "unmask"
                if !check {
                    let out = try run("\(systemctl) \(action) \(q)")
                    if out.rc != 0 {
                        if !found { throw missing }
                        throw ModuleFailure("Failed to \(action) the service (\(unit)): \(out.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
                    }
                }
            }
        }
        if let enable = args["enabled"].flatMap(ArgumentSpec.boolean) {
            if !found { throw missing }
            let out = try run("\(systemctl) is-enabled \(q) -l")
            var enabled = false
            if out.rc == 0 {
                enabled = !["enabled-runtime", "indirect", "alias"].contains(out.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            } else if out.rc == 1, args.string("scope") == "system", initScript,
                      !out.stdout.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("disabled") {
                enabled = try shell.script("ls /etc/rc?.d/S??\(q) >/dev/null 2>&1").succeeded
            }
            result["enabled"] = .bool(enabled)
            if enabled != enable {
                result["changed"] = true
                let action = enable ? "enable" : "disable"
                if !check {
                    let o = try run("\(systemctl) \(action) \(q)")
                    if o.rc != 0 { throw ModuleFailure("Unable to \(action) service \(unit): \(o.stdout + o.stderr)") }
                }
                result["enabled"] = .bool(!enabled)
            }
        }
        if let state = args.string("state") {
            if !found { throw missing }
            result["state"] = .string(state)
            guard let active = status["ActiveState"]?.stringValue else {
                throw ModuleFailure("Service is in unknown state", ["status": .dict(status)])
            }
            let running = active == "active" || active == "activating"
            var action: String?
            switch state {
            case "started": if !running { action = "start" }
            case "stopped": if running || active == "deactivating" { action = "stop" }
            default:
                action = running ? String(state.dropLast(2)) : "start"
                result["state"] = "started"
            }
            if let action {
                result["changed"] = true
                if !check {
                    let o = try run("\(systemctl) \(action) \(q)")
                    if o.rc != 0 { throw ModuleFailure("Unable to \(action) service \(unit): \(o.stderr)") }
                }
            }
        }
        if !warnings.isEmpty { result["warnings"] = .list(warnings.map { .string($0) }) }
        return .dict(result)
    }
}
