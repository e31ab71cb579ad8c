import Foundation
import Jinja

/// What callbacks are told about a playbook file.
public struct PlaybookInfo: Sendable {
    /// Path of the playbook file as given on the command line.
    public var path: String
    /// `--check` was given on the command line (the default callback prints `DRY RUN` banners
    /// when `check_mode_markers` is on).
    public var checkMode: Bool
    /// How many plays the file holds, imported ones included (`-vv` prints "N plays in FILE").
    public var playCount: Int?
    /// Creates the playbook description passed to `playbookOnStart`.
    public init(path: String, checkMode: Bool = false, playCount: Int? = nil) {
        self.path = path
        self.checkMode = checkMode
        self.playCount = playCount
    }
}

/// What callbacks are told about a play.
public struct PlayInfo: Sendable {
    /// The play's templated `name:`, or the host pattern when it has none (as Ansible shows it).
    public var name: String
    /// Unique id of this play for the run, used to correlate callback events.
    public var uuid: String
    /// The `hosts:` pattern as written.
    public var pattern: String
    /// The play runs in check mode (`check_mode: true` or `--check`).
    public var checkMode: Bool
    /// Where the play is defined, when known.
    public var location: SourceLocation?
    /// The play's strategy ("linear", "free", "host_pinned", …); free strategies make the
    /// default callback re-derive task names per banner.
    public var strategy: String
    /// Creates the play description passed to `playbookOnPlayStart`.
    public init(name: String, uuid: String, pattern: String, checkMode: Bool = false, location: SourceLocation? = nil,
                strategy: String = "linear") {
        self.name = name
        self.uuid = uuid
        self.pattern = pattern
        self.checkMode = checkMode
        self.location = location
        self.strategy = strategy
    }
}

/// What callbacks are told about a task or handler.
public struct TaskInfo: Sendable {
    /// The task's templated name, or "" when it has none (callbacks then show the action).
    public var name: String
    /// The module or action, e.g. "command", "debug", "ansible.builtin.copy".
    public var action: String
    /// Unique id of the task for the run; loop items and hosts share it.
    public var uuid: String
    /// Where the task is defined, for `task path:` lines; nil for implicit tasks.
    public var location: SourceLocation?
    /// The role the task came from, shown as the `role : ` prefix in banners.
    public var roleName: String?
    /// The task is a handler (callbacks print `RUNNING HANDLER` banners).
    public var isHandler: Bool
    /// The task's module arguments, used for `display_args_to_stdout` banners.
    public var args: Value
    /// `no_log: true` after templating; callbacks must censor the result.
    public var noLog: Bool
    /// Task-level `check_mode`/`diff` after inheritance (nil: not set on the task).
    public var checkMode: Bool?
    /// Task-level `diff` after inheritance (nil: not set on the task).
    public var diff: Bool?
    /// The task has a `loop`/`with_*` (its aggregate result then carries `results`).
    public var hasLoop: Bool
    /// The task is an `include_tasks`/`include_role` (its own ok result prints nothing).
    public var isInclude: Bool
    /// `ignore_unreachable: true` on the task.
    public var ignoreUnreachable: Bool
    /// The templated `delegate_to`, when set.
    public var delegateTo: String?

    /// Creates the task description passed to task callbacks.
    public init(name: String, action: String, uuid: String, location: SourceLocation? = nil, roleName: String? = nil,
                isHandler: Bool = false, args: Value = .emptyDict, noLog: Bool = false, checkMode: Bool? = nil, diff: Bool? = nil,
                hasLoop: Bool = false, isInclude: Bool = false, ignoreUnreachable: Bool = false, delegateTo: String? = nil) {
        self.hasLoop = hasLoop
        self.isInclude = isInclude
        self.ignoreUnreachable = ignoreUnreachable
        self.delegateTo = delegateTo
        self.name = name
        self.action = action
        self.uuid = uuid
        self.location = location
        self.roleName = roleName
        self.isHandler = isHandler
        self.args = args
        self.noLog = noLog
        self.checkMode = checkMode
        self.diff = diff
    }

    /// `file:line` of the task, for `task path:` lines.
    public var path: String? { location.map { "\($0.file):\($0.line)" } }

    /// The text the default callback puts in `TASK [...]`: "role : name", or the action
    /// when the task has no name.
    public var displayName: String {
        let base = name.isEmpty ? action : name
        if let roleName, !roleName.isEmpty { return "\(roleName) : \(base)" }
        return base
    }
}

/// The result of one task (or one loop item) on one host.
public struct TaskResult: Sendable {
    /// Inventory name of the host.
    public var host: String
    /// The task the result belongs to.
    public var task: TaskInfo
    /// The module's result dict (`changed`, `failed`, `msg`, `rc`, `stdout`, `results` …;
    /// loop items carry `item`, `ansible_loop_var` and optionally `_ansible_item_label`).
    ///
    /// Keys the stdout callbacks read, as Ansible's do: `exception` (the `[ERROR]:` text shown
    /// before a failure's status line, see `TaskFailureText`), `warnings`, `deprecations`,
    /// `_ansible_verbose_always` (debug/assert: show the body at verbosity 0),
    /// `_ansible_verbose_override` (fact gathering: never show the body), `_ansible_no_log`,
    /// `_ansible_delegated_vars`, and on retries `attempts` (1-based) and `retries` (task
    /// retries + 1). Callbacks derive what they print with `ResultFormatter.callbackView`.
    public var result: Value
    /// The host the task actually ran on when `delegate_to` was used.
    public var delegatedTo: String?

    /// Creates a result for `host`; `delegatedTo` is the real target when `delegate_to` was used.
    public init(host: String, task: TaskInfo, result: Value, delegatedTo: String? = nil) {
        self.host = host
        self.task = task
        self.result = result
        self.delegatedTo = delegatedTo
    }

    /// The result reports `changed: true`.
    public var isChanged: Bool { result["changed"]?.isTruthy ?? false }
    /// The result reports `failed: true` (before `ignore_errors`/`failed_when` handling by callers).
    public var isFailed: Bool { result["failed"]?.isTruthy ?? false }
    /// The result reports `skipped: true`.
    public var isSkipped: Bool { result["skipped"]?.isTruthy ?? false }
}

/// Per-host counters for PLAY RECAP.
public struct HostStats: Sendable, Hashable {
    /// Tasks that returned ok (includes changed ones, as in Ansible's recap).
    public var ok = 0
    /// Tasks that reported a change.
    public var changed = 0
    /// Times the host was unreachable (counted even when `ignore_unreachable` applies).
    public var unreachable = 0
    /// Failed tasks that were not ignored or rescued.
    public var failures = 0
    /// Tasks skipped by `when:` or other conditions.
    public var skipped = 0
    /// Failures handled by a block's `rescue:`.
    public var rescued = 0
    /// Failures and unreachables ignored via `ignore_errors`/`ignore_unreachable`.
    public var ignored = 0
    /// Creates zeroed counters.
    public init() {}
}

/// The run's statistics (Ansible's AggregateStats).
public struct RunStats: Sendable {
    /// Hosts in the order they were first processed.
    public var hosts: [String] = []
    /// Counters by inventory host name; prefer the subscript, which also records order.
    public var perHost: [String: HostStats] = [:]
    /// `set_stats` data, per host and for "_run".
    public var custom: [String: Value] = [:]
    /// Creates empty statistics.
    public init() {}

    /// Counters for `host` (zero when unseen); setting records the host's first-seen order.
    public subscript(host: String) -> HostStats {
        get { perHost[host] ?? HostStats() }
        set {
            if perHost[host] == nil { hosts.append(host) }
            perHost[host] = newValue
        }
    }
}

/// A file pulled in by `include_tasks`/`include_role`, for the `included:` line.
public struct IncludedFileInfo: Sendable {
    /// The included file's path.
    public var path: String
    /// Hosts the file was included for.
    public var hosts: [String]
    /// The loop item, when the include ran in a loop.
    public var item: Value?
    /// Arguments the included file was loaded with (Ansible's `IncludedFile._args`).
    public var args: Value
    /// Variables the include adds, such as the loop variable (Ansible's `IncludedFile._vars`).
    public var vars: Value
    /// Creates the description passed to `playbookOnInclude`.
    public init(path: String, hosts: [String], item: Value? = nil, args: Value = .emptyDict, vars: Value = .emptyDict) {
        self.path = path
        self.hosts = hosts
        self.item = item
        self.args = args
        self.vars = vars
    }
}
