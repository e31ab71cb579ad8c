import Jinja

/// The playbook keywords set on one play, block, role or task, as written (templates not
/// yet rendered), with where each was written. Inheritable keywords are resolved by
/// walking up the parent chain (task → blocks → role → play), as Ansible does.
public struct Keywords: Sendable {
    /// The keywords set directly on this object, untemplated; use the parent chain for inherited ones.
    public private(set) var values: [String: Value] = [:]
    /// Where each keyword was written, for error messages.
    public private(set) var locations: [String: SourceLocation] = [:]

    /// An empty keyword set.
    public init() {}

    /// The raw (untemplated) value of keyword `name` set here, or nil; does not look at parents.
    public subscript(name: String) -> Value? { values[name] }

    /// Sets keyword `name`, remembering `location` for error messages when given.
    public mutating func set(_ name: String, _ value: Value, at location: SourceLocation? = nil) {
        values[name] = value
        if let location { locations[name] = location }
    }

    /// Whether `name` is set directly on this object.
    public func contains(_ name: String) -> Bool { values[name] != nil }

    /// Keywords every play, block, role and task accepts (Ansible's `Base` plus mixins).
    public static let common: Set<String> = [
        "name", "connection", "port", "remote_user", "vars", "module_defaults", "environment",
        "no_log", "run_once", "ignore_errors", "ignore_unreachable", "check_mode", "diff",
        "any_errors_fatal", "throttle", "timeout", "debugger", "become", "become_method",
        "become_user", "become_flags", "become_exe", "collections", "tags",
    ]
    /// Block and task keywords beyond `common`.
    public static let blockAndTask: Set<String> = ["when", "delegate_to", "delegate_facts", "notify"]
    /// Keywords only a play accepts, beyond `common`.
    public static let playOnly: Set<String> = [
        "hosts", "gather_facts", "gather_subset", "gather_timeout", "fact_path", "vars_files",
        "vars_prompt", "roles", "handlers", "pre_tasks", "post_tasks", "tasks", "force_handlers",
        "max_fail_percentage", "serial", "strategy", "order",
    ]
    /// Keywords only a block accepts.
    public static let blockOnly: Set<String> = ["block", "rescue", "always"]
    /// Keywords only a task accepts, beyond `common` and `blockAndTask`.
    public static let taskOnly: Set<String> = [
        "action", "args", "async", "changed_when", "delay", "failed_when", "loop", "loop_control",
        "poll", "register", "retries", "until", "local_action", "listen",
    ]
    /// Every keyword valid on a play.
    public static let play = common.union(playOnly)
    /// Every keyword valid on a block.
    public static let block = common.union(blockAndTask).union(blockOnly)
    /// Every keyword valid on a task.
    public static let task = common.union(blockAndTask).union(taskOnly)
}
