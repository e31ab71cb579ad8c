import Foundation
import XCTest
import Jinja
@testable import Troupe

/// `cron`, `hostname`, `known_hosts`, `authorized_key`, `sysctl` and `mount` against a
/// loopback SSH lab host, becoming root there.
final class SystemModuleHostTests: XCTestCase {
    static var lab: SystemModuleLab?
    override class func setUp() { lab = try? SystemModuleLab() }
    override class func tearDown() { lab?.stop(); lab = nil }
    private func requireLab() throws -> SystemModuleLab { if let lab = Self.lab { return lab }; return try SystemModuleLab() }

    private func text(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "<missing>" }

    func testCronAsRootOverSSHUserCrontabAndCronDFile() throws {
        let lab = try requireLab()
        let cronFile = "troupe-test-\(UUID().uuidString.prefix(6))"
        defer { _ = try? lab.sh("crontab -u \(SSHLab.user) -r 2>/dev/null; rm -f /etc/cron.d/\(cronFile); true") }
        _ = try? lab.sh("crontab -u \(SSHLab.user) -r")
        let tasks = """
            - name: job
              cron: name=backup user=\(SSHLab.user) minute=5 hour=2 job=/usr/local/bin/backup
            - name: reboot job
              cron: name=boot user=\(SSHLab.user) special_time=reboot job=/bin/true disabled=yes
            - name: env
              cron: name=MAILTO user=\(SSHLab.user) env=yes job=ops@example.com
            - name: file job
              cron: name=sweep user=root cron_file=\(cronFile) weekday=1 job="find /tmp -delete"
            - name: predicted
              cron: name=backup user=\(SSHLab.user) minute=10 hour=2 job=/usr/local/bin/backup
              check_mode: true
            - name: bad
              cron: name=x foo=1
              ignore_errors: true
        """
        let (rc, first) = try lab.run(tasks: tasks, diff: true)
        XCTAssertEqual(rc, 0, "\(first.results)")
        XCTAssertEqual(first.result("job")["changed"], true)
        XCTAssertEqual(first.result("job")["jobs"], ["backup"])
        XCTAssertEqual(first.result("env")["envs"], ["MAILTO"])
        let diff = try XCTUnwrap(first.result("job")["diff"]?.dictValue)
        XCTAssertEqual(diff["before"], "")
        XCTAssertEqual(diff["after"], "#Ansible: backup\n5 2 * * * /usr/local/bin/backup\n")
        XCTAssertEqual(diff["after_header"], .string("crontab for user \"\(SSHLab.user)\""))
        let installed = try lab.sh("crontab -u \(SSHLab.user) -l")
        XCTAssertEqual(installed, "MAILTO=\"ops@example.com\"\n#Ansible: backup\n5 2 * * * /usr/local/bin/backup\n#Ansible: boot\n#@reboot /bin/true\n")
        XCTAssertEqual(text("/etc/cron.d/\(cronFile)"), "#Ansible: sweep\n* * * * 1 root find /tmp -delete\n")
        XCTAssertEqual(first.result("predicted")["changed"], true)
        XCTAssertEqual(try lab.sh("crontab -u \(SSHLab.user) -l"), installed, "check mode changes nothing")
        XCTAssertEqual(first.result("bad")["msg"], "Unsupported parameters for (cron) module: foo. Supported parameters include: backup, cron_file, day, disabled, env, hour, insertafter, insertbefore, job, minute, month, name, special_time, state, user, weekday (dom, dow, value).")

        let (_, second) = try lab.run(tasks: tasks)
        for name in ["job", "reboot job", "env", "file job"] {
            XCTAssertEqual(second.result(name)["changed"], false, "\(name): \(second.result(name))")
        }
        let removal = """
            - name: remove job
              cron: name=backup user=\(SSHLab.user) state=absent
            - name: remove file job
              cron: name=sweep user=root cron_file=\(cronFile) state=absent
        """
        let (_, removed) = try lab.run(tasks: removal)
        XCTAssertEqual(removed.result("remove job")["changed"], true)
        XCTAssertEqual(removed.result("remove file job")["changed"], true)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/etc/cron.d/\(cronFile)"), "an emptied cron.d file is removed")
        XCTAssertFalse(try lab.sh("crontab -u \(SSHLab.user) -l").contains("backup"))
        let (_, again) = try lab.run(tasks: removal)
        XCTAssertEqual(again.result("remove job")["changed"], false)
        XCTAssertEqual(again.result("remove file job")["changed"], false)
    }

    func testHostnameCheckModeOnThisHostAndSystemdStrategyThroughAHostnamectlShim() throws {
        let lab = try requireLab()
        let current = try lab.sh("hostname").trimmingCharacters(in: .whitespacesAndNewlines)
        let shim = "\(lab.scratch)/shim"
        try FileManager.default.createDirectory(atPath: shim, withIntermediateDirectories: true)
        try "old-name\n".write(toFile: shim + "/transient", atomically: true, encoding: .utf8)
        try "old-name\n".write(toFile: shim + "/static", atomically: true, encoding: .utf8)
        // Records hostnamectl's state in files instead of changing this machine's name.
        try """
        #!/bin/sh
        d=\(shim)
        echo "$*" >> $d/calls
        case "$*" in
          "--transient status") cat $d/transient ;;
          "--static status") cat $d/static ;;
          "--transient set-hostname "*) echo "$3" > $d/transient ;;
          "--pretty --static set-hostname "*) echo "$4" > $d/static ;;
          *) exit 1 ;;
        esac
        """.write(toFile: shim + "/hostnamectl", atomically: true, encoding: .utf8)
        chmod(shim + "/hostnamectl", 0o755)
        let tasks = """
            - name: same name
              hostname: name=\(current)
            - name: other name predicted
              hostname: name=troupe-renamed
              check_mode: true
            - name: shim rename
              hostname: name=web01.example.test use=systemd
              environment:
                PATH: "\(shim):/usr/sbin:/usr/bin:/sbin:/bin"
            - name: facts
              assert:
                that: ansible_hostname == 'web01' and ansible_nodename == 'web01.example.test'
            - name: bad
              hostname: name=x foo=1
              ignore_errors: true
        """
        let (rc, first) = try lab.run(tasks: tasks, diff: true)
        XCTAssertEqual(rc, 0, "\(first.results)")
        XCTAssertEqual(first.result("same name")["changed"], false)
        XCTAssertEqual(first.result("other name predicted")["changed"], true)
        XCTAssertEqual(first.result("other name predicted")["diff"], ["after": "hostname = troupe-renamed\n", "before": .string("hostname = \(current)\n")])
        XCTAssertEqual(try lab.sh("hostname").trimmingCharacters(in: .whitespacesAndNewlines), current, "check mode renames nothing")
        XCTAssertEqual(first.result("shim rename")["changed"], true)
        XCTAssertEqual(text(shim + "/static"), "web01.example.test\n")
        XCTAssertEqual(text(shim + "/transient"), "web01.example.test\n")
        XCTAssertEqual(first.result("bad")["msg"], "Unsupported parameters for (hostname) module: foo. Supported parameters include: name, use.")
        let (_, second) = try lab.run(tasks: tasks)
        XCTAssertEqual(second.result("shim rename")["changed"], false)
        XCTAssertEqual(text(shim + "/calls").components(separatedBy: "set-hostname").count - 1, 2, "only the first run set names")
    }

    func testKnownHostsAddHashReplaceRemove() throws {
        let lab = try requireLab()
        let file = "\(lab.scratch)/known_hosts"
        let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
        let other = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA7oCCY1lbVuXWn8eNUzLCNE5ZC5Zz5v5lUJm9J4Y3wI"
        let tasks = """
            - name: add
              known_hosts: name=git.example.test path=\(file) key="git.example.test \(key)"
            - name: hashed
              known_hosts: name=db.example.test path=\(file) key="db.example.test \(key)" hash_host=yes
            - name: predicted replace
              known_hosts: name=git.example.test path=\(file) key="git.example.test \(other)"
              check_mode: true
            - name: bad
              known_hosts: name=x foo=1
              ignore_errors: true
        """
        let (rc, first) = try lab.run(tasks: tasks, diff: true)
        XCTAssertEqual(rc, 0, "\(first.results)")
        XCTAssertEqual(first.result("add")["changed"], true)
        XCTAssertEqual(first.result("add")["diff"]?["after"], .string("git.example.test \(key)\n"))
        XCTAssertEqual(first.result("add")["diff"]?["before_header"], "/dev/null")
        let lines = text(file).split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertTrue(lines[1].hasPrefix("|1|") && lines[1].hasSuffix(key), String(lines[1]))
        XCTAssertEqual(first.result("predicted replace")["changed"], true)
        XCTAssertEqual(first.result("predicted replace")["diff"]?["after"], .string(String(lines[1]) + "\ngit.example.test \(other)\n"))
        XCTAssertEqual(first.result("bad")["msg"], "Unsupported parameters for (known_hosts) module: foo. Supported parameters include: hash_host, key, name, path, state (host).")
        let (_, second) = try lab.run(tasks: tasks)
        XCTAssertEqual(second.result("add")["changed"], false)
        XCTAssertEqual(second.result("hashed")["changed"], false, "a hashed entry is found again")
        XCTAssertEqual(text(file).split(separator: "\n").count, 2)
        let (_, removed) = try lab.run(tasks: """
            - name: replace
              known_hosts: name=git.example.test path=\(file) key="git.example.test \(other)"
            - name: remove
              known_hosts: name=db.example.test path=\(file) state=absent
        """)
        XCTAssertEqual(removed.result("replace")["changed"], true)
        XCTAssertEqual(removed.result("remove")["changed"], true)
        XCTAssertEqual(text(file), "git.example.test \(other)\n")
    }

    func testAuthorizedKeyOptionsExclusiveAbsentAsRootOverSSH() throws {
        let lab = try requireLab()
        let file = "\(lab.scratch)/ak/.ssh/authorized_keys"
        try FileManager.default.createDirectory(atPath: "\(lab.scratch)/ak", withIntermediateDirectories: true)
        let a = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice"
        let b = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA7oCCY1lbVuXWn8eNUzLCNE5ZC5Zz5v5lUJm9J4Y3wI bob"
        let tasks = """
            - name: add
              authorized_key: user=\(SSHLab.user) path=\(file) key="\(a)" key_options='no-pty,from="10.0.0.1,10.0.0.2"'
            - name: second key predicted
              authorized_key: user=\(SSHLab.user) path=\(file) key="\(b)"
              check_mode: true
            - name: bad
              authorized_key: user=x key=y foo=1
              ignore_errors: true
        """
        let (rc, first) = try lab.run(tasks: tasks, diff: true)
        XCTAssertEqual(rc, 0, "\(first.results)")
        XCTAssertEqual(first.result("add")["changed"], true)
        XCTAssertEqual(text(file), "no-pty,from=\"10.0.0.1,10.0.0.2\" \(a)\n")
        XCTAssertEqual(first.result("add")["diff"]?["before"], "")
        XCTAssertEqual(first.result("add")["keyfile"], .string(file))
        XCTAssertEqual(try lab.sh("stat -c '%U %a' \(file) \(lab.scratch)/ak/.ssh"), "\(SSHLab.user) 600\n\(SSHLab.user) 700\n")
        XCTAssertEqual(first.result("second key predicted")["changed"], true)
        XCTAssertFalse(text(file).contains("bob"), "check mode writes nothing")
        XCTAssertEqual(first.result("bad")["msg"], "Unsupported parameters for (authorized_key) module: foo. Supported parameters include: comment, exclusive, follow, key, key_options, manage_dir, path, state, user, validate_certs.")
        let (_, second) = try lab.run(tasks: tasks)
        XCTAssertEqual(second.result("add")["changed"], false)
        let (_, exclusive) = try lab.run(tasks: """
            - name: both
              authorized_key: user=\(SSHLab.user) path=\(file) key="\(a)\\n\(b)"
            - name: only b
              authorized_key: user=\(SSHLab.user) path=\(file) key="\(b)" exclusive=yes
        """)
        XCTAssertEqual(exclusive.result("both")["changed"], true, "a's options differ, so a is rewritten")
        XCTAssertEqual(exclusive.result("only b")["changed"], true)
        XCTAssertEqual(text(file), "\(b)\n")
        let remove = """
            - name: remove
              authorized_key: user=\(SSHLab.user) path=\(file) key="\(b)" state=absent
        """
        let (_, removed) = try lab.run(tasks: remove)
        XCTAssertEqual(removed.result("remove")["changed"], true)
        XCTAssertEqual(text(file), "")
        let (_, gone) = try lab.run(tasks: remove)
        XCTAssertEqual(gone.result("remove")["changed"], false)
    }

    func testSysctlFileAndKernelValueAsRootOverSSH() throws {
        let lab = try requireLab()
        let file = "\(lab.scratch)/sysctl.conf"
        try "# kernel tuning\nvm.swappiness = 10\n".write(toFile: file, atomically: true, encoding: .utf8)
        let forward = try lab.sh("sysctl -n net.ipv4.ip_forward").trimmingCharacters(in: .whitespacesAndNewlines)
        let flipped = forward == "0" ? "1" : "0"
        // The kernel value is set to what it already is, so the machine is left as it was.
        let tasks = """
            - name: set
              sysctl: name=net.ipv4.ip_forward value=\(forward) sysctl_file=\(file) sysctl_set=yes
            - name: predicted
              sysctl: name=net.ipv4.ip_forward value=\(flipped) sysctl_file=\(file) sysctl_set=yes
              check_mode: true
            - name: bad
              sysctl: name=x value=1 foo=1
              ignore_errors: true
        """
        let (rc, first) = try lab.run(tasks: tasks)
        XCTAssertEqual(rc, 0, "\(first.results)")
        XCTAssertEqual(first.result("set")["changed"], true)
        XCTAssertEqual(text(file), "# kernel tuning\nvm.swappiness=10\nnet.ipv4.ip_forward=\(forward)\n")
        XCTAssertEqual(first.result("predicted")["changed"], true)
        XCTAssertEqual(try lab.sh("sysctl -n net.ipv4.ip_forward").trimmingCharacters(in: .whitespacesAndNewlines), forward)
        XCTAssertTrue(text(file).contains("ip_forward=\(forward)"), "check mode writes nothing")
        XCTAssertEqual(first.result("bad")["msg"], "Unsupported parameters for (sysctl) module: foo. Supported parameters include: attributes, group, ignoreerrors, mode, name, owner, reload, selevel, serole, setype, seuser, state, sysctl_file, sysctl_set, unsafe_writes, value (attr, key, val).")
        let (_, second) = try lab.run(tasks: tasks)
        XCTAssertEqual(second.result("set")["changed"], false)
        let (_, removed) = try lab.run(tasks: """
            - name: remove
              sysctl: name=vm.swappiness state=absent sysctl_file=\(file) reload=no
        """)
        XCTAssertEqual(removed.result("remove")["changed"], true)
        XCTAssertEqual(text(file), "# kernel tuning\nnet.ipv4.ip_forward=\(forward)\n")
    }

    func testMountTmpfsWithAlternativeFstabAsRootOverSSH() throws {
        let lab = try requireLab()
        let point = "\(lab.scratch)/mnt/data"
        let fstab = "\(lab.scratch)/fstab"
        try "# static file system information\nproc /proc proc defaults 0 0\n".write(toFile: fstab, atomically: true, encoding: .utf8)
        defer { _ = try? lab.sh("umount \(point) 2>/dev/null; true") }
        func mounted() -> Bool { (try? lab.sh("mountpoint -q \(point)")) != nil }
        let tasks = """
            - name: mount
              mount: path=\(point) src=tmpfs fstype=tmpfs opts=size=1m state=mounted fstab=\(fstab)
            - name: predicted unmount
              mount: path=\(point) state=unmounted fstab=\(fstab)
              check_mode: true
            - name: bad
              mount: path=/x state=mounted foo=1
              ignore_errors: true
        """
        let (rc, first) = try lab.run(tasks: tasks)
        XCTAssertEqual(rc, 0, "\(first.results)")
        XCTAssertEqual(first.result("mount")["changed"], true)
        XCTAssertEqual(first.result("mount")["opts"], "size=1m")
        XCTAssertTrue(mounted())
        XCTAssertEqual(text(fstab), "# static file system information\nproc /proc proc defaults 0 0\ntmpfs \(point) tmpfs size=1m 0 0\n")
        XCTAssertEqual(first.result("predicted unmount")["changed"], true)
        XCTAssertTrue(mounted(), "check mode unmounts nothing")
        XCTAssertEqual(first.result("bad")["msg"], "Unsupported parameters for (mount) module: foo. Supported parameters include: backup, boot, dump, fstab, fstype, opts, opts_no_log, passno, path, src, state (name).")
        let (_, second) = try lab.run(tasks: tasks)
        XCTAssertEqual(second.result("mount")["changed"], false)
        let (_, changes) = try lab.run(tasks: """
            - name: new options
              mount: path=\(point) src=tmpfs fstype=tmpfs opts=size=2m state=mounted fstab=\(fstab) backup=yes
            - name: remounted
              mount: path=\(point) state=remounted fstab=\(fstab)
        """)
        XCTAssertEqual(changes.result("new options")["changed"], true)
        XCTAssertTrue(changes.result("new options")["backup_file"]?.stringValue?.hasPrefix(fstab + ".") ?? false)
        XCTAssertTrue(try lab.sh("findmnt -n -o OPTIONS \(point)").contains("size=2048k"), "remounted with the new options")
        XCTAssertEqual(changes.result("remounted")["changed"], true)
        let (_, unmount) = try lab.run(tasks: """
            - name: unmounted
              mount: path=\(point) state=unmounted fstab=\(fstab)
        """)
        XCTAssertEqual(unmount.result("unmounted")["changed"], true)
        XCTAssertFalse(mounted())
        let absent = """
            - name: absent
              mount: path=\(point) state=absent fstab=\(fstab)
        """
        let (_, removed) = try lab.run(tasks: absent)
        XCTAssertEqual(removed.result("absent")["changed"], true)
        XCTAssertEqual(text(fstab), "# static file system information\nproc /proc proc defaults 0 0\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: point), "absent removes the mount point")
        let (_, again) = try lab.run(tasks: absent)
        XCTAssertEqual(again.result("absent")["changed"], false)
    }
}
