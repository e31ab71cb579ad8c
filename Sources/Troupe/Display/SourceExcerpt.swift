import Foundation
import Jinja

/// The `Origin: file:line:col` block with an annotated source excerpt that ansible-core 2.19
/// appends to errors and warnings:
///
///     Origin: /path/site.yml:34:7
///
///     32       loop: [1, 2]
///     33       when: item == 2
///     34     - name: failing
///              ^ column 7
public enum SourceExcerpt {
    /// Lines of context shown before the target line.
    static let contextLines = 2
    /// Widest annotated line before truncation with "...".
    static let maxLineWidth = 120

    /// The origin block for `location`; `source` is the file's text (read from disk when nil).
    /// Unreadable or too-short files give `(source not shown: …)` as ansible does.
    public static func render(_ location: SourceLocation, source: String? = nil) -> String {
        let origin = "Origin: \(location.file):\(location.line):\(location.column)"
        let annotated = annotatedLines(location, source: source)
        return annotated.isEmpty ? origin : origin + "\n\n" + annotated.joined(separator: "\n")
    }

    /// The numbered excerpt and caret line, without the `Origin:` header.
    public static func annotatedLines(_ location: SourceLocation, source: String? = nil) -> [String] {
        guard location.line >= 1 else { return [] }
        let text: String
        if let source {
            text = source
        } else if let data = FileManager.default.contents(atPath: location.file) {
            text = String(decoding: data, as: UTF8.self)
        } else {
            return ["(source not shown: FileNotFoundError)"]
        }
        let allLines = text.components(separatedBy: "\n")
        // A final newline does not start another line.
        let lineCount = text.hasSuffix("\n") ? allLines.count - 1 : allLines.count
        guard location.line <= lineCount else { return ["(source not shown: file truncated)"] }
        let first = max(0, location.line - 1 - contextLines)
        let labelWidth = String(location.line).count
        let maxSourceWidth = maxLineWidth - labelWidth - 1
        var usableWidth = maxSourceWidth
        var out: [String] = []
        for index in first..<location.line {
            var line = allLines[index].replacingOccurrences(of: "\t", with: " ")
            if line.hasSuffix("\r") { line.removeLast() }
            if line.count > maxSourceWidth {
                line = String(line.prefix(maxSourceWidth - 3)) + "..."
                usableWidth = maxSourceWidth - 3
            }
            let label = String(index + 1)
            out.append(String(repeating: " ", count: labelWidth - label.count) + label + (line.isEmpty ? "" : " ") + line)
        }
        let column = location.column
        if column >= 1 && column <= usableWidth {
            let marker = "column \(column)"
            let body: String
            if column - 1 + 2 + marker.count > maxSourceWidth {
                body = String(repeating: " ", count: max(0, column - 1 - marker.count - 1)) + marker + " ^"
            } else {
                body = String(repeating: " ", count: column - 1) + "^ " + marker
            }
            out.append(String(repeating: " ", count: labelWidth) + " " + body)
        }
        return out
    }
}

extension SourceExcerpt {
    /// The origin block of an ad-hoc task, which has no file:
    ///
    ///     Origin: <adhoc 'command' task>
    ///
    ///     {'action': 'command', 'args': {'_raw_params': '/bin/false'}, 'timeout': 0, 'async_val': 0, 'poll': 15}
    ///
    /// The task is shown as Python prints it, shortened to 120 columns like `textwrap.shorten`.
    public static func renderAdHoc(module: String, args: Value, timeout: Int = 0, asyncSeconds: Int = 0, poll: Int = 15) -> String {
        let task: Value = .dict(OrderedDict([
            ("action", .string(module)), ("args", args), ("timeout", .int(timeout)), ("async_val", .int(asyncSeconds)), ("poll", .int(poll)),
        ]))
        return "Origin: <adhoc '\(module)' task>\n\n" + shorten(task.pythonRepr, width: maxLineWidth)
    }

    /// Python's `textwrap.shorten(text, width)`: whitespace collapsed, and when too long, whole
    /// words kept up to the width with " [...]" appended.
    static func shorten(_ text: String, width: Int, placeholder: String = " [...]") -> String {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map(String.init)
        let collapsed = words.joined(separator: " ")
        if collapsed.count <= width { return collapsed }
        var kept: [String] = []
        var length = 0
        for word in words {
            let added = kept.isEmpty ? word.count : word.count + 1
            if length + added > width { break }
            kept.append(word)
            length += added
        }
        while !kept.isEmpty && length + placeholder.count > width {
            length -= kept.count == 1 ? kept[0].count : kept[kept.count - 1].count + 1
            kept.removeLast()
        }
        return kept.joined(separator: " ") + placeholder
    }
}
