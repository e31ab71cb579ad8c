import Foundation

/// `filter` patterns: Python's `fnmatch.fnmatch` on POSIX (case-sensitive): `*`, `?`, `[seq]`, `[!seq]`.
enum FactFilterPattern {
    static func matches(_ name: String, _ pattern: String) -> Bool {
        match(Array(name), 0, Array(pattern), 0)
    }

    private static func match(_ name: [Character], _ n: Int, _ pattern: [Character], _ p: Int) -> Bool {
        var n = n, p = p
        while p < pattern.count {
            switch pattern[p] {
            case "*":
                // Collapse runs of stars, then try every split point.
                while p < pattern.count && pattern[p] == "*" { p += 1 }
                if p == pattern.count { return true }
                for start in n...name.count where match(name, start, pattern, p) { return true }
                return false
            case "?":
                guard n < name.count else { return false }
                n += 1; p += 1
            case "[":
                guard let (matched, next) = bracket(pattern, p, name: n < name.count ? name[n] : nil) else {
                    // An unclosed bracket is a literal "[".
                    guard n < name.count, name[n] == "[" else { return false }
                    n += 1; p += 1
                    continue
                }
                guard n < name.count, matched else { return false }
                n += 1; p = next
            default:
                guard n < name.count, name[n] == pattern[p] else { return false }
                n += 1; p += 1
            }
        }
        return n == name.count
    }

    /// Evaluates the bracket expression at `start`; nil when it is not closed.
    private static func bracket(_ pattern: [Character], _ start: Int, name: Character?) -> (Bool, Int)? {
        var index = start + 1
        var negate = false
        if index < pattern.count && pattern[index] == "!" { negate = true; index += 1 }
        var members: [(Character, Character)] = []
        var first = true
        while index < pattern.count {
            let character = pattern[index]
            if character == "]" && !first { break }
            first = false
            if index + 2 < pattern.count && pattern[index + 1] == "-" && pattern[index + 2] != "]" {
                members.append((character, pattern[index + 2]))
                index += 3
            } else {
                members.append((character, character))
                index += 1
            }
        }
        guard index < pattern.count else { return nil }
        guard let name else { return (false, index + 1) }
        let inside = members.contains { $0.0 <= name && name <= $0.1 }
        return (inside != negate, index + 1)
    }
}
