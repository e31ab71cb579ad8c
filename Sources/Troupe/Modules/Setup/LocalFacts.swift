import Foundation
import Jinja

/// `ansible_local`: `*.fact` files under `fact_path`, read as JSON or else as INI;
/// executable ones are run and their output parsed the same way.
enum LocalFacts {
    static func parse(_ files: [FactSections.LocalFact]) -> OrderedDict {
        var local = OrderedDict()
        for file in files {
            switch file {
            case .unreadable(let path):
                local[baseName(path)] = parseContent("", path: path)
            case .file(let path, let content):
                local[baseName(path)] = parseContent(content.trimmingCharacters(in: .whitespacesAndNewlines), path: path)
            case .executable(let path, let output, let rc):
                if rc != 0 {
                    local[baseName(path)] = .string("Failure executing fact script (\(path)), rc: \(rc), err: ")
                } else {
                    local[baseName(path)] = parseContent(output, path: path)
                }
            }
        }
        return local
    }

    /// `/etc/ansible/facts.d/app.fact` → `app`.
    static func baseName(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name.replacingOccurrences(of: ".fact", with: "")
    }

    static func parseContent(_ content: String, path: String) -> Value {
        if let json = try? Value.parseJSON(content) { return json }
        if let ini = parseINI(content) { return .dict(ini) }
        return .string("error loading facts as JSON or ini - please check content: \(path)")
    }

    /// Python `configparser` essentials: `[section]` headers, `key = value` or `key: value`,
    /// keys lowercased, `#`/`;` comments, indented continuation lines. Nil on a syntax error
    /// (an option before any section, a line that is neither).
    static func parseINI(_ text: String) -> OrderedDict? {
        var result = OrderedDict()
        var section: String?
        var values = OrderedDict()
        var lastKey: String?
        func flush() {
            if let section {
                var merged = result[section]?.dictValue ?? OrderedDict()
                merged.merge(values)
                result[section] = .dict(merged)
            }
            values = OrderedDict()
        }
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(rawLine)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { lastKey = nil; continue }
            if let first = line.first, first.isWhitespace, let key = lastKey, let previous = values[key]?.stringValue {
                values[key] = .string(previous.isEmpty ? trimmed : previous + "\n" + trimmed)
                continue
            }
            if trimmed.hasPrefix("[") && trimmed.hasSuffix("]") {
                flush()
                section = String(trimmed.dropFirst().dropLast())
                lastKey = nil
                continue
            }
            guard section != nil else { return nil }
            guard let separator = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else { return nil }
            let key = trimmed[..<separator].trimmingCharacters(in: .whitespaces).lowercased()
            let value = trimmed[trimmed.index(after: separator)...].trimmingCharacters(in: .whitespaces)
            values[key] = .string(value)
            lastKey = key
        }
        flush()
        return result
    }
}
