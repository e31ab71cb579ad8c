import Foundation
import Jinja

/// `cron`: manages named jobs and environment variables in a user's crontab or a cron.d file.
public struct CronModule: RemoteModule {
    /// The module's name, `cron` (also reached as `ansible.builtin.cron`).
    public let name = "cron"
    /// Check mode is supported: the module reports what it would do without doing it.
    public var supportsCheckMode: Bool { true }
    /// Creates the plugin (it has no state).
    public init() {}

    /// Ansible's `cron` parameters.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("name", required: true), .init("user"), .init("job", aliases: ["value"]), .init("cron_file", .path),
            .init("state", default: "present", choices: ["present", "absent"]), .init("backup", .bool, default: false),
            .init("minute", default: "*"), .init("hour", default: "*"), .init("day", default: "*", aliases: ["dom"]),
            .init("month", default: "*"), .init("weekday", default: "*", aliases: ["dow"]),
            .init("special_time", choices: ["reboot", "yearly", "annually", "monthly", "weekly", "daily", "hourly"]),
            .init("disabled", .bool, default: false), .init("env", .bool, default: false),
            .init("insertafter"), .init("insertbefore"),
        ], mutuallyExclusive: [["insertafter", "insertbefore"]])
    }

    /// Adds, updates or removes the named job (or variable) and installs the crontab when it changed.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let jobName = args.string("name") ?? ""
        let user = args.string("user")
        let cronFile = args.string("cron_file")
        let install = args.string("state") == "present"
        let check = invocation.checkMode
        var warnings: [String] = []
        if let cronFile {
            if cronFile == "/etc/crontab" { throw ModuleFailure("Will not manage /etc/crontab via cron_file, see documentation.") }
            let base = (cronFile as NSString).lastPathComponent
            if base.range(of: "^[A-Za-z0-9_-]+$", options: .regularExpression) == nil {
                warnings.append("Filename portion of cron_file (\"\(base)\") should consist solely of upper- and lower-case letters, digits, underscores, and hyphens")
            }
        }
        var tab = try CronTab(shell: SystemShell(connection, invocation), user: user, cronFile: cronFile)
        var diff: OrderedDict = ["before": .string(tab.existing), "before_header": .string(tab.diffHeader)]
        let times = ["minute", "hour", "day", "month", "weekday"].map { args.string($0) ?? "*" }
        let special = args.string("special_time")
        if special != nil && times.contains(where: { $0 != "*" }) {
            throw ModuleFailure("You cannot combine special_time with any of the time or day/date parameters.")
        }
        let job = args.string("job")
        let isEnv = args.flag("env")
        let after = args.string("insertafter"), before = args.string("insertbefore")
        if install {
            if cronFile != nil && user == nil { throw ModuleFailure("To use cron_file=... parameter you must specify user=... as well") }
            if job == nil { throw ModuleFailure("You must specify 'job' to install a new cron job or variable") }
            if (after != nil || before != nil) && !isEnv { throw ModuleFailure("Insertafter and insertbefore parameters are valid only with env=yes") }
        }
        let backupFile = args.flag("backup") && !check ? try tab.backup() : nil

        var changed = false
        if isEnv {
            if jobName.contains(" ") { throw ModuleFailure("Invalid name for environment variable") }
            let declaration = "\(jobName)=\"\(job ?? "None")\""
            let old = tab.findEnv(jobName)
            if install {
                if old == nil { try tab.addEnv(declaration, after: after, before: before); changed = true }
                if let old, old.line != declaration { tab.updateEnv(jobName, declaration); changed = true }
            } else if old != nil {
                tab.updateEnv(jobName, nil)
                changed = true
            }
        } else if install, let job {
            if job.trimmingCharacters(in: CharacterSet(charactersIn: "\r\n")).contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) {
                warnings.append("Job should not contain line breaks")
            }
            let line = tab.jobLine(minute: times[0], hour: times[1], day: times[2], month: times[3], weekday: times[4], job: job,
                                   special: special, disabled: args.flag("disabled"))
            let old = tab.findJob(jobName, job: line)
            if old.isEmpty { tab.addJob(jobName, line); changed = true }
            if old.count > 1 && old[1] != line { tab.updateJob(jobName, line); changed = true }
            if old.count > 2 { tab.updateJob(jobName, line); changed = true }
        } else if !tab.findJob(jobName).isEmpty {
            tab.updateJob(jobName, nil)
            changed = true
            if let file = tab.file, tab.isEmpty {
                let existed = try tab.shell.script("[ -f \(shellQuote(file)) ]").succeeded
                if !check { try tab.shell.script("rm -f -- \(shellQuote(file))") }
                var result: OrderedDict = ["changed": .bool(existed), "cron_file": .string(cronFile ?? file), "state": "absent"]
                result["diff"] = invocation.diff ? .dict(diff.merging(["after": "", "after_header": "/dev/null"])) : .dict([:])
                if !warnings.isEmpty { result["warnings"] = .list(warnings.map { .string($0) }) }
                return .dict(result)
            }
        }
        if !changed && !tab.existing.isEmpty && !(tab.existing.hasSuffix("\n") || tab.existing.hasSuffix("\r")) {
            changed = true
        }
        var result: OrderedDict = ["jobs": .list(tab.jobNames.map { .string($0) }), "envs": .list(tab.envNames.map { .string($0) }),
                                   "changed": .bool(changed)]
        if changed {
            if !check { try tab.write() }
            if invocation.diff {
                diff["after"] = .string(tab.render())
                diff["after_header"] = .string(tab.diffHeader)
                result["diff"] = .dict(diff)
            }
        }
        if let backupFile {
            if changed { result["backup_file"] = .string(backupFile) } else { try tab.shell.script("rm -f -- \(shellQuote(backupFile))") }
        }
        if let cronFile { result["cron_file"] = .string(cronFile) }
        if !warnings.isEmpty { result["warnings"] = .list(warnings.map { .string($0) }) }
        return .dict(result)
    }
}

extension OrderedDict {
    /// A copy with `other`'s keys set (added at the end when new).
    func merging(_ other: OrderedDict) -> OrderedDict {
        var copy = self
        for (k, v) in other { copy[k] = v }
        return copy
    }
}
