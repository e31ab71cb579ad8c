import XCTest
import Foundation
@testable import Troupe

/// The vault format against files made by the real ansible-vault (Fixtures/vault, passwords
/// alongside), and our output against ansible-vault itself.
final class VaultFormatTests: XCTestCase {
    private let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/vault")
    private let hunter2 = VaultSecret(password: "hunter2")

    private func fixture(_ name: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
    }

    private func fixtureData(_ name: String) throws -> Data {
        try Data(contentsOf: fixtures.appendingPathComponent(name))
    }

    func testDecryptsAnsibleVault11File() throws {
        let plaintext = try Vault.decrypt(try fixture("v11.txt"), secrets: [hunter2])
        XCTAssertEqual(plaintext, try fixtureData("plain-1.1.txt"))
    }

    func testDecryptsAnsibleVault12FilePreferringMatchingLabel() throws {
        let secrets = [hunter2, VaultSecret(label: "dev", password: "second-secret")]
        let result = try Vault.decryptWithSecret(try fixture("v12-dev.txt"), secrets: secrets)
        XCTAssertEqual(result.plaintext, try fixtureData("plain-1.2.txt"))
        XCTAssertEqual(result.secret.label, "dev")
        XCTAssertEqual(result.headerVaultID, "dev")
        // The label is only a hint: an unlabelled secret with the right password also works.
        XCTAssertEqual(try Vault.decrypt(try fixture("v12-dev.txt"), secrets: [VaultSecret(password: "second-secret")]),
                       try fixtureData("plain-1.2.txt"))
    }

    func testDecryptsVaultedVarsFile() throws {
        let plaintext = try Vault.decrypt(try fixture("vars-vaulted.yml"), secrets: [hunter2])
        XCTAssertEqual(String(decoding: plaintext, as: UTF8.self), try fixture("vars-plain.yml"))
    }

    func testDecryptsEncryptStringBlockAfterYAMLParsing() throws {
        let node = try XCTUnwrap(try YAMLLoader().load(try fixture("encrypt-string.yml"), file: "encrypt-string.yml"))
        guard case .dict(let vars) = node.value, case .vault(let ciphertext)? = vars["api_key"] else {
            return XCTFail("expected a !vault value, got \(node.value)")
        }
        XCTAssertEqual(String(decoding: try Vault.decrypt(ciphertext, secrets: [hunter2]), as: UTF8.self), "abc123-the-key")
        // The indented block as it appears in the file decrypts too.
        let block = try fixture("encrypt-string.yml").components(separatedBy: "\n").dropFirst().joined(separator: "\n")
        XCTAssertEqual(String(decoding: try Vault.decrypt(block.trimmingCharacters(in: .whitespaces), secrets: [hunter2]),
                              as: UTF8.self), "abc123-the-key")
    }

    func testWrongPasswordIsAClearError() throws {
        XCTAssertThrowsError(try Vault.decrypt(try fixture("v11.txt"), secrets: [VaultSecret(password: "nope")])) { error in
            let failure = error as? TroupeError
            XCTAssertEqual(failure?.message, "Decryption failed (no vault secrets were found that could decrypt).")
            XCTAssertTrue("\(failure?.underlying ?? failure as Any)".contains("HMAC verification failed"))
        }
        XCTAssertThrowsError(try Vault.decrypt(try fixture("v11.txt"), secrets: [])) { error in
            XCTAssertEqual((error as? TroupeError)?.message, "Attempting to decrypt but no vault secrets found.")
        }
        XCTAssertThrowsError(try Vault.decrypt("plain text", secrets: [hunter2])) { error in
            XCTAssertEqual((error as? TroupeError)?.message, "Input is not vault encrypted data.")
        }
        XCTAssertThrowsError(try Vault.decrypt("$ANSIBLE_VAULT;1.1;AES256\nzz\n", secrets: [hunter2])) { error in
            XCTAssertEqual((error as? TroupeError)?.message, "Vault format unhexlify error.")
        }
    }

    func testEncryptionWithFixedSaltMatchesAnsibleByteForByte() throws {
        // Expected text produced by ansible's VaultLib.encrypt with the same salt and vault id.
        let expected = """
        $ANSIBLE_VAULT;1.2;AES256;prod
        33303331333233333334333533363337333833393631363236333634363536363330333133323333
        3334333533363337333833393631363236333634363536360a373564633438393062343630623737
        63623230663131393537306439386465663966393861373539376634386161353930666337326239
        6430336339366131300a326231633131616462646639313837343133643836366266636165356265
        38626539643464636139373536363735333736666239393037623938313366333239

        """
        let text = try Vault.encrypt(Data("fixed salt text\n".utf8), secret: VaultSecret(label: "prod", password: "hunter2"),
                                     vaultID: "prod", salt: Array("0123456789abcdef0123456789abcdef".utf8))
        XCTAssertEqual(text, expected)
    }

    func testEncryptHeadersAndRandomSalt() throws {
        let first = try Vault.encrypt(Data("x".utf8), secret: hunter2, vaultID: nil)
        let second = try Vault.encrypt(Data("x".utf8), secret: hunter2, vaultID: "default")
        XCTAssertTrue(first.hasPrefix("$ANSIBLE_VAULT;1.1;AES256\n"))
        XCTAssertTrue(second.hasPrefix("$ANSIBLE_VAULT;1.1;AES256\n"))
        XCTAssertNotEqual(first, second, "the salt is random")
        XCTAssertTrue(first.components(separatedBy: "\n").dropFirst().allSatisfy { $0.count <= 80 })
        XCTAssertTrue(Vault.isEncrypted(first))
        XCTAssertFalse(Vault.isEncrypted("---\nfoo: 1\n"))
        XCTAssertThrowsError(try Vault.encrypt(Data(first.utf8), secret: hunter2, vaultID: nil))
    }

    func testOurCiphertextDecryptsWithRealAnsibleVault() throws {
        guard let ansibleVault = findExecutable("ansible-vault") else {
            throw XCTSkip("ansible-vault is not on PATH; cannot check interoperability with the real tool")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-vault-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let passwordFile = directory.appendingPathComponent("pw")
        try "s3cret pass\n".write(to: passwordFile, atomically: true, encoding: .utf8)
        let plaintext = Data("binary \u{00e9}\u{0001} and text\nline two".utf8)

        for vaultID in [nil, "ops"] {
            let encrypted = directory.appendingPathComponent("secret-\(vaultID ?? "none").yml")
            try Vault.encrypt(plaintext, secret: VaultSecret(label: vaultID ?? "default", password: "s3cret pass"),
                              vaultID: vaultID).write(to: encrypted, atomically: true, encoding: .utf8)
            let source = vaultID.map { "\($0)@\(passwordFile.path)" } ?? passwordFile.path
            let output = directory.appendingPathComponent("out-\(vaultID ?? "none")")
            let status = try run(ansibleVault, ["decrypt", "--vault-id", source, "--output", output.path, encrypted.path])
            XCTAssertEqual(status, 0)
            XCTAssertEqual(try Data(contentsOf: output), plaintext)
        }
    }

    private func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
