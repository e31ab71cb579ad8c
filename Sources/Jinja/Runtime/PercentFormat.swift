import Foundation

/// Python's printf-style `format % values` for strings.
enum PercentFormat {
    /// Field widths beyond this are clamped so a template cannot allocate gigabytes.
    static let maxWidth = 1_000_000

    /// `value` is one argument, unless it is a dict (named `%(key)s` lookups).
    static func format(_ format: String, _ value: Value) throws -> String {
        if case .dict = value, format.contains("%(") { return try render(format, args: [], mapping: value) }
        return try render(format, args: [value], mapping: nil)
    }

    /// `format % (a, b, …)` with a tuple literal on the right.
    static func format(_ format: String, tuple: [Value]) throws -> String {
        try render(format, args: tuple, mapping: nil)
    }

    private static func render(_ format: String, args: [Value], mapping: Value?) throws -> String {
        let chars = Array(format.unicodeScalars)
        var out = ""
        var argIndex = 0
        var i = 0
        func nextArg() throws -> Value {
            guard argIndex < args.count else { throw JinjaError(.type, "not enough arguments for format string") }
            defer { argIndex += 1 }
            return args[argIndex]
        }
        while i < chars.count {
            let c = chars[i]
            if c != "%" { out.unicodeScalars.append(c); i += 1; continue }
            i += 1
            guard i < chars.count else { throw JinjaError(.value, "incomplete format") }
            var value: Value?
            if chars[i] == "(" {
                var depth = 1
                var j = i + 1
                while j < chars.count && depth > 0 {
                    if chars[j] == "(" { depth += 1 } else if chars[j] == ")" { depth -= 1 }
                    j += 1
                }
                guard depth == 0 else { throw JinjaError(.value, "incomplete format key") }
                let key = String(String.UnicodeScalarView(chars[(i + 1)..<(j - 1)]))
                guard let mapping, case .dict(let d) = mapping else { throw JinjaError(.type, "format requires a mapping") }
                guard let v = d[key] else { throw JinjaError(.runtime, "'\(key)'") }
                value = v
                i = j
            }
            var flags = Set<Unicode.Scalar>()
            while i < chars.count, "-+ 0#".unicodeScalars.contains(chars[i]) { flags.insert(chars[i]); i += 1 }
            var width = 0
            if i < chars.count, chars[i] == "*" {
                // `%*d`: the width comes from the arguments.
                guard let w = try nextArg().intValue else { throw JinjaError(.type, "* wants int") }
                if w < 0 { flags.insert("-") }
                width = min(abs(w), maxWidth)
                i += 1
            }
            while i < chars.count, let d = chars[i].properties.numericType != nil ? Int(String(chars[i])) : nil {
                width = min(width * 10 + d, maxWidth)
                i += 1
            }
            var precision: Int?
            if i < chars.count, chars[i] == "." {
                i += 1
                var p = 0
                if i < chars.count, chars[i] == "*" {
                    guard let w = try nextArg().intValue else { throw JinjaError(.type, "* wants int") }
                    p = min(max(0, w), 1000)
                    i += 1
                }
                while i < chars.count, let d = Int(String(chars[i])) { p = min(p * 10 + d, 1000); i += 1 }
                precision = p
            }
            while i < chars.count, "hlL".unicodeScalars.contains(chars[i]) { i += 1 }
            guard i < chars.count else { throw JinjaError(.value, "incomplete format") }
            let conv = chars[i]
            i += 1
            if conv == "%" { out += "%"; continue }
            let arg = try value ?? nextArg()
            var body: String
            switch conv {
            case "s": body = arg.pythonString; if let p = precision { body = String(body.prefix(p)) }
            case "r", "a": body = arg.pythonRepr; if let p = precision { body = String(body.prefix(p)) }
            case "d", "i", "u":
                guard let n = arg.doubleValue else {
                    throw JinjaError(.type, "%\(conv) format: a real number is required, not \(arg.pythonTypeName)")
                }
                guard n.isFinite, Swift.abs(n) < 9.2e18 else { throw JinjaError(.value, "cannot convert float \(Value.pythonFloatRepr(n)) to integer") }
                let iv = arg.intValue ?? Int(n.rounded(.towardZero))
                body = String(abs(iv))
                if let p = precision, body.count < p { body = String(repeating: "0", count: p - body.count) + body }
                body = sign(iv < 0, flags) + body
            case "f", "F", "e", "E", "g", "G":
                guard let n = arg.doubleValue else {
                    throw JinjaError(.type, "must be real number, not \(arg.pythonTypeName)")
                }
                let spec = "%\(flags.contains("#") ? "#" : "").\(precision ?? 6)\(conv)"
                body = String(format: spec, abs(n))
                body = sign(n < 0 || (n == 0 && n.sign == .minus), flags) + body
            case "x", "X", "o":
                guard let n = arg.intValue else {
                    throw JinjaError(.type, "%\(conv) format: an integer is required, not \(arg.pythonTypeName)")
                }
                body = String(abs(n), radix: conv == "o" ? 8 : 16, uppercase: conv == "X")
                if flags.contains("#") { body = (conv == "o" ? "0o" : (conv == "x" ? "0x" : "0X")) + body }
                body = sign(n < 0, flags) + body
            case "c":
                if let s = arg.stringValue, s.count == 1 { body = s } else if let n = arg.intValue, n >= 0, n <= 0x10FFFF, let u = Unicode.Scalar(UInt32(n)) { body = String(Character(u)) } else {
                    throw JinjaError(.type, "%c requires int or char")
                }
            default:
                throw JinjaError(.value, "unsupported format character '\(conv)' (0x\(String(conv.value, radix: 16))) at index \(i - 1)")
            }
            if body.count < width {
                let pad = width - body.count
                if flags.contains("-") {
                    body += String(repeating: " ", count: pad)
                } else if flags.contains("0") && "dioufFeEgGxX".unicodeScalars.contains(conv) {
                    let signChars = body.prefix(while: { $0 == "-" || $0 == "+" || $0 == " " })
                    body = signChars + String(repeating: "0", count: pad) + body.dropFirst(signChars.count)
                } else {
                    body = String(repeating: " ", count: pad) + body
                }
            }
            out += body
        }
        if mapping == nil && argIndex < args.count {
            throw JinjaError(.type, "not all arguments converted during string formatting")
        }
        return out
    }

    private static func sign(_ negative: Bool, _ flags: Set<Unicode.Scalar>) -> String {
        if negative { return "-" }
        if flags.contains("+") { return "+" }
        if flags.contains(" ") { return " " }
        return ""
    }
}
