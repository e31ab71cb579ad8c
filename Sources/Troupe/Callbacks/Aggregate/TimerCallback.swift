import Foundation

/// ansible.posix's `timer`: after the recap, a `PLAYBOOK RECAP` banner and how long the
/// whole run took, in whole seconds.
public final class TimerCallback: CallbackPlugin {
    private let display: Display
    private let started: Date

    /// A timer that starts counting now (ansible's starts when the plugin loads).
    public init(display: Display, started: Date = Date()) {
        self.display = display
        self.started = started
    }

    /// Prints `Playbook run took D days, H hours, M minutes, S seconds`.
    public func stats(_ stats: RunStats) {
        display.banner("PLAYBOOK RECAP")
        display.display(Self.summary(elapsed: Date().timeIntervalSince(started)))
    }

    /// The summary line for an elapsed time. The plugin ends it with `\n\r`, which ansible
    /// writes out as is, so the line is followed by a carriage return and a blank line.
    static func summary(elapsed: TimeInterval) -> String {
        let total = max(0, Int(elapsed.rounded(.down)))
        let days = total / 86_400
        let seconds = total % 86_400
        return "Playbook run took \(days) days, \(seconds / 3600) hours, \((seconds / 60) % 60) minutes, \(seconds % 60) seconds\n\r"
    }
}
