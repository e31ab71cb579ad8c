/// Just enough of Python's `decimal.Decimal` for the times in JUnit reports: the exact
/// value of a double (`Decimal(float)`), addition rounded to the default 28 significant
/// digits (half-even), and `str()` — so report times read exactly as ansible writes them.
struct PythonDecimal: Equatable {
    /// Decimal digits of the coefficient, most significant first, without leading zeros ([0] for zero).
    private(set) var digits: [UInt8]
    /// The value is `coefficient × 10^exponent`.
    private(set) var exponent: Int

    static let zero = PythonDecimal(digits: [0], exponent: 0)
    private static let precision = 28

    init(digits: [UInt8], exponent: Int) {
        let firstNonZero = digits.firstIndex { $0 != 0 } ?? (digits.count - 1)
        self.digits = digits.isEmpty ? [0] : Array(digits[firstNonZero...])
        self.exponent = exponent
    }

    /// The exact value of a finite, non-negative double (negative and non-finite become zero).
    init(_ value: Double) {
        guard value.isFinite, value > 0 else { self = .zero; return }
        var mantissa = value.significandBitPattern | (value.isNormal ? (1 << 52) : 0)
        var power = Int(value.isNormal ? value.exponent : Double.leastNormalMagnitude.exponent) - 52
        while power < 0 && mantissa & 1 == 0 {
            mantissa >>= 1
            power += 1
        }
        var digits = String(mantissa).utf8.map { $0 - 48 }
        if power >= 0 {
            for _ in 0..<power { digits = Self.multiply(digits, by: 2) }
            self.init(digits: digits, exponent: 0)
        } else {
            // m / 2^k = m·5^k / 10^k
            for _ in 0..<(-power) { digits = Self.multiply(digits, by: 5) }
            self.init(digits: digits, exponent: power)
        }
    }

    static func + (lhs: PythonDecimal, rhs: PythonDecimal) -> PythonDecimal {
        let exponent = min(lhs.exponent, rhs.exponent)
        let a = lhs.digits + Array(repeating: 0, count: lhs.exponent - exponent)
        let b = rhs.digits + Array(repeating: 0, count: rhs.exponent - exponent)
        var sum: [UInt8] = []
        var carry: UInt8 = 0
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? a[a.count - 1 - i] : 0
            let y = i < b.count ? b[b.count - 1 - i] : 0
            let total = x + y + carry
            sum.append(total % 10)
            carry = total / 10
        }
        if carry > 0 { sum.append(carry) }
        return PythonDecimal(digits: Array(sum.reversed()), exponent: exponent).rounded()
    }

    /// Rounds to 28 significant digits, half to even, as Python's default context does after an operation.
    private func rounded() -> PythonDecimal {
        let excess = digits.count - Self.precision
        guard excess > 0 else { return self }
        var kept = Array(digits[..<Self.precision])
        let dropped = digits[Self.precision...]
        let first = dropped.first ?? 0
        let restNonZero = dropped.dropFirst().contains { $0 != 0 }
        if first > 5 || (first == 5 && (restNonZero || kept.last! % 2 == 1)) {
            var i = kept.count - 1
            while i >= 0 {
                if kept[i] == 9 { kept[i] = 0; i -= 1 } else { kept[i] += 1; break }
            }
            if i < 0 {
                // 999… rounded up: one more digit, so drop the last (a zero) to stay at 28.
                kept.insert(1, at: 0)
                kept.removeLast()
                return PythonDecimal(digits: kept, exponent: exponent + excess + 1)
            }
        }
        return PythonDecimal(digits: kept, exponent: exponent + excess)
    }

    /// Python's `str(Decimal)`: plain notation unless the value is very small or has a positive exponent.
    var description: String {
        let coefficient = String(decoding: digits.map { $0 + 48 }, as: UTF8.self)
        let leftDigits = exponent + digits.count
        let dotPlace = (exponent <= 0 && leftDigits > -6) ? leftDigits : 1
        var text: String
        if dotPlace <= 0 {
            text = "0." + String(repeating: "0", count: -dotPlace) + coefficient
        } else if dotPlace >= digits.count {
            text = coefficient + String(repeating: "0", count: dotPlace - digits.count)
        } else {
            let index = coefficient.index(coefficient.startIndex, offsetBy: dotPlace)
            text = coefficient[..<index] + "." + coefficient[index...]
        }
        if leftDigits != dotPlace {
            let shift = leftDigits - dotPlace
            text += "E" + (shift >= 0 ? "+" : "") + String(shift)
        }
        return text
    }

    private static func multiply(_ digits: [UInt8], by factor: UInt8) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(digits.count + 1)
        var carry = 0
        for digit in digits.reversed() {
            let product = Int(digit) * Int(factor) + carry
            out.append(UInt8(product % 10))
            carry = product / 10
        }
        while carry > 0 {
            out.append(UInt8(carry % 10))
            carry /= 10
        }
        return out.reversed()
    }
}
