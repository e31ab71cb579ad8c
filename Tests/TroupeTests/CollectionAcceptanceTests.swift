import XCTest
import Jinja
@testable import Troupe

/// community.general and ansible.posix installed from collection tarballs (built from the
/// PyPI `ansible` package by scripts/collections/build-acceptance-tarballs.sh, which
/// scripts/install-deps.sh runs) into a temporary collections path, their modules run over
/// SSH on lab hosts whose /usr/bin/python3 cannot import ansible; the output must match
/// what ansible-playbook printed (recorded by scripts/collections/record-acceptance.py).
final class CollectionAcceptanceTests: XCTestCase {
    private var fixtures: URL { Bundle.module.resourceURL!.appendingPathComponent("Fixtures/collections-acceptance") }

    /// Where the tarballs are: `TROUPE_ACCEPTANCE_COLLECTIONS`, else `.build-collections/` in the package.
    private var tarballDirectory: String {
        if let dir = ProcessInfo.processInfo.environment["TROUPE_ACCEPTANCE_COLLECTIONS"] { return dir }
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return package.appendingPathComponent(".build-collections").path
    }

    private func shell(_ command: String) -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (127, "\(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func testCommunityGeneralAndAnsiblePosixModulesOverSSHMatchAnsibleCore() throws {
        let (hostHasAnsible, _) = shell("/usr/bin/python3 -c 'import ansible'")
        XCTAssertNotEqual(hostHasAnsible, 0, "the lab hosts' /usr/bin/python3 must not have ansible for this test to mean anything")
        let tarballs = tarballDirectory
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/collections/build-acceptance-tarballs.sh").path
        let (built, buildOutput) = shell("\(script) \(tarballs)")
        guard built == 0 else {
            throw XCTSkip("the community.general/ansible.posix tarballs could not be built (no PyPI?): \(buildOutput.suffix(400))")
        }
        let collections = NSTemporaryDirectory() + "troupe-acceptance-collections-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: collections) }
        let (installed, installOutput) = shell("ansible-galaxy collection install -p \(collections) \(tarballs)/community-general-*.tar.gz \(tarballs)/ansible-posix-*.tar.gz")
        XCTAssertEqual(installed, 0, installOutput)

        let lab = try SSHLab.start()
        defer { lab.stop() }
        let vars: Value = ["ansible_port": .int(lab.port), "ansible_user": .string(SSHLab.user),
                           "ansible_ssh_private_key_file": .string(lab.clientKey),
                           "ansible_ssh_common_args": .string("-o UserKnownHostsFile=\(lab.knownHosts)")]
        let dir = fixtures.path
        let output = try TroupeBinary.run(["playbook", "-i", "acceptance.inventory", "-e", vars.jsonString, "acceptance.yml"], in: dir,
                                          environment: ["ANSIBLE_COLLECTIONS_PATH": collections])
        var expected = try String(contentsOfFile: dir + "/acceptance.expected", encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if expected.last == "" { expected.removeLast() }
        let expectedRC = expected.removeLast()
        let got = ConformanceNormaliser.normalise(output.combined)
        XCTAssertEqual(got, expected, "troupe's output differs from ansible-core's:\n\(output.combined.suffix(4000))")
        XCTAssertEqual("rc=\(output.status)", expectedRC)
    }
}
