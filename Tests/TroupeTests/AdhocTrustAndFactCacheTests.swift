import Foundation
import XCTest

/// `troupe adhoc` as the adhoc integration target runs it (ansible-core 2.19): untrusted
/// `-e` values are left as they are (with a warning when asked), an empty inventory still
/// runs the templated pattern, and facts go to and leave the fact cache (`--flush-cache`).
final class AdhocTrustAndFactCacheTests: XCTestCase {
    private func scratchDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "troupe-adhoc-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testUntrustedExtraVarsAreNotTemplatedAndWarnWhenAsked() throws {
        let output = try TroupeBinary.run(["adhoc", "-i", "/dev/null", "{{\"localhost\"}}", "-m", "{{\"debug\"}}", "-a", "var=fromcli",
                                           "-e", #"{"fromcli":{"no_trust":{"__ansible_unsafe":"{{\"hello\"}}"},"trust":"{{ 1 }}"}}"#],
                                          in: try scratchDirectory(), environment: ["_ANSIBLE_TEMPLAR_UNTRUSTED_TEMPLATE_BEHAVIOR": "warning"],
                                          closedInput: true)
        XCTAssertEqual(output.status, 0, output.combined)
        XCTAssertTrue(output.combined.contains(#""no_trust": "{{\"hello\"}}""#), output.combined)
        XCTAssertTrue(output.combined.contains(#""trust": 1"#), output.combined)
        XCTAssertTrue(output.combined.contains("[WARNING]: Encountered untrusted template or expression."), output.combined)
    }

    func testFactsAreCachedAndFlushed() throws {
        let directory = try scratchDirectory()
        let cache = ["ANSIBLE_CACHE_PLUGIN": "jsonfile", "ANSIBLE_CACHE_PLUGIN_CONNECTION": directory + "/cache"]
        func adhoc(_ arguments: [String]) throws -> TroupeBinary.Output {
            try TroupeBinary.run(["adhoc", "-i", "/dev/null", "localhost"] + arguments, in: directory, environment: cache, closedInput: true)
        }
        let before = try adhoc(["-m", "assert", "-a", #"{"that": "ansible_facts.distribution is not defined"}"#])
        XCTAssertEqual(before.status, 0, before.combined)
        XCTAssertEqual(try adhoc(["-m", "setup"]).status, 0)
        let cached = try adhoc(["-m", "assert", "-a", #"{"that": "ansible_facts.distribution is defined"}"#])
        XCTAssertEqual(cached.status, 0, cached.combined)
        let flushed = try adhoc(["--flush-cache", "-m", "debug", "-a", "msg={{ ansible_facts }}"])
        XCTAssertEqual(flushed.status, 0, flushed.combined)
        XCTAssertTrue(flushed.combined.contains(#""msg": {}"#), flushed.combined)
    }
}
