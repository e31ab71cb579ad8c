import XCTest

/// Conformance fixtures for the shared causes found by running ansible-core's own integration
/// targets (issue 12, bugs 15–25), recorded from ansible-playbook by scripts/conformance/record.py.
extension ConformanceTests {
    /// The fixtures tested here (checked by testEveryPlaybookHasATest).
    static let integrationTargetFixtures = ["it_search_path", "it_set_fact_loop", "it_whole_args", "it_import_playbook_templated",
                                            "it_force_handlers", "it_force_handlers_cli", "it_globals", "it_register_invalid",
                                            "it_role_dep_chain", "it_vars_files", "it_lookup_errors", "it_includes_free", "it_results", "it_vars_files_facts", "it_vars_files_undefined",
                                            "it_action_templated", "it_task_timeout", "it_task_timeout_ssh",
                                            "it_meta_skips", "it_reserved_arg", "it_unsafe_collections",
                                            "it_role_imports", "it_module_details", "it_clear_host_errors", "it_filter_edges",
                                            "it_role_dedup", "it_import_playbook_keywords", "it_handler_lookup",
                                            "it_text_edits", "it_template_options"]

    func testFirstFoundAndLookupsSearchTheRoleAndTheIncludingFile() throws { try check("it_search_path") }
    func testSetFactInALoopKeepsEachItemsFacts() throws { try check("it_set_fact_loop") }
    func testWholeModuleArgumentsFromOneTemplate() throws { try check("it_whole_args") }
    func testStaticImportPathsAreTemplated() throws { try check("it_import_playbook_templated") }
    func testForceHandlersPlayKeyword() throws { try check("it_force_handlers") }
    func testForceHandlersOption() throws { try check("it_force_handlers_cli") }
    func testAnsibleGlobalsHostvarsMembershipAndAnsibleManaged() throws { try check("it_globals") }
    func testRegisterMustNameAVariable() throws { try check("it_register_invalid") }
    func testRoleVariablesFollowTheDependencyChain() throws { try check("it_role_dep_chain") }
    func testVarsFilesPerHostAndFromTheVarsDirectory() throws { try check("it_vars_files") }
    func testLookupAndFilterErrorsAndResults() throws { try check("it_lookup_errors") }
    func testIncludesInAlwaysUnderFreeSiblingIncludesAndIncludeVarsDirectories() throws { try check("it_includes_free") }
    func testResultsAndFailuresAsAnsibleCoreReportsThem() throws { try check("it_results") }
    func testVarsFilesAreTemplatedAgainOnceFactsArrive() throws { try check("it_vars_files_facts") }
    func testVarsFilesEntryStillUndefinedAfterFactsStopsTheRun() throws { try check("it_vars_files_undefined") }
    func testTemplatedActionNamesResolvePerHost() throws { try check("it_action_templated") }
    func testTaskTimeoutKeyword() throws { try check("it_task_timeout") }
    func testSSHHostsTaskTimeoutKeepsTheShellUsable() throws { try check("it_task_timeout_ssh") }
    func testConditionalMetaTasksReportSkipReasons() throws { try check("it_meta_skips") }
    func testArgumentsStartingWithAnsibleAreReserved() throws { try check("it_reserved_arg") }
    func testUnsafeListsAndMappingsAreNeverTemplated() throws { try check("it_unsafe_collections") }
    func testImportRoleInsideARoleAndCollectionRoleNames() throws { try check("it_role_imports") }
    func testModuleMessagesResultsAndDiffs() throws { try check("it_module_details") }
    func testClearHostErrorsInAlwaysClearsThePendingFailure() throws { try check("it_clear_host_errors") }
    func testFilterEdgeCases() throws { try check("it_filter_edges") }
    func testRolesDeduplicatePerHostOnceCompleted() throws { try check("it_role_dedup") }
    func testImportPlaybookVarsWhenAndTags() throws { try check("it_import_playbook_keywords") }
    func testNotifiedHandlersAreFoundAsAnsibleCoreFindsThem() throws { try check("it_handler_lookup") }
    func testTextFileEditsResultsMessagesAndWarnings() throws { try check("it_text_edits") }
    func testTemplateOptionsLookupAndMissingElements() throws { try check("it_template_options") }
}
