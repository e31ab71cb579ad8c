import Foundation
import Jinja

/// The `async:` settings a task gives its module.
public struct AsyncJobOptions: Sendable, Hashable {
    /// Ansible's default job directory on the host (the shell plugin's `async_dir`).
    public static let defaultDirectory = "~/.ansible_async"
    /// Seconds the job may run before it is killed (`async:`).
    public var limit: Int
    /// Where the job's results file lives on the host (`ansible_async_dir`).
    public var directory: String

    /// Options for a job that may run `limit` seconds, with its results file under `directory`.
    public init(limit: Int, directory: String = AsyncJobOptions.defaultDirectory) {
        self.limit = limit
        self.directory = directory
    }
}

/// Starts a module as a background job on the host, as Ansible's async_wrapper does, but
/// without Python: `command`/`shell` run detached under a POSIX-shell supervisor that
/// writes the module's JSON result into `<async dir>/<jid>` when done (atomically, via a
/// rename) and kills the command when its time is up. Launching costs one round trip and
/// leaves the persistent shell free. Other modules act through the connection itself, so
/// they cannot outlive the task on the host: they run to completion at launch and their
/// result is stored as the job's result, which `async_status` then reports.
enum AsyncJob {
    static func start(_ module: RemoteModule, args: OrderedDict, invocation: ModuleInvocation, options: AsyncJobOptions,
                      connection: Connection) throws -> Value {
        var foreground = invocation
        foreground.asyncJob = nil
        let script: String
        var request: CommandRequest
        do {
            if let command = module as? CommandModule,
               case .command(let planned, let cmd, let strip) = try command.plan(args, invocation: foreground, connection: connection) {
                var missing: Value?
                if case .argv(let words) = planned.command { missing = .dict(command.notFound(args, words: words)) }
                script = AsyncJobScript.launch(planned, cmd: cmd, strip: strip, notFound: missing, options: options)
                request = CommandRequest(.shell(script), environment: planned.environment, workingDirectory: planned.workingDirectory,
                                         become: planned.become)
                request.startsBackgroundJob = true
            } else {
                let result = try module.run(args, invocation: foreground, connection: connection)
                request = storeRequest(result, options: options, become: invocation.become)
            }
        } catch let failure as ModuleFailure {
            request = storeRequest(.dict(failure.result), options: options, become: invocation.become)
        }
        let output = try connection.run(request)
        return startedResult(String(decoding: output.stdout, as: UTF8.self), stderr: String(decoding: output.stderr, as: UTF8.self),
                             rc: output.rc, options: options)
    }

    /// Writes a finished result as the job's results file.
    private static func storeRequest(_ result: Value, options: AsyncJobOptions, become: BecomeSettings?) -> CommandRequest {
        CommandRequest(.shell(AsyncJobScript.store(options)), stdin: Data(result.jsonString.utf8), become: become)
    }

    /// The launcher printed `<jid>\n<results file>\n`, or `ERROR <reason>`.
    static func startedResult(_ stdout: String, stderr: String, rc: Int32, options: AsyncJobOptions) -> Value {
        let lines = stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let first = lines.first, first.hasPrefix("ERROR ") {
            return ["failed": true, "changed": false,
                    "msg": .string("could not create directory: \(options.directory) - \(first.dropFirst(6))")]
        }
        guard rc == 0, lines.count >= 2, lines[0].hasPrefix("j") else {
            let detail = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            return ["failed": true, "changed": false, "rc": .int(Int(rc)),
                    "msg": .string("async task could not be started" + (detail.isEmpty ? "" : ": " + detail))]
        }
        var r = OrderedDict()
        r["failed"] = false
        r["started"] = true
        r["finished"] = false
        r["ansible_job_id"] = .string(lines[0])
        r["results_file"] = .string(lines[1])
        // Ansible marks every launched job changed, whatever the module later reports.
        r["changed"] = true
        return .dict(r)
    }
}
