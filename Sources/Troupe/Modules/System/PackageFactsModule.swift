import Foundation
import Jinja

/// `package_facts`: the installed packages as the `packages` fact, read with the host's
/// package tools (dpkg-query for apt, rpm, apk, pacman).
public struct PackageFactsModule: RemoteModule {
    /// The module's name, `package_facts` (also reached as `ansible.builtin.package_facts`).
    public let name = "package_facts"
    /// Check mode is supported: the module only reads.
    public var supportsCheckMode: Bool { true }
    /// Creates the plugin (it has no state).
    public init() {}

    static let managers = ["apt", "rpm", "apk", "pacman"]
    static let probes = ["apt": "dpkg-query", "rpm": "rpm", "apk": "apk", "pacman": "pacman"]

    /// Ansible's `package_facts` parameters.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("manager", .list, default: ["auto"], elements: .str),
            .init("strategy", default: "first", choices: ["first", "all"]),
        ])
    }

    /// Lists packages with the first (or every) available manager.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let shell = SystemShell(connection, invocation)
        var requested = args["manager"]?.listValue?.compactMap(\.stringValue) ?? ["auto"]
        if requested.contains("auto") { requested = Self.managers }
        let strategy = args.string("strategy") ?? "first"
        var packages = OrderedDict()
        var found = false
        var unsupported: [String] = []
        for manager in requested {
            guard let probe = Self.probes[manager] else { unsupported.append(manager); continue }
            guard try shell.which(probe) != nil else { continue }
            found = true
            for entry in try list(manager, shell) {
                guard let pkg = entry["name"]?.stringValue else { continue }
                var versions = packages[pkg]?.listValue ?? []
                versions.append(.dict(entry))
                packages[pkg] = .list(versions)
            }
            if strategy == "first" { break }
        }
        if !found {
            let names = (args["manager"]?.listValue?.compactMap(\.stringValue) ?? ["auto"]).joined(separator: ", ")
            let extra = unsupported.isEmpty ? "" : " (unsupported here: \(unsupported.joined(separator: ", ")))"
            throw ModuleFailure("Could not detect a supported package manager from the following list: \(Value.list(requested.map { .string($0) }).pythonString), or the required Python library is not installed. Check warnings for details.\(names.isEmpty ? "" : "")\(extra)")
        }
        var sorted = OrderedDict()
        for key in packages.keys.sorted() { sorted[key] = packages[key] }
        return ["changed": false, "ansible_facts": ["packages": .dict(sorted)]]
    }

    private func list(_ manager: String, _ shell: SystemShell) throws -> [OrderedDict] {
        let script: String
        switch manager {
        case "apt":
            script = "dpkg-query -W -f='${db:Status-Status}\\t${Package}\\t${Version}\\t${Architecture}\\t${Section}\\t${Origin}\\n'; . /etc/os-release 2>/dev/null; echo \"os=$NAME\""
        case "rpm": script = "rpm -qa --queryformat '%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\n'"
        case "apk": script = "apk info -v"
        default: script = "LC_ALL=C pacman -Q"
        }
        let out = try shell.script(script)
        guard out.succeeded else { throw ModuleFailure("Unable to list packages rc=\(out.rc) : \(out.stderr)") }
        let lines = PythonText.splitLines(out.stdout)
        switch manager {
        case "apt":
            // apt's cache reports the archive's origin; dpkg only knows it for some packages,
            // so the distribution name stands in (what Debian's own archives report).
            let distribution = lines.last { $0.hasPrefix("os=") }.map { String($0.dropFirst(3)).components(separatedBy: " ").first ?? "" } ?? ""
            return lines.compactMap { line in
                let f = line.components(separatedBy: "\t")
                guard f.count >= 6, f[0] == "installed" else { return nil }
                return ["name": .string(f[1]), "version": .string(f[2]), "arch": .string(f[3]), "category": .string(f[4]),
                        "origin": .string(f[5].isEmpty ? distribution : f[5]), "source": "apt"]
            }
        case "rpm":
            return lines.compactMap { line in
                let f = line.components(separatedBy: "\t")
                guard f.count >= 5 else { return nil }
                return ["name": .string(f[0]), "version": .string(f[2]), "release": .string(f[3]),
                        "epoch": Int(f[1]).map { .int($0) } ?? .null, "arch": .string(f[4]), "source": "rpm"]
            }
        case "apk":
            return lines.compactMap { line in
                // name-version-rN: the version starts at the last-but-one dash.
                let parts = line.components(separatedBy: "-")
                guard parts.count >= 3 else { return nil }
                return ["name": .string(parts.dropLast(2).joined(separator: "-")),
                        "version": .string(parts.suffix(2).joined(separator: "-")), "source": "apk"]
            }
        default:
            return lines.compactMap { line in
                let f = PythonText.whitespaceSplit(line)
                guard f.count >= 2 else { return nil }
                return ["name": .string(f[0]), "version": .string(f[1]), "source": "pacman"]
            }
        }
    }
}
