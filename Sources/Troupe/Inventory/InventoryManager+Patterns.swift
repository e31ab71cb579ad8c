import Foundation
import Jinja

/// Host patterns, with Ansible's semantics: `a,b` or `a:b` unions, `&g` intersections,
/// `!g` exclusions (applied after all unions, whatever their position), `~regex`,
/// shell globs, subscripts `g[0]`, `g[-1]`, `g[1:]`, `g[0:2]` (inclusive).
extension InventoryManager {
    /// Hosts matching `pattern` in inventory order without duplicates, narrowed by the
    /// current ``subset(_:)`` (`--limit`) and ``restrict(to:)`` unless told otherwise.
    public func hosts(matching pattern: String, ignoreLimits: Bool = false, ignoreRestrictions: Bool = false) throws -> [Host] {
        try hosts(matching: [pattern], ignoreLimits: ignoreLimits, ignoreRestrictions: ignoreRestrictions)
    }

    /// Hosts matching any of `patterns` (each may itself hold several patterns).
    public func hosts(matching patterns: [String], ignoreLimits: Bool = false, ignoreRestrictions: Bool = false) throws -> [Host] {
        let index = currentIndex()
        lock.lock()
        let subset = ignoreLimits ? nil : subsetPatterns
        let restriction = ignoreRestrictions ? nil : self.restriction
        lock.unlock()
        var names = try evaluate(Self.splitPattern(patterns), index)
        if let subset {
            let allowed = Set(try evaluate(subset, index))
            names = names.filter { allowed.contains($0) }
        }
        if let restriction {
            names = names.filter { restriction.contains($0) }
        }
        var seen: Set<String> = []
        return names.filter { seen.insert($0).inserted }.compactMap { index.host(named: $0) }
    }

    /// The play keyword `order:` — how matched hosts are ordered.
    public enum HostOrder: String, Sendable {
        /// `inventory` (default), `reverse_inventory`, `sorted`, `reverse_sorted` (by name) or `shuffle`.
        case inventory, reverseInventory = "reverse_inventory", sorted, reverseSorted = "reverse_sorted", shuffle
    }

    /// Hosts matching `pattern`, ordered as the play keyword `order:` asks.
    public func hosts(matching pattern: String, order: HostOrder) throws -> [Host] {
        let hosts = try hosts(matching: pattern)
        switch order {
        case .inventory: return hosts
        case .reverseInventory: return hosts.reversed()
        case .sorted: return hosts.sorted { Value.pythonStringLess($0.name, $1.name) }
        case .reverseSorted: return hosts.sorted { Value.pythonStringLess($1.name, $0.name) }
        case .shuffle: return hosts.shuffled()
        }
    }

    /// Ansible's `list_hosts`: the matching host names, or the pattern itself when it
    /// names localhost and nothing matched.
    public func listHosts(_ pattern: String = "all") throws -> [String] {
        let names = try hosts(matching: pattern).map(\.name)
        if names.isEmpty && InventoryData.localhostNames.contains(pattern) { return [pattern] }
        return names
    }

    /// `--limit`: restricts later pattern results to hosts matching `pattern` (same
    /// syntax; `@file` reads one pattern per line). `nil` removes the limit.
    public func subset(_ pattern: String?) throws {
        guard let pattern else {
            lock.lock(); subsetPatterns = nil; lock.unlock()
            return
        }
        var results: [String] = []
        for item in Self.splitPattern([pattern]) {
            if item.hasPrefix("@") {
                let path = SourceLoader.absolutePath(String(item.dropFirst()), relativeTo: options.workingDirectory)
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                    throw TroupeError(.options, "Unable to find limit file \(item.dropFirst())")
                }
                guard !isDirectory.boolValue else {
                    throw TroupeError(.options, "Limit starting with \"@\" must be a file, not a directory: \(item.dropFirst())")
                }
                let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
                results += text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            } else {
                results.append(item)
            }
        }
        lock.lock(); subsetPatterns = results; lock.unlock()
    }

    /// Restricts pattern results to these host names (Ansible's `restrict_to_hosts`,
    /// used for `serial` batches). `nil` removes the restriction.
    public func restrict(to hostNames: [String]?) {
        lock.lock(); restriction = hostNames.map(Set.init); lock.unlock()
    }

    /// Splits host patterns on `,`, or on `:` when the text is not a single host
    /// address (so `host:port`, IPv6 addresses and `web[1:3]` stay whole).
    public static func splitPattern(_ patterns: [String]) -> [String] {
        var result: [String] = []
        for pattern in patterns {
            let pieces: [String]
            if pattern.contains(",") {
                pieces = pattern.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            } else if HostAddress.parse(pattern, allowRanges: true) != nil {
                pieces = [pattern]
            } else {
                pieces = colonSeparated(pattern)
            }
            result += pieces.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return result
    }

    /// Runs of characters other than whitespace, `:`, `[` and `]`, where a complete
    /// `[...]` group counts as part of the run.
    private static func colonSeparated(_ pattern: String) -> [String] {
        let chars = Array(pattern)
        var pieces: [String] = []
        var current = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "[", let close = chars[(i + 1)...].firstIndex(of: "]") {
                current += String(chars[i...close])
                i = close + 1
                continue
            }
            if c.isWhitespace || c == ":" || c == "[" || c == "]" {
                if !current.isEmpty { pieces.append(current); current = "" }
            } else {
                current.append(c)
            }
            i += 1
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    /// Unions first, then intersections, then exclusions; `all` when only modifiers.
    static func orderPatterns(_ patterns: [String]) -> [String] {
        var regular: [String] = [], intersections: [String] = [], exclusions: [String] = []
        for pattern in patterns where !pattern.isEmpty {
            if pattern.hasPrefix("!") { exclusions.append(pattern) }
            else if pattern.hasPrefix("&") { intersections.append(pattern) }
            else { regular.append(pattern) }
        }
        if regular.isEmpty { regular = ["all"] }
        return regular + intersections + exclusions
    }

    private func evaluate(_ patterns: [String], _ index: InventoryIndex) throws -> [String] {
        var result: [String] = []
        var present: Set<String> = []
        for pattern in Self.orderPatterns(patterns) {
            if index.hostsByName[pattern] != nil {
                result.append(pattern)
                present.insert(pattern)
                continue
            }
            let matched = try matchOne(pattern, index)
            if pattern.hasPrefix("!") {
                let excluded = Set(matched)
                result.removeAll { excluded.contains($0) }
                present.subtract(excluded)
            } else if pattern.hasPrefix("&") {
                let kept = Set(matched)
                result.removeAll { !kept.contains($0) }
                present = present.intersection(kept)
            } else {
                for name in matched where !present.contains(name) {
                    result.append(name)
                    present.insert(name)
                }
            }
        }
        return result
    }

    private func matchOne(_ rawPattern: String, _ index: InventoryIndex) throws -> [String] {
        var pattern = rawPattern
        if pattern.hasPrefix("&") || pattern.hasPrefix("!") { pattern.removeFirst() }
        if let cached = index.cachedPattern(pattern) { return cached }
        guard !pattern.isEmpty else { return [] }
        let (expression, slice) = splitSubscript(pattern)
        let matches = try enumerateMatches(expression, index)
        var hosts = matches
        if let slice, !matches.isEmpty {
            if let end = slice.end, end != 0 {
                let last = end == -1 ? matches.count - 1 : end
                let start = min(slice.start, matches.count)
                let stop = min(last + 1, matches.count)
                hosts = start < stop ? Array(matches[start..<stop]) : []
            } else {
                let position = slice.start < 0 ? matches.count + slice.start : slice.start
                guard position >= 0 && position < matches.count else {
                    throw TroupeError(.options, "No hosts matched the subscripted pattern '\(pattern)'")
                }
                hosts = [matches[position]]
            }
        }
        index.storePattern(pattern, hosts)
        return hosts
    }

    /// `name[3]`, `name[-1]`, `name[1:]`, `name[0:2]` (and the removed `[x-y]` form).
    private func splitSubscript(_ pattern: String) -> (String, (start: Int, end: Int?)?) {
        guard !pattern.hasPrefix("~"), pattern.hasSuffix("]"), let open = pattern.lastIndex(of: "["),
              open > pattern.startIndex else { return (pattern, nil) }
        let base = String(pattern[..<open])
        let body = String(pattern[pattern.index(after: open)..<pattern.index(before: pattern.endIndex)])
        let digits = CharacterSet(charactersIn: "0123456789")
        func isNumber(_ s: Substring) -> Bool { !s.isEmpty && s.unicodeScalars.allSatisfy(digits.contains) }
        if let index = Int(body), isNumber(body.hasPrefix("-") ? body.dropFirst() : Substring(body)) {
            return (base, (index, nil))
        }
        guard let separator = body.firstIndex(where: { $0 == ":" || $0 == "-" }) else { return (pattern, nil) }
        let startText = body[..<separator]
        let endText = body[body.index(after: separator)...]
        guard isNumber(startText), endText.isEmpty || isNumber(endText), let start = Int(startText) else { return (pattern, nil) }
        if body[separator] == "-" {
            warn("Use [x:y] inclusive subscripts instead of [x-y] which has been removed")
        }
        return (base, (start, endText.isEmpty ? -1 : Int(endText)))
    }

    private func enumerateMatches(_ pattern: String, _ index: InventoryIndex) throws -> [String] {
        let matcher = try PatternMatcher(pattern)
        var results: [String] = []
        let matchingGroups = index.groups.filter { matcher.matches($0.name) }
        for group in matchingGroups { results += index.groupHosts[group.name] ?? [] }
        if matchingGroups.isEmpty || pattern.hasPrefix("~") || pattern.contains(where: { ".?*[".contains($0) }) {
            for host in index.hosts where matcher.matches(host.name) { results.append(host.name) }
        }
        if results.isEmpty, InventoryData.localhostNames.contains(pattern), index.host(named: pattern) != nil {
            results.append(pattern)
        }
        if results.isEmpty && matchingGroups.isEmpty && pattern != "all" {
            let message = "Could not match supplied host pattern, ignoring: \(pattern)"
            switch options.patternMismatch {
            case .warning: warn(message)
            case .error: throw TroupeError(.options, message)
            case .ignore: break
            }
        }
        return results
    }
}

/// One host pattern compiled for matching names: a `~regex` (anchored at the start
/// only, like Python's `re.match`) or an `fnmatch` shell glob (whole name).
struct PatternMatcher {
    private let regex: NSRegularExpression

    init(_ pattern: String) throws {
        let source: String
        if pattern.hasPrefix("~") {
            source = String(pattern.dropFirst())
        } else {
            source = "^(?:" + Self.translateGlob(pattern) + ")\\z"
        }
        do {
            regex = try NSRegularExpression(pattern: source, options: [.dotMatchesLineSeparators])
        } catch {
            throw TroupeError(.options, "Invalid host list pattern: \(pattern)")
        }
    }

    func matches(_ name: String) -> Bool {
        let range = NSRange(location: 0, length: (name as NSString).length)
        return regex.firstMatch(in: name, options: [.anchored], range: range) != nil
    }

    /// `fnmatch.translate`: `*`, `?`, `[seq]`, `[!seq]`; everything else literal.
    static func translateGlob(_ pattern: String) -> String {
        let chars = Array(pattern)
        var out = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            i += 1
            switch c {
            case "*":
                out += ".*"
                while i < chars.count && chars[i] == "*" { i += 1 }
            case "?":
                out += "."
            case "[":
                var j = i
                if j < chars.count && chars[j] == "!" { j += 1 }
                if j < chars.count && chars[j] == "]" { j += 1 }
                while j < chars.count && chars[j] != "]" { j += 1 }
                if j >= chars.count {
                    out += "\\["
                } else {
                    var body = String(chars[i..<j])
                    i = j + 1
                    var negate = false
                    if body.hasPrefix("!") { negate = true; body.removeFirst() }
                    var escaped = ""
                    for ch in body {
                        if "\\[]&^~".contains(ch) { escaped += "\\" }
                        escaped.append(ch)
                    }
                    out += "[" + (negate ? "^" : "") + escaped + "]"
                }
            default:
                out += NSRegularExpression.escapedPattern(for: String(c))
            }
        }
        return out
    }
}
