import Foundation
import Jinja

/// HMAC-SHA256 (RFC 2104) and PBKDF2-HMAC-SHA256 (RFC 8018) over the Jinja target's SHA-256.
enum HMACSHA256 {
    private static let blockSize = 64

    /// The HMAC-SHA256 tag of `message` under `key`.
    static func authenticate(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        let pads = Pads(key: key)
        return pads.authenticate(message)
    }

    /// PBKDF2 with HMAC-SHA256: `length` bytes derived from `password` and `salt`.
    static func pbkdf2(password: [UInt8], salt: [UInt8], iterations: Int, length: Int) -> [UInt8] {
        let pads = Pads(key: password)
        var derived: [UInt8] = []
        derived.reserveCapacity(length + 32)
        var blockIndex: UInt32 = 1
        while derived.count < length {
            var u = pads.authenticate(salt + [UInt8(blockIndex >> 24), UInt8((blockIndex >> 16) & 0xff),
                                              UInt8((blockIndex >> 8) & 0xff), UInt8(blockIndex & 0xff)])
            var t = u
            if iterations > 1 {
                for _ in 1..<iterations {
                    u = pads.authenticate(u)
                    for k in 0..<32 { t[k] ^= u[k] }
                }
            }
            derived += t
            blockIndex += 1
        }
        return Array(derived.prefix(length))
    }

    /// Constant-time equality, so a tag check does not leak how many bytes matched.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for k in 0..<a.count { difference |= a[k] ^ b[k] }
        return difference == 0
    }

    /// The key XORed with ipad and opad, computed once per key (PBKDF2 reuses them 10,000 times).
    private struct Pads {
        let inner: [UInt8]
        let outer: [UInt8]

        init(key: [UInt8]) {
            var block = key.count > HMACSHA256.blockSize ? Digest.hash(key, .sha256) : key
            block += [UInt8](repeating: 0, count: HMACSHA256.blockSize - block.count)
            inner = block.map { $0 ^ 0x36 }
            outer = block.map { $0 ^ 0x5c }
        }

        func authenticate(_ message: [UInt8]) -> [UInt8] {
            Digest.hash(outer + Digest.hash(inner + message, .sha256), .sha256)
        }
    }
}
