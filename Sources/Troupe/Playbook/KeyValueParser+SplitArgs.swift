extension KeyValueParser {
    /// ansible-core's `split_args`, which keeps the layout of free-form commands: the
    /// string is cut into lines and each line at single spaces (tabs are not separators).
    /// Extra spaces stay at the end of the previous word, a line's newline stays at the end
    /// of its last word, and a lone `\` ends the line as a continuation (no newline kept).
    /// Words inside quotes or `{{ }}`/`{% %}`/`{# #}` are rejoined. Nil when the quotes or
    /// blocks are unbalanced (``unbalancedArgumentsError(_:)`` words that error).
    static func splitArgs(_ args: String) -> [String]? {
        guard !args.isEmpty else { return [] }
        var params: [String] = []
        var quote: Character?
        var printDepth = 0, blockDepth = 0, commentDepth = 0
        let lines = args.split(separator: "\n", omittingEmptySubsequences: false)
        for (lineIndex, line) in lines.enumerated() {
            var continuation = false
            for (index, tokenText) in line.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
                let token = String(tokenText)
                if token.isEmpty && index != 0 {
                    if params.isEmpty { params.append("") }
                    params[params.count - 1] += " "
                    continue
                }
                let insideBefore = quote != nil
                if token == "\\" && !insideBefore {
                    continuation = true
                    continue
                }
                quote = quoteState(token, quote)
                let inside = quote != nil
                let inBlock = printDepth > 0 || blockDepth > 0 || commentDepth > 0
                var appended = false
                if inside && !insideBefore && !inBlock {
                    params.append(token)
                    appended = true
                } else if inBlock || inside || insideBefore {
                    if index == 0 && insideBefore {
                        params[params.count - 1] += token
                    } else {
                        params[params.count - 1] += (index > 0 ? " " : "") + token
                    }
                    appended = true
                }
                // Counted as ansible-core counts them: print blocks, then statement blocks, then comments.
                for kind in 0..<3 {
                    let (open, close) = [("{{", "}}"), ("{%", "%}"), ("{#", "#}")][kind]
                    let before = [printDepth, blockDepth, commentDepth][kind]
                    let after = nestingDepth(token, before, open, close)
                    switch kind {
                    case 0: printDepth = after
                    case 1: blockDepth = after
                    default: commentDepth = after
                    }
                    if after != before && !appended {
                        params.append(token)
                        appended = true
                    }
                }
                if printDepth == 0 && blockDepth == 0 && commentDepth == 0 && quote == nil && !appended && !token.isEmpty {
                    params.append(token)
                }
            }
            if lines.count > 1 && lineIndex != lines.count - 1 && !continuation {
                if params.isEmpty { params.append("") }
                params[params.count - 1] += "\n"
            }
        }
        guard printDepth == 0, blockDepth == 0, commentDepth == 0, quote == nil else { return nil }
        return params
    }

    /// ansible-core's `join_args`: words rejoined with one space, none after a newline.
    static func joinArgs(_ words: [String]) -> String {
        var result = ""
        for word in words {
            result += result.isEmpty || result.hasSuffix("\n") ? word : " " + word
        }
        return result
    }

    /// The quote still open after `token` (an unescaped quote opens, the same one closes).
    private static func quoteState(_ token: String, _ open: Character?) -> Character? {
        var quote = open
        var previous: Character?
        for c in token {
            if (c == "\"" || c == "'") && previous != "\\" {
                if let q = quote {
                    if c == q { quote = nil }
                } else {
                    quote = c
                }
            }
            previous = c
        }
        return quote
    }

    /// The nesting depth after `token`: its opening minus closing markers, never below zero.
    private static func nestingDepth(_ token: String, _ depth: Int, _ open: String, _ close: String) -> Int {
        let opened = token.components(separatedBy: open).count - 1
        let closed = token.components(separatedBy: close).count - 1
        guard opened != closed else { return depth }
        return max(0, depth + opened - closed)
    }
}
