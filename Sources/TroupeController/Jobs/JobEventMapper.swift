import Foundation

/// Turns the JSON lines `troupe run --json` prints into `job_events` rows, one job at a
/// time, the way AWX's callback receiver enriches runner events: event level and display
/// name, `failed`/`changed` from the result, host id from the inventory's host map, and —
/// at `playbook_on_stats` — the host summaries and the parent uuids whose `changed` /
/// `failed` flags AWX propagates one level up.
struct JobEventMapper {
    let unifiedJobID: Int
    let node: String
    /// Inventory host name → host id, for `host` / `host_id`.
    let hostIDs: [String: Int]

    /// Highest counter seen (the stream is gap-free when this equals the number of rows).
    private(set) var lastCounter = 0
    /// `parent_uuid`s of changed events, to set `changed` on (AWX does it at stats time).
    private(set) var changedParents: Set<String> = []
    /// `parent_uuid`s of failed events.
    private(set) var failedParents: Set<String> = []
    /// Filled from `playbook_on_stats`.
    private(set) var hostSummaries: [JobHostSummaryRow] = []
    /// Whether `playbook_on_stats` arrived.
    private(set) var sawStats = false

    init(unifiedJobID: Int, node: String, hostIDs: [String: Int] = [:]) {
        self.unifiedJobID = unifiedJobID
        self.node = node
        self.hostIDs = hostIDs
    }

    /// The row for one JSON line, or nil for a line that is not a runner event (blank,
    /// or text the runner printed outside its event stream).
    mutating func map(line: some StringProtocol) -> JobEventRow? {
        guard line.first == "{", let data = line.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data), let event = object as? [String: Any],
              let name = event["event"] as? String, let counter = Self.int(event["counter"]) else { return nil }
        let eventData = event["event_data"] as? [String: Any] ?? [:]
        let info = JobEventType.info(name)
        var failed = info.failed && !Self.bool(eventData["ignore_errors"])
        var changed = false
        if let res = eventData["res"] as? [String: Any], Self.bool(res["changed"]) { changed = true }
        if name == "playbook_on_stats" {
            let failures = Self.counts(eventData["failures"]), dark = Self.counts(eventData["dark"])
            failed = failures.values.reduce(0, +) + dark.values.reduce(0, +) > 0
            changed = Self.counts(eventData["changed"]).values.reduce(0, +) > 0
            recordStats(eventData)
        }
        let parent = (event["parent_uuid"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        if let parent {
            if changed { changedParents.insert(parent) }
            if failed { failedParents.insert(parent) }
        }
        let hostName = eventData["host"] as? String ?? ""
        let play = Self.text(eventData["play"]), task = Self.text(eventData["task"]), role = Self.text(eventData["role"])
        var display = info.display
        if name == "playbook_on_play_start", !play.isEmpty {
            display += " (\(play))"
        } else if name == "playbook_on_task_start", !task.isEmpty {
            if Self.bool(eventData["is_conditional"]) { display = "Handler Notified" }
            display += role.isEmpty ? " (\(task))" : " (\(role) | \(task))"
        } else if name == "runner_on_async_ok", let res = eventData["res"] as? [String: Any],
                  Self.bool(res["failed"]) || (Self.int(res["rc"]) ?? 0) != 0 {
            display = "Host Async Failed"
        }
        lastCounter = max(lastCounter, counter)
        return JobEventRow(
            unifiedJobID: unifiedJobID, counter: counter, event: name, eventDisplay: display,
            eventData: Self.json(eventData), eventLevel: info.level, failed: failed, changed: changed,
            uuid: event["uuid"] as? String ?? "", parentUUID: parent,
            hostID: hostName.isEmpty ? nil : hostIDs[hostName], hostName: hostName,
            playbook: Self.text(eventData["playbook"]), play: play, task: task, role: role,
            stdout: event["stdout"] as? String ?? "",
            startLine: Self.int(event["start_line"]) ?? 0, endLine: Self.int(event["end_line"]) ?? 0,
            verbosity: Self.int(event["verbosity"]) ?? 0,
            created: Self.utcTimestamp(event["created"] as? String), node: node)
    }

    private mutating func recordStats(_ data: [String: Any]) {
        sawStats = true
        let keys = ["changed", "dark", "failures", "ignored", "ok", "processed", "rescued", "skipped"]
        let tables = keys.map { Self.counts(data[$0]) }
        var hosts: [String] = []
        for table in tables { for host in table.keys where !hosts.contains(host) { hosts.append(host) } }
        hostSummaries = hosts.sorted().map { host in
            var row = JobHostSummaryRow(unifiedJobID: unifiedJobID, hostID: hostIDs[host], hostName: host)
            row.changed = tables[0][host] ?? 0
            row.dark = tables[1][host] ?? 0
            row.failures = tables[2][host] ?? 0
            row.ignored = tables[3][host] ?? 0
            row.ok = tables[4][host] ?? 0
            row.processed = tables[5][host] ?? 0
            row.rescued = tables[6][host] ?? 0
            row.skipped = tables[7][host] ?? 0
            return row
        }
    }

    /// Hosts that failed or were unreachable, for `relaunch` with `hosts: failed`.
    var failedHosts: [String] { hostSummaries.filter(\.failed).map(\.hostName) }

    // MARK: - JSON helpers (Foundation's untyped values)

    static func int(_ value: Any?) -> Int? {
        switch value {
        case let n as Int: return n
        case let n as NSNumber: return n.intValue
        case let s as String: return Int(s)
        default: return nil
        }
    }

    static func bool(_ value: Any?) -> Bool {
        switch value {
        case let b as Bool: return b
        case let n as NSNumber: return n.boolValue
        case let s as String: return ["true", "yes", "1"].contains(s.lowercased())
        default: return false
        }
    }

    static func text(_ value: Any?) -> String {
        (value as? String)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    static func counts(_ value: Any?) -> [String: Int] {
        guard let dict = value as? [String: Any] else { return [:] }
        return dict.compactMapValues { int($0) }
    }

    static func json(_ value: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.withoutEscapingSlashes]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Runner's `2026-12-07T12:00:00.123456+00:00` as the controller's `…Z` form.
    static func utcTimestamp(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return JobClock.now() }
        if text.hasSuffix("+00:00") { return String(text.dropLast(6)) + "Z" }
        return text
    }
}

/// Timestamps as the controller stores them: ISO-8601 UTC with microseconds and `Z`.
enum JobClock {
    static func now() -> String { format(Date()) }

    static func format(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        var whole = time_t(seconds.rounded(.down))
        let micros = Int(((seconds - Double(whole)) * 1_000_000).rounded(.down))
        var parts = tm()
        gmtime_r(&whole, &parts)
        func padded(_ n: Int, _ width: Int) -> String {
            let digits = String(n)
            return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        }
        return padded(Int(parts.tm_year) + 1900, 4) + "-" + padded(Int(parts.tm_mon) + 1, 2) + "-" + padded(Int(parts.tm_mday), 2)
            + "T" + padded(Int(parts.tm_hour), 2) + ":" + padded(Int(parts.tm_min), 2) + ":" + padded(Int(parts.tm_sec), 2)
            + "." + padded(micros, 6) + "Z"
    }

    /// Parses the stored form back (for `elapsed`): `YYYY-MM-DDTHH:MM:SS[.ffffff]Z`.
    static func parse(_ text: String) -> Date? {
        let digits = text.split(whereSeparator: { !$0.isNumber }).map(String.init)
        guard digits.count >= 6, let year = Int32(digits[0]), let month = Int32(digits[1]), let day = Int32(digits[2]),
              let hour = Int32(digits[3]), let minute = Int32(digits[4]), let second = Int32(digits[5]) else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        let whole = timegm(&parts)
        var fraction = 0.0
        if digits.count > 6, let f = Double("0." + digits[6]) { fraction = f }
        return Date(timeIntervalSince1970: Double(whole) + fraction)
    }
}
