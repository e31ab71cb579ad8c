/// CPython's `random.Random` (MT19937 with Python's seeding), so `random(seed=…)` and
/// `shuffle(seed=…)` pick exactly what Ansible picks for the same seed.
struct PythonRandom {
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 624

    /// Seeds like `random.Random(seed)`: ints by magnitude, strings via
    /// `int.from_bytes(s + sha512(s), 'big')` (seed version 2).
    init(seed: Value) {
        var key: [UInt32]
        switch seed {
        case .int(let i): key = PythonRandom.words(fromMagnitude: i.magnitude)
        case .bool(let b): key = [b ? 1 : 0]
        case .float(let d) where d == d.rounded() && Swift.abs(d) < 9e18:
            key = PythonRandom.words(fromMagnitude: Int(d).magnitude)
        default:
            let bytes = Array(seed.pythonString.utf8)
            let big = bytes + Digest.hash(bytes, .sha512)
            key = PythonRandom.words(fromBigEndian: big)
        }
        if key.isEmpty { key = [0] }
        initByArray(key)
    }

    static func words(fromMagnitude m: UInt) -> [UInt32] {
        var words: [UInt32] = []
        var value = UInt64(m)
        repeat { words.append(UInt32(value & 0xffff_ffff)); value >>= 32 } while value > 0
        return words
    }

    /// Little-endian 32-bit words of a big-endian byte string, without leading zero words.
    static func words(fromBigEndian bytes: [UInt8]) -> [UInt32] {
        var words: [UInt32] = []
        var end = bytes.count
        while end > 0 {
            let start = max(0, end - 4)
            var word: UInt32 = 0
            for b in bytes[start..<end] { word = word << 8 | UInt32(b) }
            words.append(word)
            end = start
        }
        while words.count > 1, words.last == 0 { words.removeLast() }
        return words
    }

    private mutating func initGenrand(_ s: UInt32) {
        state[0] = s
        for i in 1..<624 {
            state[i] = 1812433253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
        index = 624
    }

    private mutating func initByArray(_ key: [UInt32]) {
        initGenrand(19650218)
        var i = 1, j = 0
        for _ in 0..<max(624, key.count) {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1664525)) &+ key[j] &+ UInt32(j)
            i += 1; j += 1
            if i >= 624 { state[0] = state[623]; i = 1 }
            if j >= key.count { j = 0 }
        }
        for _ in 0..<623 {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1566083941)) &- UInt32(i)
            i += 1
            if i >= 624 { state[0] = state[623]; i = 1 }
        }
        state[0] = 0x8000_0000
    }

    mutating func nextUInt32() -> UInt32 {
        if index >= 624 {
            for k in 0..<624 {
                let y = (state[k] & 0x8000_0000) | (state[(k + 1) % 624] & 0x7fff_ffff)
                state[k] = state[(k + 397) % 624] ^ (y >> 1) ^ ((y & 1) != 0 ? 0x9908_b0df : 0)
            }
            index = 0
        }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    /// `getrandbits(k)` for k ≤ 64.
    mutating func randomBits(_ k: Int) -> UInt64 {
        if k <= 32 { return UInt64(nextUInt32() >> UInt32(32 - k)) }
        let low = UInt64(nextUInt32())
        let high = UInt64(nextUInt32() >> UInt32(64 - k))
        return high << 32 | low
    }

    /// `_randbelow(n)`: rejection sampling on `n.bit_length()` bits.
    mutating func below(_ n: Int) -> Int {
        guard n > 0 else { return 0 }
        let k = Int.bitWidth - n.leadingZeroBitCount
        var r = randomBits(k)
        while r >= UInt64(n) { r = randomBits(k) }
        return Int(r)
    }

    /// `randrange(start, stop, step)`.
    mutating func randrange(_ start: Int, _ stop: Int, _ step: Int) throws -> Int {
        let (width, overflow) = stop.subtractingReportingOverflow(start)
        guard !overflow else { throw JinjaError(.value, "randrange() range is too large") }
        if step == 1 {
            guard width > 0 else { throw JinjaError(.value, "empty range in randrange(\(start), \(stop))") }
            return start &+ below(width)
        }
        guard step != 0 else { throw JinjaError(.value, "zero step for randrange()") }
        let (padded, paddingOverflow) = width.addingReportingOverflow(step > 0 ? step - 1 : step + 1)
        guard !paddingOverflow else { throw JinjaError(.value, "randrange() range is too large") }
        let n = padded / step
        guard n > 0 else { throw JinjaError(.value, "empty range in randrange(\(start), \(stop), \(step))") }
        return start &+ step &* below(n)
    }

    /// `shuffle(list)`.
    mutating func shuffle(_ items: inout [Value]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, through: 1, by: -1) {
            items.swapAt(i, below(i + 1))
        }
    }
}
