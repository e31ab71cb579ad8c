import Foundation

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
