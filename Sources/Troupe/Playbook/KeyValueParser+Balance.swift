extension KeyValueParser {
    /// Ansible's `split_args` refuses an argument string whose quotes or Jinja blocks are
    /// unbalanced ("failed at splitting arguments …"); nil when `text` is balanced. Like
    /// Ansible it looks at whitespace-separated tokens: any unescaped quote opens or closes
    /// quoting, and `{{`/`}}`, `{%`/`%}`, `{#`/`#}` are counted per token.
    public static func unbalancedArgumentsError(_ text: String) -> String? {
        var quote: Character?
        var depths = [0, 0, 0]
        let pairs = [("{{", "}}"), ("{%", "%}"), ("{#", "#}")]
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            var previous: Character?
            for character in token {
                if (character == "\"" || character == "'") && previous != "\\" {
                    if let open = quote {
                        if character == open { quote = nil }
                    } else {
                        quote = character
                    }
                }
                previous = character
            }
            for (index, pair) in pairs.enumerated() {
                let opened = token.components(separatedBy: pair.0).count - 1
                let closed = token.components(separatedBy: pair.1).count - 1
                depths[index] = max(0, depths[index] + opened - closed)
            }
        }
        guard quote != nil || depths.contains(where: { $0 > 0 }) else { return nil }
        return "failed at splitting arguments, either an unbalanced jinja2 block or quotes: \(text)"
    }
}
