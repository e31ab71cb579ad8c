import Foundation
import XCTest

/// What ansible's CLIs print before the run at `-v` and `-vv`: the config file in use, the
/// version block, and "N plays in FILE" after the PLAYBOOK banner.
final class CLIVerbosityTests: XCTestCase {
    func testConfigFileVersionBlockAndPlayCount() throws {
        let directory = NSTemporaryDirectory() + "troupe-verbosity-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "- hosts: localhost\n  gather_facts: false\n  tasks: []\n- hosts: localhost\n  gather_facts: false\n  tasks: []\n"
            .write(toFile: directory + "/site.yml", atomically: true, encoding: .utf8)

        // HOME is the test directory, so no ~/.ansible.cfg is found first.
        let quiet = try TroupeBinary.run(["playbook", "-i", "localhost,", "site.yml"], in: directory, environment: ["HOME": directory], closedInput: true)
        XCTAssertFalse(quiet.combined.contains("config file"), quiet.combined)

        let one = try TroupeBinary.run(["playbook", "-i", "localhost,", "site.yml", "-v"], in: directory, environment: ["HOME": directory], closedInput: true)
        XCTAssertEqual(one.status, 0, one.combined)
        XCTAssertTrue(one.combined.hasPrefix("No config file found; using defaults\n"), one.combined)
        XCTAssertFalse(one.combined.contains("plays in"), one.combined)

        try "[defaults]\nforks = 3\n".write(toFile: directory + "/ansible.cfg", atomically: true, encoding: .utf8)
        let two = try TroupeBinary.run(["playbook", "-i", "localhost,", "site.yml", "-vv"], in: directory, environment: ["HOME": directory], closedInput: true)
        XCTAssertEqual(two.status, 0, two.combined)
        let lines = two.combined.components(separatedBy: "\n")
        XCTAssertTrue(lines[0].hasPrefix("troupe "), two.combined)
        XCTAssertTrue(lines.contains("  config file = \(directory)/ansible.cfg"), two.combined)
        XCTAssertTrue(lines.contains("Using \(directory)/ansible.cfg as config file"), two.combined)
        let banner = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("PLAYBOOK: site.yml ") }, two.combined)
        XCTAssertEqual(lines[banner + 1], "2 plays in site.yml")

        let three = try TroupeBinary.run(["playbook", "-i", "localhost,", "site.yml", "-vvv"], in: directory, environment: ["HOME": directory], closedInput: true)
        XCTAssertTrue(three.combined.contains("\nParsed localhost, inventory source with host_list plugin\n"), three.combined)
        XCTAssertFalse(two.combined.contains("inventory source with"), "only from -vvv on")

        let adhoc = try TroupeBinary.run(["adhoc", "-i", "localhost,", "localhost", "-c", "local", "-m", "ping", "-v"],
                                         in: directory, environment: ["HOME": directory], closedInput: true)
        XCTAssertTrue(adhoc.combined.hasPrefix("Using \(directory)/ansible.cfg as config file\n"), adhoc.combined)
    }
}
