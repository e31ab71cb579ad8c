import Foundation
import XCTest
import Jinja
@testable import Troupe

/// `wait_for`, `wait_for_connection`, `reboot`, `set_stats`, `package_facts` and
/// `service_facts` against a loopback SSH lab host.
final class SystemModuleRuntimeTests: XCTestCase {
    static var lab: SystemModuleLab?
    override class func setUp() { lab = try? SystemModuleLab() }
    override class func tearDown() { lab?.stop(); lab = nil }
    private func requireLab() throws -> SystemModuleLab { if let lab = Self.lab { return lab }; return try SystemModuleLab() }

    func testWaitForPortPathRegexTimeoutAndDrainedOverSSH() throws {
        let lab = try requireLab()
        let file = "\(lab.scratch)/ready.log"
        try "starting\nlistening on port 8080\n".write(toFile: file, atomically: true, encoding: .utf8)
        let closed = try SSHLab.freePort(addresses: ["127.0.0.1"])
        let tasks = """
            - name: sshd banner
              wait_for: host=\(lab.lab.hosts[0]) port=\(lab.lab.port) search_regex=OpenSSH timeout=10
            - name: port open
              wait_for: host=\(lab.lab.hosts[0]) port=\(lab.lab.port) timeout=10
            - name: closed port stopped
              wait_for: port=\(closed) state=stopped timeout=5
            - name: file pattern
              wait_for: path=\(file) search_regex='port (?P<port>\\d+)' timeout=5
            - name: missing file absent
              wait_for: path=\(lab.scratch)/nothing state=absent timeout=5
            - name: file timeout
              wait_for: path=\(lab.scratch)/never timeout=1 sleep=1
              ignore_errors: true
            - name: port timeout
              wait_for: port=\(closed) timeout=1 msg="port never opened"
              ignore_errors: true
            - name: drained
              wait_for: port=\(closed) state=drained timeout=5
            - name: predicted
              wait_for: path=\(lab.scratch)/never timeout=30
              check_mode: true
            - name: bad
              wait_for: port=1 foo=1
              ignore_errors: true
        """
        let started = Date()
        let (rc, rec) = try lab.run(tasks: tasks)
        XCTAssertEqual(rc, 0, "\(rec.results)")
        XCTAssertLessThan(Date().timeIntervalSince(started), 15)
        let banner = rec.result("sshd banner")
        XCTAssertEqual(banner["changed"], false)
        XCTAssertEqual(banner["port"], .int(lab.lab.port))
        XCTAssertEqual(banner["state"], "started")
        XCTAssertEqual(rec.result("closed port stopped")["failed"], nil)
        let pattern = rec.result("file pattern")
        XCTAssertEqual(pattern["match_groups"], ["8080"])
        XCTAssertEqual(pattern["match_groupdict"], ["port": "8080"])
        XCTAssertEqual(pattern["path"], .string(file))
        XCTAssertEqual(rec.result("missing file absent")["state"], "absent")
        XCTAssertEqual(rec.result("file timeout")["msg"], .string("Timeout when waiting for file \(lab.scratch)/never"))
        XCTAssertEqual(rec.result("file timeout")["elapsed"], 1)
        XCTAssertEqual(rec.result("port timeout")["msg"], "port never opened")
        XCTAssertEqual(rec.result("drained")["state"], "drained")
        XCTAssertEqual(rec.result("predicted")["skipped"], true, "wait_for does not support check mode, as in Ansible")
        XCTAssertEqual(rec.result("bad")["msg"], "Unsupported parameters for (wait_for) module: foo. Supported parameters include: active_connection_states, connect_timeout, delay, exclude_hosts, host, msg, path, port, search_regex, sleep, state, timeout.")
    }

    func testWaitForConnectionAndRebootThroughAShutdownShim() throws {
        let lab = try requireLab()
        let shim = "\(lab.scratch)/reboot-shim"
        try FileManager.default.createDirectory(atPath: shim, withIntermediateDirectories: true)
        try "boot-1\n".write(toFile: shim + "/boot_id", atomically: true, encoding: .utf8)
        // A "shutdown" that records its arguments and pretends the host came back with a new boot id.
        try "#!/bin/sh\necho \"$@\" > \(shim)/args\necho boot-2 > \(shim)/boot_id\n".write(toFile: shim + "/shutdown", atomically: true, encoding: .utf8)
        chmod(shim + "/shutdown", 0o755)
        let tasks = """
            - name: connection
              wait_for_connection: timeout=10
            - name: reboot
              reboot: search_paths=\(shim) boot_time_command="cat \(shim)/boot_id" msg="planned" reboot_timeout=20
            - name: stuck reboot
              reboot: reboot_command=/bin/true boot_time_command="cat \(shim)/boot_id" reboot_timeout=2
              ignore_errors: true
            - name: predicted reboot
              reboot:
              check_mode: true
            - name: bad reboot
              reboot: foo=1
              ignore_errors: true
            - name: bad wait
              wait_for_connection: foo=1
              ignore_errors: true
        """
        let (rc, rec) = try lab.run(tasks: tasks)
        XCTAssertEqual(rc, 0, "\(rec.results)")
        XCTAssertEqual(rec.result("connection")["failed"], nil)
        XCTAssertNotNil(rec.result("connection")["elapsed"])
        XCTAssertEqual(rec.result("reboot")["rebooted"], true, "\(rec.result("reboot"))")
        XCTAssertEqual(rec.result("reboot")["changed"], true)
        XCTAssertEqual(try String(contentsOfFile: shim + "/args", encoding: .utf8), "-r 0 planned\n")
        let stuck = rec.result("stuck reboot")
        XCTAssertEqual(stuck["msg"], "Timed out waiting for last boot time check (timeout=2)")
        XCTAssertEqual(stuck["rebooted"], true)
        XCTAssertEqual(rec.result("predicted reboot"), ["changed": true, "elapsed": 0, "rebooted": true])
        XCTAssertEqual(rec.result("bad reboot")["msg"], "Invalid options for reboot: foo")
        XCTAssertEqual(rec.result("bad wait")["msg"], "Invalid options for wait_for_connection: foo")
    }

    func testPackageAndServiceFactsMatchTheHostsToolsOverSSH() throws {
        let lab = try requireLab()
        let (rc, rec) = try lab.run(tasks: """
            - name: packages
              package_facts:
            - name: services
              service_facts:
            - name: facts are variables
              assert:
                that:
                  - packages['openssh-server'][0].source == 'apt'
                  - ansible_facts.services['ssh'].source == 'sysv'
            - name: bad
              service_facts: foo=1
              ignore_errors: true
        """)
        XCTAssertEqual(rc, 0, "\(rec.results)")
        let packages = try XCTUnwrap(rec.result("packages")["ansible_facts"]?["packages"]?.dictValue)
        let version = try lab.sh("dpkg-query -W -f '${Version}' openssh-server")
        let ssh = try XCTUnwrap(packages["openssh-server"]?.listValue?.first?.dictValue)
        XCTAssertEqual(ssh["version"], .string(version))
        XCTAssertEqual(ssh["source"], "apt")
        XCTAssertEqual(ssh["category"], "net")
        XCTAssertEqual(ssh["origin"], "Debian")
        let installed = try lab.sh("dpkg-query -W -f '${db:Status-Status}\\n' | grep -cx installed").trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(packages.count, Int(installed))
        let services = try XCTUnwrap(rec.result("services")["ansible_facts"]?["services"]?.dictValue)
        let listed = try lab.sh("service --status-all 2>&1 | grep -E '\\[ (\\+|-) \\]' | awk '{print $4}' | sort").split(separator: "\n").map(String.init)
        XCTAssertEqual(services.keys.sorted(), listed)
        XCTAssertEqual(rec.result("bad")["msg"], "Unsupported parameters for (service_facts) module: foo. Supported parameters include: .")
    }

    func testSetStatsPrintsCustomStatsLikeAnsible() throws {
        let harness = try PlaybookHarness()
        defer { harness.remove() }
        _ = try harness.write("ss.yml", """
        - hosts: a,b
          gather_facts: false
          tasks:
            - set_stats:
                data: {count: 1, names: ["{{ inventory_hostname }}"], info: {x: 1}}
            - set_stats:
                data: {count: 2}
                per_host: true
            - set_stats:
                data: {count: 5, s: "v"}
                aggregate: false
            - set_stats:
                foo: 1
              ignore_errors: true
        """)
        let out = try TroupeBinary.run(["playbook", "-i", "a,b,", "-c", "local", "ss.yml"], in: harness.directory.path,
                                       environment: ["ANSIBLE_SHOW_CUSTOM_STATS": "1"])
        XCTAssertEqual(out.status, 0, out.combined)
        // Recorded from ansible-playbook 2.19 with ANSIBLE_SHOW_CUSTOM_STATS=1.
        XCTAssertTrue(out.stdout.contains("""
        CUSTOM STATS: ******************************************************************
        \ta: { "count": 2}
        \tb: { "count": 2}

        \tRUN: { "count": 5, "info": {  "x": 1 }, "names": [  "a",  "b" ], "s": "v"}

        """), out.stdout)
        XCTAssertTrue(out.stdout.contains("fatal: [a]: FAILED! => {\"changed\": false, \"msg\": \"Invalid options for set_stats: foo\"}"))
    }
}
