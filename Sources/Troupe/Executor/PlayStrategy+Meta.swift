import Jinja

/// Meta tasks with a condition, reported as ansible-core's strategy reports them
/// (`_execute_meta`): a "META: …" line at -vv, and for a host whose condition is false a
/// skipped result with a `skip_reason` (shown, not counted in the recap).
extension PlayStrategy {
    /// Metas ansible-core's linear strategy runs host by host (a banner per host); the
    /// others run once, for the first host of the batch.
    static let perHostMetas: Set<String> = ["noop", "reset_connection", "end_host", "flush_handlers", "end_role"]

    /// Runs a conditional `end_host`, `end_play`, `end_batch`, `end_role`, `clear_facts` or
    /// `clear_host_errors`, announcing it; false for the metas `runMeta` handles alone (no
    /// condition, `noop`, `flush_handlers`, the ones that ignore `when`, implicit ones).
    func runConditionalMeta(_ task: Task, hosts: [String]) -> Bool {
        guard !task.isImplicit, !task.allConditions.isEmpty, let first = hosts.first else { return false }
        let scope = run.variables.scope(host: first, context: context, task: task)
        let action = ((try? run.templar.template(task.args["_raw_params"] ?? .null, scope)) ?? .null).pythonString
        let handled: Set<String> = ["end_host", "end_play", "end_batch", "end_role", "clear_facts", "clear_host_errors", "flush_handlers"]
        guard handled.contains(action) else { return false }
        let info = taskInfo(task, host: first)
        let groups = Self.perHostMetas.contains(action) ? hosts.map { [$0] } : [hosts]
        for group in groups {
            run.callbacks.send { $0.taskStart(info) }
            let target = group[0]
            let passing = group.filter { host in
                let s = run.variables.scope(host: host, context: context, task: task)
                return (try? run.templar.evaluateConditionals(task.allConditions, s).0) ?? false
            }
            if !passing.isEmpty {
                runMeta(task, hosts: passing)
                run.callbacks.send { $0.verboseMessage("META: " + Self.metaMessage(action, host: passing[0], task: task), level: 2) }
                if fatalError != nil { return true }
                continue
            }
            let reason = "\(action) conditional evaluated to False" + Self.skipSuffix(action, host: target, task: task)
            var result: OrderedDict = ["msg": .string(action), "skipped": true, "skip_reason": .string(reason)]
            if action == "end_host" {
                result["msg"] = .string("end_host conditional evaluated to false, continuing execution for \(target)")
            }
            run.callbacks.send { $0.verboseMessage("META: " + reason, level: 2) }
            let event = TaskResult(host: target, task: info, result: .dict(result))
            run.callbacks.send { $0.runnerSkipped(event) }
        }
        return true
    }

    /// The -vv "META: …" lines of an unconditional meta that ran: one per host for the
    /// per-host metas, else one for the batch.
    func announceMeta(_ task: Task, hosts: [String]) {
        guard !task.isImplicit, task.allConditions.isEmpty, let first = hosts.first else { return }
        let action = task.args["_raw_params"]?.stringValue ?? ""
        let announced: Set<String> = ["noop", "end_host", "end_play", "end_batch", "end_role", "clear_facts", "clear_host_errors",
                                      "reset_connection", "refresh_inventory"]
        guard announced.contains(action) else { return }
        for host in Self.perHostMetas.contains(action) ? hosts : [first] {
            run.callbacks.send { $0.verboseMessage("META: " + Self.metaMessage(action, host: host, task: task), level: 2) }
        }
    }

    /// The message of a meta that ran, as ansible-core words it.
    static func metaMessage(_ action: String, host: String, task: Task) -> String {
        switch action {
        case "end_host": return "ending play for \(host)"
        case "end_play": return "ending play"
        case "end_batch": return "ending batch"
        case "end_role": return "ending role \(task.roleName ?? "") for \(host)"
        case "clear_facts": return "facts cleared"
        case "clear_host_errors": return "cleared host errors"
        case "reset_connection": return "reset connection"
        case "refresh_inventory": return "inventory successfully refreshed"
        case "flush_handlers": return "triggered running handlers for \(host)"
        default: return action
        }
    }

    /// What ansible-core adds to "<meta> conditional evaluated to False".
    static func skipSuffix(_ action: String, host: String, task: Task) -> String {
        switch action {
        case "end_host": return ", continuing execution for \(host)"
        case "end_play": return ", continuing play"
        case "end_batch": return ", continuing current batch"
        case "end_role": return "continuing role \(task.roleName ?? "") for \(host)"
        case "clear_facts": return ", not clearing facts and fact cache for \(host)"
        case "clear_host_errors": return ", not clearing host error state for \(host)"
        case "flush_handlers": return ", not running handlers for \(host)"
        default: return ""
        }
    }
}
