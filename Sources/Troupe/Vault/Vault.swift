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
    /// first and then every other secret, as ansible does by default.
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
        ordered += secrets.filter { $0.label != envelope.vaultID }
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

/// The three keys PBKDF2 derives from a password and salt: AES key, HMAC key, CTR counter.
struct DerivedKeys {
    let cipher: AES256
    let hmacKey: [UInt8]
    let counter: [UInt8]

    private static let cacheLock = NSLock()
    nonisolated(unsafe) private static var cache: [[UInt8]: DerivedKeys] = [:]

    /// Keys for decryption, remembered per password and salt: the same `!vault` value is
    /// typically decrypted once per host, and each derivation costs 10,000 HMAC rounds.
    static func cached(password: [UInt8], salt: [UInt8]) -> DerivedKeys {
        let count = UInt64(salt.count)
        let key = (0..<8).map { UInt8((count >> (8 * UInt64($0))) & 0xff) } + salt + password
        cacheLock.lock()
        if let known = cache[key] { cacheLock.unlock(); return known }
        cacheLock.unlock()
        let keys = DerivedKeys(password: password, salt: salt)
        cacheLock.lock()
        if cache.count >= 512 { cache.removeAll() }
        cache[key] = keys
        cacheLock.unlock()
        return keys
    }

    init(password: [UInt8], salt: [UInt8]) {
        let material = HMACSHA256.pbkdf2(password: password, salt: salt, iterations: Vault.iterations, length: 80)
        // 32 bytes always make a valid AES-256 key.
        cipher = AES256(key: Array(material[0..<32]))!
        hmacKey = Array(material[32..<64])
        counter = Array(material[64..<80])
    }
}

/// The header line (`$ANSIBLE_VAULT;version;cipher[;vault-id]`) and the wrapped payload.
struct Envelope {
    let version: String
    let cipherName: String
    let vaultID: String?
    let payloadHex: [UInt8]

    init(_ text: String) throws {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline })
        let fields = lines.removeFirst().trimmingCharacters(in: .whitespaces).split(separator: ";", omittingEmptySubsequences: false)
        guard fields.count >= 3 else { throw TroupeError(.execution, "Vault envelope format error.") }
        version = fields[1].trimmingCharacters(in: .whitespaces)
        cipherName = fields[2].trimmingCharacters(in: .whitespaces)
        vaultID = fields.count >= 4 ? fields[3].trimmingCharacters(in: .whitespaces) : nil
        // Indentation left over from a YAML `!vault |` block is not part of the payload.
        payloadHex = lines.flatMap { Array($0.trimmingCharacters(in: .whitespaces).utf8) }
    }
}

/// The decoded payload: salt, hexadecimal HMAC and ciphertext.
struct Payload {
    let salt: [UInt8]
    let tagHex: [UInt8]
    let ciphertext: [UInt8]

    init(hexText: [UInt8]) throws {
        let inner = try Vault.unhexlify(hexText)
        let parts = inner.split(separator: UInt8(ascii: "\n"), maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw TroupeError(.execution, "Vault vaulttext format error.") }
        salt = try Vault.unhexlify(parts[0])
        tagHex = Array(parts[1])
        ciphertext = try Vault.unhexlify(parts[2])
    }

    func decrypt(with secret: VaultSecret) throws -> Data {
        let keys = DerivedKeys.cached(password: Array(secret.password), salt: salt)
        let expected = HMACSHA256.authenticate(ciphertext, key: keys.hmacKey)
        guard HMACSHA256.constantTimeEqual(try Vault.unhexlify(tagHex), expected) else {
            throw TroupeError(.execution, "HMAC verification failed for vault secret '\(secret.label)'")
        }
        let padded = keys.cipher.ctr(ciphertext, counter: keys.counter)
        guard let last = padded.last, last >= 1, last <= 16, Int(last) <= padded.count,
              padded.suffix(Int(last)).allSatisfy({ $0 == last }) else {
            throw TroupeError(.execution, "Invalid padding bytes.")
        }
        return Data(padded.dropLast(Int(last)))
    }
}
