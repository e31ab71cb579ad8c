import Jinja

/// The final result of one task on one host, after loops, retries, `changed_when`,
/// `failed_when` and `ignore_errors`.
struct TaskOutcome {
    enum Status { case ok, changed, failed, skipped, unreachable }
    let host: String
    let task: Task
    var info: TaskInfo
    var status: Status
    /// The result dict as callbacks see it (internal `_ansible_*` keys included).
    var result: OrderedDict
    /// Failed, but `ignore_errors` (or `ignore_unreachable`) was set.
    var ignored = false
    /// The host the module ran on, when `delegate_to` sent it elsewhere.
    var delegatedTo: String?

    var isFailure: Bool { status == .failed && !ignored }
}

extension OrderedDict {
    func flag(_ key: String) -> Bool { self[key]?.isTruthy ?? false }
}
