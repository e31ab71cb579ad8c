import XCTest

/// What the integration-targets work (issue 12, bugs 15–25) decided beyond ansible-core's
/// output: Python action plugins are refused with an error naming the plugin file.
final class IntegrationTargetsTests: XCTestCase {
    func testPythonActionPluginIsRefusedWithItsPath() throws {
        let directory = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/action-plugin").path
        let output = try TroupeBinary.run(["playbook", "-i", "localhost,", "site.yml"], in: directory)
        XCTAssertEqual(output.status, 4, output.combined)
        XCTAssertTrue(output.combined.contains("the action 'my_action' is the Python action plugin "), output.combined)
        XCTAssertTrue(output.combined.contains("action_plugins/my_action.py, which Troupe does not run"), output.combined)
        XCTAssertTrue(output.combined.contains("site.yml:5:7"), output.combined)
    }
}
