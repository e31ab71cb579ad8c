import Foundation
import XCTest
import Jinja
@testable import Troupe

/// `service`, `sysvinit` and `systemd` against a loopback SSH lab host, becoming root. The
/// SysV tests install a real init script in /etc/init.d (removed afterwards); this machine
/// runs no systemd, so the systemd module is driven through a `systemctl` shim on PATH that
/// keeps unit state in files and records its calls.
final class SystemModuleServiceTests: XCTestCase {
    static var lab: SystemModuleLab?
    override class func setUp() { lab = try? SystemModuleLab() }
    override class func tearDown() { lab?.stop(); lab = nil }
    private func requireLab() throws -> SystemModuleLab { if let lab = Self.lab { return lab }; return try SystemModuleLab() }

    private func text(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    /// Installs /etc/init.d/NAME running `sleep` with a pid file in the lab's scratch directory.
    private func installInitScript(_ lab: SystemModuleLab, name: String) throws -> (pidFile: String, log: String) {
        let pidFile = "\(lab.scratch)/\(name).pid", log = "\(lab.scratch)/\(name).log"
        try """
        #!/bin/sh
        ### BEGIN INIT INFO
        # Provides:          \(name)
        # Required-Start:    $remote_fs
        # Required-Stop:     $remote_fs
        # Default-Start:     2 3 4 5
        # Default-Stop:      0 1 6
        # Short-Description: troupe test service
        ### END INIT INFO
        case "$1" in
          start) echo start >> \(log); sleep 300 >/dev/null 2>&1 & echo $! > \(pidFile) ;;
          stop) echo stop >> \(log); [ -f \(pidFile) ] && kill $(cat \(pidFile)) 2>/dev/null; rm -f \(pidFile) ;;
          reload) echo reload >> \(log) ;;
          restart) $0 stop; $0 start ;;
          status) if [ -f \(pidFile) ] && kill -0 $(cat \(pidFile)) 2>/dev/null; then echo "is running"; exit 0; else echo "is not running"; exit 3; fi ;;
          *) exit 2 ;;
        esac
        """.write(toFile: "/etc/init.d/\(name)", atomically: true, encoding: .utf8)
        chmod("/etc/init.d/\(name)", 0o755)
        return (pidFile, log)
    }

    private func removeInitScript(_ lab: SystemModuleLab, name: String, pidFile: String) {
        _ = try? lab.sh("[ -f \(pidFile) ] && kill $(cat \(pidFile)); update-rc.d -f \(name) remove >/dev/null 2>&1; rm -f /etc/init.d/\(name); true")
    }

    func testServiceWithARealInitScriptAsRootOverSSH() throws {
        let lab = try requireLab()
        let name = "troupe-svc-\(UUID().uuidString.prefix(6).lowercased())"
        let (pidFile, log) = try installInitScript(lab, name: name)
        defer { removeInitScript(lab, name: name, pidFile: pidFile) }
        func running() -> Bool { (try? lab.sh("kill -0 $(cat \(pidFile))")) != nil }
        let tasks = """
            - name: start
              service: name=\(name) state=started enabled=yes use=service
            - name: predicted stop
              service: name=\(name) state=stopped use=service
              check_mode: true
            - name: bad
              service: name=\(name) state=started foo=1 use=service
              ignore_errors: true
            - name: missing
              service: name=no-such-\(name) state=started use=service
              ignore_errors: true
        """
        let (rc, first) = try lab.run(tasks: tasks)
        XCTAssertEqual(rc, 0, "\(first.results)")
        XCTAssertEqual(first.result("start"), ["name": .string(name), "enabled": true, "state": "started", "changed": true])
        XCTAssertTrue(running())
        XCTAssertFalse(try lab.sh("ls /etc/rc2.d/S??\(name)").isEmpty, "enabled through update-rc.d")
        XCTAssertEqual(first.result("predicted stop")["changed"], true)
        XCTAssertTrue(running(), "check mode stops nothing")
        XCTAssertEqual(first.result("bad")["msg"], "Unsupported parameters for (service) module: foo. Supported parameters include: arguments, enabled, name, pattern, runlevel, sleep, state (args).")
        XCTAssertEqual(first.result("missing")["msg"], .string("Could not find the requested service no-such-\(name): host"))
        let (_, second) = try lab.run(tasks: tasks)
        XCTAssertEqual(second.result("start")["changed"], false)
        let (_, cycle) = try lab.run(tasks: """
            - name: restart
              service: name=\(name) state=restarted use=service
            - name: reload
              service: name=\(name) state=reloaded use=service
            - name: stop
              service: name=\(name) state=stopped enabled=no use=service
        """)
        XCTAssertEqual(cycle.result("restart")["changed"], true)
        XCTAssertEqual(cycle.result("reload")["changed"], true, "a running service is reloaded")
        XCTAssertEqual(cycle.result("stop")["changed"], true)
        XCTAssertFalse(running())
        XCTAssertEqual(text(log), "start\nstop\nstart\nreload\nstop\n")
        XCTAssertThrowsError(try lab.sh("ls /etc/rc2.d/S??\(name)"), "disabled")
    }

    func testSysvinitModuleReportsStatusAsRootOverSSH() throws {
        let lab = try requireLab()
        let name = "troupe-sysv-\(UUID().uuidString.prefix(6).lowercased())"
        let (pidFile, _) = try installInitScript(lab, name: name)
        defer { removeInitScript(lab, name: name, pidFile: pidFile) }
        let tasks = """
            - name: start
              sysvinit: name=\(name) state=started enabled=yes
            - name: dispatched
              service: name=\(name) state=started use=sysvinit
        """
        let (rc, first) = try lab.run(tasks: tasks)
        XCTAssertEqual(rc, 0, "\(first.results)")
        let start = first.result("start")
        XCTAssertEqual(start["changed"], true)
        XCTAssertEqual(start["status"]?["enabled"]?["changed"], true)
        XCTAssertEqual(start["status"]?["started"]?["changed"], true)
        XCTAssertEqual(start["status"]?["started"]?["rc"], 0)
        XCTAssertEqual(first.result("dispatched")["changed"], false)
        XCTAssertNotNil(first.result("dispatched")["status"], "use=sysvinit runs the sysvinit module")
        let (_, second) = try lab.run(tasks: tasks)
        XCTAssertEqual(second.result("start")["changed"], false)
        XCTAssertEqual(second.result("start")["status"]?["started"], ["changed": false, "rc": .null, "stdout": .null, "stderr": .null])
    }

    func testSystemdModuleThroughASystemctlShim() throws {
        let lab = try requireLab()
        let shim = "\(lab.scratch)/systemd-shim"
        try FileManager.default.createDirectory(atPath: shim + "/units", withIntermediateDirectories: true)
        try "inactive\n".write(toFile: shim + "/units/web.service.active", atomically: true, encoding: .utf8)
        try "disabled\n".write(toFile: shim + "/units/web.service.enabled", atomically: true, encoding: .utf8)
        try """
        #!/bin/sh
        d=\(shim)
        echo "$*" >> $d/calls
        u="$2"; case "$u" in *.*) ;; *) u="$u.service" ;; esac
        case "$1" in
          daemon-reload) exit 0 ;;
          show) [ -f $d/units/$u.active ] || { echo "LoadState=not-found"; echo "ActiveState=inactive"; exit 0; }
                echo "Id=$u"; echo "LoadState=loaded"; echo "ActiveState=$(cat $d/units/$u.active)"
                echo "ExecStart={ path=/usr/bin/web ; argv[]=/usr/bin/web"; echo "  --serve }" ;;
          is-enabled) s=$(cat $d/units/$u.enabled 2>/dev/null || echo not-found); echo $s; [ "$s" = enabled ] ;;
          start|restart|reload) echo active > $d/units/$u.active ;;
          stop) echo inactive > $d/units/$u.active ;;
          enable) echo enabled > $d/units/$u.enabled ;;
          disable) echo disabled > $d/units/$u.enabled ;;
          mask) echo masked > $d/units/$u.enabled ;;
          unmask) echo disabled > $d/units/$u.enabled ;;
          list-unit-files) [ -f $d/units/$u.active ] ;;
          *) exit 1 ;;
        esac
        """.write(toFile: shim + "/systemctl", atomically: true, encoding: .utf8)
        chmod(shim + "/systemctl", 0o755)
        let env = """
              environment:
                PATH: "\(shim):/usr/sbin:/usr/bin:/sbin:/bin"
        """
        let tasks = """
            - name: start
              systemd: name=web state=started enabled=yes daemon_reload=yes
        \(env)
            - name: predicted stop
              systemd_service: name=web state=stopped
              check_mode: true
        \(env)
            - name: missing
              systemd: name=nothing state=started
              ignore_errors: true
        \(env)
            - name: bad
              systemd: name=web foo=1
              ignore_errors: true
        """
        let (rc, first) = try lab.run(tasks: tasks)
        XCTAssertEqual(rc, 0, "\(first.results)")
        let start = first.result("start")
        XCTAssertEqual(start["changed"], true)
        XCTAssertEqual(start["enabled"], true)
        XCTAssertEqual(start["state"], "started")
        XCTAssertEqual(start["status"]?["ActiveState"], "inactive", "status is the state before the change, as in Ansible")
        XCTAssertEqual(start["status"]?["ExecStart"], "{ path=/usr/bin/web ; argv[]=/usr/bin/web\n  --serve }")
        XCTAssertEqual(text(shim + "/units/web.service.active"), "active\n")
        XCTAssertEqual(first.result("predicted stop")["changed"], true)
        XCTAssertEqual(text(shim + "/units/web.service.active"), "active\n", "check mode stops nothing")
        XCTAssertEqual(first.result("missing")["msg"], "Could not find the requested service nothing: host")
        XCTAssertEqual(first.result("bad")["msg"], "Unsupported parameters for (systemd) module: foo. Supported parameters include: daemon_reexec, daemon_reload, enabled, force, masked, name, no_block, scope, state (daemon-reexec, daemon-reload, service, unit).")
        XCTAssertTrue(text(shim + "/calls").hasPrefix("daemon-reload\n"))
        let (_, second) = try lab.run(tasks: tasks)
        XCTAssertEqual(second.result("start")["changed"], false)
        let (_, masked) = try lab.run(tasks: """
            - name: mask
              systemd: name=web state=stopped masked=yes
        \(env)
        """)
        XCTAssertEqual(masked.result("mask")["changed"], true)
        XCTAssertEqual(text(shim + "/units/web.service.enabled"), "masked\n")
        XCTAssertEqual(text(shim + "/units/web.service.active"), "inactive\n")
    }
}
