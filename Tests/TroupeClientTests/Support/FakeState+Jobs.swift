import Foundation
import TroupeClient

/// Simulated runs: a launched job moves pending → running → successful/failed/canceled and
/// writes runner-style events (stdout, start_line/end_line) a few milliseconds apart.
/// Extra variables steer it: `fail: true` fails every host, `pause: seconds` holds each host's
/// task that long (so a test can cancel it).
extension FakeState {
    func subresource(_ collection: String, _ id: Int, _ name: String, _ request: FakeRequest,
                     _ body: Object) async -> FakeResponse {
        switch (collection, name, request.method) {
        case ("job_templates", "launch", "POST"):
            return launch(templateID: id, body)
        case ("jobs", "job_events", "GET"), ("ad_hoc_commands", "events", "GET"):
            var rows = events[id] ?? []
            if let floor = request.queryValue("start_line__gte").flatMap(Int.init) {
                rows = rows.filter { ($0["start_line"]?.intValue ?? 0) >= floor }
            }
            rows.sort { (($0["start_line"]?.intValue ?? 0), ($0["counter"]?.intValue ?? 0))
                < (($1["start_line"]?.intValue ?? 0), ($1["counter"]?.intValue ?? 0)) }
            return page(rows, request)
        case ("jobs", "stdout", "GET"), ("ad_hoc_commands", "stdout", "GET"):
            let text = (events[id] ?? []).compactMap { $0["stdout"]?.stringValue }.filter { !$0.isEmpty }
                .joined(separator: "\n")
            if request.queryValue("format") == "json" {
                return .json(200, ["range": ["start": 0, "end": .int(text.split(separator: "\n").count)], "content": .string(text)])
            }
            return FakeResponse(status: 200, body: Data((text.isEmpty ? "" : text + "\n").utf8), contentType: "text/plain")
        case ("jobs", "cancel", "GET"), ("ad_hoc_commands", "cancel", "GET"):
            return .json(200, ["can_cancel": .bool(isActive(collection, id))])
        case ("jobs", "cancel", "POST"), ("ad_hoc_commands", "cancel", "POST"):
            guard isActive(collection, id) else { return .detail(405, "Method \"POST\" not allowed.") }
            objects[collection]?[id]?["cancel_requested"] = true
            return FakeResponse(status: 202, body: Data())
        case ("jobs", "relaunch", "POST"):
            guard let job = objects["jobs"]?[id], let templateID = job["job_template"]?.intValue else {
                return .detail(404, "Not found.")
            }
            if isActive("jobs", id) { return .json(400, ["detail": "Job is still running."]) }
            var launchBody: Object = [:]
            if let extraVars = job["extra_vars"]?.stringValue, let parsed = try? JSONValue.parse(Data(extraVars.utf8)) {
                launchBody["extra_vars"] = parsed
            }
            if body["hosts"]?.stringValue == "failed" {
                let failed = Set((events[id] ?? []).filter { $0["event"] == "runner_on_failed" }
                    .compactMap { $0["host_name"]?.stringValue })
                if failed.isEmpty { return .json(400, ["hosts": ["No failed hosts."]]) }
                launchBody["limit"] = .string(failed.sorted().joined(separator: ","))
            } else if let limit = job["limit"] {
                launchBody["limit"] = limit
            }
            return launch(templateID: templateID, launchBody)
        default:
            return .detail(404, "Not found.")
        }
    }

    func isActive(_ collection: String, _ id: Int) -> Bool {
        ["new", "pending", "waiting", "running"].contains(objects[collection]?[id]?["status"]?.stringValue ?? "")
    }

    func launch(templateID: Int, _ body: Object) -> FakeResponse {
        guard let template = objects["job_templates"]?[templateID] else { return .detail(404, "Not found.") }
        if let extraVars = body["extra_vars"], extraVars.objectValue == nil {
            return .json(400, ["extra_vars": ["Must be a valid JSON or YAML dictionary."]])
        }
        // The template's extra_vars (a JSON string, as AWX stores them) under the launch's.
        var merged = template["extra_vars"]?.stringValue.flatMap { try? JSONValue.parse(Data($0.utf8)).objectValue } ?? [:]
        merged.merge(body["extra_vars"]?.objectValue ?? [:]) { _, launch in launch }
        let extraVars = JSONValue.object(merged)
        let job = insert("jobs", [
            "name": template["name"] ?? "", "job_template": .int(templateID), "status": "pending",
            "failed": false, "elapsed": 0.0, "job_explanation": "", "launch_type": "manual",
            "inventory": template["inventory"] ?? nil, "playbook": template["playbook"] ?? "",
            "limit": body["limit"] ?? template["limit"] ?? "", "extra_vars": .string(extraVars.jsonString()),
            "event_processing_finished": false,
        ])
        let id = job["id"]!.intValue!
        startRun(collection: "jobs", id: id, task: "ping", extraVars: extraVars.objectValue ?? [:])
        var answer = job
        answer["job"] = .int(id)
        var response = FakeResponse.json(201, .object(answer))
        response.headers = [("Location", "/api/v2/jobs/\(id)/")]
        return response
    }

    func startAdHoc(_ body: Object) -> FakeResponse {
        guard let inventory = body["inventory"]?.intValue, objects["inventories"]?[inventory] != nil else {
            return .json(400, ["inventory": ["This field is required."]])
        }
        guard let module = body["module_name"]?.stringValue, !module.isEmpty else {
            return .json(400, ["module_name": ["This field is required."]])
        }
        let command = insert("ad_hoc_commands", [
            "name": .string(module), "status": "pending", "failed": false, "elapsed": 0.0, "job_explanation": "",
            "inventory": .int(inventory), "module_name": .string(module), "module_args": body["module_args"] ?? "",
            "limit": body["limit"] ?? "", "event_processing_finished": false,
        ])
        let id = command["id"]!.intValue!
        startRun(collection: "ad_hoc_commands", id: id, task: module, extraVars: [:])
        var response = FakeResponse.json(201, .object(command))
        response.headers = [("Location", "/api/v2/ad_hoc_commands/\(id)/")]
        return response
    }

    func hostNames(collection: String, id: Int) -> [String] {
        guard let object = objects[collection]?[id] else { return [] }
        let inventory = object["inventory"]?.intValue
        var names = (objects["hosts"] ?? [:]).values.filter { $0["inventory"]?.intValue == inventory && inventory != nil }
            .compactMap { $0["name"]?.stringValue }.sorted()
        if names.isEmpty { names = ["localhost"] }
        let limit = object["limit"]?.stringValue ?? ""
        if !limit.isEmpty {
            let allowed = Set(limit.split(separator: ",").map(String.init))
            names = names.filter { allowed.contains($0) }
        }
        return names
    }

    func startRun(collection: String, id: Int, task: String, extraVars: Object) {
        let hosts = hostNames(collection: collection, id: id)
        let fail = extraVars["fail"]?.boolValue ?? false
        let pause = extraVars["pause"]?.doubleValue ?? 0
        runningJobs[id] = Task { [weak self] in
            guard let self else { return }
            await self.run(collection: collection, id: id, task: task, hosts: hosts, fail: fail, pause: pause)
        }
    }

    private func run(collection: String, id: Int, task: String, hosts: [String], fail: Bool, pause: Double) async {
        let started = Date()
        try? await Task.sleep(nanoseconds: 10_000_000)
        setStatus(collection, id, "running")
        emit(id, "playbook_on_start", "")
        emit(id, "playbook_on_play_start", "\nPLAY [all] *********************************************************************")
        emit(id, "playbook_on_task_start", "\nTASK [\(task)] ********************************************************************")
        var canceled = false
        for host in hosts {
            if pause > 0 {
                let until = Date().addingTimeInterval(pause)
                while Date() < until, !cancelRequested(collection, id) {
                    try? await Task.sleep(nanoseconds: 10_000_000)
                }
            } else {
                try? await Task.sleep(nanoseconds: 5_000_000)
            }
            if cancelRequested(collection, id) { canceled = true; break }
            if fail {
                emit(id, "runner_on_failed", "fatal: [\(host)]: FAILED! => {\"changed\": false, \"msg\": \"failed on purpose\"}", host: host)
            } else {
                emit(id, "runner_on_ok", "ok: [\(host)]", host: host)
            }
        }
        if !canceled {
            let recap = hosts.map { "\($0) : ok=\(fail ? 0 : 1)    changed=0    unreachable=0    failed=\(fail ? 1 : 0)" }
            emit(id, "playbook_on_stats", "\nPLAY RECAP *********************************************************************\n" + recap.joined(separator: "\n"))
        }
        let status = canceled ? "canceled" : (fail ? "failed" : "successful")
        objects[collection]?[id]?["failed"] = .bool(status != "successful")
        objects[collection]?[id]?["elapsed"] = .double((Date().timeIntervalSince(started) * 1000).rounded() / 1000)
        if canceled { objects[collection]?[id]?["job_explanation"] = "Job was canceled" }
        objects[collection]?[id]?["event_processing_finished"] = true
        setStatus(collection, id, status)
        runningJobs[id] = nil
    }

    private func cancelRequested(_ collection: String, _ id: Int) -> Bool {
        objects[collection]?[id]?["cancel_requested"]?.boolValue ?? false
    }

    private func setStatus(_ collection: String, _ id: Int, _ status: String) {
        objects[collection]?[id]?["status"] = .string(status)
        publish("jobs-status_changed", ["unified_job_id": .int(id), "status": .string(status),
                                        "type": .string(Self.typeNames[collection] ?? collection)])
        if Job.finishedStatuses.contains(status) { streamPublish(jobID: id, event: nil) }
    }

    private func emit(_ jobID: Int, _ event: String, _ stdout: String, host: String? = nil) {
        var list = events[jobID] ?? []
        let startLine = list.last?["end_line"]?.intValue ?? 0
        let lines = stdout.isEmpty ? 0 : stdout.split(separator: "\n", omittingEmptySubsequences: false).count
        let counter = list.count + 1
        let eventID = nextID
        nextID += 1
        list.append([
            "id": .int(eventID), "type": "job_event", "url": .string("/api/v2/job_events/\(eventID)/"),
            "job": .int(jobID), "event": .string(event), "counter": .int(counter),
            "uuid": .string(UUID().uuidString.lowercased()), "parent_uuid": "",
            "stdout": .string(stdout), "start_line": .int(startLine), "end_line": .int(startLine + lines),
            "failed": .bool(event == "runner_on_failed"), "changed": false,
            "host_name": .string(host ?? ""), "created": .string(timestamp()), "event_data": .object([:]),
            "emitted_at": .double(Date().timeIntervalSince1970),  // wall clock, for the latency benchmark
        ])
        events[jobID] = list
        let group = objects["ad_hoc_commands"]?[jobID] != nil ? "ad_hoc_command_events" : "job_events"
        publish("\(group)-\(jobID)", list[list.count - 1])
        streamPublish(jobID: jobID, event: list[list.count - 1])
    }
}
