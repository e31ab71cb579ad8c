import Foundation
import XCTest
@testable import Troupe

/// Tests of ``SSHConnection`` against a real sshd started by ``SSHLab``.
final class SSHConnectionTests: XCTestCase {
    nonisolated(unsafe) static var lab: SSHLab?
    nonisolated(unsafe) static var labError: Error?

    override class func setUp() {
        super.setUp()
        do { lab = try SSHLab.start() } catch { labError = error }
    }

    override class func tearDown() {
        lab?.stop()
        lab = nil
        super.tearDown()
    }

    var lab: SSHLab!
    private var opened: [SSHConnection] = []

    override func setUpWithError() throws {
        if let error = Self.labError { throw error }
        lab = Self.lab
    }

    override func tearDown() {
        opened.forEach { $0.close() }
        opened.removeAll()
    }

    func connection(_ host: String? = nil, _ parameters: SSHConnectionParameters? = nil) -> SSHConnection {
        let host = host ?? lab.hosts[0]
        let conn = SSHConnection(hostName: host, parameters: parameters ?? lab.parameters(host))
        opened.append(conn)
        return conn
    }

    func sh(_ conn: SSHConnection, _ script: String, stdin: Data? = nil, timeout: Double? = nil,
            become: BecomeSettings? = nil) throws -> CommandResult {
        try conn.run(CommandRequest(.shell(script), stdin: stdin, become: become, timeout: timeout))
    }

    func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

    func assertUnreachable(_ body: @autoclosure () throws -> Any, containing fragments: [String],
                           file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try body()
            XCTFail("expected UnreachableError", file: file, line: line)
        } catch let error as UnreachableError {
            for fragment in fragments {
                XCTAssertTrue(error.message.contains(fragment), "'\(error.message)' lacks '\(fragment)'", file: file, line: line)
            }
        } catch {
            XCTFail("expected UnreachableError, got \(error)", file: file, line: line)
        }
    }

    // MARK: - Authentication and reachability

    func testKeyAuthenticationRunsShellAndArgvCommands() throws {
        let conn = connection()
        let result = try sh(conn, "echo out; echo err >&2; exit 0")
        XCTAssertEqual(result.rc, 0)
        XCTAssertEqual(text(result.stdout), "out\n")
        XCTAssertEqual(text(result.stderr), "err\n")
        let argv = try conn.run(CommandRequest(.argv(["printf", "%s|", "a b", "$HOME", "'q'"])))
        XCTAssertEqual(text(argv.stdout), "a b|$HOME|'q'|")
        let who = try sh(conn, "id -un")
        XCTAssertEqual(text(who.stdout), "\(SSHLab.user)\n")
        let missing = try conn.run(CommandRequest(.argv(["/no/such/program"])))
        XCTAssertEqual(missing.rc, 127)
    }

    func testPasswordAuthentication() throws {
        let conn = connection(nil, lab.parameters(lab.hosts[1], password: SSHLab.password, key: false))
        XCTAssertEqual(text(try sh(conn, "echo via-password").stdout), "via-password\n")
    }

    func testWrongPasswordIsUnreachable() throws {
        let conn = connection(nil, lab.parameters(lab.hosts[1], password: "wrong", key: false))
        assertUnreachable(try conn.connect(), containing: ["Invalid/incorrect password"])
        let none = connection(nil, lab.parameters(lab.hosts[1], key: false))
        assertUnreachable(try none.connect(), containing: ["Permission denied (publickey,password)", SSHLab.user])
    }

    func testUnknownHostKeyRejectedThenAcceptedOnceKnown() throws {
        let file = lab.directory + "/known_hosts_\(UUID().uuidString)"
        defer { unlink(file) }
        _ = FileManager.default.createFile(atPath: file, contents: Data())
        var parameters = lab.parameters(lab.hosts[2])
        parameters.knownHostsFile = file
        let fingerprint = try SSHLab.sh("ssh-keygen -lf \(lab.directory)/host_ed25519.pub").split(separator: " ")[1]
        assertUnreachable(try connection(nil, parameters).connect(),
                          containing: [lab.hosts[2], String(fingerprint), "Host key verification failed"])
        try "[\(lab.hosts[2])]:\(lab.port) \(lab.hostPublicKeyLine)\n".write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertNoThrow(try connection(nil, parameters).connect())
        // A different key recorded for the host is a changed key.
        try SSHLab.sh("ssh-keygen -q -t ed25519 -N '' -f \(file).other")
        let other = try String(contentsOfFile: file + ".other.pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        try "[\(lab.hosts[2])]:\(lab.port) \(other)\n".write(toFile: file, atomically: true, encoding: .utf8)
        assertUnreachable(try connection(nil, parameters).connect(), containing: ["CHANGED", String(fingerprint)])
        unlink(file + ".other"); unlink(file + ".other.pub")
        parameters.hostKeyChecking = false
        XCTAssertNoThrow(try connection(nil, parameters).connect())
        // accept-new records an unknown key, then checks against it.
        try "".write(toFile: file, atomically: true, encoding: .utf8)
        parameters.hostKeyChecking = true
        parameters.sshExtraArgs = "-o StrictHostKeyChecking=accept-new"
        XCTAssertNoThrow(try connection(nil, parameters).connect())
        parameters.sshExtraArgs = nil
        XCTAssertNoThrow(try connection(nil, parameters).connect())
        XCTAssertTrue(try String(contentsOfFile: file, encoding: .utf8).contains(lab.hosts[2]))
    }

    func testSilentServerTimesOutInsteadOfHanging() throws {
        // A socket that completes the TCP handshake (backlog) but never sends an SSH banner.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        inet_pton(AF_INET, "127.0.0.60", &addr.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        XCTAssertTrue(bound)
        let port = Int(UInt16(bigEndian: addr.sin_port))
        var parameters = lab.parameters("127.0.0.60", timeout: 1)
        parameters.port = port
        let start = Date()
        assertUnreachable(try connection(nil, parameters).connect(), containing: ["Failed to connect to the host via ssh"])
        XCTAssertLessThan(Date().timeIntervalSince(start), 4)
    }

    func testClosedPortAndUnknownNameAreUnreachableWhileOthersWork() throws {
        var closed = lab.parameters(lab.hosts[0])
        closed.port = lab.port + 1
        assertUnreachable(try connection(nil, closed).run(CommandRequest(.shell("true"))),
                          containing: ["Failed to connect to the host via ssh", "Connection refused"])
        let unknown = SSHConnectionParameters(host: "no-such-host.invalid", port: lab.port, timeout: 3, sshConfigFile: nil)
        assertUnreachable(try connection("nope", unknown).connect(), containing: ["Could not resolve hostname"])
        XCTAssertEqual(try sh(connection(lab.hosts[3]), "echo fine").rc, 0)
    }

    func testConnectionKilledMidCommandIsUnreachableThenReconnects() throws {
        let conn = connection(lab.hosts[4])
        XCTAssertEqual(try sh(conn, "true").rc, 0)
        let killer = Thread { [lab] in
            usleep(400_000)
            lab!.killClientConnections()
        }
        killer.start()
        let start = Date()
        assertUnreachable(try sh(conn, "sleep 30"), containing: ["Failed to connect to the host via ssh"])
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        try conn.reset()
        XCTAssertEqual(text(try sh(conn, "echo back").stdout), "back\n")
    }

    func testEncryptedKeyWithPassphrase() throws {
        let key = lab.directory + "/encrypted_\(UUID().uuidString.prefix(8))"
        try SSHLab.sh("ssh-keygen -q -t ed25519 -N 'key pass' -f \(key) && cat \(key).pub >> \(lab.directory)/authorized_keys")
        var parameters = lab.parameters(lab.hosts[1], key: false)
        parameters.privateKeyFile = key
        parameters.privateKeyPassphrase = "key pass"
        XCTAssertEqual(text(try sh(connection(nil, parameters), "echo unlocked").stdout), "unlocked\n")
        parameters.privateKeyPassphrase = "wrong"
        assertUnreachable(try connection(nil, parameters).connect(), containing: ["Permission denied (publickey,password)"])
    }

    func testSSHConfigFileSuppliesHostNamePortUserAndKey() throws {
        let config = lab.directory + "/ssh_config_\(UUID().uuidString.prefix(8))"
        defer { unlink(config) }
        try """
            Host lab-alias
                HostName \(lab.hosts[3])
                Port \(lab.port)
                User \(SSHLab.user)
                IdentityFile \(lab.clientKey)
            Host *
                Port 1
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let parameters = SSHConnectionParameters(host: "lab-alias", timeout: 5, knownHostsFile: lab.knownHosts,
                                                 sshConfigFile: config, useAgent: false, useDefaultKeys: false)
        let result = try sh(connection("alias", parameters), "echo $SSH_CONNECTION")
        XCTAssertTrue(text(result.stdout).hasSuffix("\(lab.hosts[3]) \(lab.port)\n"), text(result.stdout))
    }

    func testSessionKilledWhileIdleReconnectsTransparently() throws {
        let conn = connection(lab.hosts[4])
        XCTAssertEqual(try sh(conn, "true").rc, 0)
        lab.killClientConnections()
        usleep(200_000)
        XCTAssertEqual(text(try sh(conn, "echo reconnected").stdout), "reconnected\n")
    }

    func testStrayBackgroundOutputDoesNotLeakIntoTheNextCommand() throws {
        let conn = connection()
        XCTAssertEqual(try sh(conn, "(sleep 0.3; echo stray; echo stray-err >&2) &").rc, 0)
        usleep(600_000)
        let next = try sh(conn, "echo clean")
        XCTAssertEqual(text(next.stdout), "clean\n")
        XCTAssertEqual(text(next.stderr), "")
    }

    func testUnsupportedSSHOptionsBecomeWarnings() throws {
        var parameters = lab.parameters(lab.hosts[0])
        parameters.sshCommonArgs = "-o ControlMaster=auto -o ControlPersist=60s -o StrictHostKeyChecking=no -o Tunnel=yes"
        let conn = connection(nil, parameters)
        XCTAssertEqual(conn.warnings.count, 1)
        XCTAssertTrue(conn.warnings[0].contains("tunnel"))
        XCTAssertEqual(try sh(conn, "echo ok").rc, 0)
    }
}
