/// Word splitting as Python's `shlex.split` does it in POSIX mode: whitespace separates
/// words, quotes group, a backslash escapes outside quotes and, inside double quotes,
/// only `"` and `\`. Used for command lines, INI host lines and ssh arguments.
public enum ShellWords {
    /// Why a line could not be split, worded as shlex words it.
    public struct SplitError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Splits `text`; with `comments`, an unquoted `#` (even mid-word) ends the line, as
    /// `shlex.split(text, comments=True)`.
    public static func split(_ text: String, comments: Bool = false) throws -> [String] {
        try split(text, comments: comments, strict: true)
    }

    /// Like ``split(_:comments:)``, but an unterminated quote or trailing backslash keeps
    /// what was read instead of failing (for option strings that are best-effort).
    public static func splitLeniently(_ text: String) -> [String] {
        (try? split(text, comments: false, strict: false)) ?? []
    }

    private static func split(_ text: String, comments: Bool, strict: Bool) throws -> [String] {
        var words: [String] = []
        var token = ""
        var inWord = false
        var quote: Character?
        let chars = Array(text)
        var i = 0
        func finish() {
            if inWord { words.append(token) }
            token = ""
            inWord = false
        }
        scan: while i < chars.count {
            let c = chars[i]
            if let q = quote {
                if c == q {
                    quote = nil
                } else if q == "\"" && c == "\\" && i + 1 < chars.count && (chars[i + 1] == "\"" || chars[i + 1] == "\\") {
                    token.append(chars[i + 1])
                    i += 1
                } else {
                    token.append(c)
                }
                i += 1
                continue
            }
            switch c {
            case " ", "\t", "\n", "\r":
                finish()
            case "#" where comments:
                break scan
            case "'", "\"":
                quote = c
                inWord = true
            case "\\":
                guard i + 1 < chars.count else {
                    if strict { throw SplitError(description: "No escaped character") }
                    break scan
                }
                token.append(chars[i + 1])
                inWord = true
                i += 1
            default:
                token.append(c)
                inWord = true
            }
            i += 1
        }
        if quote != nil && strict { throw SplitError(description: "No closing quotation") }
        finish()
        return words
    }
}
