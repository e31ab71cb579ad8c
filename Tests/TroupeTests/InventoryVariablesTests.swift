import XCTest
import Jinja
@testable import Troupe

/// Variable layers, magic variables, run-time changes, thread safety and scale.
final class InventoryVariablesTests: XCTestCase {
    private func layer(_ layers: [VariableLayer], _ kind: VariableLayer.Kind) -> OrderedDict {
        layers.first { $0.kind == kind }?.variables ?? OrderedDict()
    }

    func testLayersSeparateInventoryAndPlaybookFiles() throws {
        let inventory = try InventoryFixtures.manager("dir")
        try inventory.loadPlaybookAdjacentVars(directory: InventoryFixtures.path("playbook"))
        let web01 = try XCTUnwrap(inventory.host(named: "web01"))
        let layers = try inventory.variableLayers(for: web01)
        XCTAssertEqual(layers.map(\.kind), VariableLayer.Kind.allCases)
        XCTAssertEqual(layer(layers, .inventoryGroupVarsAll)["common"], "from-group_vars-all")
        XCTAssertEqual(layer(layers, .playbookGroupVarsAll)["common"], "playbook-common")
        XCTAssertEqual(layer(layers, .inventoryGroupVarsFiles)["override_me"], "web-extra")
        XCTAssertEqual(layer(layers, .inventoryGroupVarsFiles)["web_extra"], ["a", "b"])
        XCTAssertEqual(layer(layers, .playbookGroupVarsFiles)["override_me"], "playbook-web")
        XCTAssertEqual(layer(layers, .inventoryHostVarsFiles)["host_specific"], "web01")
        XCTAssertEqual(layer(layers, .playbookHostVarsFiles)["override_me"], "playbook-host")
        XCTAssertEqual(layer(layers, .inventoryHostVars)["inventory_file"], .string(InventoryFixtures.path("dir/01-hosts.ini")))
        // Merged in order, as ansible-playbook resolves them (verified with a debug task).
        XCTAssertEqual(try inventory.mergedVariables(for: web01)["override_me"], "playbook-host")
        let web02 = try XCTUnwrap(inventory.host(named: "web02"))
        XCTAssertEqual(try inventory.mergedVariables(for: web02)["override_me"], "playbook-web")
        // The extensionless group_vars/app file wins over group_vars/app.yml.
        let app01 = try XCTUnwrap(inventory.host(named: "app01"))
        let appFiles = layer(try inventory.variableLayers(for: app01), .inventoryGroupVarsFiles)
        XCTAssertEqual(appFiles["app_from_file_without_ext"], .bool(true))
        XCTAssertNil(appFiles["shadowed_by_extensionless_file"])
        inventory.clearPlaybookAdjacentVars()
        XCTAssertEqual(try inventory.mergedVariables(for: web01)["override_me"], "host")
    }

    func testGroupVarsOrderByDepthPriorityName() throws {
        let inventory = try InventoryFixtures.manager("yaml/hosts.yml")
        let www1 = try XCTUnwrap(inventory.host(named: "www1.example.com"))
        let groupVars = layer(try inventory.variableLayers(for: www1), .inventoryGroupVars)
        XCTAssertEqual(groupVars["tier"], "web")
        XCTAssertEqual(groupVars["ntp"], "time.example.com")
        XCTAssertEqual(groupVars.keys.first, "ntp")

        let dir = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("prio.ini")
        try "[a]\nh\n[b]\nh\n[a:vars]\nx=a\n[b:vars]\nx=b\n".write(to: file, atomically: true, encoding: .utf8)
        let byName = try InventoryManager(sources: [file.path])
        XCTAssertEqual(try byName.mergedVariables(for: try XCTUnwrap(byName.host(named: "h")))["x"], "b")
        try "[a]\nh\n[b]\nh\n[a:vars]\nx=a\nansible_group_priority=2\n[b:vars]\nx=b\n".write(to: file, atomically: true, encoding: .utf8)
        let byPriority = try InventoryManager(sources: [file.path])
        XCTAssertEqual(try byPriority.mergedVariables(for: try XCTUnwrap(byPriority.host(named: "h")))["x"], "a")
    }

    func testMagicVariables() throws {
        let inventory = try InventoryFixtures.manager("ini/hosts.ini")
        let web01 = try XCTUnwrap(inventory.host(named: "web01"))
        let magic = inventory.magicVariables(for: web01)
        XCTAssertEqual(magic["group_names"], ["prod", "web"])
        XCTAssertEqual(magic["inventory_hostname_short"], "web01")
        let extra = try XCTUnwrap(inventory.host(named: "web-extra.example.com"))
        XCTAssertEqual(inventory.magicVariables(for: extra)["inventory_hostname_short"], "web-extra")
        let groups = inventory.groupsVariable
        XCTAssertEqual(groups.keys.prefix(3), ["all", "ungrouped", "web"])
        XCTAssertEqual(groups["ungrouped"], ["solo1", "solo2"])
        XCTAssertEqual(groups["backend"]?.listValue?.count, 10)
        XCTAssertEqual(groups["all"]?.listValue?.count, 17)
    }

    func testAddHostAndGroupAtRunTime() throws {
        let inventory = try InventoryFixtures.manager("ini/hosts.ini")
        XCTAssertTrue(try inventory.addHost(name: "new1", groups: ["dynamic", "web"], vars: OrderedDict([("k", "v")])))
        XCTAssertFalse(try inventory.addHost(name: "new1", groups: ["dynamic"], vars: OrderedDict([("k", "v")])))
        XCTAssertEqual(try inventory.listHosts("dynamic"), ["new1"])
        XCTAssertTrue(try inventory.listHosts("web").contains("new1"))
        XCTAssertEqual(inventory.host(named: "new1")?.vars["k"], "v")
        XCTAssertEqual(inventory.hostNames(inGroup: "ungrouped"), ["solo1", "solo2"])
        XCTAssertEqual(inventory.group(named: "dynamic")?.parentNames, ["all"])

        XCTAssertTrue(try inventory.addGroup(name: "os_linux", parents: ["by_os"], host: "solo1"))
        XCTAssertEqual(try inventory.listHosts("by_os"), ["solo1"])
        XCTAssertEqual(inventory.groupNames(for: try XCTUnwrap(inventory.host(named: "solo1"))), ["by_os", "os_linux"])
        XCTAssertThrowsError(try inventory.addGroup(name: "x", host: "unknown-host"))

        // refresh() re-reads the sources and replays run-time additions.
        try inventory.refresh()
        XCTAssertEqual(try inventory.listHosts("dynamic"), ["new1"])
        XCTAssertEqual(try inventory.listHosts("by_os"), ["solo1"])
    }

    func testConcurrentReadsDuringWrites() throws {
        let inventory = try InventoryFixtures.manager("patterns/hosts.ini")
        let failures = WarningCollector()
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            do {
                if i % 8 == 0 {
                    try inventory.addHost(name: "dyn\(i)", groups: ["dyn"])
                } else {
                    let hosts = try inventory.hosts(matching: "web:&east")
                    if hosts.map(\.name) != ["web1", "web2"] { failures.add("got \(hosts)") }
                    _ = try inventory.variableLayers(for: hosts[0])
                }
            } catch {
                failures.add("\(error)")
            }
        }
        XCTAssertEqual(failures.messages, [])
        XCTAssertEqual(try inventory.hosts(matching: "dyn").count, 8)
    }

    func testLargeInventoryIsFast() throws {
        let dir = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var text = ""
        for g in 0..<20 { text += "[g\(g)]\nhost[\(String(format: "%03d", g * 25)):\(String(format: "%03d", g * 25 + 24))] idx=\(g)\n[g\(g):vars]\nv\(g)=\(g)\n" }
        text += "[even:children]\n" + stride(from: 0, to: 20, by: 2).map { "g\($0)" }.joined(separator: "\n") + "\n"
        let file = dir.appendingPathComponent("big.ini")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let start = Date()
        let inventory = try InventoryManager(sources: [file.path])
        XCTAssertEqual(inventory.hosts.count, 500)
        XCTAssertEqual(try inventory.hosts(matching: "even:!g0:host1*").count, 275)
        for host in inventory.hosts { _ = try inventory.variableLayers(for: host) }
        _ = try InventoryReport.list(inventory)
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
    }

    func testImplicitLocalhostVariables() throws {
        // Checked with `ansible-inventory --host localhost`: x comes from group_vars/all
        // (over [all:vars]), y from [all:vars].
        let dir = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("group_vars"), withIntermediateDirectories: true)
        try "x: 2\n".write(to: dir.appendingPathComponent("group_vars/all.yml"), atomically: true, encoding: .utf8)
        try "h1\n[all:vars]\nx=1\ny=1\n".write(to: dir.appendingPathComponent("hosts.ini"), atomically: true, encoding: .utf8)
        let inventory = try InventoryManager(sources: [dir.appendingPathComponent("hosts.ini").path])
        let local = try XCTUnwrap(inventory.host(named: "localhost"))
        let vars = try inventory.mergedVariables(for: local)
        XCTAssertEqual(vars["x"], .int(2))
        XCTAssertEqual(vars["y"], .int(1))
        XCTAssertEqual(vars["ansible_connection"], "local")
        XCTAssertEqual(inventory.groupNames(for: local), [])
    }

    func testVaultedVarsFilesDecryptWithTheRunsSecrets() throws {
        let dir = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("host_vars"), withIntermediateDirectories: true)
        let secret = VaultSecret(password: "pw")
        let encrypted = try Vault.encrypt(Data("secret_port: 8443\n".utf8), secret: secret)
        try encrypted.write(to: dir.appendingPathComponent("host_vars/h1.yml"), atomically: true, encoding: .utf8)
        try "h1\n".write(to: dir.appendingPathComponent("hosts.ini"), atomically: true, encoding: .utf8)
        var options = InventoryManager.Options()
        options.vaultSecrets = [secret]
        let inventory = try InventoryManager(sources: [dir.appendingPathComponent("hosts.ini").path], options: options)
        let vars = try inventory.mergedVariables(for: try XCTUnwrap(inventory.host(named: "h1")))
        XCTAssertEqual(vars["secret_port"], 8443)
        // Without the secret, loading fails and names the file, as ansible does.
        XCTAssertThrowsError(try InventoryManager(sources: [dir.appendingPathComponent("hosts.ini").path])
            .mergedVariables(for: XCTUnwrap(inventory.host(named: "h1")))) { error in
            XCTAssertTrue("\(error)".contains("host_vars/h1.yml"), "\(error)")
        }
    }

    func testMalformedVarsFileFailsLoad() throws {
        let dir = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("group_vars"), withIntermediateDirectories: true)
        try "- a\n- b\n".write(to: dir.appendingPathComponent("group_vars/all.yml"), atomically: true, encoding: .utf8)
        try "h1\n".write(to: dir.appendingPathComponent("hosts.ini"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try InventoryManager(sources: [dir.appendingPathComponent("hosts.ini").path])) { error in
            XCTAssertEqual((error as? TroupeError)?.location?.line, 1)
            XCTAssertTrue("\(error)".contains("group_vars/all.yml"))
        }
    }
}
