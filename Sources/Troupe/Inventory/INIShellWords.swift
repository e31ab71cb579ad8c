/// Splits an INI host line into words the way Python's `shlex.split(line, comments=True)`
/// does in POSIX mode: whitespace separates words, quotes group, backslash escapes, and
/// an unquoted `#` — even in the middle of a word — starts a comment.
enum INIShellWords {
    struct SplitError: Error, CustomStringConvertible {
        let description: String
    }

    static func split(_ line: String) throws -> [String] {
        var words: [String] = []
        var token = ""
        var inWord = false
        var quote: Character?
        var iterator = Array(line)
        var i = 0
        func finish() {
            if inWord { words.append(token) }
            token = ""
            inWord = false
        }
        while i < iterator.count {
            let c = iterator[i]
            if let q = quote {
                if c == q {
                    quote = nil
                } else if q == "\"" && c == "\\" && i + 1 < iterator.count && (iterator[i + 1] == "\"" || iterator[i + 1] == "\\") {
                    token.append(iterator[i + 1])
                    i += 1
                } else {
                    token.append(c)
                }
                i += 1
                continue
            }
            if c == " " || c == "\t" || c == "\n" || c == "\r" {
                finish()
            } else if c == "#" {
                // The rest of the line is a comment.
                iterator.removeSubrange(i...)
                break
            } else if c == "'" || c == "\"" {
                quote = c
                inWord = true
            } else if c == "\\" {
                guard i + 1 < iterator.count else { throw SplitError(description: "No escaped character") }
                token.append(iterator[i + 1])
                inWord = true
                i += 1
            } else {
                token.append(c)
                inWord = true
            }
            i += 1
        }
        if quote != nil { throw SplitError(description: "No closing quotation") }
        finish()
        return words
    }
}
