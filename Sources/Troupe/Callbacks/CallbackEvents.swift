import Foundation
import Jinja

/// What callbacks are told about a playbook file.
public struct PlaybookInfo: Sendable {
    public var path: String
    /// `--check` was given on the command line (the default callback prints `DRY RUN` banners
    /// when `check_mode_markers` is on).
    public var checkMode: Bool
    public init(path: String, checkMode: Bool = false) {
        self.path = path
        self.checkMode = checkMode
    }
}

/// What callbacks are told about a play.
public struct PlayInfo: Sendable {
    public var name: String
    public var uuid: String
    /// The `hosts:` pattern as written.
    public var pattern: String
    public var checkMode: Bool
    public var location: SourceLocation?
    /// The play's strategy ("linear", "free", "host_pinned", …); free strategies make the
    /// default callback re-derive task names per banner.
    public var strategy: String
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
    public var uuid: String
    public var location: SourceLocation?
    public var roleName: String?
    public var isHandler: Bool
    public var args: Value
    public var noLog: Bool
    /// Task-level `check_mode`/`diff` after inheritance (nil: not set on the task).
    public var checkMode: Bool?
    public var diff: Bool?
    /// The task has a `loop`/`with_*` (its aggregate result then carries `results`).
    public var hasLoop: Bool
    /// The task is an `include_tasks`/`include_role` (its own ok result prints nothing).
    public var isInclude: Bool
    /// `ignore_unreachable: true` on the task.
    public var ignoreUnreachable: Bool
    /// The templated `delegate_to`, when set.
    public var delegateTo: String?

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

    public init(host: String, task: TaskInfo, result: Value, delegatedTo: String? = nil) {
        self.host = host
        self.task = task
        self.result = result
        self.delegatedTo = delegatedTo
    }

    public var isChanged: Bool { result["changed"]?.isTruthy ?? false }
    public var isFailed: Bool { result["failed"]?.isTruthy ?? false }
    public var isSkipped: Bool { result["skipped"]?.isTruthy ?? false }
}

/// Per-host counters for PLAY RECAP.
public struct HostStats: Sendable, Hashable {
    public var ok = 0
    public var changed = 0
    public var unreachable = 0
    public var failures = 0
    public var skipped = 0
    public var rescued = 0
    public var ignored = 0
    public init() {}
}

/// The run's statistics (Ansible's AggregateStats).
public struct RunStats: Sendable {
    /// Hosts in the order they were first processed.
    public var hosts: [String] = []
    public var perHost: [String: HostStats] = [:]
    /// `set_stats` data, per host and for "_run".
    public var custom: [String: Value] = [:]
    public init() {}

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
    public var path: String
    public var hosts: [String]
    /// The loop item, when the include ran in a loop.
    public var item: Value?
    public init(path: String, hosts: [String], item: Value? = nil) {
        self.path = path
        self.hosts = hosts
        self.item = item
    }
}
