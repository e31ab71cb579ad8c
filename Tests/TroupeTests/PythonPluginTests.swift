import Foundation
import XCTest

/// Python plugins run through the controller's Python helper: a collection's filter, test,
/// lookup and action plugins by FQCN (the collection is built here), the helper's
/// lifetime, and the error when a plugin's Python is missing.
final class PythonPluginTests: XCTestCase {
    private var work = ""

    override func setUpWithError() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-pyplugins-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: work)
    }

    private func write(_ relative: String, _ text: String) throws {
        let path = work + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// A collection installed under `collections/` next to the playbook, with one plugin of each kind.
    private func writeCollection() throws {
        let root = "collections/ansible_collections/acme/tools"
        try write(root + "/galaxy.yml", "namespace: acme\nname: tools\nversion: 1.0.0\n")
        try write(root + "/plugins/module_utils/wording.py", "def framed(text):\n    return '[' + text + ']'\n")
        try write(root + "/plugins/filter/text.py", """
            from ansible_collections.acme.tools.plugins.module_utils.wording import framed

            class FilterModule:
                def filters(self):
                    return {'frame': framed, 'repeat': lambda value, n=2: [value] * n}
            """)
        try write(root + "/plugins/test/numbers.py", """
            class TestModule:
                def tests(self):
                    return {'positive': lambda value: value > 0}
            """)
        try write(root + "/plugins/lookup/upper.py", """
            from ansible.plugins.lookup import LookupBase

            class LookupModule(LookupBase):
                def run(self, terms, variables=None, **kwargs):
                    return [term.upper() + kwargs.get('suffix', '') for term in terms]
            """)
        try write(root + "/plugins/action/stamp.py", """
            from ansible.plugins.action import ActionBase

            class ActionModule(ActionBase):
                def run(self, tmp=None, task_vars=None):
                    result = super().run(tmp, task_vars)
                    echo = self._execute_module(module_name='ansible.legacy.command',
                                                module_args={'_raw_params': 'echo ' + self._task.args['label']}, task_vars=task_vars)
                    result.update(changed=True, stamped=echo['stdout'] + '@' + task_vars['inventory_hostname'])
                    return result
            """)
    }

    func testCollectionFilterTestLookupAndActionPluginsRunByFQCN() throws {
        try writeCollection()
        try write("play.yml", """
            - hosts: localhost
              connection: local
              gather_facts: false
              tasks:
                - debug:
                    msg: "{{ 'x' | acme.tools.frame }} {{ 'y' | acme.tools.repeat(3) }} {{ 5 is acme.tools.positive }} {{ -1 is acme.tools.positive }}"
                - debug:
                    msg: "{{ lookup('acme.tools.upper', 'ab', 'cd', suffix='!') }}"
                - acme.tools.stamp:
                    label: hello
                  register: stamped
                - debug:
                    msg: "{{ stamped.stamped }} {{ stamped.changed }}"
            """)
        let output = try TroupeBinary.run(["playbook", "-i", "localhost,", "play.yml"], in: work)
        XCTAssertEqual(output.status, 0, output.combined)
        XCTAssertTrue(output.combined.contains(#""msg": "[x] ['y', 'y', 'y'] True False""#), output.combined)
        XCTAssertTrue(output.combined.contains(#""msg": "AB!,CD!""#), output.combined)
        XCTAssertTrue(output.combined.contains(#""msg": "hello@localhost True""#), output.combined)
        XCTAssertTrue(output.combined.contains("changed: [localhost]"), output.combined)
    }

    func testPythonFailuresBecomeTaskErrorsWithAnsibleWording() throws {
        try write("filter_plugins/bad.py", """
            class FilterModule:
                def filters(self):
                    return {'explode': self.explode}
                def explode(self, value):
                    raise RuntimeError('kaboom %s' % value)
            """)
        try write("lookup_plugins/unloadable.py", "raise ImportError('missing dependency xyz')\n")
        try write("action_plugins/crash.py", """
            from ansible.plugins.action import ActionBase

            class ActionModule(ActionBase):
                def run(self, tmp=None, task_vars=None):
                    raise ValueError('the action crashed')
            """)
        try write("play.yml", """
            - hosts: localhost
              connection: local
              gather_facts: false
              tasks:
                - debug:
                    msg: "{{ 1 | explode }}"
                  ignore_errors: true
                - debug:
                    msg: "{{ lookup('unloadable') }}"
                  ignore_errors: true
                - crash:
                  ignore_errors: true
                - debug:
                    msg: "{{ 2 | explode }}"
            """)
        let output = try TroupeBinary.run(["playbook", "-i", "localhost,", "play.yml"], in: work)
        XCTAssertEqual(output.status, 2, output.combined)
        XCTAssertTrue(output.combined.contains("The filter plugin 'explode' failed: kaboom 1"), output.combined)
        XCTAssertTrue(output.combined.contains("The lookup plugin 'unloadable' failed to load: missing dependency xyz"), output.combined)
        XCTAssertTrue(output.combined.contains("the action crashed"), output.combined)
        // The helper survives a plugin's exception: the last task still reaches it.
        XCTAssertTrue(output.combined.contains("The filter plugin 'explode' failed: kaboom 2"), output.combined)
    }

    func testWithoutPythonAnActionPluginFailsNamingItsFileAndWhatToInstall() throws {
        try write("action_plugins/needs_python.py", """
            from ansible.plugins.action import ActionBase

            class ActionModule(ActionBase):
                def run(self, tmp=None, task_vars=None):
                    return {}
            """)
        try write("play.yml", """
            - hosts: localhost
              connection: local
              gather_facts: false
              tasks:
                - needs_python:
            """)
        // No python3 on PATH: the helper cannot start.
        let output = try TroupeBinary.run(["playbook", "-i", "localhost,", "play.yml"], in: work, environment: ["PATH": "/nonexistent"])
        XCTAssertEqual(output.status, 2, output.combined)
        XCTAssertTrue(output.combined.contains("the Python plugin \(work)/action_plugins/needs_python.py needs ansible-core on the controller"),
                      output.combined)
        XCTAssertTrue(output.combined.contains("pip install ansible-core"), output.combined)
    }

    func testALookupTemplatingThroughTroupeCanCallAPythonFilterInTheSameHelper() throws {
        try write("filter_plugins/wrap.py", """
            class FilterModule:
                def filters(self):
                    return {'wrap': lambda value: '<' + value + '>'}
            """)
        try write("lookup_plugins/render.py", """
            from ansible.plugins.lookup import LookupBase

            class LookupModule(LookupBase):
                def run(self, terms, variables=None, **kwargs):
                    return [self._templar.template('{{ ' + term + ' | wrap }}') for term in terms]
            """)
        try write("play.yml", """
            - hosts: localhost
              connection: local
              gather_facts: false
              vars:
                word: nested
              tasks:
                - debug:
                    msg: "{{ lookup('render', 'word') }}"
            """)
        let output = try TroupeBinary.run(["playbook", "-i", "localhost,", "play.yml"], in: work)
        XCTAssertEqual(output.status, 0, output.combined)
        XCTAssertTrue(output.combined.contains(#""msg": "<nested>""#), output.combined)
    }

    func testTheHelperExitsWithTroupe() throws {
        try write("filter_plugins/plain.py", """
            import os

            class FilterModule:
                def filters(self):
                    return {'helper_pid': lambda value: os.getpid()}
            """)
        try write("play.yml", """
            - hosts: localhost
              connection: local
              gather_facts: false
              tasks:
                - debug:
                    msg: "helper={{ 0 | helper_pid }}"
            """)
        let output = try TroupeBinary.run(["playbook", "-i", "localhost,", "play.yml"], in: work)
        XCTAssertEqual(output.status, 0, output.combined)
        let pid = try XCTUnwrap(output.combined.components(separatedBy: "helper=").dropFirst().first?.prefix { $0.isNumber })
        XCTAssertFalse(pid.isEmpty, output.combined)
        // TroupeBinary.run returns once every writer of its pipe closed, the helper's stderr
        // included; the helper must be gone (reaped, not a zombie or an orphan) soon after.
        let deadline = Date().addingTimeInterval(5)
        while FileManager.default.fileExists(atPath: "/proc/\(pid)") && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/proc/\(pid)"), "helper \(pid) outlived troupe")
    }
}
