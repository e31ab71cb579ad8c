import Foundation

/// One stored job event: an ansible-runner event with the fields AWX's `JobEvent` adds
/// (`event_display`, `event_level`, `failed`, `changed`, `host_name` …), as a
/// `job_events` row holds it.
struct JobEventRow: Sendable, Equatable {
    var unifiedJobID: Int
    var counter: Int
    var event: String
    var eventDisplay: String
    /// `event_data` as JSON text (secrets were censored by the engine; `no_log` respected there).
    var eventData: String
    var eventLevel: Int
    var failed: Bool
    var changed: Bool
    var uuid: String
    var parentUUID: String?
    var hostID: Int?
    var hostName: String
    var playbook: String
    var play: String
    var task: String
    var role: String
    var stdout: String
    var startLine: Int
    var endLine: Int
    var verbosity: Int
    /// ISO-8601 UTC with microseconds and `Z`, as the rest of the controller stores times.
    var created: String
    /// The instance that ran the job.
    var node: String
}

/// One `job_host_summaries` row, from `playbook_on_stats`.
struct JobHostSummaryRow: Sendable, Equatable {
    var unifiedJobID: Int
    var hostID: Int?
    var hostName: String
    var changed = 0
    var dark = 0
    var failures = 0
    var ignored = 0
    var ok = 0
    var processed = 0
    var rescued = 0
    var skipped = 0
    /// AWX: `bool(dark or failures)`.
    var failed: Bool { dark > 0 || failures > 0 }
}

/// AWX's table of event types (`BasePlaybookEvent.EVENT_TYPES`): level in the event tree,
/// the name shown for it, and whether the event itself means a failure.
enum JobEventType {
    struct Info: Sendable {
        var level: Int
        var display: String
        var failed: Bool
    }

    static func info(_ event: String) -> Info {
        table[event] ?? Info(level: 0, display: event, failed: false)
    }

    private static let table: [String: Info] = {
        let rows: [(Int, String, String, Bool)] = [
            (3, "runner_on_failed", "Host Failed", true),
            (3, "runner_on_start", "Host Started", false),
            (3, "runner_on_ok", "Host OK", false),
            (3, "runner_on_error", "Host Failure", true),
            (3, "runner_on_skipped", "Host Skipped", false),
            (3, "runner_on_unreachable", "Host Unreachable", true),
            (3, "runner_on_no_hosts", "No Hosts Remaining", false),
            (3, "runner_on_async_poll", "Host Polling", false),
            (3, "runner_on_async_ok", "Host Async OK", false),
            (3, "runner_on_async_failed", "Host Async Failure", true),
            (3, "runner_item_on_ok", "Item OK", false),
            (3, "runner_item_on_failed", "Item Failed", true),
            (3, "runner_item_on_skipped", "Item Skipped", false),
            (3, "runner_retry", "Host Retry", false),
            (3, "runner_on_file_diff", "File Difference", false),
            (0, "playbook_on_start", "Playbook Started", false),
            (2, "playbook_on_notify", "Running Handlers", false),
            (2, "playbook_on_include", "Including File", false),
            (2, "playbook_on_no_hosts_matched", "No Hosts Matched", false),
            (2, "playbook_on_no_hosts_remaining", "No Hosts Remaining", false),
            (2, "playbook_on_task_start", "Task Started", false),
            (1, "playbook_on_vars_prompt", "Variables Prompted", false),
            (2, "playbook_on_setup", "Gathering Facts", false),
            (2, "playbook_on_import_for_host", "internal: on Import for Host", false),
            (2, "playbook_on_not_import_for_host", "internal: on Not Import for Host", false),
            (1, "playbook_on_play_start", "Play Started", false),
            (1, "playbook_on_stats", "Playbook Complete", false),
            (0, "debug", "Debug", false),
            (0, "verbose", "Verbose", false),
            (0, "deprecated", "Deprecated", false),
            (0, "warning", "Warning", false),
            (0, "system_warning", "System Warning", false),
            (0, "error", "Error", true),
        ]
        var table: [String: Info] = [:]
        for (level, event, display, failed) in rows { table[event] = Info(level: level, display: display, failed: failed) }
        return table
    }()
}
