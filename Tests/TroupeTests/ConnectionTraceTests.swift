import Foundation
import XCTest

/// From -vvv on, each task shows what went to the host (`<host> EXEC …`, as ansible-core's
/// connection plugins print it) with the become wrapper, but neither the command's text nor
/// the task's environment (secrets); the module's result shows its `invocation`. Below -vvv
/// neither appears.
final class ConnectionTraceTests: XCTestCase {
    private var directory: PlaybookDirectory!

    override func setUpWithError() throws {
        directory = try PlaybookDirectory("""
        - hosts: localhost
          gather_facts: false
          tasks:
            - command: echo traced-plain
              environment: {TRACE_TOKEN: s3cr3t-value}
            - command: echo traced-become
              become: true
        """)
    }

    override func tearDown() { directory.remove() }

    private func playbook(_ verbosity: String) throws -> String {
        let run = try directory.runPlaybook([verbosity])
        XCTAssertEqual(run.status, 0, run.combined)
        return run.stdout
    }

    func testVeryVerboseShowsEachCommandAndTheBecomeWrapper() throws {
        let output = try playbook("-vvv")
        let exec = output.split(separator: "\n").filter { $0.hasPrefix("<localhost> EXEC ") }
        XCTAssertEqual(exec.count, 2, output)
        XCTAssertTrue(exec.last?.hasPrefix("<localhost> EXEC sudo -H -S -n -u root ") == true, output)
        XCTAssertFalse(exec.contains { $0.contains("traced") }, output)
        XCTAssertTrue(output.contains("\"_raw_params\": \"echo traced-plain\""), output)
        XCTAssertFalse(output.contains("s3cr3t-value"), output)
    }

    func testLessVerboseShowsNeither() throws {
        let output = try playbook("-vv")
        XCTAssertFalse(output.contains("<localhost> EXEC"), output)
        XCTAssertFalse(output.contains("\"invocation\""), output)
    }
}
