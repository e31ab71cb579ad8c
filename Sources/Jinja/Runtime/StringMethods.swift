import Foundation

/// Python `str` methods. Indices count Unicode code points, as Python does.
enum StringMethods {
    static func isPythonSpace(_ c: Unicode.Scalar) -> Bool {
        c.properties.isWhitespace || (c.value >= 0x1C && c.value <= 0x1F)
    }

    private static func string(_ args: Arguments, _ i: Int, _ name: String, _ method: String) throws -> String? {
        guard let v = args.value(i, name), !v.isNull else { return nil }
        if case .undefined(let u) = v { throw JinjaError(.undefined, u.message) }
        guard let s = v.stringValue else {
            throw JinjaError(.type, "\(method) arg must be None or str")
        }
        return s
    }

    private static func int(_ args: Arguments, _ i: Int, _ name: String, default value: Int) throws -> Int {
        guard let v = args.value(i, name), !v.isNull else { return value }
        guard let n = v.intValue else {
            throw JinjaError(.type, "'\(v.pythonTypeName)' object cannot be interpreted as an integer")
        }
        return n
    }

    static func strip(_ s: String, _ chars: String?, leading: Bool, trailing: Bool) -> String {
        let scalars = Array(s.unicodeScalars)
        let set = chars.map { Set($0.unicodeScalars) }
        func strippable(_ c: Unicode.Scalar) -> Bool { set?.contains(c) ?? isPythonSpace(c) }
        var lo = 0, hi = scalars.count
        if leading { while lo < hi && strippable(scalars[lo]) { lo += 1 } }
        if trailing { while hi > lo && strippable(scalars[hi - 1]) { hi -= 1 } }
        return String(String.UnicodeScalarView(scalars[lo..<hi]))
    }

    static func split(_ s: String, _ sep: String?, maxsplit: Int) throws -> [String] {
        if let sep {
            if sep.isEmpty { throw JinjaError(.value, "empty separator") }
            var parts: [String] = []
            var rest = Substring(s)
            while maxsplit < 0 || parts.count < maxsplit, let r = rest.range(of: sep) {
                parts.append(String(rest[..<r.lowerBound]))
                rest = rest[r.upperBound...]
            }
            parts.append(String(rest))
            return parts
        }
        var parts: [String] = []
        let scalars = Array(s.unicodeScalars)
        var i = 0
        while i < scalars.count {
            while i < scalars.count && isPythonSpace(scalars[i]) { i += 1 }
            if i >= scalars.count { break }
            if maxsplit >= 0 && parts.count == maxsplit {
                var end = scalars.count
                while end > i && isPythonSpace(scalars[end - 1]) { end -= 1 }
                parts.append(String(String.UnicodeScalarView(scalars[i..<end])))
                return parts
            }
            let start = i
            while i < scalars.count && !isPythonSpace(scalars[i]) { i += 1 }
            parts.append(String(String.UnicodeScalarView(scalars[start..<i])))
        }
        return parts
    }

    static func rsplit(_ s: String, _ sep: String?, maxsplit: Int) throws -> [String] {
        if maxsplit < 0 { return try split(s, sep, maxsplit: -1) }
        let reversed = String(String.UnicodeScalarView(s.unicodeScalars.reversed()))
        let revSep = sep.map { String(String.UnicodeScalarView($0.unicodeScalars.reversed())) }
        return try split(reversed, revSep, maxsplit: maxsplit).reversed().map {
            String(String.UnicodeScalarView($0.unicodeScalars.reversed()))
        }
    }

    static func splitlines(_ s: String, keepends: Bool) -> [String] {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        let scalars = Array(s.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            let breaks: Set<UInt32> = [0x0A, 0x0D, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029]
            if breaks.contains(c.value) {
                var ending = String.UnicodeScalarView([c])
                if c == "\r" && i + 1 < scalars.count && scalars[i + 1] == "\n" { ending.append("\n"); i += 1 }
                if keepends { current.append(contentsOf: ending) }
                lines.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(c)
            }
            i += 1
        }
        if !current.isEmpty { lines.append(String(current)) }
        return lines
    }

    /// Python's `str.find` in code points.
    static func find(_ s: String, _ sub: String, reverse: Bool) -> Int {
        let hay = Array(s.unicodeScalars), needle = Array(sub.unicodeScalars)
        if needle.count > hay.count { return -1 }
        let positions = Array(0...(hay.count - needle.count))
        for i in (reverse ? positions.reversed() : positions) where Array(hay[i..<(i + needle.count)]) == needle {
            return i
        }
        return -1
    }

    /// `s[start:end]` for the optional start/end arguments of find/count, and the start offset.
    private static func slice(_ s: String, _ args: Arguments) throws -> (String, Int) {
        let start = args.value(1, "start"), end = args.value(2, "end")
        if (start == nil || start!.isNull) && (end == nil || end!.isNull) { return (s, 0) }
        let scalars = Array(s.unicodeScalars)
        let indices = try Access.sliceIndices(count: scalars.count, start: start, stop: end, step: nil)
        guard let first = indices.first else { return ("", 0) }
        return (String(String.UnicodeScalarView(indices.map { scalars[$0] })), first)
    }

    static func titleCase(_ s: String) -> String {
        var out = ""
        var previousCased = false
        for ch in s {
            if ch.isLetter {
                out += previousCased ? ch.lowercased() : ch.uppercased()
                previousCased = true
            } else {
                out.append(ch)
                previousCased = false
            }
        }
        return out
    }

    static func pad(_ s: String, width: Int, fill: String, align: Character) -> String {
        let length = s.unicodeScalars.count
        let width = min(width, PercentFormat.maxWidth)
        guard width > length else { return s }
        let total = width - length
        switch align {
        case "<": return s + String(repeating: fill, count: total)
        case ">": return String(repeating: fill, count: total) + s
        case "^":
            let left = total / 2
            return String(repeating: fill, count: left) + s + String(repeating: fill, count: total - left)
        default:
            // Python's center puts the extra space on the right when the string length and width parity differ.
            var left = total / 2
            if total % 2 == 1 && width % 2 == 1 { left += 1 }
            return String(repeating: fill, count: left) + s + String(repeating: fill, count: total - left)
        }
    }

    private static func fillChar(_ args: Arguments, method: String) throws -> String {
        guard let f = try string(args, 1, "fillchar", method) else { return " " }
        guard f.unicodeScalars.count == 1 else {
            throw JinjaError(.type, "The fill character must be exactly one character long")
        }
        return f
    }

    /// Methods Python defines without parameters: any argument is a TypeError.
    private static let parameterless: Set<String> = [
        "upper", "lower", "casefold", "swapcase", "capitalize", "title", "istitle", "isdigit", "isnumeric",
        "isdecimal", "isalpha", "isalnum", "isspace", "isupper", "islower", "isidentifier",
    ]

    static func call(_ s: String, _ name: String, _ args: Arguments) throws -> Value {
        if parameterless.contains(name) {
            if !args.keywords.isEmpty { throw JinjaError(.type, "str.\(name)() takes no keyword arguments") }
            if !args.positional.isEmpty {
                throw JinjaError(.type, "str.\(name)() takes no arguments (\(args.positional.count) given)")
            }
        }
        switch name {
        case "upper": return .string(s.uppercased())
        case "lower", "casefold": return .string(s.lowercased())
        case "swapcase":
            return .string(String(s.map { $0.isUppercase ? Character($0.lowercased()) : Character($0.uppercased()) }))
        case "strip": return .string(strip(s, try string(args, 0, "chars", "strip"), leading: true, trailing: true))
        case "lstrip": return .string(strip(s, try string(args, 0, "chars", "lstrip"), leading: true, trailing: false))
        case "rstrip": return .string(strip(s, try string(args, 0, "chars", "rstrip"), leading: false, trailing: true))
        case "split":
            return .list(try split(s, string(args, 0, "sep", "split"), maxsplit: int(args, 1, "maxsplit", default: -1)).map(Value.string))
        case "rsplit":
            return .list(try rsplit(s, string(args, 0, "sep", "rsplit"), maxsplit: int(args, 1, "maxsplit", default: -1)).map(Value.string))
        case "splitlines":
            return .list(splitlines(s, keepends: args.value(0, "keepends")?.isTruthy ?? false).map(Value.string))
        case "startswith", "endswith":
            let arg = try PythonMethods.argument(args, 0, "prefix", method: name)
            let candidates: [Value] = arg.listValue ?? [arg]
            for candidate in candidates {
                guard let text = candidate.stringValue else {
                    throw JinjaError(.type, "\(name) first arg must be str or a tuple of str, not \(candidate.pythonTypeName)")
                }
                if name == "startswith" ? s.unicodeScalars.starts(with: text.unicodeScalars)
                    : s.unicodeScalars.reversed().starts(with: text.unicodeScalars.reversed()) {
                    return true
                }
            }
            return false
        case "replace":
            guard let old = try string(args, 0, "old", "replace"), let new = try string(args, 1, "new", "replace") else {
                throw JinjaError(.type, "replace expected at least 2 arguments")
            }
            let count = try int(args, 2, "count", default: -1)
            if old.isEmpty {
                var out = ""
                var n = 0
                for ch in s.unicodeScalars {
                    if count < 0 || n < count { out += new; n += 1 }
                    out.unicodeScalars.append(ch)
                }
                if count < 0 || n < count { out += new }
                return .string(out)
            }
            let parts = try split(s, old, maxsplit: count)
            return .string(parts.joined(separator: new))
        case "join":
            let items = try PythonMethods.argument(args, 0, "iterable", method: "join").pythonIterate()
            var parts: [String] = []
            for (i, item) in items.enumerated() {
                guard let text = item.stringValue else {
                    throw JinjaError(.type, "sequence item \(i): expected str instance, \(item.pythonTypeName) found")
                }
                parts.append(text)
            }
            return .string(parts.joined(separator: s))
        case "format": return .string(try StringFormat.format(s, args))
        case "format_map":
            return .string(try StringFormat.format(s, Arguments([], keywords: (args.positional.first?.dictValue ?? OrderedDict()).map { ($0.key, $0.value) })))
        case "find", "rfind", "index", "rindex", "count":
            guard let sub = try string(args, 0, "sub", name) else { throw JinjaError(.type, "must be str, not NoneType") }
            // Optional start/end select a slice; results are indices into the whole string.
            let (window, offset) = try slice(s, args)
            if name == "count" {
                if sub.isEmpty { return .int(window.unicodeScalars.count + 1) }
                return .int(try split(window, sub, maxsplit: -1).count - 1)
            }
            let i = find(window, sub, reverse: name.hasPrefix("r"))
            if i < 0 && name.hasSuffix("index") { throw JinjaError(.value, "substring not found") }
            return .int(i < 0 ? i : i + offset)
        case "capitalize":
            guard let first = s.first else { return .string(s) }
            return .string(first.uppercased() + s.dropFirst().lowercased())
        case "title": return .string(titleCase(s))
        case "istitle": return .bool(!s.isEmpty && s.contains(where: { $0.isLetter }) && titleCase(s) == s)
        case "isdigit", "isnumeric", "isdecimal":
            return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.numericType != nil })
        case "isalpha": return .bool(!s.isEmpty && s.allSatisfy { $0.isLetter })
        case "isalnum": return .bool(!s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber })
        case "isspace": return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy(isPythonSpace))
        case "isupper": return .bool(s.contains(where: { $0.isCased }) && s.allSatisfy { !$0.isCased || $0.isUppercase })
        case "islower": return .bool(s.contains(where: { $0.isCased }) && s.allSatisfy { !$0.isCased || $0.isLowercase })
        case "isidentifier":
            guard let first = s.unicodeScalars.first, first == "_" || first.properties.isXIDStart else { return false }
            return .bool(s.unicodeScalars.dropFirst().allSatisfy { $0.properties.isXIDContinue })
        case "zfill":
            let width = min(try int(args, 0, "width", default: 0), PercentFormat.maxWidth)
            let length = s.unicodeScalars.count
            guard width > length else { return .string(s) }
            let zeros = String(repeating: "0", count: width - length)
            if let first = s.first, first == "-" || first == "+" { return .string(String(first) + zeros + s.dropFirst()) }
            return .string(zeros + s)
        case "center", "ljust", "rjust":
            let width = try int(args, 0, "width", default: 0)
            let fill = try fillChar(args, method: name)
            return .string(pad(s, width: width, fill: fill, align: name == "center" ? "C" : (name == "ljust" ? "<" : ">")))
        case "partition", "rpartition":
            guard let sep = try string(args, 0, "sep", name), !sep.isEmpty else { throw JinjaError(.value, "empty separator") }
            let range = name == "partition" ? s.range(of: sep) : s.range(of: sep, options: .backwards)
            guard let range else {
                return name == "partition" ? .list([.string(s), "", ""]) : .list(["", "", .string(s)])
            }
            return .list([.string(String(s[..<range.lowerBound])), .string(sep), .string(String(s[range.upperBound...]))])
        case "encode", "decode": return .string(s)
        case "removeprefix":
            let p = try string(args, 0, "prefix", name) ?? ""
            return .string(s.hasPrefix(p) ? String(s.dropFirst(p.count)) : s)
        case "removesuffix":
            let p = try string(args, 0, "suffix", name) ?? ""
            return .string(!p.isEmpty && s.hasSuffix(p) ? String(s.dropLast(p.count)) : s)
        case "expandtabs":
            let size = min(try int(args, 0, "tabsize", default: 8), PercentFormat.maxWidth)
            var out = ""
            var column = 0
            for ch in s {
                if ch == "\t" {
                    let spaces = size > 0 ? size - column % size : 0
                    out += String(repeating: " ", count: spaces)
                    column += spaces
                } else {
                    out.append(ch)
                    column = ch == "\n" || ch == "\r" ? 0 : column + 1
                }
            }
            return .string(out)
        default:
            throw JinjaError(.type, "'str' object has no attribute '\(name)'")
        }
    }
}
