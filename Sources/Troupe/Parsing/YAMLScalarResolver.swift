import Foundation
import Jinja

/// Types plain (unquoted, untagged) YAML scalars the way PyYAML's YAML 1.1 resolver does,
/// which is what Ansible uses: `yes`/`off` are booleans, `017` is octal, `1e3` and `0o17`
/// stay strings (1.1 floats need a dot, 1.1 octals have no `o`).
enum YAMLScalarResolver {
    static func resolve(plain text: String) -> Value {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON": return .bool(true)
        case "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
        case ".nan", ".NaN", ".NAN": return .float(.nan)
        default: break
        }
        guard let first = text.utf8.first,
              first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
                || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else {
            return .string(text)
        }
        if let i = integer(text) { return .int(i) }
        if let d = float(text) { return .float(d) }
        return .string(text)
    }

    private static func splitSign(_ text: String) -> (Int, Substring) {
        if text.hasPrefix("-") { return (-1, text.dropFirst()) }
        if text.hasPrefix("+") { return (1, text.dropFirst()) }
        return (1, Substring(text))
    }

    static func integer(_ text: String) -> Int? {
        let (sign, body) = splitSign(text)
        guard !body.isEmpty else { return nil }
        if body.hasPrefix("0b") {
            let digits = body.dropFirst(2)
            guard !digits.isEmpty, digits.allSatisfy({ $0 == "0" || $0 == "1" || $0 == "_" }) else { return nil }
            return Int(digits.replacingOccurrences(of: "_", with: ""), radix: 2).map { $0 * sign }
        }
        if body.hasPrefix("0x") {
            let digits = body.dropFirst(2)
            guard !digits.isEmpty, digits.allSatisfy({ $0.isHexDigit || $0 == "_" }) else { return nil }
            return Int(digits.replacingOccurrences(of: "_", with: ""), radix: 16).map { $0 * sign }
        }
        if body == "0" { return 0 }
        if body.hasPrefix("0") {
            let digits = body.dropFirst()
            guard digits.allSatisfy({ ("0"..."7").contains($0) || $0 == "_" }) else { return nil }
            return Int(digits.replacingOccurrences(of: "_", with: ""), radix: 8).map { $0 * sign }
        }
        if body.contains(":") {
            // Sexagesimal: 1:30 == 90.
            let parts = body.split(separator: ":", omittingEmptySubsequences: false)
            guard let head = parts.first, let h = decimal(head), head.first != "0" else { return nil }
            var total = h
            for part in parts.dropFirst() {
                guard let p = decimal(part), p < 60, part.count <= 2 else { return nil }
                total = total * 60 + p
            }
            return total * sign
        }
        guard body.first != "_", let v = decimal(body) else { return nil }
        return v * sign
    }

    private static func decimal(_ s: Substring) -> Int? {
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "_") }) else { return nil }
        return Int(s.replacingOccurrences(of: "_", with: ""))
    }

    static func float(_ text: String) -> Double? {
        let (sign, body) = splitSign(text)
        guard body.contains(".") else { return nil }
        if body.contains(":") {
            let parts = body.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count >= 2, let h = decimal(parts[0]) else { return nil }
            var total = Double(h)
            for (n, part) in parts.dropFirst().enumerated() {
                let isLast = n == parts.count - 2
                if isLast {
                    guard let v = Double(part.replacingOccurrences(of: "_", with: "")) else { return nil }
                    total = total * 60 + v
                } else {
                    guard let v = decimal(part), v < 60 else { return nil }
                    total = total * 60 + Double(v)
                }
            }
            return total * Double(sign)
        }
        // [0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?  |  \.[0-9_]+([eE][-+][0-9]+)?
        var mantissa = Substring(body)
        var exponent: Substring = ""
        if let e = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = body[..<e]
            exponent = body[body.index(after: e)...]
            guard let s = exponent.first, s == "+" || s == "-", exponent.count > 1,
                  exponent.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        }
        let pieces = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard pieces.count == 2 else { return nil }
        let intPart = pieces[0], fracPart = pieces[1]
        let digitsOK: (Substring) -> Bool = { $0.allSatisfy { ($0.isASCII && $0.isNumber) || $0 == "_" } }
        guard digitsOK(intPart), digitsOK(fracPart) else { return nil }
        if intPart.isEmpty {
            guard !fracPart.isEmpty, fracPart.first != "_" else { return nil }
        } else if intPart.first == "_" {
            return nil
        }
        let cleaned = (intPart.isEmpty ? "0" : intPart.replacingOccurrences(of: "_", with: ""))
            + "." + fracPart.replacingOccurrences(of: "_", with: "") + "0" + (exponent.isEmpty ? "" : "e" + exponent)
        return Double(cleaned).map { $0 * Double(sign) }
    }
}
