import Foundation
import Jinja
@testable import Troupe
import XCTest

/// Runs the fact script on this machine through ``LocalConnection`` and, when Ansible is
/// installed, compares stable facts with `ansible localhost -m setup -c local`.
final class SetupLiveTests: XCTestCase {
    func gatherLocal(_ arguments: Value = .dict(OrderedDict())) throws -> OrderedDict {
        let result = try SetupModule.gather(connection: LocalConnection(), arguments: arguments)
        XCTAssertEqual(result["changed"], .bool(false))
        return try XCTUnwrap(result["ansible_facts"]?.dictValue)
    }

    func testGatherShapeOnThisMachine() throws {
        let started = Date()
        let facts = try gatherLocal()
        let elapsed = Date().timeIntervalSince(started)
        print("setup gather took \(Int(elapsed * 1000)) ms, \(facts.count) facts")
        if let path = ProcessInfo.processInfo.environment["TROUPE_DUMP_FACTS"] {
            try JSONFormat(indent: 1, sortKeys: true).string(.dict(facts)).write(toFile: path, atomically: true, encoding: .utf8)
        }
        for key in ["hostname", "nodename", "fqdn", "domain", "system", "kernel", "kernel_version", "machine",
                    "architecture", "distribution", "distribution_version", "os_family", "pkg_mgr", "service_mgr",
                    "user_id", "user_dir", "user_shell", "machine_id"] {
            XCTAssertNotNil(facts[key]?.stringValue, "\(key) should be a string")
        }
        for key in ["user_uid", "user_gid", "processor_count", "processor_cores", "processor_vcpus",
                    "processor_nproc", "memtotal_mb", "memfree_mb", "swaptotal_mb", "uptime_seconds"] {
            XCTAssertNotNil(facts[key]?.intValue, "\(key) should be an int")
        }
        XCTAssertEqual(facts["system"], "Linux")
        XCTAssertEqual(facts["module_setup"], .bool(true))
        XCTAssertEqual(facts["gather_subset"], ["all"])
        XCTAssertNotNil(facts["env"]?["HOME"]?.stringValue)
        let dateTime = try XCTUnwrap(facts["date_time"]?.dictValue)
        XCTAssertEqual(dateTime.keys.sorted(), ["date", "day", "epoch", "epoch_int", "hour", "iso8601", "iso8601_basic",
                                                "iso8601_basic_short", "iso8601_micro", "minute", "month", "second", "time",
                                                "tz", "tz_dst", "tz_offset", "weekday", "weekday_number", "weeknumber", "year"])
        let interfaces = try XCTUnwrap(facts["interfaces"]?.listValue)
        XCTAssertTrue(interfaces.contains("lo"))
        XCTAssertEqual(facts["lo"]?["type"], "loopback")
        XCTAssertEqual(facts["lo"]?["ipv4"]?["address"], "127.0.0.1")
        let mounts = try XCTUnwrap(facts["mounts"]?.listValue)
        XCTAssertTrue(mounts.contains { $0["mount"] == "/" })
        XCTAssertLessThan(elapsed, 5, "gathering should be fast")
    }

    // MARK: - comparison with Ansible

    /// `ansible localhost -m setup -c local -o` on this machine, or a skip when Ansible is absent.
    func ansibleFacts(_ moduleArguments: String? = nil) throws -> OrderedDict {
        let connection = LocalConnection()
        let lookup = try connection.run(CommandRequest(.shell("command -v ansible")))
        let path = String(decoding: lookup.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard lookup.rc == 0, !path.isEmpty else {
            throw XCTSkip("ansible is not installed here, so Troupe's facts cannot be compared with Ansible's setup output")
        }
        var argv = [path, "localhost", "-m", "setup", "-c", "local", "-o"]
        if let moduleArguments { argv += ["-a", moduleArguments] }
        let result = try connection.run(CommandRequest(.argv(argv), environment: ["ANSIBLE_NOCOLOR": "1"], timeout: 300))
        let output = String(decoding: result.stdout, as: UTF8.self)
        guard let arrow = output.range(of: "=> ") else {
            XCTFail("unexpected ansible output: \(output) \(String(decoding: result.stderr, as: UTF8.self))")
            return OrderedDict()
        }
        let parsed = try Value.parseJSON(String(output[arrow.upperBound...]))
        let prefixed = try XCTUnwrap(parsed["ansible_facts"]?.dictValue)
        return OrderedDict(prefixed.map { entry in
            (entry.key.hasPrefix("ansible_") ? String(entry.key.dropFirst(8)) : entry.key, entry.value)
        })
    }

    func testStableFactsMatchAnsible() throws {
        let expected = try ansibleFacts()
        let facts = try gatherLocal()
        let stable = ["hostname", "nodename", "fqdn", "domain", "system", "kernel", "kernel_version", "machine",
                      "architecture", "userspace_bits", "userspace_architecture", "distribution", "distribution_version",
                      "distribution_major_version", "distribution_minor_version", "distribution_release",
                      "distribution_file_path", "distribution_file_variety", "os_family", "lsb", "processor",
                      "processor_count", "processor_cores", "processor_threads_per_core", "processor_vcpus",
                      "processor_nproc", "memtotal_mb", "swaptotal_mb", "pkg_mgr", "service_mgr", "user_id", "user_uid",
                      "user_gid", "user_dir", "user_shell", "user_gecos", "real_user_id", "effective_user_id",
                      "machine_id", "cmdline", "proc_cmdline", "dns", "selinux", "apparmor", "fips", "is_chroot",
                      "virtualization_type", "virtualization_role", "default_ipv4", "default_ipv6",
                      "all_ipv4_addresses", "all_ipv6_addresses", "lo", "devices", "device_links", "local",
                      "system_capabilities", "system_capabilities_enforced", "ssh_host_key_rsa_public",
                      "form_factor", "product_name", "system_vendor", "lvm", "iscsi_iqn", "hostnqn", "flags"]
        for key in stable {
            XCTAssertEqual(facts[key], expected[key], "fact \(key) differs from Ansible's")
        }
        for key in expected.keys where !["python", "python_version"].contains(key) {
            XCTAssertEqual(facts[key]?.pythonTypeName, expected[key]?.pythonTypeName, "fact \(key): missing or of another type")
        }
        XCTAssertEqual(Set(facts["interfaces"]?.listValue ?? []), Set(expected["interfaces"]?.listValue ?? []))
        for name in expected["interfaces"]?.listValue?.compactMap(\.stringValue) ?? [] {
            XCTAssertEqual(facts[name], expected[name], "interface \(name)")
        }
        let mountPoints = { (facts: OrderedDict) in Set(facts["mounts"]?.listValue?.compactMap { $0["mount"]?.stringValue } ?? []) }
        XCTAssertEqual(mountPoints(facts), mountPoints(expected))
        XCTAssertEqual(facts["env"]?["HOME"], expected["env"]?["HOME"])
        // ansible's pyenv shim prepends its own directories to PATH; the rest must be the same.
        XCTAssertEqual(expected["env"]?["PATH"]?.stringValue?.hasSuffix(facts["env"]?["PATH"]?.stringValue ?? "-"), true)
        XCTAssertEqual(facts["date_time"]?["tz"], expected["date_time"]?["tz"])
        XCTAssertEqual(facts["date_time"]?["tz_offset"], expected["date_time"]?["tz_offset"])
        let epochs = [facts, expected].compactMap { $0["date_time"]?["epoch_int"]?.stringValue.flatMap { Int($0) } }
        XCTAssertEqual(epochs.count, 2)
        if epochs.count == 2 { XCTAssertLessThan(abs(epochs[0] - epochs[1]), 600) }
    }

    func testFilteredSubsetMatchesAnsible() throws {
        let expected = try ansibleFacts("gather_subset=!all,!min,network filter=*ipv4*")
        let facts = try gatherLocal(["gather_subset": ["!all", "!min", "network"], "filter": ["*ipv4*"]])
        XCTAssertEqual(facts.keys.sorted(), expected.keys.sorted())
        XCTAssertEqual(facts["default_ipv4"], expected["default_ipv4"])
    }

    // MARK: - local facts

    func testLocalFactsFromFactPath() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-facts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func write(_ name: String, _ text: String, executable: Bool = false) throws {
            let path = directory.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            if executable { chmod(path, 0o755) }
        }
        try write("a.fact", "[sec]\nKey=Val\n")
        try write("b.fact", "{\"x\": 1}\n")
        try write("c.fact", "garbage")
        try write("d.fact", "#!/bin/sh\necho '{\"e\": true}'\n", executable: true)
        try write("e.fact", "#!/bin/sh\nexit 3\n", executable: true)
        try write("ignored.txt", "{}")
        let facts = try gatherLocal(["gather_subset": ["!all"], "filter": ["ansible_local"], "fact_path": .string(directory.path)])
        XCTAssertEqual(facts.keys, ["local"])
        let local = try XCTUnwrap(facts["local"]?.dictValue)
        XCTAssertEqual(local.keys, ["a", "b", "c", "d", "e"])
        XCTAssertEqual(local["a"], ["sec": ["key": "Val"]])
        XCTAssertEqual(local["b"], ["x": 1])
        XCTAssertEqual(local["c"], .string("error loading facts as JSON or ini - please check content: \(directory.path)/c.fact"))
        XCTAssertEqual(local["d"], ["e": true])
        XCTAssertEqual(local["e"]?.stringValue?.hasPrefix("Failure executing fact script (\(directory.path)/e.fact), rc: 3"), true)
        let missing = try gatherLocal(["gather_subset": ["!all"], "fact_path": "/nonexistent/troupe"])
        XCTAssertEqual(missing["local"], .dict(OrderedDict()))
    }

    func testMinimalSubsetGathersLessAndReportsTimings() throws {
        var timings: [String: Double] = [:]
        for subset in ["min", "all"] {
            var best = Double.infinity
            for _ in 0..<3 {
                let started = Date()
                _ = try gatherLocal(["gather_subset": .string(subset)])
                best = min(best, Date().timeIntervalSince(started))
            }
            timings[subset] = best
        }
        print("setup gather best of 3: min \(Int((timings["min"] ?? 0) * 1000)) ms, all \(Int((timings["all"] ?? 0) * 1000)) ms")
        let minimal = try gatherLocal(["gather_subset": "min"])
        XCTAssertNil(minimal["mounts"])
        XCTAssertNil(minimal["interfaces"])
        XCTAssertNotNil(minimal["distribution"])
        XCTAssertEqual(minimal["gather_subset"], ["min"])
    }

    // MARK: - fallbacks on this machine

    /// With a PATH that lacks `ip`, `getent`, `lsblk` and `capsh`, the script falls back to
    /// `ifconfig`, /proc/net and /etc/passwd, and the network facts stay the same.
    func testFallbacksWithoutIPAndGetent() throws {
        let bin = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-bin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: bin) }
        var linked: [String] = []
        for tool in ["uname", "getconf", "env", "date", "stat", "df", "ifconfig", "readlink", "ls", "tr", "id"] {
            for directory in ["/usr/bin", "/bin", "/usr/sbin", "/sbin"] where FileManager.default.isExecutableFile(atPath: "\(directory)/\(tool)") {
                try FileManager.default.createSymbolicLink(atPath: bin.appendingPathComponent(tool).path,
                                                           withDestinationPath: "\(directory)/\(tool)")
                linked.append(tool)
                break
            }
        }
        guard linked.contains("ifconfig") else { throw XCTSkip("ifconfig is not installed, so the no-ip fallback cannot be exercised") }
        let full = try gatherLocal()
        let result = try SetupModule.gather(connection: LocalConnection(), arguments: .dict(OrderedDict()),
                                            environment: ["PATH": bin.path])
        let reduced = try XCTUnwrap(result["ansible_facts"]?.dictValue)
        XCTAssertEqual(reduced["user_dir"], full["user_dir"], "passwd entry read without getent")
        XCTAssertEqual(reduced["user_shell"], full["user_shell"])
        XCTAssertEqual(Set(reduced["interfaces"]?.listValue ?? []), Set(full["interfaces"]?.listValue ?? []))
        XCTAssertEqual(Set(reduced["all_ipv4_addresses"]?.listValue ?? []), Set(full["all_ipv4_addresses"]?.listValue ?? []))
        XCTAssertEqual(Set(reduced["all_ipv6_addresses"]?.listValue ?? []), Set(full["all_ipv6_addresses"]?.listValue ?? []))
        for key in ["address", "gateway", "interface", "netmask", "network", "macaddress"] {
            XCTAssertEqual(reduced["default_ipv4"]?[key], full["default_ipv4"]?[key], "default_ipv4.\(key)")
        }
        for key in ["address", "gateway", "interface", "prefix"] {
            XCTAssertEqual(reduced["default_ipv6"]?[key], full["default_ipv6"]?[key], "default_ipv6.\(key)")
        }
        for name in full["interfaces"]?.listValue?.compactMap(\.stringValue) ?? [] {
            XCTAssertEqual(reduced[name]?["ipv4"], full[name]?["ipv4"], "\(name).ipv4")
        }
        XCTAssertNil(reduced["locally_reachable_ips"], "only `ip` can list the local routing table")
        XCTAssertEqual(reduced["system_capabilities"], "N/A")
        XCTAssertEqual(reduced["env"]?["PATH"], .string(bin.path))
    }
}
