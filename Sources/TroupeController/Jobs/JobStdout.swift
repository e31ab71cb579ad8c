import Foundation

/// A job's stdout as AWX's `stdout/` endpoint serves it: the non-empty `stdout` of its
/// events in `start_line` order, each followed by a newline (`\r\n` read as `\n`), then
/// per format: `ansi` as is, `txt` without escape sequences, `html` with colours as
/// `<span class="ansiNN">`, `json` as `{range: {start, end, absolute_end}, content}`.
enum JobStdout {
    enum Format: String, CaseIterable, Sendable {
        case txt, ansi, json, html
        case txtDownload = "txt_download"
        case ansiDownload = "ansi_download"
    }

    /// The whole output from event stdouts already in `start_line` order.
    static func raw(_ stdouts: some Sequence<String>) -> String {
        var out = ""
        for text in stdouts where !text.isEmpty {
            out += text.replacingOccurrences(of: "\r\n", with: "\n")
            out += "\n"
        }
        return out
    }

    /// Without the event-data markers and colour sequences (AWX's `_escape_ascii`).
    static func plain(_ text: String) -> String {
        var out = text.replacingOccurrences(of: #"\x1b\[K(?:[A-Za-z0-9+/=]+\x1b\[\d+D)+\x1b\[K"#, with: "", options: .regularExpression)
        out = out.replacingOccurrences(of: "\u{1b}[^m]*m", with: "", options: .regularExpression)
        return out
    }

    /// Lines `start..<end` (negative start counts from the end), with AWX's range numbers.
    static func limited(_ text: String, start: Int, end: Int?) -> (content: String, start: Int, end: Int, absoluteEnd: Int) {
        var lines: [Substring] = []
        var lineStart = text.startIndex
        for index in text.indices where text[index] == "\n" {
            lines.append(text[lineStart...index])
            lineStart = text.index(after: index)
        }
        if lineStart < text.endIndex { lines.append(text[lineStart...]) }
        let total = lines.count
        func clamp(_ n: Int) -> Int { n < 0 ? max(total + n, 0) : min(n, total) }
        let from = clamp(start)
        let to = end.map(clamp) ?? total
        let content = from < to ? lines[from..<to].joined() : ""
        return (content, from, start < 0 ? total : to, total)
    }

    /// `text` (ANSI) as HTML: escaped, SGR colours as `ansiNN` spans (ansi2html's classes).
    static func html(_ text: String) -> String {
        var out = ""
        var open = 0
        var rest = Substring(text)
        while let escape = rest.firstIndex(of: "\u{1b}") {
            out += escapeHTML(rest[..<escape])
            rest = rest[rest.index(after: escape)...]
            guard rest.first == "[", let end = rest.firstIndex(where: { $0.isLetter }) else { continue }
            let parameters = rest[rest.index(after: rest.startIndex)..<end]
            let command = rest[end]
            rest = rest[rest.index(after: end)...]
            guard command == "m" else { continue }
            let codes = parameters.split(separator: ";").compactMap { Int($0) }
            if codes.isEmpty || codes.contains(0) {
                out += String(repeating: "</span>", count: open)
                open = 0
            }
            let classes = codes.filter { $0 != 0 }.map { "ansi\($0)" }
            if !classes.isEmpty {
                out += "<span class=\"\(classes.joined(separator: " "))\">"
                open += 1
            }
        }
        out += escapeHTML(rest)
        out += String(repeating: "</span>", count: open)
        return out
    }

    /// The standalone page `format=html` returns (dark background as AWX's default).
    static func htmlPage(title: String, body: String, dark: Bool = true) -> String {
        """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>\(escapeHTML(Substring(title)))</title>
        <style>\(stylesheet(dark: dark))</style></head>
        <body><pre class="ansi_fore ansi_back">\(body)</pre></body></html>
        """
    }

    static func stylesheet(dark: Bool) -> String {
        let (fg, bg) = dark ? ("#AAAAAA", "#000000") : ("#000000", "#FFFFFF")
        return """
        body{margin:0} pre{padding:8px;margin:0;white-space:pre-wrap;word-wrap:break-word;font-family:monospace}
        .ansi_fore{color:\(fg)} .ansi_back{background-color:\(bg)} .ansi1{font-weight:bold} .ansi4{text-decoration:underline}
        .ansi30{color:#000316} .ansi31{color:#AA0000} .ansi32{color:#00AA00} .ansi33{color:#AA5500} .ansi34{color:#0000AA}
        .ansi35{color:#E850A8} .ansi36{color:#00AAAA} .ansi37{color:#F5F1DE} .ansi90{color:#7F7F7F} .ansi91{color:#FF5555}
        .ansi92{color:#55FF55} .ansi93{color:#FFFF55} .ansi94{color:#5555FF} .ansi95{color:#FF55FF} .ansi96{color:#55FFFF}
        .ansi97{color:#FFFFFF}
        """
    }

    static func escapeHTML(_ text: Substring) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#x27;"
            default: out.append(ch)
            }
        }
        return out
    }
}

/// A JSON value for an optional: the value, or `null`.
func orNull<T>(_ value: T?) -> Any {
    if let value { return value }
    return NSNull()
}
