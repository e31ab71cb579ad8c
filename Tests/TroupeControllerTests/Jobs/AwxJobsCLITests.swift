import Foundation
import Testing
@testable import TroupeController

/// The jobs half of the real `awx` CLI (awxkit 24.6.1) against an in-process controller
/// whose jobs run the `troupe` binary of this build on a local-connection inventory.
///
/// awxkit 24.6.1 has no `jobs cancel` or `jobs relaunch` subcommand (its `jobs` actions are
/// list, get, delete, stdout and monitor), so those two are driven through the REST
/// endpoints the AWX UI uses; the CLI's answer to them is checked too.
@Suite("awx CLI: jobs", .serialized)
struct AwxJobsCLITests {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
        var json: JSON { (try? JSONParser.parse(stdout)) ?? .null }
    }

    static func awxPath() throws -> String {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") + ["/root/.pyenv/shims", "/usr/local/bin"] {
            let candidate = "\(directory)/awx"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw TestFailure("the awx CLI is not installed; run scripts/install-deps.sh (pip install awxkit==24.6.1 'setuptools<81')")
    }

    /// Runs awx on a Dispatch thread (blocking a task thread would starve the in-process
    /// controller), output to temporary files, killed after `limit` seconds.
    static func awx(_ server: TestController, _ arguments: [String], limit: Double = 90) async throws -> Run {
        let path = try awxPath()
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: path)
                    process.arguments = ["--conf.host", server.baseURL, "--conf.color", "f", "-f", "json",
                                         "--conf.username", "admin", "--conf.password", TestController.adminPassword] + arguments
                    var environment = ProcessInfo.processInfo.environment
                    for key in environment.keys where key.hasPrefix("CONTROLLER_") || key.hasPrefix("TOWER_") { environment[key] = nil }
                    environment["PYTHONWARNINGS"] = "ignore"
                    process.environment = environment
                    let base = FileManager.default.temporaryDirectory.appendingPathComponent("awx-\(UUID().uuidString)")
                    let outURL = base.appendingPathExtension("out"), errURL = base.appendingPathExtension("err")
                    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
                    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
                    defer { try? FileManager.default.removeItem(at: outURL); try? FileManager.default.removeItem(at: errURL) }
                    process.standardOutput = try FileHandle(forWritingTo: outURL)
                    process.standardError = try FileHandle(forWritingTo: errURL)
                    process.standardInput = FileHandle.nullDevice
                    try process.run()
                    let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
                    DispatchQueue.global().asyncAfter(deadline: .now() + limit, execute: watchdog)
                    process.waitUntilExit()
                    watchdog.cancel()
                    return Run(status: process.terminationStatus, stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                               stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
                })
            }
        }
    }

    @discardableResult
    static func ok(_ server: TestController, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> Run {
        let run = try await awx(server, arguments)
        #expect(run.status == 0, "awx \(arguments.joined(separator: " ")) → \(run.status)\n\(run.stdout)\n\(run.stderr)", sourceLocation: sourceLocation)
        return run
    }

    /// Organization, local inventory, manual project with three playbooks, templates.
    static func makeContent(_ server: TestController) async throws {
        let project = server.controller.configuration.projectsDirectory.appendingPathComponent("demo")
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        let playbooks = [
            "site.yml": "- hosts: all\n  gather_facts: false\n  tasks:\n    - ping:\n    - debug: msg=hello-from-troupe\n",
            "fail.yml": "- hosts: all\n  gather_facts: false\n  tasks:\n    - fail: msg=boom-on-purpose\n",
            "slow.yml": "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: sleep 60\n",
        ]
        for (name, text) in playbooks { try text.write(to: project.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        try await ok(server, ["organizations", "create", "--name", "Org"])
        try await ok(server, ["inventory", "create", "--name", "Local", "--organization", "Org"])
        try await ok(server, ["hosts", "create", "--name", "localhost", "--inventory", "Local",
                              "--variables", "{\"ansible_connection\": \"local\", \"ansible_python_interpreter\": \"/usr/bin/python3\"}"])
        try await ok(server, ["projects", "create", "--name", "Demo", "--organization", "Org", "--scm_type", "", "--local_path", "demo"])
        for (name, playbook) in [("Hello", "site.yml"), ("Broken", "fail.yml"), ("Slow", "slow.yml")] {
            try await ok(server, ["job_templates", "create", "--name", name, "--project", "Demo", "--inventory", "Local", "--playbook", playbook])
        }
        try await ok(server, ["credentials", "create", "--name", "Local machine", "--organization", "Org", "--credential_type", "Machine",
                              "--inputs", "{\"username\": \"root\"}"])
    }

    static func waitForStatus(_ server: TestController, _ path: String, _ wanted: Set<String>, seconds: Double = 30) async throws -> JSON {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let job = try await server.get(path).json
            if let status = job["status"]?.stringValue, wanted.contains(status) { return job }
            if Date() > deadline { throw TestFailure("\(path) did not reach \(wanted): \(job.serialized())") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    @Test func launchMonitorListGetStdoutAdHoc() async throws {
        try await withController { server in
            try await Self.makeContent(server)

            // launch --monitor prints the stdout as it runs and exits 0 …
            let launched = try await Self.ok(server, ["job_templates", "launch", "Hello", "--monitor"])
            #expect(launched.stdout.contains("TASK [debug]"))
            #expect(launched.stdout.contains("hello-from-troupe"))
            #expect(launched.stdout.contains("PLAY RECAP"))
            let jobID = try #require(launched.json["id"]?.intValue ?? Self.lastJSONObject(launched.stdout)?["id"]?.intValue)
            // … and 1 for a failing playbook.
            let failed = try await Self.awx(server, ["job_templates", "launch", "Broken", "--monitor"])
            #expect(failed.status == 1, "\(failed.stdout)\n\(failed.stderr)")
            #expect(failed.stdout.contains("boom-on-purpose"))

            let successful = try await Self.ok(server, ["jobs", "list", "--status", "successful"])
            #expect(successful.json["count"] == 1)
            #expect(successful.json["results"]?.arrayValue?.first?["id"]?.intValue == jobID)
            #expect(try await Self.ok(server, ["jobs", "list", "--status", "failed"]).json["count"] == 1)

            let got = try await Self.ok(server, ["jobs", "get", String(jobID)])
            #expect(got.json["status"] == "successful")
            #expect(got.json["failed"] == false)
            #expect(got.json["event_processing_finished"] == true)
            #expect(got.json["playbook"] == "site.yml")
            #expect((got.json["elapsed"].flatMap { if case .double(let d) = $0 { return d }; return $0.intValue.map(Double.init) } ?? 0) > 0)

            let stdout = try await Self.ok(server, ["jobs", "stdout", String(jobID)])
            #expect(stdout.stdout.contains("ok: [localhost]"))
            #expect(!stdout.stdout.contains("\u{1b}["), "txt_download must be plain text")

            // Host summaries from playbook_on_stats.
            let summaries = try await server.get("/api/v2/jobs/\(jobID)/job_host_summaries/").json
            #expect(summaries["count"] == 1)
            #expect(summaries["results"]?.arrayValue?.first?["ok"] == 2)

            // Ad hoc command (without --monitor: awxkit 24.6.1 crashes there), then its stdout.
            let adHoc = try await Self.ok(server, ["ad_hoc_commands", "create", "--inventory", "Local", "--credential", "Local machine",
                                                   "--module_name", "command", "--module_args", "echo adhoc-ran"])
            let adHocID = try #require(adHoc.json["id"]?.intValue)
            let finished = try await Self.waitForStatus(server, "/api/v2/ad_hoc_commands/\(adHocID)/", ["successful", "failed", "error"])
            #expect(finished["status"] == "successful", "\(finished.serialized())")
            let adHocStdout = try await Self.ok(server, ["ad_hoc_commands", "stdout", String(adHocID)])
            // ansible's ad hoc output, as AWX shows it.
            #expect(adHocStdout.stdout.contains("localhost | CHANGED | rc=0 >>\nadhoc-ran"), "\(adHocStdout.stdout)")
            let unified = try await server.get("/api/v2/unified_jobs/").json
            #expect(unified["count"] == 3)
        }
    }

    @Test func cancelAndRelaunch() async throws {
        try await withController { server in
            try await Self.makeContent(server)
            // awxkit 24.6.1 offers no cancel/relaunch actions on jobs.
            let noCancel = try await Self.awx(server, ["jobs", "cancel", "1"])
            #expect(noCancel.status != 0 && noCancel.stderr.contains("invalid choice: 'cancel'"))

            // Cancel a running job through the API: it ends `canceled` within 2 s.
            let launch = try await server.request("POST", "/api/v2/job_templates/Slow++Org/launch/", json: [:])
            #expect(launch.status == 201, "\(launch.body)")
            let jobID = try #require(launch.json["job"]?.intValue)
            #expect(launch.header("Location") == "/api/v2/jobs/\(jobID)/")
            _ = try await Self.waitForStatus(server, "/api/v2/jobs/\(jobID)/", ["running"])
            #expect(try await server.get("/api/v2/jobs/\(jobID)/cancel/").json["can_cancel"] == true)
            #expect(try await server.request("DELETE", "/api/v2/jobs/\(jobID)/").status == 403)
            let asked = Date()
            #expect(try await server.request("POST", "/api/v2/jobs/\(jobID)/cancel/").status == 202)
            let canceled = try await Self.waitForStatus(server, "/api/v2/jobs/\(jobID)/", ["canceled", "successful", "failed", "error"], seconds: 10)
            #expect(canceled["status"] == "canceled")
            #expect(Date().timeIntervalSince(asked) < 2.5)
            #expect(canceled["job_explanation"]?.stringValue?.isEmpty == false)
            #expect(try await server.request("POST", "/api/v2/jobs/\(jobID)/cancel/").status == 405)
            let monitorCanceled = try await Self.awx(server, ["jobs", "get", String(jobID)])
            #expect(monitorCanceled.json["status"] == "canceled")
            #expect(try await server.request("DELETE", "/api/v2/jobs/\(jobID)/").status == 204)
            #expect(try await server.get("/api/v2/jobs/\(jobID)/").status == 404)

            // Relaunch a failed job on its failed hosts.
            let broken = try await server.request("POST", "/api/v2/job_templates/Broken++Org/launch/", json: [:])
            let brokenID = try #require(broken.json["job"]?.intValue)
            _ = try await Self.waitForStatus(server, "/api/v2/jobs/\(brokenID)/", ["failed"])
            let info = try await server.get("/api/v2/jobs/\(brokenID)/relaunch/").json
            #expect(info["retry_counts"]?["failed"] == 1)
            let relaunch = try await server.request("POST", "/api/v2/jobs/\(brokenID)/relaunch/", json: ["hosts": "failed"])
            #expect(relaunch.status == 201, "\(relaunch.body)")
            #expect(relaunch.json["limit"] == "localhost")
            #expect(relaunch.json["launch_type"] == "relaunch")
            let again = try #require(relaunch.json["id"]?.intValue)
            let relaunched = try await Self.waitForStatus(server, "/api/v2/jobs/\(again)/", ["failed", "successful", "error"])
            #expect(relaunched["status"] == "failed")
            #expect(try await server.request("POST", "/api/v2/jobs/\(brokenID)/relaunch/", json: ["hosts": "some"]).status == 400)
        }
    }

    /// The `--monitor` output is the stdout followed by the job's JSON.
    static func lastJSONObject(_ text: String) -> JSON? {
        guard let start = text.range(of: "\n{", options: .backwards) else { return nil }
        return try? JSONParser.parse(String(text[text.index(after: start.lowerBound)...]))
    }
}
