import _CryptoExtras
import Crypto
import Foundation

/// Django-style `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>` password hashes.
public enum PasswordHasher {
    static let iterations = 120_000

    public static func hash(_ password: String) -> String {
        let salt = SecretBox.randomToken(bytes: 12)
        return "pbkdf2_sha256$\(iterations)$\(salt)$\(derive(password, salt: salt, iterations: iterations))"
    }

    public static func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "pbkdf2_sha256", let iterations = Int(parts[1]), iterations > 0 else { return false }
        let expected = derive(password, salt: String(parts[2]), iterations: iterations)
        // Constant-time comparison.
        let a = Array(expected.utf8), b = Array(parts[3].utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private static func derive(_ password: String, salt: String, iterations: Int) -> String {
        let key = try? KDF.Insecure.PBKDF2.deriveKey(from: Data(password.utf8), salt: Data(salt.utf8), using: .sha256,
                                                    outputByteCount: 32, unsafeUncheckedRounds: iterations)
        return key.map { $0.withUnsafeBytes { Data($0).base64EncodedString() } } ?? ""
    }
}
