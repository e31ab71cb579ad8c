import Foundation
import XCTest
import Jinja
@testable import Troupe

/// `group`, `user` and `getent` against a loopback SSH lab host, becoming root there.
final class SystemModuleAccountTests: XCTestCase {
    static var lab: SystemModuleLab?
    override class func setUp() { lab = try? SystemModuleLab() }
    override class func tearDown() { lab?.stop(); lab = nil }
    private func requireLab() throws -> SystemModuleLab { if let lab = Self.lab { return lab }; return try SystemModuleLab() }

    func testGroupUserGetentAsRootOverSSHCreateModifyRemove() throws {
        let lab = try requireLab()
        let tag = String(UUID().uuidString.prefix(6)).lowercased()
        let group = "trg\(tag)", extra = "trx\(tag)", user = "tru\(tag)"
        let gid = Int.random(in: 42000..<43000)
        let home = "\(lab.scratch)/homes/\(user)"
        defer { _ = try? lab.sh("userdel -r \(user) 2>/dev/null; groupdel \(group) 2>/dev/null; groupdel \(extra) 2>/dev/null; true") }
        // sha512-crypt of "secret" (salt "saltsalt"), (crypt(3)).
        let hash = "$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQSpT0Y77vwPZN.Pq.H91p5hVO1"
        let tasks = """
            - name: group
              group: name=\(group) gid=\(gid)
            - name: system group
              group: name=\(extra) system=yes
            - name: user
              user:
                name: \(user)
                group: \(group)
                groups: [\(extra)]
                shell: /bin/sh
                comment: Troupe Test
                home: \(home)
                password: '\(hash)'
                generate_ssh_key: true
                ssh_key_type: ed25519
                ssh_key_comment: troupe
            - name: lookup
              getent: database=passwd key=\(user)
            - name: facts
              assert:
                that:
                  - getent_passwd['\(user)'][4] == '\(home)'
                  - getent_passwd['\(user)'][2] == '\(gid)'
            - name: predicted shell change
              user: name=\(user) shell=/bin/bash
              check_mode: true
            - name: bad user
              user: name=\(user) foo=1
              ignore_errors: true
            - name: bad group
              group: name=\(group) foo=1
              ignore_errors: true
            - name: bad getent
              getent: database=passwd foo=1
              ignore_errors: true
            - name: missing key
              getent: database=passwd key=nobody-\(tag) fail_key=no
        """
        let (rc1, first) = try lab.run(tasks: tasks)
        XCTAssertEqual(rc1, 0, first.lines.joined(separator: "\n") + "\(first.results)")
        XCTAssertEqual(first.result("group")["changed"], true)
        XCTAssertEqual(first.result("group")["gid"], .int(gid))
        XCTAssertEqual(first.result("system group")["system"], true)
        let created = first.result("user")
        XCTAssertEqual(created["changed"], true, "\(created)")
        XCTAssertEqual(created["group"], .int(gid))
        XCTAssertEqual(created["home"], .string(home))
        XCTAssertEqual(created["groups"], .string(extra))
        XCTAssertEqual(created["password"], "NOT_LOGGING_PASSWORD")
        XCTAssertEqual(created["ssh_key_file"], .string(home + "/.ssh/id_ed25519"))
        XCTAssertTrue(created["ssh_public_key"]?.stringValue?.hasPrefix("ssh-ed25519 ") ?? false, "\(created)")
        XCTAssertTrue(created["ssh_fingerprint"]?.stringValue?.contains("troupe (ED25519)") ?? false, "\(created)")
        XCTAssertEqual(try lab.sh("getent shadow \(user) | cut -d: -f2").trimmingCharacters(in: .whitespacesAndNewlines), hash)
        XCTAssertEqual(try lab.sh("id -nG \(user)").split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.sorted(),
                       [extra, group].sorted())
        XCTAssertEqual(try lab.sh("stat -c %U \(home)/.ssh/id_ed25519").trimmingCharacters(in: .whitespacesAndNewlines), user)
        XCTAssertEqual(first.result("predicted shell change")["changed"], true)
        XCTAssertEqual(try lab.sh("getent passwd \(user) | cut -d: -f7").trimmingCharacters(in: .whitespacesAndNewlines), "/bin/sh",
                       "check mode changes nothing")
        XCTAssertEqual(first.result("bad user")["msg"], "Unsupported parameters for (user) module: foo. Supported parameters include: append, authorization, comment, create_home, expires, force, generate_ssh_key, group, groups, hidden, home, local, login_class, move_home, name, non_unique, password, password_expire_account_disable, password_expire_max, password_expire_min, password_expire_warn, password_lock, profile, remove, role, seuser, shell, skeleton, ssh_key_bits, ssh_key_comment, ssh_key_file, ssh_key_passphrase, ssh_key_type, state, system, uid, uid_max, uid_min, umask, update_password (createhome, user).")
        XCTAssertEqual(first.result("bad group")["msg"], "Unsupported parameters for (group) module: foo. Supported parameters include: force, gid, gid_max, gid_min, local, name, non_unique, state, system.")
        XCTAssertEqual(first.result("bad getent")["msg"], "Unsupported parameters for (getent) module: foo. Supported parameters include: database, fail_key, key, service, split.")
        XCTAssertEqual(first.result("missing key")["ansible_facts"], ["getent_passwd": ["nobody-\(tag)": .null]])

        let (rc2, second) = try lab.run(tasks: tasks)
        XCTAssertEqual(rc2, 0)
        for name in ["group", "system group", "user", "lookup"] {
            XCTAssertEqual(second.result(name)["changed"], false, "\(name) on the second run: \(second.result(name))")
        }
        XCTAssertTrue(second.result("user")["warnings"]?.listValue?.first?.stringValue?.hasPrefix("Found existing ssh key private file") ?? false)

        let modify = """
            - name: modify
              user: name=\(user) shell=/bin/bash groups= append=no comment=Changed
            - name: gid change
              group: name=\(group) gid=\(gid + 1)
        """
        let (_, changed) = try lab.run(tasks: modify)
        XCTAssertEqual(changed.result("modify")["changed"], true, "\(changed.result("modify"))")
        XCTAssertEqual(changed.result("modify")["shell"], "/bin/bash")
        XCTAssertEqual(changed.result("gid change")["gid"], .int(gid + 1))
        XCTAssertEqual(try lab.sh("id -nG \(user)").trimmingCharacters(in: .whitespacesAndNewlines), group)
        let (_, again) = try lab.run(tasks: modify)
        XCTAssertEqual(again.result("modify")["changed"], false, "\(again.result("modify"))")

        let remove = """
            - name: remove user
              user: name=\(user) state=absent remove=yes
            - name: remove group
              group: name=\(group) state=absent
        """
        let (_, check) = try lab.run(tasks: remove, check: true)
        XCTAssertEqual(check.result("remove user"), ["changed": true])
        XCTAssertNoThrow(try lab.sh("getent passwd \(user)"))
        let (_, removed) = try lab.run(tasks: remove)
        XCTAssertEqual(removed.result("remove user")["changed"], true)
        XCTAssertEqual(removed.result("remove user")["remove"], true)
        XCTAssertFalse(FileManager.default.fileExists(atPath: home))
        XCTAssertEqual(removed.result("remove group")["changed"], true)
        let (_, gone) = try lab.run(tasks: remove)
        XCTAssertEqual(gone.result("remove user")["changed"], false)
        XCTAssertEqual(gone.result("remove group")["changed"], false)
    }
}
