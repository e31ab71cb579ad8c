/// POSIX shell word splitting as Python's `shlex.split` does it (quotes, backslashes;
/// no variable expansion).
public enum ShellWords {
    /// Thrown by `split` when a quote is not closed.
    public struct UnterminatedQuote: Error {}

    /// Splits `text` into words like `shlex.split`; throws `UnterminatedQuote` on an open quote.
    public static func split(_ text: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for c in text {
            if escaped {
                if quote == "\"" && !"\\\"$`\n".contains(c) { current.append("\\") }
                if !(quote == nil && c == "\n") { current.append(c) }
                escaped = false
                inWord = true
                continue
            }
            if let q = quote {
                if c == q { quote = nil } else if c == "\\" && q == "\"" { escaped = true } else { current.append(c) }
                continue
            }
            switch c {
            case "\\": escaped = true; inWord = true
            case "'", "\"": quote = c; inWord = true
            case " ", "\t", "\n", "\r":
                if inWord { words.append(current); current = ""; inWord = false }
            default: current.append(c); inWord = true
            }
        }
        if quote != nil || escaped { throw UnterminatedQuote() }
        if inWord { words.append(current) }
        return words
    }
}
