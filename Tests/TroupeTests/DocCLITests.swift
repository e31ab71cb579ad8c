import Foundation
import XCTest

/// `troupe doc` with the built binary: native modules documented from the controller's
/// ansible-core sources or, without them, from Troupe's argument spec; collection modules
/// from their own DOCUMENTATION.
final class DocCLITests: XCTestCase {
    private var directory: String!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-doc-\(UUID().uuidString)").path
        let modules = "\(directory!)/collections/ansible_collections/acme/tools/plugins/modules"
        try FileManager.default.createDirectory(atPath: modules, withIntermediateDirectories: true)
        try #"""
            #!/usr/bin/python
            DOCUMENTATION = r'''
            module: hello
            short_description: Says hello to C(name)
            description:
              - Prints a greeting.
            options:
              name:
                description: Whom to greet.
                type: str
                required: true
            author: Acme Team
            '''
            EXAMPLES = '''
            - acme.tools.hello:
                name: world
            '''
            print('{}')
            """#.write(toFile: "\(modules)/hello.py", atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }

    private func doc(_ arguments: [String], _ environment: [String: String] = [:]) throws -> TroupeBinary.Output {
        var env = ["ANSIBLE_COLLECTIONS_PATH": "\(directory!)/collections"]
        env.merge(environment) { $1 }
        return try TroupeBinary.run(["doc"] + arguments, in: directory, environment: env, closedInput: true)
    }

    func testNativeModuleFromAnsibleCoreDocumentation() throws {
        let ping = try doc(["ping"])
        XCTAssertEqual(ping.status, 0, ping.combined)
        XCTAssertTrue(ping.stdout.hasPrefix("> MODULE ansible.builtin.ping ("), ping.stdout)
        XCTAssertTrue(ping.stdout.contains("returns `pong' on successful"), "markup rendered as ansible-doc does: \(ping.stdout)")
        XCTAssertTrue(ping.stdout.contains("- data\n"), ping.stdout)
        XCTAssertTrue(ping.stdout.contains("        default: pong\n        type: str\n"), ping.stdout)
        XCTAssertTrue(ping.stdout.contains("TROUPE: native: Troupe implements it in Swift"), ping.stdout)
        XCTAssertTrue(ping.stdout.contains("EXAMPLES:\n"), ping.stdout)

        let snippet = try doc(["-s", "ansible.builtin.ping"])
        XCTAssertTrue(snippet.stdout.hasPrefix("- name: Try to connect to host, verify a usable python and return"), snippet.stdout)
        XCTAssertTrue(snippet.stdout.contains("  ansible.builtin.ping:\n      data:"), snippet.stdout)

        let json = try doc(["-j", "ping"])
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let entry = parsed?["ansible.builtin.ping"] as? [String: Any]
        let options = (entry?["doc"] as? [String: Any])?["options"] as? [String: Any]
        XCTAssertNotNil(options?["data"], json.stdout)
        XCTAssertNotNil(entry?["examples"] as? String)
    }

    func testNativeModuleFromTheArgumentSpecWithoutAnsibleCore() throws {
        let lineinfile = try doc(["lineinfile"], ["TROUPE_ANSIBLE_CORE_DIR": ""])
        XCTAssertEqual(lineinfile.status, 0, lineinfile.combined)
        XCTAssertTrue(lineinfile.stdout.hasPrefix("> MODULE ansible.builtin.lineinfile (native in Troupe)"), lineinfile.stdout)
        XCTAssertTrue(lineinfile.stdout.contains("= path\n        type: path\n        aliases: dest, destfile, name\n"), lineinfile.stdout)
        XCTAssertTrue(lineinfile.stdout.contains("- state\n        default: present\n        type: str\n        choices: [absent, present]\n"), lineinfile.stdout)
    }

    func testCollectionModulesListingAndOtherPluginTypes() throws {
        let listed = try doc(["-l"])
        XCTAssertEqual(listed.status, 0, listed.combined)
        XCTAssertTrue(listed.stdout.contains("ansible.builtin.copy "), listed.stdout)
        XCTAssertTrue(listed.stdout.contains("acme.tools.hello") && listed.stdout.contains("Says hello to `name'"), listed.stdout)

        let hello = try doc(["acme.tools.hello"])
        XCTAssertEqual(hello.status, 0, hello.combined)
        XCTAssertTrue(hello.stdout.contains("= name\n        Whom to greet.\n        type: str\n"), hello.stdout)
        XCTAssertTrue(hello.stdout.contains("TROUPE: Python module from its collection"), hello.stdout)
        XCTAssertTrue(hello.stdout.contains("AUTHOR: Acme Team"), hello.stdout)
        XCTAssertTrue(hello.stdout.contains("EXAMPLES:\n- acme.tools.hello:\n    name: world\n"), hello.stdout)

        let lookups = try doc(["-t", "lookup", "-l"])
        XCTAssertTrue(lookups.stdout.contains("ansible.builtin.env "), lookups.stdout)
        let filter = try doc(["-t", "filter", "to_nice_yaml"])
        XCTAssertEqual(filter.status, 0, filter.combined)
        XCTAssertTrue(filter.stdout.hasPrefix("> PLUGIN ansible.builtin.to_nice_yaml"), filter.stdout)

        let missing = try doc(["no_such_module"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.combined.contains("[WARNING]: no_such_module was not found"), missing.combined)
    }
}
