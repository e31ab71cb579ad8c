import Foundation

/// `wordwrap` (Python's textwrap) and `urlize`.
extension StringFilters {
    static func wordwrap(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let s = FilterSupport.text(v)
        let width = try FilterSupport.int(a.value(0, "width"), 79, name: "width")
        let breakLong = FilterSupport.bool(a.value(1, "break_long_words"), true)
        let wrapString = FilterSupport.string(a.value(2, "wrapstring").flatMap { $0.isNull ? nil : $0 }, "\n")
        let breakHyphens = FilterSupport.bool(a.value(3, "break_on_hyphens"), true)
        guard width > 0 else { throw JinjaError(.value, "invalid width \(width) (must be > 0)") }
        let lines = splitLines(s).map {
            wrap($0, width: width, breakLongWords: breakLong, breakOnHyphens: breakHyphens).joined(separator: wrapString)
        }
        return .string(lines.joined(separator: wrapString))
    }

    /// textwrap's word separator: whitespace runs, em-dashes, words split after hyphens
    /// that sit between letters.
    static let wordSeparator: NSRegularExpression? = {
        let ws = "[\\t\\n\\x0b\\x0c\\r ]", nws = "[^\\t\\n\\x0b\\x0c\\r ]"
        let wp = "[\\w!\"'&.,?]", lt = "[^\\d\\W]"
        let pattern = "(\(ws)+|(?<=\(wp))-{2,}(?=\\w)|\(nws)+?(?:-(?:(?<=\(lt){2}-)|(?<=\(lt)-\(lt)-))(?=\(lt)-?\(lt))|(?=\(ws)|\\z)|(?<=\(wp))(?=-{2,}\\w)))"
        return try? NSRegularExpression(pattern: pattern)
    }()

    /// `re.split` of the text by ``wordSeparator`` (or on whitespace only), empties dropped.
    private static func chunks(_ text: String, breakOnHyphens: Bool) -> [String] {
        let pattern = breakOnHyphens ? wordSeparator : (try? NSRegularExpression(pattern: "([\\t\\n\\x0b\\x0c\\r ]+)"))
        guard let regex = pattern else { return [text] }
        let ns = text as NSString
        var result: [String] = []
        var last = 0
        for m in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            if m.range.location > last { result.append(ns.substring(with: NSRange(location: last, length: m.range.location - last))) }
            if m.range.length > 0 { result.append(ns.substring(with: m.range)) }
            last = m.range.location + m.range.length
        }
        if last < ns.length { result.append(ns.substring(from: last)) }
        return result.filter { !$0.isEmpty }
    }

    /// Python's `textwrap.wrap` with expand_tabs/replace_whitespace off, drop_whitespace on.
    static func wrap(_ text: String, width: Int, breakLongWords: Bool, breakOnHyphens: Bool) -> [String] {
        var pending = Array(chunks(text, breakOnHyphens: breakOnHyphens).reversed())
        var lines: [String] = []
        while !pending.isEmpty {
            var line: [String] = []
            var length = 0
            if let last = pending.last, last.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, !lines.isEmpty { pending.removeLast() }
            while let next = pending.last, length + next.count <= width {
                line.append(next); length += next.count; pending.removeLast()
            }
            if let next = pending.last, next.count > width {
                if breakLongWords {
                    let room = max(width - length, 1)
                    var end = room
                    if breakOnHyphens && next.count > room {
                        // Prefer breaking after the last hyphen that fits.
                        let chars = Array(next)
                        if let hyphen = chars[0..<room].lastIndex(of: "-"), hyphen > 0,
                           chars[0..<hyphen].contains(where: { $0 != "-" }) {
                            end = hyphen + 1
                        }
                    }
                    line.append(String(next.prefix(end)))
                    pending[pending.count - 1] = String(next.dropFirst(end))
                } else if line.isEmpty {
                    line.append(next); pending.removeLast()
                }
            }
            if let last = line.last, last.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { length -= last.count; line.removeLast() }
            if !line.isEmpty { lines.append(line.joined()) }
        }
        return lines
    }

    /// Jinja's `_http_re`: scheme or `www.` URLs, bare domains with common TLDs, IP hosts.
    static let httpPattern = #"^((https?://|www\.)(([\w%-]+\.)+)?([a-z]{2,63}|xn--[\w%]{2,59})|([\w%-]{2,63}\.)+(com|net|int|edu|gov|org|info|mil)|(https?://)((([\d]{1,3})(\.[\d]{1,3}){3})|(\[([\da-f]{0,4}:){2}([\da-f]{0,4}:?){1,6}])))(?::[\d]{1,5})?(?:[/?#]\S*)?$"#
    static let emailPattern = #"^\S+@\w[\w.-]*\.\w+$"#

    static func urlize(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let text = FilterSupport.text(v)
        let trimLimit = try a.value(0, "trim_url_limit").flatMap { $0.isNull ? nil : try FilterSupport.int($0, 0, name: "trim_url_limit") }
        let nofollow = FilterSupport.bool(a.value(1, "nofollow"), false)
        let target = a.value(2, "target").flatMap { $0.isNull ? nil : $0.pythonString }
        var relParts = Set(["noopener"])
        if nofollow { relParts.insert("nofollow") }
        if let rel = a.value(3, "rel"), !rel.isNull { relParts.formUnion(FilterSupport.splitWhitespace(rel.pythonString)) }
        let relAttr = " rel=\"\(htmlEscape(relParts.sorted().joined(separator: " ")))\""
        let targetAttr = target.map { " target=\"\(htmlEscape($0))\"" } ?? ""
        let http = try PythonRegex(httpPattern, ignoreCase: true)
        let email = try PythonRegex(emailPattern)
        let leading = try PythonRegex("^([(<]|&lt;)+")
        let trailing = try PythonRegex("([)>.,\n]|&gt;)+$")
        func shorten(_ url: String) -> String {
            guard let limit = trimLimit.map({ max(0, $0) }), url.count > limit else { return url }
            return String(url.prefix(limit)) + (limit > 3 ? "..." : "")
        }
        // Jinja escapes first, then links words of the escaped text.
        let escaped = htmlEscape(text)
        var out = ""
        var word = ""
        func flush() {
            guard !word.isEmpty else { return }
            var head = "", middle = word, tail = ""
            if let m = leading.search(middle) {
                head = m.text
                middle = String(middle.dropFirst(m.text.count))
            }
            if let m = trailing.search(middle) {
                tail = m.text
                middle = String(middle.dropLast(m.text.count))
            }
            for (open, close) in [("(", ")"), ("<", ">"), ("&lt;", "&gt;")] {
                let opens = middle.components(separatedBy: open).count - 1
                guard opens > middle.components(separatedBy: close).count - 1 else { continue }
                for _ in 0..<min(opens, tail.components(separatedBy: close).count - 1) {
                    guard let r = tail.range(of: close) else { break }
                    middle += tail[..<r.upperBound]
                    tail = String(tail[r.upperBound...])
                }
            }
            if http.search(middle) != nil {
                let href = middle.hasPrefix("https://") || middle.hasPrefix("http://") ? middle : "https://" + middle
                middle = "<a href=\"\(href)\"\(relAttr)\(targetAttr)>\(shorten(middle))</a>"
            } else if middle.hasPrefix("mailto:"), email.search(String(middle.dropFirst(7))) != nil {
                middle = "<a href=\"\(middle)\">\(middle.dropFirst(7))</a>"
            } else if middle.contains("@"), !middle.hasPrefix("www."), !middle.contains(":"), email.search(middle) != nil {
                middle = "<a href=\"mailto:\(middle)\">\(middle)</a>"
            }
            out += head + middle + tail
            word = ""
        }
        for ch in escaped {
            if ch.isWhitespace { flush(); out.append(ch) } else { word.append(ch) }
        }
        flush()
        return .string(out)
    }
}
