import Foundation
import Testing
@testable import TroupeController

/// The job endpoints over HTTP on a real controller, on SQLite and on PostgreSQL: launch
/// rules, events, host summaries, stdout formats, access and bad input.
@Suite("jobs over HTTP", .serialized)
struct JobsHTTPTests {
    /// Organization, local inventory with two hosts, manual project, one template.
    static func makeTemplate(_ server: TestController, playbook: String, extra: JSON = [:]) async throws -> Int {
        let project = server.controller.configuration.projectsDirectory.appendingPathComponent("demo")
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        try playbook.write(to: project.appendingPathComponent("site.yml"), atomically: true, encoding: .utf8)
        let org = try await server.create("/api/v2/organizations/", ["name": "Org"])
        let inventory = try await server.create("/api/v2/inventories/", ["name": "Local", "organization": .int(org),
                                                                         "variables": "ansible_connection: local\nansible_python_interpreter: /usr/bin/python3\n"])
        for name in ["alpha", "beta"] {
            try await server.create("/api/v2/hosts/", ["name": .string(name), "inventory": .int(inventory),
                                                       "variables": "{\"ansible_connection\": \"local\", \"ansible_python_interpreter\": \"/usr/bin/python3\"}"])
        }
        let projectID = try await server.create("/api/v2/projects/", ["name": "Demo", "organization": .int(org), "scm_type": "", "local_path": "demo"])
        var body = JSONObject([("name", "Site"), ("project", .int(projectID)), ("inventory", .int(inventory)), ("playbook", "site.yml")])
        for (key, value) in extra.objectValue?.pairs ?? [] { body[key] = value }
        return try await server.create("/api/v2/job_templates/", .object(body))
    }

    static func waitForEnd(_ server: TestController, _ id: Int, seconds: Double = 30) async throws -> JSON {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let job = try await server.get("/api/v2/jobs/\(id)/").json
            if job["event_processing_finished"] == true, let status = job["status"]?.stringValue,
               ["successful", "failed", "error", "canceled"].contains(status) { return job }
            if Date() > deadline { throw TestFailure("job \(id) did not end: \(job.serialized())") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test(arguments: TestController.Engine.allCases)
    func launchEventsSummariesStdout(_ engine: TestController.Engine) async throws {
        try await withController(engine) { server in
            let template = try await Self.makeTemplate(server, playbook: """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - debug: msg="{{ greeting | default('hi') }} from {{ inventory_hostname }}"
                    - command: echo changed
                    - fail: msg=beta-breaks
                      when: inventory_hostname == 'beta'
                """, extra: ["ask_variables_on_launch": true])

            let info = try await server.get("/api/v2/job_templates/\(template)/launch/").json
            #expect(info["ask_variables_on_launch"] == true)
            #expect(info["ask_limit_on_launch"] == false)
            #expect(info["can_start_without_user_input"] == true)

            // limit is not prompted: it is ignored and reported; extra_vars are taken.
            let launch = try await server.request("POST", "/api/v2/job_templates/\(template)/launch/",
                                                  json: ["extra_vars": "{\"greeting\": \"howdy\"}", "limit": "alpha"])
            #expect(launch.status == 201, "\(launch.body)")
            let id = try #require(launch.json["job"]?.intValue)
            #expect(launch.json["ignored_fields"]?["limit"] == "alpha")
            #expect(launch.json["type"] == "job")
            let job = try await Self.waitForEnd(server, id)
            #expect(job["status"] == "failed")
            #expect(job["failed"] == true)
            #expect(job["limit"] == "")
            #expect(job["extra_vars"]?.stringValue?.contains("howdy") == true)
            #expect(job["execution_node"] == "test-node")

            let events = try await server.get("/api/v2/jobs/\(id)/job_events/?order_by=start_line&no_truncate=True&page_size=200").json
            let rows = try #require(events["results"]?.arrayValue)
            #expect(rows.count == events["count"]?.intValue)
            #expect(rows.map { $0["counter"]?.intValue ?? 0 } == Array(1...rows.count))
            for (a, b) in zip(rows, rows.dropFirst()) { #expect(a["end_line"] == b["start_line"]) }
            #expect(rows.contains { $0["event"] == "runner_on_ok" && $0["stdout"]?.stringValue?.contains("howdy from alpha") == true })
            let failure = try #require(rows.first { $0["event"] == "runner_on_failed" })
            #expect(failure["host_name"] == "beta")
            #expect(failure["failed"] == true)
            #expect(failure["event_level"] == 3)
            #expect(failure["event_display"] == "Host Failed")
            let after = try #require(rows[3]["end_line"]?.intValue)
            let later = try await server.get("/api/v2/jobs/\(id)/job_events/?order_by=start_line&start_line__gte=\(after)").json
            #expect(later["results"]?.arrayValue?.first?["start_line"]?.intValue == after)
            #expect(try await server.get("/api/v2/jobs/\(id)/job_events/?bogus_field=1").status == 400)
            // `next` keeps the filters (awxkit's `list --all` follows it as given).
            let firstPage = try await server.get("/api/v2/jobs/\(id)/job_events/?order_by=start_line&page_size=2").json
            #expect(firstPage["next"]?.stringValue == "/api/v2/jobs/\(id)/job_events/?order_by=start_line&page=2&page_size=2")
            let secondPage = try await server.get(try #require(firstPage["next"]?.stringValue)).json
            #expect(secondPage["results"]?.arrayValue?.first?["counter"] == 3)

            let summaries = try await server.get("/api/v2/jobs/\(id)/job_host_summaries/").json
            #expect(summaries["results"]?.arrayValue?.map { $0["host_name"] } == ["alpha", "beta"])
            #expect(summaries["results"]?.arrayValue?.map { $0["failed"] } == [false, true])
            #expect(summaries["results"]?.arrayValue?.map { $0["changed"] } == [1, 1])

            let txt = try await server.get("/api/v2/jobs/\(id)/stdout/?format=txt")
            #expect(txt.header("Content-Type")?.hasPrefix("text/plain") == true)
            #expect(txt.body.contains("PLAY RECAP") && !txt.body.contains("\u{1b}["))
            let ansi = try await server.get("/api/v2/jobs/\(id)/stdout/?format=ansi")
            #expect(ansi.body.contains("\u{1b}["))
            let download = try await server.get("/api/v2/jobs/\(id)/stdout/?format=txt_download")
            #expect(download.header("Content-Disposition") == "attachment; filename=\"job_\(id).txt\"")
            let json = try await server.get("/api/v2/jobs/\(id)/stdout/?format=json&start_line=0&end_line=2&content_encoding=base64").json
            #expect(json["range"]?["end"] == 2)
            let decoded = String(decoding: Data(base64Encoded: json["content"]?.stringValue ?? "") ?? Data(), as: UTF8.self)
            #expect(decoded.contains("PLAY [all]"))
            let html = try await server.get("/api/v2/jobs/\(id)/stdout/?format=html")
            #expect(html.header("Content-Type")?.hasPrefix("text/html") == true)

            let children = try await server.get("/api/v2/jobs/\(id)/job_events/children_summary/").json
            #expect(children["event_processing_finished"] == true)
            #expect(children["is_tree"] == true)

            #expect(try await server.get("/api/v2/job_templates/\(template)/jobs/").json["count"] == 1)
            #expect(try await server.get("/api/v2/unified_jobs/?status=failed").json["count"] == 1)
            #expect(try await server.get("/api/v2/jobs/?failed=true").json["count"] == 1)
            #expect(try await server.get("/api/v2/jobs/?status=successful").json["count"] == 0)
        }
    }

    @Test(arguments: TestController.Engine.allCases)
    func accessMetadataAndBadInput(_ engine: TestController.Engine) async throws {
        try await withController(engine) { server in
            let template = try await Self.makeTemplate(server, playbook: "- hosts: all\n  gather_facts: false\n  tasks:\n    - ping:\n")

            let options = try await server.request("OPTIONS", "/api/v2/jobs/")
            #expect(options.status == 200)
            let status = options.json["actions"]?["GET"]?["status"]
            #expect(status?["type"] == "choice")
            #expect(status?["choices"]?.arrayValue?.contains(["successful", "Successful"]) == true)
            #expect(options.json["actions"]?["POST"] == nil)
            let detailAllow = try await server.request("OPTIONS", "/api/v2/jobs/1/").header("Allow")
            #expect(detailAllow == "GET, DELETE, HEAD, OPTIONS")
            let adHocOptions = try await server.request("OPTIONS", "/api/v2/ad_hoc_commands/").json
            #expect(adHocOptions["actions"]?["POST"]?["module_name"]?["type"] == "choice")
            let launchOptions = try await server.request("OPTIONS", "/api/v2/job_templates/\(template)/launch/").json
            #expect(launchOptions["actions"]?["POST"]?["extra_vars"]?["type"] == "json")

            // Bad input: AWX's 4xx bodies, never a 500.
            #expect(try await server.get("/api/v2/jobs/999/").status == 404)
            #expect(try await server.get("/api/v2/jobs/abc/").status == 404)
            #expect(try await server.request("POST", "/api/v2/job_templates/999/launch/", json: [:]).status == 404)
            let notJSON = try await server.request("POST", "/api/v2/job_templates/\(template)/launch/", body: "{nope")
            #expect(notJSON.status == 400)
            #expect(notJSON.json["detail"]?.stringValue?.hasPrefix("JSON parse error") == true)
            let badVerbosity = try await server.request("POST", "/api/v2/ad_hoc_commands/", json: ["inventory": 1, "module_name": "ping", "verbosity": 9])
            #expect(badVerbosity.status == 400)
            let missingInventory = try await server.request("POST", "/api/v2/ad_hoc_commands/", json: ["module_name": "ping"])
            #expect(missingInventory.status == 400)
            #expect(missingInventory.json["inventory"] != nil)
            let unknownInventory = try await server.request("POST", "/api/v2/ad_hoc_commands/", json: ["inventory": 4242, "module_name": "ping"])
            #expect(unknownInventory.status == 400)
            #expect(try await server.get("/api/v2/jobs/", auth: .none).status == 401)

            // A user without execute_role cannot launch nor see the admin's jobs.
            try await server.makeUser("viewer", password: "viewer-pw-1")
            let viewer = TestController.Auth.basic("viewer", "viewer-pw-1")
            #expect(try await server.request("POST", "/api/v2/job_templates/\(template)/launch/", auth: viewer, json: [:]).status == 403)
            let launched = try await server.request("POST", "/api/v2/job_templates/\(template)/launch/", json: [:])
            let id = try #require(launched.json["job"]?.intValue)
            _ = try await Self.waitForEnd(server, id)
            #expect(try await server.get("/api/v2/jobs/", auth: viewer).json["count"] == 0)
            #expect(try await server.get("/api/v2/jobs/\(id)/", auth: viewer).status == 403)
            #expect(try await server.request("POST", "/api/v2/jobs/\(id)/relaunch/", auth: viewer, json: [:]).status == 403)
            #expect(try await server.request("POST", "/api/v2/jobs/\(id)/relaunch/", body: "[1]").status == 400)

            // Ad hoc commands under an inventory, a group's limit under a host.
            let host = try #require(try await server.get("/api/v2/hosts/?name=beta").json["results"]?.arrayValue?.first?["id"]?.intValue)
            let adHoc = try await server.request("POST", "/api/v2/hosts/\(host)/ad_hoc_commands/", json: ["module_name": "ping"])
            #expect(adHoc.status == 201, "\(adHoc.body)")
            #expect(adHoc.json["limit"] == "beta")
            let adHocID = try #require(adHoc.json["id"]?.intValue)
            let deadline = Date().addingTimeInterval(30)
            var finished = JSON.null
            while Date() < deadline {
                finished = try await server.get("/api/v2/ad_hoc_commands/\(adHocID)/").json
                if finished["event_processing_finished"] == true { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(finished["status"] == "successful", "\(finished.serialized())")
            let events = try await server.get("/api/v2/ad_hoc_commands/\(adHocID)/events/").json
            let hosts = Set(events["results"]?.arrayValue?.compactMap { $0["host_name"]?.stringValue }.filter { !$0.isEmpty } ?? [])
            #expect(hosts == ["beta"])
        }
    }

    @Test(arguments: TestController.Engine.allCases)
    func surveyValidatesAndHidesPasswords(_ engine: TestController.Engine) async throws {
        try await withController(engine) { server in
            let template = try await Self.makeTemplate(server, playbook: """
                - hosts: alpha
                  gather_facts: false
                  tasks:
                    - assert:
                        that:
                          - secret == 's3cret-answer'
                          - who == 'ops'
                          - size == 3
                """)
            let spec: JSON = ["name": "", "description": "", "spec": [
                ["type": "text", "question_name": "Who", "variable": "who", "required": true],
                ["type": "password", "question_name": "Secret", "variable": "secret", "required": true],
                ["type": "integer", "question_name": "Size", "variable": "size", "required": false, "default": 3, "min": 1, "max": 5],
            ]]
            let bad = try await server.request("POST", "/api/v2/job_templates/\(template)/survey_spec/",
                                               json: ["name": "", "description": "", "spec": [["type": "colour", "question_name": "x", "variable": "x", "required": true]]])
            #expect(bad.status == 400)
            #expect(try await server.request("POST", "/api/v2/job_templates/\(template)/survey_spec/", json: spec).status == 200)
            #expect(try await server.get("/api/v2/job_templates/\(template)/survey_spec/").json["spec"]?.arrayValue?.count == 3)
            #expect(try await server.request("PATCH", "/api/v2/job_templates/\(template)/", json: ["survey_enabled": true]).status == 200)

            let info = try await server.get("/api/v2/job_templates/\(template)/launch/").json
            #expect(info["variables_needed_to_start"] == ["who", "secret"])
            #expect(info["can_start_without_user_input"] == false)
            let missing = try await server.request("POST", "/api/v2/job_templates/\(template)/launch/", json: ["extra_vars": ["who": "ops"]])
            #expect(missing.status == 400, "\(missing.body)")
            #expect(missing.json["variables_needed_to_start"] != nil)
            let outOfRange = try await server.request("POST", "/api/v2/job_templates/\(template)/launch/",
                                                      json: ["extra_vars": ["who": "ops", "secret": "s3cret-answer", "size": 9]])
            #expect(outOfRange.status == 400)

            let launch = try await server.request("POST", "/api/v2/job_templates/\(template)/launch/",
                                                  json: ["extra_vars": ["who": "ops", "secret": "s3cret-answer"]])
            #expect(launch.status == 201, "\(launch.body)")
            #expect(!launch.body.contains("s3cret-answer"))
            let id = try #require(launch.json["job"]?.intValue)
            let job = try await Self.waitForEnd(server, id)
            #expect(job["status"] == "successful", "the run got the real answer: \(job.serialized())")
            #expect(job["extra_vars"]?.stringValue?.contains("$encrypted$") == true)
            let everything = try await server.get("/api/v2/jobs/\(id)/").body + (try await server.get("/api/v2/jobs/\(id)/stdout/?format=txt").body)
                + (try await server.get("/api/v2/jobs/\(id)/job_events/?page_size=200").body)
            #expect(!everything.contains("s3cret-answer"))
            // A relaunch carries the real answers along.
            let relaunch = try await server.request("POST", "/api/v2/jobs/\(id)/relaunch/", json: [:])
            let again = try #require(relaunch.json["id"]?.intValue)
            #expect(try await Self.waitForEnd(server, again)["status"] == "successful")
            #expect(try await server.request("DELETE", "/api/v2/job_templates/\(template)/survey_spec/").status == 204)
        }
    }

    @Test(arguments: TestController.Engine.allCases)
    func dueScheduleLaunchesItsTemplate(_ engine: TestController.Engine) async throws {
        try await withController(engine) { server in
            let template = try await Self.makeTemplate(server, playbook: "- hosts: alpha\n  gather_facts: false\n  tasks:\n    - debug: msg={{ note }}\n",
                                                       extra: ["ask_variables_on_launch": true])
            let bad = try await server.request("POST", "/api/v2/schedules/", json: ["name": "bad", "unified_job_template": .int(template),
                                                                                     "rrule": "RRULE:FREQ=SOMETIMES"])
            #expect(bad.status == 400)
            #expect(bad.json["rrule"] != nil)
            // One occurrence, two seconds from now.
            let start = Timestamp.format(Date().addingTimeInterval(2)).filter { $0.isNumber }.prefix(14)
            let rrule = "DTSTART:\(start.prefix(8))T\(start.dropFirst(8))Z RRULE:FREQ=MINUTELY;INTERVAL=1;COUNT=1"
            let created = try await server.request("POST", "/api/v2/schedules/", json: ["name": "soon", "unified_job_template": .int(template),
                                                                                         "rrule": .string(rrule), "extra_data": ["note": "scheduled-run"]])
            #expect(created.status == 201, "\(created.body)")
            let scheduleID = try #require(created.json["id"]?.intValue)
            #expect(created.json["next_run"]?.stringValue != nil)
            let deadline = Date().addingTimeInterval(20)
            var jobs = JSON.null
            while Date() < deadline {
                jobs = try await server.get("/api/v2/jobs/?launch_type=scheduled").json
                if jobs["count"] == 1 { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            let id = try #require(jobs["results"]?.arrayValue?.first?["id"]?.intValue, "\(jobs.serialized())")
            let job = try await Self.waitForEnd(server, id)
            #expect(job["status"] == "successful")
            #expect(try await server.get("/api/v2/jobs/\(id)/stdout/?format=txt").body.contains("scheduled-run"))
            #expect(try await server.get("/api/v2/schedules/\(scheduleID)/").json["next_run"] == .null, "COUNT=1 is used up")
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await server.get("/api/v2/jobs/?launch_type=scheduled").json["count"] == 1, "launched once")
        }
    }

    @Test(arguments: TestController.Engine.allCases)
    func webhookNotificationsOnStartSuccessAndFailure(_ engine: TestController.Engine) async throws {
        let hook = try WebhookReceiver()
        defer { hook.stop() }
        try await withController(engine) { server in
            let template = try await Self.makeTemplate(server, playbook: "- hosts: alpha\n  gather_facts: false\n  tasks:\n    - fail: msg=x\n      when: broken | default(false) | bool\n",
                                                       extra: ["ask_variables_on_launch": true])
            let org = try #require(try await server.get("/api/v2/organizations/?name=Org").json["results"]?.arrayValue?.first?["id"]?.intValue)
            let badURL = try await server.request("POST", "/api/v2/notification_templates/", json: [
                "name": "bad", "organization": .int(org), "notification_type": "webhook", "notification_configuration": ["url": "ftp://x"]])
            #expect(badURL.status == 400)
            let created = try await server.request("POST", "/api/v2/notification_templates/", json: [
                "name": "hook", "organization": .int(org), "notification_type": "webhook",
                "notification_configuration": ["url": .string("http://127.0.0.1:\(hook.port)/hook"), "headers": ["X-Test": "yes"],
                                               "username": "bot", "password": "hook-secret-pw"]])
            #expect(created.status == 201, "\(created.body)")
            #expect(!created.body.contains("hook-secret-pw"))
            let notification = try #require(created.json["id"]?.intValue)
            for event in ["started", "success", "error"] {
                let linked = try await server.request("POST", "/api/v2/job_templates/\(template)/notification_templates_\(event)/", json: ["id": .int(notification)])
                #expect(linked.status == 204, "\(linked.body)")
            }
            #expect(try await server.get("/api/v2/job_templates/\(template)/notification_templates_success/").json["count"] == 1)

            let ok = try #require(try await server.request("POST", "/api/v2/job_templates/\(template)/launch/", json: [:]).json["job"]?.intValue)
            _ = try await Self.waitForEnd(server, ok)
            let bad = try #require(try await server.request("POST", "/api/v2/job_templates/\(template)/launch/",
                                                            json: ["extra_vars": ["broken": true]]).json["job"]?.intValue)
            _ = try await Self.waitForEnd(server, bad)
            let deadline = Date().addingTimeInterval(10)
            while hook.requests.count < 4 && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
            let received = hook.requests
            #expect(received.count == 4, "\(received)")
            let statuses = received.compactMap { (try? JSONParser.parse($0.body))?["status"]?.stringValue }
            #expect(statuses.sorted() == ["failed", "running", "running", "successful"], "\(statuses)")
            #expect(received.allSatisfy { $0.head.contains("POST /hook") && $0.head.lowercased().contains("x-test: yes") })
            let basic = "Basic " + Data("bot:hook-secret-pw".utf8).base64EncodedString()
            #expect(received.allSatisfy { $0.head.contains(basic) })

            let unlinked = try await server.request("POST", "/api/v2/job_templates/\(template)/notification_templates_success/",
                                                    json: ["id": .int(notification), "disassociate": true])
            #expect(unlinked.status == 204)
            #expect(try await server.get("/api/v2/job_templates/\(template)/notification_templates_success/").json["count"] == 0)
        }
    }
}

/// A loopback HTTP server that answers 200 to everything and keeps each request's head
/// and body (webhook deliveries).
final class WebhookReceiver: @unchecked Sendable {
    struct Received: Sendable { let head: String; let body: String }
    let port: Int
    private let socketFD: Int32
    private let lock = NSLock()
    private var stored: [Received] = []
    var requests: [Received] { lock.withLock { stored } }

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        socketFD = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 16) == 0 else { throw TestFailure("cannot listen on loopback") }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in self.serve() }
        thread.start()
    }

    func stop() { shutdown(socketFD, Int32(SHUT_RDWR)); close(socketFD) }

    private func serve() {
        while true {
            let client = accept(socketFD, nil, nil)
            if client < 0 { return }
            var data = Data()
            var buffer = [UInt8](repeating: 0, count: 65536)
            var expected: Int?
            while true {
                let count = read(client, &buffer, buffer.count)
                if count <= 0 { break }
                data.append(contentsOf: buffer[0..<count])
                let text = String(decoding: data, as: UTF8.self)
                if let split = text.range(of: "\r\n\r\n") {
                    let head = String(text[..<split.lowerBound])
                    if expected == nil {
                        let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                        expected = head.utf8.count + 4 + length
                    }
                    if data.count >= expected! { break }
                }
            }
            let text = String(decoding: data, as: UTF8.self)
            let parts = text.components(separatedBy: "\r\n\r\n")
            lock.withLock { stored.append(Received(head: parts[0], body: parts.dropFirst().joined(separator: "\r\n\r\n"))) }
            let reply = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            _ = reply.withCString { write(client, $0, strlen($0)) }
            close(client)
        }
    }
}
