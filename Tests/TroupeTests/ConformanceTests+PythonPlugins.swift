import XCTest

/// Conformance fixtures for Python plugins run through the controller's Python helper
/// (issue 12 item 25 and "Python plugins"), recorded from ansible-playbook by
/// scripts/conformance/record.py; the plugin files sit next to the playbooks
/// (`filter_plugins/`, `test_plugins/`, `lookup_plugins/`, `action_plugins/`) and in the
/// fixture collection troupe_acc.demo.
extension ConformanceTests {
    /// The fixtures tested here (checked by testEveryPlaybookHasATest).
    static let pythonPluginFixtures = ["python_plugins", "python_action_plugins"]

    func testPythonFilterTestAndLookupPluginsNextToThePlaybookAndInACollection() throws { try check("python_plugins") }
    func testPythonActionPluginsNextToThePlaybookAndInACollection() throws { try check("python_action_plugins") }
}
