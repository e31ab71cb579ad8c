import XCTest
import Jinja
@testable import Troupe

/// Roles, imports and includes, include_vars, add_host/group_by.
final class StructureTests: XCTestCase {
    var harness: PlaybookHarness!
    override func setUpWithError() throws { harness = try PlaybookHarness() }
    override func tearDown() { harness.remove() }

    func testRolesWithDependenciesHandlersAndDedup() throws {
        _ = try harness.write("roles/base/tasks/main.yml", "- name: base task\n  command: echo base\n  notify: base handler\n")
        _ = try harness.write("roles/base/handlers/main.yml", "- name: base handler\n  debug: msg=handled\n")
        _ = try harness.write("roles/web/meta/main.yml", "dependencies:\n  - base\n")
        _ = try harness.write("roles/web/tasks/main.yml", "- name: web task\n  debug: msg=web\n")
        _ = try harness.write("roles/db/meta/main.yml", "dependencies: [base]\n")
        _ = try harness.write("roles/db/tasks/main.yml", "- name: db task\n  debug: msg=db\n")
        let (rc, rec) = try harness.run("""
        - hosts: localhost
          gather_facts: false
          roles:
            - web
            - role: db
          tasks:
            - name: play task
              debug: msg=play
        """)
        XCTAssertEqual(rc, 0)
        XCTAssertEqual(rec.lines.filter { !$0.hasPrefix("ok") && !$0.hasPrefix("changed") },
                       ["play localhost", "task base : base task", "task web : web task", "task db : db task",
                        "task play task", "handler base : base handler"])
    }

    func testImportTasksIsStaticAndInheritsKeywords() throws {
        _ = try harness.write("sub.yml", "- name: imported one\n  debug: msg=1\n- name: imported two\n  debug: msg=2\n")
        let (_, rec) = try harness.run("""
        - hosts: localhost
          gather_facts: false
          tasks:
            - import_tasks: sub.yml
              when: false
        """)
        XCTAssertEqual(rec.lines, ["play localhost", "task imported one", "skipped localhost", "task imported two", "skipped localhost"])
    }

    func testIncludeTasksIsDynamicWithLoopsAndCountsAsOk() throws {
        _ = try harness.write("sub.yml", "- name: inner\n  debug: msg=x\n")
        let (rc, rec) = try harness.run("""
        - hosts: localhost
          gather_facts: false
          tasks:
            - name: inc
              include_tasks: sub.yml
            - name: inc loop
              include_tasks: sub.yml
              loop: [a, b]
            - name: inc skipped
              include_tasks: sub.yml
              when: false
        """)
        XCTAssertEqual(rc, 0)
        // As in ansible, the include task itself reports ok (and its loop items), then its tasks run.
        XCTAssertEqual(rec.lines, ["play localhost", "task inc", "ok localhost", "task inner", "ok localhost",
                                   "task inc loop", "item-ok localhost", "item-ok localhost", "ok localhost",
                                   "task inner", "ok localhost", "task inner", "ok localhost", "task inc skipped", "skipped localhost"])
        let s = try XCTUnwrap(rec.stats?.perHost["localhost"])
        XCTAssertEqual([s.ok, s.skipped], [6, 1])
    }

    func testIncludeVarsAndAddHost() throws {
        _ = try harness.write("vars/extra.yml", "from_file: 42\n")
        let (rc, rec) = try harness.run("""
        - hosts: localhost
          gather_facts: false
          tasks:
            - name: load
              include_vars: vars/extra.yml
            - name: add
              add_host:
                name: newhost
                groups: [added]
                ansible_connection: local
                marker: 7
        - hosts: added
          gather_facts: false
          tasks:
            - name: on new host
              command: echo hi
        """)
        XCTAssertEqual(rc, 0)
        XCTAssertTrue(rec.lines.contains("changed newhost"), "\(rec.lines)")
        XCTAssertEqual(rec.results["load"]?.first?["ansible_facts"]?["from_file"], 42)
    }
}

extension StructureTests {
    func testJsonfileFactCacheAndSmartGathering() throws {
        var options = ExecutionOptions()
        options.gathering = "smart"
        options.factCaching = "jsonfile"
        options.factCachingConnection = harness.directory.appendingPathComponent("cache").path
        let playbook = """
        - hosts: localhost
          tasks:
            - name: remember
              set_fact:
                remembered: 42
                cacheable: true
        """
        let (_, first) = try harness.run(playbook, options: options)
        XCTAssertTrue(first.lines.contains("task Gathering Facts"))
        let cacheFile = harness.directory.appendingPathComponent("cache/s1_localhost").path
        let payload = try Value.parseJSON(String(contentsOfFile: cacheFile, encoding: .utf8))["__payload__"]?.stringValue
        let cached = try Value.parseJSON(try XCTUnwrap(payload))
        XCTAssertEqual(cached["remembered"], 42)
        XCTAssertNotNil(cached["ansible_hostname"])
        // A second run finds the facts cached: no gathering, and the cacheable fact is back.
        let (rc, second) = try harness.run("""
        - hosts: localhost
          tasks:
            - name: show
              assert:
                that: remembered == 42 and ansible_facts.hostname is string
        """, options: options)
        XCTAssertEqual(rc, 0, second.lines.joined(separator: "\\n"))
        XCTAssertFalse(second.lines.contains("task Gathering Facts"))
    }
}

extension StructureTests {
    func testMetaEndRoleSkipsTheRestOfTheRole() throws {
        _ = try harness.write("roles/short/tasks/main.yml", """
        - name: first
          debug: msg=1
        - name: stop here
          meta: end_role
        - name: skipped by end_role
          debug: msg=2
        """)
        let (rc, rec) = try harness.run("""
        - hosts: localhost
          gather_facts: false
          roles: [short]
          tasks:
            - name: after the role
              debug: msg=3
        """)
        XCTAssertEqual(rc, 0)
        XCTAssertEqual(rec.lines.filter { $0.hasPrefix("task") },
                       ["task short : first", "task short : stop here", "task after the role"])
    }
}

extension StructureTests {
    func testVaultPasswordFromTheAPIDecryptsValues() throws {
        let secret = VaultSecret(password: "api-pw")
        let block = try Vault.encrypt(Data("from-the-api".utf8), secret: secret)
        let indented = block.split(separator: "\n").map { "        " + $0 }.joined(separator: "\n")
        let path = try harness.write("site.yml", """
        - hosts: localhost
          gather_facts: false
          vars:
            token: !vault |
        \(indented)
          tasks:
            - name: show
              debug:
                msg: "{{ token }}"
        """)
        let inventory = StaticInventory()
        let loader = DataLoader(baseDirectory: harness.directory.path)
        let vm = VariableManager(inventory: inventory, templar: Templar(baseDirectory: harness.directory.path))
        let recorder = RecordingCallback()
        let executor = PlaybookExecutor(playbooks: [path], inventory: inventory, variableManager: vm, loader: loader,
                                        options: ExecutionOptions(), passwords: ["vault_pass": "api-pw"], callbacks: [recorder])
        XCTAssertEqual(try executor.run(), 0)
        XCTAssertEqual(recorder.results["show"]?.first?["msg"], "from-the-api")
    }
}
