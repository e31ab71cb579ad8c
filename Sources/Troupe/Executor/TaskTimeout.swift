import Jinja

/// The task `timeout:` keyword (and `troupe adhoc --task-timeout`): ansible-core stops the
/// action after that many seconds and fails the task with "Timed out after N second(s)."
/// and a `timedout` result. Troupe applies the timeout to the module's commands (the
/// connection kills what it started, leaving the host's shell usable); a module whose
/// command was stopped returns `markerResult`, which the executor turns into this error.
struct TaskTimeoutError: Error, CustomStringConvertible {
    let period: Int

    var description: String { "Timed out after \(period) second(s)." }

    /// The result keys ansible-core 2.19 adds to a timed-out task's result.
    var resultContribution: OrderedDict {
        ["timedout": ["frame": "Configure `DISPLAY_TRACEBACK` to see a traceback on timeout errors.", "period": .int(period)]]
    }

    /// What a module returns when the task timeout stopped its command.
    static func markerResult(_ invocation: ModuleInvocation) -> Value {
        let period = Int(invocation.timeout ?? 0)
        return ["failed": true, "changed": false, "msg": .string(TaskTimeoutError(period: period).description),
                "timedout": ["period": .int(period)]]
    }

    /// The error a module's marker result stands for; nil for any other result.
    static func fromModuleResult(_ value: Value) -> TaskTimeoutError? {
        guard let result = value.dictValue, result.flag("failed"), let timedout = result["timedout"]?.dictValue,
              timedout["frame"] == nil, let period = timedout["period"]?.intValue else { return nil }
        return TaskTimeoutError(period: period)
    }

    /// The `timeout:` keyword's value: ansible-core wants a whole number of seconds
    /// (0 or none: no timeout).
    static func seconds(_ value: Value) throws -> Double? {
        if value.isNull { return nil }
        guard let seconds = value.intValue ?? Int(value.pythonString.trimmingCharacters(in: .whitespaces)) else {
            throw TroupeError(.templating, "Error processing keyword 'timeout': The value \(value.pythonRepr) could not be converted to 'int'.")
        }
        guard seconds >= 0, seconds <= 100_000_000 else {
            throw TroupeError(.execution, "Timeout \(seconds) is invalid, it must be between 0 and 100000000.")
        }
        return seconds == 0 ? nil : Double(seconds)
    }
}
