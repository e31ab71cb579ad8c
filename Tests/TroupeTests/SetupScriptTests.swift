import Foundation
import Jinja
@testable import Troupe
import XCTest

/// The generated shell script: valid POSIX syntax, and only the work the subset needs.
final class SetupScriptTests: XCTestCase {
    func syntaxCheck(_ script: String) throws -> Int32 {
        let result = try LocalConnection().run(CommandRequest(.argv(["/bin/sh", "-n", "-c", script])))
        return result.rc
    }

    func testScriptIsValidShellForEverySubset() throws {
        for subset in [["all"], ["min"], ["!all", "!min"], ["!all", "!min", "network"], ["!all", "hardware"]] {
            let script = FactScript.build(nonce: "abc", collectors: try FactSubsets.resolve(subset), factPath: "/etc/ansible/facts.d")
            XCTAssertEqual(try syntaxCheck(script), 0, "subset \(subset)")
        }
    }

    func testFlagsFollowTheSubset() throws {
        let minimal = FactScript.build(nonce: "abc", collectors: FactSubsets.minimal, factPath: "/x")
        XCTAssertTrue(minimal.contains("W_HW=\n"))
        XCTAssertTrue(minimal.contains("W_NET=\n"))
        XCTAssertTrue(minimal.contains("W_USER=1\n"))
        let network = FactScript.build(nonce: "abc", collectors: ["network", "platform", "distribution"], factPath: "/x")
        XCTAssertTrue(network.contains("W_NET=1\n"))
        XCTAssertTrue(network.contains("W_ENV=\n"))
    }

    func testFactPathIsQuoted() {
        let script = FactScript.build(nonce: "abc", collectors: ["local"], factPath: "/tmp/it's here")
        XCTAssertTrue(script.contains("FACT_PATH='/tmp/it'\"'\"'s here'"))
    }

    func testOnlyTheRequestedGroupsAreGatheredLive() throws {
        let result = try SetupModule.gather(connection: LocalConnection(), arguments: ["gather_subset": ["!all", "!min", "user"]])
        let facts = try XCTUnwrap(result["ansible_facts"]?.dictValue)
        XCTAssertEqual(facts.keys, ["effective_group_id", "effective_user_id", "gather_subset", "module_setup", "real_group_id",
                                    "real_user_id", "user_dir", "user_gecos", "user_gid", "user_id", "user_shell", "user_uid"])
        XCTAssertNil(result["warnings"])
    }

    func testLSBFromMinimalLSBRelease() throws {
        var sections = FactSections()
        sections.existing = ["@lsb_minimal"]
        sections.files["/etc/os-release"] = "NAME=\"Ubuntu\"\nID=ubuntu\nVERSION_ID=\"22.04\"\nPRETTY_NAME=\"Ubuntu 22.04.4 LTS\"\nVERSION_CODENAME=jammy\n"
        var parser = FactParser(sections: sections, collectors: ["lsb"])
        let facts = parser.parse()
        XCTAssertEqual(facts["lsb"], ["codename": "jammy", "description": "Ubuntu 22.04.4 LTS", "id": "Ubuntu",
                                      "major_release": "22", "release": "22.04"])
    }

    func testTimeoutKeepsPartialFactsWithAWarning() throws {
        let connection = SetupScriptedConnection { request in
            // Answer as a script that was killed after its first sections.
            guard case .shell(let script) = request.command,
                  let nonce = script.split(separator: "\n").first?.split(separator: "-").last?.dropLast() else {
                return CommandResult(rc: 1, stdout: Data(), stderr: Data())
            }
            let text = "\n==troupe-\(nonce):start==\n\n==troupe-\(nonce):file:/proc/sys/kernel/hostname==\nslowhost\n"
            return CommandResult(rc: -9, stdout: Data(text.utf8), stderr: Data(), timedOut: true)
        }
        let result = try SetupModule.gather(connection: connection, arguments: ["gather_subset": "!all", "gather_timeout": 1])
        XCTAssertEqual(result["ansible_facts"]?["nodename"], "slowhost")
        XCTAssertEqual(result["warnings"]?.listValue?.count, 1)
        XCTAssertEqual(connection.timeouts, [1])
    }

    func testNoOutputAtAllIsAModuleFailure() {
        let connection = SetupScriptedConnection { _ in CommandResult(rc: 126, stdout: Data(), stderr: Data("sh: permission denied".utf8)) }
        XCTAssertThrowsError(try SetupModule.gather(connection: connection, arguments: .null)) { error in
            XCTAssertEqual((error as? TroupeError)?.message, "Fact gathering failed (rc=126): sh: permission denied")
        }
    }
}

/// A connection whose `run` answers from a closure; file operations are not used by setup.
final class SetupScriptedConnection: Connection, @unchecked Sendable {
    let hostName = "scripted"
    let answer: (CommandRequest) -> CommandResult
    var timeouts: [Double?] = []
    init(_ answer: @escaping (CommandRequest) -> CommandResult) { self.answer = answer }
    func connect() throws {}
    func run(_ request: CommandRequest) throws -> CommandResult {
        timeouts.append(request.timeout)
        return answer(request)
    }
    func put(_ data: Data, to path: String, attributes: FileAttributes, become: BecomeSettings?) throws {}
    func putFile(_ localPath: String, to path: String, attributes: FileAttributes, become: BecomeSettings?) throws {}
    func fetch(_ path: String, become: BecomeSettings?) throws -> Data { Data() }
    func fetchFile(_ path: String, to localPath: String, become: BecomeSettings?) throws {}
    func stat(_ path: String, followLinks: Bool) throws -> RemoteFileStatus? { nil }
    func reset() throws {}
    func close() {}
}
