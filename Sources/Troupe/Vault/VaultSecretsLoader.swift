import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gathers vault secrets from the command line the way ansible does: `--vault-id label@source`
/// first, then each `--vault-password-file` (as `default@file`), then `--ask-vault-pass`.
/// A source is `prompt`, an executable (run; its stdout is the password) or a plain file.
public enum VaultSecretsLoader {
    /// Loads every secret. A source that fails is warned about and skipped, unless no secret
    /// could be loaded at all, in which case its error is thrown. `confirmNew` asks twice when
    /// prompting (for passwords that will encrypt). With `config`, its `vault_identity_list`
    /// comes before `vaultIDs`, its `vault_password_file` (or `ANSIBLE_VAULT_PASSWORD_FILE`)
    /// after `passwordFiles`, and `vault_id_match` restricts each secret to its own vault id.
    public static func load(passwordFiles: [String], vaultIDs: [String], askPass: Bool,
                            confirmNew: Bool = false, config: AnsibleConfig? = nil,
                            warn: (String) -> Void = { FileHandle.standardError.write(Data("[WARNING]: \($0)\n".utf8)) })
        throws -> [VaultSecret] {
        var files = passwordFiles
        if let configured = config?.vaultPasswordFile, !configured.isEmpty { files.append(configured) }
        var slugs = (config?.vaultIdentityList ?? []) + vaultIDs
        for id in slugs where id.contains(";") {
            throw TroupeError(.options, "'\(id)' is not a valid vault id. The character ';' is not allowed in vault ids")
        }
        slugs += files.map { "\(Vault.defaultVaultID)@\($0)" }
        if askPass { slugs.append("\(Vault.defaultVaultID)@prompt_ask_vault_pass") }

        var secrets: [VaultSecret] = []
        var lastError: Error?
        for slug in slugs {
            let (label, source) = split(slug)
            if source == "prompt" || source == "prompt_ask_vault_pass" {
                let name = label ?? Vault.defaultVaultID
                let password = try prompt(vaultID: name, askVaultPassStyle: source == "prompt_ask_vault_pass",
                                          confirmNew: confirmNew)
                secrets.append(VaultSecret(label: name, password: password))
                continue
            }
            do {
                let password = try readSource(source, vaultID: label, knownSecrets: secrets)
                secrets.append(VaultSecret(label: label ?? Vault.defaultVaultID, password: password))
            } catch {
                warn("Error getting vault password file (\(label ?? "None")): \(error)")
                lastError = error
            }
        }
        if secrets.isEmpty, let lastError { throw lastError }
        if config?.vaultIDMatch ?? false {
            for i in secrets.indices { secrets[i].requiresMatchingID = true }
        }
        return secrets
    }

    /// `label@source` → (label, source); without `@` the whole text is the source.
    static func split(_ slug: String) -> (String?, String) {
        guard let at = slug.firstIndex(of: "@") else { return (nil, slug) }
        return (String(slug[..<at]), String(slug[slug.index(after: at)...]))
    }

    /// Reads a password file (whitespace-stripped, possibly itself vaulted) or runs a password script.
    static func readSource(_ path: String, vaultID: String?, knownSecrets: [VaultSecret]) throws -> Data {
        let expanded = (path as NSString).expandingTildeInPath
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: expanded, isDirectory: &isDirectory) else {
            throw TroupeError(.io, "The vault password file \(expanded) was not found")
        }
        if isDirectory.boolValue {
            throw TroupeError(.io, "The vault password file provided '\(expanded)' can not be a directory")
        }
        if FileManager.default.isExecutableFile(atPath: expanded) {
            return try runScript(expanded, vaultID: vaultID)
        }
        guard let raw = FileManager.default.contents(atPath: expanded) else {
            throw TroupeError(.io, "Could not read vault password file '\(expanded)'.")
        }
        var password = stripWhitespace(raw)
        if let text = String(data: password, encoding: .utf8), Vault.isEncrypted(text) {
            password = stripNewlines(try Vault.decrypt(text, secrets: knownSecrets))
        }
        if password.isEmpty {
            throw TroupeError(.options, "Invalid vault password was provided from file (\(expanded))")
        }
        return password
    }

    /// Runs a password script; a `*-client` script is told which vault id is wanted.
    static func runScript(_ path: String, vaultID: String?) throws -> Data {
        let isClient = ((path as NSString).lastPathComponent as NSString).deletingPathExtension.hasSuffix("-client")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        if isClient, let vaultID { process.arguments = ["--vault-id", vaultID] }
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        if isClient { process.standardError = stderr }
        do { try process.run() } catch {
            throw TroupeError(.io, "Problem running vault password script \(path) (\(error)). "
                              + "If this is not a script, remove the executable bit from the file.")
        }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = isClient ? stderr.fileHandleForReading.readDataToEndOfFile() : Data()
        process.waitUntilExit()
        let errorText = String(decoding: errors, as: UTF8.self)
        if isClient && process.terminationStatus == 2 {
            throw TroupeError(.io, "Vault password client script \(path) did not find a secret for vault-id=\(vaultID ?? "None"): \(errorText)")
        }
        if process.terminationStatus != 0 {
            throw TroupeError(.io, "Vault password script \(path) returned non-zero (\(process.terminationStatus)): \(errorText)")
        }
        let password = stripNewlines(output)
        if password.isEmpty { throw TroupeError(.options, "Invalid vault password was provided from script (\(path))") }
        return password
    }

    /// Asks on the terminal without echo; twice, and compared, when the password is new.
    static func prompt(vaultID: String, askVaultPassStyle: Bool, confirmNew: Bool) throws -> Data {
        let prompts: [String]
        switch (askVaultPassStyle, confirmNew) {
        case (true, false): prompts = ["Vault password: "]
        case (true, true): prompts = ["New Vault password: ", "Confirm New Vault password: "]
        case (false, false): prompts = ["Vault password (\(vaultID)): "]
        case (false, true): prompts = ["New vault password (\(vaultID)): ", "Confirm new vault password (\(vaultID)): "]
        }
        var answers: [Data] = []
        for text in prompts {
            guard let raw = getpass(text) else {
                throw TroupeError(.options, "EOFError (ctrl-d) on prompt for (\(vaultID))")
            }
            let answer = String(cString: raw)
            if answer.isEmpty { throw TroupeError(.options, "Invalid vault password was provided") }
            answers.append(stripWhitespace(Data(answer.utf8)))
        }
        if answers.contains(where: { $0 != answers[0] }) { throw TroupeError(.options, "Passwords do not match") }
        return answers[0]
    }

    /// Python's `bytes.strip()`: ASCII whitespace off both ends.
    static func stripWhitespace(_ data: Data) -> Data { strip(data) { [0x20, 0x09, 0x0a, 0x0d, 0x0b, 0x0c].contains($0) } }

    /// `bytes.strip(b'\r\n')`.
    static func stripNewlines(_ data: Data) -> Data { strip(data) { $0 == 0x0a || $0 == 0x0d } }

    private static func strip(_ data: Data, _ isStripped: (UInt8) -> Bool) -> Data {
        let bytes = Array(data)
        guard let first = bytes.firstIndex(where: { !isStripped($0) }),
              let last = bytes.lastIndex(where: { !isStripped($0) }) else { return Data() }
        return Data(bytes[first...last])
    }
}
