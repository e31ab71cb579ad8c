import Foundation
import Jinja

/// A Swift port of the normalisation in shared/conformance/compare.py: per banner, the
/// sorted set of result lines (status, host, item) with the JSON bodies of debug/assert
/// results; then the recap. Lets tests compare troupe with recorded ansible output.
enum ConformanceNormaliser {
    static func normalise(_ text: String) -> [String] {
        var blocks: [(banner: String, results: [String])] = []
        var recap: [String: String] = [:]
        let lines = text.components(separatedBy: "\n")
        var inRecap = false
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if let banner = parseBanner(line) {
                inRecap = banner.kind == "PLAY RECAP"
                if !inRecap { blocks.append(("\(banner.kind) [\(banner.name)]", [])) }
                i += 1
                continue
            }
            if inRecap {
                if let (host, counts) = parseRecap(line) { recap[host] = counts }
                i += 1
                continue
            }
            if line.hasPrefix("...ignoring"), !blocks.isEmpty, !blocks[blocks.count - 1].results.isEmpty {
                blocks[blocks.count - 1].results[blocks[blocks.count - 1].results.count - 1] += " ...ignoring"
                i += 1
                continue
            }
            if !blocks.isEmpty, let colon = line.range(of: ": "),
               ["ok", "changed", "skipping", "fatal", "failed", "included"].contains(String(line[..<colon.lowerBound])) {
                var status = String(line[..<colon.lowerBound])
                var rest = String(line[colon.upperBound...])
                var host: String?
                var item: String?
                if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                    host = String(rest[rest.index(after: rest.startIndex)..<close])
                    rest = String(rest[rest.index(after: close)...])
                }
                if let m = rest.range(of: #"\(item=(.*?)\)( =>|\s*$)"#, options: .regularExpression) {
                    var s = String(rest[m])
                    s.removeFirst("(item=".count)
                    if let end = s.range(of: #"\)( =>|\s*$)"#, options: .regularExpression) { s = String(s[..<end.lowerBound]) }
                    item = s
                }
                if status == "fatal" { status = rest.contains("UNREACHABLE!") ? "unreachable" : "fatal" }
                if status == "included", let forRange = rest.range(of: " for ") {
                    let file = String(rest[..<forRange.lowerBound])
                    var hostsPart = String(rest[forRange.upperBound...])
                    var includedItem: String?
                    if let arrow = hostsPart.range(of: " => (item=") {
                        includedItem = String(hostsPart[arrow.upperBound...].dropLast())
                        hostsPart = String(hostsPart[..<arrow.lowerBound])
                    }
                    host = hostsPart.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.sorted().joined(separator: ",")
                    item = (file as NSString).lastPathComponent + (includedItem.map { " item=\($0)" } ?? "")
                }
                let trimmed = rest.trimmingCharacters(in: .whitespaces)
                let hasBody = trimmed.hasSuffix("=> {") || trimmed.hasSuffix("=> [")
                var body: String?
                if hasBody {
                    var buffer = [trimmed.hasSuffix("{") ? "{" : "["]
                    var j = i + 1
                    while j < lines.count {
                        buffer.append(lines[j])
                        if lines[j] == "}" || lines[j] == "]" { break }
                        j += 1
                    }
                    if let v = try? Value.parseJSON(buffer.joined(separator: "\n")) {
                        body = JSONFormat(sortKeys: true, ensureASCII: true).string(v)
                    } else {
                        body = "<unparsed body>"
                    }
                    i = j
                }
                var record = "\(status) [\(host ?? "None")]"
                if let item { record += " (item=\(item))" }
                if let body, status != "fatal", status != "failed" { record += " => " + body }
                blocks[blocks.count - 1].results.append(record)
            }
            i += 1
        }
        var out: [String] = []
        for block in blocks {
            out.append(block.banner)
            out.append(contentsOf: block.results.sorted().map { "  " + $0 })
        }
        out.append("PLAY RECAP")
        out.append(contentsOf: recap.keys.sorted().map { "  \($0): \(recap[$0]!)" })
        return out
    }

    private static func parseBanner(_ line: String) -> (kind: String, name: String)? {
        guard line.hasSuffix("*") else { return nil }
        for kind in ["PLAY RECAP", "RUNNING HANDLER", "TASK", "PLAY"] where line.hasPrefix(kind) {
            var rest = line.dropFirst(kind.count)
            while rest.last == "*" { rest.removeLast() }
            if rest.hasSuffix(" ") { rest.removeLast() }
            if rest.isEmpty { return (kind, "") }
            guard rest.hasPrefix(" ["), rest.hasSuffix("]") else { continue }
            return (kind, String(rest.dropFirst(2).dropLast()))
        }
        return nil
    }

    private static func parseRecap(_ line: String) -> (String, String)? {
        let parts = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard parts.count == 9, parts[1] == ":", parts[2].hasPrefix("ok=") else { return nil }
        return (parts[0], parts[2...].joined(separator: " "))
    }
}
