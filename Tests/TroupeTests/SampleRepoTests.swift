import XCTest
import Foundation

/// examples/sample-repo — an Ansible repository as people write them (site.yml with two
/// plays, roles with dependencies and argument specs, inventory and playbook
/// group_vars/host_vars, a vaulted group_vars file, imports and includes) — run over SSH
/// against the test sshd hosts and compared with what ansible-playbook printed for the
/// same run (normalised as compare.py does). `TROUPE_RECORD_SAMPLE_REPO=1` re-records
/// Fixtures/sample-repo.expected with ansible-playbook instead.
final class SampleRepoTests: XCTestCase {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    private static let repository = root.appendingPathComponent("examples/sample-repo")
    private static let expectedFile = root.appendingPathComponent("Tests/TroupeTests/Fixtures/sample-repo.expected")

    func testSiteMatchesAnsibleOverSSH() throws {
        let lab = try SSHLab.start(hostCount: 3)
        defer { lab.stop() }
        // The repository's inventory has the groups and variables; the lab's addresses,
        // port and key come from a second inventory source, as a deploy pipeline would add them.
        let names = ["web1", "web2", "db1"]
        var labInventory = ""
        for (name, address) in zip(names, lab.hosts) {
            labInventory += "\(name) ansible_host=\(address) ansible_port=\(lab.port) ansible_user=\(SSHLab.user) "
                + "ansible_ssh_private_key_file=\(lab.clientKey) ansible_python_interpreter=/usr/bin/python3 "
                + "ansible_ssh_common_args='-o UserKnownHostsFile=\(lab.knownHosts)'\n"
        }
        let labFile = lab.directory + "/lab.ini"
        try labInventory.write(toFile: labFile, atomically: true, encoding: .utf8)
        let arguments = ["-i", "inventories/lab", "-i", labFile, "-e", "app_root=\(lab.workDirectory)/sample", "site.yml"]

        if ProcessInfo.processInfo.environment["TROUPE_RECORD_SAMPLE_REPO"] == "1" {
            let output = try runAnsible(arguments)
            let lines = ConformanceNormaliser.normalise(output.text) + ["rc=\(output.status)"]
            try (lines.joined(separator: "\n") + "\n").write(to: Self.expectedFile, atomically: true, encoding: .utf8)
            print(output.text)
            return
        }
        var expected = try String(contentsOf: Self.expectedFile, encoding: .utf8).split(separator: "\n").map(String.init)
        let expectedRC = expected.removeLast()
        let output = try TroupeBinary.run(["playbook"] + arguments, in: Self.repository.path)
        let got = ConformanceNormaliser.normalise(output.combined)
        XCTAssertEqual("rc=\(output.status)", expectedRC, output.combined)
        XCTAssertEqual(got, expected, "sample repository output differs from ansible-playbook's:\n\(output.combined)")
        XCTAssertFalse(output.combined.contains("s3cr3t-db-pass"), "a vaulted value was printed")
    }

    private func runAnsible(_ arguments: [String]) throws -> (status: Int32, text: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ansible-playbook"] + arguments
        process.currentDirectoryURL = Self.repository
        var env = ProcessInfo.processInfo.environment
        env["ANSIBLE_NOCOLOR"] = "1"
        env["ANSIBLE_HOST_KEY_CHECKING"] = "False"
        env.removeValue(forKey: "ANSIBLE_CONFIG")
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
