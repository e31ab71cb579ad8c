import Foundation

/// Python's printf-style `%` string formatting (`"%s-%05.2f" % (a, b)`), used by the
/// `format` filter and available to the evaluator's `%` operator.
public enum PercentFormat {
    /// Formats `format` with `arguments`: a list consumes one item per conversion,
    /// a dict feeds `%(name)s` conversions, any other value is a single argument.
    public static func format(_ format: String, _ arguments: Value) throws -> String {
        var positional: [Value]
        var mapping: OrderedDict?
        switch arguments {
        case .list(let l): positional = l
        case .dict(let d): positional = [arguments]; mapping = d
        default: positional = [arguments]
        }
        var out = ""
        let chars = Array(format)
        var i = 0
        var next = 0
        func take() throws -> Value {
            guard next < positional.count else { throw JinjaError(.type, "not enough arguments for format string") }
            defer { next += 1 }
            return positional[next]
        }
        while i < chars.count {
            let c = chars[i]
            guard c == "%" else { out.append(c); i += 1; continue }
            i += 1
            guard i < chars.count else { throw JinjaError(.value, "incomplete format") }
            var key: String?
            if chars[i] == "(" {
                var depth = 1
                var j = i + 1
                var name = ""
                while j < chars.count {
                    if chars[j] == "(" { depth += 1 } else if chars[j] == ")" { depth -= 1; if depth == 0 { break } }
                    name.append(chars[j]); j += 1
                }
                guard j < chars.count else { throw JinjaError(.value, "incomplete format key") }
                key = name
                i = j + 1
            }
            var flags = Set<Character>()
            while i < chars.count, "-+ #0".contains(chars[i]) { flags.insert(chars[i]); i += 1 }
            var width: Int?
            if i < chars.count, chars[i] == "*" {
                width = try FilterSupport.int(try take(), 0, name: "width"); i += 1
            } else {
                var digits = ""
                while i < chars.count, chars[i].isASCII, chars[i].isNumber { digits.append(chars[i]); i += 1 }
                if !digits.isEmpty { width = Int(digits) }
            }
            var precision: Int?
            if i < chars.count, chars[i] == "." {
                i += 1
                if i < chars.count, chars[i] == "*" {
                    precision = try FilterSupport.int(try take(), 0, name: "precision"); i += 1
                } else {
                    var digits = ""
                    while i < chars.count, chars[i].isASCII, chars[i].isNumber { digits.append(chars[i]); i += 1 }
                    precision = Int(digits) ?? 0
                }
            }
            while i < chars.count, "hlL".contains(chars[i]) { i += 1 }
            guard i < chars.count else { throw JinjaError(.value, "incomplete format") }
            let conversion = chars[i]
            i += 1
            if conversion == "%" { out.append("%"); continue }
            let argument: Value
            if let key {
                guard let mapping else { throw JinjaError(.type, "format requires a mapping") }
                guard let v = mapping[key] else { throw JinjaError(.runtime, "KeyError: '\(key)'") }
                argument = v
            } else {
                argument = try take()
            }
            var body = try convert(argument, conversion, flags: flags, precision: precision)
            if let width, body.count < width {
                let pad = width - body.count
                if flags.contains("-") {
                    body += String(repeating: " ", count: pad)
                } else if flags.contains("0"), "diouxXeEfFgG".contains(conversion) {
                    let signEnd = body.hasPrefix("-") || body.hasPrefix("+") || body.hasPrefix(" ") ? 1 : 0
                    let prefixEnd = body.dropFirst(signEnd).hasPrefix("0x") || body.dropFirst(signEnd).hasPrefix("0X")
                        || body.dropFirst(signEnd).hasPrefix("0o") ? signEnd + 2 : signEnd
                    let idx = body.index(body.startIndex, offsetBy: prefixEnd)
                    body.insert(contentsOf: String(repeating: "0", count: pad), at: idx)
                } else {
                    body = String(repeating: " ", count: pad) + body
                }
            }
            out += body
        }
        if mapping == nil, next < positional.count {
            throw JinjaError(.type, "not all arguments converted during string formatting")
        }
        return out
    }

    private static func number(_ v: Value, _ conversion: Character) throws -> Double {
        if let d = v.doubleValue { return d }
        let kind = "diouxXc".contains(conversion) ? "a real number" : "a real number"
        throw JinjaError(.type, "%\(conversion) format: \(kind) is required, not \(v.pythonTypeName)")
    }

    private static func convert(_ v: Value, _ conversion: Character, flags: Set<Character>, precision: Int?) throws -> String {
        let sign = flags.contains("+") ? "+" : (flags.contains(" ") ? " " : "")
        func signed(_ negative: Bool, _ digits: String) -> String { (negative ? "-" : sign) + digits }
        switch conversion {
        case "s", "r", "a":
            var s = conversion == "s" ? v.pythonString : v.pythonRepr
            if let precision { s = String(s.prefix(precision)) }
            return s
        case "d", "i", "u":
            guard v.isNumeric else {
                throw JinjaError(.type, "%\(conversion) format: a real number is required, not \(v.pythonTypeName)")
            }
            if case .float(let d) = v {
                guard d.isFinite else { throw JinjaError(.value, "cannot convert float \(Value.pythonFloatRepr(d)) to integer") }
                let t = d.rounded(.towardZero)
                return signed(t < 0, String(format: "%.0f", abs(t)))
            }
            let i = v.intValue ?? 0
            return signed(i < 0, String(i.magnitude))
        case "x", "X", "o":
            guard let i = v.intValue else {
                throw JinjaError(.type, "%\(conversion) format: an integer is required, not \(v.pythonTypeName)")
            }
            var digits = String(i.magnitude, radix: conversion == "o" ? 8 : 16, uppercase: conversion == "X")
            if flags.contains("#") { digits = (conversion == "o" ? "0o" : (conversion == "X" ? "0X" : "0x")) + digits }
            return signed(i < 0, digits)
        case "e", "E", "f", "F", "g", "G":
            let d = try number(v, conversion)
            if d.isNaN { return sign + (conversion.isUppercase ? "NAN" : "nan") }
            if d.isInfinite { return (d < 0 ? "-" : sign) + (conversion.isUppercase ? "INF" : "inf") }
            let p = precision ?? 6
            let alt = flags.contains("#") ? "#" : ""
            let body = String(format: "%\(alt).\(p)\(conversion)", abs(d))
            return signed(d.sign == .minus, body)
        case "c":
            if let i = v.intValue, let scalar = Unicode.Scalar(UInt32(clamping: max(0, i))) { return String(Character(scalar)) }
            if let s = v.stringValue, s.count == 1 { return s }
            throw JinjaError(.type, "%c requires an int or a unicode character, not \(v.pythonTypeName)")
        default:
            throw JinjaError(.value, "unsupported format character '\(conversion)' (0x\(String(conversion.unicodeScalars.first!.value, radix: 16)))")
        }
    }
}
