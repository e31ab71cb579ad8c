import Foundation
import Jinja

/// Remembers, per host connection, the remote directory custom modules were uploaded to,
/// which module files are there and the discovered Python, so each module is uploaded
/// once per host and each later task costs one round trip.
public final class CustomModuleUploads: @unchecked Sendable {
    private let lock = NSLock()
    private var directories: [ConnectionSpec: String] = [:]
    private var files: Set<String> = []
    private var pythons: [ConnectionSpec: String] = [:]

    /// An empty cache.
    public init() {}

    func directory(_ spec: ConnectionSpec, create: () throws -> String) throws -> String {
        lock.lock()
        if let d = directories[spec] { lock.unlock(); return d }
        lock.unlock()
        let made = try create()
        lock.lock()
        defer { lock.unlock() }
        directories[spec] = made
        return made
    }

    func isUploaded(_ path: String, _ spec: ConnectionSpec) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return files.contains("\(spec.host)\u{0}\(path)")
    }

    func markUploaded(_ path: String, _ spec: ConnectionSpec) {
        lock.lock()
        defer { lock.unlock() }
        files.insert("\(spec.host)\u{0}\(path)")
    }

    func python(_ spec: ConnectionSpec) -> String? {
        lock.lock()
        defer { lock.unlock() }
        return pythons[spec]
    }

    func setPython(_ path: String, _ spec: ConnectionSpec) {
        lock.lock()
        defer { lock.unlock() }
        pythons[spec] = path
    }

    /// Every upload directory, for removal at the end of the run.
    func takeDirectories() -> [ConnectionSpec: String] {
        lock.lock()
        defer { lock.unlock() }
        let all = directories
        directories.removeAll()
        files.removeAll()
        return all
    }
}

/// Runs one custom module on a host with Ansible's module protocol.
struct CustomModuleRunner {
    let source: CustomModuleSource
    let invocation: ModuleInvocation
    let connection: Connection
    let spec: ConnectionSpec
    let uploads: CustomModuleUploads

    /// ansible-core's Python discovery order (`INTERPRETER_PYTHON_FALLBACK`).
    static let pythonFallback = ["python3.13", "python3.12", "python3.11", "python3.10", "python3.9",
                                 "python3.8", "/usr/bin/python3", "python3"]

    func run() throws -> Value {
        let style = source.style
        if style != .binary && style != .payload && source.shebang == nil {
            return .dict(ModuleFailure("module (\(source.name)) is missing interpreter line").result)
        }
        var discovered: String?
        var python: String?
        if style == .newPython || style == .payload || source.shebangIsPython {
            if let configured = source.pythonInterpreter, !configured.isEmpty, !configured.hasPrefix("auto") {
                python = configured
            } else {
                python = try discoverPython()
                discovered = python
            }
        }
        let directory = try uploads.directory(spec) {
            let r = try connection.run(CommandRequest(.shell(
                "d=$(mktemp -d \"${TMPDIR:-/tmp}/troupe-modules.XXXXXX\") && chmod 711 \"$d\" && printf '%s' \"$d\"")))
            let path = String(decoding: r.stdout, as: UTF8.self)
            guard r.rc == 0, path.hasPrefix("/") else {
                throw ModuleFailure("Failed to create a temporary directory for modules on the host: \(String(decoding: r.stderr, as: UTF8.self))")
            }
            return path
        }
        let args = moduleArguments(style)
        var moduleData = source.data
        if style == .jsonArgs {
            let json = Value.dict(args).jsonString
            moduleData = Data(String(decoding: moduleData, as: UTF8.self)
                .replacingOccurrences(of: "<<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>", with: json).utf8)
        }
        let remotePath = directory + "/" + source.name + "-" + String(SHA1.hex(moduleData).prefix(16)) + (style == .payload ? ".zip" : "")
        if !uploads.isUploaded(remotePath, spec) {
            try connection.put(moduleData, to: remotePath, attributes: FileAttributes(mode: 0o755), become: nil)
            uploads.markUploaded(remotePath, spec)
        }

        var interpreter: [String] = []
        if style != .binary, var words = source.shebang {
            if let python, source.shebangIsPython || style == .newPython { words = [python] }
            interpreter = words
        }
        if style == .newPython || style == .payload, let python { interpreter = [python] }
        let program = (interpreter + [remotePath]).map(shellQuote).joined(separator: " ")
        let script: String
        let stdin: Data?
        switch style {
        case .newPython, .payload:
            script = program
            stdin = Data(Value.dict(["ANSIBLE_MODULE_ARGS": .dict(args)]).jsonString.utf8)
        case .jsonArgs:
            script = program
            stdin = nil
        case .old, .wantJSON, .binary:
            // The arguments file is written by the user that runs the module, readable only by it.
            script = "a=$(umask 077 && mktemp \"${TMPDIR:-/tmp}/troupe-args.XXXXXX\") || exit 1; cat > \"$a\"; \(program) \"$a\"; rc=$?; rm -f \"$a\"; exit $rc"
            stdin = Data((style == .old ? CustomModuleRunner.keyValueArguments(args) : Value.dict(args).jsonString).utf8)
        }
        let result = try connection.run(CommandRequest(.shell(script), stdin: stdin, environment: invocation.environment,
                                                       become: invocation.become, timeout: invocation.timeout))
        let stdout = String(decoding: result.stdout, as: UTF8.self)
        let stderr = String(decoding: result.stderr, as: UTF8.self)
        if style == .newPython, result.rc != 0, stderr.contains("No module named 'ansible'") {
            var failure = ModuleFailure("The custom module \(source.name) imports ansible.module_utils, which the host's Python (\(python ?? "python3")) cannot import: install ansible-core for that interpreter or set ansible_python_interpreter to one that has it",
                                        ["module_stdout": .string(stdout), "module_stderr": .string(stderr), "rc": .int(Int(result.rc))]).result
            if let discovered {
                failure["ansible_facts"] = ["discovered_interpreter_python": .string(discovered)]
                failure["warnings"] = [.string(CustomModuleRunner.discoveryWarning(host: invocation.host, python: discovered))]
            }
            return .dict(failure)
        }
        if result.timedOut { return TaskTimeoutError.markerResult(invocation) }
        var data = ModuleOutput.result(stdout: stdout, stderr: stderr, rc: Int(result.rc),
                                       interpreter: interpreter.first.map { $0 == "/usr/bin/env" && interpreter.count > 1 ? interpreter[1] : $0 })
        if let discovered {
            var facts = data["ansible_facts"]?.dictValue ?? OrderedDict()
            facts["discovered_interpreter_python"] = .string(discovered)
            data["ansible_facts"] = .dict(facts)
            data["warnings"] = .list([.string(CustomModuleRunner.discoveryWarning(host: invocation.host, python: discovered))]
                                     + (data["warnings"]?.listValue ?? []))
        }
        if style == .jsonArgs { _ = try? connection.run(CommandRequest(.shell("rm -f \(shellQuote(remotePath))"))) }
        return .dict(data)
    }

    /// The arguments the module sees: the task's, plus Ansible's internal `_ansible_*`
    /// settings for modules that read them (AnsibleModule, old-style `k=v`).
    private func moduleArguments(_ style: CustomModuleSource.Style) -> OrderedDict {
        var args = OrderedDict()
        for (k, v) in invocation.args where !k.hasPrefix("_ansible_") { args[k] = v }
        guard style == .newPython || style == .payload || style == .old || style == .jsonArgs else { return args }
        args["_ansible_check_mode"] = .bool(invocation.checkMode)
        args["_ansible_no_log"] = .bool(source.noLog)
        args["_ansible_debug"] = false
        args["_ansible_diff"] = .bool(invocation.diff)
        args["_ansible_verbosity"] = .int(source.verbosity)
        args["_ansible_version"] = "2.19.14"
        args["_ansible_module_name"] = .string(source.name)
        args["_ansible_syslog_facility"] = "LOG_USER"
        args["_ansible_selinux_special_fs"] = ["fuse", "nfs", "vboxsf", "ramfs", "9p", "vfat"]
        args["_ansible_socket"] = .null
        args["_ansible_shell_executable"] = "/bin/sh"
        args["_ansible_keep_remote_files"] = false
        args["_ansible_tmpdir"] = .null
        args["_ansible_remote_tmp"] = "~/.ansible/tmp"
        args["_ansible_ignore_unknown_opts"] = false
        args["_ansible_target_log_info"] = .null
        args["_ansible_tracebacks_for"] = []
        return args
    }

    /// ansible-core's warning when a host's Python was discovered rather than configured.
    static func discoveryWarning(host: String, python: String) -> String {
        "Host '\(host)' is using the discovered Python interpreter at '\(python)', but future installation of another Python interpreter could cause a different interpreter to be discovered. See https://docs.ansible.com/ansible-core/2.19/reference_appendices/interpreter_discovery.html for more information."
    }

    /// Old-style arguments: `key=shell-quoted str(value)`, each followed by a space.
    static func keyValueArguments(_ args: OrderedDict) -> String {
        args.map { "\($0.key)=\(shellQuote($0.value.isNull ? "None" : $0.value.pythonString)) " }.joined()
    }

    private func discoverPython() throws -> String {
        if let known = uploads.python(spec) { return known }
        let candidates = CustomModuleRunner.pythonFallback.map(shellQuote).joined(separator: " ")
        let r = try connection.run(CommandRequest(.shell("for p in \(candidates); do command -v \"$p\" && exit 0; done; exit 1")))
        let found = String(decoding: r.stdout, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        guard r.rc == 0, !found.isEmpty else {
            throw ModuleFailure("No Python interpreter was found on the host (tried \(CustomModuleRunner.pythonFallback.joined(separator: ", "))); set ansible_python_interpreter")
        }
        uploads.setPython(found, spec)
        return found
    }
}
