import Foundation
import Jinja

/// A Python `re` pattern run with NSRegularExpression (ICU). Translates the syntax that
/// differs — named groups `(?P<n>…)`, `(?P=n)`, `\Z` — and Python replacement templates
/// (`\1`, `\g<1>`, `\g<name>`).
public struct PythonRegex {
    /// The pattern in Python syntax, as given.
    public let pattern: String
    let regex: NSRegularExpression

    /// Compiles `pattern`; `multiline` is Python's re.MULTILINE.
    public init(_ pattern: String, multiline: Bool = false, dotAll: Bool = false) throws {
        self.pattern = pattern
        // The Python → ICU translation (and its cache) is the Jinja target's, shared with
        // the regex filters.
        do {
            regex = try Jinja.PythonRegex(pattern, multiline: multiline, dotAll: dotAll).expression
        } catch {
            throw ModuleFailure("Invalid regular expression: \(pattern)")
        }
    }

    /// Whether the pattern opens with global inline flags that include `m` (`(?m)`, `(?im)`):
    /// Python's `compiled.flags & re.MULTILINE`.
    public var hasGlobalMultilineFlag: Bool {
        guard pattern.hasPrefix("(?"), let close = pattern.firstIndex(of: ")") else { return false }
        let flags = pattern[pattern.index(pattern.startIndex, offsetBy: 2)..<close]
        return flags.contains("m") && flags.allSatisfy { "aiLmsux".contains($0) }
    }

    /// The first match in `text`.
    public func firstMatch(in text: String) -> NSTextCheckingResult? {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
    }

    /// True when the pattern is found anywhere in `text` (re.search).
    public func matches(_ text: String) -> Bool { firstMatch(in: text) != nil }

    /// Every non-overlapping match in `text`.
    public func allMatches(in text: String, range: NSRange? = nil) -> [NSTextCheckingResult] {
        regex.matches(in: text, range: range ?? NSRange(text.startIndex..., in: text))
    }

    /// Python's `match.expand(template)`: `\1`, `\g<1>`, `\g<name>` and escapes.
    public func expand(_ template: String, match: NSTextCheckingResult, in text: String) -> String {
        let ns = text as NSString
        func group(_ index: Int) -> String {
            guard index < match.numberOfRanges else { return "" }
            let r = match.range(at: index)
            return r.location == NSNotFound ? "" : ns.substring(with: r)
        }
        func named(_ name: String) -> String {
            if let i = Int(name) { return group(i) }
            let r = match.range(withName: name)
            return r.location == NSNotFound ? "" : ns.substring(with: r)
        }
        var out = ""
        let chars = Array(template)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            guard c == "\\", i + 1 < chars.count else { out.append(c); i += 1; continue }
            let n = chars[i + 1]
            if n.isNumber {
                var digits = String(n)
                if i + 2 < chars.count, chars[i + 2].isNumber, Int(digits + String(chars[i + 2]))! < match.numberOfRanges {
                    digits.append(chars[i + 2])
                }
                out += group(Int(digits) ?? 0)
                i += 1 + digits.count
            } else if n == "g", i + 2 < chars.count, chars[i + 2] == "<", let close = chars[(i + 3)...].firstIndex(of: ">") {
                out += named(String(chars[(i + 3)..<close]))
                i = close + 1
            } else {
                switch n {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "\\": out.append("\\")
                case "a": out.append("\u{07}")
                case "f": out.append("\u{0C}")
                case "v": out.append("\u{0B}")
                case "b": out.append("\u{08}")
                default: out.append("\\"); out.append(n)
                }
                i += 2
            }
        }
        return out
    }

    /// The error Python's `re` raises when it compiles `template` as a replacement, before
    /// any match: a backslash before an ASCII letter that is no escape ("bad escape \\D at
    /// position 0"). Nil when the template is valid.
    public static func templateError(_ template: String) -> String? {
        let chars = Array(template)
        var i = 0
        while i < chars.count {
            guard chars[i] == "\\", i + 1 < chars.count else { i += 1; continue }
            let n = chars[i + 1]
            if n.isASCII, n.isLetter, !"gnrtabfv".contains(n) {
                return "bad escape \\\(n) at position \(i)"
            }
            i += 2
        }
        return nil
    }
}
