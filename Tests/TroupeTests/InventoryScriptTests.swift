import Foundation
import XCTest

/// Inventory scripts as ansible-core 2.19's `script` plugin reads them: untrusted values
/// (`{"__ansible_unsafe": …}`) stay untrusted and are printed back as such, legacy forms
/// give its deprecations, and the script's stderr is shown. Golden files recorded with
/// ansible-inventory 2.19 (Fixtures/inventory/golden/script-trust.*).
final class InventoryScriptTests: XCTestCase {
    private var directory: String { InventoryFixtures.path("script") }

    func testUntrustedValuesDeprecationsAndStderrAsAnsibleInventoryPrintsThem() throws {
        let output = try TroupeBinary.run(["inventory", "-i", "./trust.py", "--list", "--export"], in: directory, closedInput: true)
        XCTAssertEqual(output.status, 0, output.combined)
        // stdout and stderr arrive merged: the messages first (the inventory is read before anything is printed).
        let expected = try InventoryFixtures.golden("script-trust.stderr.txt") + "\n" + InventoryFixtures.golden("script-trust.list-export.json") + "\n"
        XCTAssertEqual(output.combined.replacingOccurrences(of: directory, with: "<dir>"), expected)
    }

    func testUntrustedScriptValuesAreNeverTemplated() throws {
        let playbook = NSTemporaryDirectory() + "troupe-script-trust-\(UUID().uuidString).yml"
        try """
        - hosts: h1
          gather_facts: false
          connection: local
          tasks:
            - debug: var=secret
        """.write(toFile: playbook, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: playbook) }
        let output = try TroupeBinary.run(["playbook", "-i", "./trust.py", playbook], in: directory, closedInput: true)
        XCTAssertEqual(output.status, 0, output.combined)
        XCTAssertTrue(output.stdout.contains("\"secret\": \"{{ nope }}\""), output.combined)
    }
}
