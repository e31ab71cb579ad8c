import Foundation
import Jinja

/// One event of a run as ansible-runner records it in `artifacts/<ident>/job_events/`:
/// a callback event (or text printed outside any event, `verbose`/`warning`/…) with the
/// exact text the stdout callback printed for it and its position in the stdout artifact.
/// External consumers (artifact files, event streams, callback plugins) all use
/// ``jsonLine()``, so the serialisation lives here only.
public struct RunnerEvent: Sendable {
    /// Unique id of the event; for play and task starts it is the play's/task's uuid.
    public var uuid: String
    /// The event this one belongs to: task for runner events, play for task starts,
    /// playbook for play starts and stats; nil for `playbook_on_start`.
    public var parentUUID: String?
    /// Position in the run, from 1.
    public var counter: Int
    /// The v2 callback method name without `v2_` (`runner_on_ok`, `playbook_on_stats`, …),
    /// or `verbose`, `warning`, `deprecated`, `error` for display text outside events.
    public var event: String
    /// What the stdout callback printed for the event, without the final line ending.
    public var stdout: String
    /// First line of the event in the stdout artifact (0-based).
    public var startLine: Int
    /// Line after the event's last one (end exclusive).
    public var endLine: Int
    /// The run's ident (`artifacts/<ident>`).
    public var runnerIdent: String
    /// When the event began, ISO 8601 with microseconds and offset, as Python's isoformat.
    public var created: String
    /// The controller process id.
    public var pid: Int32
    /// playbook, play, play_uuid, play_pattern, task, task_uuid, task_action, task_path,
    /// task_args, role, host, remote_addr, res, changed/failed counters, duration …
    public var eventData: OrderedDict

    /// An event record; `counter`, lines and stdout are usually filled by ``EventRecorder``.
    public init(uuid: String, parentUUID: String?, counter: Int, event: String, stdout: String, startLine: Int, endLine: Int,
                runnerIdent: String, created: String, pid: Int32, eventData: OrderedDict) {
        self.uuid = uuid
        self.parentUUID = parentUUID
        self.counter = counter
        self.event = event
        self.stdout = stdout
        self.startLine = startLine
        self.endLine = endLine
        self.runnerIdent = runnerIdent
        self.created = created
        self.pid = pid
        self.eventData = eventData
    }

    /// `event_data.host`, when the event concerns one host.
    public var host: String? { eventData["host"]?.stringValue }
    /// `event_data.task`, when the event belongs to a task.
    public var task: String? { eventData["task"]?.stringValue }

    /// The event as one line of JSON (no newline), with ansible-runner's key names and order.
    public func jsonLine() -> String { Value.dict(dictionary).jsonString }

    /// The event as a dictionary with ansible-runner's key names and order.
    public var dictionary: OrderedDict {
        var d = OrderedDict()
        d["uuid"] = .string(uuid)
        d["counter"] = .int(counter)
        d["stdout"] = .string(stdout)
        d["start_line"] = .int(startLine)
        d["end_line"] = .int(endLine)
        d["runner_ident"] = .string(runnerIdent)
        d["event"] = .string(event)
        d["pid"] = .int(Int(pid))
        d["created"] = .string(created)
        if let parentUUID { d["parent_uuid"] = .string(parentUUID) }
        d["event_data"] = .dict(eventData)
        return d
    }

    /// Reads an event back from ``jsonLine()`` text (or an ansible-runner job event file).
    public init(jsonLine text: String) throws {
        guard let d = try Value.parseJSON(text).dictValue else { throw TroupeError(.parse, "a runner event must be a JSON object") }
        uuid = d["uuid"]?.stringValue ?? ""
        parentUUID = d["parent_uuid"]?.stringValue
        counter = d["counter"]?.intValue ?? 0
        event = d["event"]?.stringValue ?? ""
        stdout = d["stdout"]?.stringValue ?? ""
        startLine = d["start_line"]?.intValue ?? 0
        endLine = d["end_line"]?.intValue ?? 0
        runnerIdent = d["runner_ident"]?.stringValue ?? ""
        created = d["created"]?.stringValue ?? ""
        pid = Int32(d["pid"]?.intValue ?? 0)
        eventData = d["event_data"]?.dictValue ?? OrderedDict()
    }

    /// `Date` as Python's `datetime.isoformat()` of an aware UTC time: `2026-11-21T21:57:18.982604+00:00`.
    public static func isoTimestamp(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        var whole = time_t(seconds.rounded(.down))
        let micros = Int(((seconds - Double(whole)) * 1_000_000).rounded(.down))
        var parts = tm()
        gmtime_r(&whole, &parts)
        // Hand-padded: String(format:) is slow on Linux and this runs for every event.
        func padded(_ n: Int, _ width: Int) -> String {
            let digits = String(n)
            return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        }
        return padded(Int(parts.tm_year) + 1900, 4) + "-" + padded(Int(parts.tm_mon) + 1, 2) + "-" + padded(Int(parts.tm_mday), 2)
            + "T" + padded(Int(parts.tm_hour), 2) + ":" + padded(Int(parts.tm_min), 2) + ":" + padded(Int(parts.tm_sec), 2)
            + "." + padded(micros, 6) + "+00:00"
    }
}
