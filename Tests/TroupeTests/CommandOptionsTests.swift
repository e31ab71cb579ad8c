import XCTest
import Jinja
@testable import Troupe

/// command/shell/raw options over SSH: argv expansion with the host's environment and
/// user database, stdin handling, empty-end stripping, the shell executable.
final class CommandOptionsTests: XCTestCase {
    func testOptionsOnAnSSHHost() throws {
        let lab = try SSHLab.start(hostCount: 1)
        defer { lab.stop() }
        let r = try LabPlaybook.run("""
        - hosts: target
          gather_facts: false
          tasks:
            - name: expand
              command: echo $HOME ~ ~root $TROUPE_X ${TROUPE_X} $UNSET_X
              environment: {TROUPE_X: from-env}
            - name: literal
              command: {cmd: echo $HOME ~, expand_argument_vars: false}
            - name: stdin
              command: cat
              args: {stdin: abc, stdin_add_newline: false}
            - name: ends
              shell: printf 'x\\n\\n'
              args: {strip_empty_ends: false}
            - name: executable
              shell: echo "$0"
              args: {executable: /bin/bash}
            - name: bad
              shell: {cmd: "true", nope: 1}
              ignore_errors: true
        """, lab: lab)
        let home = try SSHLab.sh("getent passwd \(SSHLab.user) | cut -d: -f6").trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(r.result("expand")["stdout"], .string("\(home) \(home) /root from-env from-env $UNSET_X"))
        XCTAssertEqual(r.result("expand")["cmd"], ["echo", "$HOME", "~", "~root", "$TROUPE_X", "${TROUPE_X}", "$UNSET_X"])
        XCTAssertEqual(r.result("literal")["stdout"], "$HOME ~")
        XCTAssertEqual(r.result("stdin")["stdout"], "abc")
        XCTAssertEqual(r.result("ends")["stdout"], "x\n\n")
        XCTAssertEqual(r.result("executable")["stdout"], "/bin/bash")
        XCTAssertEqual(r.result("bad")["msg"], "Unsupported parameters for (ansible.legacy.command) module: nope. Supported parameters include: _raw_params, _uses_shell, argv, chdir, cmd, creates, executable, expand_argument_vars, removes, stdin, stdin_add_newline, strip_empty_ends.")
    }
}
