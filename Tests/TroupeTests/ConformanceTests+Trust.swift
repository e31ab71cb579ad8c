import XCTest

/// Conformance fixtures for ansible-core 2.19's task-argument layers, loop-term errors and
/// trusted/untrusted templates (issue 12: task-args, debug, lookup_first_found, assert, adhoc),
/// recorded from ansible-playbook by scripts/conformance/record.py.
extension ConformanceTests {
    /// The fixtures tested here (checked by testEveryPlaybookHasATest).
    static let trustFixtures = ["it_task_args", "it_loop_terms", "it_untrusted", "it_no_log_play", "it_module_invocation"]

    func testTaskArgumentLayersAndOmit() throws { try check("it_task_args") }
    func testLoopTermErrorsAreTheTasksMessage() throws { try check("it_loop_terms") }
    func testUntrustedTemplatesAndExpressions() throws { try check("it_untrusted") }
    func testPlayAndBlockNoLogHideTaskResults() throws { try check("it_no_log_play") }
    func testModulesReportTheirInvocationWithSecretsMasked() throws { try check("it_module_invocation") }
}
