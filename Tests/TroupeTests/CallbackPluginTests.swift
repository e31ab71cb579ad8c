import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import Troupe

/// The aggregate/notification callbacks and the json stdout callback, run through the
/// troupe binary on Fixtures/callback-plugins/site.yml and compared with what
/// ansible-core 2.19 and the collection plugins wrote for the same playbook (record.sh).
/// Times, durations and the working directory are normalised.
final class CallbackPluginTests: XCTestCase {
    /// The directory record.sh ran the playbook from.
    private static let recordedDirectory = "/tmp/troupe-callback-plugins"
    private var work = ""

    override func setUpWithError() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-cbp-\(UUID().uuidString.prefix(8))").path
        let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/callback-plugins")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        for name in ["site.yml", "inventory.ini", "roles", "stats.yml", "two-hosts.ini", "includes.yml", "item.yml"] {
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent(name), to: URL(fileURLWithPath: work).appendingPathComponent(name))
        }
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: work)
    }

    private func fixture(_ name: String) throws -> String {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/callback-plugins/\(name)")
        return try String(contentsOf: url, encoding: .utf8)
    }

    private func runSite(_ environment: [String: String], inventory: String = "inventory.ini") throws -> String {
        let output = try TroupeBinary.run(["playbook", "-i", inventory, "site.yml"], in: work, environment: environment)
        // The site's last failure is ignored, so the run succeeds.
        XCTAssertEqual(output.status, 0, output.combined)
        return output.combined.replacingOccurrences(of: work + "/", with: Self.recordedDirectory + "/")
    }

    private func files(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    // MARK: - json

    func testJSONStdoutCallbackMatchesAnsiblePosixJSON() throws {
        for name in ["json", "ansible.posix.json"] {
            let output = try runSite(["ANSIBLE_STDOUT_CALLBACK": name])
            XCTAssertEqual(try Self.normalisedJSON(output), try Self.normalisedJSON(try fixture("json.txt")), name)
        }
    }

    /// Free strategies get one task entry per host result (ansible makes them at runner start).
    func testJSONWithTheFreeStrategy() throws {
        let output = try runSite(["ANSIBLE_STDOUT_CALLBACK": "json", "ANSIBLE_STRATEGY": "free"])
        XCTAssertEqual(try Self.normalisedJSON(output), try Self.normalisedJSON(try fixture("json-free.txt")))

        let two = try runSite(["ANSIBLE_STDOUT_CALLBACK": "json", "ANSIBLE_STRATEGY": "free"], inventory: "two-hosts.ini")
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(two.utf8)) as? [String: Any])
        let tasks = try XCTUnwrap(((document["plays"] as? [[String: Any]])?.first?["tasks"]) as? [[String: Any]])
        let hostsPerEntry = tasks.map { ($0["hosts"] as? [String: Any])?.count ?? 0 }
        XCTAssertEqual(hostsPerEntry, Array(repeating: 1, count: 2 * 8), "one entry per host and task")
    }

    func testJSONIndentZeroWritesOneLine() throws {
        let output = try runSite(["ANSIBLE_STDOUT_CALLBACK": "json", "ANSIBLE_JSON_INDENT": "0"])
        XCTAssertEqual(output.trimmingCharacters(in: .newlines).components(separatedBy: "\n").count, 1)
        XCTAssertEqual(try Self.normalisedJSON(output), try Self.normalisedJSON(try fixture("json.txt")))
    }

    /// Drops what changes between runs (ids become their order of appearance, times and
    /// the command module's `invocation`, which Troupe's modules do not report) and writes the
    /// rest with sorted keys.
    static func normalisedJSON(_ text: String) throws -> String {
        var ids: [String: String] = [:]
        func walk(_ value: Any) -> Any {
            if let dict = value as? [String: Any] {
                var out: [String: Any] = [:]
                // Sorted so ids are numbered in a stable order.
                for key in dict.keys.sorted() where !["start", "end", "delta", "invocation"].contains(key) {
                    var item = walk(dict[key]!)
                    if key == "id", let id = item as? String {
                        if ids[id] == nil { ids[id] = "id-\(ids.count)" }
                        item = ids[id]!
                    }
                    out[key] = item
                }
                return out
            }
            if let list = value as? [Any] { return list.map(walk) }
            return value
        }
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        let data = try JSONSerialization.data(withJSONObject: walk(object), options: [.sortedKeys, .prettyPrinted])
        return String(decoding: data, as: UTF8.self)
    }

    /// `set_stats` results end up in `custom_stats` (per host) and `global_custom_stats`
    /// (the run's), aggregated as ansible does.
    func testJSONCustomStatsFromSetStats() throws {
        let output = try TroupeBinary.run(["playbook", "-i", "two-hosts.ini", "stats.yml"], in: work,
                                          environment: ["ANSIBLE_STDOUT_CALLBACK": "json", "ANSIBLE_SHOW_CUSTOM_STATS": "1"])
        let text = output.combined.replacingOccurrences(of: work + "/", with: Self.recordedDirectory + "/")
        XCTAssertEqual(try Self.normalisedJSON(text), try Self.normalisedJSON(try fixture("stats-json.txt")))
    }

    func testDefaultCallbackShowsCustomStats() throws {
        let output = try TroupeBinary.run(["playbook", "-i", "two-hosts.ini", "stats.yml", "-f", "1"], in: work,
                                          environment: ["ANSIBLE_SHOW_CUSTOM_STATS": "1"])
        let text = output.combined.replacingOccurrences(of: work + "/", with: Self.recordedDirectory + "/")
        assertSameText(text, try fixture("stats-default.txt"))
    }

    // MARK: - junit

    func testJUnitReportMatchesAnsibleCore() throws {
        let directory = work + "/junit out"
        _ = try runSite(["ANSIBLE_CALLBACKS_ENABLED": "junit", "JUNIT_OUTPUT_DIR": directory, "JUNIT_FAIL_ON_IGNORE": "true"])
        let reports = files(in: directory)
        XCTAssertEqual(reports.count, 1)
        let name = try XCTUnwrap(reports.first)
        XCTAssertNotNil(name.range(of: #"^site-[0-9]+\.[0-9]+\.xml$"#, options: .regularExpression), name)
        let xml = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
            .replacingOccurrences(of: work + "/", with: Self.recordedDirectory + "/")
        assertSameText(Self.normalisedJUnit(xml), Self.normalisedJUnit(try fixture("junit.xml")))
        XCTAssertNoThrow(try XMLDocument(xmlString: xml))
        // Times are Python Decimals of the float durations; the suite's is their 28-digit sum.
        let times = xml.components(separatedBy: "\n").compactMap { line -> String? in
            guard let range = line.range(of: #" time="[^"]*""#, options: .regularExpression) else { return nil }
            return String(line[range].dropFirst(7).dropLast())
        }
        XCTAssertEqual(times.count, 2 + 8)
        for time in times { XCTAssertNotNil(time.range(of: #"^[0-9]+(\.[0-9]+)?$"#, options: .regularExpression), time) }
        let sum = times.dropFirst(2).map { PythonDecimal(Double($0)!) }.filter { $0 != .zero }.reduce(PythonDecimal.zero, +)
        XCTAssertEqual(times[0], sum.description)
        XCTAssertEqual(times[1], sum.description)
    }

    /// Include tasks get a test case per host (their result) and an `[include]` case listing
    /// the included files; loop includes list one file per item.
    func testJUnitAndJSONWithIncludes() throws {
        let directory = work + "/junit"
        let output = try TroupeBinary.run(["playbook", "-i", "two-hosts.ini", "includes.yml", "-f", "1"], in: work,
                                          environment: ["ANSIBLE_CALLBACKS_ENABLED": "junit", "JUNIT_OUTPUT_DIR": directory,
                                                        "ANSIBLE_STDOUT_CALLBACK": "json"])
        XCTAssertEqual(output.status, 0, output.combined)
        let json = output.combined.replacingOccurrences(of: work + "/", with: Self.recordedDirectory + "/")
        XCTAssertEqual(try Self.normalisedJSON(json), try Self.normalisedJSON(try fixture("includes-json.txt")))
        let xml = try String(contentsOfFile: directory + "/" + XCTUnwrap(files(in: directory).first), encoding: .utf8)
            .replacingOccurrences(of: work + "/", with: Self.recordedDirectory + "/")
        assertSameText(Self.normalisedJUnit(xml), Self.normalisedJUnit(try fixture("includes-junit.xml")))
    }

    func testJUnitOptionsRelativePathTaskClassAndHiddenArguments() throws {
        let directory = work + "/junit"
        _ = try runSite(["ANSIBLE_CALLBACKS_ENABLED": "ansible.builtin.junit", "JUNIT_OUTPUT_DIR": directory,
                         "JUNIT_TASK_RELATIVE_PATH": work, "JUNIT_TASK_CLASS": "True", "JUNIT_HIDE_TASK_ARGUMENTS": "true",
                         "JUNIT_TEST_CASE_PREFIX": "say"])
        let xml = try String(contentsOfFile: directory + "/" + XCTUnwrap(files(in: directory).first), encoding: .utf8)
        // The prefix keeps "say hi" and the (not ignored here) failures only.
        let cases = xml.components(separatedBy: "\n").filter { $0.contains("<testcase ") }
            .map { $0.replacingOccurrences(of: #" time="[^"]*""#, with: "", options: .regularExpression) }
        XCTAssertEqual(cases, [
            "\t\t<testcase classname=\"site\" name=\"[localhost] callback plugins: say hi\">",
        ])
        XCTAssertTrue(xml.contains("tests=\"1\""), xml)
    }

    static func normalisedJUnit(_ xml: String) -> String {
        xml.replacingOccurrences(of: #"time="[^"]*""#, with: #"time="T""#, options: .regularExpression)
            .replacingOccurrences(of: #"&quot;(delta|start|end)&quot;: &quot;[^&]*&quot;"#, with: "&quot;$1&quot;: X",
                                  options: .regularExpression)
    }

    // MARK: - tree

    func testTreeWritesEachHostsLastResult() throws {
        let directory = work + "/tree"
        let output = try runSite(["ANSIBLE_CALLBACKS_ENABLED": "tree", "ANSIBLE_CALLBACK_TREE_DIR": directory])
        XCTAssertEqual(files(in: directory), ["localhost"])
        XCTAssertEqual(try String(contentsOfFile: directory + "/localhost", encoding: .utf8), try fixture("tree-localhost.json"))
        XCTAssertTrue(output.contains("[DEPRECATION WARNING]: The tree callback plugin is deprecated. This feature will be removed from ansible-core version 2.23."), output)
    }

    func testAdHocTreeOptionWritesTheHostFile() throws {
        let directory = work + "/adhoc-tree"
        let output = try TroupeBinary.run(["adhoc", "-i", "inventory.ini", "localhost", "-m", "command", "-a", "echo tree",
                                           "--tree", directory], in: work)
        XCTAssertEqual(output.status, 0, output.combined)
        let text = try String(contentsOfFile: directory + "/localhost", encoding: .utf8)
        let result = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(result["stdout"] as? String, "tree")
        XCTAssertEqual(result["rc"] as? Int, 0)
        XCTAssertFalse(text.contains("\n"), "one line, as ansible's _dump_results without indent")
    }

    // MARK: - log_plays

    func testLogPlaysAppendsOneEntryPerResult() throws {
        let folder = work + "/logs"
        _ = try runSite(["ANSIBLE_CALLBACKS_ENABLED": "community.general.log_plays", "ANSIBLE_LOG_FOLDER": folder])
        XCTAssertEqual(files(in: folder), ["localhost"])
        let actual = try Self.logEntries(String(contentsOfFile: folder + "/localhost", encoding: .utf8))
        let expected = try Self.logEntries(fixture("log_plays-localhost.txt"))
        XCTAssertEqual(actual.map(\.fields), expected.map(\.fields))
        XCTAssertEqual(actual.map(\.data), expected.map(\.data))
    }

    /// Each entry: the fields before the data (time checked for its format, then dropped),
    /// and the data as sorted JSON without times and the module's `invocation` prefix.
    static func logEntries(_ text: String) throws -> [(fields: [String], data: String)] {
        XCTAssertTrue(text.hasSuffix("\n\n"))
        return try text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { entry in
            let parts = entry.components(separatedBy: " - ")
            XCTAssertNotNil(parts[0].range(of: #"^[A-Z][a-z]{2} [0-9]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}$"#, options: .regularExpression), parts[0])
            var data = parts[5...].joined(separator: " - ")
            if let arrow = data.range(of: "}} => ") { data = String(data[arrow.upperBound...]).trimmingCharacters(in: .whitespaces) }
            guard var object = try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any] else { return (Array(parts[1..<5]), data) }
            for key in ["start", "end", "delta"] { object.removeValue(forKey: key) }
            let sorted = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            return (Array(parts[1..<5]), String(decoding: sorted, as: UTF8.self))
        }
    }

    // MARK: - timing callbacks

    private static let stampPattern =
        #"(?m)^[A-Z][a-z]+day [0-9]{2} [A-Z][a-z]+ [0-9]{4}  [0-9:]{8} [+-][0-9]{4} \([0-9]:[0-9]{2}:[0-9]{2}\.[0-9]{3}\)       [0-9]:[0-9]{2}:[0-9]{2}\.[0-9]{3} \*+ $"#

    static func normalisedTiming(_ text: String) -> String {
        text.replacingOccurrences(of: stampPattern, with: "<STAMP>", options: .regularExpression)
            .replacingOccurrences(of: #"(?m)-* [0-9]+\.[0-9]{2}s$"#, with: " <DURATION>", options: .regularExpression)
            .replacingOccurrences(of: #""(delta|start|end)": "[^"]*""#, with: "\"$1\": X", options: .regularExpression)
            .replacingOccurrences(of: #"took 0 days, 0 hours, 0 minutes, [0-9]+ seconds"#, with: "took 0 days, 0 hours, 0 minutes, N seconds",
                                  options: .regularExpression)
    }

    func testProfileTasksMatchesAnsiblePosixInRunOrder() throws {
        let output = try runSite(["ANSIBLE_CALLBACKS_ENABLED": "ansible.posix.profile_tasks", "PROFILE_TASKS_SORT_ORDER": "none"])
        assertSameText(Self.normalisedTiming(output), Self.normalisedTiming(try fixture("profile_tasks.txt")))
    }

    func testProfileTasksSortsSlowestFirstAndLimits() throws {
        let output = try runSite(["ANSIBLE_CALLBACKS_ENABLED": "profile_tasks", "PROFILE_TASKS_TASK_OUTPUT_LIMIT": "3"])
        let recap = try XCTUnwrap(output.components(separatedBy: "TASKS RECAP").last)
        let seconds = Self.durations(recap)
        XCTAssertEqual(seconds.count, 3, recap)
        XCTAssertEqual(seconds, seconds.sorted(by: >), recap)
        for line in recap.components(separatedBy: "\n") where line.hasSuffix("s") && line.contains("---") {
            XCTAssertEqual(line.count, 79, line)
        }
    }

    func testProfileTasksSummaryOnlyDropsTheTimestampLines() throws {
        let output = try runSite(["ANSIBLE_CALLBACKS_ENABLED": "profile_tasks", "PROFILE_TASKS_SUMMARY_ONLY": "yes"])
        let stamps = output.components(separatedBy: "\n").filter { $0.range(of: Self.stampPattern, options: .regularExpression) != nil }
        XCTAssertEqual(stamps.count, 1, "only the recap's own line")
    }

    func testProfileRolesAndTimerMatchAnsiblePosix() throws {
        let output = try runSite(["ANSIBLE_CALLBACKS_ENABLED": "ansible.posix.profile_roles,timer"])
        let expected = try fixture("profile_roles_timer.txt")
        // The role lines are ordered by time, which differs between runs: compare them as a set.
        func split(_ text: String) -> (String, [String]) {
            var lines = Self.normalisedTiming(text).components(separatedBy: "\n")
            let start = (lines.firstIndex { $0.hasPrefix("ROLES RECAP") } ?? 0) + 3
            let end = lines[start...].firstIndex { $0.hasPrefix("~~~") } ?? start
            let roles = lines[start..<end].sorted()
            lines.removeSubrange(start..<end)
            return (lines.joined(separator: "\n"), roles)
        }
        let (actualText, actualRoles) = split(output)
        let (expectedText, expectedRoles) = split(expected)
        assertSameText(actualText, expectedText)
        XCTAssertEqual(actualRoles, expectedRoles)
        let recap = try XCTUnwrap(output.components(separatedBy: "ROLES RECAP").last?.components(separatedBy: "~~~").first)
        XCTAssertEqual(Self.durations(recap), Self.durations(recap).sorted(by: >))
        XCTAssertTrue(output.contains(" seconds\n\r\n"), "timer keeps the plugin's \\n\\r ending")
    }

    private static func durations(_ text: String) -> [Double] {
        text.components(separatedBy: "\n").compactMap { line -> Double? in
            guard let range = line.range(of: #" [0-9]+\.[0-9]{2}s$"#, options: .regularExpression) else { return nil }
            return Double(line[range].dropFirst().dropLast())
        }
    }

    // MARK: - custom callbacks

    /// examples/change-report registers a Swift callback by name and enables it; it runs
    /// after the stdout callback and before collection callbacks enabled by configuration.
    func testSwiftCallbackExampleRunsFromTheRegistry() throws {
        let example = (TroupeBinary.path as NSString).deletingLastPathComponent + "/change-report"
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: example), "build the examples: swift build --build-tests")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: example)
        process.arguments = ["site.yml", work + "/inventory.ini"]
        process.currentDirectoryURL = URL(fileURLWithPath: work)
        var environment = ProcessInfo.processInfo.environment
        environment["ANSIBLE_CALLBACKS_ENABLED"] = "ansible.posix.timer"
        environment["ANSIBLE_NOCOLOR"] = "1"
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, output)
        let report = try XCTUnwrap(output.range(of: "CHANGE REPORT ***"), output)
        let timer = try XCTUnwrap(output.range(of: "PLAYBOOK RECAP ***"), output)
        XCTAssertLessThan(try XCTUnwrap(output.range(of: "PLAY RECAP ***")).lowerBound, report.lowerBound)
        XCTAssertLessThan(report.lowerBound, timer.lowerBound)
        XCTAssertTrue(output.contains("""
            localhost:
              - changed: run cmd
              - failed (ignored): fail ignored
              - failed (ignored): action fails EXPECTED FAILURE

            """), output)
    }

    // MARK: - selection

    func testUnknownEnabledCallbackIsSkippedWithAWarning() throws {
        let output = try runSite(["ANSIBLE_CALLBACKS_ENABLED": "nosuch.plugin, timer"])
        XCTAssertTrue(output.contains("[WARNING]: Skipping callback plugin 'nosuch.plugin', unable to load"), output)
        XCTAssertTrue(output.contains("PLAYBOOK RECAP"), output)
    }

    func testCallbacksEnabledFromAnsibleCfgAndLegacyWhitelist() throws {
        try "[defaults]\ncallbacks_enabled = ansible.posix.timer\n".write(toFile: work + "/ansible.cfg", atomically: true, encoding: .utf8)
        XCTAssertTrue(try runSite([:]).contains("PLAYBOOK RECAP"))
        try "[defaults]\ncallback_whitelist = timer\n".write(toFile: work + "/ansible.cfg", atomically: true, encoding: .utf8)
        let legacy = try runSite([:])
        XCTAssertTrue(legacy.contains("PLAYBOOK RECAP"), legacy)
        XCTAssertTrue(legacy.contains("'callback_whitelist' was removed in ansible-core 2.15"), legacy)
    }

    // MARK: - over SSH

    /// Two lab hosts over real SSH, json and junit at once: every task has both hosts'
    /// results, equal to what ansible recorded for the local host, and junit has one test
    /// case per host and task.
    func testJSONAndJUnitOverSSHHaveOneEntryPerHostAndTask() throws {
        let lab = try SSHLab.start(hostCount: 2)
        defer { lab.stop() }
        let hosts = ["web1", "web2"]
        let lines = zip(hosts, lab.hosts).map { name, address in
            "\(name) ansible_host=\(address) ansible_port=\(lab.port) ansible_user=\(SSHLab.user) "
                + "ansible_ssh_private_key_file=\(lab.clientKey) ansible_ssh_common_args='-o UserKnownHostsFile=\(lab.knownHosts)'"
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: work + "/inventory.ini", atomically: true, encoding: .utf8)
        let directory = work + "/junit"
        let output = try runSite(["ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json", "ANSIBLE_CALLBACKS_ENABLED": "junit",
                                  "JUNIT_OUTPUT_DIR": directory, "JUNIT_FAIL_ON_IGNORE": "true"])
        let actual = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(Self.normalisedJSON(output).utf8)) as? [String: Any])
        let expected = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(Self.normalisedJSON(fixture("json.txt")).utf8)) as? [String: Any])
        let actualTasks = try XCTUnwrap(((actual["plays"] as? [[String: Any]])?.first?["tasks"]) as? [[String: Any]])
        let expectedTasks = try XCTUnwrap(((expected["plays"] as? [[String: Any]])?.first?["tasks"]) as? [[String: Any]])
        XCTAssertEqual(actualTasks.count, expectedTasks.count)
        for (got, want) in zip(actualTasks, expectedTasks) {
            let gotHosts = try XCTUnwrap(got["hosts"] as? [String: Any])
            let wantResult = try XCTUnwrap((want["hosts"] as? [String: Any])?["localhost"] as? NSDictionary)
            XCTAssertEqual(gotHosts.keys.sorted(), hosts)
            for host in hosts { XCTAssertEqual(gotHosts[host] as? NSDictionary, wantResult, host) }
        }
        XCTAssertEqual((actual["stats"] as? [String: Any])?.keys.sorted(), hosts)

        let xml = try String(contentsOfFile: directory + "/" + XCTUnwrap(files(in: directory).first), encoding: .utf8)
        let names = xml.components(separatedBy: "\n").compactMap { line -> String? in
            guard let range = line.range(of: #"name="\[[^"]*""#, options: .regularExpression) else { return nil }
            return String(line[range])
        }
        let expectedNames = try fixture("junit.xml").components(separatedBy: "\n").compactMap { line -> String? in
            guard let range = line.range(of: #"name="\[localhost\][^"]*""#, options: .regularExpression) else { return nil }
            return String(line[range])
        }
        let perHost = expectedNames.flatMap { name in hosts.map { name.replacingOccurrences(of: "[localhost]", with: "[\($0)]") } }
        XCTAssertEqual(names.sorted(), perHost.sorted())
        XCTAssertTrue(xml.contains("errors=\"2\" failures=\"0\" tests=\"\(perHost.count)\""), xml)
    }
}
