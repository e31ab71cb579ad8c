import Foundation
import ArgumentParser

/// "Did you mean" for a mistyped subcommand (`troupe playbok`), before ArgumentParser's
/// bare "Unexpected argument" error.
enum SubcommandSuggestion {
    static var names: [String] {
        TroupeCommand.configuration.subcommands.map { $0._commandName } + ["help"]
    }

    /// Exits with status 2 and a suggestion when the first argument looks like a
    /// subcommand (no leading dash) but is none of them.
    static func exitIfMistyped(_ arguments: [String]) {
        guard arguments.count > 1, let word = arguments.dropFirst().first, !word.hasPrefix("-"), !names.contains(word) else { return }
        var message = "troupe: '\(word)' is not a troupe command. See 'troupe --help'."
        if let best = suggestion(for: word) { message += "\n\nDid you mean '\(best)'?" }
        FileHandle.standardError.write(Data((message + "\n").utf8))
        Foundation.exit(2)
    }

    /// The closest subcommand: a prefix of it, or at most a third of its letters edited.
    static func suggestion(for word: String) -> String? {
        if let prefixed = names.first(where: { $0.hasPrefix(word) && word.count >= 2 }) { return prefixed }
        let scored = names.map { ($0, distance(word, $0)) }.min { $0.1 < $1.1 }
        guard let (name, score) = scored, score <= max(1, name.count / 3) else { return nil }
        return name
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}
