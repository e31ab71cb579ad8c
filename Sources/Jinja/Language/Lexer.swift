/// Splits template source into tokens the way Jinja2's lexer does: data between tags,
/// whitespace control (`{%-`, `-%}`, `+%}`), `trim_blocks`/`lstrip_blocks`, comments
/// and raw blocks (both dropped or turned into data here), and expression tokens inside
/// `{{ }}` / `{% %}` with bracket balancing so `}}` inside a dict literal does not end
/// the tag.
struct Lexer {
    let src: [UInt8]
    let trimBlocks: Bool
    let lstripBlocks: Bool
    let templateName: String?
    /// The tag delimiters as bytes (Jinja2's block/variable/comment start and end strings).
    let blockStart: [UInt8], blockEnd: [UInt8], variableStart: [UInt8], variableEnd: [UInt8]
    let commentStart: [UInt8], commentEnd: [UInt8]
    /// Ansible's `escape_backslashes`: string literals inside `{{ }}` keep their
    /// backslashes verbatim (they were already unescaped once by YAML).
    var escapeBackslashes = false
    var inVariable = false
    var pos = 0
    var tokens: [Token] = []
    private var lineStarts: [Int] = [0]

    /// `source` must already be newline-normalised (see `normalise`).
    init(_ source: [UInt8], trimBlocks: Bool, lstripBlocks: Bool, templateName: String?,
         delimiters: Delimiters = .standard) {
        self.src = source
        blockStart = Array(delimiters.blockStart.utf8)
        blockEnd = Array(delimiters.blockEnd.utf8)
        variableStart = Array(delimiters.variableStart.utf8)
        variableEnd = Array(delimiters.variableEnd.utf8)
        commentStart = Array(delimiters.commentStart.utf8)
        commentEnd = Array(delimiters.commentEnd.utf8)
        self.trimBlocks = trimBlocks
        self.lstripBlocks = lstripBlocks
        self.templateName = templateName
        for (i, b) in source.enumerated() where b == 0x0A { lineStarts.append(i + 1) }
    }

    /// Jinja2 treats `\r\n`, `\r` and `\n` as line breaks, writes them all as `\n`, and
    /// drops one trailing newline unless asked to keep it.
    static func normalise(_ source: String, keepTrailingNewline: Bool) -> [UInt8] {
        var out = [UInt8]()
        let bytes = Array(source.utf8)
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x0D {
                out.append(0x0A)
                if i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
            } else {
                out.append(b)
            }
            i += 1
        }
        if !keepTrailingNewline, out.last == 0x0A { out.removeLast() }
        return out
    }

    // MARK: positions and errors

    func line(of offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo + 1
    }

    func location(_ offset: Int) -> (line: Int, column: Int) {
        let lo = line(of: offset) - 1
        let start = lineStarts[lo]
        let column = String(decoding: src[start..<min(max(offset, start), src.count)], as: UTF8.self).count + 1
        return (lo + 1, column)
    }

    func sourceLine(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = start
        while end < src.count && src[end] != 0x0A { end += 1 }
        return String(decoding: src[start..<end], as: UTF8.self)
    }

    func error(_ message: String, at offset: Int) -> JinjaError {
        let (line, column) = location(offset)
        return JinjaError(.syntax, message, templateName: templateName, line: line, column: column, sourceLine: sourceLine(line))
    }

    func tokenAt(_ kind: Token.Kind, _ start: Int, _ end: Int) -> Token {
        Token(kind, text(start..<end), line: line(of: start), offset: start)
    }

    mutating func appendToken(_ token: Token) { tokens.append(token) }

    private mutating func emit(_ kind: Token.Kind, _ text: String, at offset: Int) {
        tokens.append(Token(kind, text, line: line(of: offset), offset: offset))
    }

    // MARK: byte helpers

    private func at(_ i: Int) -> UInt8 { i < src.count ? src[i] : 0 }

    private func matches(_ bytes: [UInt8], at i: Int) -> Bool {
        guard !bytes.isEmpty, i + bytes.count <= src.count else { return false }
        for k in 0..<bytes.count where src[i + k] != bytes[k] { return false }
        return true
    }

    /// `-` or `+` followed by `end` at `i`.
    private func matchesSigned(_ sign: UInt8, _ end: [UInt8], at i: Int) -> Bool {
        at(i) == sign && matches(end, at: i + 1)
    }

    private func matches(_ text: StaticString, at i: Int) -> Bool {
        let count = text.utf8CodeUnitCount
        guard i + count <= src.count else { return false }
        let p = text.utf8Start
        for k in 0..<count where src[i + k] != p[k] { return false }
        return true
    }

    static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0B || b == 0x0C
    }

    private func skipSpace(from i: Int) -> Int {
        var j = i
        while j < src.count && Lexer.isSpace(src[j]) { j += 1 }
        return j
    }

    func text(_ range: Range<Int>) -> String { String(decoding: src[range], as: UTF8.self) }

    // MARK: root state

    mutating func tokenize() throws -> [Token] {
        while pos < src.count {
            guard let (tagStart, kind) = findTag(from: pos) else {
                emit(.data, text(pos..<src.count), at: pos)
                pos = src.count
                break
            }
            let lineStarting = pos == 0 || src[pos - 1] == 0x0A
            var dataEnd = tagStart
            let startLength = kind == .variableBegin ? variableStart.count : kind == .data ? commentStart.count : blockStart.count
            let sign = at(tagStart + startLength)
            if kind == .rawBegin {
                let signByte = sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") ? sign : 0
                dataEnd = stripData(pos, tagStart, sign: signByte, isVariable: false, lineStarting: lineStarting)
            } else {
                dataEnd = stripData(pos, tagStart, sign: sign, isVariable: kind == .variableBegin, lineStarting: lineStarting)
            }
            if dataEnd > pos { emit(.data, text(pos..<dataEnd), at: pos) }
            switch kind {
            case .rawBegin: try lexRaw(tagStart)
            case .variableBegin, .blockBegin:
                emit(kind, kind == .variableBegin ? "{{" : "{%", at: tagStart)
                pos = tagStart + startLength
                if sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { pos += 1 }
                inVariable = kind == .variableBegin
                try lexTag(isBlock: kind == .blockBegin)
                inVariable = false
            default:
                pos = tagStart + startLength
                if sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { pos += 1 }
                try lexComment(tagStart)
            }
        }
        emit(.eof, "", at: src.count)
        return tokens
    }

    /// The next `{{`, `{%` or `{#` (a `{% raw %}` reported as raw) at or after `from`.
    /// Where two start strings match at one place the longest wins, as in Jinja2's lexer.
    private func findTag(from start: Int) -> (Int, Token.Kind)? {
        let starts: [([UInt8], Token.Kind)] = [(variableStart, .variableBegin), (blockStart, .blockBegin), (commentStart, .data)]
            .sorted { $0.0.count > $1.0.count }
        var i = start
        while i < src.count {
            for (delimiter, kind) in starts where matches(delimiter, at: i) {
                if kind == .blockBegin { return (i, isRawBegin(i) != nil ? .rawBegin : .blockBegin) }
                return (i, kind)  // .data: a comment
            }
            i += 1
        }
        return nil
    }

    /// If a `{% raw %}` tag starts at `i`, the offset just past it.
    private func isRawBegin(_ i: Int) -> Int? {
        var j = i + blockStart.count
        if at(j) == UInt8(ascii: "-") || at(j) == UInt8(ascii: "+") { j += 1 }
        j = skipSpace(from: j)
        guard matches("raw", at: j) else { return nil }
        j = skipSpace(from: j + 3)
        if matchesSigned(UInt8(ascii: "-"), blockEnd, at: j) { return skipSpace(from: j + 1 + blockEnd.count) }
        if matches(blockEnd, at: j) { return j + blockEnd.count }
        return nil
    }

    /// Applies `-` (strip all whitespace before the tag) and `lstrip_blocks` (strip
    /// spaces and tabs between the line start and a block or comment tag).
    private func stripData(_ start: Int, _ end: Int, sign: UInt8, isVariable: Bool, lineStarting: Bool) -> Int {
        if sign == UInt8(ascii: "-") {
            var e = end
            while e > start && Lexer.isSpace(src[e - 1]) { e -= 1 }
            return e
        }
        if sign != UInt8(ascii: "+") && lstripBlocks && !isVariable {
            var lineBegin = end
            while lineBegin > start && src[lineBegin - 1] != 0x0A { lineBegin -= 1 }
            let afterNewline = lineBegin > start
            if (afterNewline || lineStarting) && lineBegin < end && (lineBegin..<end).allSatisfy({ Lexer.isSpace(src[$0]) }) {
                return lineBegin
            }
        }
        return end
    }

    /// Consumes a block-end suffix (`+%}`, `-%}` plus whitespace, `%}` plus an optional
    /// newline under trim_blocks) at `i`; returns the offset after it.
    private func blockEndSuffix(_ i: Int, end: [UInt8]) -> Int? {
        if matchesSigned(UInt8(ascii: "+"), end, at: i) { return i + 1 + end.count }
        if matchesSigned(UInt8(ascii: "-"), end, at: i) { return skipSpace(from: i + 1 + end.count) }
        if matches(end, at: i) {
            var j = i + end.count
            if trimBlocks && at(j) == 0x0A { j += 1 }
            return j
        }
        return nil
    }

    private mutating func lexComment(_ tagStart: Int) throws {
        // Jinja2's lexer silently stops when a comment opens at the very end.
        if pos >= src.count { return }
        var i = pos
        while i < src.count {
            if let end = blockEndSuffix(i, end: commentEnd) {
                pos = end
                return
            }
            i += 1
        }
        throw error("Missing end of comment tag", at: tagStart)
    }

    private mutating func lexRaw(_ tagStart: Int) throws {
        guard let bodyStart = isRawBegin(tagStart) else { throw error("Missing end of raw directive", at: tagStart) }
        if bodyStart >= src.count { pos = bodyStart; return }
        var i = bodyStart
        while i < src.count {
            if matches(blockStart, at: i) {
                var j = i + blockStart.count
                let sign = at(j)
                if sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { j += 1 }
                j = skipSpace(from: j)
                if matches("endraw", at: j) {
                    j = skipSpace(from: j + 6)
                    if let end = blockEndSuffix(j, end: blockEnd) {
                        let lineStarting = bodyStart > 0 && src[bodyStart - 1] == 0x0A
                        let signByte = sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") ? sign : 0
                        let dataEnd = stripData(bodyStart, i, sign: signByte, isVariable: false, lineStarting: lineStarting)
                        if dataEnd > bodyStart { emit(.data, text(bodyStart..<dataEnd), at: bodyStart) }
                        pos = end
                        return
                    }
                }
            }
            i += 1
        }
        throw error("Missing end of raw directive", at: tagStart)
    }

    // MARK: inside {{ }} and {% %}

    private static let twoCharOps: [(UInt8, UInt8)] = [
        (UInt8(ascii: "/"), UInt8(ascii: "/")), (UInt8(ascii: "*"), UInt8(ascii: "*")),
        (UInt8(ascii: "="), UInt8(ascii: "=")), (UInt8(ascii: "!"), UInt8(ascii: "=")),
        (UInt8(ascii: ">"), UInt8(ascii: "=")), (UInt8(ascii: "<"), UInt8(ascii: "=")),
    ]
    private static let oneCharOps: Set<UInt8> = Set("+-/*%~[](){}><=.:|,;".utf8)

    private mutating func lexTag(isBlock: Bool) throws {
        var balance: [UInt8] = []
        while true {
            if balance.isEmpty {
                if isBlock, let end = blockEndSuffix(pos, end: blockEnd) {
                    emit(.blockEnd, "%}", at: pos)
                    pos = end
                    return
                }
                if !isBlock {
                    if matchesSigned(UInt8(ascii: "-"), variableEnd, at: pos) {
                        emit(.variableEnd, "}}", at: pos)
                        pos = skipSpace(from: pos + 1 + variableEnd.count)
                        return
                    }
                    if matches(variableEnd, at: pos) {
                        emit(.variableEnd, "}}", at: pos)
                        pos += variableEnd.count
                        return
                    }
                }
            }
            pos = skipSpace(from: pos)
            if pos >= src.count { return }
            if balance.isEmpty && (isBlock ? blockEndSuffix(pos, end: blockEnd) != nil : (matchesSigned(UInt8(ascii: "-"), variableEnd, at: pos) || matches(variableEnd, at: pos))) {
                continue
            }
            let c = src[pos]
            if lexNumber() != nil { continue }
            if Lexer.isNameStart(c) {
                let start = pos
                while pos < src.count && Lexer.isNameChar(src[pos]) { pos += 1 }
                emit(.name, text(start..<pos), at: start)
                continue
            }
            if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") {
                try lexString()
                continue
            }
            if pos + 1 < src.count, Lexer.twoCharOps.contains(where: { $0.0 == c && $0.1 == src[pos + 1] }) {
                emit(.op, text(pos..<pos + 2), at: pos)
                pos += 2
                continue
            }
            if Lexer.oneCharOps.contains(c) {
                switch c {
                case UInt8(ascii: "{"): balance.append(UInt8(ascii: "}"))
                case UInt8(ascii: "("): balance.append(UInt8(ascii: ")"))
                case UInt8(ascii: "["): balance.append(UInt8(ascii: "]"))
                case UInt8(ascii: "}"), UInt8(ascii: ")"), UInt8(ascii: "]"):
                    guard let expected = balance.popLast() else { throw error("unexpected '\(Character(Unicode.Scalar(c)))'", at: pos) }
                    if expected != c {
                        throw error("unexpected '\(Character(Unicode.Scalar(c)))', expected '\(Character(Unicode.Scalar(expected)))'", at: pos)
                    }
                default: break
                }
                emit(.op, String(Character(Unicode.Scalar(c))), at: pos)
                pos += 1
                continue
            }
            let charIndex = String(decoding: src[0..<pos], as: UTF8.self).count
            let ch = String(decoding: src[pos..<min(src.count, pos + Lexer.utf8Length(c))], as: UTF8.self)
            var repr = ""
            Value.writeStringRepr(ch, into: &repr)
            throw error("unexpected char \(repr) at \(charIndex)", at: pos)
        }
    }

    static func utf8Length(_ lead: UInt8) -> Int {
        if lead < 0x80 { return 1 }
        if lead >= 0xF0 { return 4 }
        if lead >= 0xE0 { return 3 }
        return 2
    }

    static func isNameStart(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x5F || c >= 0x80
    }

    static func isNameChar(_ c: UInt8) -> Bool { isNameStart(c) || isDigit(c) }
    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
}
