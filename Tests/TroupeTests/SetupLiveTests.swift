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
}
