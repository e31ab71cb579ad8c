import Foundation

/// Python's `str()` and `repr()` of values, which is how Jinja2 prints them.
extension Value {
    /// `str(value)`: strings bare, containers with repr'd members.
    public var pythonString: String {
        switch self {
        case .string(let s), .unsafe(let s), .vault(let s): return s
        case .undefined: return ""
        case .object(let o): return o.renderedString
        default: return pythonRepr
        }
    }

    /// `repr(value)`: `'a'`, `True`, `None`, `['a', 1]`, `{'a': 1}`.
    public var pythonRepr: String {
        var out = ""
        writeRepr(into: &out)
        return out
    }

    func writeRepr(into out: inout String) {
        switch self {
        case .null: out += "None"
        case .bool(let b): out += b ? "True" : "False"
        case .int(let i): out += String(i)
        case .float(let d): out += Value.pythonFloatRepr(d)
        case .string(let s), .unsafe(let s), .vault(let s): Value.writeStringRepr(s, into: &out)
        case .undefined: out += ""
        case .object(let o): out += o.renderedString
        case .list(let l):
            out += "["
            for (i, v) in l.enumerated() {
                if i > 0 { out += ", " }
                v.writeRepr(into: &out)
            }
            out += "]"
        case .dict(let d):
            out += "{"
            var first = true
            for (k, v) in d {
                if !first { out += ", " }
                first = false
                Value.writeStringRepr(k, into: &out)
                out += ": "
                v.writeRepr(into: &out)
            }
            out += "}"
        }
    }

    /// Python's repr of a float: shortest round-trip digits, exponent outside [1e-4, 1e16).
    public static func pythonFloatRepr(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        let magnitude = abs(d)
        var text = "\(d)"  // Swift prints the shortest round-trip digits
        if magnitude >= 1e16 || magnitude < 1e-4 {
            // Python: mantissa without trailing ".0", exponent with sign and 2+ digits.
            if !text.contains("e") {
                text = String(format: "%.17e", d)
                return normaliseExponent(shortestExponentForm(d))
            }
            return normaliseExponent(text)
        }
        if text.contains("e") {
            // Swift chose exponent form where Python does not: expand it.
            let expanded = NSDecimalNumber(string: text).stringValue
            text = expanded.contains(".") ? expanded : expanded + ".0"
        } else if !text.contains(".") {
            text += ".0"
        }
        return text
    }

    private static func shortestExponentForm(_ d: Double) -> String {
        for precision in 0...17 {
            let candidate = String(format: "%.\(precision)e", d)
            if Double(candidate) == d { return candidate }
        }
        return String(format: "%.17e", d)
    }

    private static func normaliseExponent(_ text: String) -> String {
        guard let eIndex = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
        var mantissa = String(text[..<eIndex])
        var exponent = String(text[text.index(after: eIndex)...])
        if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
        var sign = "+"
        if exponent.hasPrefix("-") { sign = "-"; exponent.removeFirst() } else if exponent.hasPrefix("+") { exponent.removeFirst() }
        while exponent.count > 2 && exponent.hasPrefix("0") { exponent.removeFirst() }
        if exponent.count < 2 { exponent = "0" + exponent }
        return mantissa + "e" + sign + exponent
    }

    /// Python's string repr: single quotes unless the text has ' and no ".
    public static func writeStringRepr(_ s: String, into out: inout String) {
        let quote: Character = (s.contains("'") && !s.contains("\"")) ? "\"" : "'"
        out.append(quote)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(scalar) == quote {
                    out += "\\"; out.unicodeScalars.append(scalar)
                } else if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += String(format: "\\x%02x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append(quote)
    }
}
