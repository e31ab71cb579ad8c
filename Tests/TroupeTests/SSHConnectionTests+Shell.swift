import Foundation
import XCTest
@testable import Troupe

/// The persistent remote shell: framing, isolation between requests, timeouts, big output.
extension SSHConnectionTests {
    func testExitInCommandDoesNotKillTheShell() throws {
        let conn = connection()
        let result = try sh(conn, "echo before; exit 3")
        XCTAssertEqual(result.rc, 3)
        XCTAssertEqual(text(result.stdout), "before\n")
        XCTAssertEqual(text(try sh(conn, "echo after").stdout), "after\n")
    }

    func testCommandKillingTheShellFailsAndTheNextCommandGetsAFreshShell() throws {
        let conn = connection()
        XCTAssertEqual(try sh(conn, "true").rc, 0)
        XCTAssertThrowsError(try sh(conn, "echo dying; kill -9 $$")) { error in
            XCTAssertTrue(error is UnreachableError, "\(error)")
        }
        XCTAssertEqual(text(try sh(conn, "echo fresh").stdout), "fresh\n")
    }

    func testDirectoryAndEnvironmentDoNotLeakBetweenCommands() throws {
        let conn = connection()
        XCTAssertEqual(try sh(conn, "cd /tmp && export TROUPE_LEAK=1 && umask 077").rc, 0)
        let later = try sh(conn, "pwd; echo ${TROUPE_LEAK-unset}; umask")
        XCTAssertEqual(text(later.stdout), "/home/\(SSHLab.user)\nunset\n0022\n")
        let request = CommandRequest(.shell("pwd; echo \"$GREETING\""), environment: ["GREETING": "hi 'there' $x"],
                                     workingDirectory: "/usr")
        XCTAssertEqual(text(try conn.run(request).stdout), "/usr\nhi 'there' $x\n")
        let argv = CommandRequest(.argv(["sh", "-c", "echo $A-$B"]), environment: ["A": "1", "B": "2"])
        XCTAssertEqual(text(try conn.run(argv).stdout), "1-2\n")
        let badDir = try conn.run(CommandRequest(.shell("echo no"), workingDirectory: "/no/such/dir"))
        XCTAssertNotEqual(badDir.rc, 0)
    }

    func testStdinIsDeliveredExactlyOrIsDevNull() throws {
        let conn = connection()
        var bytes = Data("line one\nline two\n".utf8)
        bytes.append(contentsOf: [0, 1, 2, 255, 10, 10])
        bytes.append(Data("no newline at end".utf8))
        let echoed = try sh(conn, "cat", stdin: bytes)
        XCTAssertEqual(echoed.stdout, bytes)
        let nothing = try sh(conn, "cat; echo rc=$?")
        XCTAssertEqual(text(nothing.stdout), "rc=0\n")
        let partial = try sh(conn, "head -n 1", stdin: Data("first\nsecond\nthird\n".utf8))
        XCTAssertEqual(text(partial.stdout), "first\n")
        XCTAssertEqual(text(try sh(conn, "echo still-in-sync").stdout), "still-in-sync\n")
    }

    func testLargeStdinAndKeepalivesDuringALongCommand() throws {
        var parameters = lab.parameters(lab.hosts[2])
        parameters.keepaliveInterval = 0.3
        let conn = connection(nil, parameters)
        let input = Data(repeating: 0x5a, count: 3 * 1024 * 1024 + 7)
        XCTAssertEqual(text(try sh(conn, "sleep 1.2; wc -c", stdin: input).stdout).trimmingCharacters(in: .whitespaces), "\(input.count)\n")
        XCTAssertEqual(text(try sh(conn, "echo after").stdout), "after\n")
    }

    func testExecutableRunsTheShellStringWithIt() throws {
        let request = CommandRequest(.shell("echo $0"), executable: "/bin/bash")
        XCTAssertEqual(text(try connection().run(request).stdout), "/bin/bash\n")
    }

    func testBinaryAndLargeOutput() throws {
        let conn = connection()
        let binary = try sh(conn, "printf '\\000\\001\\377abc\\n\\000'")
        XCTAssertEqual(binary.stdout, Data([0, 1, 255, 97, 98, 99, 10, 0]))
        let size = 10 * 1024 * 1024
        let big = try sh(conn, "head -c \(size) /dev/zero | tr '\\000' x; head -c 1048576 /dev/zero | tr '\\000' e >&2")
        XCTAssertEqual(big.rc, 0)
        XCTAssertEqual(big.stdout.count, size)
        XCTAssertEqual(big.stderr.count, 1024 * 1024)
        XCTAssertTrue(big.stdout.allSatisfy { $0 == UInt8(ascii: "x") })
        XCTAssertEqual(text(try sh(conn, "echo small").stdout), "small\n")
    }

    func testTimeoutKillsTheCommandGroupAndTheShellLivesOn() throws {
        let conn = connection()
        let marker = "31.\(Int.random(in: 100...999))"
        let start = Date()
        let result = try sh(conn, "(sleep \(marker) &) ; echo started; sleep 30; echo never", timeout: 1)
        XCTAssertTrue(result.timedOut)
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        XCTAssertEqual(text(result.stdout), "started\n")
        usleep(200_000)
        XCTAssertEqual(processes(withArguments: ["sleep", marker]), [], "background child survived the timeout")
        let next = try sh(conn, "echo alive", timeout: 5)
        XCTAssertFalse(next.timedOut)
        XCTAssertEqual(text(next.stdout), "alive\n")
    }

    /// Local pids whose command line is exactly `arguments` (the lab's sshd runs on this machine).
    func processes(withArguments arguments: [String]) -> [String] {
        let wanted = Data(arguments.joined(separator: "\0").utf8) + Data([0])
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { entry in
            Int(entry) != nil && FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") == wanted
        }
    }

    func testManyCommandsOnFiveHostsFromSeveralThreads() throws {
        let connections = lab.hosts.map { connection($0) }
        let failures = FailureLog()
        let group = DispatchGroup()
        for worker in 0..<10 {
            group.enter()
            let thread = Thread { [self] in
                defer { group.leave() }
                let conn = connections[worker % connections.count]
                for i in 0..<25 {
                    do {
                        let result = try self.sh(conn, "echo \(worker)-\(i); echo e\(i) >&2; exit \(i % 4)")
                        if self.text(result.stdout) != "\(worker)-\(i)\n" || result.rc != Int32(i % 4) || self.text(result.stderr) != "e\(i)\n" {
                            failures.add("wrong result on \(conn.hostName): \(result)")
                        }
                    } catch {
                        failures.add("\(conn.hostName): \(error)")
                    }
                }
            }
            thread.start()
        }
        XCTAssertEqual(group.wait(timeout: .now() + 60), .success)
        XCTAssertEqual(failures.messages, [])
    }

    func testWarmRoundTripLatency() throws {
        let conn = connection()
        for _ in 0..<20 { _ = try conn.run(CommandRequest(.argv(["true"]))) }
        var samples: [Double] = []
        for _ in 0..<200 {
            let start = monotonicNow()
            _ = try conn.run(CommandRequest(.shell("true")))
            samples.append(monotonicNow() - start)
        }
        samples.sort()
        let median = samples[samples.count / 2] * 1000, p90 = samples[samples.count * 9 / 10] * 1000
        print(String(format: "SSH warm round trip of `true`: median %.3f ms, p90 %.3f ms", median, p90))
        XCTAssertLessThan(median, 20)
    }
}

final class FailureLog: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var messages: [String] = []
    func add(_ message: String) {
        lock.lock()
        messages.append(message)
        lock.unlock()
    }
}
