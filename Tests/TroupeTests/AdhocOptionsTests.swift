import Foundation
import XCTest

/// `troupe adhoc` options ansible's `ansible` has: `-B/-P` (the module runs async, polled
/// or left running), `--playbook-dir` (its group_vars apply), and ansible-core's inventory
/// warnings when no inventory is given (none for a missing /etc/ansible/hosts, and the
/// empty-inventory warning only for a pattern other than localhost). Expected output as
/// ansible 2.19.14 prints it for the same commands.
final class AdhocOptionsTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "troupe-adhoc-options-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/pbdir/group_vars", withIntermediateDirectories: true)
        try "greeting: from-pbdir\n".write(toFile: directory + "/pbdir/group_vars/all.yml", atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    private func adhoc(_ arguments: [String]) throws -> (status: Int32, stdout: String, combined: String) {
        let result = try TroupeBinary.run(["adhoc"] + arguments, in: directory,
                                          environment: ["HOME": directory, "ANSIBLE_ASYNC_DIR": directory + "/async"], closedInput: true)
        return (result.status, result.stdout, result.combined)
    }

    /// The JSON after `localhost | STATUS => ` (the output holds stderr's warnings too), up to
    /// its closing brace on a line of its own.
    private func result(_ output: String, status: String) throws -> [String: Any] {
        let prefix = "localhost | \(status) => "
        let start = try XCTUnwrap(output.range(of: prefix), output)
        let rest = output[start.upperBound...]
        let end = try XCTUnwrap(rest.range(of: "\n}"), output)
        let object = try JSONSerialization.jsonObject(with: Data(rest[..<end.upperBound].utf8))
        return try XCTUnwrap(object as? [String: Any], output)
    }

    func testBackgroundPolledToTheEnd() throws {
        let run = try adhoc(["localhost", "-c", "local", "-B", "10", "-P", "1", "-m", "command", "-a", "echo hi"])
        XCTAssertEqual(run.status, 0, run.combined)
        let object = try result(run.stdout, status: "CHANGED")
        XCTAssertEqual(object["finished"] as? Bool, true)
        XCTAssertEqual(object["started"] as? Bool, true)
        XCTAssertEqual(object["stdout"] as? String, "hi")
        XCTAssertEqual(object["rc"] as? Int, 0)
        XCTAssertTrue((object["ansible_job_id"] as? String)?.hasPrefix("j") == true, run.stdout)
        XCTAssertTrue((object["results_file"] as? String)?.hasPrefix(directory + "/async/") == true, run.stdout)
    }

    func testBackgroundWithoutPollingLeavesTheJobRunning() throws {
        let run = try adhoc(["localhost", "-c", "local", "-B", "10", "-P", "0", "-m", "command", "-a", "echo hi"])
        XCTAssertEqual(run.status, 0, run.combined)
        let object = try result(run.stdout, status: "CHANGED")
        XCTAssertEqual(Set(object.keys), ["ansible_job_id", "changed", "finished", "results_file", "started"])
        XCTAssertEqual(object["finished"] as? Bool, false)
    }

    func testPlaybookDirGroupVarsAndTheDefaultInventoryWarnings() throws {
        let run = try adhoc(["localhost", "-c", "local", "--playbook-dir", directory + "/pbdir", "-m", "debug", "-a", "var=greeting"])
        XCTAssertEqual(run.status, 0, run.combined)
        XCTAssertEqual(try result(run.stdout, status: "SUCCESS")["greeting"] as? String, "from-pbdir")
        // No -i: ansible says only that no inventory was parsed (localhost is the pattern).
        let warnings = run.combined.components(separatedBy: "\n").filter { $0.hasPrefix("[WARNING]") }
        XCTAssertEqual(warnings, ["[WARNING]: No inventory was parsed, only implicit localhost is available"], run.combined)
        let all = try adhoc(["all", "-c", "local", "-m", "ping"])
        XCTAssertTrue(all.combined.contains("[WARNING]: provided hosts list is empty, only localhost is available."), all.combined)
        XCTAssertFalse(all.combined.contains("Unable to parse /etc/ansible/hosts"), all.combined)
    }
}
