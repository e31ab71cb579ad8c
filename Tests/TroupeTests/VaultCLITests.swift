import XCTest
import Foundation

/// `troupe vault` end to end, running the built binary and checking its files with
/// the real ansible-vault where that is installed.
final class VaultCLITests: XCTestCase {
    private var directory: URL!
    private var troupe: String!

    override func setUpWithError() throws {
        // The test resources bundle sits in the build products directory, next to the troupe executable.
        let products = Bundle.module.bundleURL.deletingLastPathComponent()
        let binary = products.appendingPathComponent("troupe").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw XCTSkip("the troupe executable was not built at \(binary); run `swift build --product troupe`")
        }
        troupe = binary
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-vault-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func write(_ name: String, _ text: String, mode: Int? = nil) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        if let mode { try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path(name)) }
        return path(name)
    }

    @discardableResult
    private func run(_ executable: String, _ arguments: [String], stdin: String? = nil,
                     environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stdout, stderr)
    }

    private func ansibleVault() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/ansible-vault" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    func testEncryptViewDecryptAndWrongPassword() throws {
        let password = try write("pw", "hunter2\n")
        let wrong = try write("wrong", "nope\n")
        let secret = try write("vars.yml", "token: abc\n")
        XCTAssertEqual(try run(troupe, ["vault", "encrypt", "--vault-password-file", password, secret]).status, 0)
        XCTAssertTrue(try String(contentsOfFile: secret, encoding: .utf8).hasPrefix("$ANSIBLE_VAULT;1.1;AES256\n"))
        XCTAssertEqual(try run(troupe, ["vault", "view", "--vault-password-file", password, secret]).stdout, "token: abc\n")
        let failure = try run(troupe, ["vault", "view", "--vault-password-file", wrong, secret])
        XCTAssertEqual(failure.status, 1)
        XCTAssertEqual(failure.stderr, "[ERROR]: Decryption failed (no vault secrets were found that could decrypt). for \(secret)\n")
        XCTAssertEqual(try run(troupe, ["vault", "decrypt", "--vault-password-file", password, secret]).status, 0)
        XCTAssertEqual(try String(contentsOfFile: secret, encoding: .utf8), "token: abc\n")
    }

    func testRekeyRoundTripReadableByAnsibleVault() throws {
        let old = try write("old", "old-pass\n")
        let new = try write("new", "new-pass\n")
        let file = try write("data.txt", "rotate me\n")
        try run(troupe, ["vault", "encrypt", "--vault-id", "one@\(old)", file])
        XCTAssertTrue(try String(contentsOfFile: file, encoding: .utf8).hasPrefix("$ANSIBLE_VAULT;1.2;AES256;one\n"))
        let rekey = try run(troupe, ["vault", "rekey", "--vault-id", "one@\(old)", "--new-vault-id", "two@\(new)", file])
        XCTAssertEqual(rekey.status, 0, rekey.stderr)
        XCTAssertEqual(rekey.stderr, "Rekey successful\n")
        XCTAssertTrue(try String(contentsOfFile: file, encoding: .utf8).hasPrefix("$ANSIBLE_VAULT;1.2;AES256;two\n"))
        XCTAssertEqual(try run(troupe, ["vault", "view", "--vault-id", "one@\(old)", file]).status, 1)
        XCTAssertEqual(try run(troupe, ["vault", "view", "--vault-id", "two@\(new)", file]).stdout, "rotate me\n")
        guard let ansibleVault = ansibleVault() else {
            throw XCTSkip("ansible-vault is not on PATH; the rekeyed file was checked with troupe only")
        }
        let viewed = try run(ansibleVault, ["view", "--vault-id", "two@\(new)", file])
        XCTAssertEqual(viewed.stdout, "rotate me\n")
    }

    func testEncryptStringBlockMatchesAnsibleLayoutAndDecrypts() throws {
        let password = try write("pw", "hunter2\n")
        let result = try run(troupe, ["vault", "encrypt_string", "--vault-password-file", password, "--name", "api_key", "abc123"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.components(separatedBy: "\n")
        XCTAssertEqual(lines.first, "api_key: !vault |")
        XCTAssertEqual(lines[1], "          $ANSIBLE_VAULT;1.1;AES256")
        XCTAssertEqual(lines.last, "", "output ends with a newline")
        XCTAssertTrue(lines.dropFirst().dropLast().allSatisfy { $0.hasPrefix("          ") && $0.count <= 90 })

        let stdinResult = try run(troupe, ["vault", "encrypt_string", "--vault-password-file", password, "--stdin-name", "from_stdin"],
                                  stdin: "piped value")
        XCTAssertTrue(stdinResult.stdout.hasPrefix("from_stdin: !vault |\n"), stdinResult.stdout)
        guard let ansibleVault = ansibleVault() else {
            throw XCTSkip("ansible-vault is not on PATH; the encrypt_string layout was checked but not its decryption")
        }
        let vaulted = stdinResult.stdout.components(separatedBy: "\n").dropFirst()
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n")
        let decrypted = try run(ansibleVault, ["decrypt", "--vault-password-file", password, "--output", "-"], stdin: vaulted)
        XCTAssertEqual(decrypted.stdout, "piped value")
    }

    func testEditUsesEditorAndKeepsVaultID() throws {
        let password = try write("pw", "hunter2\n")
        let file = try write("edit.yml", "before: 1\n")
        try run(troupe, ["vault", "encrypt", "--vault-id", "team@\(password)", file])
        let editor = try write("editor.sh", "#!/bin/sh\nprintf 'after: 2\\n' >> \"$1\"\n", mode: 0o755)
        let result = try run(troupe, ["vault", "edit", "--vault-id", "team@\(password)", file], environment: ["EDITOR": editor])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(try String(contentsOfFile: file, encoding: .utf8).hasPrefix("$ANSIBLE_VAULT;1.2;AES256;team\n"))
        XCTAssertEqual(try run(troupe, ["vault", "view", "--vault-id", "team@\(password)", file]).stdout, "before: 1\nafter: 2\n")
    }

    func testCreateWritesEditorOutputEncryptedAndRefusesExistingFiles() throws {
        let password = try write("pw", "hunter2\n")
        let editor = try write("editor.sh", "#!/bin/sh\nprintf 'created: yes\\n' > \"$1\"\n", mode: 0o755)
        let file = path("sub/new.yml")
        let created = try run(troupe, ["vault", "create", "--skip-tty-check", "--vault-id", "ops@\(password)", file],
                              environment: ["EDITOR": editor])
        XCTAssertEqual(created.status, 0, created.stderr)
        XCTAssertTrue(created.stderr.contains("does not exist, creating..."), created.stderr)
        XCTAssertTrue(try String(contentsOfFile: file, encoding: .utf8).hasPrefix("$ANSIBLE_VAULT;1.2;AES256;ops\n"))
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        if let ansibleVault = ansibleVault() {
            XCTAssertEqual(try run(ansibleVault, ["view", "--vault-password-file", password, file]).stdout, "created: yes\n")
        } else {
            XCTAssertEqual(try run(troupe, ["vault", "view", "--vault-password-file", password, file]).stdout, "created: yes\n")
        }
        let again = try run(troupe, ["vault", "create", "--skip-tty-check", "--vault-password-file", password, file],
                            environment: ["EDITOR": editor])
        XCTAssertNotEqual(again.status, 0)
        XCTAssertTrue(again.stderr.contains("exists, please use 'edit' instead"), again.stderr)
        let noTTY = try run(troupe, ["vault", "create", "--vault-password-file", password, path("other.yml")],
                            environment: ["EDITOR": editor])
        XCTAssertTrue(noTTY.stderr.contains("not a tty, editor cannot be opened"), noTTY.stderr)
    }

    func testVaultIdentityListPasswordFileAndIDMatchFromConfig() throws {
        let teamPassword = try write("team-pw", "team-secret\n")
        let otherPassword = try write("other-pw", "other-secret\n")
        let file = try write("data.yml", "value: 42\n")
        try run(troupe, ["vault", "encrypt", "--vault-id", "team@\(teamPassword)", file])
        // vault_identity_list and vault_password_file come from ansible.cfg; no command-line secret.
        let cfg = try write("ansible.cfg", """
            [defaults]
            vault_identity_list = team@\(teamPassword)
            vault_password_file = \(otherPassword)

            """)
        let viewed = try run(troupe, ["vault", "view", file], environment: ["ANSIBLE_CONFIG": cfg])
        XCTAssertEqual(viewed.stdout, "value: 42\n", viewed.stderr)
        // ANSIBLE_VAULT_PASSWORD_FILE alone also serves (the default id tries every secret).
        let fromEnv = try run(troupe, ["vault", "view", file],
                              environment: ["ANSIBLE_VAULT_PASSWORD_FILE": teamPassword, "ANSIBLE_CONFIG": path("none.cfg")])
        XCTAssertEqual(fromEnv.stdout, "value: 42\n", fromEnv.stderr)
        // With vault_id_match a secret under another label may not decrypt it.
        let matching = try run(troupe, ["vault", "view", "--vault-id", "other@\(teamPassword)", file],
                               environment: ["ANSIBLE_VAULT_ID_MATCH": "true", "ANSIBLE_CONFIG": path("none.cfg")])
        XCTAssertNotEqual(matching.status, 0)
        XCTAssertTrue(matching.stderr.contains("no vault secrets were found that could decrypt"), matching.stderr)
        let unmatched = try run(troupe, ["vault", "view", "--vault-id", "other@\(teamPassword)", file],
                                environment: ["ANSIBLE_CONFIG": path("none.cfg")])
        XCTAssertEqual(unmatched.stdout, "value: 42\n", unmatched.stderr)
    }
}
