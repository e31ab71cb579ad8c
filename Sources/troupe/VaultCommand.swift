import ArgumentParser
import Foundation
import Troupe
#if canImport(Glibc)
import Glibc
#endif

/// `troupe vault`: ansible-vault's encrypt, decrypt, view, edit, encrypt_string and rekey.
struct VaultCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vault",
        abstract: "Encryption/decryption utility for Ansible data files (ansible-vault compatible).",
        subcommands: [VaultCreate.self, VaultEncrypt.self, VaultDecrypt.self, VaultView.self, VaultEdit.self,
                      VaultEncryptString.self, VaultRekey.self])
}

/// The password options every vault action shares, as ansible-vault's.
struct VaultSecretOptions: ParsableArguments {
    @Option(name: .customLong("vault-id"), help: "The vault identity to use (label@source; source is a file, a script or 'prompt').")
    var vaultIDs: [String] = []

    @Option(name: [.customLong("vault-password-file"), .customLong("vault-pass-file")], help: "Vault password file.")
    var vaultPasswordFiles: [String] = []

    @Flag(name: [.customShort("J"), .customLong("ask-vault-pass", withSingleDash: false)], help: "Ask for vault password.")
    var askVaultPass = false

    @Flag(name: .shortAndLong, help: "Verbose mode (accepted for compatibility).")
    var verbose: Int

    /// Loads the secrets; with no source at all, prompts as ansible-vault does.
    func secrets(confirmNew: Bool) throws -> [VaultSecret] {
        let config = try AnsibleConfig.load()
        let configured = !(config.vaultPasswordFile ?? "").isEmpty || !config.vaultIdentityList.isEmpty
        let prompt = askVaultPass || (vaultIDs.isEmpty && vaultPasswordFiles.isEmpty && !configured)
        let secrets = try VaultSecretsLoader.load(passwordFiles: vaultPasswordFiles, vaultIDs: vaultIDs,
                                                  askPass: prompt, confirmNew: confirmNew, config: config)
        if secrets.isEmpty { throw TroupeError(.options, "A vault password is required to use Ansible's Vault") }
        return secrets
    }

    /// The one secret to encrypt with: the only one, or the one `--encrypt-vault-id` names.
    func encryptSecret(encryptVaultID: String?) throws -> VaultSecret {
        let secrets = try self.secrets(confirmNew: true)
        let configuredID = try AnsibleConfig.load().vaultEncryptIdentity
        if let encryptVaultID = encryptVaultID ?? configuredID {
            guard let match = secrets.first(where: { $0.label == encryptVaultID }) else {
                let known = secrets.map { "'\($0.label)'" }.joined(separator: ", ")
                throw TroupeError(.execution, "Did not find a match for --encrypt-vault-id=\(encryptVaultID) in the known vault-ids [\(known)]")
            }
            return match
        }
        if secrets.count > 1 {
            throw TroupeError(.options, "The vault-ids \(secrets.map(\.label).joined(separator: ",")) are available to encrypt. "
                              + "Specify the vault-id to encrypt with --encrypt-vault-id")
        }
        return secrets[0]
    }
}

/// Reading and writing vault files, `-` meaning stdin/stdout, new files private (0600).
enum VaultFiles {
    static func read(_ path: String) throws -> Data {
        if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TroupeError(.io, "Unable to read source file (\(path)): [Errno 2] No such file or directory: '\(path)'")
        }
        return data
    }

    static func write(_ data: Data, to path: String) throws {
        if path == "-" { FileHandle.standardOutput.write(data); return }
        if FileManager.default.fileExists(atPath: path) {
            try data.write(to: URL(fileURLWithPath: path))
        } else if !FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) {
            throw TroupeError(.io, "Unable to write to file \(path)")
        }
    }

    static func text(_ data: Data, _ path: String) throws -> String {
        guard let text = String(data: data, encoding: .utf8) else {
            throw TroupeError(.execution, "Input is not vault encrypted data. for \(path)")
        }
        return text
    }

    /// Decrypts `path`, naming the file in the error as ansible-vault does.
    static func decrypt(_ path: String, secrets: [VaultSecret]) throws -> (plaintext: Data, secret: VaultSecret, headerVaultID: String?) {
        let text = try self.text(try read(path), path)
        do {
            return try Vault.decryptWithSecret(text, secrets: secrets)
        } catch var error as TroupeError {
            error.message += " for \(path == "-" ? "-" : realPath(path))"
            throw error
        }
    }

    static func realPath(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }

    static func status(_ message: String) {
        if isatty(STDOUT_FILENO) != 0 { FileHandle.standardError.write(Data("\(message)\n".utf8)) }
    }

    /// Runs `body`, reporting failures the way the rest of troupe does.
    static func guarded(_ body: () throws -> Void) {
        do { try body() } catch { ErrorReport.fail(error) }
    }
}

/// `troupe vault encrypt [FILE…]`
struct VaultEncrypt: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "encrypt", abstract: "Encrypt YAML file.")
    @OptionGroup var secretOptions: VaultSecretOptions
    @Option(name: .customLong("output"), help: "Output file name; use - for stdout.") var output: String?
    @Option(name: .customLong("encrypt-vault-id"), help: "The vault id used to encrypt.") var encryptVaultID: String?
    @Argument(help: "Files to encrypt (stdin when none).") var files: [String] = []

    func run() throws {
        VaultFiles.guarded {
            if output != nil && files.count > 1 { throw TroupeError(.options, "At most one input file may be used with the --output option") }
            let secret = try secretOptions.encryptSecret(encryptVaultID: encryptVaultID)
            for file in files.isEmpty ? ["-"] : files {
                let plaintext = try VaultFiles.read(file)
                let ciphertext = try Vault.encrypt(plaintext, secret: secret, vaultID: secret.label)
                try VaultFiles.write(Data(ciphertext.utf8), to: output ?? file)
            }
            VaultFiles.status("Encryption successful")
        }
    }
}

/// `troupe vault decrypt [FILE…]`
struct VaultDecrypt: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "decrypt", abstract: "Decrypt vault encrypted file or string.")
    @OptionGroup var secretOptions: VaultSecretOptions
    @Option(name: .customLong("output"), help: "Output file name; use - for stdout.") var output: String?
    @Argument(help: "Files to decrypt (stdin when none).") var files: [String] = []

    func run() throws {
        VaultFiles.guarded {
            if output != nil && files.count > 1 { throw TroupeError(.options, "At most one input file may be used with the --output option") }
            let secrets = try secretOptions.secrets(confirmNew: false)
            for file in files.isEmpty ? ["-"] : files {
                try VaultFiles.write(try VaultFiles.decrypt(file, secrets: secrets).plaintext, to: output ?? file)
            }
            VaultFiles.status("Decryption successful")
        }
    }
}

/// `troupe vault view FILE…`: prints the plaintext.
struct VaultView: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "view", abstract: "View vault encrypted file.")
    @OptionGroup var secretOptions: VaultSecretOptions
    @Argument(help: "Files to view.") var files: [String] = []

    func run() throws {
        VaultFiles.guarded {
            let secrets = try secretOptions.secrets(confirmNew: false)
            for file in files {
                var text = String(decoding: try VaultFiles.decrypt(file, secrets: secrets).plaintext, as: UTF8.self)
                if !text.hasSuffix("\n") { text += "\n" }
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
    }
}

/// `troupe vault create FILE`: opens $EDITOR on an empty private temp file and saves what
/// was written, encrypted (even when nothing was, as ansible-vault does).
struct VaultCreate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create new vault encrypted file.")
    @OptionGroup var secretOptions: VaultSecretOptions
    @Option(name: .customLong("encrypt-vault-id"), help: "The vault id used to encrypt.") var encryptVaultID: String?
    @Flag(name: .customLong("skip-tty-check"), help: "Allows the editor to be opened when no tty is attached.") var skipTTYCheck = false
    @Argument(help: "The file to create.") var files: [String] = []

    func run() throws {
        VaultFiles.guarded {
            guard files.count == 1 else { throw TroupeError(.options, "ansible-vault create can take only one filename argument") }
            guard isatty(STDOUT_FILENO) != 0 || skipTTYCheck else { throw TroupeError(.options, "not a tty, editor cannot be opened") }
            let secret = try secretOptions.encryptSecret(encryptVaultID: encryptVaultID)
            let path = files[0]
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty && !FileManager.default.fileExists(atPath: directory) {
                FileHandle.standardError.write(Data("[WARNING]: \(directory) does not exist, creating...\n".utf8))
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                throw TroupeError(.execution, "\(path) exists, please use 'edit' instead")
            }
            guard let written = try VaultEditor.edit(Data(), extensionOf: path) else { return }
            let ciphertext = try Vault.encrypt(written, secret: secret, vaultID: secret.label)
            try VaultFiles.write(Data(ciphertext.utf8), to: path)
        }
    }
}

/// `troupe vault edit FILE…`: decrypts to a private temp file, runs $EDITOR, re-encrypts if changed.
struct VaultEdit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "edit", abstract: "Edit vault encrypted file.")
    @OptionGroup var secretOptions: VaultSecretOptions
    @Option(name: .customLong("encrypt-vault-id"), help: "The vault id used to encrypt.") var encryptVaultID: String?
    @Argument(help: "Files to edit.") var files: [String] = []

    func run() throws {
        VaultFiles.guarded {
            let secrets = try secretOptions.secrets(confirmNew: false)
            for file in files { try edit(VaultFiles.realPath(file), secrets: secrets) }
        }
    }

    private func edit(_ path: String, secrets: [VaultSecret]) throws {
        let decrypted = try VaultFiles.decrypt(path, secrets: secrets)
        guard let edited = try VaultEditor.edit(decrypted.plaintext, extensionOf: path),
              edited != decrypted.plaintext else { return }
        let ciphertext = try Vault.encrypt(edited, secret: decrypted.secret, vaultID: decrypted.headerVaultID)
        try VaultFiles.write(Data(ciphertext.utf8), to: path)
    }
}

/// Runs `$EDITOR` (default `vi`) on a private temp file holding `contents`.
enum VaultEditor {
    /// The file's contents after the editor exits.
    static func edit(_ contents: Data, extensionOf path: String) throws -> Data? {
        let ext = (path as NSString).pathExtension
        let temp = FileManager.default.temporaryDirectory
            .appendingPathComponent("troupe-vault-\(UUID().uuidString)" + (ext.isEmpty ? "" : ".\(ext)")).path
        guard FileManager.default.createFile(atPath: temp, contents: contents, attributes: [.posixPermissions: 0o600]) else {
            throw TroupeError(.io, "Unable to create a temporary file for editing")
        }
        defer { try? FileManager.default.removeItem(atPath: temp) }
        let editor = ProcessInfo.processInfo.environment["EDITOR"].flatMap { $0.isEmpty ? nil : $0 } ?? "vi"
        let command = editor.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) + [temp]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        do { try process.run() } catch {
            throw TroupeError(.execution, "Unable to execute the command \"\(command.joined(separator: " "))\": \(error)")
        }
        process.waitUntilExit()
        return try VaultFiles.read(temp)
    }
}

/// `troupe vault encrypt_string [STRING…]`: prints `name: !vault |` blocks to paste into YAML.
struct VaultEncryptString: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "encrypt_string", abstract: "Encrypt a string.")
    @OptionGroup var secretOptions: VaultSecretOptions
    @Option(name: .customLong("output"), help: "Output file name; use - for stdout.") var output: String?
    @Option(name: .customLong("encrypt-vault-id"), help: "The vault id used to encrypt.") var encryptVaultID: String?
    @Option(name: [.customShort("n"), .customLong("name")], help: "Specify the variable name.") var names: [String] = []
    @Option(name: .customLong("stdin-name"), help: "Specify the variable name for stdin.") var stdinName: String?
    @Flag(name: [.customShort("p"), .customLong("prompt")], help: "Prompt for the string to encrypt.") var prompt = false
    @Flag(name: .customLong("show-input"), help: "Do not hide input when prompted for the string to encrypt.") var showInput = false
    @Argument(help: "Strings to encrypt ('-' or none reads stdin).") var strings: [String] = []

    func run() throws {
        VaultFiles.guarded {
            let readStdin = strings.contains("-") || stdinName != nil || (strings.isEmpty && !prompt)
            if prompt && readStdin {
                throw TroupeError(.options, "The --prompt option is not supported if also reading input from stdin")
            }
            let secret = try secretOptions.encryptSecret(encryptVaultID: encryptVaultID)
            var inputs: [(plaintext: Data, source: String, name: String?)] = []
            if prompt { inputs.append(try promptedInput()) }
            if readStdin {
                if isatty(STDOUT_FILENO) != 0 {
                    FileHandle.standardError.write(Data("Reading plaintext input from stdin. (ctrl-d to end input, twice if your content does not already have a newline)\n".utf8))
                }
                let text = FileHandle.standardInput.readDataToEndOfFile()
                if text.isEmpty { throw TroupeError(.options, "stdin was empty, not encrypting") }
                inputs.append((text, "stdin", stdinName))
            }
            let args = strings.filter { $0 != "-" }
            if !names.isEmpty && args.count > names.count {
                FileHandle.standardError.write(Data(("The number of --name options do not match the number of args.\n"
                    + "The last named variable will be \"\(names[names.count - 1])\". The rest will not have names.\n").utf8))
            }
            for (index, text) in args.enumerated() {
                if text.isEmpty { throw TroupeError(.options, "The plaintext provided from the command line args was empty, not encrypting") }
                inputs.append((Data(text.utf8), "the command line args", index < names.count ? names[index] : nil))
            }
            var blocks: [String] = []
            for (index, input) in inputs.enumerated() {
                if inputs.count > 1 {
                    let note = input.name.map { "# The encrypted version of variable (\"\($0)\", the string #\(index + 1) from \(input.source)).\n" }
                        ?? "# The encrypted version of the string #\(index + 1) from \(input.source).)\n"
                    FileHandle.standardError.write(Data(note.utf8))
                }
                let ciphertext = try Vault.encrypt(input.plaintext, secret: secret, vaultID: secret.label)
                blocks.append(Self.yamlBlock(ciphertext, name: input.name))
            }
            try VaultFiles.write(Data((blocks.joined(separator: "\n") + "\n").utf8), to: output ?? "-")
            VaultFiles.status("Encryption successful")
        }
    }

    /// `name: !vault |` followed by the vaulted lines indented ten spaces, as ansible-vault prints.
    static func yamlBlock(_ ciphertext: String, name: String?) -> String {
        var lines = ["\(name.map { "\($0): " } ?? "")!vault |"]
        lines += ciphertext.split(separator: "\n").map { String(repeating: " ", count: 10) + $0 }
        return lines.joined(separator: "\n")
    }

    private func promptedInput() throws -> (plaintext: Data, source: String, name: String?) {
        FileHandle.standardError.write(Data("Variable name (enter for no name): ".utf8))
        let name = readLine() ?? ""
        let text: String
        if showInput {
            FileHandle.standardError.write(Data("String to encrypt:".utf8))
            text = readLine() ?? ""
        } else {
            text = getpass("String to encrypt (hidden): ").map { String(cString: $0) } ?? ""
        }
        if text.isEmpty { throw TroupeError(.options, "The plaintext provided from the prompt was empty, not encrypting") }
        return (Data(text.utf8), "the interactive prompt", name.isEmpty ? nil : name)
    }
}

/// `troupe vault rekey FILE…`: decrypts with the current secrets, re-encrypts with the new one.
struct VaultRekey: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rekey", abstract: "Re-key a vault encrypted file.")
    @OptionGroup var secretOptions: VaultSecretOptions
    @Option(name: .customLong("encrypt-vault-id"), help: "The vault id used to encrypt.") var encryptVaultID: String?
    @Option(name: .customLong("new-vault-password-file"), help: "New vault password file for rekey.") var newPasswordFile: String?
    @Option(name: .customLong("new-vault-id"), help: "The new vault identity to use for rekey.") var newVaultID: String?
    @Argument(help: "Files to rekey.") var files: [String] = []

    func run() throws {
        VaultFiles.guarded {
            if newPasswordFile != nil && newVaultID != nil {
                throw TroupeError(.options, "argument --new-vault-id: not allowed with argument --new-vault-password-file")
            }
            let secrets = try secretOptions.secrets(confirmNew: false)
            let newSecrets = try VaultSecretsLoader.load(
                passwordFiles: newPasswordFile.map { [$0] } ?? [], vaultIDs: newVaultID.map { [$0] } ?? [],
                askPass: newPasswordFile == nil && newVaultID == nil, confirmNew: true)
            let newSecret: VaultSecret
            if let encryptVaultID {
                guard let match = newSecrets.first(where: { $0.label == encryptVaultID }) else {
                    throw TroupeError(.execution, "Did not find a match for --encrypt-vault-id=\(encryptVaultID) in the known vault-ids \(newSecrets.map(\.label))")
                }
                newSecret = match
            } else if let first = newSecrets.first {
                newSecret = first
            } else {
                throw TroupeError(.options, "A new vault password is required to use Ansible's Vault rekey")
            }
            for file in files {
                let path = VaultFiles.realPath(file)
                let plaintext = try VaultFiles.decrypt(path, secrets: secrets).plaintext
                let ciphertext = try Vault.encrypt(plaintext, secret: newSecret, vaultID: newSecret.label)
                try VaultFiles.write(Data(ciphertext.utf8), to: path)
            }
            FileHandle.standardError.write(Data("Rekey successful\n".utf8))
        }
    }
}
