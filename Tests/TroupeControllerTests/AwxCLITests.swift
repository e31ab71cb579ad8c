import Foundation
import Testing
@testable import TroupeController

/// The real `awx` CLI (awxkit 24.6.1) end to end: session login and token login, create,
/// list with filters, get, modify, delete, export and import.
@Suite("awx CLI", .serialized)
struct AwxCLITests {
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

    /// Runs awx on a Dispatch thread: blocking a task thread would starve the in-process
    /// controller that awx talks to (the cooperative pool has one thread per core).
    static func awx(_ server: TestController, _ arguments: [String], token: String? = nil, stdin: String? = nil) async throws -> Run {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try awxBlocking(server, arguments, token: token, stdin: stdin) })
            }
        }
    }

    static func awxBlocking(_ server: TestController, _ arguments: [String], token: String? = nil, stdin: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try awxPath())
        var auth = ["--conf.username", "admin", "--conf.password", TestController.adminPassword]
        if let token { auth = ["--conf.token", token] }
        process.arguments = ["--conf.host", server.baseURL, "--conf.color", "f", "-f", "json"] + auth + arguments
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("CONTROLLER_") || key.hasPrefix("TOWER_") { environment[key] = nil }
        environment["PYTHONWARNINGS"] = "ignore"
        process.environment = environment
        let output = Pipe(), errors = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Bounded: an awx that hangs (e.g. waiting on a server that never answers) is
        // killed after two minutes so the suite cannot stall.
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 120, execute: watchdog)
        defer { watchdog.cancel() }
        let errorHandle = errors.fileHandleForReading
        let errRead = DispatchQueue(label: "awx.stderr")
        nonisolated(unsafe) var err = Data()
        let errDone = DispatchSemaphore(value: 0)
        errRead.async { err = readAllRetryingEINTR(errorHandle.fileDescriptor); errDone.signal() }
        let out = readAllRetryingEINTR(output.fileHandleForReading.fileDescriptor)
        errDone.wait()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }

    /// Runs and requires exit 0.
    @discardableResult
    static func ok(_ server: TestController, _ arguments: [String], token: String? = nil, stdin: String? = nil,
                   sourceLocation: SourceLocation = #_sourceLocation) async throws -> Run {
        let run = try await awx(server, arguments, token: token, stdin: stdin)
        #expect(run.status == 0, "awx \(arguments.joined(separator: " ")) → \(run.status)\n\(run.stdout)\n\(run.stderr)", sourceLocation: sourceLocation)
        return run
    }

    @Test
    func createListGetModifyDeleteExportImport() async throws {
        let server = try await TestController.start()
        let target = try await TestController.start()
        do {
            try await scenario(server, target)
        } catch {
            await server.stop(); await target.stop()
            throw error
        }
        await server.stop(); await target.stop()
    }

    func scenario(_ server: TestController, _ target: TestController) async throws {
        try server.makeProjectDirectory("demo")
        try target.makeProjectDirectory("demo")

        // Session login (username/password) for every command below.
        let org = try await AwxCLITests.ok(server, ["organizations", "create", "--name", "Org1", "--description", "first"])
        #expect(org.json["name"] == "Org1")
        #expect(org.json["type"] == "organization")
        try await AwxCLITests.ok(server, ["inventory", "create", "--name", "Inv1", "--organization", "Org1"])
        let web1 = try await AwxCLITests.ok(server, ["hosts", "create", "--name", "web1", "--inventory", "Inv1", "--variables", "{\"http_port\": 8080}"])
        #expect(web1.json["variables"]?.stringValue?.contains("8080") == true)
        try await AwxCLITests.ok(server, ["hosts", "create", "--name", "web2", "--inventory", "Inv1", "--enabled", "false"])
        try await AwxCLITests.ok(server, ["hosts", "create", "--name", "db1", "--inventory", "Inv1"])
        let parent = try await AwxCLITests.ok(server, ["groups", "create", "--name", "servers", "--inventory", "Inv1", "--variables", "{\"tier\": 1}"])
        let child = try await AwxCLITests.ok(server, ["groups", "create", "--name", "webservers", "--inventory", "Inv1"])
        let parentID = try #require(parent.json["id"]?.intValue), childID = try #require(child.json["id"]?.intValue)
        #expect(try await server.request("POST", "/api/v2/groups/\(parentID)/children/", json: ["id": .int(childID)]).status == 204)
        #expect(try await server.request("POST", "/api/v2/groups/\(childID)/hosts/", json: ["id": .int(web1.json["id"]?.intValue ?? 0)]).status == 204)
        let credential = try await AwxCLITests.ok(server, ["credentials", "create", "--name", "ssh-deploy", "--organization", "Org1",
                                                      "--credential_type", "Machine", "--inputs", "{\"username\": \"deploy\", \"password\": \"hunter2\"}"])
        #expect(credential.json["inputs"]?["password"] == "$encrypted$")
        let project = try await AwxCLITests.ok(server, ["projects", "create", "--name", "Demo", "--organization", "Org1", "--scm_type", "", "--local_path", "demo"])
        #expect(project.json["status"] == "successful")
        let template = try await AwxCLITests.ok(server, ["job_templates", "create", "--name", "Deploy", "--project", "Demo", "--inventory", "Inv1",
                                                    "--playbook", "site.yml", "--extra_vars", "{\"version\": 2}"])
        let templateID = try #require(template.json["id"]?.intValue)
        try await AwxCLITests.ok(server, ["job_templates", "associate", String(templateID), "--credential", "ssh-deploy"])

        // List with filters, get, modify, delete.
        let enabled = try await AwxCLITests.ok(server, ["hosts", "list", "--inventory", "Inv1", "--enabled", "true", "--order_by=-name"])
        #expect(enabled.json["count"] == 2)
        #expect(enabled.json["results"]?.arrayValue?.map { $0["name"] } == ["web1", "db1"])
        let all = try await AwxCLITests.ok(server, ["hosts", "list", "--all"])
        #expect(all.json["count"] == 3)
        let got = try await AwxCLITests.ok(server, ["job_templates", "get", "Deploy"])
        #expect(got.json["playbook"] == "site.yml")
        #expect(got.json["summary_fields"]?["credentials"]?.arrayValue?.first?["name"] == "ssh-deploy")
        let modified = try await AwxCLITests.ok(server, ["hosts", "modify", "db1", "--description", "database"])
        #expect(modified.json["description"] == "database")
        try await AwxCLITests.ok(server, ["hosts", "delete", "web2"])
        #expect(try await AwxCLITests.ok(server, ["hosts", "list"]).json["count"] == 2)

        // Token login, then the token alone.
        let login = try await AwxCLITests.ok(server, ["login"])
        let token = try #require(login.json["token"]?.stringValue)
        let me = try await AwxCLITests.ok(server, ["me"], token: token)
        #expect(me.json["results"]?.arrayValue?.first?["username"] == "admin")
        #expect(try await AwxCLITests.ok(server, ["organizations", "list", "--name", "Org1"], token: token).json["count"] == 1)

        // Export everything, import it into an empty controller.
        let export = try await AwxCLITests.ok(server, ["export"])
        let assets = export.json
        #expect(assets["organizations"]?.arrayValue?.count == 1)
        #expect(assets["inventory"]?.arrayValue?.first?["related"]?["hosts"]?.arrayValue?.count == 2)
        #expect(assets["job_templates"]?.arrayValue?.first?["name"] == "Deploy")
        try await AwxCLITests.ok(target, ["import"], stdin: export.stdout)
        let imported = try await target.get("/api/v2/job_templates/Deploy++Org1/")
        #expect(imported.status == 200)
        #expect(imported.json["summary_fields"]?["inventory"]?["name"] == "Inv1")
        #expect(imported.json["summary_fields"]?["credentials"]?.arrayValue?.first?["name"] == "ssh-deploy")
        #expect(try await target.get("/api/v2/hosts/web1++Inv1++Org1/").json["variables"]?.stringValue?.contains("8080") == true)
        let children = try await target.get("/api/v2/groups/servers++Inv1++Org1/children/")
        #expect(children.json["results"]?.arrayValue?.map { $0["name"] } == ["webservers"])
    }
}

/// Reads `fd` to end of file, retrying reads interrupted by a signal (Foundation's
/// readDataToEndOfFile traps on EINTR, which child-process signals cause in this suite).
func readAllRetryingEINTR(_ fd: Int32) -> Data {
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count > 0 { data.append(contentsOf: buffer[0..<count]); continue }
        if count < 0 && errno == EINTR { continue }
        return data
    }
}
