import XCTest
import Jinja
@testable import Troupe

/// Ctrl-C (SIGINT) and SIGTERM for `troupe playbook` and `troupe adhoc` over the sshd lab,
/// as ansible-playbook handles them: SIGINT prints `[ERROR]: User interrupted execution`
/// and exits 99 without a recap; SIGTERM ends the process by that signal, silently. Either
/// way no troupe process and no remote command is left. (Interrupted uploads are covered
/// at the connection level, in SSHConnectionTests+Interrupted.swift: a copy large enough
/// to interrupt reliably takes minutes in a debug build.)
final class SignalTests: XCTestCase {
    private var lab: SSHLab!
    private var directory = ""

    override func setUpWithError() throws {
        lab = try SSHLab.start(hostCount: 2)
        directory = NSTemporaryDirectory() + "troupe-signal-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let hosts = lab.hosts.enumerated().map { index, address in
            "web\(index + 1) ansible_host=\(address) ansible_port=\(lab.port) ansible_user=\(SSHLab.user) "
                + "ansible_ssh_private_key_file=\(lab.clientKey) ansible_ssh_common_args='-o UserKnownHostsFile=\(lab.knownHosts)'"
        }
        try (hosts.joined(separator: "\n") + "\n").write(toFile: directory + "/inventory", atomically: true, encoding: .utf8)
    }

    override func tearDown() {
        lab?.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testCtrlCDuringALongCommand() throws {
        let run = try start(["playbook", "-i", "inventory", try playbook(command: "sleep 47.3; echo done")])
        XCTAssertTrue(waitUntil(20) { processes(matching: "47.3").count == 2 }, "the remote sleeps never started")
        let (status, output) = try run.stop(with: SIGINT)
        XCTAssertEqual(status, .exit(99), output)
        XCTAssertTrue(output.hasSuffix("[ERROR]: User interrupted execution\n"), output)
        XCTAssertFalse(output.contains("PLAY RECAP"), output)
        XCTAssertFalse(output.contains("never"), "a task ran after the interrupt:\n\(output)")
        XCTAssertTrue(waitUntil(5) { processes(matching: "47.3").isEmpty }, "the remote command outlived the run")
        run.assertNoProcessLeft()
    }

    func testSIGTERMDuringALongCommand() throws {
        let run = try start(["playbook", "-i", "inventory", try playbook(command: "sleep 47.4")])
        XCTAssertTrue(waitUntil(20) { processes(matching: "47.4").count == 2 }, "the remote sleeps never started")
        let (status, output) = try run.stop(with: SIGTERM)
        // ansible-playbook dies of SIGTERM (rc 143 in a shell) and prints nothing more.
        XCTAssertEqual(status, .signal(SIGTERM), output)
        XCTAssertFalse(output.contains("ERROR"), output)
        XCTAssertFalse(output.contains("PLAY RECAP"), output)
        XCTAssertTrue(waitUntil(5) { processes(matching: "47.4").isEmpty }, "the remote command outlived the run")
        run.assertNoProcessLeft()
    }

    func testSecondCtrlCKillsAtOnceAndLeavesNothing() throws {
        let run = try start(["adhoc", "-i", "inventory", "all", "-a", "sleep 47.5"])
        XCTAssertTrue(waitUntil(20) { processes(matching: "47.5").count == 2 }, "the remote sleeps never started")
        let (status, output) = try run.stop(with: SIGINT, times: 2)
        XCTAssertEqual(status, .exit(99), output)
        XCTAssertTrue(output.contains("[ERROR]: User interrupted execution"), output)
        XCTAssertTrue(waitUntil(5) { processes(matching: "47.5").isEmpty }, "the remote command outlived the run")
        run.assertNoProcessLeft()
    }

    // MARK: Support

    private func playbook(command: String) throws -> String {
        let yaml = """
            - hosts: all
              gather_facts: false
              tasks:
                - shell: \(command)
                - debug: msg=never
            """
        try yaml.write(toFile: directory + "/site.yml", atomically: true, encoding: .utf8)
        return "site.yml"
    }

    enum Ending: Equatable {
        case exit(Int32)
        case signal(Int32)
    }

    /// A `troupe` process under test, with its worker processes.
    final class RunningTroupe {
        let process: Process
        let collected: OutputCollector
        /// Processes under troupe (workers and their commands) just before the signal.
        private var descendants: [Int32] = []

        init(process: Process, collected: OutputCollector) {
            self.process = process
            self.collected = collected
        }

        /// Sends `signo` (`times` times), waits (10 s at most) for the exit, and returns how it ended and
        /// what it printed (stdout and stderr).
        func stop(with signo: Int32, times: Int = 1) throws -> (Ending, String) {
            descendants = ProcessTree.descendants(of: process.processIdentifier)
            XCTAssertFalse(descendants.isEmpty, "no worker process ran")
            for round in 0..<times {
                if round > 0 { usleep(100_000) }
                kill(process.processIdentifier, signo)
            }
            let sent = Date()
            let exited = waitUntil(10) { !process.isRunning }
            if !exited { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            XCTAssertTrue(exited, "troupe took more than 10 s to stop")
            XCTAssertLessThan(Date().timeIntervalSince(sent), 10)
            let ending: Ending = process.terminationReason == .uncaughtSignal
                ? .signal(process.terminationStatus) : .exit(process.terminationStatus)
            return (ending, collected.text())
        }

        /// No worker process (or anything it started) outlives the controller.
        func assertNoProcessLeft(file: StaticString = #filePath, line: UInt = #line) {
            let alive = { self.descendants.filter { kill($0, 0) == 0 && !isZombie($0) } }
            XCTAssertTrue(waitUntil(5) { alive().isEmpty }, "processes left: \(alive())", file: file, line: line)
        }
    }

    private func start(_ arguments: [String]) throws -> RunningTroupe {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TroupeBinary.path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env["ANSIBLE_NOCOLOR"] = "1"
        env["NO_COLOR"] = "1"
        env["ANSIBLE_HOST_KEY_CHECKING"] = "True"
        env.removeValue(forKey: "ANSIBLE_CONFIG")
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let collector = OutputCollector(pipe.fileHandleForReading)
        try process.run()
        return RunningTroupe(process: process, collected: collector)
    }
}

private func isZombie(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return true }
    return stat[stat.index(after: close)...].split(separator: " ").first == "Z"
}

/// Reads a pipe to its end on a background thread (so the child never blocks writing).
final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.withLock { data.append(chunk) }
            }
            done.signal()
        }
    }

    /// Everything read, once the writer closed the pipe (5 s at most).
    func text() -> String {
        _ = done.wait(timeout: .now() + 5)
        return lock.withLock { String(decoding: data, as: UTF8.self) }
    }
}
