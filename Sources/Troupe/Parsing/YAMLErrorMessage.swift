import Foundation

/// ansible-core 2.19's wording of a YAML error: "YAML parsing failed: " and either a hint
/// found by looking at the offending line (a tab, an unquoted template, an unquoted colon,
/// mismatched quotes) or the parser's context and problem joined into one sentence. The
/// hints also move the column to what they point at.
enum YAMLErrorMessage {
    /// The message and the (possibly moved) 1-based column for an error at `line`:`column`.
    static func describe(context: String?, problem: String, sourceLine: String, column: Int) -> (message: String, column: Int) {
        if let tab = sourceLine.firstIndex(of: "\t") {
            return ("YAML parsing failed: Tabs are usually invalid in YAML.", offset(sourceLine, tab) + 1)
        }
        if let value = firstMatch(#"^\s*(?:-\s+)*(?:[\w\s]+:\s+)?(\{\{.*\}\})"#, sourceLine) {
            return ("YAML parsing failed: This may be an issue with missing quotes around a template block.", value.location + 1)
        }
        if !sourceLine.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix(":"),
           let value = firstMatch(#"^\s*(?:-\s+)*(?:[\w\s\[\]{}]+:\s+)?(.*)$"#, sourceLine) {
            let text = (sourceLine as NSString).substring(with: value)
            let fragment = replacingQuotedValue(text)
            if !fragment.isEmpty, let colon = firstMatch(#":($| )"#, fragment, group: 0) {
                return ("YAML parsing failed: Colons in unquoted values must be followed by a non-space character.",
                        value.location + colon.location + 1)
            }
        }
        if let value = firstMatch(#"^\s*(?:-\s+)*(?:[\w\s]+:\s+)?([\"'].*?\s*)$"#, sourceLine) {
            let suspected = (sourceLine as NSString).substring(with: value)
            if let first = suspected.first, let last = suspected.last {
                if first != last {
                    return ("YAML parsing failed: Values starting with a quote must end with the same quote.", value.location + 1)
                }
                if sourceLine.filter({ $0 == first }).count > 2 {
                    return ("YAML parsing failed: Values starting with a quote must end with the same quote, and not contain that quote.",
                            value.location + 1)
                }
            }
        }
        var message = [context, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
        if let first = message.first { message = first.uppercased() + message.dropFirst() }
        if !message.hasSuffix(".") { message += "." }
        message = message.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
        return ("YAML parsing failed: " + message, column)
    }

    /// Python's `_replace_quoted_value`: a value that is entirely one quoted string
    /// becomes dots, so its colons are not mistaken for unquoted ones.
    private static func replacingQuotedValue(_ value: String) -> String {
        guard let match = firstMatch(#"^\s*('[^']*'|"[^"]*")\s*$"#, value, group: 0) else { return value }
        return String(repeating: ".", count: match.length)
    }

    private static func firstMatch(_ pattern: String, _ text: String, group: Int = 1) -> NSRange? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length)) else { return nil }
        let range = match.range(at: group)
        return range.location == NSNotFound ? nil : range
    }

    private static func offset(_ text: String, _ index: String.Index) -> Int {
        text.utf16.distance(from: text.startIndex, to: index)
    }
}
