import Foundation
import XCTest

/// `lookup('url', …)` against a real HTTP server on loopback: lines, whole bodies, the user
/// agent, basic auth, redirects, and ansible-core's messages for HTTP and connection errors.
final class URLLookupTests: XCTestCase {
    func testURLLookupFetchesOverHTTPWithAnsiblesOptionsAndErrors() throws {
        let server = try LocalHTTPServer()
        defer { server.stop() }
        try "one\ntwo\r\nthree\n".write(toFile: server.directory + "/hello.txt", atomically: true, encoding: .utf8)
        let directory = NSTemporaryDirectory() + "troupe-url-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let base = server.base
        let playbook = """
            - hosts: localhost
              gather_facts: false
              tasks:
                - set_fact:
                    lines: "{{ query('url', '\(base)/hello.txt') }}"
                    whole: "{{ lookup('url', '\(base)/hello.txt', split_lines=false) }}"
                    agent: "{{ (lookup('url', '\(base)/echo', split_lines=false) | from_json).agent }}"
                    custom_agent: "{{ (lookup('url', '\(base)/echo', http_agent='troupe-test', split_lines=false) | from_json).agent }}"
                    auth: "{{ lookup('url', '\(base)/auth', username='user', password='secret') }}"
                    redirected: "{{ query('url', '\(base)/redirect') }}"
                - copy:
                    dest: "{{ playbook_dir }}/results.json"
                    content: "{{ {'lines': lines, 'whole': whole, 'agent': agent, 'custom_agent': custom_agent, 'auth': auth, 'redirected': redirected} | to_json }}"
                - debug: msg="{{ lookup('url', '\(base)/missing.txt') }}"
                  ignore_errors: true
                - debug: msg="{{ lookup('url', '\(base)/auth', username='user', password='wrong') }}"
                  ignore_errors: true
                - debug: msg="{{ lookup('url', 'http://127.0.0.1:1/x') }}"
                  ignore_errors: true
                - debug: msg="{{ lookup('url', 'http://me:hidden@127.0.0.1:\(server.port)/missing.txt') }}"
                  ignore_errors: true
            """
        try playbook.write(toFile: directory + "/site.yml", atomically: true, encoding: .utf8)
        let output = try TroupeBinary.run(["playbook", "-i", "localhost,", "-c", "local", "site.yml"], in: directory, closedInput: true)
        XCTAssertEqual(output.status, 0, output.combined)
        let data = try XCTUnwrap(FileManager.default.contents(atPath: directory + "/results.json"), output.combined)
        let results = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(results["lines"] as? [String], ["one", "two", "three"])
        XCTAssertEqual(results["whole"] as? String, "one\ntwo\r\nthree\n")
        XCTAssertEqual(results["agent"] as? String, "ansible-httpget")
        XCTAssertEqual(results["custom_agent"] as? String, "troupe-test")
        XCTAssertEqual(results["auth"] as? String, "ok")
        XCTAssertEqual(results["redirected"] as? [String], ["one", "two", "three"])
        // The server's own reason phrase, as urllib reports it (http.server says "File not found").
        XCTAssertTrue(output.combined.contains("Received HTTP error for \(base)/missing.txt: HTTP Error 404: File not found"), output.combined)
        XCTAssertTrue(output.combined.contains("Received HTTP error for \(base)/auth: HTTP Error 401: Unauthorized"), output.combined)
        XCTAssertTrue(output.combined.contains("Received HTTP error for http://****:****@127.0.0.1:\(server.port)/missing.txt"), output.combined)
        XCTAssertTrue(output.combined.contains("Failed lookup url for http://127.0.0.1:1/x: <urlopen error [Errno 111] Connection refused>"), output.combined)
    }
}
