import Foundation
import Jinja

/// Turns callback events into ansible-runner job events (``RunnerEvent``): installed as
/// the dispatcher's ``CallbackEventScope`` and as the display's sink, it sees each event's
/// data first and then everything the stdout callback prints for it. Text printed outside
/// any event (warnings from the loader, `-v` lines from other threads) becomes an event
/// of its own, named after the message kind (`verbose` for plain text), as ansible-runner
/// names them.
///
/// The field names, uuid parenting and duplicate-uuid suffixes follow ansible-runner's
/// `awx_display` callback.
public final class EventRecorder: CallbackEventScope, @unchecked Sendable {
    /// How the recorder names and renders things.
    public struct Options: Sendable {
        /// `runner_ident` of every event.
        public var runnerIdent: String
        /// Write line endings as a pseudo-terminal does (`\r\n`), as ansible-runner's
        /// output does (it runs ansible-playbook in a pty).
        public var terminalLineEndings = true
        /// The `playbook` field for a playbook path (ansible-runner shows it relative to `project/`).
        public var playbookName: @Sendable (String) -> String = { $0 }
        /// `remote_addr` for an inventory host (its `ansible_host`, or the name).
        public var remoteAddress: @Sendable (String) -> String = { $0 }
        /// `display_args_to_stdout`: put `k=v` arguments in `task_args`.
        public var displayArgs = false
        /// An ad hoc command (ansible-runner `-m`): no play or task start events, no play
        /// fields, an empty `task_path`, as ansible's ad hoc CLI reports them.
        public var adHoc = false

        /// Options for a run named `runnerIdent`.
        public init(runnerIdent: String) { self.runnerIdent = runnerIdent }
    }

    private var options: Options
    private let emit: (RunnerEvent) -> Void
    private let lock = NSLock()
    private let pid = getpid()
    private var counter = 0
    private var line = 0
    // The event being delivered: its thread (text from other threads is not its output).
    private var eventThread: Thread?
    private var captured = ""
    private var pending: (name: String, data: OrderedDict, uuid: String, created: String)?
    // ansible-runner's global context: playbook, then play, then task fields.
    private var playbookContext = OrderedDict()
    private var playContext = OrderedDict()
    private var taskContext = OrderedDict()
    private var seenTasks: [String: Int] = [:]
    private var seenPlays: [String: Int] = [:]
    private var hostStart: [String: Date] = [:]

    /// A recorder handing every finished event to `emit`, in order, one at a time.
    public init(options: Options, emit: @escaping (RunnerEvent) -> Void) {
        self.options = options
        self.emit = emit
    }

    /// Sets how `remote_addr` is found, once the inventory is known (before the plays run).
    public func setRemoteAddress(_ resolve: @escaping @Sendable (String) -> String) {
        lock.lock()
        options.remoteAddress = resolve
        lock.unlock()
    }

    /// Routes `display`'s output through the recorder (it then reaches no other sink:
    /// the events' text is what the run prints).
    public func attach(to display: Display) {
        display.setSink { [weak self, unowned display] text, stream in
            self?.receive(text, stream: stream, kind: display.currentMessageKind)
        }
    }

    /// Records `display`'s output for the events while it still reaches its sink (the terminal).
    public func observe(_ display: Display) {
        display.addTap { [weak self, unowned display] text, stream in
            self?.receive(text, stream: stream, kind: display.currentMessageKind)
        }
    }

    // MARK: - Event scope

    public func beginEvent() {
        lock.lock()
        eventThread = Thread.current
        captured = ""
        pending = nil
        lock.unlock()
    }

    public func endEvent() {
        lock.lock()
        defer { lock.unlock() }
        let text = captured
        captured = ""
        eventThread = nil
        if let pending {
            record(name: pending.name, uuid: pending.uuid, data: pending.data, created: pending.created, chunk: text)
            self.pending = nil
        } else if !text.isEmpty {
            record(name: "verbose", uuid: UUID().uuidString.lowercased(), data: context(), created: Self.now(), chunk: text)
        }
    }

    private func receive(_ text: String, stream: DisplayStream, kind: String?) {
        let rendered = options.terminalLineEndings && text.utf8.contains(UInt8(ascii: "\n"))
            ? text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n") : text
        lock.lock()
        defer { lock.unlock() }
        if eventThread == Thread.current {
            captured += rendered
            return
        }
        // One display call outside an event is one event, as ansible-runner's display wrapper makes it.
        var data = context()
        let name = kind ?? "verbose"
        data[name] = true
        record(name: name, uuid: UUID().uuidString.lowercased(), data: data, created: Self.now(), chunk: rendered)
    }

    /// Numbers the event, places it in the stdout artifact and hands it on (lock held).
    private func record(name: String, uuid: String, data: OrderedDict, created: String, chunk: String) {
        counter += 1
        var data = data
        data["uuid"] = .string(uuid)
        let lines = chunk.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        var stdout = Substring(chunk)
        while let last = stdout.unicodeScalars.last, last == "\n" || last == "\r" { stdout = stdout.dropLast() }
        let parent = ["task_uuid", "play_uuid", "playbook_uuid"].lazy.compactMap { data[$0]?.stringValue }.first { $0 != uuid }
        let event = RunnerEvent(uuid: uuid, parentUUID: parent, counter: counter, event: name, stdout: String(stdout),
                                startLine: line, endLine: line + lines, runnerIdent: options.runnerIdent, created: created,
                                pid: pid, eventData: data)
        line += lines
        emit(event)
    }

    /// Sets the event the callbacks are about to handle (called on the event's thread, inside begin/end).
    private func setPending(_ name: String, uuid: String? = nil, task: TaskInfo? = nil, _ fields: OrderedDict = OrderedDict()) {
        withLock {
            var data = context(task: task)
            data.merge(fields)
            pending = (name, data, uuid ?? UUID().uuidString.lowercased(), Self.now())
        }
    }

    private func withLock<T>(_ body: () -> T) -> T {
        lock.lock(); defer { lock.unlock() }
        return body()
    }

    /// The global context plus the task's fields (lock held: other threads read it for
    /// text printed outside events).
    private func context(task: TaskInfo? = nil) -> OrderedDict {
        var data = playbookContext
        data.merge(playContext)
        data.merge(task.map(taskFields) ?? taskContext)
        return data
    }

    private func taskFields(_ task: TaskInfo) -> OrderedDict {
        var d = OrderedDict()
        d["task"] = .string(task.name.isEmpty ? task.action : task.name)
        d["task_uuid"] = .string(task.uuid)
        d["task_action"] = .string(task.action)
        d["resolved_action"] = .string(task.action.contains(".") ? task.action : "ansible.builtin." + task.action)
        if options.displayArgs {
            d["task_args"] = .string(task.noLog ? Self.censored
                : (task.args.dictValue ?? OrderedDict()).map { "\($0.key)=\($0.value.pythonString)" }.joined(separator: ", "))
        } else {
            d["task_args"] = ""
        }
        if options.adHoc {
            d["task_path"] = ""
        } else if let path = task.path {
            d["task_path"] = .string(path)
        }
        if let role = task.roleName, !role.isEmpty { d["role"] = .string(role) }
        return d
    }

    static let censored = "the output has been hidden due to the fact that 'no_log: true' was specified for this result"

    static func now() -> String { RunnerEvent.isoTimestamp(Date()) }

    /// A repeated play/task start gets `uuid_2`, `uuid_3` …, as ansible-runner numbers them.
    private func distinct(_ uuid: String, in seen: inout [String: Int]) -> String {
        let count = (seen[uuid] ?? 0) + 1
        seen[uuid] = count
        return count == 1 ? uuid : "\(uuid)_\(count)"
    }

    // MARK: - Callback events

    public func playbookStart(_ playbook: PlaybookInfo) {
        let uuid = UUID().uuidString.lowercased()
        withLock {
            playbookContext = ["playbook": .string(options.playbookName(playbook.path)), "playbook_uuid": .string(uuid)]
            playContext = OrderedDict()
            taskContext = OrderedDict()
        }
        setPending("playbook_on_start", uuid: uuid)
    }

    public func playStart(_ play: PlayInfo) {
        if options.adHoc { return }
        let name = play.name.trimmingCharacters(in: .whitespaces).isEmpty ? play.pattern : play.name
        let uuid = withLock {
            let uuid = distinct(play.uuid, in: &seenPlays)
            playContext = ["play": .string(name), "play_uuid": .string(uuid), "play_pattern": .string(play.pattern)]
            taskContext = OrderedDict()
            return uuid
        }
        setPending("playbook_on_play_start", uuid: uuid, ["name": .string(name), "pattern": .string(play.pattern)])
    }

    public func taskStart(_ task: TaskInfo) {
        if options.adHoc {
            withLock { taskContext = taskFields(task) }
            return
        }
        let uuid = withLock {
            taskContext = taskFields(task)
            return distinct(task.uuid, in: &seenTasks)
        }
        setPending("playbook_on_task_start", uuid: uuid, task: task, ["name": .string(task.displayName), "is_conditional": false])
    }

    public func handlerTaskStart(_ task: TaskInfo) {
        withLock { taskContext = taskFields(task) }
        setPending("playbook_on_task_start", uuid: task.uuid, task: task, ["name": .string(task.displayName), "is_conditional": true])
    }

    public func runnerStart(host: String, task: TaskInfo) {
        lock.lock()
        hostStart[host] = Date()
        lock.unlock()
        setPending("runner_on_start", task: task, ["host": .string(host)])
    }

    public func runnerOk(_ result: TaskResult) {
        var res = censoredResult(result)
        if ["setup", "gather_facts"].contains(ModuleNames.shortName(result.task.action)),
           var d = res.dictValue, var facts = d["ansible_facts"]?.dictValue {
            _ = facts.removeValue(forKey: "ansible_env")
            d["ansible_facts"] = .dict(facts)
            res = .dict(d)
        }
        var fields: OrderedDict = ["host": .string(result.host), "remote_addr": .string(options.remoteAddress(result.host)), "res": res]
        fields.merge(timing(result.host))
        fields["event_loop"] = .null
        setPending("runner_on_ok", task: result.task, fields)
    }

    public func runnerFailed(_ result: TaskResult, ignoreErrors: Bool) {
        var fields: OrderedDict = ["host": .string(result.host), "remote_addr": .string(options.remoteAddress(result.host)),
                                   "res": censoredResult(result)]
        fields.merge(timing(result.host))
        // Ansible passes the task keyword, which is unset (null) unless given.
        fields["ignore_errors"] = ignoreErrors ? true : .null
        fields["event_loop"] = .null
        setPending("runner_on_failed", task: result.task, fields)
    }

    public func runnerSkipped(_ result: TaskResult) {
        var fields: OrderedDict = ["host": .string(result.host), "remote_addr": .string(options.remoteAddress(result.host))]
        fields.merge(timing(result.host))
        fields["event_loop"] = .null
        setPending("runner_on_skipped", task: result.task, fields)
    }

    public func runnerUnreachable(_ result: TaskResult) {
        var fields: OrderedDict = ["host": .string(result.host), "remote_addr": .string(options.remoteAddress(result.host))]
        fields.merge(timing(result.host))
        fields["res"] = censoredResult(result)
        setPending("runner_on_unreachable", task: result.task, fields)
    }

    public func itemOk(_ result: TaskResult) { hostResult("runner_item_on_ok", result) }
    public func itemFailed(_ result: TaskResult) { hostResult("runner_item_on_failed", result) }
    public func itemSkipped(_ result: TaskResult) { hostResult("runner_item_on_skipped", result) }
    public func runnerRetry(_ result: TaskResult) { hostResult("runner_retry", result) }
    public func runnerAsyncPoll(_ result: TaskResult) { asyncResult("runner_on_async_poll", result) }
    public func runnerAsyncOk(_ result: TaskResult) { asyncResult("runner_on_async_ok", result) }
    public func runnerAsyncFailed(_ result: TaskResult) { asyncResult("runner_on_async_failed", result) }

    public func fileDiff(_ result: TaskResult) {
        setPending("runner_on_file_diff", task: result.task, ["host": .string(result.host), "diff": result.result["diff"] ?? .null])
    }

    public func notify(host: String, handler: TaskInfo) {
        setPending("playbook_on_notify", ["host": .string(host), "handler": .string(handler.displayName)])
    }

    public func include(_ file: IncludedFileInfo) {
        setPending("playbook_on_include", ["included_file": .string(file.path)])
    }

    public func noHostsMatched() { setPending("playbook_on_no_hosts_matched") }
    public func noHostsRemaining() { setPending("playbook_on_no_hosts_remaining") }

    public func stats(_ stats: RunStats) {
        withLock {
            playContext = OrderedDict()
            taskContext = OrderedDict()
        }
        func counts(_ pick: (HostStats) -> Int) -> Value {
            var d = OrderedDict()
            for host in stats.hosts where pick(stats[host]) > 0 { d[host] = .int(pick(stats[host])) }
            return .dict(d)
        }
        var processed = OrderedDict()
        for host in stats.hosts { processed[host] = 1 }
        let fields: OrderedDict = [
            "changed": counts(\.changed), "dark": counts(\.unreachable), "failures": counts(\.failures),
            "ignored": counts(\.ignored), "ok": counts(\.ok), "processed": .dict(processed), "rescued": counts(\.rescued),
            "skipped": counts(\.skipped), "artifact_data": stats.custom["_run"] ?? .dict(OrderedDict()),
        ]
        setPending("playbook_on_stats", fields)
    }

    public func warning(_ message: String) { setPending("warning", ["warning": true]) }
    public func deprecated(_ message: String, version: String?) { setPending("deprecated", ["deprecated": true]) }

    // MARK: - Helpers

    private func hostResult(_ name: String, _ result: TaskResult) {
        setPending(name, task: result.task, ["host": .string(result.host), "res": censoredResult(result)])
    }

    private func asyncResult(_ name: String, _ result: TaskResult) {
        setPending(name, task: result.task, ["host": .string(result.host), "res": censoredResult(result),
                                             "jid": result.result["ansible_job_id"] ?? .null])
    }

    /// The result as Ansible hands it to callbacks (`_ansible_no_log` always set, loop items
    /// labelled); `no_log` results and items are replaced by the censored marker, as
    /// ansible-runner does.
    private func censoredResult(_ result: TaskResult) -> Value {
        guard var d = result.result.dictValue else { return result.result }
        if d["_ansible_no_log"]?.isTruthy ?? false { return ["censored": .string(Self.censored)] }
        if d["_ansible_no_log"] == nil { d["_ansible_no_log"] = false }
        if let item = d["item"], d["_ansible_item_label"] == nil { d["_ansible_item_label"] = item }
        if let items = d["results"]?.listValue {
            d["results"] = .list(items.map { item in
                (item.dictValue?["_ansible_no_log"]?.isTruthy ?? false) ? ["censored": .string(Self.censored)] : item
            })
        }
        return .dict(d)
    }

    private func timing(_ host: String) -> OrderedDict {
        lock.lock()
        let start = hostStart[host]
        lock.unlock()
        guard let start else { return ["start": .null, "end": .null, "duration": .null] }
        let end = Date()
        return ["start": .string(RunnerEvent.isoTimestamp(start)), "end": .string(RunnerEvent.isoTimestamp(end)),
                "duration": .float(end.timeIntervalSince(start))]
    }
}
