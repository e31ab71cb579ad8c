import Foundation
import XCTest
@testable import TroupeController

/// Many launches at once from concurrent clients of one template with allow_simultaneous:
/// every job ends successful, and its stored events are gap-free, ordered and the same
/// events (names, hosts, stdout) that `troupe run` writes for the same playbook.
final class JobsConcurrencyTests: XCTestCase {
    func testConcurrentLaunchesStoreExactlyTheRunnersEvents() async throws {
        let launches = ProcessInfo.processInfo.environment["TROUPE_BENCH"] == "1" ? 200 : 60
        let clients = 20
        let lab = try await JobsHarness(capacity: 60)
        defer { Task { await lab.close() } }
        try await lab.dispatcher.start()
        let spec = try lab.playbook("many.yml", """
            - hosts: all
              gather_facts: false
              tasks:
                - debug: msg="job {{ 6 * 7 }}"
                - command: echo ran
            """, hosts: ["alpha", "beta"])

        // The reference: `troupe run` on the same private data dir, as the dispatcher writes it.
        var reference = spec
        reference.id = 999_999
        let dir = try PrivateDataDir(root: lab.root + "/reference", spec: reference)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: JobsService.siblingTroupe())
        process.arguments = ["run", dir.path] + dir.runArguments + ["--json", "--project-dir", lab.root + "/project"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var mapper = JobEventMapper(unifiedJobID: 0, node: "reference")
        let expected = String(decoding: output, as: UTF8.self).split(separator: "\n").compactMap { mapper.map(line: $0) }
        XCTAssertFalse(expected.isEmpty)
        func shape(_ event: String, _ host: String, _ stdout: String) -> String {
            // Timings vary between runs; names, hosts and the text do not. Jobs run with
            // ANSIBLE_FORCE_COLOR (AWX's ansi stdout), the reference without: compare the text.
            "\(event)|\(host)|\(JobStdout.plain(stdout).replacingOccurrences(of: #"\d+\.\d+"#, with: "N", options: .regularExpression))"
        }
        let expectedShape = expected.map { shape($0.event, $0.hostName, $0.stdout) }.sorted()

        let ids = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<clients {
                group.addTask {
                    var mine: [Int] = []
                    for _ in 0..<(launches / clients) { mine.append(try await lab.launch(spec, templateID: 1, allowSimultaneous: true)) }
                    return mine
                }
            }
            var all: [Int] = []
            for try await some in group { all += some }
            return all
        }
        XCTAssertEqual(Set(ids).count, launches)
        for id in ids {
            let job = try await lab.waitForEnd(id, seconds: 600)
            XCTAssertEqual(job.status, "successful", "job \(id): \(job.explanation)")
            let events = try await lab.events(id)
            XCTAssertEqual(events.map(\.counter), Array(1...max(events.count, 1)), "job \(id) gap-free")
            XCTAssertEqual(events.count, expected.count, "job \(id) has as many events as troupe run")
            XCTAssertEqual(events.map { shape($0.event, $0.hostName, $0.stdout) }.sorted(), expectedShape, "job \(id) events")
            for (a, b) in zip(events, events.dropFirst()) { XCTAssertEqual(a.endLine, b.startLine, "job \(id) lines in order") }
        }
    }
}
