import Foundation
import SQLKit

/// AWX's JSON for jobs, ad hoc commands, their events and host summaries, from rows.
struct JobSerializer {
    let prefix: String

    static let maxEventStdout = 1024  // AWX's EVENT_STDOUT_MAX_BYTES_DISPLAY

    func job(_ row: any SQLRow, kind: JobsAPI.Kind) throws -> [String: Any] {
        func text(_ c: String) throws -> String { try row.decode(column: c, as: String.self) }
        func int(_ c: String) throws -> Int { try row.decode(column: c, as: Int.self) }
        func optionalInt(_ c: String) throws -> Any { orNull(try row.decode(column: c, as: Int?.self)) }
        func bool(_ c: String) throws -> Bool { try row.decode(column: c, as: Bool.self) }
        let id = try int("id")
        let base = prefix + kind.collection + "/\(id)/"
        let status = try text("status")
        let started = try row.decode(column: "started", as: String?.self)
        var elapsed = try row.decode(column: "elapsed", as: Double.self)
        if status == "running", let started, let date = JobClock.parse(started) {
            elapsed = JobTermination.rounded(Date().timeIntervalSince(date))  // live while it runs
        }
        var related: [String: Any] = [
            kind.eventsPath: base + kind.eventsPath + "/", "stdout": base + "stdout/", "cancel": base + "cancel/",
            "relaunch": base + "relaunch/", "live": base + "live/", "activity_stream": base + "activity_stream/", "notifications": base + "notifications/",
        ]
        if let inventory = try row.decode(column: "inventory_id", as: Int?.self) { related["inventory"] = prefix + "inventories/\(inventory)/" }
        var object: [String: Any] = [
            "id": id, "type": kind.rawValue, "url": base, "related": related,
            "created": try text("created"), "modified": try text("modified"), "name": try text("name"),
            "description": try text("description"), "status": status, "failed": try bool("failed"),
            "started": orNull(started), "finished": orNull(try row.decode(column: "finished", as: String?.self)),
            "canceled_on": NSNull(), "elapsed": elapsed, "job_explanation": try text("job_explanation"),
            "launch_type": try text("launch_type"), "execution_node": try text("execution_node"),
            "controller_node": try text("controller_node"), "result_traceback": "", "job_args": "", "job_cwd": "", "job_env": [String: Any](),
            "event_processing_finished": try bool("event_processing_finished"), "work_unit_id": NSNull(),
            "inventory": try optionalInt("inventory_id"), "limit": try text("limit"), "extra_vars": try text("extra_vars"),
            "forks": try int("forks"), "verbosity": try int("verbosity"), "job_type": try text("job_type"),
            "diff_mode": try bool("diff_mode"), "execution_environment": NSNull(), "launched_by": [String: Any](),
            "summary_fields": [String: Any](), "host_status_counts": [String: Any](),
        ]
        switch kind {
        case .job:
            object["job_template"] = try optionalInt("job_template_id")
            object["unified_job_template"] = try optionalInt("job_template_id")
            object["project"] = try optionalInt("project_id")
            object["playbook"] = try text("playbook")
            object["job_tags"] = try text("job_tags")
            object["skip_tags"] = try text("skip_tags")
            object["timeout"] = try int("timeout")
            object["allow_simultaneous"] = try bool("allow_simultaneous")
            object["job_slice_number"] = try int("job_slice_number")
            object["job_slice_count"] = try int("job_slice_count")
            object["force_handlers"] = false
            object["start_at_task"] = ""
            object["use_fact_cache"] = false
            object["scm_branch"] = ""
            object["scm_revision"] = ""
            object["artifacts"] = [String: Any]()
            object["passwords_needed_to_start"] = [Any]()
            object["instance_group"] = (try? row.decode(column: "instance_group_id", as: Int?.self)).flatMap { $0 }.map { $0 as Any } ?? NSNull()
            object["organization"] = NSNull()
            object["webhook_service"] = ""
            object["webhook_credential"] = NSNull()
            object["webhook_guid"] = ""
            var rel = related
            rel["job_host_summaries"] = base + "job_host_summaries/"
            if let template = try row.decode(column: "job_template_id", as: Int?.self) {
                rel["job_template"] = prefix + "job_templates/\(template)/"
                rel["unified_job_template"] = prefix + "job_templates/\(template)/"
            }
            // A slice of a sliced launch points at its workflow job, as AWX's jobs do.
            if let workflow = try row.decode(column: "workflow_job_id", as: Int?.self) {
                rel["source_workflow_job"] = prefix + "workflow_jobs/\(workflow)/"
                object["summary_fields"] = ["source_workflow_job": ["id": workflow, "name": try text("name")]]
            }
            object["related"] = rel
        case .adHocCommand:
            object["module_name"] = try text("module_name")
            object["module_args"] = try text("module_args")
            object["become_enabled"] = try bool("become_enabled")
            object["credential"] = NSNull()
        }
        return object
    }

    func event(_ row: any SQLRow, kind: JobsAPI.Kind, truncate: Bool) throws -> [String: Any] {
        func text(_ c: String) throws -> String { try row.decode(column: c, as: String.self) }
        func int(_ c: String) throws -> Int { try row.decode(column: c, as: Int.self) }
        let id = try int("id")
        let jobID = try int("unified_job_id")
        let name = try text("event")
        var stdout = try text("stdout")
        if truncate, !name.hasPrefix("playbook_on"), stdout.count > Self.maxEventStdout {
            stdout = String(stdout.prefix(Self.maxEventStdout))
            if stdout.contains("\u{1b}[") { stdout += "\u{1b}[0m" }
        }
        let eventData = (try? JSONSerialization.jsonObject(with: Data(try text("event_data").utf8))) ?? [String: Any]()
        let hostID = try row.decode(column: "host_id", as: Int?.self)
        var related: [String: Any] = [kind.rawValue: prefix + kind.collection + "/\(jobID)/"]
        if kind == .job { related["children"] = prefix + "job_events/\(id)/children/" }
        if let hostID { related["host"] = prefix + "hosts/\(hostID)/" }
        let created = try text("created")
        return [
            "id": id, "type": kind.eventType, "url": prefix + kind.eventCollection + "/\(id)/", "related": related,
            "summary_fields": [kind.rawValue: ["id": jobID]], "created": created, "modified": created,
            kind.rawValue: jobID, "event": name, "counter": try int("counter"), "event_display": try text("event_display"),
            "event_data": eventData, "event_level": try int("event_level"), "failed": try row.decode(column: "failed", as: Bool.self),
            "changed": try row.decode(column: "changed", as: Bool.self), "uuid": try text("uuid"),
            "parent_uuid": try row.decode(column: "parent_uuid", as: String?.self) ?? "", "host": orNull(hostID),
            "host_name": try text("host_name"), "playbook": try text("playbook"), "play": try text("play"), "task": try text("task"),
            "role": try text("role"), "stdout": stdout, "start_line": try int("start_line"), "end_line": try int("end_line"),
            "verbosity": try int("verbosity"),
        ]
    }

    func hostSummary(_ row: any SQLRow) throws -> [String: Any] {
        func int(_ c: String) throws -> Int { try row.decode(column: c, as: Int.self) }
        let id = try int("id")
        let job = try int("unified_job_id")
        let hostID = try row.decode(column: "host_id", as: Int?.self)
        var related: [String: Any] = ["job": prefix + "jobs/\(job)/"]
        if let hostID { related["host"] = prefix + "hosts/\(hostID)/" }
        var object: [String: Any] = [
            "id": id, "type": "job_host_summary", "url": prefix + "job_host_summaries/\(id)/", "related": related,
            "summary_fields": ["job": ["id": job]], "created": try row.decode(column: "created", as: String.self),
            "modified": try row.decode(column: "modified", as: String.self), "job": job, "host": orNull(hostID),
            "constructed_host": NSNull(), "host_name": try row.decode(column: "host_name", as: String.self),
            "failed": try row.decode(column: "failed", as: Bool.self),
        ]
        for stat in ["changed", "dark", "failures", "ok", "processed", "skipped", "ignored", "rescued"] { object[stat] = try int(stat) }
        return object
    }
}
