import Foundation
import Jinja

/// `hostname`: sets the host's current and permanent hostname with the strategy Ansible
/// picks for the platform (hostnamectl when systemd runs, else the distribution's file).
public struct HostnameModule: RemoteModule {
    /// The module's name, `hostname` (also reached as `ansible.builtin.hostname`).
    public let name = "hostname"
    /// Check mode is supported: the module reports what it would do without doing it.
    public var supportsCheckMode: Bool { true }
    /// Creates the plugin (it has no state).
    public init() {}

    static let strategies: [String: Strategy] = [
        "alpine": .alpine, "debian": .systemd, "freebsd": .unsupported, "generic": .generic, "macos": .unsupported,
        "macosx": .unsupported, "darwin": .unsupported, "openbsd": .unsupported, "openrc": .openrc, "redhat": .redhat,
        "sles": .sles, "solaris": .unsupported, "systemd": .systemd,
    ]

    /// Ansible's `hostname` parameters.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([.init("name", required: true), .init("use", choices: Self.strategies.keys.sorted().map { .string($0) })])
    }

    enum Strategy {
        case systemd, file(String), alpine, redhat, openrc, sles, generic, unsupported
        static var debianFile: Strategy { .file("/etc/hostname") }
    }

    /// Compares and sets the current and permanent names; returns the new name facts.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let shell = SystemShell(connection, invocation)
        let wanted = args.string("name") ?? ""
        let strategy = try args.string("use").map { Self.strategies[$0] ?? .unsupported } ?? detect(shell)
        let check = invocation.checkMode
        let current = try currentName(strategy, shell)
        let permanent = try permanentName(strategy, shell)
        var changed = false
        // systemd sets the permanent name first (NetworkManager complains otherwise).
        if case .systemd = strategy {
            if permanent != wanted { if !check { try setPermanent(strategy, wanted, shell) }; changed = true }
            if current != wanted { if !check { try setCurrent(strategy, wanted, shell) }; changed = true }
        } else {
            if current != wanted { if !check { try setCurrent(strategy, wanted, shell) }; changed = true }
            if try permanentName(strategy, shell) != wanted { if !check { try setPermanent(strategy, wanted, shell) }; changed = true }
        }
        let before = wanted != current ? current : permanent
        let fqdn = try shell.script("hostname -f 2>/dev/null || hostname 2>/dev/null || uname -n").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var result: OrderedDict = ["changed": .bool(changed), "name": .string(wanted)]
        result["ansible_facts"] = [
            "ansible_hostname": .string(String(wanted.split(separator: ".", omittingEmptySubsequences: false).first ?? "")),
            "ansible_nodename": .string(wanted), "ansible_fqdn": .string(fqdn),
            "ansible_domain": .string(fqdn.split(separator: ".", omittingEmptySubsequences: false).dropFirst().joined(separator: ".")),
        ]
        if changed { result["diff"] = ["after": .string("hostname = \(wanted)\n"), "before": .string("hostname = \(before)\n")] }
        return .dict(result)
    }

    private func detect(_ shell: SystemShell) throws -> Strategy {
        let probe = try shell.script("""
        [ -d /run/systemd/system ] && echo systemd
        . /etc/os-release 2>/dev/null && echo "id=$ID $ID_LIKE"
        uname -s
        """).stdout
        if probe.contains("systemd\n") { return .systemd }
        guard probe.contains("Linux") else { throw ModuleFailure("hostname module cannot be used on platform \(PythonText.splitLines(probe).last ?? "")") }
        let ids = probe.components(separatedBy: "id=").last.map(PythonText.whitespaceSplit) ?? []
        if ids.contains("alpine") { return .alpine }
        if ids.contains("gentoo") { return .openrc }
        if ids.contains(where: { $0.hasPrefix("sles") || $0.hasPrefix("opensuse") || $0 == "suse" }) { return .sles }
        if ids.contains(where: { ["rhel", "centos", "fedora", "rocky", "almalinux", "ol"].contains($0) }) { return .redhat }
        return .debianFile
    }

    private func fail(_ out: CommandOutput) -> ModuleFailure {
        ModuleFailure("Command failed rc=\(out.rc), out=\(out.stdout), err=\(out.stderr)")
    }

    private func command(_ argv: [String], _ shell: SystemShell) throws -> String {
        _ = try shell.requireProgram(argv[0])
        let out = try shell.run(argv)
        guard out.succeeded else { throw fail(out) }
        return out.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func currentName(_ strategy: Strategy, _ shell: SystemShell) throws -> String {
        switch strategy {
        case .systemd: return try command(["hostnamectl", "--transient", "status"], shell)
        default: return try permanentName(strategy, shell)
        }
    }

    private func readFile(_ path: String, _ shell: SystemShell) throws -> String? {
        let out = try shell.script("[ -f \(shellQuote(path)) ] || exit 3; cat -- \(shellQuote(path))")
        if out.rc == 3 { return nil }
        guard out.succeeded else { throw ModuleFailure("failed to read hostname: \(out.stderr.trimmingCharacters(in: .whitespacesAndNewlines))") }
        return out.stdout
    }

    private func permanentName(_ strategy: Strategy, _ shell: SystemShell) throws -> String {
        switch strategy {
        case .systemd: return try command(["hostnamectl", "--static", "status"], shell)
        case .file(let path): return try readFile(path, shell)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        case .alpine: return try permanentName(.file("/etc/hostname"), shell)
        case .sles: return try permanentName(.file("/etc/HOSTNAME"), shell)
        case .redhat:
            for line in PythonText.splitLines(try readFile("/etc/sysconfig/network", shell) ?? "") {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("HOSTNAME"), let eq = trimmed.firstIndex(of: "=") {
                    return trimmed[trimmed.index(after: eq)...].trimmingCharacters(in: .whitespaces)
                }
            }
            throw ModuleFailure("Unable to locate HOSTNAME entry in /etc/sysconfig/network")
        case .openrc:
            for line in PythonText.splitLines(try readFile("/etc/conf.d/hostname", shell) ?? "") {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("hostname=") { return String(trimmed.dropFirst(10)).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            }
            return ""
        case .generic, .unsupported:
            throw ModuleFailure("hostname module cannot be used on platform \(try shell.script("uname -s").stdout.trimmingCharacters(in: .whitespacesAndNewlines)) with this strategy")
        }
    }

    private func setCurrent(_ strategy: Strategy, _ name: String, _ shell: SystemShell) throws {
        switch strategy {
        case .systemd:
            if name.count > 64 { throw ModuleFailure("name cannot be longer than 64 characters on systemd servers, try a shorter name") }
            _ = try command(["hostnamectl", "--transient", "set-hostname", name], shell)
        case .alpine: _ = try command(["hostname", "-F", "/etc/hostname"], shell)
        default: break
        }
    }

    private func writeFile(_ path: String, _ text: String, _ shell: SystemShell) throws {
        let ops = shell.ops
        let stat = try ops.stat(path, follow: true)
        do {
            if stat.exists { try ops.write(Data(text.utf8), to: path, replacing: stat) }
            else { try ops.connection.put(Data(text.utf8), to: path, attributes: FileAttributes(mode: 0o644), become: ops.become) }
        } catch {
            throw ModuleFailure("failed to update hostname: \(error)")
        }
    }

    private func setPermanent(_ strategy: Strategy, _ name: String, _ shell: SystemShell) throws {
        switch strategy {
        case .systemd:
            if name.count > 64 { throw ModuleFailure("name cannot be longer than 64 characters on systemd servers, try a shorter name") }
            _ = try command(["hostnamectl", "--pretty", "--static", "set-hostname", name], shell)
        case .file(let path): try writeFile(path, name + "\n", shell)
        case .alpine: try writeFile("/etc/hostname", name + "\n", shell)
        case .sles: try writeFile("/etc/HOSTNAME", name + "\n", shell)
        case .redhat:
            var found = false
            var lines = TextFileEditor.lines(try readFile("/etc/sysconfig/network", shell) ?? "").map { line -> String in
                guard line.trimmingCharacters(in: .whitespaces).hasPrefix("HOSTNAME") else { return line }
                found = true
                return "HOSTNAME=\(name)\n"
            }
            if !found { lines.append("HOSTNAME=\(name)\n") }
            try writeFile("/etc/sysconfig/network", lines.joined(), shell)
        case .openrc:
            var lines = PythonText.splitLines(try readFile("/etc/conf.d/hostname", shell) ?? "").map { $0.trimmingCharacters(in: .whitespaces) }
            if let i = lines.firstIndex(where: { $0.hasPrefix("hostname=") }) { lines[i] = "hostname=\"\(name)\"" }
            try writeFile("/etc/conf.d/hostname", lines.joined(separator: "\n") + "\n", shell)
        case .generic, .unsupported: break
        }
    }
}
