@preconcurrency import Crypto
import Foundation

/// Encrypts secrets at rest (credential inputs) with AES-GCM, and keys token hashes with
/// HMAC, under one key: `TROUPE_SECRET_KEY` or `DATA_DIR/secret.key` (created 0600).
public struct SecretBox: Sendable {
    static let marker = "$encrypted$"
    static let storedPrefix = "$encrypted$AESGCM$"
    private let key: SymmetricKey

    public init(key: SymmetricKey) { self.key = key }

    /// The key from the environment, else from the data dir (generated on first start).
    public static func load(dataDirectory: URL, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SecretBox {
        if let text = environment["TROUPE_SECRET_KEY"], !text.isEmpty {
            return SecretBox(key: SymmetricKey(data: SHA256.hash(data: Data(text.utf8))))
        }
        let file = dataDirectory.appendingPathComponent("secret.key")
        if let existing = try? String(contentsOf: file, encoding: .utf8), let data = Data(base64Encoded: existing.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 {
            return SecretBox(key: SymmetricKey(data: data))
        }
        let key = SymmetricKey(size: .bits256)
        let encoded = key.withUnsafeBytes { Data($0).base64EncodedString() }
        let created = FileManager.default.createFile(atPath: file.path, contents: Data((encoded + "\n").utf8),
                                                     attributes: [.posixPermissions: 0o600])
        if !created { throw ControllerStartError("cannot write \(file.path)") }
        return SecretBox(key: key)
    }

    public func encrypt(_ plaintext: String) -> String {
        // AES-GCM sealing only fails for invalid nonces/keys, which we never build.
        let sealed = try! AES.GCM.seal(Data(plaintext.utf8), using: key)
        return SecretBox.storedPrefix + sealed.combined!.base64EncodedString()
    }

    public func decrypt(_ stored: String) -> String? {
        guard stored.hasPrefix(SecretBox.storedPrefix),
              let data = Data(base64Encoded: String(stored.dropFirst(SecretBox.storedPrefix.count))),
              let box = try? AES.GCM.SealedBox(combined: data),
              let plain = try? AES.GCM.open(box, using: key) else { return nil }
        return String(decoding: plain, as: UTF8.self)
    }

    /// A keyed hash for looking tokens and session keys up without storing them.
    public func tokenHash(_ token: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(token.utf8), using: key)
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    public static func randomToken(bytes: Int = 24) -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return String((0..<(bytes * 4 / 3)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }
}

public struct ControllerStartError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
