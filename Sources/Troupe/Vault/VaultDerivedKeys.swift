import Foundation

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
