import XCTest

/// What the integration-targets work (issue 12, bugs 15–25) decided beyond ansible-core's
/// output: Python action plugins next to a playbook run through the Python helper (they
/// were refused before; see README, "Python plugins").
final class IntegrationTargetsTests: XCTestCase {
    func testPythonActionPluginNextToThePlaybookRuns() throws {
        let directory = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/action-plugin").path
        let output = try TroupeBinary.run(["playbook", "-i", "localhost,", "site.yml"], in: directory)
        XCTAssertEqual(output.status, 0, output.combined)
        XCTAssertTrue(output.combined.contains(#""msg": "my_action returned 1""#), output.combined)
    }
}
