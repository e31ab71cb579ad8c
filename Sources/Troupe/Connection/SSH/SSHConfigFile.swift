import Foundation

/// The subset of an OpenSSH client config (`~/.ssh/config`) Troupe applies:
/// `Host` blocks with `HostName`, `Port`, `User` and `IdentityFile`.
/// As in OpenSSH, the first value found for a key wins.
struct SSHConfigFile {
    /// Settings that apply to one host after matching every `Host` block.
    struct Match: Equatable {
        var hostName: String?
        var port: Int?
        var user: String?
        var identityFiles: [String] = []
    }

    private struct Block {
        var patterns: [String]
        var settings: [(key: String, value: String)] = []
    }

    private var blocks: [Block] = []

    /// Parses config text; unknown keywords are ignored.
    init(text: String) {
        var current = Block(patterns: ["*"])
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let words = ShellWords.splitLeniently(line.replacingOccurrences(of: "=", with: " ", options: [], range: line.range(of: "=")))
            guard let keyword = words.first?.lowercased(), words.count >= 2 else { continue }
            if keyword == "host" {
                blocks.append(current)
                current = Block(patterns: Array(words.dropFirst()))
            } else if keyword == "match" {
                // Match blocks need criteria we do not evaluate; never apply them.
                blocks.append(current)
                current = Block(patterns: [])
            } else {
                current.settings.append((keyword, words[1]))
            }
        }
        blocks.append(current)
    }

    /// Reads a config file; a missing or unreadable file gives an empty config.
    init(path: String) {
        let text = (try? String(contentsOfFile: expandTilde(path), encoding: .utf8)) ?? ""
        self.init(text: text)
    }

    /// The settings for `host`, the name given on the command line.
    func match(host: String) -> Match {
        var result = Match()
        for block in blocks where Self.matches(host, patterns: block.patterns) {
            for (key, value) in block.settings {
                switch key {
                case "hostname": if result.hostName == nil { result.hostName = value.replacingOccurrences(of: "%h", with: host) }
                case "port": if result.port == nil { result.port = Int(value) }
                case "user": if result.user == nil { result.user = value }
                case "identityfile": result.identityFiles.append(value)
                default: break
                }
            }
        }
        return result
    }

    /// OpenSSH pattern-list semantics: any positive match and no negated match.
    static func matches(_ host: String, patterns: [String]) -> Bool {
        var matched = false
        for pattern in patterns.flatMap({ $0.split(separator: ",").map(String.init) }) {
            if pattern.hasPrefix("!") {
                if glob(String(pattern.dropFirst()), host) { return false }
            } else if glob(pattern, host) {
                matched = true
            }
        }
        return matched
    }

    /// `*` and `?` wildcards, case-insensitive like OpenSSH host patterns.
    static func glob(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.lowercased()), t = Array(text.lowercased())
        var pi = 0, ti = 0, starP = -1, starT = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == "?" || p[pi] == t[ti]) {
                pi += 1; ti += 1
            } else if pi < p.count && p[pi] == "*" {
                starP = pi; starT = ti; pi += 1
            } else if starP >= 0 {
                pi = starP + 1; starT += 1; ti = starT
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
