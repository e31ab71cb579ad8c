import Foundation

/// Jinja2's numeric filters (`abs`, `int`, `float`, `round`) and Python's number parsing.
enum NumberFilters {
    static var all: [String: Filter] {
        [
            "abs": Filter(absolute),
            "int": Filter(toInt),
            "float": Filter(toFloatFilter),
            "round": Filter(round),
        ]
    }

    static func absolute(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        switch v {
        case .int(let i): return .int(i == Int.min ? i : Swift.abs(i))
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let d): return .float(Swift.abs(d))
        default: throw JinjaError(.type, "bad operand type for abs(): '\(v.pythonTypeName)'")
        }
    }

    /// Python's `int(text, base)`: whitespace, sign, underscores and matching prefixes.
    /// Python accepts any Unicode decimal digit (`int('٣') == 3`); map them to ASCII.
    static func asciiDigits(_ text: String) -> String {
        guard !text.allSatisfy(\.isASCII) else { return text }
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            if !u.isASCII, u.properties.numericType == .decimal, let n = u.properties.numericValue, (0...9).contains(n) {
                out.append(Unicode.Scalar(UInt8(48 + Int(n))))
            } else {
                out.append(u)
            }
        }
        return String(out)
    }

    static func parseInt(_ text: String, base: Int) -> Int? {
        var s = Substring(asciiDigits(text).trimmingCharacters(in: .whitespacesAndNewlines))
        var negative = false
        if s.first == "-" || s.first == "+" { negative = s.first == "-"; s.removeFirst() }
        var radix = base
        let lower = s.lowercased()
        let prefixes: [(String, Int)] = [("0x", 16), ("0o", 8), ("0b", 2)]
        for (prefix, r) in prefixes where lower.hasPrefix(prefix) && (base == r || base == 0) {
            radix = r
            s = s.dropFirst(2)
            if s.first == "_" { s.removeFirst() }
        }
        if radix == 0 {
            radix = 10
            if s.count > 1, s.first == "0", s.contains(where: { $0 != "0" && $0 != "_" }) { return nil }
        }
        guard (2...36).contains(radix), !s.isEmpty, s.first != "_", s.last != "_", !s.contains("__") else { return nil }
        let digits = s.replacingOccurrences(of: "_", with: "")
        guard let magnitude = Int(digits, radix: radix), !digits.hasPrefix("+"), !digits.hasPrefix("-") else { return nil }
        return negative ? -magnitude : magnitude
    }

    /// Python's `float(text)`.
    static func parseFloat(_ text: String) -> Double? {
        var s = asciiDigits(text).trimmingCharacters(in: .whitespacesAndNewlines)
        let lower = s.lowercased()
        let body = lower.hasPrefix("-") || lower.hasPrefix("+") ? String(lower.dropFirst()) : lower
        let negative = lower.hasPrefix("-")
        if body == "inf" || body == "infinity" { return negative ? -.infinity : .infinity }
        if body == "nan" { return .nan }
        guard !body.isEmpty, body.allSatisfy({ "0123456789._e+-".contains($0) }), body.first != "_", body.last != "_",
              !body.contains("__") else { return nil }
        if body.contains("_") {
            // Underscores are only allowed between digits.
            let chars = Array(s)
            for (i, ch) in chars.enumerated() where ch == "_" {
                guard i > 0, i + 1 < chars.count, chars[i - 1].isNumber, chars[i + 1].isNumber else { return nil }
            }
            s = s.replacingOccurrences(of: "_", with: "")
        }
        return Double(s)
    }

    /// `float(value)` with Python's errors.
    static func toFloat(_ v: Value) throws -> Double {
        switch v {
        case .int, .float, .bool: return v.doubleValue!
        case .string(let s), .unsafe(let s):
            guard let d = parseFloat(s) else { throw JinjaError(.value, "could not convert string to float: \(Value.string(s).pythonRepr)") }
            return d
        default:
            throw JinjaError(.type, "float() argument must be a string or a real number, not '\(v.pythonTypeName)'")
        }
    }

    static func toInt(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let fallback = a.value(0, "default") ?? .int(0)
        let base = try FilterSupport.int(a.value(1, "base"), 10, name: "base")
        switch v {
        case .int: return v
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let d):
            return try integer(d) ?? fallback
        case .string(let s), .unsafe(let s):
            if let i = parseInt(s, base: base) { return .int(i) }
            if let d = parseFloat(s) { return try integer(d) ?? fallback }
            return fallback
        default: return fallback
        }
    }

    /// Python's `int(float)` inside Jinja's `int` filter: NaN and infinity give the
    /// filter's default (it catches ValueError and OverflowError). Python's ints are
    /// unbounded and Troupe's are 64-bit, so a finite float beyond Int's range is an
    /// OverflowError here rather than a silent wrong value.
    private static func integer(_ d: Double) throws -> Value? {
        if !d.isFinite { return nil }
        guard d > -9.223372036854775808e18, d < 9.223372036854775808e18 else {
            throw JinjaError(.runtime, "OverflowError: \(String(format: "%.0f", d.rounded(.towardZero))) does not fit in a 64-bit integer")
        }
        return .int(Int(d))
    }

    static func toFloatFilter(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let fallback = a.value(0, "default") ?? .float(0)
        return (try? .float(toFloat(v))) ?? fallback
    }

    /// Python's `round(x, n)` for floats: correctly rounded, ties to even.
    static func pythonRound(_ d: Double, _ precision: Int) -> Double {
        guard d.isFinite else { return d }
        if precision >= 0 {
            return Double(String(format: "%.\(min(precision, 300))f", d)) ?? d
        }
        let scale = pow(10.0, Double(-precision))
        return (d / scale).rounded(.toNearestOrEven) * scale
    }

    static func round(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let precision = try FilterSupport.int(a.value(0, "precision"), 0, name: "precision")
        let method = FilterSupport.string(a.value(1, "method"), "common")
        guard ["common", "ceil", "floor"].contains(method) else {
            throw JinjaError(.runtime, "method must be common, ceil or floor")
        }
        if method == "common" {
            switch v {
            case .int(let i):
                guard precision < 0 else { return v }
                guard precision > -19 else { return .int(0) }
                let scale = Int(pow(10.0, Double(-precision)))
                let rounded = (Double(i) / Double(scale)).rounded(.toNearestOrEven) * Double(scale)
                return .int(FilterSupport.exactInt(rounded) ?? i)
            case .bool(let b): return .int(b ? 1 : 0)
            case .float(let d): return .float(pythonRound(d, precision))
            default: throw JinjaError(.type, "type \(v.pythonTypeName) doesn't define __round__ method")
            }
        }
        guard let d = v.doubleValue else {
            throw JinjaError(.type, "must be real number, not \(v.pythonTypeName)")
        }
        let scale = pow(10.0, Double(precision))
        let scaled = d * scale
        let rounded = method == "ceil" ? scaled.rounded(.up) : scaled.rounded(.down)
        return .float(rounded / scale)
    }
}
