import Foundation
import Jinja

/// `command` and `shell`: run a command on the host and report rc, stdout, stderr and
/// timings with Ansible's keys.
public struct CommandModule: RemoteModule {
    /// "command" or "shell", as chosen at creation.
    public let name: String
    private var usesShell: Bool { name == "shell" }
    /// Both run through Ansible's command action, which names the module `ansible.legacy.command`.
    public var parameterErrorName: String { "ansible.legacy.command" }
    /// In check mode the command is not run; `creates`/`removes` are still evaluated, as in Ansible.
    public var supportsCheckMode: Bool { true }

    /// `shell`: true runs the string through the shell (the `shell` module), false splits it into argv (`command`).
    public init(shell: Bool) { name = shell ? "shell" : "command" }

    /// Ansible's `command`/`shell` parameters (free form, `argv`, `chdir`, `creates`, `removes`, `stdin` …).
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("_raw_params"), .init("_uses_shell", .bool, default: false), .init("argv", .list, elements: .str),
            .init("chdir", .path), .init("cmd"), .init("creates", .path), .init("executable"),
            .init("expand_argument_vars", .bool, default: true), .init("removes", .path), .init("stdin"),
            .init("stdin_add_newline", .bool, default: true), .init("strip_empty_ends", .bool, default: true),
        ])
    }

    /// What to run, once the arguments are checked: either a finished result (nothing to
    /// run: `creates`/`removes`, check mode) or the request and its `cmd` value.
    enum Plan {
        case done(Value)
        case command(CommandRequest, cmd: Value, strip: Bool)
    }

    /// Runs the command and returns `rc`, `stdout`, `stderr`, `start`/`end`/`delta`; a non-zero rc fails the task.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let result = try runCommand(args, invocation: invocation, connection: connection)
        // `command` ignores `executable`, and says so as ansible-core's module does.
        guard !usesShell, let executable = args["executable"]?.stringValue, !executable.isEmpty, case .dict(var r) = result else {
            return result
        }
        let warning = "As of Ansible 2.4, the parameter 'executable' is no longer supported with the 'command' module. Not using '\(executable)'."
        r["warnings"] = .list((r["warnings"]?.listValue ?? []) + [.string(warning)])
        return .dict(r)
    }

    private func runCommand(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let (request, cmdValue, strip): (CommandRequest, Value, Bool)
        switch try plan(args, invocation: invocation, connection: connection) {
        case .done(let result): return result
        case .command(let r, let cmd, let s): (request, cmdValue, strip) = (r, cmd, s)
        }
        let start = Date()
        let result = try connection.run(request)
        let end = Date()
        if !usesShell, result.rc == 127, case .argv(let words) = request.command, result.stdout.isEmpty,
           String(decoding: result.stderr, as: UTF8.self).contains(words.first ?? "\u{0}") || result.stderr.isEmpty
            || String(decoding: result.stderr, as: UTF8.self).contains("No such file") {
            return .dict(notFound(args, words: words))
        }
        let stdout = CommandModule.text(result.stdout, strip: strip)
        let stderr = CommandModule.text(result.stderr, strip: strip)
        var r = OrderedDict()
        r["changed"] = true
        r["stdout"] = .string(stdout)
        r["stderr"] = .string(stderr)
        r["rc"] = .int(Int(result.rc))
        r["cmd"] = cmdValue
        r["start"] = .string(CommandModule.timestamp(start))
        r["end"] = .string(CommandModule.timestamp(end))
        r["delta"] = .string(CommandModule.delta(end.timeIntervalSince(start)))
        r["msg"] = ""
        r["stdout_lines"] = .list(CommandModule.lines(stdout))
        r["stderr_lines"] = .list(CommandModule.lines(stderr))
        if result.timedOut {
            return TaskTimeoutError.markerResult(invocation)
        } else if result.rc != 0 {
            r["msg"] = "non-zero return code"
            r["failed"] = true
        }
        return .dict(r)
    }

    /// Checks the arguments and decides what to run (shared by the foreground run and `async`).
    func plan(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Plan {
        let raw = args["_raw_params"]?.stringValue ?? args["cmd"]?.stringValue
        let argv = args["argv"]?.listValue?.compactMap(\.stringValue)
        // ansible-core's argument spec: exactly one of _raw_params, cmd and argv.
        let given = ["_raw_params", "cmd", "argv"].filter { args[$0] != nil && !(args[$0]!.isNull) }
        if given.count > 1 {
            throw ModuleFailure("parameters are mutually exclusive: _raw_params|cmd|argv")
        }
        if given.isEmpty {
            throw ModuleFailure("one of the following is required: _raw_params, cmd, argv")
        }
        guard raw?.trimmingCharacters(in: .whitespaces).isEmpty == false || !(argv ?? []).isEmpty else {
            throw ModuleFailure("no command given", ["rc": 256])
        }
        var remote: RemoteCommand
        let cmdValue: Value
        if usesShell {
            let script = raw ?? (argv ?? []).map(shellQuote).joined(separator: " ")
            remote = .shell(script)
            cmdValue = .string(script)
        } else if let argv {
            remote = .argv(argv)
            cmdValue = .list(argv.map(Value.string))
        } else {
            do {
                let words = try ShellWords.split(raw!)
                remote = .argv(words)
                cmdValue = .list(words.map(Value.string))
            } catch {
                throw ModuleFailure("Error executing command.", ["cmd": .string(raw!), "rc": 256])
            }
        }
        var base = OrderedDict()
        base["changed"] = false
        base["cmd"] = cmdValue
        base["delta"] = .null
        base["end"] = .null
        base["start"] = .null

        let chdir = args["chdir"]?.stringValue
        if let chdir, let problem = try CommandModule.chdirProblem(chdir, connection) {
            // ansible-core's module fails its os.chdir with this result and the OSError as cause.
            var r = base
            r["stdout"] = ""
            r["stderr"] = ""
            r["stdout_lines"] = []
            r["stderr_lines"] = []
            r["rc"] = .null
            r["msg"] = "Unable to change directory before execution."
            let cause: Value = ["event": ["msg": .string(problem)]]
            r["exception"] = ["__ansible_type": "ErrorSummary",
                              "event": ["msg": "Unable to change directory before execution", "chain": cause]]
            throw ModuleFailure("Unable to change directory before execution.", r)
        }
        if let creates = args["creates"]?.stringValue, try pathExists(creates, chdir: chdir, connection) {
            return .done(skipped(base, stdout: "skipped, since \(creates) exists", msg: "\(invocation.checkMode ? "Would" : "Did") not run command since '\(creates)' exists"))
        }
        if let removes = args["removes"]?.stringValue, try !pathExists(removes, chdir: chdir, connection) {
            return .done(skipped(base, stdout: "skipped, since \(removes) does not exist", msg: "\(invocation.checkMode ? "Would" : "Did") not run command since '\(removes)' does not exist"))
        }
        if invocation.checkMode {
            // With creates/removes ansible-core predicts the run: changed, not skipped.
            var r = skipped(base, stdout: "", msg: "Command would have run if not in check mode")
            if args["creates"] == nil && args["removes"] == nil { r["skipped"] = true } else { r["changed"] = true }
            return .done(r)
        }

        if case .argv(let words) = remote, args["expand_argument_vars"]?.boolValue ?? true {
            remote = .argv(try CommandModule.expandArguments(words, environment: invocation.environment, become: invocation.become,
                                                             connection: connection))
        }
        var stdin: Data?
        if let text = args["stdin"]?.stringValue {
            stdin = Data((text + ((args["stdin_add_newline"]?.boolValue ?? true) ? "\n" : "")).utf8)
        }
        let request = CommandRequest(remote, stdin: stdin, environment: invocation.environment, workingDirectory: chdir,
                                     become: invocation.become, timeout: invocation.timeout,
                                     executable: usesShell ? args["executable"]?.stringValue : nil)
        return .command(request, cmd: cmdValue, strip: args["strip_empty_ends"]?.boolValue ?? true)
    }

    /// The result when the program of an argv command does not exist (rc 127 from the shell).
    func notFound(_ args: OrderedDict, words: [String]) -> OrderedDict {
        ModuleFailure("Error executing command.", ["cmd": .string(args["_raw_params"]?.stringValue ?? args["cmd"]?.stringValue ?? words.joined(separator: " ")),
                                                   "rc": 2, "stdout": "", "stderr": "", "stdout_lines": [], "stderr_lines": []]).result
    }

    private func skipped(_ base: OrderedDict, stdout: String, msg: String) -> Value {
        var r = base
        r["msg"] = .string(msg)
        r["rc"] = 0
        r["stdout"] = .string(stdout)
        r["stderr"] = ""
        r["stdout_lines"] = .list(CommandModule.lines(stdout))
        r["stderr_lines"] = []
        return .dict(r)
    }

    /// Python's OSError text when `chdir` cannot be entered (missing, or not a directory); nil when it can.
    static func chdirProblem(_ chdir: String, _ connection: Connection) throws -> String? {
        guard let status = try connection.stat(chdir, followLinks: true) else {
            return "[Errno 2] No such file or directory: b'\(chdir)'"
        }
        return status.kind == .directory ? nil : "[Errno 20] Not a directory: b'\(chdir)'"
    }

    private func pathExists(_ path: String, chdir: String?, _ connection: Connection) throws -> Bool {
        var full = path
        if !path.hasPrefix("/") && !path.hasPrefix("~"), let chdir { full = chdir + "/" + path }
        if full.contains("*") || full.contains("?") || full.contains("~") {
            let r = try connection.run(CommandRequest(.shell("for f in \(full); do [ -e \"$f\" ] && exit 0; done; exit 1")))
            return r.rc == 0
        }
        return try connection.stat(full, followLinks: true) != nil
    }

    static func text(_ data: Data, strip: Bool) -> String {
        var s = String(decoding: data, as: UTF8.self)
        // Python's rstrip("\r\n"), scalar by scalar ("\r\n" is one Character in Swift).
        if strip { while let last = s.unicodeScalars.last, last == "\n" || last == "\r" { s.unicodeScalars.removeLast() } }
        return s
    }

    /// Python's `splitlines()`.
    static func lines(_ text: String) -> [Value] {
        if text.isEmpty { return [] }
        var out: [Value] = []
        text.enumerateLines { line, _ in out.append(.string(line)) }
        return out
    }

    static func timestamp(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970)
        var tmValue = tm()
        localtime_r(&t, &tmValue)
        let micros = Int((date.timeIntervalSince1970 - floor(date.timeIntervalSince1970)) * 1_000_000)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d.%06d", tmValue.tm_year + 1900, tmValue.tm_mon + 1,
                      tmValue.tm_mday, tmValue.tm_hour, tmValue.tm_min, tmValue.tm_sec, micros)
    }

    /// Python's `str(timedelta)`: `0:00:00.005297`.
    static func delta(_ seconds: Double) -> String {
        let total = max(0, seconds)
        let whole = Int(total)
        let micros = Int((total - Double(whole)) * 1_000_000)
        return String(format: "%d:%02d:%02d.%06d", whole / 3600, (whole / 60) % 60, whole % 60, micros)
    }
}
