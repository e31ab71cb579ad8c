import Foundation
import Jinja
@testable import Troupe
import XCTest

/// `gather_subset`, `filter` and argument checking, with the expectations taken from
/// ansible-core 2.19's setup module on this machine.
final class SetupSubsetTests: XCTestCase {
    func testMinimalSubsetForNotAll() throws {
        XCTAssertEqual(try FactSubsets.resolve(["!all"]), FactSubsets.minimal)
        XCTAssertEqual(try FactSubsets.resolve(["min"]), FactSubsets.minimal)
    }

    func testNothingForNotAllNotMin() throws {
        XCTAssertEqual(try FactSubsets.resolve(["!all", "!min"]), [])
        XCTAssertEqual(try FactSubsets.resolve(["!min"]), [], "Ansible gathers nothing for a lone !min")
    }

    func testExplicitSubsetsPullInTheirRequirements() throws {
        XCTAssertEqual(try FactSubsets.resolve(["!all", "!min", "network"]), ["network", "distribution", "platform"])
        XCTAssertEqual(try FactSubsets.resolve(["!all", "!min", "virtual"]), ["virtual"])
        XCTAssertEqual(try FactSubsets.resolve(["!all", "!min", "mounts"]), ["hardware", "platform"], "fact ids select their collector")
        XCTAssertEqual(try FactSubsets.resolve(["!all", "!min", "default_ipv4"]), ["network", "distribution", "platform"])
        XCTAssertEqual(try FactSubsets.resolve(["!all", "!min", "user"]), ["user"])
    }

    func testAllAndExclusions() throws {
        let all = try FactSubsets.resolve(["all"])
        XCTAssertTrue(all.isSuperset(of: ["hardware", "network", "virtual", "chroot", "loadavg", "systemd", "local"]))
        XCTAssertEqual(try FactSubsets.resolve([]), all, "an empty list means all")
        let noHardware = try FactSubsets.resolve(["all", "!hardware"])
        XCTAssertFalse(noHardware.contains("hardware"))
        XCTAssertTrue(noHardware.contains("network"))
        XCTAssertEqual(try FactSubsets.resolve(["!hardware"]), FactSubsets.minimal, "without 'all' only min remains")
        XCTAssertEqual(try FactSubsets.resolve(["hardware"]), FactSubsets.minimal.union(["hardware"]))
        XCTAssertEqual(try FactSubsets.resolve(["!all", "!min", "hardware", "!hardware"]), ["hardware", "platform"],
                       "an explicitly requested subset survives its own exclusion")
    }

    func testBadSubsetError() {
        XCTAssertThrowsError(try FactSubsets.resolve(["bogus"])) { error in
            let message = (error as? TroupeError)?.message ?? ""
            XCTAssertTrue(message.hasPrefix("Bad subset 'bogus' given to Ansible. gather_subset options allowed: all, all_ipv4_addresses, all_ipv6_addresses, apparmor, architecture, caps, chroot,"), message)
            XCTAssertTrue(message.hasSuffix("virtualization_tech_guest, virtualization_tech_host, virtualization_type"), message)
        }
        XCTAssertNoThrow(try FactSubsets.resolve(["!bogus"]), "excluding an unknown subset is ignored")
    }

    // MARK: - arguments

    func testUnsupportedParameter() {
        XCTAssertThrowsError(try SetupModule.parseArguments(["foo": "1"])) { error in
            XCTAssertEqual((error as? TroupeError)?.message,
                           "Unsupported parameters for (setup) module: foo. Supported parameters include: fact_path, filter, gather_subset, gather_timeout.")
            XCTAssertEqual((error as? TroupeError)?.code, .module)
        }
        XCTAssertThrowsError(try SetupModule.parseArguments(["zed": 1, "bar": 2])) { error in
            XCTAssertTrue((error as? TroupeError)?.message.hasPrefix("Unsupported parameters for (setup) module: bar, zed.") == true)
        }
    }

    func testInternalArgumentsAreAccepted() throws {
        XCTAssertNoThrow(try SetupModule.parseArguments(["_ansible_check_mode": false, "gather_subset": "min"]))
    }

    func testUnsupportedParameterFailsBeforeTouchingTheHost() {
        XCTAssertThrowsError(try SetupModule.gather(connection: LocalConnection(), arguments: ["foo": "1"]))
    }

    func testArgumentConversions() throws {
        let options = try SetupModule.parseArguments(["gather_subset": "min, network", "filter": "ansible_eth*",
                                                      "gather_timeout": "30", "fact_path": "/srv/facts"])
        XCTAssertEqual(options.gatherSubset, ["min", "network"])
        XCTAssertEqual(options.filter, ["ansible_eth*"])
        XCTAssertEqual(options.gatherTimeout, 30)
        XCTAssertEqual(options.factPath, "/srv/facts")
        let defaults = try SetupModule.parseArguments(.null)
        XCTAssertEqual(defaults.gatherSubset, ["all"])
        XCTAssertEqual(defaults.gatherTimeout, 10)
        XCTAssertEqual(defaults.factPath, "/etc/ansible/facts.d")
        XCTAssertThrowsError(try SetupModule.parseArguments(["gather_timeout": "soon"]))
        XCTAssertThrowsError(try SetupModule.parseArguments(["gather_subset": ["a": 1]]))
    }

    // MARK: - filter

    func filtered(_ filter: [String]) -> [String] {
        var sections = FactSections()
        sections.files["/proc/sys/kernel/hostname"] = "web01.example.com\n"
        sections.files["/proc/sys/kernel/osrelease"] = "6.1.0\n"
        sections.commands["uname_m"] = "x86_64\n"
        var options = SetupModule.Options()
        options.filter = filter
        return SetupModule.facts(from: sections, collectors: ["platform"], options: options).keys
    }

    func testFilterMatchesPrefixedNamesAndBareNames() {
        XCTAssertEqual(filtered(["hostname"]), ["hostname"])
        XCTAssertEqual(filtered(["ansible_hostname"]), ["hostname"])
        XCTAssertEqual(filtered(["ansible_k*"]), ["kernel"])
        XCTAssertEqual(filtered(["*name"]), ["hostname", "nodename"])
        XCTAssertEqual(filtered(["kernel", "machine"]), ["kernel", "machine"])
        XCTAssertEqual(filtered(["nothing*"]), [])
        XCTAssertEqual(filtered(["[hn]ostname"]), ["hostname"])
    }

    func testFilterDropsMetaFactsUnlessMatched() {
        XCTAssertFalse(filtered(["hostname"]).contains("gather_subset"))
        XCTAssertTrue(filtered(["gather_*"]).contains("gather_subset"))
        XCTAssertTrue(filtered([]).contains("module_setup"))
        XCTAssertTrue(filtered(["*"]).contains("module_setup"))
    }

    func testFilterPatterns() {
        XCTAssertTrue(FactFilterPattern.matches("ansible_eth0", "ansible_eth?"))
        XCTAssertTrue(FactFilterPattern.matches("ansible_eth0", "*eth*"))
        XCTAssertFalse(FactFilterPattern.matches("ansible_eth0", "ansible_eth"))
        XCTAssertTrue(FactFilterPattern.matches("a[b", "a[b"))
        XCTAssertTrue(FactFilterPattern.matches("x1", "x[!a-c]"))
        XCTAssertFalse(FactFilterPattern.matches("xb", "x[!a-c]"))
    }

    func testPrefixedForm() {
        let facts: Value = ["hostname": "web01", "gather_subset": ["all"], "module_setup": true]
        XCTAssertEqual(SetupModule.prefixed(facts), ["ansible_hostname": "web01", "gather_subset": ["all"], "module_setup": true])
    }
}
