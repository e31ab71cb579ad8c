import Foundation

/// Builds the text ansible-core 2.19 prints as `[ERROR]: …` before a failed or unreachable
/// task's status line. The executor puts it in the result's `exception` key, which the
/// stdout callbacks display (and strip from the JSON):
///
///     Task failed: Module failed: non-zero return code
///     Origin: /path/site.yml:34:7
///
///     32       loop: [1, 2]
///     …
public enum TaskFailureText {
    /// Who reported the failure, which decides the wording.
    public enum Cause: Sendable {
        /// A module returned `failed` (command rc != 0, file errors, …): "Module failed: msg".
        case module
        /// An action plugin failed (`fail`, `assert`) or `failed_when` was true: "Action failed: msg",
        /// or "Action failed." without a message.
        case action
        /// The connection failed; the message already reads "Task failed: …" or is used as is.
        case unreachable
    }

    /// The message text for a result `msg` and its cause, followed by the `Origin:` block for
    /// the task's location when known (`source`: the file text, read from disk when nil).
    /// A task without a location but with `originText` (engine-made tasks) gets `Origin: <unknown>` and that text.
    public static func make(_ cause: Cause, message: String?, location: SourceLocation?, source: String? = nil,
                            originText: String? = nil) -> String {
        let detail = (message ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var text: String
        switch cause {
        case .module:
            // A module that crashed reports ansible-core's whole wording in its msg already.
            text = detail.isEmpty ? "Task failed: Module failed." : detail.hasPrefix("Task failed: ") ? detail : "Task failed: Module failed: \(detail)"
        case .action:
            text = detail.isEmpty ? "Task failed: Action failed." : "Task failed: Action failed: \(detail)"
        case .unreachable:
            text = detail.hasPrefix("Task failed: ") ? detail : "Task failed: \(detail)"
        }
        if let location {
            text += "\n" + SourceExcerpt.render(location, source: source)
        } else if let originText {
            text += "\nOrigin: <unknown>\n\n" + SourceExcerpt.shorten(originText, width: SourceExcerpt.maxLineWidth)
        }
        return text + "\n"
    }
}
