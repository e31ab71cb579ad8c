import Foundation
import Jinja

/// The host half of `script`: `creates`/`removes`, check mode, then uploads the local
/// script to a private temporary directory and runs it there with its arguments.
public struct ScriptModule: RemoteModule {
    /// The module's name, "script".
    public let name = "script"
    /// Check mode predicts `changed` when `creates`/`removes` decide, and skips otherwise.
    public var supportsCheckMode: Bool { true }

    /// Ansible's `script` parameters plus the controller's resolved script path.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("_raw_params"), .init("chdir"), .init("cmd"), .init("creates"), .init("executable"), .init("removes"),
            .init("_troupe_local_src"), .init("_troupe_missing"),
        ], mutuallyExclusive: [["_raw_params", "cmd"]])
    }

    /// Runs the script; always `changed`, a non-zero rc fails.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        if let creates = args["creates"]?.stringValue, try connection.stat(creates, followLinks: true) != nil {
            return ["changed": false, "skipped": true, "msg": .string("\(creates) exists, matching creates option")]
        }
        if let removes = args["removes"]?.stringValue, try connection.stat(removes, followLinks: true) == nil {
            return ["changed": false, "skipped": true, "msg": .string("\(removes) does not exist, matching removes option")]
        }
        let chdir = args["chdir"]?.stringValue
        if let chdir, !chdir.hasPrefix("/") {
            throw ModuleFailure("chdir \(chdir) must be an absolute path for a Unix-aware remote node")
        }
        if let missing = args["_troupe_missing"]?.stringValue { throw ModuleFailure(missing) }
        guard let local = args["_troupe_local_src"]?.stringValue,
              let command = (args["_raw_params"] ?? args["cmd"])?.stringValue?.trimmingCharacters(in: .whitespaces),
              let script = (try? ShellWords.split(command))?.first else {
            throw ModuleFailure("one of the following is required: _raw_params, cmd")
        }
        if invocation.checkMode {
            if args["creates"] != nil || args["removes"] != nil { return ["changed": true] }
            return ["changed": false, "skipped": true, "msg": "Check mode is not supported for this task."]
        }
        let made = try connection.run(CommandRequest(.shell(
            "d=$(mktemp -d \"${TMPDIR:-/tmp}/troupe-script.XXXXXX\") && chmod 711 \"$d\" && printf '%s' \"$d\"")))
        let directory = String(decoding: made.stdout, as: UTF8.self)
        guard made.rc == 0, directory.hasPrefix("/") else {
            throw ModuleFailure("Failed to create a temporary directory on the host: \(String(decoding: made.stderr, as: UTF8.self))")
        }
        let remote = directory + "/" + (local as NSString).lastPathComponent
        try connection.putFile(local, to: remote, attributes: FileAttributes(mode: 0o755), become: nil)
        // The script's own words keep the user's quoting: only its path is replaced.
        var line = shellQuote(remote) + String(command.dropFirst(leadingWordLength(command, script)))
        if let executable = args["executable"]?.stringValue { line = executable + " " + line }
        let cleanup = "rm -rf \(shellQuote(directory))"
        let inline = invocation.become == nil
        let result = try connection.run(CommandRequest(.shell(inline ? "\(line)\nrc=$?; \(cleanup); exit $rc" : line),
                                                       environment: invocation.environment, workingDirectory: chdir,
                                                       become: invocation.become, timeout: invocation.timeout))
        if !inline { _ = try? connection.run(CommandRequest(.shell(cleanup))) }
        let stdout = String(decoding: result.stdout, as: UTF8.self)
        let stderr = String(decoding: result.stderr, as: UTF8.self)
        var r = OrderedDict()
        r["changed"] = true
        r["rc"] = .int(Int(result.rc))
        r["stdout"] = .string(stdout)
        r["stdout_lines"] = .list(CommandModule.lines(stdout))
        r["stderr"] = .string(stderr)
        r["stderr_lines"] = .list(CommandModule.lines(stderr))
        if result.timedOut {
            return TaskTimeoutError.markerResult(invocation)
        } else if result.rc != 0 {
            r["failed"] = true
            r["msg"] = "non-zero return code"
        }
        return .dict(r)
    }

    /// How many characters of `command` the first (possibly quoted) word `script` takes.
    private func leadingWordLength(_ command: String, _ script: String) -> Int {
        if command.hasPrefix(script) { return script.count }
        // A quoted script path: skip up to the first unquoted blank.
        var quote: Character?
        for (i, c) in command.enumerated() {
            if let q = quote { if c == q { quote = nil }; continue }
            if c == "'" || c == "\"" { quote = c } else if c == " " || c == "\t" { return i }
        }
        return command.count
    }
}
