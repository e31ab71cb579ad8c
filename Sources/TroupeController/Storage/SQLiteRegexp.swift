import Foundation
import SQLiteNIO

/// SQLite has the `REGEXP` operator but no implementation; this supplies one so the
/// `regex`/`iregex` filters compile to SQL on SQLite as they do on PostgreSQL (`~`, `~*`).
enum SQLiteRegexp {
    // Immutable after creation; SQLiteNIO does not mark the class Sendable.
    static let function = SQLiteCustomFunction("regexp", argumentCount: 2, pure: true) { arguments in
        guard let pattern = arguments[0].string, let value = arguments[1].string else { return false }
        guard let regex = cache.regex(for: pattern) else { return false }
        let range = NSRange(value.startIndex..., in: value)
        return regex.firstMatch(in: value, range: range) != nil
    }

    /// Whether `pattern` compiles; filters check this first so a bad pattern is a 400.
    static func validate(_ pattern: String) -> String? {
        do { _ = try NSRegularExpression(pattern: pattern); return nil } catch {
            return "Invalid regular expression: \(pattern)"
        }
    }

    private static let cache = RegexCache()

    final class RegexCache: @unchecked Sendable {
        private let lock = NSLock()
        private var compiled: [String: NSRegularExpression] = [:]

        func regex(for pattern: String) -> NSRegularExpression? {
            lock.lock(); defer { lock.unlock() }
            if let regex = compiled[pattern] { return regex }
            guard let regex = try? NSRegularExpression(pattern: pattern) else { return nil }
            if compiled.count > 256 { compiled.removeAll() }
            compiled[pattern] = regex
            return regex
        }
    }
}
