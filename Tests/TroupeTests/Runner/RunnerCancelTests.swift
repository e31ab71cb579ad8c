import XCTest
import Jinja
@testable import Troupe

/// Cancelling over SSH (the remote command and its children are killed on the host) and
/// through the CLI (SIGINT to `troupe run`, worker processes included).
final class RunnerCancelTests: XCTestCase {
    func testCancelOverSSHLeavesNoRemoteProcesses() throws {
        let lab = try SSHLab.start(hostCount: 2)
        defer { lab.stop() }
        let hosts = lab.hosts.enumerated().map { index, address in
            "web\(index + 1) ansible_host=\(address) ansible_port=\(lab.port) ansible_user=\(SSHLab.user) "
                + "ansible_ssh_private_key_file=\(lab.clientKey) ansible_ssh_common_args='-o UserKnownHostsFile=\(lab.knownHosts)'"
        }.joined(separator: "\n")
        let pdd = try PrivateDataDirFixture(playbook: """
            - hosts: all
              gather_facts: false
              tasks:
                - shell: sleep 43.9; echo finished
                - debug: msg=never
            """, inventory: hosts + "\n", env: ["envvars": "ANSIBLE_HOST_KEY_CHECKING: 'True'\n"])
        defer { pdd.remove() }
        let runner = Runner(config: RunnerConfig(privateDataDir: pdd.root, playbook: "site.yml", ident: "ssh"))
        runner.start()
        XCTAssertTrue(waitUntil(15) { processes(matching: "43.9").count == 2 }, "the remote sleeps never started")
        let cancelled = Date()
        runner.cancel()
        runner.wait()
        XCTAssertLessThan(Date().timeIntervalSince(cancelled), 10, "the run waited for the remote commands instead of stopping them")
        XCTAssertEqual(runner.status, .canceled)
        XCTAssertEqual(runner.rc, 254)
        XCTAssertEqual(pdd.read("ssh", "status"), "canceled")
        XCTAssertTrue(waitUntil(5) { processes(matching: "43.9").isEmpty }, "remote sleep outlived the cancelled run")
        XCTAssertFalse(runner.recordedEvents.contains { $0.eventData["task"]?.stringValue == "debug" })
    }

    func testSIGINTCancelsTroupeRunWithWorkers() throws {
        let pdd = try PrivateDataDirFixture(playbook: """
            - hosts: all
              gather_facts: false
              tasks:
                - command: sleep 44.1
                - debug: msg=never
            """, inventory: "h1 ansible_connection=local\nh2 ansible_connection=local\n")
        defer { pdd.remove() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TroupeBinary.path)
        process.arguments = ["run", pdd.root, "-p", "site.yml", "--ident", "sigint", "-q"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        XCTAssertTrue(waitUntil(15) { processes(matching: "44.1").count == 2 }, "the sleeps never started")
        let cancelled = Date()
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        XCTAssertLessThan(Date().timeIntervalSince(cancelled), 10, "troupe run waited for the commands instead of stopping them")
        XCTAssertEqual(process.terminationStatus, 254)
        XCTAssertEqual(pdd.read("sigint", "status"), "canceled")
        XCTAssertEqual(pdd.read("sigint", "rc"), "254")
        XCTAssertTrue(waitUntil(3) { processes(matching: "44.1").isEmpty }, "sleep outlived the cancelled run")
        let events = try pdd.events("sigint")
        XCTAssertFalse(events.contains { $0.task == "debug" })
        // No worker process of the run is left either.
        let workers = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { entry in
            guard let data = FileManager.default.contents(atPath: "/proc/\(entry)/stat"),
                  let text = String(data: data, encoding: .utf8) else { return false }
            return text.contains(") ") && text.split(separator: " ").dropFirst(3).first == "\(process.processIdentifier)"
        }
        XCTAssertEqual(workers, [])
    }
}
