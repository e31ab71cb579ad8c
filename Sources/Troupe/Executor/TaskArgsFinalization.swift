import Jinja

/// ansible-core 2.19's wording for a task argument that fails to template:
/// "Finalization of task args for 'ansible.builtin.debug' failed: Error while resolving
/// value for 'msg': <detail>", where the detail names what went wrong the way its
/// templar does ("Syntax error in template: …", "Error rendering template: …", "The filter
/// plugin 'ansible.builtin.join' failed: …", or an undefined value's message as it is).
enum TaskArgsFinalization {
    /// The error for argument `key` of `action` (its FQCN); `key` nil for the whole arguments.
    static func error(action: String, key: String?, _ error: Error) -> TroupeError {
        let resolving = key.map { "Error while resolving value for '\($0)': " } ?? ""
        return TroupeError(.templating, "Finalization of task args for '\(action)' failed: \(resolving)\(detail(error))")
    }

    /// The part after "Error while resolving value for '…': ".
    static func detail(_ error: Error) -> String {
        guard let jinja = error as? JinjaError else { return TaskErrorText.message(error) }
        // ansible-core shows these two bare, whatever raised them (LookupRegistry words the second).
        if jinja.message.hasPrefix("Recursive loop detected in template") { return jinja.message }
        if jinja.message.hasPrefix("The lookup plugin '"), jinja.message.hasSuffix("' was not found.") { return jinja.message }
        // Python plugins' failures arrive worded already ("The filter plugin 'x' failed: …").
        if jinja.message.hasPrefix("The lookup plugin '") || jinja.message.hasPrefix("The filter plugin '")
            || jinja.message.hasPrefix("The test plugin '") { return jinja.message }
        if let filter = jinja.failedFilter {
            let name = filter.contains(".") ? filter : "ansible.builtin." + filter
            return "The filter plugin '\(name)' failed: \(jinja.message)"
        }
        switch jinja.kind {
        case .syntax, .unknownFilter, .unknownTest:
            return "Syntax error in template: \(jinja.message)"
        case .runtime, .type, .value, .filter:
            return "Error rendering template: \(jinja.message)"
        case .undefined, .templateNotFound:
            return jinja.message
        }
    }
}
