import Foundation
import Jinja

/// `async_status`: reads (or, with `mode: cleanup`, removes) an async job's results file
/// through the connection, in one round trip, and reports it with ansible-core's keys
/// (`started`, `finished`, `ansible_job_id`, `results_file`/`erased`, the module's result).
public struct AsyncStatusModule: RemoteModule {
    public let name = "async_status"
    public var supportsCheckMode: Bool { true }

    public init() {}

    /// `jid`, `mode` (status or cleanup) and the job directory the controller passes.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("jid", .str, required: true),
            .init("mode", .str, default: "status", choices: ["status", "cleanup"]),
            .init("_async_dir", .str, default: .string(AsyncJobOptions.defaultDirectory)),
        ])
    }

    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let jid = args["jid"]?.pythonString ?? ""
        let cleanup = args["mode"]?.stringValue == "cleanup"
        let directory = args["_async_dir"]?.stringValue ?? AsyncJobOptions.defaultDirectory
        let script = """
            f=\(AsyncJobScript.directoryWord(directory))/\(shellQuote(jid))
            printf '%s\\n' "$f"
            if [ ! -e "$f" ]; then echo missing; exit 0; fi
            \(cleanup ? "rm -f \"$f\" && echo erased" : "echo data; cat \"$f\"")
            """
        let output = try connection.run(CommandRequest(.shell(script), environment: invocation.environment, become: invocation.become))
        let text = String(decoding: output.stdout, as: UTF8.self)
        let parts = text.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard output.rc == 0, parts.count >= 2 else {
            let detail = String(decoding: output.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw ModuleFailure("could not read the job status" + (detail.isEmpty ? "" : ": " + detail), ["ansible_job_id": .string(jid)])
        }
        return .dict(Self.report(jid: jid, path: parts[0], state: parts[1], data: parts.count > 2 ? parts[2] : "", cleanup: cleanup))
    }

    /// The action's defaults, overlaid with what the module found, as ansible-core merges them.
    static func report(jid: String, path: String, state: String, data: String, cleanup: Bool) -> OrderedDict {
        var r = OrderedDict()
        r["started"] = false
        r["finished"] = false
        r["stdout"] = ""
        r["stderr"] = ""
        r["stdout_lines"] = []
        r["stderr_lines"] = []
        r["ansible_job_id"] = .string(jid)
        if cleanup {
            r["erased"] = .string(path)
        } else {
            r["results_file"] = .string(path)
            r["started"] = true
        }
        var found = OrderedDict()
        switch state {
        case "missing":
            found = ["failed": true, "msg": "could not find job", "ansible_job_id": .string(jid), "started": true, "finished": true]
        case "erased":
            found = ["ansible_job_id": .string(jid), "erased": .string(path)]
        default:
            if data.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                // Not written yet: the job is running.
                found = ["results_file": .string(path), "ansible_job_id": .string(jid), "started": true, "finished": false]
            } else if let parsed = (try? Value.parseJSON(data))?.dictValue {
                found = parsed
                if found["started"] == nil {
                    found["finished"] = true
                    found["ansible_job_id"] = .string(jid)
                } else if found["finished"] == nil {
                    found["finished"] = false
                }
                for (text, lines) in [("stdout", "stdout_lines"), ("stderr", "stderr_lines")] where found[text] != nil && found[lines] == nil {
                    found[lines] = .list(CommandModule.lines(found[text]?.stringValue ?? ""))
                }
            } else {
                found = ["failed": true, "ansible_job_id": .string(jid), "results_file": .string(path),
                         "msg": .string("Could not parse job output: \(data)"), "started": true, "finished": true]
            }
        }
        for (k, v) in found { r[k] = v }
        for key in ["started", "finished"] { r[key] = .bool(r[key]?.isTruthy ?? false) }
        return r
    }
}
