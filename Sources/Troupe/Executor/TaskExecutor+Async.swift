import Foundation
import Jinja

/// `async:` and `poll:` — start the module as a background job on the host; with
/// `poll > 0` wait for it the way ansible-core does (sleep `poll` seconds, ask
/// `async_status`, report `ASYNC POLL`, give up when `async` seconds are used up), then
/// remove its results file.
extension TaskExecutor {
    /// ansible-core's `DEFAULT_POLL_INTERVAL`.
    static let defaultPollInterval = 15

    /// The task's `async:` in seconds; 0 when absent.
    func asyncLimit(_ scope: VariableScope) throws -> Int {
        guard let raw = task.keywords["async"] else { return 0 }
        return try integerKeyword("async", raw, scope)
    }

    /// Where jobs keep their results files: `ansible_async_dir`, else `ANSIBLE_ASYNC_DIR` (the
    /// shell plugin's option, read on the controller), else Ansible's default.
    func asyncDirectory(_ scope: VariableScope) throws -> String {
        guard let value = try scope.lookup("ansible_async_dir"), !value.isNull else {
            if let configured = ProcessInfo.processInfo.environment["ANSIBLE_ASYNC_DIR"], !configured.isEmpty { return configured }
            return AsyncJobOptions.defaultDirectory
        }
        return try run.templar.template(value, scope).pythonString
    }

    /// Actions other than plain modules refuse `async`, worded as ansible-core words it.
    func asyncUnsupported() -> OrderedDict {
        let msg = "This action (\(task.action)) does not support async."
        return ["failed": true, "msg": .string(msg),
                "exception": .string(TaskFailureText.make(.unreachable, message: msg, location: task.location))]
    }

    func runAsync(_ module: String, args: OrderedDict, scope: VariableScope, limit: Int) throws -> OrderedDict {
        let poll = try task.keywords["poll"].map { try integerKeyword("poll", $0, scope) } ?? Self.defaultPollInterval
        let directory = try asyncDirectory(scope)
        let started = try runRemote(module, args: args, scope: scope, asyncJob: AsyncJobOptions(limit: limit, directory: directory))
        guard var launched = started.dictValue else { return ["failed": true, "msg": "module returned no result"] }
        guard poll > 0, !launched.flag("skipped"), !launched.flag("failed") else { return launched }
        guard let jid = launched["ansible_job_id"] else {
            return ["failed": true, "msg": "No job id was returned by the async task"]
        }
        let statusArgs: OrderedDict = ["jid": jid, "_async_dir": .string(directory)]
        var timeLeft = limit
        var status = OrderedDict()
        while timeLeft > 0 {
            // The job's own timer fires at `async` seconds; on the last poll give it a
            // moment, so its "Timeout exceeded" result is reported rather than a guess.
            Thread.sleep(forTimeInterval: Double(poll) + (timeLeft <= poll ? 1 : 0))
            do {
                status = try runRemote("async_status", args: statusArgs, scope: scope).dictValue ?? OrderedDict()
            } catch {
                // A connection that drops during polling (a reboot) is retried until time is up.
                timeLeft -= poll
                if timeLeft <= 0 { throw error }
                continue
            }
            if status.flag("finished") || status.flag("failed") || status.flag("skipped") { break }
            timeLeft -= poll
            let event = TaskResult(host: host, task: info, result: .dict(status))
            run.callbacks.send { $0.runnerAsyncPoll(event) }
        }
        if status.flag("finished") {
            var cleanup = statusArgs
            cleanup["mode"] = "cleanup"
            _ = try? runRemote("async_status", args: cleanup, scope: scope)
            launched = status
        } else {
            launched = ["failed": true, "msg": .string("async task did not complete within the requested time - \(limit)s"),
                        "async_result": .dict(status)]
        }
        let event = TaskResult(host: host, task: info, result: .dict(launched))
        let failed = launched.flag("failed")
        run.callbacks.send { failed ? $0.runnerAsyncFailed(event) : $0.runnerAsyncOk(event) }
        return launched
    }

    private func integerKeyword(_ name: String, _ raw: Value, _ scope: VariableScope) throws -> Int {
        let value = try run.templar.template(raw, scope)
        if let int = value.intValue { return int }
        if let number = Int(value.pythonString.trimmingCharacters(in: .whitespaces)) { return number }
        throw TroupeError(.parse, "The value \(value.pythonString) of '\(name)' could not be converted to an int", location: task.location)
    }
}
