import Jinja

/// Types INI inventory values the way Ansible's INI plugin does: the text goes through
/// Python's `ast.literal_eval`, and when that fails the text stays a plain string.
///
/// Supported literals: ints (`0x`, `0o`, `0b`, `_` separators), floats, strings
/// (quotes, triple quotes, `r`/`b`/`u` prefixes, escapes, implicit concatenation),
/// `True`/`False`/`None`, lists, tuples and sets (all become lists), dicts, unary
/// `+`/`-` on numbers, `...` (kept as the string `"..."`), and trailing `#` comments.
public enum PythonLiteral {
    /// The typed value of `text`, or `.string(text)` when it is not a Python literal.
    public static func typedValue(_ text: String) -> Value {
        parse(text) ?? .string(text)
    }

    /// The value of `text` as `ast.literal_eval` would compute it, or nil on failure.
    public static func parse(_ text: String) -> Value? {
        var trimmed = Substring(text)
        while let first = trimmed.first, first == " " || first == "\t" { trimmed.removeFirst() }
        var parser = LiteralParser(Array(trimmed.unicodeScalars))
        guard let value = try? parser.parseExpression() else { return nil }
        parser.skipSpaceAndComments(allowNewlines: true)
        guard parser.atEnd else { return nil }
        return value
    }
}

private struct LiteralFailure: Error {}

/// A recursive-descent reader for the literal subset of Python expressions.
private struct LiteralParser {
    let chars: [Unicode.Scalar]
    var pos = 0
    /// Brackets allow newlines inside them, as Python's tokenizer does.
    var bracketDepth = 0

    init(_ chars: [Unicode.Scalar]) { self.chars = chars }

    var atEnd: Bool { pos >= chars.count }
    var current: Unicode.Scalar? { pos < chars.count ? chars[pos] : nil }

    func peek(_ offset: Int) -> Unicode.Scalar? {
        pos + offset < chars.count ? chars[pos + offset] : nil
    }

    mutating func skipSpaceAndComments(allowNewlines: Bool = false) {
        while let c = current {
            if c == " " || c == "\t" || c == "\u{0C}" {
                pos += 1
            } else if c == "\\", peek(1) == "\n" {
                pos += 2
            } else if (c == "\n" || c == "\r") && (allowNewlines || bracketDepth > 0) {
                pos += 1
            } else if c == "#" {
                while let d = current, d != "\n" { _ = d; pos += 1 }
            } else {
                return
            }
        }
    }

    mutating func expect(_ c: Unicode.Scalar) throws {
        skipSpaceAndComments()
        guard current == c else { throw LiteralFailure() }
        pos += 1
    }

    /// An expression at the top level or inside a container: a tuple when commas follow.
    mutating func parseExpression() throws -> Value {
        skipSpaceAndComments()
        let first = try parseOperand()
        skipSpaceAndComments()
        if bracketDepth == 0, current == "," {
            // A bare tuple such as `1, 2` is a valid literal.
            var items = [first]
            while current == "," {
                pos += 1
                skipSpaceAndComments()
                if atEnd { break }
                items.append(try parseOperand())
                skipSpaceAndComments()
            }
            return .list(items)
        }
        return first
    }

    mutating func parseOperand() throws -> Value {
        skipSpaceAndComments()
        guard let c = current else { throw LiteralFailure() }
        if c == "+" || c == "-" {
            pos += 1
            skipSpaceAndComments()
            guard let d = current, d.properties.numericType != nil || d == "." else { throw LiteralFailure() }
            let number = try parseNumber()
            switch (c, number) {
            case ("-", .int(let i)): return .int(-i)
            case ("-", .float(let f)): return .float(-f)
            default: return number
            }
        }
        if c == "[" { return .list(try parseSequence(close: "]")) }
        if c == "(" {
            pos += 1
            bracketDepth += 1
            defer { bracketDepth -= 1 }
            skipSpaceAndComments()
            if current == ")" { pos += 1; return .list([]) }
            let first = try parseOperand()
            skipSpaceAndComments()
            if current == ")" { pos += 1; return first }
            var items = [first]
            while current == "," {
                pos += 1
                skipSpaceAndComments()
                if current == ")" { break }
                items.append(try parseOperand())
                skipSpaceAndComments()
            }
            try expect(")")
            return .list(items)
        }
        if c == "{" { return try parseBraces() }
        if c == "'" || c == "\"" { return try parseStrings() }
        if c == "." && peek(1) == "." && peek(2) == "." { pos += 3; return .string("...") }
        if c.properties.numericType != nil && c.isASCII || c == "." { return try parseNumber() }
        if c.properties.isXIDStart || c == "_" {
            let start = pos
            while let d = current, d.properties.isXIDContinue { pos += 1 }
            let word = String(String.UnicodeScalarView(chars[start..<pos]))
            if let q = current, q == "'" || q == "\"" {
                let prefix = word.lowercased()
                if ["r", "u", "b", "br", "rb"].contains(prefix) {
                    pos = start
                    return try parseStrings()
                }
            }
            switch word {
            case "True": return .bool(true)
            case "False": return .bool(false)
            case "None": return .null
            case "set":
                // `set()`, the empty set (a list once typed, as Ansible converts sets).
                skipSpaceAndComments()
                guard current == "(" else { throw LiteralFailure() }
                pos += 1
                try expect(")")
                return .list([])
            default: throw LiteralFailure()
            }
        }
        throw LiteralFailure()
    }

    mutating func parseSequence(close: Unicode.Scalar) throws -> [Value] {
        pos += 1
        bracketDepth += 1
        defer { bracketDepth -= 1 }
        var items: [Value] = []
        skipSpaceAndComments()
        while current != close {
            items.append(try parseOperand())
            skipSpaceAndComments()
            if current == "," { pos += 1; skipSpaceAndComments(); continue }
            guard current == close else { throw LiteralFailure() }
        }
        pos += 1
        return items
    }

    /// `{}` dict, `{k: v, ...}` dict or `{a, b}` set (a set becomes a list).
    mutating func parseBraces() throws -> Value {
        pos += 1
        bracketDepth += 1
        defer { bracketDepth -= 1 }
        skipSpaceAndComments()
        if current == "}" { pos += 1; return .dict(OrderedDict()) }
        let firstKey = try parseOperand()
        skipSpaceAndComments()
        if current == ":" {
            var dict = OrderedDict()
            var key = firstKey
            while true {
                try expect(":")
                let value = try parseOperand()
                guard key.isHashableLiteral else { throw LiteralFailure() }
                dict[key.pythonString] = value
                skipSpaceAndComments()
                if current == "," { pos += 1; skipSpaceAndComments() }
                else { break }
                if current == "}" { break }
                key = try parseOperand()
            }
            try expect("}")
            return .dict(dict)
        }
        guard firstKey.isHashableLiteral else { throw LiteralFailure() }
        var items = [firstKey]
        while current == "," {
            pos += 1
            skipSpaceAndComments()
            if current == "}" { break }
            let item = try parseOperand()
            guard item.isHashableLiteral else { throw LiteralFailure() }
            if !items.contains(item) { items.append(item) }
            skipSpaceAndComments()
        }
        try expect("}")
        return .list(items)
    }

    /// One or more adjacent string literals, concatenated as Python does.
    mutating func parseStrings() throws -> Value {
        var result = ""
        var sawBytes: Bool?
        while true {
            skipSpaceAndComments()
            let start = pos
            var raw = false, bytes = false
            while let c = current, c != "'" && c != "\"" && pos - start < 2 {
                switch c {
                case "r", "R": raw = true
                case "b", "B": bytes = true
                case "u", "U": break
                default: pos = start; return .string(result)
                }
                pos += 1
            }
            guard let quote = current, quote == "'" || quote == "\"" else {
                pos = start
                if sawBytes == nil { throw LiteralFailure() }
                return .string(result)
            }
            // Python refuses to concatenate bytes with str.
            if let sawBytes, sawBytes != bytes { throw LiteralFailure() }
            sawBytes = bytes
            result += try parseOneString(quote: quote, raw: raw)
        }
    }

    mutating func parseOneString(quote: Unicode.Scalar, raw: Bool) throws -> String {
        let triple = peek(1) == quote && peek(2) == quote
        pos += triple ? 3 : 1
        var out = String.UnicodeScalarView()
        while true {
            guard let c = current else { throw LiteralFailure() }
            if c == quote {
                if !triple { pos += 1; break }
                if peek(1) == quote && peek(2) == quote { pos += 3; break }
            }
            if !triple && c == "\n" { throw LiteralFailure() }
            if c == "\\" {
                guard let next = peek(1) else { throw LiteralFailure() }
                if raw {
                    out.append(c); out.append(next); pos += 2; continue
                }
                pos += 1
                do {
                    try PythonStringEscape.decode(chars, at: &pos, into: &out)
                } catch {
                    throw LiteralFailure()
                }
                continue
            }
            out.append(c)
            pos += 1
        }
        return String(out)
    }

    /// Python's numeric literal grammar; imaginary literals are not supported (the
    /// whole value then stays a string).
    mutating func parseNumber() throws -> Value {
        let start = pos
        while let c = current, c.isASCII, c.properties.isAlphabetic || c.properties.numericType != nil || c == "_" || c == "." ||
                ((c == "+" || c == "-") && pos > start && (chars[pos - 1] == "e" || chars[pos - 1] == "E") && !isPrefixed(start)) {
            pos += 1
        }
        let text = String(String.UnicodeScalarView(chars[start..<pos]))
        // An imaginary literal (`1j`) is a complex, which Ansible keeps as its text.
        if let last = text.last, last == "j" || last == "J", Self.number(String(text.dropLast())) != nil {
            return .string(text)
        }
        guard let value = Self.number(text) else { throw LiteralFailure() }
        return value
    }

    func isPrefixed(_ start: Int) -> Bool {
        guard start + 1 < chars.count, chars[start] == "0" else { return false }
        return "xXoObB".unicodeScalars.contains(chars[start + 1])
    }

    static func number(_ text: String) -> Value? {
        guard !text.isEmpty, !text.hasSuffix("_"), !text.contains("__") else { return nil }
        let lower = text.lowercased()
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where lower.hasPrefix(prefix) {
            var digits = String(lower.dropFirst(2))
            if digits.hasPrefix("_") { digits.removeFirst() }
            guard !digits.isEmpty, !digits.hasPrefix("_") else { return nil }
            guard let v = Int(digits.replacingOccurrences(of: "_", with: ""), radix: radix) else { return nil }
            return .int(v)
        }
        if lower.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "_") }) {
            guard lower.first?.isNumber == true else { return nil }
            let digits = lower.replacingOccurrences(of: "_", with: "")
            // Python rejects leading zeros on non-zero decimal ints.
            if digits.count > 1, digits.hasPrefix("0"), digits.contains(where: { $0 != "0" }) { return nil }
            guard let v = Int(digits) else { return nil }
            return .int(v)
        }
        // Float: digits with optional fraction and exponent; `_` only between digits.
        let pattern = Array(lower)
        var i = 0
        func digitRun() -> Int {
            let s = i
            while i < pattern.count, pattern[i].isNumber || (pattern[i] == "_" && i > s && i + 1 < pattern.count && pattern[i + 1].isNumber) { i += 1 }
            return i - s
        }
        let whole = digitRun()
        var fraction = 0
        if i < pattern.count, pattern[i] == "." { i += 1; fraction = digitRun() }
        else if whole == 0 { return nil }
        guard whole + fraction > 0 else { return nil }
        if i < pattern.count, pattern[i] == "e" {
            i += 1
            if i < pattern.count, pattern[i] == "+" || pattern[i] == "-" { i += 1 }
            guard digitRun() > 0 else { return nil }
        }
        guard i == pattern.count else { return nil }
        guard let d = Double(lower.replacingOccurrences(of: "_", with: "")) else { return nil }
        return .float(d)
    }
}

private extension Value {
    /// Lists and dicts cannot be dict keys or set members in Python.
    var isHashableLiteral: Bool {
        switch self {
        case .list, .dict: return false
        default: return true
        }
    }
}
