import Foundation
import XCTest
@testable import Troupe

/// Authentication methods beyond key files and passwords: the SSH agent and
/// keyboard-interactive (PAM) logins.
extension SSHConnectionTests {
    func testAgentAuthenticationWithoutKeyFiles() throws {
        let socket = lab.directory + "/agent-\(UUID().uuidString.prefix(8)).sock"
        let started = try SSHLab.sh("ssh-agent -a \(socket)")
        guard let pidText = started.range(of: #"SSH_AGENT_PID=(\d+)"#, options: .regularExpression)
                .map({ started[$0].split(separator: "=")[1] }), let agent = pid_t(pidText) else {
            return XCTFail("ssh-agent printed no pid: \(started)")
        }
        let previous = getenv("SSH_AUTH_SOCK").map { String(cString: $0) }
        defer {
            kill(agent, SIGTERM)
            if let previous { setenv("SSH_AUTH_SOCK", previous, 1) } else { unsetenv("SSH_AUTH_SOCK") }
        }
        try SSHLab.sh("SSH_AUTH_SOCK=\(socket) ssh-add -q \(lab.clientKey)")
        setenv("SSH_AUTH_SOCK", socket, 1)
        var parameters = lab.parameters(lab.hosts[2], key: false)
        parameters.useAgent = true
        XCTAssertEqual(text(try sh(connection(nil, parameters), "echo via-agent").stdout), "via-agent\n")

        // With the agent switched off and no key, the server's methods are named.
        parameters.useAgent = false
        assertUnreachable(try connection(nil, parameters).connect(), containing: ["Permission denied (publickey,password)"])
    }

    func testKeyboardInteractiveAuthenticationAnswersWithThePassword() throws {
        try lab.startKeyboardInteractiveServer()
        let host = lab.keyboardInteractiveHost
        let conn = connection(host, lab.parameters(host, password: SSHLab.password, key: false))
        XCTAssertEqual(text(try sh(conn, "echo via-kbdint").stdout), "via-kbdint\n")
        assertUnreachable(try connection(host, lab.parameters(host, password: "wrong", key: false)).connect(),
                          containing: ["Invalid/incorrect password"])
    }
}
