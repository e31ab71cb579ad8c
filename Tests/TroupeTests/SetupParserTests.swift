import Foundation
import Jinja
@testable import Troupe
import XCTest

/// Parses recorded (and hand-made) fact script outputs from Fixtures/facts.
final class SetupParserTests: XCTestCase {
    static let fixtureDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/facts")

    func facts(_ fixture: String, subset: [String] = ["all"]) throws -> OrderedDict {
        let text = try String(contentsOf: Self.fixtureDirectory.appendingPathComponent(fixture), encoding: .utf8)
        let sections = FactSections(output: text, nonce: "fixture")
        var options = SetupModule.Options()
        options.gatherSubset = subset
        return SetupModule.facts(from: sections, collectors: try FactSubsets.resolve(subset), options: options)
    }

    // MARK: - recorded on this Debian 12 machine, compared with Ansible's own output

    func testDebianFixtureMatchesAnsibleOutput() throws {
        let facts = try facts("debian12-firecracker.out")
        let expectedText = try String(contentsOf: Self.fixtureDirectory.appendingPathComponent("debian12-firecracker.ansible.json"),
                                      encoding: .utf8)
        let expected = try XCTUnwrap(Value.parseJSON(expectedText).dictValue)
        // Values that change between two runs (clock, usage counters) are compared by type only.
        let volatile: Set<String> = ["date_time", "uptime_seconds", "memfree_mb", "memory_mb", "loadavg", "mounts"]
        for (prefixedName, expectedValue) in expected {
            let name = prefixedName.hasPrefix("ansible_") ? String(prefixedName.dropFirst(8)) : prefixedName
            let actual = try XCTUnwrap(facts[name], "missing fact \(name)")
            XCTAssertEqual(actual.pythonTypeName, expectedValue.pythonTypeName, "type of \(name)")
            if volatile.contains(name) { continue }
            if name == "interfaces" {
                XCTAssertEqual(Set(actual.listValue ?? []), Set(expectedValue.listValue ?? []))
            } else {
                XCTAssertEqual(actual, expectedValue, "value of \(name)")
            }
        }
        let mount = try XCTUnwrap(facts["mounts"]?.listValue?.first?.dictValue)
        let expectedMount = try XCTUnwrap(expected["ansible_mounts"]?.listValue?.first?.dictValue)
        XCTAssertEqual(mount.keys.sorted(), expectedMount.keys.sorted())
        XCTAssertEqual(mount["size_total"], expectedMount["size_total"])
        XCTAssertEqual(facts["memory_mb"]?.dictValue?.keys.sorted(), ["nocache", "real", "swap"])
    }

    func testDebianEnvironmentFromNulSeparatedOutput() throws {
        let env = try XCTUnwrap(try facts("debian12-firecracker.out")["env"]?.dictValue)
        XCTAssertEqual(env["HOME"], "/root")
        XCTAssertEqual(env["MULTI"], "line one\nline two")
        XCTAssertEqual(env.keys, env.keys.sorted())
    }

    // MARK: - Alpine with BusyBox tools and no `ip`

    func testAlpineDistributionAndManagers() throws {
        let facts = try facts("alpine-busybox.out")
        XCTAssertEqual(facts["distribution"], "Alpine")
        XCTAssertEqual(facts["os_family"], "Alpine")
        XCTAssertEqual(facts["distribution_version"], "3.19.1")
        XCTAssertEqual(facts["distribution_major_version"], "3")
        XCTAssertEqual(facts["distribution_release"], "NA")
        XCTAssertEqual(facts["distribution_file_path"], "/etc/alpine-release")
        XCTAssertEqual(facts["pkg_mgr"], "apk")
        XCTAssertEqual(facts["service_mgr"], "openrc")
        XCTAssertEqual(facts["architecture"], "aarch64")
        XCTAssertEqual(facts["userspace_bits"], "64")
        XCTAssertNil(facts["userspace_architecture"])
        XCTAssertEqual(facts["fqdn"], "alpine-box.example.org")
        XCTAssertEqual(facts["domain"], "example.org")
        XCTAssertEqual(facts["hostname"], "alpine-box")
        XCTAssertEqual(facts["lsb"], .dict(OrderedDict()))
    }

    func testAlpineUserEnvironmentAndDate() throws {
        let facts = try facts("alpine-busybox.out")
        XCTAssertEqual(facts["user_id"], "alice")
        XCTAssertEqual(facts["user_uid"], 1000)
        XCTAssertEqual(facts["user_gecos"], "Alice Liddell,,,")
        XCTAssertEqual(facts["user_shell"], "/bin/ash")
        XCTAssertEqual(facts["effective_user_id"], 1000)
        XCTAssertEqual(facts["env"]?["MOTD"], "hello\nworld")
        XCTAssertEqual(facts["env"]?["SHELL"], "/bin/ash")
        let date = try XCTUnwrap(facts["date_time"])
        XCTAssertEqual(date["iso8601"], "2024-03-05T08:07:03Z")
        XCTAssertEqual(date["iso8601_micro"], "2024-03-05T08:07:03.000000Z")
        XCTAssertEqual(date["iso8601_basic"], "20240305T090703000000")
        XCTAssertEqual(date["tz"], "CET")
        XCTAssertEqual(date["tz_dst"], "CET", "without tz probes the standard name is used")
        XCTAssertEqual(date["weekday_number"], "2")
    }

    func testAlpineHardwareWithoutStatUsesDf() throws {
        let facts = try facts("alpine-busybox.out")
        XCTAssertEqual(facts["processor"], ["0", "1", "2", "3"])
        XCTAssertEqual(facts["processor_count"], 4)
        XCTAssertEqual(facts["processor_cores"], 1)
        XCTAssertEqual(facts["processor_vcpus"], 4)
        XCTAssertEqual(facts["processor_nproc"], 4)
        XCTAssertEqual(facts["memtotal_mb"], 1984)
        XCTAssertEqual(facts["memory_mb"]?["nocache"]?["free"], .int(1024 + 10 + 100))
        XCTAssertEqual(facts["uptime_seconds"], 12345)
        XCTAssertEqual(facts["lvm"], "N/A")
        let mounts = try XCTUnwrap(facts["mounts"]?.listValue)
        XCTAssertEqual(mounts.compactMap { $0["mount"]?.stringValue }, ["/", "/boot", "/mnt/my share", "/mnt/nfs"])
        XCTAssertEqual(mounts[0]["size_total"], .int(8_191_416 * 1024))
        XCTAssertEqual(mounts[2]["size_available"], .int(50_000_000 * 1024))
        XCTAssertNil(mounts[3]["size_total"], "no size when neither stat nor df reported it")
        XCTAssertEqual(mounts[3]["uuid"], "N/A")
        XCTAssertEqual(facts["cmdline"]?["label"], "\"my disk\"")
        XCTAssertEqual(facts["proc_cmdline"]?["console"], ["tty0", "ttyS0,115200"])
        XCTAssertEqual(facts["cmdline"]?["console"], "ttyS0,115200")
        XCTAssertEqual(facts["cmdline"]?["quiet"], true)
    }

    func testAlpineNetworkFromIfconfigAndProc() throws {
        let facts = try facts("alpine-busybox.out")
        XCTAssertEqual(facts["interfaces"], ["eth0", "lo", "eth0_1"])
        XCTAssertEqual(facts["eth0_1"]?["ipv4"]?["address"], "10.0.0.6", "an ifconfig alias becomes its own interface")
        let eth0 = try XCTUnwrap(facts["eth0"])
        XCTAssertEqual(eth0["ipv4"]?["address"], "10.0.0.5")
        XCTAssertEqual(eth0["ipv4"]?["netmask"], "255.255.255.0")
        XCTAssertEqual(eth0["ipv4"]?["network"], "10.0.0.0")
        XCTAssertEqual(eth0["ipv4"]?["prefix"], "24")
        XCTAssertNil(eth0["ipv4_secondaries"])
        XCTAssertEqual(eth0["ipv6"]?.listValue?.map { $0["address"] }, ["fe80::5054:ff:fe12:3456", "2001:db8::5"])
        XCTAssertEqual(eth0["ipv6"]?.listValue?.first?["scope"], "link")
        XCTAssertEqual(eth0["promisc"], true)
        XCTAssertNil(facts["lo"]?["macaddress"])
        let route = try XCTUnwrap(facts["default_ipv4"])
        XCTAssertEqual(route["gateway"], "10.0.0.1")
        XCTAssertEqual(route["interface"], "eth0")
        XCTAssertEqual(route["address"], "10.0.0.5")
        XCTAssertEqual(route["macaddress"], "52:54:00:12:34:56")
        XCTAssertEqual(facts["all_ipv4_addresses"], ["10.0.0.5", "10.0.0.6"])
        XCTAssertEqual(facts["all_ipv6_addresses"], ["fe80::5054:ff:fe12:3456", "2001:db8::5"])
        XCTAssertEqual(facts["dns"]?["search"], ["example.org", "corp.example.org"])
        XCTAssertEqual(facts["dns"]?["options"], ["ndots": "2", "rotate": true])
    }

    // MARK: - RHEL 9 on KVM with systemd, SELinux, a bridge and LVM

    func testRHELDistributionAndManagers() throws {
        let facts = try facts("rhel9-kvm.out")
        XCTAssertEqual(facts["distribution"], "RedHat")
        XCTAssertEqual(facts["os_family"], "RedHat")
        XCTAssertEqual(facts["distribution_version"], "9.3")
        XCTAssertEqual(facts["distribution_major_version"], "9")
        XCTAssertEqual(facts["distribution_release"], "Plow")
        XCTAssertEqual(facts["distribution_file_variety"], "RedHat")
        XCTAssertNil(facts["distribution_minor_version"])
        XCTAssertEqual(facts["pkg_mgr"], "dnf")
        XCTAssertEqual(facts["service_mgr"], "systemd")
        XCTAssertEqual(facts["systemd"]?["version"], 252)
        XCTAssertEqual(facts["selinux"], ["status": "enabled", "policyvers": 33, "config_mode": "enforcing",
                                          "mode": "enforcing", "type": "targeted"])
        XCTAssertEqual(facts["fips"], true)
        XCTAssertEqual(facts["system_capabilities_enforced"], "False")
        XCTAssertEqual(facts["ssh_host_key_ed25519_public_keytype"], "ssh-ed25519")
        XCTAssertEqual(facts["iscsi_iqn"], "iqn.1994-05.com.redhat:abcdef")
        XCTAssertEqual(facts["hostnqn"], "")
        XCTAssertEqual(facts["fqdn"], "web01.prod.example.com")
        XCTAssertEqual(facts["domain"], "prod.example.com")
        XCTAssertEqual(facts["hostname"], "web01")
        XCTAssertEqual(facts["user_id"], "root")
        XCTAssertEqual(facts["date_time"]?["tz_dst"], "EDT")
        XCTAssertEqual(facts["date_time"]?["iso8601"], "2024-07-14T19:30:00Z")
        XCTAssertEqual(facts["date_time"]?["iso8601_micro"], "2024-07-14T19:30:00.123456Z")
    }

    func testRHELHardwareAndVirtualization() throws {
        let facts = try facts("rhel9-kvm.out")
        XCTAssertEqual(facts["processor_count"], 2)
        XCTAssertEqual(facts["processor_cores"], 2)
        XCTAssertEqual(facts["processor_threads_per_core"], 2)
        XCTAssertEqual(facts["processor_vcpus"], 8)
        XCTAssertEqual(facts["processor_nproc"], 8)
        XCTAssertEqual(facts["processor"]?.listValue?.prefix(3).map { $0 }, ["0", "GenuineIntel", "Intel(R) Xeon(R) Gold 6230"])
        XCTAssertEqual(facts["product_name"], "KVM")
        XCTAssertEqual(facts["form_factor"], "Other")
        XCTAssertEqual(facts["board_name"], "NA")
        XCTAssertEqual(facts["virtualization_type"], "kvm")
        XCTAssertEqual(facts["virtualization_role"], "guest")
        XCTAssertEqual(facts["virtualization_tech_guest"], ["kvm"])
        XCTAssertEqual(facts["virtualization_tech_host"], [])
        XCTAssertEqual(facts["swapfree_mb"], 1024)
        XCTAssertEqual(facts["memory_mb"]?["swap"]?["used"], 1023, "2047 MB total (floor of 2097148 kB) minus 1024 free")
        let root = try XCTUnwrap(facts["mounts"]?.listValue?.first)
        XCTAssertEqual(root["uuid"], "9a8b7c6d-0000-1111-2222-333344445555")
        XCTAssertEqual(root["size_total"], .int(4096 * 10_000_000))
        XCTAssertEqual(root["block_used"], .int(10_000_000 - 5_900_000))
        XCTAssertEqual(root["inode_used"], .int(1_000_000))
        let mounts = try XCTUnwrap(facts["mounts"]?.listValue)
        XCTAssertEqual(mounts.compactMap { $0["mount"]?.stringValue }, ["/", "/boot", "/srv/data"])
        XCTAssertEqual(mounts[1]["uuid"], "11112222-aaaa-bbbb-cccc-ddddeeeeffff")
        XCTAssertEqual(mounts[2]["options"], "rw,relatime,bind", "findmnt marks bind mounts")
        XCTAssertEqual(mounts[1]["options"], "rw,relatime")
        let vda = try XCTUnwrap(facts["devices"]?["vda"])
        XCTAssertEqual(vda["scheduler_mode"], "mq-deadline")
        XCTAssertEqual(vda["size"], "20.00 GB")
        XCTAssertEqual(vda["sectors"], 41_943_040)
        XCTAssertEqual(vda["support_discard"], "512")
        XCTAssertEqual(vda["model"], .null)
        XCTAssertEqual(vda["partitions"]?["vda1"]?["size"], "1.00 GB")
        XCTAssertEqual(vda["partitions"]?["vda1"]?["uuid"], "11112222-aaaa-bbbb-cccc-ddddeeeeffff")
        XCTAssertEqual(facts["device_links"]?["masters"], ["vda2": ["dm-0"]])
        XCTAssertEqual(facts["devices"]?["dm-0"]?["links"]?["uuids"], ["9a8b7c6d-0000-1111-2222-333344445555"])
        XCTAssertEqual(facts["lvm"], [
            "lvs": ["root": ["size_g": "17.00", "vg": "rhel"], "swap": ["size_g": "2.00", "vg": "rhel"]],
            "vgs": ["rhel": ["size_g": "19.00", "free_g": "0", "num_lvs": "2", "num_pvs": "1"]],
            "pvs": ["/dev/vda2": ["size_g": "19.00", "free_g": "0", "vg": "rhel"]],
        ])
    }

    func testRHELEthtoolFeatures() throws {
        let eth0 = try XCTUnwrap(try facts("rhel9-kvm.out")["eth0"])
        XCTAssertEqual(eth0["features"], ["rx_checksumming": "on [fixed]", "tx_checksumming": "on", "tx_checksum_ipv4": "off [fixed]",
                                          "tx_checksum_ip_generic": "on", "scatter_gather": "on"])
        XCTAssertEqual(eth0["timestamping"], ["tx_software", "rx_software", "software"])
        XCTAssertEqual(eth0["hw_timestamp_filters"], ["none", "all"])
        XCTAssertEqual(eth0["phc_index"], 0)
        XCTAssertNil(try facts("rhel9-kvm.out")["br0"]?["features"], "no ethtool output, no features")
    }

    func testRHELNetworkWithBridgeAndSecondaryAddress() throws {
        let facts = try facts("rhel9-kvm.out")
        XCTAssertEqual(facts["interfaces"], ["br0", "eth0", "lo", "docker-1", "br0_vip"])
        XCTAssertEqual(facts["br0_vip"], ["ipv4": ["address": "10.9.9.9", "broadcast": "", "netmask": "255.255.255.255",
                                                   "network": "10.9.9.9", "prefix": "32"]])
        XCTAssertNotNil(facts["docker_1"], "hyphens become underscores in fact names")
        XCTAssertEqual(facts["docker_1"]?["active"], false)
        let bridge = try XCTUnwrap(facts["br0"])
        XCTAssertEqual(bridge["type"], "bridge")
        XCTAssertEqual(bridge["interfaces"], ["eth0"])
        XCTAssertEqual(bridge["stp"], false)
        XCTAssertEqual(bridge["ipv4"]?["address"], "192.168.10.21")
        XCTAssertEqual(bridge["ipv4_secondaries"]?.listValue?.first?["address"], "192.168.10.22")
        XCTAssertEqual(facts["eth0"]?["speed"], 1000)
        XCTAssertEqual(facts["eth0"]?["module"], "virtio_net")
        XCTAssertEqual(facts["eth0"]?["pciid"], "virtio0")
        XCTAssertNil(facts["eth0"]?["ipv4"])
        XCTAssertEqual(facts["default_ipv4"], [
            "address": "192.168.10.21", "alias": "br0", "broadcast": "192.168.10.255", "gateway": "192.168.10.1",
            "interface": "br0", "macaddress": "52:54:00:aa:bb:cc", "mtu": 1500, "netmask": "255.255.255.0",
            "network": "192.168.10.0", "prefix": "24", "type": "bridge",
        ])
        XCTAssertEqual(facts["default_ipv6"], [
            "address": "2001:db8::21", "gateway": "2001:db8::1", "interface": "br0", "macaddress": "52:54:00:aa:bb:cc",
            "mtu": 1500, "prefix": "64", "scope": "global", "type": "bridge",
        ])
        XCTAssertEqual(facts["all_ipv4_addresses"], ["192.168.10.21", "10.9.9.9", "192.168.10.22"])
        XCTAssertEqual(facts["locally_reachable_ips"], ["ipv4": ["127.0.0.0/8", "192.168.10.21"], "ipv6": ["::1", "2001:db8::21"]])
        XCTAssertEqual(facts["lo"]?["ipv4"]?["broadcast"], "")
    }

    // MARK: - degradation

    func testEmptyOutputDegradesToFewFacts() throws {
        let sections = FactSections(output: "\n==troupe-x:start==\n\n==troupe-x:end==\n", nonce: "x")
        XCTAssertTrue(sections.complete)
        let facts = SetupModule.facts(from: sections, collectors: try FactSubsets.resolve(["all"]), options: .init())
        XCTAssertEqual(facts["module_setup"], true)
        XCTAssertEqual(facts["system"], "Linux")
        XCTAssertEqual(facts["distribution"], "OtherLinux")
        XCTAssertEqual(facts["interfaces"], [])
        XCTAssertNil(facts["memtotal_mb"])
        XCTAssertNil(facts["date_time"])
        XCTAssertNil(facts["env"])
        XCTAssertEqual(facts["virtualization_type"], "NA")
    }

    func testMarkersAreOnlyRecognisedWithTheRunNonce() {
        let text = "\n==troupe-abc:file:/etc/motd==\n==troupe-other:cmd:x==\nhello\n==troupe-abc:end==\n"
        let sections = FactSections(output: text, nonce: "abc")
        XCTAssertEqual(sections.files["/etc/motd"], "==troupe-other:cmd:x==\nhello")
        XCTAssertNil(sections.commands["x"])
    }

    func testFullyQualifiedNameFromEtcHostsWithoutGetent() throws {
        var sections = FactSections()
        sections.files["/proc/sys/kernel/hostname"] = "db1\n"
        sections.files["/etc/hosts"] = "127.0.0.1 localhost\n# 10.0.0.9 db1.old.example\n10.0.0.9 db1.example.net db1 # primary\n"
        var parser = FactParser(sections: sections, collectors: ["platform"])
        let facts = parser.parse()
        XCTAssertEqual(facts["fqdn"], "db1.example.net")
        XCTAssertEqual(facts["domain"], "example.net")
    }

    func testHelpers() {
        XCTAssertEqual(FactParser.compressIPv6("fe800000000000000000000000000001"), "fe80::1")
        XCTAssertEqual(FactParser.compressIPv6("00000000000000000000000000000001"), "::1")
        XCTAssertEqual(FactParser.compressIPv6("20010db8000100000000000000000000"), "2001:db8:1::")
        XCTAssertEqual(FactParser.bytesToHuman(0), "0.00 Bytes")
        XCTAssertEqual(FactParser.bytesToHuman(1536), "1.50 KB")
        XCTAssertEqual(FactParser.unescapeOctal("/mnt/a\\040b"), "/mnt/a b")
        XCTAssertEqual(FactParser.splitKeepingQuotes("a=\"b c\" d"), ["a=\"b c\"", "d"])
    }

    // MARK: - distributions (expected values produced by ansible-core's own collector
    // run against these files in a scratch root directory)

    func testDistributionsMatchAnsible() throws {
        let text = try String(contentsOf: Self.fixtureDirectory.appendingPathComponent("distributions.json"), encoding: .utf8)
        let cases = try XCTUnwrap(Value.parseJSON(text).dictValue)
        XCTAssertGreaterThan(cases.count, 10)
        for (name, testCase) in cases {
            var sections = FactSections()
            for (path, content) in testCase["files"]?.dictValue ?? OrderedDict() {
                sections.files[path] = content.stringValue
                sections.existing.insert(path)
            }
            var parser = FactParser(sections: sections, collectors: ["distribution"])
            let facts = parser.parse()
            let expected = try XCTUnwrap(testCase["ansible"]?.dictValue)
            XCTAssertEqual(facts.keys.sorted(), expected.keys.sorted(), "\(name): fact names")
            for (key, value) in expected {
                XCTAssertEqual(facts[key], value, "\(name): \(key)")
            }
        }
    }
}
