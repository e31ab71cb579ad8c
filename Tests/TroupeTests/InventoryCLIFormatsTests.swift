import Foundation
import XCTest

/// `troupe inventory`'s YAML and TOML output, `-e`, `--output` and the vault options,
/// compared byte for byte with ansible-inventory 2.19's output (golden files in
/// Fixtures/inventory/golden, recorded with tomli-w installed for TOML).
final class InventoryCLIFormatsTests: XCTestCase {
    private var directory: String { InventoryFixtures.path("") }

    private func assertGolden(_ arguments: [String], _ golden: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let output = try TroupeBinary.run(["inventory"] + arguments, in: directory, closedInput: true)
        XCTAssertEqual(output.status, 0, output.combined, file: file, line: line)
        let expected = try InventoryFixtures.golden(golden)
        XCTAssertEqual(output.stdout, expected.hasSuffix("\n") ? expected : expected + "\n", "\(golden)", file: file, line: line)
    }

    func testYAMLAndTOMLListsAsAnsibleInventoryWritesThem() throws {
        try assertGolden(["-i", "edge/hosts", "--list", "--yaml"], "edge.list.yaml")
        try assertGolden(["-i", "edge/hosts", "--list", "--toml"], "edge.list.toml")
        try assertGolden(["-i", "edge/hosts", "--list", "--toml", "--export"], "edge.list-export.toml")
        try assertGolden(["-i", "yaml/hosts.yml", "--list", "--toml"], "yaml.list.toml")
        try assertGolden(["-i", "yaml/hosts.yml", "--list", "--yaml", "--export"], "yaml.list-export.yaml")
        try assertGolden(["-i", "dir", "--list", "--toml"], "dir.list.toml")
        try assertGolden(["-i", "ini/hosts.ini", "--host", "solo2", "--yaml"], "ini.host-solo2.yaml")
        try assertGolden(["-i", "ini/hosts.ini", "--list", "-y", "--export"], "ini.list-export.yaml")
        try assertGolden(["-i", "formats/hosts.yml", "--list", "--yaml", "-l", "app"], "formats.list-limit.yaml")
    }

    func testExtraVarsAndVaultedValues() throws {
        // -e reaches every host's variables (not --export); vaulted values print as
        // {"__ansible_vault": …} in JSON and decrypted in --graph --vars.
        try assertGolden(["-i", "formats/hosts.yml", "--list", "--vault-password-file", "formats/vault-password.txt",
                          "-e", "extra=1", "-e", "@formats/extra.yml"], "formats.list.json")
        try assertGolden(["-i", "formats/hosts.yml", "--host", "app1", "--yaml", "-e", "x=y"], "formats.host-app1.yaml")
        try assertGolden(["-i", "formats/hosts.yml", "--graph", "--vars", "-e", "extra=1",
                          "--vault-password-file", "formats/vault-password.txt"], "formats.graph-vars.txt")
        let locked = try TroupeBinary.run(["inventory", "-i", "formats/hosts.yml", "--graph", "--vars"], in: directory, closedInput: true)
        XCTAssertEqual(locked.status, 1)
        XCTAssertTrue(locked.combined.contains("[ERROR]: Attempting to decrypt but no vault secrets found."), locked.combined)
    }

    func testOutputFileAndErrors() throws {
        let target = NSTemporaryDirectory() + "troupe-inventory-\(UUID().uuidString).yaml"
        defer { try? FileManager.default.removeItem(atPath: target) }
        let written = try TroupeBinary.run(["inventory", "-i", "edge/hosts", "--list", "--yaml", "--output", target], in: directory, closedInput: true)
        XCTAssertEqual(written.status, 0, written.combined)
        XCTAssertEqual(written.stdout, "")
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), try InventoryFixtures.golden("edge.list.yaml") + "\n")

        // ansible-inventory crashes here (rc 250, "Unexpected Exception"); Troupe names the problem and exits 1.
        let none = try TroupeBinary.run(["inventory", "-i", "ini/hosts.ini", "--list", "--toml"], in: directory, closedInput: true)
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.combined.contains("[ERROR]: Object of type 'NoneType' is not TOML serializable"), none.combined)
        let vaulted = try TroupeBinary.run(["inventory", "-i", "formats/hosts.yml", "--host", "app1", "--toml"], in: directory, closedInput: true)
        XCTAssertEqual(vaulted.status, 1)
        XCTAssertTrue(vaulted.combined.contains("[ERROR]: Object of type 'EncryptedString' is not TOML serializable"), vaulted.combined)

        let conflicting = try TroupeBinary.run(["inventory", "-i", "edge/hosts", "--list", "--graph"], in: directory, closedInput: true)
        XCTAssertEqual(conflicting.status, 5)
        XCTAssertTrue(conflicting.combined.contains("Conflicting options used, only one of --host, --graph or --list can be used at the same time."),
                      conflicting.combined)
        let unwritable = try TroupeBinary.run(["inventory", "-i", "edge/hosts", "--list", "--output", "/nonexistent/dir/out.json"],
                                              in: directory, closedInput: true)
        XCTAssertEqual(unwritable.status, 1)
        XCTAssertTrue(unwritable.combined.contains(
            "[ERROR]: Unable to write to destination file '/nonexistent/dir/out.json': [Errno 2] No such file or directory: b'/nonexistent/dir/out.json'"),
            unwritable.combined)
    }
}
