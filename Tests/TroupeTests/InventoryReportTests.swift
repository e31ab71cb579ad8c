import XCTest
import Jinja
@testable import Troupe

/// `ansible-inventory` outputs compared byte for byte with golden files captured from
/// ansible-core 2.19 (`Fixtures/inventory/golden`).
final class InventoryReportTests: XCTestCase {
    private func assertGolden(_ actual: String, _ golden: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try InventoryFixtures.golden(golden)
        if actual != expected {
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let firstDiff = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }
            XCTFail("\(golden) differs at line \((firstDiff?.offset ?? min(a.count, e.count)) + 1): got \(firstDiff.map { String($0.element.0) } ?? "<end>") expected \(firstDiff.map { String($0.element.1) } ?? "<end>")", file: file, line: line)
        }
    }

    func testINIReports() throws {
        let inventory = try InventoryFixtures.manager("ini/hosts.ini")
        try assertGolden(try InventoryReport.list(inventory), "ini.list.json")
        try assertGolden(try InventoryReport.list(inventory, export: true), "ini.list-export.json")
        try assertGolden(try InventoryReport.graph(inventory), "ini.graph.txt")
        try assertGolden(try InventoryReport.graph(inventory, showVariables: true), "ini.graph-vars.txt")
        try assertGolden(try InventoryReport.host(inventory, pattern: "solo2"), "ini.host-solo2.json")
    }

    func testYAMLReports() throws {
        let inventory = try InventoryFixtures.manager("yaml/hosts.yml")
        try assertGolden(try InventoryReport.list(inventory), "yaml.list.json")
        try assertGolden(try InventoryReport.graph(inventory), "yaml.graph.txt")
        try assertGolden(try InventoryReport.graph(inventory, showVariables: true), "yaml.graph-vars.txt")
        try assertGolden(try InventoryReport.host(inventory, pattern: "www1.example.com"), "yaml.host-www1.json")
    }

    func testDirectoryReports() throws {
        let inventory = try InventoryFixtures.manager("dir")
        try assertGolden(try InventoryReport.list(inventory), "dir.list.json")
        try assertGolden(try InventoryReport.graph(inventory), "dir.graph.txt")
        try assertGolden(try InventoryReport.graph(inventory, showVariables: true), "dir.graph-vars.txt")
    }

    func testPlaybookDirectoryReports() throws {
        // ansible-inventory run from the playbook directory: its group_vars/host_vars
        // apply to host vars always, to group vars only with --playbook-dir.
        let inventory = try InventoryFixtures.manager("dir")
        try inventory.loadPlaybookAdjacentVars(directory: InventoryFixtures.path("playbook"))
        try assertGolden(try InventoryReport.list(inventory), "dir-playbook.list.json")
        try assertGolden(try InventoryReport.graph(inventory, showVariables: true), "dir-playbook-cwd.graph-vars.txt")
        try assertGolden(try InventoryReport.graph(inventory, showVariables: true, playbookDirectoryGiven: true), "dir-playbook.graph-vars.txt")
    }

    func testEdgeCasesReports() throws {
        // Extensionless INI: late declarations, hosts leaving ungrouped, empty groups,
        // ports from `host:port` versus `ansible_port`, IPv6 hosts.
        let inventory = try InventoryFixtures.manager("edge/hosts")
        try assertGolden(try InventoryReport.list(inventory), "edge.list.json")
        try assertGolden(try InventoryReport.graph(inventory, showVariables: true), "edge.graph-vars.txt")
        XCTAssertTrue(inventory.parseErrors.isEmpty)
    }

    func testMixedSourcesReports() throws {
        var options = InventoryManager.Options()
        options.workingDirectory = InventoryFixtures.root
        let inventory = try InventoryManager(sources: ["ini/hosts.ini", "yaml/hosts.yml", "extra1,extra2:2022,"], options: options)
        try assertGolden(try InventoryReport.list(inventory), "mixed.list.json")
        try assertGolden(try InventoryReport.graph(inventory), "mixed.graph.txt")
    }

    func testReportErrors() throws {
        let inventory = try InventoryFixtures.manager("ini/hosts.ini")
        XCTAssertThrowsError(try InventoryReport.graph(inventory, group: "nosuch")) { error in
            XCTAssertEqual((error as? TroupeError)?.message, "Pattern must be valid group name when using --graph")
        }
        XCTAssertThrowsError(try InventoryReport.host(inventory, pattern: "web")) { error in
            XCTAssertEqual((error as? TroupeError)?.message, "You must pass a single valid host to --host parameter")
        }
        XCTAssertEqual(try InventoryReport.graph(inventory, group: "backend").split(separator: "\n").first, "@backend:")
    }
}
