import Foundation
import Jinja

/// `pip`: installs, upgrades and removes Python packages with the host's pip, optionally in
/// a virtualenv it creates. (The host's Python is what pip needs; the module itself runs no
/// Python of its own.)
public struct PipModule: RemoteModule {
    /// The module's name, `pip` (also reached as `ansible.builtin.pip`).
    public let name = "pip"
    /// Check mode is supported: installed packages are compared with `pip list`.
    public var supportsCheckMode: Bool { true }
    /// Creates the plugin (it has no state).
    public init() {}

    static let stateArguments = ["present": ["install"], "absent": ["uninstall", "-y"], "latest": ["install", "-U"],
                                 "forcereinstall": ["install", "-U", "--force-reinstall"]]

    /// Ansible's `pip` parameters.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("state", default: "present", choices: ["present", "absent", "latest", "forcereinstall"]),
            .init("name", .list, elements: .str), .init("version"), .init("requirements"), .init("virtualenv", .path),
            .init("virtualenv_site_packages", .bool, default: false), .init("virtualenv_command", .path, default: "virtualenv"),
            .init("virtualenv_python"), .init("extra_args"), .init("editable", .bool, default: false), .init("chdir", .path),
            .init("executable", .path), .init("umask"), .init("break_system_packages", .bool, default: false),
        ], mutuallyExclusive: [["name", "requirements"], ["executable", "virtualenv"]])
    }

    /// A requirement: the distribution name and an optional version specifier.
    struct Requirement {
        var text: String
        var name: String { String(text.prefix { !"<>=!~; [".contains($0) }).trimmingCharacters(in: .whitespaces) }
        var specifier: String { String(text.dropFirst(name.count)).trimmingCharacters(in: .whitespaces) }
        static func normalise(_ n: String) -> String { n.lowercased().replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: ".", with: "-") }

        /// Whether `installed` (name → version from `pip list --format=freeze`) satisfies it.
        func isSatisfied(by installed: [String: String]) -> Bool {
            guard let have = installed[Self.normalise(name)] else { return false }
            for clause in specifier.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !clause.isEmpty {
                let op = String(clause.prefix { "<>=!~".contains($0) })
                let want = String(clause.dropFirst(op.count)).trimmingCharacters(in: .whitespaces)
                let c = Self.compare(have, want)
                let ok: Bool
                switch op {
                case "==", "===": ok = want.hasSuffix(".*") ? have.hasPrefix(String(want.dropLast(2))) : c == 0
                case "!=": ok = c != 0
                case ">=": ok = c >= 0
                case "<=": ok = c <= 0
                case ">": ok = c > 0
                case "<": ok = c < 0
                case "~=": ok = c >= 0
                default: ok = true
                }
                if !ok { return false }
            }
            return true
        }

        static func compare(_ a: String, _ b: String) -> Int {
            let x = a.split(separator: ".").map { Int($0.prefix { $0.isNumber }) ?? 0 }
            let y = b.split(separator: ".").map { Int($0.prefix { $0.isNumber }) ?? 0 }
            for i in 0..<max(x.count, y.count) {
                let l = i < x.count ? x[i] : 0, r = i < y.count ? y[i] : 0
                if l != r { return l < r ? -1 : 1 }
            }
            return 0
        }
    }

    /// Installs or removes the packages (creating the virtualenv first when asked).
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        if args["name"] == nil && args["requirements"] == nil { throw ModuleFailure("one of the following is required: name, requirements") }
        let shell = SystemShell(connection, invocation)
        let state = args.string("state") ?? "present"
        let version = args.string("version")
        if state == "latest" && version != nil { throw ModuleFailure("version is incompatible with state=latest") }
        let chdir = args.string("chdir") ?? "/tmp"
        var env = args.string("virtualenv")
        if let e = env, args.string("chdir") != nil, !e.hasPrefix("/") { env = chdir + "/" + e }
        var prefix = "cd \(shellQuote(chdir)) || exit 1\n"
        if let umask = args.string("umask") {
            guard Int(umask, radix: 8) != nil else { throw ModuleFailure("umask must be an octal integer") }
            prefix += "umask \(umask)\n"
        }
        if args.flag("break_system_packages") { prefix += "PIP_BREAK_SYSTEM_PACKAGES=1; export PIP_BREAK_SYSTEM_PACKAGES\n" }
        var out = "", err = ""
        var created = false
        if let env, try !shell.script("[ -e \(shellQuote(env + "/bin/activate")) ]").succeeded {
            created = true
            if !invocation.checkMode {
                var command = PythonText.shellSplit(args.string("virtualenv_command") ?? "virtualenv")
                if args.flag("virtualenv_site_packages") { command.append("--system-site-packages") }
                if let python = args.string("virtualenv_python") {
                    if command.contains("venv") || command.first?.hasSuffix("pyvenv") == true {
                        throw ModuleFailure("virtualenv_python should not be used when using the venv module or pyvenv as virtualenv_command")
                    }
                    command += ["-p\(python)"]
                }
                let made = try shell.script(prefix + SystemShell.commandLine(command + [env]))
                out += made.stdout
                err += made.stderr
                if !made.succeeded {
                    throw ModuleFailure("Failed to create virtualenv", ["cmd": .string(command.joined(separator: " ")), "stdout": .string(made.stdout), "stderr": .string(made.stderr)])
                }
            }
        }
        let pip = try pipCommand(env: env, executable: args.string("executable"), shell: shell, checkMode: invocation.checkMode)
        var requirements = (args["name"]?.listValue?.compactMap(\.stringValue) ?? []).map { Requirement(text: $0) }
        if let version {
            if requirements.count > 1 {
                throw ModuleFailure("'version' argument is ambiguous when installing multiple package distributions. Please specify version restrictions next to each package in 'name' argument.")
            }
            if let only = requirements.first {
                if !only.specifier.isEmpty {
                    throw ModuleFailure("The 'version' argument conflicts with any version specifier provided along with a package name. Please keep the version specifier, but remove the 'version' argument.")
                }
                let op = version.first.map { "<>=!~".contains($0) } == true ? "" : "=="
                requirements = [Requirement(text: "\(only.name)\(op)\(version)")]
            }
        }
        var extra = args.string("extra_args")
        if args.flag("editable") {
            var parts = extra?.split(separator: " ").map(String.init) ?? []
            if !parts.contains("-e") { parts.append("-e") }
            extra = parts.joined(separator: " ")
        }
        var command = pip + Self.stateArguments[state]!
        if let extra { command += PythonText.shellSplit(extra) }
        if !requirements.isEmpty { command += requirements.map(\.text) } else if let file = args.string("requirements") { command += ["-r", file] }
        let listCommand = pip + ["list", "--format=freeze"]
        func installed() throws -> (String, [String: String]) {
            let listed = try shell.script(prefix + SystemShell.commandLine(listCommand))
            var map: [String: String] = [:]
            for line in PythonText.splitLines(listed.stdout) where line.contains("==") {
                let parts = line.components(separatedBy: "==")
                map[Requirement.normalise(parts[0])] = parts[1]
            }
            return (listed.stdout, map)
        }
        if invocation.checkMode {
            if extra != nil || args["requirements"] != nil || state == "latest" || requirements.isEmpty { return ["changed": true] }
            if created { return ["changed": true] }
            let (listed, map) = try installed()
            let changed = requirements.contains { r in
                let present = r.isSatisfied(by: map)
                return (state == "present" && !present) || (state == "absent" && present)
            }
            return ["changed": .bool(changed), "cmd": .string(listCommand.joined(separator: " ")), "stdout": .string(out + listed), "stderr": .string(err)]
        }
        let before = args["requirements"] != nil ? try installed().0 : nil
        let result = try shell.script(prefix + (env.map { "PATH=\(shellQuote($0 + "/bin")):$PATH; export PATH\n" } ?? "") + SystemShell.commandLine(command))
        out += result.stdout
        err += result.stderr
        if result.rc == 1 && state == "absent" && (result.stdout.contains("not installed") || result.stderr.contains("not installed")) {
        } else if result.rc != 0 {
            throw ModuleFailure("stdout: \(out)\n:stderr: \(err)", ["cmd": .string(command.joined(separator: " "))])
        }
        var changed: Bool
        if state == "absent" {
            changed = result.stdout.contains("Successfully uninstalled")
        } else if let before {
            changed = try installed().0 != before
        } else {
            changed = result.stdout.contains("Successfully installed")
        }
        changed = changed || created
        return ["changed": .bool(changed), "cmd": .list(command.map { .string($0) }), "name": args["name"] ?? .null,
                "version": version.map { .string($0) } ?? .null, "state": .string(state),
                "requirements": args["requirements"] ?? .null, "virtualenv": env.map { .string($0) } ?? .null,
                "stdout": .string(out), "stderr": .string(err)]
    }

    /// pip inside the virtualenv, else `executable`, else pip3/pip on PATH.
    private func pipCommand(env: String?, executable: String?, shell: SystemShell, checkMode: Bool) throws -> [String] {
        if let env {
            for candidate in ["pip3", "pip"] where try shell.script("[ -x \(shellQuote(env + "/bin/" + candidate)) ]").succeeded {
                return [env + "/bin/" + candidate]
            }
            if checkMode { return [env + "/bin/pip"] }
            throw ModuleFailure("Unable to find pip in the virtualenv, \(env), under any of these names: pip3, pip. Make sure pip is present in the virtualenv.")
        }
        if let executable { return [executable] }
        for candidate in ["pip3", "pip"] { if let path = try shell.which(candidate) { return [path] } }
        throw ModuleFailure("Unable to find any of pip3, pip to use.  pip needs to be installed.")
    }
}

extension PythonText {
    /// shlex.split for the simple cases module arguments use (quotes, backslashes).
    static func shellSplit(_ text: String) -> [String] { ShellWords.splitLeniently(text) }
}
