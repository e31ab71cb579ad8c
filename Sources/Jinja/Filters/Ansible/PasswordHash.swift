import Foundation

/// Unix crypt(3) password hashes as passlib produces them: `$6$` (sha512_crypt),
/// `$5$` (sha256_crypt) and `$1$` (md5_crypt).
public enum PasswordHash {
    /// The schemes `password_hash` supports.
    public enum Scheme: String, Sendable {
        /// `sha512_crypt` (`$6$`), `sha256_crypt` (`$5$`) and `md5_crypt` (`$1$`).
        case sha512, sha256, md5

        var ident: String {
            switch self {
            case .sha512: return "6"
            case .sha256: return "5"
            case .md5: return "1"
            }
        }
        /// passlib's default rounds (omitted from the output when equal to 5000).
        var defaultRounds: Int {
            switch self {
            case .sha512: return 656000
            case .sha256: return 535000
            case .md5: return 1000
            }
        }
        var maxSaltLength: Int { self == .md5 ? 8 : 16 }
    }

    static let alphabet = Array("./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// A random salt from the crypt alphabet.
    public static func randomSalt(length: Int) -> String {
        String(decoding: (0..<length).map { _ in alphabet.randomElement()! }, as: UTF8.self)
    }

    /// The crypt string for `password`. `rounds` nil means passlib's default.
    public static func hash(_ password: String, scheme: Scheme, salt: String?, rounds: Int?) throws -> String {
        let saltText = salt ?? randomSalt(length: scheme.maxSaltLength)
        let schemeName = scheme.rawValue + "_crypt"
        guard saltText.utf8.allSatisfy({ alphabet.contains($0) }) else {
            throw JinjaError(.filter, "Could not hash the secret: invalid characters in \(schemeName) salt")
        }
        guard saltText.utf8.count <= scheme.maxSaltLength else {
            throw JinjaError(.filter, "Could not hash the secret: salt too large (\(schemeName) requires <= \(scheme.maxSaltLength) chars)")
        }
        let saltBytes = Array(saltText.utf8)
        let pw = Array(password.utf8)
        switch scheme {
        case .md5:
            return "$1$" + String(decoding: saltBytes, as: UTF8.self) + "$" + md5Crypt(pw, saltBytes)
        case .sha256, .sha512:
            let n = rounds ?? scheme.defaultRounds
            guard n >= 1000 else {
                throw JinjaError(.filter, "Could not hash the secret: \(schemeName): min_desired_rounds (\(n)) is too low, must be at least 1000")
            }
            guard n <= 999_999_999 else {
                throw JinjaError(.filter, "Could not hash the secret: \(schemeName): max_desired_rounds (\(n)) is too high, must be at most 999999999")
            }
            let prefix = "$\(scheme.ident)$" + (n == 5000 ? "" : "rounds=\(n)$") + String(decoding: saltBytes, as: UTF8.self) + "$"
            return prefix + shaCrypt(pw, saltBytes, rounds: n, sha512: scheme == .sha512)
        }
    }

    private static func encode(_ b2: UInt8, _ b1: UInt8, _ b0: UInt8, _ count: Int) -> String {
        var w = UInt32(b2) << 16 | UInt32(b1) << 8 | UInt32(b0)
        var out = ""
        for _ in 0..<count {
            out.unicodeScalars.append(Unicode.Scalar(alphabet[Int(w & 0x3f)]))
            w >>= 6
        }
        return out
    }

    /// Ulrich Drepper's SHA-crypt.
    static func shaCrypt(_ pw: [UInt8], _ salt: [UInt8], rounds: Int, sha512: Bool) -> String {
        let H: ([UInt8]) -> [UInt8] = sha512 ? { SHA512Engine(truncated: false).digest($0) } : { SHA256Engine(truncated: false).digest($0) }
        let size = sha512 ? 64 : 32
        let b = H(pw + salt + pw)
        var a = pw + salt
        var remaining = pw.count
        while remaining > size { a += b; remaining -= size }
        a += b.prefix(remaining)
        var i = pw.count
        while i > 0 { a += (i & 1) != 0 ? b : pw; i >>= 1 }
        var c = H(a)
        var dp: [UInt8] = []
        for _ in 0..<pw.count { dp += pw }
        let dpHash = H(dp)
        var p: [UInt8] = []
        while p.count + size <= pw.count { p += dpHash }
        p += dpHash.prefix(pw.count - p.count)
        var ds: [UInt8] = []
        for _ in 0..<(16 + Int(c[0])) { ds += salt }
        let s = Array(H(ds).prefix(salt.count))
        var buffer: [UInt8] = []
        buffer.reserveCapacity(size + 2 * pw.count + salt.count + size)
        for r in 0..<rounds {
            buffer.removeAll(keepingCapacity: true)
            if r & 1 != 0 { buffer += p } else { buffer += c }
            if r % 3 != 0 { buffer += s }
            if r % 7 != 0 { buffer += p }
            if r & 1 != 0 { buffer += c } else { buffer += p }
            c = H(buffer)
        }
        var out = ""
        if sha512 {
            let order: [(Int, Int, Int)] = [(0, 21, 42), (22, 43, 1), (44, 2, 23), (3, 24, 45), (25, 46, 4), (47, 5, 26),
                                            (6, 27, 48), (28, 49, 7), (50, 8, 29), (9, 30, 51), (31, 52, 10), (53, 11, 32),
                                            (12, 33, 54), (34, 55, 13), (56, 14, 35), (15, 36, 57), (37, 58, 16),
                                            (59, 17, 38), (18, 39, 60), (40, 61, 19), (62, 20, 41)]
            for (x, y, z) in order { out += encode(c[x], c[y], c[z], 4) }
            out += encode(0, 0, c[63], 2)
        } else {
            let order: [(Int, Int, Int)] = [(0, 10, 20), (21, 1, 11), (12, 22, 2), (3, 13, 23), (24, 4, 14),
                                            (15, 25, 5), (6, 16, 26), (27, 7, 17), (18, 28, 8), (9, 19, 29)]
            for (x, y, z) in order { out += encode(c[x], c[y], c[z], 4) }
            out += encode(0, c[31], c[30], 3)
        }
        return out
    }

    /// Poul-Henning Kamp's MD5-crypt.
    static func md5Crypt(_ pw: [UInt8], _ salt: [UInt8]) -> String {
        let magic = Array("$1$".utf8)
        var final = Digest.md5(pw + salt + pw)
        var ctx = pw + magic + salt
        var remaining = pw.count
        while remaining > 0 { ctx += final.prefix(min(remaining, 16)); remaining -= 16 }
        var i = pw.count
        while i > 0 { ctx.append((i & 1) != 0 ? 0 : (pw.first ?? 0)); i >>= 1 }
        final = Digest.md5(ctx)
        for r in 0..<1000 {
            var round: [UInt8] = (r & 1) != 0 ? pw : final
            if r % 3 != 0 { round += salt }
            if r % 7 != 0 { round += pw }
            round += (r & 1) != 0 ? final : pw
            final = Digest.md5(round)
        }
        var out = ""
        for (x, y, z) in [(0, 6, 12), (1, 7, 13), (2, 8, 14), (3, 9, 15), (4, 10, 5)] {
            out += encode(final[x], final[y], final[z], 4)
        }
        out += encode(0, 0, final[11], 2)
        return out
    }
}
