import Foundation
import Jinja

/// ansible.posix's `profile_tasks`: a timestamp line under every task banner and, after the
/// recap, a `TASKS RECAP` listing the slowest tasks (durations summed over `serial` batches).
///
/// Options (env / `[callback_profile_tasks]` key): `PROFILE_TASKS_TASK_OUTPUT_LIMIT` /
/// `task_output_limit` (20, or `all`), `PROFILE_TASKS_SORT_ORDER` / `sort_order`
/// (descending, ascending, none), `PROFILE_TASKS_SUMMARY_ONLY` / `summary_only`,
/// `PROFILE_TASKS_DATETIME_FORMAT` / `datetime_format`.
public final class ProfileTasksCallback: CallbackPlugin {
    /// How the summary is ordered.
    public enum SortOrder: String, Sendable {
        /// Slowest first (the default).
        case descending
        /// Fastest first.
        case ascending
        /// In the order the tasks ran.
        case none
    }

    private struct Timing {
        var name: String
        var path: String?
        var started: Date
        var elapsed: TimeInterval = 0
    }

    private let display: Display
    private var clock: ProfileClock
    private let outputLimit: Int?
    private let sortOrder: SortOrder
    private let summaryOnly: Bool
    private var timings: [String: Timing] = [:]
    private var order: [String] = []
    private var current: String?

    /// A profiler configured from the run's environment and `ansible.cfg`.
    public init(context: CallbackContext) {
        display = context.display
        let config = context.config
        let option = { (env: String, key: String) in config.string(section: "callback_profile_tasks", key: key, env: env) }
        let limit = option("PROFILE_TASKS_TASK_OUTPUT_LIMIT", "task_output_limit") ?? "20"
        outputLimit = limit.lowercased() == "all" ? nil : Int(limit.trimmingCharacters(in: .whitespaces)) ?? 20
        sortOrder = SortOrder(rawValue: (option("PROFILE_TASKS_SORT_ORDER", "sort_order") ?? "descending").lowercased()) ?? .descending
        summaryOnly = option("PROFILE_TASKS_SUMMARY_ONLY", "summary_only").map { AnsibleBoolean.parse(.string($0)) } ?? false
        clock = ProfileClock(dateFormat: option("PROFILE_TASKS_DATETIME_FORMAT", "datetime_format") ?? "%A %d %B %Y  %H:%M:%S %z")
    }

    /// Prints the timestamp line and starts timing the task.
    public func taskStart(_ task: TaskInfo) { record(task) }
    /// Prints the timestamp line and starts timing the handler.
    public func handlerTaskStart(_ task: TaskInfo) { record(task) }

    private func record(_ task: TaskInfo) {
        if !summaryOnly { display.display(clock.line()) }
        stopCurrent()
        let now = Date()
        current = task.uuid
        if timings[task.uuid] == nil {
            timings[task.uuid] = Timing(name: task.displayName, started: now)
            order.append(task.uuid)
        } else {
            timings[task.uuid]?.started = now
        }
        if display.verbosity >= 2 { timings[task.uuid]?.path = task.path }
    }

    private func stopCurrent() {
        guard let current, let timing = timings[current] else { return }
        timings[current]?.elapsed += Date().timeIntervalSince(timing.started)
    }

    /// Prints `TASKS RECAP` with the tasks' durations.
    public func stats(_ stats: RunStats) {
        display.banner("TASKS RECAP")
        display.display(clock.line())
        display.display(ProfileClock.filled("", fill: "="))
        stopCurrent()
        current = nil
        var entries = order.enumerated().map { ($0.offset, timings[$0.element]!) }
        switch sortOrder {
        case .descending: entries.sort { $0.1.elapsed != $1.1.elapsed ? $0.1.elapsed > $1.1.elapsed : $0.0 < $1.0 }
        case .ascending: entries.sort { $0.1.elapsed != $1.1.elapsed ? $0.1.elapsed < $1.1.elapsed : $0.0 < $1.0 }
        case .none: break
        }
        if let outputLimit {
            // Python's [:n] with a negative n drops from the end.
            entries = Array(outputLimit >= 0 ? entries.prefix(outputLimit) : entries.dropLast(-outputLimit))
        }
        for (_, timing) in entries {
            var line = ProfileClock.summaryLine(timing.name, seconds: timing.elapsed, width: display.columns - 9)
            if let path = timing.path {
                line += "\n" + path + " " + String(repeating: "-", count: max(0, display.columns - path.unicodeScalars.count - 1))
            }
            display.display(line)
        }
    }
}
