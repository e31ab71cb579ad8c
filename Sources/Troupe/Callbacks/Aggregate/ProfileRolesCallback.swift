import Foundation
import Jinja

/// ansible.posix's `profile_roles`: a timestamp line under every task banner and, after the
/// recap, a `ROLES RECAP` with the time spent per role (tasks outside roles count under
/// their action), slowest first, and the total.
///
/// Option: `PROFILE_ROLES_SUMMARY_ONLY` / `[callback_profile_roles] summary_only`.
public final class ProfileRolesCallback: CallbackPlugin {
    private let display: Display
    private var clock = ProfileClock()
    private let summaryOnly: Bool
    private var totals: [String: TimeInterval] = [:]
    private var order: [String] = []
    private var current: (key: String, started: Date)?

    /// A profiler configured from the run's environment and `ansible.cfg`.
    public init(context: CallbackContext) {
        display = context.display
        summaryOnly = context.config.string(section: "callback_profile_roles", key: "summary_only", env: "PROFILE_ROLES_SUMMARY_ONLY")
            .map { AnsibleBoolean.parse(.string($0)) } ?? false
    }

    /// Prints the timestamp line and starts timing the task's role.
    public func taskStart(_ task: TaskInfo) { record(task) }
    /// Prints the timestamp line and starts timing the handler's role.
    public func handlerTaskStart(_ task: TaskInfo) { record(task) }

    private func record(_ task: TaskInfo) {
        if !summaryOnly { display.display(clock.line()) }
        stopCurrent()
        let key = task.roleName.flatMap { $0.isEmpty ? nil : $0 } ?? task.action
        current = (key, Date())
    }

    private func stopCurrent() {
        guard let current else { return }
        if totals[current.key] == nil { order.append(current.key) }
        totals[current.key, default: 0] += Date().timeIntervalSince(current.started)
        self.current = nil
    }

    /// Prints `ROLES RECAP`: one line per role, then the total.
    public func stats(_ stats: RunStats) {
        display.banner("ROLES RECAP")
        display.display(clock.line())
        display.display(ProfileClock.filled("", fill: "="))
        stopCurrent()
        let ranked = order.enumerated().sorted { lhs, rhs in
            let (a, b) = (totals[lhs.element]!, totals[rhs.element]!)
            return a != b ? a > b : lhs.offset < rhs.offset
        }
        for (_, key) in ranked {
            display.display(ProfileClock.summaryLine(key, seconds: totals[key]!, width: 70))
        }
        display.display(ProfileClock.filled("", fill: "~"))
        display.display(ProfileClock.summaryLine("total", seconds: totals.values.reduce(0, +), width: 70))
    }
}
