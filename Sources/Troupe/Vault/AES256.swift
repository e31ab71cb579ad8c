/// AES-256 block encryption (FIPS-197) and CTR mode, in plain Swift.
///
/// Only the forward cipher is needed: CTR mode decrypts by encrypting the counter stream,
/// which is all ansible-vault's AES256 format uses.
struct AES256 {
    /// The 15 round keys (60 words) expanded from the 32-byte key.
    private let roundKeys: [UInt8]

    /// Expands a 32-byte key; returns nil for any other length.
    init?(key: [UInt8]) {
        guard key.count == 32 else { return nil }
        var words = key
        words.reserveCapacity(240)
        var rcon: UInt8 = 1
        var i = 8
        while words.count < 240 {
            var temp = Array(words[(words.count - 4)...])
            if i % 8 == 0 {
                temp = [AES256.sbox[Int(temp[1])] ^ rcon, AES256.sbox[Int(temp[2])],
                        AES256.sbox[Int(temp[3])], AES256.sbox[Int(temp[0])]]
                rcon = AES256.xtime(rcon)
            } else if i % 8 == 4 {
                temp = temp.map { AES256.sbox[Int($0)] }
            }
            let base = words.count - 32
            for j in 0..<4 { words.append(words[base + j] ^ temp[j]) }
            i += 1
        }
        roundKeys = words
    }

    /// Encrypts one 16-byte block.
    func encryptBlock(_ input: [UInt8]) -> [UInt8] {
        var state = input
        addRoundKey(&state, round: 0)
        for round in 1...14 {
            for k in 0..<16 { state[k] = AES256.sbox[Int(state[k])] }
            // ShiftRows: byte (row r, column c) sits at index 4c + r.
            let shifted = state
            for c in 0..<4 { for r in 1..<4 { state[4 * c + r] = shifted[4 * ((c + r) % 4) + r] } }
            if round != 14 {
                for c in 0..<4 {
                    let a0 = state[4 * c], a1 = state[4 * c + 1], a2 = state[4 * c + 2], a3 = state[4 * c + 3]
                    let all = a0 ^ a1 ^ a2 ^ a3
                    state[4 * c] = a0 ^ all ^ AES256.xtime(a0 ^ a1)
                    state[4 * c + 1] = a1 ^ all ^ AES256.xtime(a1 ^ a2)
                    state[4 * c + 2] = a2 ^ all ^ AES256.xtime(a2 ^ a3)
                    state[4 * c + 3] = a3 ^ all ^ AES256.xtime(a3 ^ a0)
                }
            }
            addRoundKey(&state, round: round)
        }
        return state
    }

    /// CTR mode with a 128-bit big-endian counter starting at `counter`; the same call
    /// encrypts and decrypts.
    func ctr(_ data: [UInt8], counter initial: [UInt8]) -> [UInt8] {
        var counter = initial
        var out = [UInt8](repeating: 0, count: data.count)
        var offset = 0
        while offset < data.count {
            let stream = encryptBlock(counter)
            let end = min(offset + 16, data.count)
            for k in offset..<end { out[k] = data[k] ^ stream[k - offset] }
            offset = end
            var index = 15
            while index >= 0 {
                counter[index] = counter[index] &+ 1
                if counter[index] != 0 { break }
                index -= 1
            }
        }
        return out
    }

    private func addRoundKey(_ state: inout [UInt8], round: Int) {
        let base = round * 16
        for k in 0..<16 { state[k] ^= roundKeys[base + k] }
    }

    /// Multiplication by x in GF(2^8) modulo the AES polynomial.
    static func xtime(_ value: UInt8) -> UInt8 {
        (value << 1) ^ ((value & 0x80) != 0 ? 0x1b : 0)
    }

    /// The S-box, derived from the field inverse and the affine map rather than typed in.
    static let sbox: [UInt8] = {
        var box = [UInt8](repeating: 0, count: 256)
        var p: UInt8 = 1, q: UInt8 = 1
        // Walk p through the powers of 3 and q through the powers of 1/3: q = p⁻¹.
        repeat {
            p = p ^ (p << 1) ^ ((p & 0x80) != 0 ? 0x1b : 0)
            q ^= q << 1
            q ^= q << 2
            q ^= q << 4
            if (q & 0x80) != 0 { q ^= 0x09 }
            let rotl = { (x: UInt8, s: UInt8) -> UInt8 in (x << s) | (x >> (8 - s)) }
            box[Int(p)] = q ^ rotl(q, 1) ^ rotl(q, 2) ^ rotl(q, 3) ^ rotl(q, 4) ^ 0x63
        } while p != 1
        box[0] = 0x63
        return box
    }()
}
