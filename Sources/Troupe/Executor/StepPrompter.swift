import Foundation

/// `--step`: before each task, asks "Perform task: TASK: name (N)o/(y)es/(c)ontinue:" and
/// reads the answer from stdin, as ansible-core does — from a terminal or from whatever
/// stdin is (a pipe of answers works too). `y` runs the task, `c` runs it and stops
/// asking, anything else skips it. At the end of input the run stops with an error
/// (ansible-core crashes there).
public final class StepPrompter: @unchecked Sendable {
    private let lock = NSLock()
    private var stepping = true
    private let display: Display
    private let readAnswer: () -> String?

    /// Prompts through `display`'s stdout; `readAnswer` returns the next line of input, nil at its end.
    public init(display: Display, readAnswer: @escaping () -> String? = { readLine() }) {
        self.display = display
        self.readAnswer = readAnswer
    }

    /// Whether to run `task` (on `host`, for the free strategies, which ask per host).
    func confirm(_ task: TaskInfo, host: String? = nil) throws -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard stepping else { return true }
        var message = "Perform task: TASK: \(task.displayName) "
        if let host { message += "on \(host) " }
        message += "(N)o/(y)es/(c)ontinue: "
        display.display(message, screenOnly: true, newline: false)
        guard let answer = readAnswer() else {
            display.display("", screenOnly: true)
            throw TroupeError(.execution, "--step: no answer to \"\(message.trimmingCharacters(in: .whitespaces))\": the input ended")
        }
        display.banner(message)
        switch answer.trimmingCharacters(in: .whitespaces).lowercased() {
        case "y", "yes": return true
        case "c", "continue":
            stepping = false
            return true
        default: return false
        }
    }
}
