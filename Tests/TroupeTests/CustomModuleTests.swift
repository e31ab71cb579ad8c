import XCTest
import Jinja
@testable import Troupe

/// Custom modules (Ansible's module protocol) and `script`, over real SSH to the test
/// sshd lab through worker processes, plus the controller-side rules (library paths, FQCNs).
final class CustomModuleTests: XCTestCase {
    static var lab: SSHLab?

    override class func setUp() {
        super.setUp()
        lab = try? SSHLab.start(hostCount: 1)
    }

    override class func tearDown() {
        lab?.stop()
        lab = nil
        super.tearDown()
    }

    private func requireLab() throws -> SSHLab {
        if let lab = Self.lab { return lab }
        return try SSHLab.start(hostCount: 1)
    }

    private static let wantJSON = """
    #!/bin/sh
    # WANT_JSON
    echo "motd noise"
    printf '{"changed": true, "me": "%s", "args": %s}\\n' "$0" "$(cat "$1")"
    echo "trailing noise"
    """

    /// An idempotent old-style module: creates `path` with `content` unless it already holds it.
    private static let oldStyle = """
    #!/bin/sh
    . "$1"
    if [ -f "$path" ] && [ "$(cat "$path")" = "$content" ]; then
      echo '{"changed": false}'
    elif [ "$_ansible_check_mode" = True ]; then
      echo '{"changed": true, "msg": "would write"}'
    else
      printf '%s' "$content" > "$path" && echo '{"changed": true, "msg": "written"}'
    fi
    """

    private func run(_ playbook: String, lab: SSHLab, files: [String: String] = [:], check: Bool = false,
                     modulePaths: [String] = [], hostVars: OrderedDict = OrderedDict()) throws -> LabPlaybook {
        try LabPlaybook.run(playbook, lab: lab, files: files, check: check, modulePaths: modulePaths, hostVars: hostVars)
    }

    func testWantJSONModuleFromLibraryIsUploadedOnceAndItsNoiseIgnored() throws {
        let lab = try requireLab()
        let r = try run("""
        - hosts: target
          gather_facts: false
          tasks:
            - name: first
              mymod: {name: demo, count: 3}
            - name: second
              ansible.legacy.mymod: {name: again}
        """, lab: lab, files: ["library/mymod.sh": Self.wantJSON])
        XCTAssertEqual(r.rc, 0, r.recorder.lines.joined(separator: "\n"))
        let first = r.result("first"), second = r.result("second")
        XCTAssertEqual(first["args"], ["name": "demo", "count": 3])
        XCTAssertEqual(first["changed"], true)
        XCTAssertEqual(first["warnings"], ["Module invocation had junk after the JSON data: trailing noise"])
        XCTAssertEqual(second["args"], ["name": "again"])
        let path = try XCTUnwrap(first["me"]?.stringValue)
        XCTAssertTrue(path.hasPrefix("/tmp/troupe-modules."), path)
        XCTAssertEqual(second["me"]?.stringValue, path, "the second task reuses the uploaded module")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "the run removes uploaded modules when it ends")
    }

    func testOldStyleModuleIsIdempotentAndSeesCheckMode() throws {
        let lab = try requireLab()
        let target = lab.workDirectory + "/old-style-\(UUID().uuidString)"
        let playbook = """
        - hosts: target
          gather_facts: false
          tasks:
            - name: write
              roles_module: path=\(target) content="hello world"
        """
        let files = ["roles/r/library/roles_module": Self.oldStyle]
        // The module lives in a role's library/, which a role in the play brings in.
        let withRole = playbook.replacingOccurrences(of: "  tasks:", with: "  roles: [r]\n  tasks:")
        let rolesFiles = files.merging(["roles/r/tasks/main.yml": "- debug: msg=role\n"]) { a, _ in a }

        let checked = try run(withRole, lab: lab, files: rolesFiles, check: true)
        XCTAssertEqual(checked.result("write")["changed"], true)
        XCTAssertEqual(checked.result("write")["msg"], "would write")
        XCTAssertFalse(FileManager.default.fileExists(atPath: target), "check mode changes nothing")

        let first = try run(withRole, lab: lab, files: rolesFiles)
        XCTAssertEqual(first.result("write")["changed"], true, first.recorder.lines.joined(separator: "\n"))
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "hello world")
        let second = try run(withRole, lab: lab, files: rolesFiles)
        XCTAssertEqual(second.result("write")["changed"], false)
        XCTAssertEqual(second.recorder.stats?.perHost["target"]?.changed, 0)
    }

    func testModulePathOptionAndInvalidOutput() throws {
        let lab = try requireLab()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-modpath-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "#!/bin/sh\necho 'not json'\necho oops >&2\nexit 3\n".write(toFile: dir + "/garbage", atomically: true, encoding: .utf8)
        try "echo no interpreter line\n".write(toFile: dir + "/noshebang.sh", atomically: true, encoding: .utf8)
        let r = try run("""
        - hosts: target
          gather_facts: false
          tasks:
            - name: garbage
              garbage:
              ignore_errors: true
            - name: noshebang
              noshebang:
              ignore_errors: true
        """, lab: lab, modulePaths: [dir])
        let garbage = r.result("garbage")
        XCTAssertEqual(garbage["msg"], "Module result deserialization failed: No start of json char found")
        XCTAssertEqual(garbage["module_stdout"], "not json\n")
        XCTAssertEqual(garbage["module_stderr"], "oops\n")
        XCTAssertEqual(garbage["rc"], 3)
        XCTAssertTrue(garbage["exception"]?.stringValue?.contains("<<< caused by >>>") ?? false)
        XCTAssertEqual(r.result("noshebang")["msg"], "module (noshebang) is missing interpreter line")
    }

    func testPythonModuleRunsWithAHostPythonWithoutAnsible() throws {
        let lab = try requireLab()
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else {
            throw XCTSkip("the lab host has no /usr/bin/python3")
        }
        let probe = try SSHLab.sh("/usr/bin/python3 -c 'import ansible.module_utils.basic' && echo importable || echo missing")
        let module = """
        #!/usr/bin/python
        from ansible.module_utils.basic import AnsibleModule
        m = AnsibleModule(argument_spec=dict(name=dict(required=True)), supports_check_mode=True)
        m.exit_json(changed=not m.check_mode, name=m.params['name'])
        """
        let r = try run("""
        - hosts: target
          gather_facts: false
          tasks:
            - name: py
              pymod: {name: x}
              ignore_errors: true
            - name: unknown parameter
              pymod: {name: x, foo: 1}
              ignore_errors: true
        """, lab: lab, files: ["library/pymod.py": module], hostVars: ["ansible_python_interpreter": "/usr/bin/python3"])
        // The module travels packed with its module_utils, so the host's Python needs no ansible.
        XCTAssertEqual(probe.contains("missing"), true, "the lab's /usr/bin/python3 should not have ansible for this test: \(probe)")
        let py = r.result("py")
        XCTAssertEqual(py["changed"], true, "\(py)")
        XCTAssertEqual(py["name"], "x", "\(py)")
        XCTAssertEqual(r.result("unknown parameter")["msg"], "Unsupported parameters for (pymod) module: foo. Supported parameters include: name.")
    }

    func testPythonModuleRunsWhereAnsibleIsImportable() throws {
        // The controller's own interpreter has ansible-core when the conformance oracle is installed.
        let python = "/root/.pyenv/versions/3.11.7/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python),
              (try? SSHLab.sh("\(python) -c 'import ansible.module_utils.basic' && echo ok"))?.contains("ok") == true else {
            throw XCTSkip("no Python with ansible-core on this machine")
        }
        let harness = try PlaybookHarness()
        defer { harness.remove() }
        _ = try harness.write("library/pymod.py", """
        #!/usr/bin/python
        from ansible.module_utils.basic import AnsibleModule
        m = AnsibleModule(argument_spec=dict(name=dict(required=True), state=dict(default='present')), supports_check_mode=True)
        m.exit_json(changed=not m.check_mode, name=m.params['name'], check=m.check_mode)
        """)
        let (rc, rec) = try harness.run("""
        - hosts: localhost
          gather_facts: false
          vars: {ansible_python_interpreter: \(python)}
          tasks:
            - name: py
              pymod: {name: zz}
            - name: checked
              pymod: {name: zz}
              check_mode: true
            - name: bad
              pymod: {name: zz, foo: 1}
              ignore_errors: true
        """)
        XCTAssertEqual(rc, 0, rec.lines.joined(separator: "\n"))
        XCTAssertEqual(rec.results["py"]?.first?["changed"], true)
        XCTAssertEqual(rec.results["checked"]?.first?["check"], true)
        XCTAssertEqual(rec.results["checked"]?.first?["changed"], false)
        XCTAssertEqual(rec.results["bad"]?.first?["msg"],
                       "Unsupported parameters for (pymod) module: foo. Supported parameters include: name, state.")
    }

    func testScriptRunsOnceWithCreatesAndPredictsInCheckMode() throws {
        let lab = try requireLab()
        let marker = lab.workDirectory + "/script-marker-\(UUID().uuidString)"
        let files = ["files/make.sh": "#!/bin/sh\necho \"args: $*\"\npwd\ntouch \"$1\"\n"]
        let playbook = """
        - hosts: target
          gather_facts: false
          tasks:
            - name: make
              script: make.sh \(marker) "two words" chdir=/tmp creates=\(marker)
        """
        let checked = try run(playbook, lab: lab, files: files, check: true)
        XCTAssertEqual(checked.result("make")["changed"], true)
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker), "check mode runs nothing")

        let first = try run(playbook, lab: lab, files: files)
        let made = first.result("make")
        XCTAssertEqual(made["changed"], true, "\(made)")
        XCTAssertEqual(made["stdout_lines"], [.string("args: \(marker) two words"), "/tmp"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: marker))

        let second = try run(playbook, lab: lab, files: files)
        XCTAssertEqual(second.result("make")["skipped"], true)
        XCTAssertEqual(second.result("make")["msg"], .string("\(marker) exists, matching creates option"))
    }

    func testScriptRejectsUnknownParametersAndMissingFiles() throws {
        let lab = try requireLab()
        let r = try run("""
        - hosts: target
          gather_facts: false
          tasks:
            - name: unknown
              script: {cmd: x.sh, foo: 1}
              ignore_errors: true
            - name: missing
              script: nothere.sh
              ignore_errors: true
            - name: no check mode
              script: x.sh
              check_mode: true
            - name: exit code
              script: x.sh 5
              ignore_errors: true
        """, lab: lab, files: ["files/x.sh": "#!/bin/sh\nexit ${1:-0}\n"])
        XCTAssertEqual(r.result("unknown")["msg"],
                       "Unsupported parameters for (script) module: foo. Supported parameters include: _raw_params, chdir, cmd, creates, executable, removes.")
        XCTAssertTrue(r.result("missing")["msg"]?.stringValue?.hasPrefix("Could not find or access 'nothere.sh'\nSearched in:\n") ?? false)
        XCTAssertEqual(r.result("no check mode")["msg"], "Check mode is not supported for this task.")
        XCTAssertEqual(r.result("exit code")["rc"], 5)
        XCTAssertEqual(r.result("exit code")["msg"], "non-zero return code")
    }

    func testBinaryModuleGetsAJSONArgumentsFileAndPythonShebangsUseTheConfiguredInterpreter() throws {
        let lab = try requireLab()
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { throw XCTSkip("no /usr/bin/python3") }
        // cat as a binary module prints its JSON arguments file back: a valid result.
        let cat = try Data(contentsOf: URL(fileURLWithPath: "/bin/cat"))
        let r = try LabPlaybook.run("""
        - hosts: target
          gather_facts: false
          tasks:
            - name: binary
              catmod: {changed: true, answer: 42}
            - name: python old-style
              pyold:
        """, lab: lab, files: ["library/pyold": "#!/usr/bin/python\nimport json, sys\nprint(json.dumps({'exe': sys.executable, 'args': open(sys.argv[1]).read()[:30]}))\n"],
           binaryFiles: ["library/catmod": cat], hostVars: ["ansible_python_interpreter": "/usr/bin/python3"])
        XCTAssertEqual(r.result("binary")["answer"], 42, "\(r.result("binary"))")
        XCTAssertEqual(r.result("binary")["changed"], true)
        XCTAssertEqual(r.result("python old-style")["exe"], "/usr/bin/python3")
        XCTAssertEqual(r.result("python old-style")["args"], "_ansible_check_mode=False _ans")
    }

    func testModulesAndScriptsRunAsTheBecomeUser() throws {
        let lab = try requireLab()
        let r = try LabPlaybook.run("""
        - hosts: target
          gather_facts: false
          become: true
          tasks:
            - name: module as root
              whoami: {a: 1}
            - name: script as root
              script: id.sh
        """, lab: lab, files: ["library/whoami": "#!/bin/sh\n# WANT_JSON\nprintf '{\"uid\": %s, \"args\": %s}' \"$(id -u)\" \"$(cat \"$1\")\"\n",
                              "files/id.sh": "#!/bin/sh\nid -u\n"])
        XCTAssertEqual(r.result("module as root")["uid"], 0, "\(r.result("module as root"))")
        XCTAssertEqual(r.result("module as root")["args"], ["a": 1])
        XCTAssertEqual(r.result("script as root")["stdout"], "0\n", "\(r.result("script as root"))")
    }

    func testModulePathAndLibraryEnvironmentFromTheCommandLine() throws {
        let harness = try PlaybookHarness()
        defer { harness.remove() }
        _ = try harness.write("mods/cli_mod", "#!/bin/sh\n# WANT_JSON\nprintf '{\"changed\": false, \"got\": %s}\\n' \"$(cat \"$1\")\"\n")
        _ = try harness.write("site.yml", "- hosts: localhost\n  gather_facts: false\n  tasks:\n    - cli_mod: {x: 1}\n")
        let dir = harness.directory.path
        let withFlag = try TroupeBinary.run(["playbook", "-i", "localhost,", "-c", "local", "-M", dir + "/mods", "site.yml"], in: dir)
        XCTAssertTrue(withFlag.stdout.contains("ok: [localhost]"), withFlag.stdout)
        let withEnv = try TroupeBinary.run(["playbook", "-i", "localhost,", "-c", "local", "site.yml"], in: dir,
                                           environment: ["ANSIBLE_LIBRARY": dir + "/mods"])
        XCTAssertTrue(withEnv.stdout.contains("ok: [localhost]"), withEnv.stdout)
        let without = try TroupeBinary.run(["playbook", "-i", "localhost,", "-c", "local", "site.yml"], in: dir)
        XCTAssertTrue(without.stdout.contains("couldn't resolve module/action 'cli_mod'"), without.stdout)
        let adhoc = try TroupeBinary.run(["adhoc", "localhost", "-i", "localhost,", "-c", "local", "-M", dir + "/mods",
                                          "-m", "cli_mod", "-a", "x=1"], in: dir)
        XCTAssertTrue(adhoc.stdout.contains("\"got\": {"), adhoc.stdout)
    }

    func testCollectionNamesThatAreNotInstalledFailToParse() throws {
        let harness = try PlaybookHarness()
        defer { harness.remove() }
        XCTAssertThrowsError(try harness.run("""
        - hosts: localhost
          gather_facts: false
          tasks:
            - community.general.thing: {a: 1}
        """)) { error in
            XCTAssertEqual((error as? TroupeError)?.message,
                           "couldn't resolve module/action 'community.general.thing'. This often indicates a misspelling, missing collection, or incorrect module path.")
        }
        XCTAssertEqual(TaskParser.missingCollectionPackage("community.general.thing"), "ansible_collections.community")
        XCTAssertEqual(TaskParser.missingCollectionPackage("ansible.posix.mount"), "ansible_collections.ansible.posix")
        XCTAssertNil(TaskParser.missingCollectionPackage("ansible.builtin.nothing"))
    }

    func testModuleStyleDetection() {
        func style(_ text: String) -> CustomModuleSource.Style { CustomModuleSource(name: "m", data: Data(text.utf8)).style }
        XCTAssertEqual(style("#!/usr/bin/python\nfrom ansible.module_utils.basic import AnsibleModule\n"), .newPython)
        XCTAssertEqual(style("#!/usr/bin/python\nimport ansible.module_utils.basic\n"), .newPython)
        XCTAssertEqual(style("#!/bin/sh\n# WANT_JSON\n"), .wantJSON)
        XCTAssertEqual(style("#!/usr/bin/python\nargs = <<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>\n"), .jsonArgs)
        XCTAssertEqual(style("#!/bin/sh\necho {}\n"), .old)
        XCTAssertEqual(CustomModuleSource(name: "m", data: Data([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x00])).style, .binary)
        XCTAssertEqual(CustomModuleRunner.keyValueArguments(["a": "x y", "b": true, "c": .null]), "a='x y' b=True c=None ")
    }
}
