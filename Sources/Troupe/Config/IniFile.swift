import Foundation

/// An INI document read the way Python's `configparser.ConfigParser(inline_comment_prefixes=(';',))`
/// reads `ansible.cfg`: `[section]` headers, `key = value` or `key: value`, keys folded to
/// lower case, whole-line `#`/`;` comments, `;` comments after whitespace, indented
/// continuation lines, and a `[DEFAULT]` section whose keys every other section inherits.
/// Values are raw: ansible reads them without `%(name)s` interpolation.
public struct IniFile: Sendable {
    /// Sections in file order (without `DEFAULT`), each with its keys in file order.
    public private(set) var sectionNames: [String] = []
    private var sections: [String: [(key: String, value: String)]] = [:]
    private var defaults: [(key: String, value: String)] = []
    /// The file the document came from, for error messages.
    public let path: String?

    /// The name of the section whose keys all other sections inherit.
    public static let defaultSectionName = "DEFAULT"

    /// Parses INI text; malformed lines raise a `TroupeError` pointing at the line.
    public init(text: String, path: String? = nil) throws {
        self.path = path
        var current: String?
        var lastKey: String?
        var lastIndent = 0
        var pendingBlankLines = 0
        var seenSections: Set<String> = []
        var seenKeys: Set<String> = []
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" }) {
            lineNumber += 1
            var line = String(rawLine)
            if line.hasSuffix("\r") { line.removeLast() }
            let stripped = line.trimmingCharacters(in: .whitespaces)
            let indent = line.prefix(while: { $0 == " " || $0 == "\t" }).count
            if stripped.hasPrefix("#") || stripped.hasPrefix(";") { continue }
            let content = IniFile.removingInlineComment(line)
            let trimmed = content.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                // Blank lines inside a multi-line value are kept if an indented line follows.
                if lastKey != nil { pendingBlankLines += 1 }
                continue
            }
            // Indented text after a key continues that key's value.
            if let key = lastKey, let section = current, indent > lastIndent {
                appendContinuation(String(repeating: "\n", count: pendingBlankLines) + trimmed, to: key, in: section)
                pendingBlankLines = 0
                continue
            }
            pendingBlankLines = 0
            if trimmed.hasPrefix("[") {
                guard let close = trimmed.firstIndex(of: "]") else {
                    throw Self.error("malformed section header", path: path, line: lineNumber, text: line)
                }
                let name = String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
                guard seenSections.insert(name).inserted else {
                    throw Self.error("section '\(name)' already exists", path: path, line: lineNumber, text: line)
                }
                seenKeys = []
                if name != Self.defaultSectionName, sections[name] == nil {
                    sectionNames.append(name)
                    sections[name] = []
                }
                current = name
                lastKey = nil
                continue
            }
            guard let section = current else {
                throw Self.error("file contains no section headers", path: path, line: lineNumber, text: line)
            }
            let delimiter = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" })
            let key: String
            let value: String
            if let delimiter {
                key = trimmed[..<delimiter].trimmingCharacters(in: .whitespaces).lowercased()
                value = trimmed[trimmed.index(after: delimiter)...].trimmingCharacters(in: .whitespaces)
            } else {
                throw Self.error("line is not a 'key = value' pair", path: path, line: lineNumber, text: line)
            }
            if key.isEmpty {
                throw Self.error("empty key", path: path, line: lineNumber, text: line)
            }
            guard seenKeys.insert(key).inserted else {
                throw Self.error("option '\(key)' in section '\(section)' already exists", path: path, line: lineNumber, text: line)
            }
            set(key, value, in: section)
            lastKey = key
            lastIndent = indent
        }
    }

    /// Reads and parses the file at `path`.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TroupeError(.io, "cannot read config file \(path)")
        }
        try self.init(text: String(decoding: data, as: UTF8.self), path: path)
    }

    /// True when `[section]` appears in the file.
    public func hasSection(_ section: String) -> Bool { sections[section] != nil }

    /// The keys of a section, including inherited `[DEFAULT]` keys.
    public func keys(in section: String) -> [String] {
        var result = sections[section]?.map(\.key) ?? []
        for entry in defaults where !result.contains(entry.key) { result.append(entry.key) }
        return result
    }

    /// The value of `key` in `section` (keys are case-insensitive), or nil. Like ansible
    /// (which reads with `raw=True`), `%(name)s` references are not interpolated.
    public func value(_ key: String, section: String) -> String? {
        rawValue(key.lowercased(), section: section)
    }

    // MARK: - Parsing helpers

    private mutating func set(_ key: String, _ value: String, in section: String) {
        if section == Self.defaultSectionName {
            defaults.removeAll { $0.key == key }
            defaults.append((key, value))
        } else {
            sections[section, default: []].removeAll { $0.key == key }
            sections[section, default: []].append((key, value))
        }
    }

    private mutating func appendContinuation(_ text: String, to key: String, in section: String) {
        if section == Self.defaultSectionName {
            if let i = defaults.lastIndex(where: { $0.key == key }) { defaults[i].value += "\n" + text }
        } else if let i = sections[section]?.lastIndex(where: { $0.key == key }) {
            sections[section]![i].value += "\n" + text
        }
    }

    /// configparser treats `;` as a comment only at the start or after whitespace.
    private static func removingInlineComment(_ line: String) -> String {
        var previous: Character = " "
        var index = line.startIndex
        while index < line.endIndex {
            let ch = line[index]
            if ch == ";" && (previous == " " || previous == "\t") {
                return String(line[..<index])
            }
            previous = ch
            index = line.index(after: index)
        }
        return line
    }

    private func rawValue(_ key: String, section: String) -> String? {
        if let entry = sections[section]?.last(where: { $0.key == key }) { return entry.value }
        if section == Self.defaultSectionName || sections[section] != nil {
            return defaults.last(where: { $0.key == key })?.value
        }
        return nil
    }

    private static func error(_ message: String, path: String?, line: Int, text: String) -> TroupeError {
        let location = path.map { SourceLocation(file: $0, line: line, column: 1) }
        let source = path.map { " (\($0))" } ?? ""
        return TroupeError(.options, "Error reading config file\(source): line \(line): \(message): '\(text)'", location: location)
    }
}
