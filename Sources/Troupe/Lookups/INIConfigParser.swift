import Foundation
import Jinja

/// The INI dialect of Python's `configparser.ConfigParser` with its defaults, which the `ini`
/// lookup reads files with: `[section]` headers, `key = value` or `key: value`, whole-line
/// `#` and `;` comments, values continued on more-indented lines, a `DEFAULT` section whose
/// keys every section sees, keys lower-cased unless case-sensitive, duplicates refused, and
/// `%(name)s` interpolation (`%%` for a percent sign).
struct INIConfigParser {
    struct ParseError: Error {
        var message: String
    }

    var caseSensitive = false
    var allowNoValue = false
    var interpolation = true
    /// The `DEFAULT` section's options, in file order.
    private(set) var defaults = OrderedOptions()
    /// The other sections, in file order.
    private(set) var sections: [(name: String, options: OrderedOptions)] = []

    /// Options in file order; a nil value is a key without `=` (allow_no_value).
    struct OrderedOptions {
        var keys: [String] = []
        var values: [String: String?] = [:]
        mutating func set(_ key: String, _ value: String?) {
            if values[key] == nil { keys.append(key) }
            values[key] = .some(value)
        }
    }

    static let defaultSection = "DEFAULT"

    /// Reads `text` as `configparser.read_file` does, after `source` names it in errors.
    mutating func read(_ text: String, source: String) throws {
        var current: String?  // nil before the first header; DEFAULT or a section name after
        var currentKey: String?
        var keyIndent = 0
        var valueLines: [String] = []
        var seenInSection = Set<String>()
        var errors: [String] = []
        var pendingNoValue = false

        func flush() {
            guard let key = currentKey, let section = current else { return }
            var lines = valueLines
            while let last = lines.last, last.isEmpty { lines.removeLast() }
            let value: String? = lines.isEmpty && valueLines.isEmpty && pendingNoValue ? nil : lines.joined(separator: "\n")
            store(section: section, key: key, value: value)
            currentKey = nil
            valueLines = []
            pendingNoValue = false
        }

        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            line.hasSuffix("\r") ? line.dropLast() : line
        }
        for (index, rawLine) in lines.enumerated() {
            let line = String(rawLine)
            let stripped = line.trimmingCharacters(in: .whitespaces)
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            if stripped.hasPrefix("#") || stripped.hasPrefix(";") { continue }
            if stripped.isEmpty {
                // Empty lines belong to a value that continues after them (empty_lines_in_values).
                if currentKey != nil { valueLines.append("") }
                continue
            }
            if currentKey != nil, indent > keyIndent, !pendingNoValue {
                valueLines.append(stripped)
                continue
            }
            flush()
            if stripped.hasPrefix("["), let close = stripped.lastIndex(of: "]"), stripped[stripped.index(after: close)...].allSatisfy(\.isWhitespace) {
                let name = String(stripped[stripped.index(after: stripped.startIndex)..<close])
                if name == Self.defaultSection {
                    current = name
                } else if sections.contains(where: { $0.name == name }) {
                    throw ParseError(message: "While reading from '\(source)' [line \(String(index + 1).leftPadded(2))]: section '\(name)' already exists")
                } else {
                    sections.append((name, OrderedOptions()))
                    current = name
                }
                seenInSection = []
                continue
            }
            guard current != nil else {
                throw ParseError(message: "File contains no section headers.\nfile: '\(source)', line: \(index + 1)\n'\(line)\\n'")
            }
            let delimiter = stripped.firstIndex { $0 == "=" || $0 == ":" }
            let rawKey = delimiter.map { String(stripped[..<$0]) } ?? stripped
            let key = transform(rawKey.trimmingCharacters(in: .whitespaces))
            if delimiter == nil && !allowNoValue {
                errors.append("[line \(String(index + 1).leftPadded(2))]: '\(line)\\n'")
                continue
            }
            if key.isEmpty && delimiter != nil {
                errors.append("[line \(String(index + 1).leftPadded(2))]: '\(line)\\n'")
                continue
            }
            if !seenInSection.insert(key).inserted {
                throw ParseError(message: "While reading from '\(source)' [line \(String(index + 1).leftPadded(2))]: option '\(key)' in section '\(current!)' already exists")
            }
            currentKey = key
            keyIndent = indent
            if let delimiter {
                let value = stripped[stripped.index(after: delimiter)...].trimmingCharacters(in: .whitespaces)
                valueLines = [value]
            } else {
                pendingNoValue = true
                valueLines = []
            }
        }
        flush()
        if !errors.isEmpty {
            throw ParseError(message: "Source contains parsing errors: '\(source)'\n\t" + errors.joined(separator: "\n\t"))
        }
    }

    private func transform(_ key: String) -> String { caseSensitive ? key : key.lowercased() }

    private mutating func store(section: String, key: String, value: String?) {
        if section == Self.defaultSection {
            defaults.set(key, value)
        } else if let index = sections.firstIndex(where: { $0.name == section }) {
            sections[index].options.set(key, value)
        }
    }

    /// The section's options over the defaults, as `configparser`'s section proxy sees them.
    private func merged(_ section: String) throws -> OrderedOptions {
        var result = defaults
        if section == Self.defaultSection { return result }
        guard let found = sections.first(where: { $0.name == section }) else { throw NoSection() }
        for key in found.options.keys { result.set(key, found.options.values[key] ?? nil) }
        return result
    }

    struct NoSection: Error {}

    /// `get(section, key)`: nil when the option is missing; `NoSection` when the section is.
    /// A key without a value (allow_no_value) gives `.some(nil)`.
    func value(_ key: String, section: String) throws -> String?? {
        let options = try merged(section)
        let name = transform(key)
        guard let raw = options.values[name] else { return nil }
        guard let raw else { return .some(nil) }
        return .some(try interpolated(raw, options: options, section: section, option: name, depth: 1))
    }

    /// `items(section)`: every option with its value, defaults first.
    func items(_ section: String) throws -> [(key: String, value: String?)] {
        let options = try merged(section)
        return try options.keys.map { key in
            let raw = options.values[key] ?? nil
            return (key, try raw.map { try interpolated($0, options: options, section: section, option: key, depth: 1) })
        }
    }

    /// BasicInterpolation: `%(name)s` from the same section (or the defaults), recursively up
    /// to configparser's depth of 10, `%%` for `%`.
    private func interpolated(_ value: String, options: OrderedOptions, section: String, option: String, depth: Int) throws -> String {
        guard interpolation else { return value }
        if depth > 10 {
            throw ParseError(message: "Recursion limit exceeded in value substitution: option '\(option)' in section '\(section)' contains an interpolation key which cannot be substituted in 10 steps. Raw value: '\(value)'")
        }
        var out = ""
        var rest = Substring(value)
        while let percent = rest.firstIndex(of: "%") {
            out += rest[..<percent]
            let after = rest[rest.index(after: percent)...]
            if after.hasPrefix("%") {
                out += "%"
                rest = after.dropFirst()
            } else if after.hasPrefix("("), let close = after.range(of: ")s") {
                let name = transform(String(after[after.index(after: after.startIndex)..<close.lowerBound]))
                guard let replacement = options.values[name] else {
                    throw ParseError(message: "Bad value substitution: option '\(option)' in section '\(section)' contains an interpolation key '\(name)' which is not a valid option name. Raw value: '\(value)'")
                }
                out += try interpolated(replacement ?? "", options: options, section: section, option: name, depth: depth + 1)
                rest = after[close.upperBound...]
            } else {
                throw ParseError(message: "'%' must be followed by '%' or '(', found: '\(rest[percent...])'")
            }
        }
        out += rest
        return out
    }
}

private extension String {
    /// Right-aligned in `width` columns, as Python's `%2d`.
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
