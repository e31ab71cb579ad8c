import XCTest
import Jinja
@testable import Troupe

/// Replays the conformance playbooks through the troupe binary and compares the
/// normalised output with what ansible-core printed for them (recorded by
/// scripts/conformance/record.py into Fixtures/conformance/*.expected).
final class ConformanceTests: XCTestCase {
    static var directory: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures/conformance")
    }

    /// The sshd lab for multi-host fixtures (inventories with `ansible_host=127.0.0.…`),
    /// started on first use and shared by the class.
    private static var lab: SSHLab?
    private static var labError: Error?

    override class func tearDown() {
        lab?.stop()
        lab = nil
        super.tearDown()
    }

    private func requireLab() throws -> SSHLab {
        if let lab = Self.lab { return lab }
        if let error = Self.labError { throw error }
        do {
            Self.lab = try SSHLab.start()
            return Self.lab!
        } catch {
            Self.labError = error
            throw error
        }
    }

    /// Extra variables pointing the fixture's hosts at the lab: record.py passes the same
    /// ones (its own sshd), so host names and addresses match the recording.
    private func labArguments(inventory: String) throws -> [String] {
        guard let text = try? String(contentsOfFile: inventory, encoding: .utf8), text.contains("ansible_host=127.0.0.") else { return [] }
        let lab = try requireLab()
        let vars: Value = ["ansible_port": .int(lab.port), "ansible_user": .string(SSHLab.user),
                           "ansible_ssh_private_key_file": .string(lab.clientKey),
                           "ansible_ssh_common_args": .string("-o UserKnownHostsFile=\(lab.knownHosts)")]
        return ["-e", vars.jsonString]
    }

    func check(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let dir = Self.directory
        let expectedText = try String(contentsOf: dir.appendingPathComponent("\(name).expected"), encoding: .utf8)
        var expected = expectedText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if expected.last == "" { expected.removeLast() }
        let expectedRC = expected.removeLast()
        let inventoryFile = dir.appendingPathComponent("\(name).inventory")
        let inventory = FileManager.default.fileExists(atPath: inventoryFile.path) ? inventoryFile.path : "localhost,"
        let argsFile = dir.appendingPathComponent("\(name).args")
        let extra = ((try? String(contentsOf: argsFile, encoding: .utf8)) ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
        let lab = try labArguments(inventory: inventory)
        let output = try TroupeBinary.run(["playbook", "-i", inventory] + lab + extra + ["\(name).yml"], in: dir.path)
        let got = ConformanceNormaliser.normalise(output.combined)
        if got != expected || "rc=\(output.status)" != expectedRC {
            let diff = zip(expected + Array(repeating: "", count: max(0, got.count - expected.count)),
                           got + Array(repeating: "", count: max(0, expected.count - got.count)))
                .enumerated().filter { $0.element.0 != $0.element.1 }
                .prefix(12).map { "line \($0.offset + 1):\n  ansible: \($0.element.0)\n  troupe:  \($0.element.1)" }
            XCTFail("""
            \(name).yml differs from ansible-core (expected \(expectedRC), got rc=\(output.status)):
            \(diff.joined(separator: "\n"))
            --- raw troupe output ---
            \(output.combined.suffix(3000))
            """, file: file, line: line)
        }
    }

    func testBasics() throws { try check("basics") }
    func testLoops() throws { try check("loops") }
    func testBlocks() throws { try check("blocks") }
    func testHandlers() throws { try check("handlers") }
    func testResultRules() throws { try check("results") }
    func testVariables() throws { try check("variables") }
    func testIncludesAndRoles() throws { try check("includes") }
    func testMultiplePlays() throws { try check("multiplay") }
    func testParseError() throws { try check("parse_error") }
    func testUnknownModule() throws { try check("unknown_module") }
    func testMissingHandlerEndsTheRun() throws { try check("missing_handler") }
    func testPause() throws { try check("pause") }
    func testLookups() throws { try check("lookups") }
    func testSeveralHostsRunOnceDelegationAndFailures() throws { try check("multihost") }
    func testVaultedFilesAndValues() throws { try check("vault") }
    func testRoleArgumentSpecs() throws { try check("role_argspecs") }
    func testIncludeRolePublicApplyAndImportScope() throws { try check("role_scope") }
    func testConfigInventoryHostnamesAndUnvaultLookups() throws { try check("lookups_engine") }
    func testRoleNameVariables() throws { try check("role_names") }
    func testFailuresRescueAnyErrorsFatalAndPlayHosts() throws { try check("failures") }
    func testReadOnlySystemModules() throws { try check("system_readonly") }
    func testSSHHostsConditionsFailuresRunOnceDelegationSerial() throws { try check("lab_hosts") }
    func testSSHHostsAnyErrorsFatal() throws { try check("lab_fatal") }
    func testSSHHostsMaxFailPercentage() throws { try check("lab_maxfail") }
    func testSSHHostsHostPinnedStrategy() throws { try check("lab_pinned") }
    func testStartAtTaskInARole() throws { try check("start_at") }
    func testSSHHostsAsyncPollAndAsyncStatus() throws { try check("lab_async") }
    func testSSHHostsBlocksHandlersLoopsRetriesResultRulesAndTags() throws { try check("lab_flow") }
    func testSSHHostsCheckAndDiff() throws { try check("lab_check") }
    func testCustomModulesAndScript() throws { try check("custom_modules") }
    func testCommandOptions() throws { try check("command_options") }
    func testArchivesAndDownloads() throws { try check("archives_and_downloads") }
    func testUnnamedIncludeRoleIsNamedAfterItsRole() throws { try check("include_role_unnamed") }
    func testMaxFailPercentageCountsTheTaskThatJustFailed() throws { try check("max_fail") }
    func testAnyErrorsFatalStopsEveryHost() throws { try check("any_errors_fatal") }
    func testPublicContentVariableBugs() throws { try check("content_vars") }
    func testPublicContentModuleBugs() throws { try check("content_modules") }
    func testBuiltinsWithoutANativeVersionRunAnsibleCoresPythonModule() throws { try check("core_python_modules") }
    func testPublicContentHostBugs() throws { try check("content_hosts") }
    func testRemovedIncludeActionStopsTheRun() throws { try check("removed_include") }
    func testSSHHostsCollectionPythonModulesPackedWithModuleUtils() throws { try check("collections_payload") }

    func testEveryPlaybookHasATest() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path)
            .filter { $0.hasSuffix(".yml") }.map { String($0.dropLast(4)) }.sorted()
        let tested = ["any_errors_fatal", "archives_and_downloads", "basics", "blocks", "collections_payload", "command_options", "content_hosts", "content_modules", "content_vars", "core_python_modules", "custom_modules", "failures", "handlers", "include_role_unnamed", "includes", "lab_async", "lab_check", "lab_fatal", "lab_flow", "lab_hosts", "lab_maxfail", "lab_pinned", "lookups", "lookups_engine", "loops", "max_fail", "missing_handler", "multihost", "multiplay", "parse_error", "pause", "removed_include", "results", "role_argspecs", "role_names", "role_scope", "start_at", "system_readonly", "unknown_module", "variables", "vault"]
        XCTAssertEqual(names, (tested + Self.integrationTargetFixtures + Self.lookupFixtures + Self.pythonPluginFixtures + Self.trustFixtures).sorted(),
                       "add a test method for every conformance playbook")
    }
}
