import Foundation
import XCTest

/// ansible.cfg's `no_log` (`ANSIBLE_NO_LOG`) is the default of the `no_log` keyword: every
/// result is censored unless a task, block or play says `no_log: false`. Counts as
/// ansible-core 2.19.14 prints them for the same playbook (its `no_log` integration target).
final class NoLogDefaultTests: XCTestCase {
    private var directory: PlaybookDirectory!

    override func setUpWithError() throws {
        directory = try PlaybookDirectory("""
        - hosts: localhost
          gather_facts: false
          tasks:
            - debug: {msg: one}
              no_log: true
            - debug: {msg: two}
              no_log: false
            - debug: {msg: three}
            - debug: {msg: "item {{ item }}"}
              loop: [1, 2]
        """)
    }

    override func tearDown() { directory.remove() }

    private func censoredResults(noLog: String?) throws -> (count: Int, output: String) {
        let run = try directory.runPlaybook(["-v"], environment: noLog.map { ["ANSIBLE_NO_LOG": $0] } ?? [:])
        XCTAssertEqual(run.status, 0, run.combined)
        let count = run.stdout.components(separatedBy: "the output has been hidden").count - 1
        return (count, run.stdout)
    }

    func testConfiguredNoLogCensorsEveryResultThatDoesNotOptOut() throws {
        let run = try censoredResults(noLog: "1")
        XCTAssertEqual(run.count, 4, run.output)
        XCTAssertTrue(run.output.contains("\"msg\": \"two\""), run.output)
        XCTAssertFalse(run.output.contains("three"), run.output)
    }

    func testWithoutTheSettingOnlyTheKeywordCensors() throws {
        XCTAssertEqual(try censoredResults(noLog: nil).count, 1)
        XCTAssertEqual(try censoredResults(noLog: "0").count, 1)
    }
}
