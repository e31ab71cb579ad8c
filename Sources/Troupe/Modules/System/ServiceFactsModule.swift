import Foundation
import Jinja

/// `service_facts`: the host's services as the `services` fact, from `service --status-all`
/// (SysV), OpenRC's rc-status and, when systemd runs, systemctl.
public struct ServiceFactsModule: RemoteModule {
    /// The module's name, `service_facts` (also reached as `ansible.builtin.service_facts`).
    public let name = "service_facts"
    /// Check mode is supported: the module only reads.
    public var supportsCheckMode: Bool { true }
    /// Creates the plugin (it has no state).
    public init() {}

    /// `service_facts` takes no parameters.
    public var argumentSpec: ArgumentSpec { ArgumentSpec([]) }

    /// Gathers every source, later ones overriding earlier ones (as Ansible's scanners do).
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let shell = SystemShell(connection, invocation)
        var services = OrderedDict()
        var warnings: [String] = []
        let tools = try shell.script("for t in service chkconfig initctl rc-status rc-update systemctl; do command -v $t >/dev/null 2>&1 && echo $t; done; [ -d /run/systemd/system ] && echo systemd-running; true").stdout
        let has = Set(PythonText.splitLines(tools))
        if has.contains("service") && !has.contains("chkconfig") && !has.contains("rc-status") {
            let out = try shell.script("LC_ALL=C service --status-all 2>&1")
            if out.rc != 0 && out.rc != 4 { warnings.append("Unable to query 'service' tool (\(out.rc)): ") }
            for line in PythonText.splitLines(out.stdout) {
                guard let r = line.range(of: #"^\s*\[ (\+|-) \]\s+(.+)$"#, options: .regularExpression) else { continue }
                let text = String(line[r])
                let running = text.contains("[ + ]")
                let name = text.components(separatedBy: "]").dropFirst().joined(separator: "]").trimmingCharacters(in: .whitespaces)
                services[name] = ["name": .string(name), "state": .string(running ? "running" : "stopped"), "source": "sysv"]
            }
        }
        if has.contains("rc-status") && has.contains("rc-update") && !has.contains("chkconfig") {
            let status = try shell.script("rc-status -a -s -m 2>&1 | grep '^ ' | tr -d '[]'").stdout
            let levels = try shell.script("rc-update show -v 2>&1 | grep '|'").stdout
            var runlevels: [String: Value] = [:]
            for line in PythonText.splitLines(levels) {
                let parts = line.components(separatedBy: "|")
                guard parts.count >= 2 else { continue }
                let l = PythonText.whitespaceSplit(parts[1])
                runlevels[parts[0].trimmingCharacters(in: .whitespaces)] = l.isEmpty ? .null : .list(l.map { .string($0) })
            }
            for line in PythonText.splitLines(status) {
                let f = PythonText.whitespaceSplit(line)
                guard f.count >= 2, f[0] != "*" else { continue }
                guard let levels = runlevels[f[0]] else { warnings.append("Service \(f[0]) not found in the service list"); continue }
                services[f[0]] = ["name": .string(f[0]), "runlevels": levels, "state": .string(f[1]), "source": "openrc"]
            }
        }
        if has.contains("systemd-running") && has.contains("systemctl") {
            try systemdServices(shell, into: &services, warnings: &warnings)
        }
        if services.isEmpty {
            return ["changed": false, "skipped": true, "msg": "Failed to find any services. This can be due to privileges or some other configuration issue."]
        }
        var result: OrderedDict = ["changed": false, "ansible_facts": ["services": .dict(services)]]
        if !warnings.isEmpty { result["warnings"] = .list(warnings.map { .string($0) }) }
        return .dict(result)
    }

    private func systemdServices(_ shell: SystemShell, into services: inout OrderedDict, warnings: inout [String]) throws {
        let bad: Set<String> = ["not-found", "masked", "failed"]
        let units = try shell.script("systemctl list-units --no-pager --type service --all --plain")
        if units.succeeded {
            for line in PythonText.splitLines(units.stdout) where line.contains(".service") {
                let f = PythonText.whitespaceSplit(line)
                guard f.count >= 4 else { continue }
                let status = f.dropLast().first(where: { bad.contains($0) }) ?? f[2]
                services[f[0]] = ["name": .string(f[0]), "state": .string(f[3] == "running" ? "running" : "stopped"),
                                  "status": .string(status), "source": "systemd"]
            }
        } else {
            warnings.append("Could not list units from systemd: \(units.stderr)")
        }
        let files = try shell.script("systemctl list-unit-files --no-pager --type service --all")
        guard files.succeeded else { warnings.append("Could not get unit files data from systemd: \(files.stderr)"); return }
        var missing: [(String, String)] = []
        for line in PythonText.splitLines(files.stdout) where line.contains(".service") {
            let f = PythonText.whitespaceSplit(line)
            guard f.count >= 2 else { throw ModuleFailure("Malformed output discovered from systemd list-unit-files: \(line)") }
            if var known = services[f[0]]?.dictValue {
                if !bad.contains(known["status"]?.stringValue ?? "") { known["status"] = .string(f[1]); services[f[0]] = .dict(known) }
            } else {
                missing.append((f[0], f[1]))
            }
        }
        guard !missing.isEmpty else { return }
        // One round trip for every unit file without a loaded unit.
        let script = missing.map { "printf '%s\\n' \"$(systemctl show \(shellQuote($0.0)) --property=ActiveState 2>/dev/null)\"" }.joined(separator: "\n")
        let states = PythonText.splitLines(try shell.script(script).stdout)
        for (i, (unit, status)) in missing.enumerated() {
            let raw = i < states.count ? states[i] : ""
            let state = raw.isEmpty ? "unknown" : raw.replacingOccurrences(of: "ActiveState=", with: "")
            services[unit] = ["name": .string(unit), "state": .string(state), "status": .string(status), "source": "systemd"]
        }
    }
}
