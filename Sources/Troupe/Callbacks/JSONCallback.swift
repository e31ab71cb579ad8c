import Foundation
import Jinja

/// ansible.posix's `json` stdout callback: prints nothing while the run goes, then one JSON
/// document — `plays[]` (each `play` with name, id, path and start/end times, and `tasks[]`
/// with the `task` and its result per host), `stats` per host, and `custom_stats` /
/// `global_custom_stats` from `set_stats` when `show_custom_stats` is on.
///
/// Options: `ANSIBLE_JSON_INDENT` / `[defaults] json_indent` (4; 0 or less writes one line),
/// `ANSIBLE_SHOW_CUSTOM_STATS` / `[defaults] show_custom_stats`.
public final class JSONCallback: CallbackPlugin {
    private let display: Display
    private let indent: Int?
    private let showCustomStats: Bool
    private var plays: [OrderedDict] = []
    /// Tasks of the current play; kept apart from `plays` so results can update them in place.
    private var tasks: [OrderedDict] = []
    /// Free strategies: the task entry each host's result goes to, by host and task id.
    private var openTasks: [String: Int] = [:]
    private var lockstep = true

    /// A JSON callback configured from the run's options.
    public init(context: CallbackContext) {
        display = context.display
        let configured = context.config.string(section: "defaults", key: "json_indent", env: "ANSIBLE_JSON_INDENT")
            .flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 4
        indent = configured > 0 ? configured : nil
        showCustomStats = context.config.bool(.showCustomStats)
    }

    /// Starts a play entry; `linear` and `debug` plays group all hosts under one task entry.
    public func playStart(_ play: PlayInfo) {
        closePlay()
        lockstep = ["linear", "debug"].contains(play.strategy)
        var info: OrderedDict = ["name": .string(play.name), "id": .string(play.uuid)]
        info["path"] = .string(play.location.map { "\($0.file):\($0.line)" } ?? "")
        info["duration"] = ["start": .string(Self.timestamp())]
        plays.append(["play": .dict(info), "tasks": []])
    }

    /// Lockstep plays: one entry per task.
    public func taskStart(_ task: TaskInfo) { if lockstep { tasks.append(Self.taskEntry(task)) } }
    /// Lockstep plays: one entry per handler.
    public func handlerTaskStart(_ task: TaskInfo) { if lockstep { tasks.append(Self.taskEntry(task)) } }

    /// Free strategies: one entry per host and task.
    public func runnerStart(host: String, task: TaskInfo) {
        guard !lockstep else { return }
        tasks.append(Self.taskEntry(task))
        openTasks[host + "\u{0}" + task.uuid] = tasks.count - 1
    }

    /// Records an ok result.
    public func runnerOk(_ result: TaskResult) { record(result, marker: nil) }
    /// Records a failed result, with `failed: true`.
    public func runnerFailed(_ result: TaskResult, ignoreErrors: Bool) { record(result, marker: "failed") }
    /// Records an unreachable result.
    public func runnerUnreachable(_ result: TaskResult) { record(result, marker: nil) }
    /// Records a skipped result, with `skipped: true`.
    public func runnerSkipped(_ result: TaskResult) { record(result, marker: "skipped") }

    /// Warnings still go to the screen (stderr), as ansible's display prints them.
    public func warning(_ message: String) { display.warning(message) }
    /// Deprecations still go to the screen (stderr).
    public func deprecated(_ message: String, version: String?) { display.deprecated(message, version: version) }

    private func record(_ result: TaskResult, marker: String?) {
        guard !plays.isEmpty else { return }
        var hostResult = RecordedResult.of(result)
        if let marker { hostResult[marker] = true }
        hostResult["action"] = .string(result.task.action)
        let key = result.host + "\u{0}" + result.task.uuid
        let index: Int
        if let open = openTasks.removeValue(forKey: key) {
            index = open
        } else if lockstep, !tasks.isEmpty {
            index = tasks.count - 1
        } else {
            // No task entry to attach to (a result without a preceding start event).
            tasks.append(Self.taskEntry(result.task))
            index = tasks.count - 1
        }
        var hosts = tasks[index]["hosts"]?.dictValue ?? OrderedDict()
        hosts[result.host] = .dict(hostResult)
        tasks[index]["hosts"] = .dict(hosts)
        let end = Value.string(Self.timestamp())
        setEnd(end, in: &tasks[index], section: "task")
        setEnd(end, in: &plays[plays.count - 1], section: "play")
    }

    private func setEnd(_ end: Value, in entry: inout OrderedDict, section: String) {
        guard var info = entry[section]?.dictValue else { return }
        var duration = info["duration"]?.dictValue ?? OrderedDict()
        duration["end"] = end
        info["duration"] = .dict(duration)
        entry[section] = .dict(info)
    }

    private func closePlay() {
        guard !plays.isEmpty else { return }
        plays[plays.count - 1]["tasks"] = .list(tasks.map(Value.dict))
        tasks = []
        openTasks = [:]
    }

    /// Prints the whole document.
    public func stats(_ stats: RunStats) {
        closePlay()
        var summary = OrderedDict()
        for host in stats.perHost.keys.sorted(by: Value.pythonStringLess) {
            let counts = stats[host]
            summary[host] = ["ok": .int(counts.ok), "failures": .int(counts.failures), "unreachable": .int(counts.unreachable),
                             "changed": .int(counts.changed), "skipped": .int(counts.skipped), "rescued": .int(counts.rescued),
                             "ignored": .int(counts.ignored)]
        }
        var custom = OrderedDict()
        var global = OrderedDict()
        if showCustomStats && !stats.custom.isEmpty {
            for (key, value) in stats.custom {
                if key == "_run" { global = value.dictValue ?? OrderedDict() } else { custom[key] = value }
            }
        }
        let output: OrderedDict = ["plays": .list(plays.map(Value.dict)), "stats": .dict(summary),
                                   "custom_stats": .dict(custom), "global_custom_stats": .dict(global)]
        display.display(JSONFormat(indent: indent, sortKeys: true).string(.dict(output)))
    }

    private static func taskEntry(_ task: TaskInfo) -> OrderedDict {
        var info: OrderedDict = ["name": .string(task.displayName), "id": .string(task.uuid)]
        info["path"] = .string(task.path ?? "")
        info["duration"] = ["start": .string(timestamp())]
        return ["task": .dict(info), "hosts": .dict(OrderedDict())]
    }

    /// Python's `datetime.utcnow().isoformat() + "Z"`: microseconds unless exactly zero.
    static func timestamp(_ date: Date = Date()) -> String {
        let seconds = date.timeIntervalSince1970
        var whole = time_t(seconds.rounded(.down))
        let micros = Int(((seconds - seconds.rounded(.down)) * 1_000_000).rounded(.down))
        var parts = tm()
        gmtime_r(&whole, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S", &parts)
        let base = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if micros == 0 { return base + "Z" }
        let text = String(micros)
        return base + "." + String(repeating: "0", count: 6 - text.count) + text + "Z"
    }
}
