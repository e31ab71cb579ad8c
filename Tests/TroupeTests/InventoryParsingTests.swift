import XCTest
import Jinja
@testable import Troupe

/// Inventory sources: INI, YAML, host lists, directories, scripts, and malformed input.
final class InventoryParsingTests: XCTestCase {
    /// Each expected JSON was produced by Python's `ast.literal_eval` plus Ansible's
    /// coercions (tuple/set → list, bytes → str, `...` → "...", failure → the text).
    static let literalCases: [(String, String)] = [
        ("1", "1"), ("-1", "-1"), ("+2", "2"), ("1.5", "1.5"), ("-0.5", "-0.5"), ("1e3", "1000.0"),
        ("1_000", "1000"), ("0x1f", "31"), ("0o17", "15"), ("0b101", "5"), ("007", "\"007\""), ("0", "0"),
        ("00", "0"), ("True", "true"), ("False", "false"), ("None", "null"), ("'a'", "\"a\""), ("\"b\"", "\"b\""),
        ("'it''s'", "\"its\""), ("r'\\n'", "\"\\\\n\""), ("'\\n'", "\"\\n\""), ("'\\x41\\u00e9'", "\"A\\u00e9\""),
        ("[1, 2]", "[1, 2]"), ("(1, 2)", "[1, 2]"), ("(1,)", "[1]"), ("()", "[]"), ("{}", "{}"),
        ("{'a': [1, {'b': None}]}", "{\"a\": [1, {\"b\": null}]}"), ("{1: 'x'}", "{\"1\": \"x\"}"), ("{1, 2}", "[1, 2]"),
        ("hello", "\"hello\""), ("hello world", "\"hello world\""), ("1 # comment", "1"), ("yes", "\"yes\""),
        ("1.2.3", "\"1.2.3\""), ("--1", "\"--1\""), ("1+2", "\"1+2\""), ("[1, 2", "\"[1, 2\""),
        ("'unterminated", "\"'unterminated\""), ("...", "\"...\""), ("b'bytes'", "\"bytes\""), ("u'uni'", "\"uni\""),
        ("1, 2", "[1, 2]"), ("[\n1]", "[1]"), ("  7", "7"), ("inf", "\"inf\""), ("-inf", "\"-inf\""),
        ("1e400", "Infinity"), ("{'a':1,}", "{\"a\": 1}"), ("[1,,2]", "\"[1,,2]\""), ("'\\q'", "\"\\\\q\""),
        ("0.1", "0.1"), ("3.0", "3.0"), ("1.0e-5", "1e-05"),
    ]

    func testPythonLiteralMatchesLiteralEval() {
        for (text, json) in Self.literalCases {
            XCTAssertEqual(PythonLiteral.typedValue(text).jsonString, json, "literal \(text.debugDescription)")
        }
    }

    func testHostRanges() throws {
        XCTAssertEqual(try HostRangeExpander.expand("web[01:03]"), ["web01", "web02", "web03"])
        XCTAssertEqual(try HostRangeExpander.expand("web[1:10:3]"), ["web1", "web4", "web7", "web10"])
        XCTAssertEqual(try HostRangeExpander.expand("db-[a:c]"), ["db-a", "db-b", "db-c"])
        XCTAssertEqual(try HostRangeExpander.expand("n[1:2]-[a:b]"), ["n1-a", "n1-b", "n2-a", "n2-b"])
        XCTAssertEqual(try HostRangeExpander.expand("[:2].x"), ["0.x", "1.x", "2.x"])
        XCTAssertEqual(try HostRangeExpander.expand("plain"), ["plain"])
        XCTAssertThrowsError(try HostRangeExpander.expand("web[01:5]")) { error in
            XCTAssertEqual("\(error)", "host range must specify equal-length begin and end formats")
        }
        XCTAssertThrowsError(try HostRangeExpander.expand("web[c:a]"))
        XCTAssertThrowsError(try HostRangeExpander.expand("web[1:2:3:4]"))
        XCTAssertThrowsError(try HostRangeExpander.expand("web[1:]"))
    }

    func testHostAddresses() {
        XCTAssertEqual(HostAddress.parse("host:22", allowRanges: false)?.port, 22)
        XCTAssertEqual(HostAddress.parse("[2001:db8::1]:2222", allowRanges: false)?.host, "2001:db8::1")
        XCTAssertEqual(HostAddress.parse("[2001:db8::1]:2222", allowRanges: false)?.port, 2222)
        XCTAssertNil(HostAddress.parse("fe80::1", allowRanges: false)?.port)
        XCTAssertEqual(HostAddress.parse("fe80::1", allowRanges: false)?.host, "fe80::1")
        XCTAssertNil(HostAddress.parse("web[1:3]", allowRanges: false))
        XCTAssertEqual(HostAddress.parse("web[1:3]:80", allowRanges: true)?.host, "web[1:3]")
        XCTAssertNil(HostAddress.parse("bad host", allowRanges: true))
        XCTAssertTrue(HostAddress.isIPAddress("192.0.2.1"))
        XCTAssertFalse(HostAddress.isIPAddress("web.example.com"))
    }

    func testINITypedValuesAndPositions() throws {
        let inventory = try InventoryFixtures.manager("ini/hosts.ini")
        let solo1 = try XCTUnwrap(inventory.host(named: "solo1"))
        XCTAssertEqual(solo1.vars["count"], .int(3))
        XCTAssertEqual(solo1.vars["ratio"], .float(0.5))
        XCTAssertEqual(solo1.vars["enabled"], .bool(true))
        XCTAssertEqual(solo1.vars["nothing"], .null)
        XCTAssertEqual(solo1.location?.line, 3)
        let solo2 = try XCTUnwrap(inventory.host(named: "solo2"))
        XCTAssertEqual(solo2.port, 2201)
        XCTAssertEqual(solo2.vars["quoted"], "two words")
        XCTAssertEqual(solo2.vars["list"], [1, "a", ["k": nil]])
        let extra = try XCTUnwrap(inventory.host(named: "web-extra.example.com"))
        XCTAssertEqual(extra.vars["tag"], "x#y")
        XCTAssertEqual(extra.vars["hashed"], "a")
        XCTAssertEqual(extra.port, 8443)
        let web = try XCTUnwrap(inventory.group(named: "web"))
        XCTAssertEqual(web.vars["max"], .int(10))
        XCTAssertEqual(web.vars["pair"], [1, 2])
        XCTAssertEqual(web.vars["message"], "hello world # trailing comment stays")
        XCTAssertEqual(web.location?.line, 6)
        XCTAssertEqual(inventory.group(named: "backend")?.priority, 5)
        XCTAssertNil(inventory.group(named: "backend")?.vars["ansible_group_priority"])
        XCTAssertEqual(inventory.group(named: "db")?.depth, 3)
        XCTAssertEqual(inventory.hostNames(inGroup: "odd"), ["node1", "node4", "node7", "10.example.net", "11.example.net", "12.example.net"])
        XCTAssertEqual(solo1.vars["inventory_file"], .string(InventoryFixtures.path("ini/hosts.ini")))
        XCTAssertEqual(solo1.vars["inventory_dir"], .string(InventoryFixtures.path("ini")))
    }

    func testYAMLStructure() throws {
        let inventory = try InventoryFixtures.manager("yaml/hosts.yml")
        let v6 = try XCTUnwrap(inventory.host(named: "2001:db8::1"))
        XCTAssertEqual(v6.port, 2222)
        XCTAssertEqual(inventory.group(named: "webservers")?.parentNames, ["all", "staging"])
        XCTAssertEqual(inventory.group(named: "webservers")?.depth, 2)
        XCTAssertEqual(inventory.hostNames(inGroup: "ipv4"), ["192.0.2.1", "192.0.2.2", "192.0.2.3"])
        XCTAssertEqual(inventory.hostNames(inGroup: "ungrouped"), ["2001:db8::1"])
        let www2 = try XCTUnwrap(inventory.host(named: "www2.example.com"))
        XCTAssertEqual(www2.location?.line, 12)
        XCTAssertEqual(www2.location?.column, 9)
        XCTAssertEqual(inventory.groupNames(for: www2), ["staging", "webservers"])
        XCTAssertEqual(inventory.groupNames(for: try XCTUnwrap(inventory.host(named: "2001:db8::1"))), ["ungrouped"])
    }

    func testYAMLWarnings() throws {
        let dir = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("inv.yml")
        try "all:\n  hosts:\n    a:\n  bogus: {x: 1}\n  strange: 3\ngrp: [1]\n".write(to: file, atomically: true, encoding: .utf8)
        let inventory = try InventoryManager(sources: [file.path])
        XCTAssertEqual(inventory.hosts.map(\.name), ["a"])
        XCTAssertTrue(inventory.warnings.contains("Skipping unexpected key (bogus) in group (all), only \"vars\", \"children\" and \"hosts\" are valid"), "\(inventory.warnings)")
        XCTAssertTrue(inventory.warnings.contains("Skipping key (strange) in group (all) as it is not a mapping, it is a <class 'int'>"))
        XCTAssertTrue(inventory.warnings.contains("Skipping 'grp' as this is not a valid group definition"))
    }

    func testGroupNameWarnings() throws {
        let dir = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("w.ini")
        try "[db-servers]\nh1\n[web]\nweb\n".write(to: file, atomically: true, encoding: .utf8)
        let inventory = try InventoryManager(sources: [file.path])
        // The same two warnings ansible-inventory 2.19 prints for this file, in order.
        XCTAssertEqual(inventory.warnings, [
            "Invalid characters were found in group names but not replaced, use -vvvv to see details",
            "Found both group and host with same name: web",
        ])
        XCTAssertEqual(inventory.host(named: "h1")?.inventoryFile, file.path)
        XCTAssertEqual(inventory.host(named: "h1")?.inventoryDirectory, dir.path)
    }

    func testHostListAndMultipleSources() throws {
        let inventory = try InventoryManager(sources: ["a, b:2222,,c", "c,d"])
        XCTAssertEqual(inventory.hosts.map(\.name), ["a", "b", "c", "d"])
        XCTAssertEqual(inventory.host(named: "b")?.port, 2222)
        XCTAssertEqual(inventory.hostNames(inGroup: "ungrouped"), ["a", "b", "c", "d"])
        XCTAssertEqual(inventory.host(named: "a")?.vars["inventory_file"], "a, b:2222,,c")
        XCTAssertEqual(inventory.host(named: "a")?.vars["inventory_dir"], .null)
        XCTAssertTrue(inventory.warnings.isEmpty, "\(inventory.warnings)")
    }

    func testDirectorySourceSkipsIgnoredFiles() throws {
        let inventory = try InventoryFixtures.manager("dir")
        XCTAssertEqual(inventory.hosts.map(\.name), ["web01", "web02", "app01", "app02", "web03", "app03"])
        XCTAssertNil(inventory.group(named: "ignored"))
        XCTAssertNil(inventory.group(named: "ignored2"))
        XCTAssertEqual(inventory.processedSources.map { ($0 as NSString).lastPathComponent }, ["01-hosts.ini", "02-extra.yml", "hosts"])
    }

    func testUnparseableSourcesWarn() throws {
        let inventory = try InventoryManager(sources: ["/nonexistent/inventory/path"])
        XCTAssertTrue(inventory.isEmpty)
        XCTAssertEqual(inventory.warnings, [
            "Unable to parse /nonexistent/inventory/path as an inventory source",
            "No inventory was parsed, only implicit localhost is available",
        ])
        XCTAssertEqual(try inventory.listHosts("localhost"), ["localhost"])
        XCTAssertEqual(try inventory.listHosts("all"), [])
        XCTAssertEqual(inventory.takeWarnings().count, 2)
        _ = try inventory.listHosts("nosuch")
        _ = try inventory.listHosts("nosuch")
        XCTAssertEqual(inventory.takeWarnings(), ["Could not match supplied host pattern, ignoring: nosuch"])
        XCTAssertEqual(inventory.takeWarnings(), [])
    }

    /// Malformed inventories: (file name, content, message, line, column).
    static let malformed: [(String, String, String, Int, Int)] = [
        ("a.ini", "[web]\nh1\n[bad:vars]\nx=1\n", "Section [bad:vars] not valid for undefined group 'bad'.", 3, 1),
        ("b.ini", "[a:children]\n  nope\n", "Section [a:children] includes undefined group 'nope'.", 2, 1),
        ("c.ini", "\n[g:weird]\n", "Section [g:weird] has unknown type: weird", 2, 1),
        ("d.ini", "[web]\n  h2 x\n", "Expected key=value host variable assignment, got: x", 2, 3),
        ("e.ini", "[ web ]\n", "Invalid section entry: '[ web ]'. Please make sure that there are no spaces in the section entry, and that there are no other invalid characters", 1, 1),
        ("f.ini", "h1 a='open\n", "Error parsing host definition 'h1 a='open': No closing quotation", 1, 1),
        ("g.ini", "web[01:5]\n", "host range must specify equal-length begin and end formats", 1, 1),
        ("h.ini", "host:\n", "Invalid host pattern 'host:' supplied, ending in ':' is not allowed, this character is reserved to provide a port.", 1, 1),
        ("i.ini", "[g:vars]\nnovalue\n[g]\n", "Expected key=value, got: novalue", 2, 1),
        ("j.ini", "[a:children]\nb\n[b:children]\na\n", "Adding group 'a' as child to 'b' creates a recursive dependency loop.", 4, 1),
        ("k.yml", "all:\n  hosts: [a, b]\n", "Invalid \"hosts\" entry for \"all\" group, requires a dictionary, found \"<class 'list'>\" instead.", 2, 10),
        ("l.yml", "all:\n  children:\n    g:\n      hosts:\n        web[1:x]:\n", "invalid literal for int() with base 10: 'x'", 5, 9),
    ]

    func testMalformedInventoryReportsPositions() throws {
        let dir = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, content, message, line, column) in Self.malformed {
            let file = dir.appendingPathComponent(name)
            try content.write(to: file, atomically: true, encoding: .utf8)
            // Ansible's default: warn and carry on without the source.
            let inventory = try InventoryManager(sources: [file.path])
            XCTAssertTrue(inventory.warnings.contains("Unable to parse \(file.path) as an inventory source"), name)
            let error = try XCTUnwrap(inventory.parseErrors.first, name)
            XCTAssertEqual(error.code, .parse, name)
            XCTAssertTrue(error.message.hasSuffix(message), "\(name): \(error.message)")
            XCTAssertEqual(error.location?.file, file.path, name)
            XCTAssertEqual(error.location?.line, line, name)
            XCTAssertEqual(error.location?.column, column, name)
            XCTAssertTrue(inventory.hosts.isEmpty, name)
            // INVENTORY_ANY_UNPARSED_IS_FAILED: the same error is thrown.
            var options = InventoryManager.Options()
            options.failOnUnparsedSource = true
            XCTAssertThrowsError(try InventoryManager(sources: [file.path], options: options), name) { thrown in
                XCTAssertEqual((thrown as? TroupeError)?.location?.line, line, name)
            }
        }
    }

    /// ansible-core's yaml plugin rejects an unquoted number as a host name (issue 12,
    /// inventory_yaml); a quoted one is a name like any other.
    func testYAMLIntegerHostNameIsRejected() throws {
        let dir = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("ints.yml")
        try "all:\n  children:\n    kids:\n      hosts:\n        1234: {}\n".write(to: file, atomically: true, encoding: .utf8)
        let inventory = try InventoryManager(sources: [file.path])
        let error = try XCTUnwrap(inventory.parseErrors.first)
        XCTAssertEqual(error.message, "Host pattern 1234 must be a string. Enclose integers/floats in quotation marks.")
        XCTAssertEqual(error.location?.line, 5)
        XCTAssertTrue(inventory.hosts.isEmpty)
        try "all:\n  hosts:\n    '1234': {}\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try InventoryManager(sources: [file.path]).hosts.map(\.name), ["1234"])
    }

    func testYAMLSyntaxErrorHasPosition() throws {
        let dir = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("broken.yaml")
        try "all:\n  hosts:\n    a: [1, 2\n    b: 3\n".write(to: file, atomically: true, encoding: .utf8)
        let inventory = try InventoryManager(sources: [file.path])
        let error = try XCTUnwrap(inventory.parseErrors.first)
        XCTAssertEqual(error.location?.file, file.path)
        XCTAssertNotNil(error.location?.line)
    }

    func testExecutableScriptSource() throws {
        let dir = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("inventory.sh")
        try """
        #!/bin/sh
        echo '{"web": {"hosts": ["s1", "s2"], "vars": {"v": 1}}, "meta": {"children": ["web"]}, "_meta": {"hostvars": {"s1": {"x": true}}}}'
        """.write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let inventory = try InventoryManager(sources: [script.path])
        XCTAssertEqual(inventory.hosts.map(\.name), ["s1", "s2"])
        XCTAssertEqual(inventory.host(named: "s1")?.vars["x"], .bool(true))
        XCTAssertEqual(inventory.group(named: "web")?.parentNames, ["meta"])
        XCTAssertEqual(inventory.group(named: "web")?.vars["v"], .int(1))
    }
}
