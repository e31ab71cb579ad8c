/// Number and string literals, following Jinja2's token regexes and Python's
/// `unicode-escape` decoding of string contents.
extension Lexer {
    /// `(\d+_)*\d+` starting at `i`: the end offset, or nil.
    private func digitRun(_ i: Int, allowUnderscore: Bool = true) -> Int? {
        var j = i
        guard j < src.count, Lexer.isDigit(src[j]) else { return nil }
        while true {
            while j < src.count && Lexer.isDigit(src[j]) { j += 1 }
            if allowUnderscore && j + 1 < src.count && src[j] == UInt8(ascii: "_") && Lexer.isDigit(src[j + 1]) {
                j += 1
                continue
            }
            return j
        }
    }

    private func cleanDigits(_ range: Range<Int>) -> String {
        String(decoding: src[range].filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
    }

    /// Lexes a float or integer at `pos`; nil when none starts here.
    mutating func lexNumber() -> Bool? {
        let start = pos
        guard start < src.count, Lexer.isDigit(src[start]) else { return nil }
        // Float (not directly after a dot, so `1.2.3` is 1.2 then .3 as an attribute).
        if start == 0 || src[start - 1] != UInt8(ascii: ".") {
            if let intEnd = digitRun(start) {
                var end: Int?
                var j = intEnd
                if at2(j) == UInt8(ascii: "."), let fracEnd = digitRun(j + 1) { j = fracEnd; end = j }
                if at2(j) == UInt8(ascii: "e") || at2(j) == UInt8(ascii: "E") {
                    var k = j + 1
                    if at2(k) == UInt8(ascii: "+") || at2(k) == UInt8(ascii: "-") { k += 1 }
                    if let expEnd = digitRun(k) { end = expEnd }
                }
                if let end {
                    let value = Double(cleanDigits(start..<end)) ?? .infinity
                    var token = tokenAt(.float, start, end)
                    token.floatValue = value
                    appendToken(token)
                    pos = end
                    return true
                }
            }
        }
        // Integer: 0b/0o/0x prefixes, a non-zero-led decimal, or zeros.
        let c1 = at2(start + 1) | 0x20
        if src[start] == UInt8(ascii: "0") && (c1 == UInt8(ascii: "b") || c1 == UInt8(ascii: "o") || c1 == UInt8(ascii: "x")) {
            let radix = c1 == UInt8(ascii: "b") ? 2 : (c1 == UInt8(ascii: "o") ? 8 : 16)
            var j = start + 2
            var digits = [UInt8]()
            while j < src.count {
                var k = j
                if src[k] == UInt8(ascii: "_") { k += 1 }
                guard k < src.count, Lexer.digitValue(src[k]).map({ $0 < radix }) == true else { break }
                digits.append(src[k])
                j = k + 1
            }
            if !digits.isEmpty {
                var token = tokenAt(.integer, start, j)
                token.intValue = Int(String(decoding: digits, as: UTF8.self), radix: radix) ?? Int.max
                appendToken(token)
                pos = j
                return true
            }
        }
        var end = start + 1
        if src[start] == UInt8(ascii: "0") {
            while end < src.count {
                if src[end] == UInt8(ascii: "0") { end += 1 } else if src[end] == UInt8(ascii: "_") && at2(end + 1) == UInt8(ascii: "0") { end += 2 } else { break }
            }
        } else {
            end = digitRun(start) ?? end
        }
        var token = tokenAt(.integer, start, end)
        token.intValue = Int(cleanDigits(start..<end)) ?? Int.max
        appendToken(token)
        pos = end
        return true
    }

    static func digitValue(_ c: UInt8) -> Int? {
        switch c {
        case 0x30...0x39: return Int(c - 0x30)
        case 0x61...0x66: return Int(c - 0x61 + 10)
        case 0x41...0x46: return Int(c - 0x41 + 10)
        default: return nil
        }
    }

    private func at2(_ i: Int) -> UInt8 { i < src.count ? src[i] : 0 }

    /// Lexes a quoted string at `pos` (unterminated quotes are "unexpected char").
    mutating func lexString() throws {
        let start = pos
        let quote = src[start]
        var j = start + 1
        while j < src.count && src[j] != quote {
            if src[j] == UInt8(ascii: "\\") { j += 1 }
            j += 1
        }
        guard j < src.count else {
            let charIndex = String(decoding: src[0..<start], as: UTF8.self).count
            throw error("unexpected char \(quote == UInt8(ascii: "'") ? "\"'\"" : "'\"'") at \(charIndex)", at: start)
        }
        let body = Array(src[(start + 1)..<j])
        var token = tokenAt(.string, start, j + 1)
        if escapeBackslashes && inVariable {
            token.text = String(decoding: body, as: UTF8.self)
        } else {
            token.text = try Lexer.unescape(body) { self.error($0, at: start) }
        }
        appendToken(token)
        pos = j + 1
    }

    /// Python's `unicode-escape` decoding, as Jinja2 applies it to string literals.
    static func unescape(_ body: [UInt8], fail: (String) -> JinjaError) throws -> String {
        guard body.contains(UInt8(ascii: "\\")) else { return String(decoding: body, as: UTF8.self) }
        var out = String.UnicodeScalarView()
        let text = Array(String(decoding: body, as: UTF8.self).unicodeScalars)
        var i = 0
        while i < text.count {
            let c = text[i]
            guard c == "\\", i + 1 < text.count else { out.append(c); i += 1; continue }
            i += 1
            do {
                try PythonStringEscape.decode(text, at: &i, into: &out)
            } catch let failure as PythonStringEscape.Failure {
                throw fail(failure.message)
            }
        }
        return String(out)
    }
}
