import Foundation

/// Jinja2's text filters: case, padding, trimming, truncation, wrapping, escaping.
enum StringFilters {
    static var all: [String: Filter] {
        [
            "capitalize": Filter { v, _, _ in .string(capitalize(FilterSupport.text(v))) },
            "lower": Filter { v, _, _ in .string(FilterSupport.text(v).lowercased()) },
            "upper": Filter { v, _, _ in .string(FilterSupport.text(v).uppercased()) },
            "title": Filter { v, _, _ in .string(title(FilterSupport.text(v))) },
            "center": Filter(center),
            "trim": Filter { v, a, _ in
                try a.checkKeywords(["chars"], function: "do_trim")
                let chars = a.value(0, "chars").flatMap { $0.isNull ? nil : $0.pythonString }
                return .string(FilterSupport.strip(FilterSupport.text(v), chars: chars))
            },
            "truncate": Filter(truncate),
            "wordcount": Filter { v, _, _ in .int(wordCount(FilterSupport.text(v))) },
            "wordwrap": Filter(wordwrap),
            "replace": Filter(replace),
            "indent": Filter(indent),
            "format": Filter(format),
            "striptags": Filter { v, _, _ in .string(stripTags(FilterSupport.text(v))) },
            "escape": Filter { v, _, _ in .string(htmlEscape(FilterSupport.text(v))) },
            "e": Filter { v, _, _ in .string(htmlEscape(FilterSupport.text(v))) },
            "forceescape": Filter { v, _, _ in .string(htmlEscape(FilterSupport.text(v))) },
            "safe": Filter { v, _, _ in .string(FilterSupport.text(v)) },
            "string": Filter { v, _, _ in
                if case .unsafe = v { return v }
                return .string(FilterSupport.text(v))
            },
            "filesizeformat": Filter(filesizeformat),
            "xmlattr": Filter(xmlattr),
            "pprint": Filter { v, _, _ in .string(v.pythonRepr) },
            "tojson": Filter(tojson),
            "urlencode": Filter(urlencode),
            "urlize": Filter(urlize),
        ]
    }

    static func capitalize(_ s: String) -> String {
        guard let first = s.first else { return s }
        return String(first).uppercased() + s.dropFirst().lowercased()
    }

    /// Jinja's title: words start after runs of whitespace, `-`, `(`, `{`, `[`, `<`.
    static func title(_ s: String) -> String {
        var out = ""
        var atWordStart = true
        for c in s {
            if c.isWhitespace || "-({[<".contains(c) {
                out.append(c)
                atWordStart = true
            } else if atWordStart {
                out += String(c).uppercased()
                atWordStart = false
            } else {
                out += String(c).lowercased()
            }
        }
        return out
    }

    static func center(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let s = FilterSupport.text(v)
        let width = try FilterSupport.int(a.value(0, "width"), 80, name: "width")
        try InputLimits.checkTemplateSize(width, "center's width")
        return .string(pythonCenter(s, width))
    }

    /// Python's `str.center` (odd padding goes right unless width is odd too).
    static func pythonCenter(_ s: String, _ width: Int) -> String {
        guard width > s.count else { return s }
        let margin = width - s.count
        let left = margin / 2 + (margin & width & 1)
        return String(repeating: " ", count: left) + s + String(repeating: " ", count: margin - left)
    }

    static func truncate(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let s = FilterSupport.text(v)
        let length = try FilterSupport.int(a.value(0, "length"), 255, name: "length")
        let killwords = FilterSupport.bool(a.value(1, "killwords"), false)
        let end = FilterSupport.string(a.value(2, "end"), "...")
        let leeway = try FilterSupport.int(a.value(3, "leeway"), 5, name: "leeway")
        guard length >= end.count else { throw JinjaError(.runtime, "expected length >= \(end.count), got \(length)") }
        guard leeway >= 0 else { throw JinjaError(.runtime, "expected leeway >= 0, got \(leeway)") }
        if s.count <= InputLimits.sum(length, leeway) { return .string(s) }
        let head = String(s.prefix(length - end.count))
        if killwords { return .string(head + end) }
        if let space = head.lastIndex(of: " ") { return .string(String(head[..<space]) + end) }
        return .string(head + end)
    }

    static func wordCount(_ s: String) -> Int {
        var count = 0
        var inWord = false
        for c in s {
            let isWord = c.isLetter || c.isNumber || c == "_"
            if isWord && !inWord { count += 1 }
            inWord = isWord
        }
        return count
    }

    static func replace(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let s = FilterSupport.text(v)
        guard let old = a.value(0, "old"), let new = a.value(1, "new") else {
            throw JinjaError(.type, "do_replace() missing required positional argument")
        }
        let count = try FilterSupport.int(a.value(2, "count"), -1, name: "count")
        let parts = FilterSupport.split(s, separator: old.pythonString, maxSplit: count)
        if old.pythonString.isEmpty {
            // Python inserts `new` between every character (and at both ends).
            var chars = s.map(String.init)
            let limit = count < 0 ? chars.count + 1 : min(count, chars.count + 1)
            var out = ""
            for i in 0..<limit { out += new.pythonString + (i < chars.count ? chars[i] : "") }
            if limit <= chars.count { chars.removeFirst(limit); out += chars.joined() }
            return .string(out)
        }
        return .string(parts.joined(separator: new.pythonString))
    }

    /// Python's `str.splitlines()` line boundaries.
    static func splitLines(_ s: String, keepEnds: Bool = false) -> [String] {
        var lines: [String] = []
        var current = ""
        let breaks: Set<Unicode.Scalar> = ["\n", "\r", "\u{0B}", "\u{0C}", "\u{1C}", "\u{1D}", "\u{1E}", "\u{85}", "\u{2028}", "\u{2029}"]
        let scalars = Array(s.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let u = scalars[i]
            if breaks.contains(u) {
                var ending = String(u)
                if u == "\r", i + 1 < scalars.count, scalars[i + 1] == "\n" { ending += "\n"; i += 1 }
                lines.append(keepEnds ? current + ending : current)
                current = ""
            } else {
                current.unicodeScalars.append(u)
            }
            i += 1
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    static func indent(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        var s = FilterSupport.text(v)
        let widthArg = a.value(0, "width") ?? .int(4)
        let indention: String
        if let text = widthArg.stringValue { indention = text } else {
            let width = max(0, try FilterSupport.int(widthArg, 4, name: "width"))
            try InputLimits.checkTemplateSize(width, "indent's width")
            indention = String(repeating: " ", count: width)
        }
        let first = FilterSupport.bool(a.value(1, "first"), false)
        let blank = FilterSupport.bool(a.value(2, "blank"), false)
        s += "\n"
        var result: String
        let lines = splitLines(s)
        try InputLimits.checkTemplateSize(InputLimits.sum(s.utf8.count, InputLimits.product(lines.count + 1, indention.utf8.count)), "indent")
        if blank {
            result = lines.joined(separator: "\n" + indention)
        } else {
            result = lines.first ?? ""
            let rest = lines.dropFirst()
            if !rest.isEmpty {
                result += "\n" + rest.map { $0.isEmpty ? $0 : indention + $0 }.joined(separator: "\n")
            }
        }
        if first { result = indention + result }
        return .string(result)
    }

    static func format(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let fmt = FilterSupport.text(v)
        if !a.keywords.isEmpty && !a.positional.isEmpty {
            throw JinjaError(.runtime, "can't handle positional and keyword arguments at the same time")
        }
        if !a.keywords.isEmpty {
            return .string(try PercentFormat.format(fmt, .dict(OrderedDict(a.keywords.map { ($0.name, $0.value) }))))
        }
        if a.positional.count == 1, case .dict = a.positional[0] {
            return .string(try PercentFormat.format(fmt, a.positional[0]))
        }
        return .string(try PercentFormat.format(fmt, tuple: a.positional))
    }

    static func htmlEscape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// MarkupSafe's striptags: drop comments and tags, collapse whitespace, unescape.
    static func stripTags(_ s: String) -> String {
        var text = s
        text = text.replacingOccurrences(of: "<!--.*?-->", with: "", options: .regularExpression)
        text = text.replacingOccurrences(of: "(?s)<.*?>", with: "", options: .regularExpression)
        text = FilterSupport.splitWhitespace(text).joined(separator: " ")
        return htmlUnescape(text)
    }

    static func htmlUnescape(_ s: String) -> String {
        guard s.contains("&") else { return s }
        let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}"]
        let regex = try? NSRegularExpression(pattern: "&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);")
        guard let regex else { return s }
        let ns = s as NSString
        var out = ""
        var last = 0
        for m in regex.matches(in: s, range: NSRange(location: 0, length: ns.length)) {
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
            let name = ns.substring(with: m.range(at: 1))
            var replacement: String?
            if name.hasPrefix("#x") || name.hasPrefix("#X") {
                replacement = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
            } else if name.hasPrefix("#") {
                replacement = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
            } else {
                replacement = named[name]
            }
            out += replacement ?? ns.substring(with: m.range)
            last = m.range.location + m.range.length
        }
        out += ns.substring(from: last)
        return out
    }

    static func filesizeformat(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let bytes = try NumberFilters.toFloat(v)
        let binary = FilterSupport.bool(a.value(0, "binary"), false)
        let base: Double = binary ? 1024 : 1000
        let prefixes = binary ? ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"]
            : ["kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
        if bytes == 1 { return "1 Byte" }
        if bytes < base {
            // Python's "%d" of a float: NaN and infinities raise, any finite value prints
            // its exact integer (which may lie far outside Int's range).
            if bytes.isNaN { throw JinjaError(.value, "ValueError: cannot convert float NaN to integer") }
            if bytes.isInfinite { throw JinjaError(.runtime, "OverflowError: cannot convert float infinity to integer") }
            return .string(String(format: "%.0f Bytes", bytes.rounded(.towardZero)))
        }
        var unit = base
        for (i, prefix) in prefixes.enumerated() {
            unit = pow(base, Double(i + 2))
            // Python compares against the exact integer power: 1e24 as a double lies just
            // below 1000**8, 1e27 just above 1000**9.
            let exactIsAbove = !binary && i + 2 == 8
            if bytes < unit || (bytes == unit && exactIsAbove) || i == prefixes.count - 1 {
                return .string(String(format: "%.1f %@", base * bytes / unit, prefix))
            }
        }
        return .string("")
    }

    static func xmlattr(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        guard case .dict(let d) = v else {
            throw JinjaError(.runtime, "'\(v.pythonTypeName)' object has no attribute 'items'")
        }
        let autospace = FilterSupport.bool(a.value(0, "autospace"), true)
        var parts: [String] = []
        for (key, value) in d where !value.isNull && !value.isUndefined {
            if key.contains(where: { $0.isWhitespace || "/>=".contains($0) }) {
                throw JinjaError(.value, "Invalid character in attribute name: \(Value.string(key).pythonRepr)")
            }
            parts.append("\(htmlEscape(key))=\"\(htmlEscape(value.pythonString))\"")
        }
        let text = parts.joined(separator: " ")
        return .string(autospace && !text.isEmpty ? " " + text : text)
    }

    static func tojson(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let indent = try a.value(0, "indent").flatMap { $0.isNull ? nil : try FilterSupport.int($0, 0, name: "indent") }
        var text = try JSONFormat(indent: indent, sortKeys: true).string(v, limit: InputLimits.templateSize.value)
        text = text.replacingOccurrences(of: "<", with: "\\u003c")
            .replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026")
            .replacingOccurrences(of: "'", with: "\\u0027")
        return .string(text)
    }

    /// Percent-encodes UTF-8 like Python's `urllib.parse.quote`.
    static func urlQuote(_ s: String, safe: String = "/", plusForSpace: Bool = false) -> String {
        var out = ""
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~".utf8)
        let safeBytes = Set(safe.utf8)
        for byte in s.utf8 {
            if unreserved.contains(byte) || safeBytes.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else if plusForSpace && byte == 0x20 {
                out += "+"
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    static func urlencode(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        switch v {
        case .string(let s), .unsafe(let s): return .string(urlQuote(s))
        case .dict(let d):
            return .string(d.map { "\(urlQuote($0.key, safe: "", plusForSpace: true))=\(urlQuote($0.value.pythonString, safe: "", plusForSpace: true))" }
                .joined(separator: "&"))
        case .list(let l):
            var parts: [String] = []
            for item in l {
                guard case .list(let pair) = item, pair.count == 2 else {
                    throw JinjaError(.value, "too many values to unpack (expected 2)")
                }
                parts.append("\(urlQuote(pair[0].pythonString, safe: "", plusForSpace: true))=\(urlQuote(pair[1].pythonString, safe: "", plusForSpace: true))")
            }
            return .string(parts.joined(separator: "&"))
        default: return .string(urlQuote(v.pythonString))
        }
    }
}
