import Foundation
import XCTest
@testable import Troupe

/// Parsing that needs no server: ssh arguments, ssh_config, framing helpers.
final class SSHOptionsTests: XCTestCase {
    func testArgumentsKeepSupportedOptionsAndWarnAboutTheRest() {
        let args = SSHArguments([
            "-C -o ControlMaster=auto -o ControlPersist=60s -o 'UserKnownHostsFile=/tmp/k h' -oPort=2200",
            "-o 'StrictHostKeyChecking no' -i ~/.ssh/other -o Tunnel=yes -4",
        ])
        XCTAssertEqual(args.options["compression"], "yes")
        XCTAssertEqual(args.options["userknownhostsfile"], "/tmp/k h")
        XCTAssertEqual(args.options["port"], "2200")
        XCTAssertEqual(args.options["stricthostkeychecking"], "no")
        XCTAssertEqual(args.options["identityfile"], "~/.ssh/other")
        XCTAssertNil(args.options["controlmaster"])
        XCTAssertEqual(args.warnings.count, 2)
        XCTAssertTrue(args.warnings[0].contains("tunnel"))
        XCTAssertTrue(args.warnings[1].contains("-4"))
    }

    func testFirstOptionWins() {
        XCTAssertEqual(SSHArguments(["-o User=a -o User=b"]).options["user"], "a")
    }

    func testShellWordSplitting() {
        XCTAssertEqual(ShellWords.splitLeniently(#"a 'b c' "d \"e\"" f\ g ''"#), ["a", "b c", #"d "e""#, "f g", ""])
    }

    func testConfigFileMatchesHostBlocksFirstValueWins() {
        let config = SSHConfigFile(text: """
            # comment
            Host web-* !web-skip
                HostName %h.example.com
                Port 2201
                IdentityFile ~/.ssh/web
            Host web-1
                User deploy
                Port 9999
            Host *
                User fallback
                IdentityFile ~/.ssh/any
            """)
        let web = config.match(host: "web-1")
        XCTAssertEqual(web.hostName, "web-1.example.com")
        XCTAssertEqual(web.port, 2201)
        XCTAssertEqual(web.user, "deploy")
        XCTAssertEqual(web.identityFiles, ["~/.ssh/web", "~/.ssh/any"])
        let skipped = config.match(host: "web-skip")
        XCTAssertNil(skipped.hostName)
        XCTAssertEqual(skipped.user, "fallback")
        XCTAssertTrue(SSHConfigFile.glob("db?.*", "db1.lan"))
        XCTAssertFalse(SSHConfigFile.glob("db?", "db12"))
    }

    func testStatOutputParsing() {
        let status = ShellFileTransfer.parseStat(Data("81a4 12 1000 1000 1700000000\n".utf8))
        XCTAssertEqual(status, RemoteFileStatus(kind: .file, size: 12, mode: 0o644, uid: 1000, gid: 1000, mtime: 1_700_000_000))
        XCTAssertEqual(ShellFileTransfer.parseStat(Data("41ed 4096 0 0 1\n".utf8))?.kind, .directory)
        XCTAssertNil(ShellFileTransfer.parseStat(Data("garbage".utf8)))
    }

    func testFramingAndTrailerSearch() {
        let frame = PersistentShell.frame(token: "tok", script: "echo hi", stdin: Data([0, 1]))
        XCTAssertEqual(frame, Data("tok 2\necho hi\ntok\n".utf8) + Data([0, 1]))
        let haystack = Array("xxtoXtok:0:\n".utf8)
        XCTAssertEqual(find(Array("tok:".utf8), in: haystack, from: 0), 5)
        XCTAssertNil(find(Array("tok:".utf8), in: haystack, from: 6))
        XCTAssertEqual(PersistentShell.randomToken().count, 32)
    }

    func testScriptBuilderQuotesAndValidates() throws {
        let request = CommandRequest(.argv(["echo", "it's"]), environment: ["B": "2", "A": "x y"], workingDirectory: "/tmp/a b")
        XCTAssertEqual(try ShellScriptBuilder.inner(request), "export A='x y'\nexport B=2\ncd '/tmp/a b' || exit 1\nexec echo 'it'\"'\"'s'")
        XCTAssertThrowsError(try ShellScriptBuilder.inner(CommandRequest(.shell("true"), environment: ["BAD-NAME": "1"])))
        XCTAssertThrowsError(try ShellScriptBuilder.inner(CommandRequest(.argv([]))))
    }

    func testBecomeFailureMessages() {
        let become = BecomeScript(settings: BecomeSettings(user: "nobody"))
        XCTAssertThrowsError(try become.strip(Data("sudo: a password is required\n".utf8))) {
            XCTAssertEqual(($0 as? BecomeError)?.message, "Missing sudo password")
        }
        let withPassword = BecomeScript(settings: BecomeSettings(user: "nobody", password: "s3cr3t-value"))
        XCTAssertThrowsError(try withPassword.strip(Data("\(withPassword.prompt)Sorry, try again.\nsudo: 1 incorrect password attempt\n".utf8))) {
            XCTAssertEqual(($0 as? BecomeError)?.message, "Incorrect sudo password")
        }
        XCTAssertEqual(try become.strip(Data("\(become.marker)\nreal stderr".utf8)), Data("real stderr".utf8))
        XCTAssertFalse(withPassword.wrap("id").contains("s3cr3t"), "the password must not be part of the script")
    }
}

extension SSHOptionsTests {
    func testParametersFromHostVariables() {
        let parameters = SSHConnectionParameters(inventoryHostname: "web1", variables: [
            "ansible_host": "10.0.0.5", "ansible_port": .int(2222), "ansible_user": "deploy",
            "ansible_ssh_pass": "pw", "ansible_ssh_common_args": "-o ControlMaster=auto",
            "ansible_ssh_extra_args": "-o Port=1", "ansible_host_key_checking": .bool(false), "ansible_timeout": "3",
        ])
        XCTAssertEqual(parameters.host, "10.0.0.5")
        XCTAssertEqual(parameters.port, 2222)
        XCTAssertEqual(parameters.user, "deploy")
        XCTAssertEqual(parameters.password, "pw")
        XCTAssertEqual(parameters.sshCommonArgs, "-o ControlMaster=auto")
        XCTAssertEqual(parameters.sshExtraArgs, "-o Port=1")
        XCTAssertFalse(parameters.hostKeyChecking)
        XCTAssertEqual(parameters.timeout, 3)
        XCTAssertEqual(SSHConnectionParameters(inventoryHostname: "db", variables: [:]).host, "db")
    }
}
