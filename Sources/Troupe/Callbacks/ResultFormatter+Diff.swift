import Jinja

extension ResultFormatter {
    /// Ansible's `_get_diff`: renders a module's `diff` (one dict or a list of them) as text —
    /// "diff skipped" notes for binary/oversized files, a unified diff of `before`/`after`
    /// (dicts serialised as indented JSON) under `--- before: <header>` / `+++ after: <header>`,
    /// and any `prepared` text. Diff lines are coloured when colours are on.
    public func renderDiff(_ diff: Value) -> String {
        let entries: [Value]
        if case .list(let list) = diff { entries = list } else { entries = [diff] }
        var out = ""
        for entry in entries {
            guard case .dict(let dict) = entry else { continue }
            if dict.contains("dst_binary") { out += "diff skipped: destination file appears to be binary\n" }
            if dict.contains("src_binary") { out += "diff skipped: source file appears to be binary\n" }
            if let size = dict["dst_larger"] { out += "diff skipped: destination file size is greater than \(size.pythonString)\n" }
            if let size = dict["src_larger"] { out += "diff skipped: source file size is greater than \(size.pythonString)\n" }
            if let before = dict["before"], let after = dict["after"] {
                let beforeHeader = dict["before_header"].map { "before: " + $0.pythonString } ?? "before"
                let afterHeader = dict["after_header"].map { "after: " + $0.pythonString } ?? "after"
                let beforeLines = Self.diffLines(diffText(before))
                let afterLines = Self.diffLines(diffText(after))
                let lines = UnifiedDiff.lines(beforeLines, afterLines, fromFile: beforeHeader, toFile: afterHeader, context: diffContext)
                for line in lines {
                    out += colorized(line)
                }
                if !lines.isEmpty { out += "\n" }
            }
            if let prepared = dict["prepared"] { out += prepared.pythonString }
        }
        return out
    }

    private func colorized(_ line: String) -> String {
        guard display.colorEnabled else { return line }
        if line.hasPrefix("+") { return display.colors.diffAdd.apply(to: line) }
        if line.hasPrefix("-") { return display.colors.diffRemove.apply(to: line) }
        if line.hasPrefix("@@") { return display.colors.diffLines.apply(to: line) }
        return line
    }

    /// The text side of a diff: dicts become sorted, indented JSON plus a newline; null is empty.
    func diffText(_ value: Value) -> String {
        switch value {
        case .dict where resultFormat == "yaml":
            return Self.indentLines(YAMLResultEmitter.dump(value, indent: 4, lossy: yamlIsLossy), by: 4) + "\n"
        case .dict: return JSONFormat(indent: 4, sortKeys: true, ensureASCII: true).string(value) + "\n"
        case .null, .undefined: return ""
        default: return value.pythonString
        }
    }

    /// Lines with endings kept; a last line without one gets the `\ No newline at end of file` marker.
    static func diffLines(_ text: String) -> [String] {
        var lines = UnifiedDiff.splitLinesKeepingEnds(text)
        if let last = lines.last, last.unicodeScalars.last != "\n" {
            lines[lines.count - 1] = last + "\n\\ No newline at end of file\n"
        }
        return lines
    }
}
