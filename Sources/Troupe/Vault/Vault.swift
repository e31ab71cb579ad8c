import Foundation
import Jinja

/// ansible-vault's `$ANSIBLE_VAULT;1.1;AES256` format: PBKDF2-SHA256 key derivation,
/// AES-256-CTR over PKCS#7-padded plaintext, an HMAC-SHA256 over the ciphertext, and a
/// doubly hexlified payload wrapped at 80 columns.
public enum Vault {
    /// The vault id given to secrets that were not labelled.
    public static let defaultVaultID = "default"
    /// What every vaulted text starts with.
    public static let header = "$ANSIBLE_VAULT"
    /// ansible-vault's PBKDF2 iteration count.
    static let iterations = 10_000
    static let cipherName = "AES256"

    /// Whether `text` is vault-encrypted data (ASCII starting with `$ANSIBLE_VAULT`).
    public static func isEncrypted(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 } && text.hasPrefix(header)
    }

    /// Encrypts `plaintext` with `secret`; a `vaultID` other than `default` produces a 1.2
    /// header naming it. The result ends with a newline, ready to write to a file.
    public static func encrypt(_ plaintext: Data, secret: VaultSecret, vaultID: String? = nil) throws -> String {
        try encrypt(plaintext, secret: secret, vaultID: vaultID, salt: randomSalt())
    }

    /// Encryption with a chosen salt; tests use it for reproducible output.
    static func encrypt(_ plaintext: Data, secret: VaultSecret, vaultID: String?, salt: [UInt8]) throws -> String {
        if secret.password.isEmpty { throw TroupeError(.options, "Invalid vault password was provided") }
        if let text = String(data: plaintext, encoding: .utf8), isEncrypted(text) {
            throw TroupeError(.execution, "input is already encrypted")
        }
        let keys = DerivedKeys(password: Array(secret.password), salt: salt)
        var padded = Array(plaintext)
        let padding = 16 - padded.count % 16
        padded += [UInt8](repeating: UInt8(padding), count: padding)
        let ciphertext = keys.cipher.ctr(padded, counter: keys.counter)
        let tag = HMACSHA256.authenticate(ciphertext, key: keys.hmacKey)
        let inner = Digest.hex(salt) + "\n" + Digest.hex(tag) + "\n" + Digest.hex(ciphertext)
        let payload = Digest.hex(Array(inner.utf8))

        var headerLine = "\(header);1.1;\(cipherName)"
        if let vaultID, !vaultID.isEmpty, vaultID != defaultVaultID {
            if vaultID.contains(";") {
                throw TroupeError(.options, "'\(vaultID)' is not a valid vault id. The character ';' is not allowed in vault ids")
            }
            headerLine = "\(header);1.2;\(cipherName);\(vaultID)"
        }
        var lines = [headerLine]
        let chars = Array(payload)
        var start = 0
        while start < chars.count {
            lines.append(String(chars[start..<min(start + 80, chars.count)]))
            start += 80
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Decrypts vaulted `text`, trying the secret whose label matches the header's vault id
    /// first and then every other secret, as ansible does by default (secrets marked
    /// `requiresMatchingID`, from `vault_id_match`, only for their own vault id).
    public static func decrypt(_ text: String, secrets: [VaultSecret]) throws -> Data {
        try decryptWithSecret(text, secrets: secrets).plaintext
    }

    /// Decrypts and also reports which secret worked and the vault id in the header, for `edit`
    /// (which re-encrypts with the same secret and id).
    public static func decryptWithSecret(_ text: String, secrets: [VaultSecret]) throws
        -> (plaintext: Data, secret: VaultSecret, headerVaultID: String?) {
        guard isEncrypted(text) else { throw TroupeError(.execution, "Input is not vault encrypted data.") }
        let envelope = try Envelope(text)
        guard envelope.cipherName == cipherName else {
            throw TroupeError(.execution, "Cipher '\(envelope.cipherName)' could not be found.")
        }
        guard !secrets.isEmpty else { throw TroupeError(.execution, "Attempting to decrypt but no vault secrets found.") }
        let payload = try Payload(hexText: envelope.payloadHex)

        var ordered = secrets.filter { $0.label == envelope.vaultID }
        ordered += secrets.filter { $0.label != envelope.vaultID && !$0.requiresMatchingID }
        var lastFailure: TroupeError?
        for secret in ordered {
            do {
                return (try payload.decrypt(with: secret), secret, envelope.vaultID)
            } catch let failure as TroupeError {
                lastFailure = failure
            }
        }
        throw TroupeError(.execution, "Decryption failed (no vault secrets were found that could decrypt).",
                          underlying: lastFailure)
    }

    static func randomSalt() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// Binary from hexadecimal text; a format error (as ansible's unhexlify) otherwise.
    static func unhexlify<S: Sequence>(_ text: S) throws -> [UInt8] where S.Element == UInt8 {
        var out: [UInt8] = []
        var high: UInt8?
        for char in text {
            let nibble: UInt8
            switch char {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = char - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = char - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = char - UInt8(ascii: "A") + 10
            default: throw TroupeError(.execution, "Vault format unhexlify error.")
            }
            if let h = high { out.append(h << 4 | nibble); high = nil } else { high = nibble }
        }
        if high != nil { throw TroupeError(.execution, "Vault format unhexlify error.") }
        return out
    }
}
