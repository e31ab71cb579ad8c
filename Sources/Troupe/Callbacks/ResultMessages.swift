import Jinja

/// The warnings, deprecations and error text a task result carries, which callbacks print
/// as `[WARNING]:`/`[DEPRECATION WARNING]:`/`[ERROR]:` lines before the status line.
///
/// The executor puts them in the result dict as Ansible does: `warnings` (list of text),
/// `deprecations` (list of `{msg, version?, date?, collection_name?}` or text) and `exception`
/// (the error text to show, e.g. "Task failed: Module failed: …\nOrigin: file:line:col\n\n<source excerpt>";
/// a dict with `msg` is accepted too).
public enum ResultMessages {
    /// Prints and removes the messages from `result`.
    public static func show(from result: inout Value, on display: Display, errorToStderr: Bool) {
        guard case .dict(var dict) = result else { return }
        if let warnings = dict.removeValue(forKey: "warnings"), case .list(let items) = warnings {
            for item in items { display.warning(text(of: item)) }
        }
        if let deprecations = dict.removeValue(forKey: "deprecations"), case .list(let items) = deprecations {
            for item in items {
                if case .dict = item {
                    display.deprecated(text(of: item), version: item["version"]?.stringValue, date: item["date"]?.stringValue,
                                       collection: item["collection_name"]?.stringValue ?? "ansible.builtin",
                                       help: item["help_text"]?.stringValue)
                } else {
                    display.deprecated(text(of: item))
                }
            }
        }
        if let exception = dict.removeValue(forKey: "exception"), exception.isTruthy {
            display.error(text(of: exception), stderr: errorToStderr)
        }
        result = .dict(dict)
    }

    private static func text(of value: Value) -> String {
        if case .dict = value, let msg = value["msg"] { return msg.pythonString }
        return value.pythonString
    }
}
