import XCTest
import Foundation
@testable import Troupe

/// Password sources: files (stripped), scripts (stdout), client scripts (told the vault id),
/// labels, ordering and failures.
final class VaultSecretsLoaderTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-vault-secrets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func file(_ name: String, _ contents: String, executable: Bool = false) throws -> String {
        let url = directory.appendingPathComponent(name)
        try contents.write(to: url, atomically: true, encoding: .utf8)
        if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path) }
        return url.path
    }

    private func load(files: [String] = [], ids: [String] = [], warnings: inout [String]) throws -> [VaultSecret] {
        var collected: [String] = []
        defer { warnings = collected }
        return try VaultSecretsLoader.load(passwordFiles: files, vaultIDs: ids, askPass: false,
                                           warn: { collected.append($0) })
    }

    func testPasswordFileIsStrippedAndLabelledDefault() throws {
        var warnings: [String] = []
        let path = try file("pw", "  hunter2 \n\n")
        let secrets = try load(files: [path], warnings: &warnings)
        XCTAssertEqual(secrets, [VaultSecret(label: "default", password: "hunter2")])
    }

    func testVaultIDsComeBeforePasswordFilesAndKeepLabels() throws {
        var warnings: [String] = []
        let first = try file("a", "alpha\n")
        let second = try file("b", "beta\n")
        let secrets = try load(files: [second], ids: ["prod@\(first)", first], warnings: &warnings)
        XCTAssertEqual(secrets.map(\.label), ["prod", "default", "default"])
        XCTAssertEqual(secrets.map { String(decoding: $0.password, as: UTF8.self) }, ["alpha", "alpha", "beta"])
    }

    func testExecutableSourceIsRunAndItsStdoutUsed() throws {
        var warnings: [String] = []
        let script = try file("pass.sh", "#!/bin/sh\necho '  spaced secret  '\n", executable: true)
        let secrets = try load(ids: ["ops@\(script)"], warnings: &warnings)
        // Only newlines are stripped from a script's output.
        XCTAssertEqual(secrets, [VaultSecret(label: "ops", password: "  spaced secret  ")])
    }

    func testClientScriptReceivesVaultID() throws {
        var warnings: [String] = []
        let script = try file("keyring-client.sh", "#!/bin/sh\necho \"pw-for-$2\"\n", executable: true)
        let secrets = try load(ids: ["staging@\(script)"], warnings: &warnings)
        XCTAssertEqual(secrets, [VaultSecret(label: "staging", password: "pw-for-staging")])
    }

    func testMissingFileWarnsWhenAnotherSourceWorksAndFailsOtherwise() throws {
        var warnings: [String] = []
        let good = try file("pw", "ok\n")
        let missing = directory.appendingPathComponent("absent").path
        let secrets = try load(files: [missing, good], warnings: &warnings)
        XCTAssertEqual(secrets.count, 1)
        XCTAssertEqual(warnings.count, 1)
        XCTAssertTrue(warnings[0].contains("was not found"), warnings[0])
        XCTAssertThrowsError(try load(files: [missing], warnings: &warnings)) { error in
            XCTAssertEqual((error as? TroupeError)?.message, "The vault password file \(missing) was not found")
        }
    }

    func testEmptyPasswordAndFailingScriptAreErrors() throws {
        var warnings: [String] = []
        let empty = try file("empty", " \n")
        XCTAssertThrowsError(try load(files: [empty], warnings: &warnings)) { error in
            XCTAssertEqual((error as? TroupeError)?.message, "Invalid vault password was provided from file (\(empty))")
        }
        let failing = try file("fail.sh", "#!/bin/sh\nexit 3\n", executable: true)
        XCTAssertThrowsError(try load(files: [failing], warnings: &warnings)) { error in
            XCTAssertTrue(((error as? TroupeError)?.message ?? "").contains("returned non-zero (3)"))
        }
        XCTAssertThrowsError(try load(ids: ["bad;id@\(empty)"], warnings: &warnings))
    }

    func testRekeyRoundTripThroughTheAPI() throws {
        let old = VaultSecret(password: "old password")
        let new = VaultSecret(label: "rotated", password: "new password")
        let original = Data("secret: value\n".utf8)
        let first = try Vault.encrypt(original, secret: old, vaultID: nil)
        let rekeyed = try Vault.encrypt(try Vault.decrypt(first, secrets: [old]), secret: new, vaultID: new.label)
        XCTAssertTrue(rekeyed.hasPrefix("$ANSIBLE_VAULT;1.2;AES256;rotated\n"))
        XCTAssertEqual(try Vault.decrypt(rekeyed, secrets: [new]), original)
        XCTAssertThrowsError(try Vault.decrypt(rekeyed, secrets: [old]))
    }
}
