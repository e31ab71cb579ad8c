import Foundation
import Jinja

/// Splits Ansible's `k=v` argument strings: whitespace-separated words, quotes kept
/// together, `{{ }}`/`{% %}` blocks never split, and words without `=` collected as the
/// free-form remainder.
public enum KeyValueParser {
    /// Splits `text` into words the way Ansible's `split_args` does (quotes retained).
    public static func split(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var depth = 0  // inside {{ }} / {% %} / {# #}
        var chars = Array(text)
        var i = 0
        func flush() {
            if !current.isEmpty { words.append(current); current = "" }
        }
        while i < chars.count {
            let c = chars[i]
            let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
            if depth == 0 && quote == nil && (c == " " || c == "\t" || c == "\n") {
                if c == "\n" && !current.isEmpty { current.append(c) } else { flush() }
                i += 1
                continue
            }
            if quote == nil && c == "{" && (next == "{" || next == "%" || next == "#") {
                depth += 1; current.append(c); current.append(next!); i += 2; continue
            }
            if depth > 0 && (c == "}" || c == "%" || c == "#") && next == "}" {
                depth -= 1; current.append(c); current.append("}"); i += 2; continue
            }
            if depth == 0 {
                if let q = quote {
                    if c == q && (i == 0 || chars[i - 1] != "\\") { quote = nil }
                } else if (c == "\"" || c == "'") {
                    quote = c
                }
            }
            current.append(c)
            i += 1
        }
        flush()
        chars.removeAll()
        return words
    }

    /// Parses `text` into k=v options (Ansible's `parse_kv`). Words without an unescaped
    /// `=` become `_raw_params`; with `checkRaw` (command, shell, raw, script) only the
    /// command options are taken as k=v and everything else stays in the command line.
    public static func parse(_ text: String, checkRaw: Bool) -> OrderedDict {
        var result = OrderedDict()
        var raw: [String] = []
        for original in splitArgs(text) ?? split(text) {
            // ansible-core decodes backslash escapes (`\n`, `\t`, `\"`, `\x41` …) in every
            // k=v word before splitting it; free-form words keep their original text.
            let word = decodeEscapes(original)
            guard let eq = firstEquals(word) else {
                raw.append(word.contains("=") ? word.replacingOccurrences(of: "\\=", with: "=") : original)
                continue
            }
            let key = String(word[..<eq])
            let value = String(word[word.index(after: eq)...])
            if checkRaw && !ModuleNames.rawParamKeys.contains(key) {
                raw.append(original)
            } else {
                // Python's str.strip(): a folded `>` string's trailing newline goes too.
                result[key.trimmingCharacters(in: .whitespacesAndNewlines)] = .string(stripQuotes(value.trimmingCharacters(in: .whitespacesAndNewlines)))
            }
        }
        if !raw.isEmpty { result["_raw_params"] = .string(joinArgs(raw)) }
        return result
    }

    /// The first `=` after position 0 that is not escaped with a backslash.
    private static func firstEquals(_ word: String) -> String.Index? {
        var previous: Character?
        var i = word.startIndex
        while i < word.endIndex {
            let c = word[i]
            if c == "=" && i != word.startIndex && previous != "\\" { return i }
            previous = c
            i = word.index(after: i)
        }
        return nil
    }

    /// ansible-core's `unquote`: drops one pair of matching outer quotes (escapes were
    /// already decoded), unless the closing quote is itself escaped.
    static func stripQuotes(_ s: String) -> String {
        let chars = Array(s)
        guard chars.count > 1, chars.first == chars.last, chars.first == "\"" || chars.first == "'",
              chars[chars.count - 2] != "\\" else { return s }
        return String(chars[1..<(chars.count - 1)])
    }

    /// Python's unicode-escape decoding of `\\`, `\'`, `\"`, `\a` `\b` `\f` `\n` `\r`
    /// `\t` `\v`, `\xHH`, `\uHHHH` and `\UHHHHHHHH` (ansible-core's `_decode_escapes`).
    static func decodeEscapes(_ s: String) -> String {
        guard s.contains("\\") else { return s }
        let chars = Array(s)
        var out = ""
        var i = 0
        func hex(_ start: Int, _ count: Int) -> Character? {
            guard start + count <= chars.count, chars[start..<(start + count)].allSatisfy(\.isHexDigit),
                  let code = UInt32(String(chars[start..<(start + count)]), radix: 16), let scalar = Unicode.Scalar(code) else { return nil }
            return Character(scalar)
        }
        let simple: [Character: Character] = ["\\": "\\", "'": "'", "\"": "\"", "a": "\u{07}", "b": "\u{08}",
                                              "f": "\u{0C}", "n": "\n", "r": "\r", "t": "\t", "v": "\u{0B}"]
        while i < chars.count {
            guard chars[i] == "\\", i + 1 < chars.count else { out.append(chars[i]); i += 1; continue }
            let next = chars[i + 1]
            if let decoded = simple[next] {
                out.append(decoded); i += 2
            } else if let width = ["x": 2, "u": 4, "U": 8][next], let decoded = hex(i + 2, width) {
                out.append(decoded); i += 2 + width
            } else {
                out.append(chars[i]); i += 1
            }
        }
        return out
    }

    /// Removes one level of matching quotes and the escapes inside them.
    public static func unquote(_ s: String) -> String {
        guard s.count >= 2, let first = s.first, first == s.last, first == "\"" || first == "'" else { return s }
        let inner = s.dropFirst().dropLast()
        return inner.replacingOccurrences(of: "\\\(first)", with: String(first))
    }
}

extension ModuleNames {
    /// Options that `command`/`shell` accept in their free-form string.
    static let rawParamKeys: Set<String> = ["creates", "removes", "chdir", "executable", "warn", "stdin", "stdin_add_newline", "strip_empty_ends"]
}
