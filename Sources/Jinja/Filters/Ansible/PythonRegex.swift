import Foundation

/// A Python `re` pattern compiled onto NSRegularExpression: translates the syntax that
/// differs (`(?P<name>`, `(?P=name)`, `\Z`) and implements Python's replacement
/// templates (`\1`, `\g<1>`, `\g<name>`) and `findall` shapes.
public struct PythonRegex {
    /// The pattern as written (Python syntax).
    public let pattern: String
    let regex: NSRegularExpression
    /// Group names in the order they appear, mapped to their group numbers.
    let groupNames: [String: Int]

    /// One match: group 0 plus each capture group (nil when it did not participate).
    public struct Match {
        /// Group 0 (the whole match) then each capture group.
        public let groups: [String?]
        /// Named groups and their numbers.
        public let names: [String: Int]
        /// Where the match lies (UTF-16 offsets).
        public let range: NSRange
        /// The whole match.
        public var text: String { groups[0] ?? "" }
        /// A named group: nil when no such name, `.some(nil)` when it did not participate.
        public func group(_ name: String) -> String?? { names[name].map { groups[$0] } }
    }

    /// Compiles a Python pattern; invalid patterns raise a `.filter` JinjaError.
    public init(_ pattern: String, ignoreCase: Bool = false, multiline: Bool = false, dotAll: Bool = false) throws {
        self.pattern = pattern
        var options: NSRegularExpression.Options = []
        if ignoreCase { options.insert(.caseInsensitive) }
        if multiline { options.insert(.anchorsMatchLines) }
        if dotAll { options.insert(.dotMatchesLineSeparators) }
        let key = "\(options.rawValue):\(pattern)"
        if let cached = PythonRegex.cache.lookup(key) {
            regex = cached.0
            groupNames = cached.1
            return
        }
        let (translated, names) = try PythonRegex.translate(pattern)
        do {
            // ICU rejects an empty pattern; Python's matches the empty string everywhere.
            regex = try NSRegularExpression(pattern: translated.isEmpty ? "(?:)" : translated, options: options)
        } catch {
            throw JinjaError(.filter, "Invalid regular expression \(Value.string(pattern).pythonRepr): \(error.localizedDescription)")
        }
        groupNames = names
        PythonRegex.cache.store(key, (regex, names))
    }

    /// Compiled patterns, shared across threads: filters in loops recompile nothing.
    static let cache = RegexCache()

    /// Number of capture groups.
    public var groupCount: Int { regex.numberOfCaptureGroups }

    /// The compiled ICU expression, for callers that work with `NSTextCheckingResult`s
    /// (the file modules' line matching).
    public var expression: NSRegularExpression { regex }

    /// Rewrites Python-only syntax into ICU syntax and records named groups.
    static func translate(_ pattern: String) throws -> (String, [String: Int]) {
        let chars = Array(pattern)
        var out = ""
        var names: [String: Int] = [:]
        var groupNumber = 0
        var inClass = false
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count {
                let next = chars[i + 1]
                if !inClass && next == "Z" { out += "\\z" } else { out.append(c); out.append(next) }
                i += 2
                continue
            }
            if inClass {
                if c == "]" { inClass = false }
                // ICU treats a bare `[` inside a class as a nested set; Python as a literal.
                if c == "[" { out += "\\[" } else { out.append(c) }
                i += 1
                continue
            }
            if c == "[" {
                inClass = true
                out.append(c)
                i += 1
                if i < chars.count, chars[i] == "^" { out.append("^"); i += 1 }
                if i < chars.count, chars[i] == "]" { out += "\\]"; i += 1 }
                continue
            }
            if c == "{" {
                // Python reads `{` as a literal unless it starts a `{m}`, `{m,}`, `{,n}`, `{m,n}` quantifier.
                var j = i + 1
                var body = ""
                while j < chars.count, chars[j] != "}", body.count < 20 { body.append(chars[j]); j += 1 }
                let isQuantifier = j < chars.count && chars[j] == "}" && !body.isEmpty && body != ","
                    && body.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ",") } && body.filter { $0 == "," }.count <= 1
                if !isQuantifier { out += "\\{"; i += 1; continue }
                out += (body.hasPrefix(",") ? "{0" : "{") + body + "}"
                i = j + 1
                continue
            }
            if c == "}" {
                // Not closing a quantifier (those are consumed above): a literal brace.
                out += "\\}"
                i += 1
                continue
            }
            if c == "(", i + 2 < chars.count, chars[i + 1] == "?", "aiLmsux".contains(chars[i + 2]) {
                // Inline flags: ICU lacks Python's a/L/u (string patterns are Unicode anyway).
                var j = i + 2
                var flags = ""
                while j < chars.count, "aiLmsux".contains(chars[j]) { flags.append(chars[j]); j += 1 }
                if j < chars.count, chars[j] == ")" || chars[j] == ":" || chars[j] == "-" {
                    let kept = flags.filter { "imsx".contains($0) }
                    if kept.isEmpty && chars[j] == ")" { i = j + 1; continue }
                    out += "(?" + kept
                    i = j
                    continue
                }
            }
            if c == "(" {
                let rest = String(chars[(i + 1)...].prefix(4))
                if rest.hasPrefix("?P<") {
                    groupNumber += 1
                    var j = i + 4
                    var name = ""
                    while j < chars.count, chars[j] != ">" { name.append(chars[j]); j += 1 }
                    names[name] = groupNumber
                    out += "(?<\(name)>"
                    i = j + 1
                    continue
                }
                if rest.hasPrefix("?P=") {
                    var j = i + 4
                    var name = ""
                    while j < chars.count, chars[j] != ")" { name.append(chars[j]); j += 1 }
                    guard names[name] != nil else { throw JinjaError(.filter, "unknown group name '\(name)'") }
                    out += "\\k<\(name)>"
                    i = j + 1
                    continue
                }
                if rest.hasPrefix("?<"), !rest.hasPrefix("?<="), !rest.hasPrefix("?<!") {
                    groupNumber += 1
                    var j = i + 3
                    var name = ""
                    while j < chars.count, chars[j] != ">" { name.append(chars[j]); j += 1 }
                    names[name] = groupNumber
                } else if !rest.hasPrefix("?") {
                    groupNumber += 1
                }
            }
            out.append(c)
            i += 1
        }
        return (out, names)
    }

    private func makeMatch(_ result: NSTextCheckingResult, in ns: NSString) -> Match {
        var groups: [String?] = []
        for g in 0..<result.numberOfRanges {
            let r = result.range(at: g)
            groups.append(r.location == NSNotFound ? nil : ns.substring(with: r))
        }
        return Match(groups: groups, names: groupNames, range: result.range)
    }

    /// `re.search`.
    public func search(_ text: String) -> Match? {
        let ns = text as NSString
        return regex.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)).map { makeMatch($0, in: ns) }
    }

    /// `re.match`: anchored at the start.
    public func match(_ text: String) -> Match? {
        let ns = text as NSString
        return regex.firstMatch(in: text, options: .anchored, range: NSRange(location: 0, length: ns.length))
            .map { makeMatch($0, in: ns) }
    }

    /// `re.fullmatch`.
    public func fullMatch(_ text: String) -> Match? {
        let ns = text as NSString
        let all = regex.matches(in: text, options: .anchored, range: NSRange(location: 0, length: ns.length))
        if let first = all.first, first.range.length == ns.length { return makeMatch(first, in: ns) }
        // The leftmost alternative may be shorter; retry anchored at both ends.
        guard let anchored = try? NSRegularExpression(pattern: "(?:" + regex.pattern + ")\\z", options: regex.options),
              let m = anchored.firstMatch(in: text, options: .anchored, range: NSRange(location: 0, length: ns.length))
        else { return nil }
        return makeMatch(m, in: ns)
    }

    /// Every non-overlapping match.
    public func matches(_ text: String) -> [Match] {
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { makeMatch($0, in: ns) }
    }

    /// `re.findall`: whole matches, the single group, or lists of all groups.
    public func findAll(_ text: String) -> [Value] {
        matches(text).map { m in
            switch groupCount {
            case 0: return .string(m.text)
            case 1: return .string(m.groups[1] ?? "")
            default: return .list(m.groups.dropFirst().map { .string($0 ?? "") })
            }
        }
    }

    /// A parsed replacement template.
    enum TemplatePart { case literal(String), group(Int) }

    /// Parses Python's replacement syntax.
    func parseTemplate(_ template: String) throws -> [TemplatePart] {
        var parts: [TemplatePart] = []
        var literal = ""
        let chars = Array(template)
        var i = 0
        func flush() { if !literal.isEmpty { parts.append(.literal(literal)); literal = "" } }
        func group(_ n: Int) throws {
            guard n <= groupCount else { throw JinjaError(.filter, "invalid group reference \(n)") }
            flush(); parts.append(.group(n))
        }
        while i < chars.count {
            let c = chars[i]
            guard c == "\\", i + 1 < chars.count else { literal.append(c); i += 1; continue }
            let next = chars[i + 1]
            i += 2
            switch next {
            case "g":
                guard i < chars.count, chars[i] == "<", let close = chars[i...].firstIndex(of: ">") else {
                    throw JinjaError(.filter, "missing group name")
                }
                let name = String(chars[(i + 1)..<close])
                if let n = Int(name) { try group(n) } else if let n = groupNames[name] { try group(n) } else {
                    throw JinjaError(.filter, "unknown group name '\(name)'")
                }
                i = close + 1
            case "0"..."9":
                var digits = String(next)
                if i < chars.count, chars[i].isASCII, chars[i].isNumber, next != "0" { digits.append(chars[i]); i += 1 }
                if next == "0" { literal.append("\0") } else { try group(Int(digits)!) }
            case "n": literal.append("\n")
            case "t": literal.append("\t")
            case "r": literal.append("\r")
            case "f": literal.append("\u{0C}")
            case "v": literal.append("\u{0B}")
            case "a": literal.append("\u{07}")
            case "b": literal.append("\u{08}")
            case "\\": literal.append("\\")
            default:
                if next.isASCII && next.isLetter { throw JinjaError(.filter, "bad escape \\\(next)") }
                literal.append("\\"); literal.append(next)
            }
        }
        flush()
        return parts
    }

    /// `re.subn(template, text, count)`: the new text and how many replacements were made.
    public func substitute(_ text: String, template: String, count: Int = 0) throws -> (String, Int) {
        let parts = try parseTemplate(template)
        let ns = text as NSString
        var out = ""
        var last = 0
        var made = 0
        for m in matches(text) {
            if count > 0 && made >= count { break }
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
            for part in parts {
                switch part {
                case .literal(let s): out += s
                case .group(let n): out += m.groups[n] ?? ""
                }
            }
            last = m.range.location + m.range.length
            made += 1
        }
        out += ns.substring(from: last)
        return (out, made)
    }

    /// Python's `re.escape`.
    public static func escape(_ text: String) -> String {
        let special = Set("()[]{}?*+-|^$\\.&~# \t\n\r\u{0B}\u{0C}")
        var out = ""
        for c in text {
            if special.contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }
}

/// A small thread-safe cache of compiled patterns (cleared when it grows large).
final class RegexCache: @unchecked Sendable {
    private var entries: [String: (NSRegularExpression, [String: Int])] = [:]
    private let lock = NSLock()

    func lookup(_ key: String) -> (NSRegularExpression, [String: Int])? {
        lock.lock(); defer { lock.unlock() }
        return entries[key]
    }

    func store(_ key: String, _ value: (NSRegularExpression, [String: Int])) {
        lock.lock(); defer { lock.unlock() }
        if entries.count > 512 { entries.removeAll() }
        entries[key] = value
    }
}
