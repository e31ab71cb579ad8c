import Foundation
import Jinja

extension CommandModule {
    /// `expand_argument_vars`: each argv word gets Python's `os.path.expanduser` then
    /// `os.path.expandvars`, with the host's environment and user database (so one extra
    /// round trip, only when a word has `~` at its start or a `$`).
    static func expandArguments(_ words: [String], environment: [String: String], become: BecomeSettings?,
                                connection: Connection) throws -> [String] {
        let users = Set(words.compactMap(tildeUser))
        let names = Set(words.flatMap(variableNames))
        guard !users.isEmpty || !names.isEmpty else { return words }
        var script = ""
        for name in names.sorted() {
            script += "printf 'V%s\\0' \(name); [ \"${\(name)+set}\" = set ] && printf '=%s' \"$\(name)\"; printf '\\0'\n"
        }
        for user in users.sorted() {
            let lookup = user.isEmpty ? "if [ \"${HOME+set}\" = set ]; then printf '=%s' \"$HOME\"; else h=$(getent passwd \"$(id -un)\" | cut -d: -f6) && printf '=%s' \"$h\"; fi"
                : "h=$(getent passwd \(shellQuote(user)) | cut -d: -f6) && [ -n \"$h\" ] && printf '=%s' \"$h\""
            script += "printf 'U%s\\0' \(shellQuote(user)); \(lookup); printf '\\0'\n"
        }
        let result = try connection.run(CommandRequest(.shell(script), environment: environment, become: become))
        var values: [String: String] = [:]
        var homes: [String: String] = [:]
        let fields = result.stdout.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        var i = 0
        while i + 1 < fields.count {
            let key = fields[i], value = fields[i + 1]
            i += 2
            guard value.hasPrefix("=") else { continue }
            if key.hasPrefix("V") { values[String(key.dropFirst())] = String(value.dropFirst()) }
            if key.hasPrefix("U") { homes[String(key.dropFirst())] = String(value.dropFirst()) }
        }
        return words.map { word in
            var out = word
            if let user = tildeUser(word), let home = homes[user] {
                let rest = word.dropFirst(1 + user.count)
                out = (home.hasSuffix("/") && rest.hasPrefix("/") ? String(home.dropLast()) : home) + rest
            }
            return expandVariables(out, values)
        }
    }

    /// The user named by a leading `~` (empty for the current one), nil without one.
    private static func tildeUser(_ word: String) -> String? {
        guard word.hasPrefix("~") else { return nil }
        return String(word.dropFirst().prefix { $0 != "/" })
    }

    private static let variablePattern = try! NSRegularExpression(pattern: #"\$([A-Za-z0-9_]+|\{[^}]*\})"#)

    private static func variableNames(_ word: String) -> [String] {
        variablePattern.matches(in: word, range: NSRange(word.startIndex..., in: word)).compactMap { match in
            guard let r = Range(match.range(at: 1), in: word) else { return nil }
            var name = String(word[r])
            if name.hasPrefix("{") { name = String(name.dropFirst().dropLast()) }
            // Only names the shell can look up; others stay as written (unset in Python too).
            return name.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil ? name : nil
        }
    }

    /// Python's `posixpath.expandvars`: set variables replaced, the rest left as written.
    private static func expandVariables(_ word: String, _ values: [String: String]) -> String {
        var out = ""
        var last = word.startIndex
        for match in variablePattern.matches(in: word, range: NSRange(word.startIndex..., in: word)) {
            guard let whole = Range(match.range, in: word), let inner = Range(match.range(at: 1), in: word) else { continue }
            var name = String(word[inner])
            if name.hasPrefix("{") { name = String(name.dropFirst().dropLast()) }
            out += word[last..<whole.lowerBound]
            out += values[name] ?? String(word[whole])
            last = whole.upperBound
        }
        return out + word[last...]
    }
}
