import Foundation
import XCTest

/// ansible-playbook's connection flags over the sshd lab: `--ssh-common-args` (a host's
/// `ansible_ssh_common_args` still wins), `--connection-password-file` (password auth, no
/// key) and `--become-password-file` (sudo to a user that needs the password), plus
/// ansible's errors for unusable password files.
final class ConnectionFlagsTests: XCTestCase {
    func testSSHArgsAndPasswordFilesFromTheCommandLine() throws {
        let lab = try SSHLab.start(hostCount: 2)
        defer { lab.stop() }
        let directory = NSTemporaryDirectory() + "troupe-flags-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // No port in the inventory for the first host: only --ssh-common-args gives it. The
        // second host's own ansible_ssh_common_args names a wrong port, to show it wins.
        try """
            [lab]
            first ansible_host=\(lab.hosts[0])
            second ansible_host=\(lab.hosts[1]) ansible_ssh_common_args='-o Port=1 -o UserKnownHostsFile=\(lab.knownHosts)'
            """.write(toFile: directory + "/hosts", atomically: true, encoding: .utf8)
        try """
            - hosts: lab
              gather_facts: false
              tasks:
                - command: id -un
                  register: plain
                - command: id -un
                  become: true
                  become_user: nobody
                  register: escalated
                - debug: msg="{{ plain.stdout }} {{ escalated.stdout }}"
            """.write(toFile: directory + "/site.yml", atomically: true, encoding: .utf8)
        try "\(SSHLab.password)\n".write(toFile: directory + "/password", atomically: true, encoding: .utf8)
        let sshArgs = "-o Port=\(lab.port) -o UserKnownHostsFile=\(lab.knownHosts)"

        let run = try TroupeBinary.run(["playbook", "-i", "hosts", "site.yml", "-u", SSHLab.user, "--ssh-common-args", sshArgs,
                                        "--connection-password-file", "password", "--become-password-file", "password"],
                                       in: directory, closedInput: true)
        XCTAssertTrue(run.stdout.contains("ok: [first] => {\n    \"msg\": \"\(SSHLab.user) nobody\"\n}"), run.combined)
        XCTAssertTrue(run.stdout.contains("fatal: [second]: UNREACHABLE!"), run.combined)
        XCTAssertEqual(run.status, 4, run.combined)

        // An executable password file is run; its output is the password.
        try "#!/bin/sh\necho '\(SSHLab.password)'\n".write(toFile: directory + "/password.sh", atomically: true, encoding: .utf8)
        chmod(directory + "/password.sh", 0o755)
        let scripted = try TroupeBinary.run(["playbook", "-i", "hosts", "site.yml", "-u", SSHLab.user, "--ssh-common-args", sshArgs,
                                             "--limit", "first", "--connection-password-file", "password.sh",
                                             "--become-password-file", "password.sh"], in: directory, closedInput: true)
        XCTAssertEqual(scripted.status, 0, scripted.combined)

        for (file, message) in [("missing", "The password file \(directory)/missing was not found"),
                                ("empty", "Empty password was provided from file (\(directory)/empty)")] {
            if file == "empty" { try "\n".write(toFile: directory + "/empty", atomically: true, encoding: .utf8) }
            let failed = try TroupeBinary.run(["playbook", "-i", "hosts", "site.yml", "--connection-password-file", file],
                                              in: directory, closedInput: true)
            XCTAssertEqual(failed.status, 1)
            XCTAssertTrue(failed.combined.contains("[ERROR]: \(message)"), failed.combined)
        }
    }
}
