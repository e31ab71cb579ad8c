import Foundation
import Testing
@testable import TroupeController

/// A full disk under the data dir (a small tmpfs mounted on the jobs directory, so the
/// database stays writable as it would on its own volume): a job that cannot prepare its
/// private data dir ends `error` saying why, a job running when the disk fills still ends
/// in a terminal state, the server keeps answering, and once space is back jobs run again.
@Suite("full disk under the data dir", .serialized)
struct FullDiskTests {
    static let playbook = """
        - hosts: all
          gather_facts: false
          tasks:
            - debug: msg="before"
            - command: sleep {{ pause | default(0) }}
            - debug: msg="after"
        """

    @Test(.timeLimit(.minutes(3)))
    func jobsEndWithAnExplanationAndTheServerStaysUp() async throws {
        let server = try await TestController.start(.sqlite)
        let jobsDirectory = server.dataDirectory.appendingPathComponent("jobs").path
        do {
            try FileManager.default.createDirectory(atPath: jobsDirectory, withIntermediateDirectories: true)
            // Mounting needs root (CAP_SYS_ADMIN), which `make test` has on this machine.
            try Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", jobsDirectory])
        } catch {
            await server.stop()
            throw error
        }
        defer { _ = try? Self.run("/bin/umount", ["-l", jobsDirectory]) }
        do {
            let template = try await JobsHTTPTests.makeTemplate(server, playbook: Self.playbook, extra: ["ask_variables_on_launch": true])
            let filler = jobsDirectory + "/filler"

            // Full before the launch: the private data dir cannot be written.
            Self.fill(filler)
            let blocked = try #require(try await server.request("POST", "/api/v2/job_templates/\(template)/launch/", json: [:]).json["job"]?.intValue)
            let ended = try await JobsHTTPTests.waitForEnd(server, blocked)
            #expect(ended["status"] == "error")
            let explanation = ended["job_explanation"]?.stringValue ?? ""
            #expect(explanation.contains("Could not prepare the job's private data dir"), "\(explanation)")
            #expect(explanation.lowercased().contains("space"), "\(explanation)")
            #expect(try await server.get("/api/v2/ping/").status == 200)

            // Space back: the next job runs.
            try FileManager.default.removeItem(atPath: filler)
            let next = try #require(try await server.request("POST", "/api/v2/job_templates/\(template)/launch/", json: [:]).json["job"]?.intValue)
            #expect(try await JobsHTTPTests.waitForEnd(server, next)["status"] == "successful")

            // The disk fills while a job runs: it still ends, in a terminal state with its output stored.
            let running = try #require(try await server.request("POST", "/api/v2/job_templates/\(template)/launch/",
                                                                json: ["extra_vars": ["pause": 3]]).json["job"]?.intValue)
            try await Self.waitForEvent(server, running, containing: "before")
            Self.fill(filler)
            let midRun = try await JobsHTTPTests.waitForEnd(server, running)
            let status = midRun["status"]?.stringValue ?? ""
            #expect(["successful", "error"].contains(status))
            let midRunExplanation = midRun["job_explanation"]?.stringValue ?? ""
            if status == "error" { #expect(!midRunExplanation.isEmpty) }
            let stdout = try await server.get("/api/v2/jobs/\(running)/stdout/?format=txt").body
            #expect(stdout.contains("\"msg\": \"before\""))
            #expect(try await server.get("/api/v2/ping/").status == 200)
            #expect(Set(try FileManager.default.contentsOfDirectory(atPath: jobsDirectory)) == ["filler"], "private data dirs removed")
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// Writes zeros to `path` until the file system is full.
    static func fill(_ path: String) {
        _ = try? run("/bin/dd", ["if=/dev/zero", "of=\(path)", "bs=4k"], allowFailure: true)
    }

    static func waitForEvent(_ server: TestController, _ id: Int, containing text: String) async throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if try await server.get("/api/v2/jobs/\(id)/stdout/?format=txt").body.contains(text) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("job \(id) never printed \(text)")
    }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String], allowFailure: Bool = false) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus != 0 && !allowFailure {
            throw TestFailure("\(tool) \(arguments.joined(separator: " ")) exited \(process.terminationStatus) (mounting a tmpfs needs root)")
        }
        return process.terminationStatus
    }
}
