import Foundation
import Jinja

/// Host names with ranges and ports, as inventory files write them: `web[01:50]`,
/// `web[1:10:2]`, `db-[a:c]`, `host:2222`, `[::1]:22`.
public enum HostRangeExpander {
    /// Why a host range could not be expanded.
    public struct RangeError: Error, CustomStringConvertible {
        /// Ansible's wording of the problem.
        public let description: String
    }

    /// Expands every `[begin:end(:step)]` range in `pattern` (left to right, nested
    /// expansion for several ranges). A name without `[` is returned as is.
    public static func expand(_ pattern: String) throws -> [String] {
        guard pattern.contains("[") else { return [pattern] }
        guard let open = pattern.firstIndex(of: "["), let close = pattern.firstIndex(of: "]") else {
            throw RangeError(description: "host range must be begin:end or begin:end:step")
        }
        // Ansible splits on the first '[' and first ']' and needs exactly three parts.
        guard open < close else { throw RangeError(description: "host range must be begin:end or begin:end:step") }
        let head = String(pattern[..<open])
        let body = String(pattern[pattern.index(after: open)..<close])
        let tail = String(pattern[pattern.index(after: close)...])
        if head.contains("|") || body.contains("|") || tail.contains("|") {
            throw RangeError(description: "host range must be begin:end or begin:end:step")
        }
        let bounds = body.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard bounds.count == 2 || bounds.count == 3 else {
            throw RangeError(description: "host range must be begin:end or begin:end:step")
        }
        let begin = bounds[0].isEmpty ? "0" : bounds[0]
        let end = bounds[1]
        guard !end.isEmpty else { throw RangeError(description: "host range must specify end value") }
        let stepText = bounds.count == 3 ? bounds[2] : "1"
        guard let step = pythonInt(stepText) else {
            throw RangeError(description: "invalid literal for int() with base 10: '\(stepText)'")
        }
        var width: Int?
        if begin.hasPrefix("0") && begin.count > 1 {
            guard begin.count == end.count else {
                throw RangeError(description: "host range must specify equal-length begin and end formats")
            }
            width = begin.count
        }
        func fill(_ text: String) -> String {
            guard let width, text.count < width else { return text }
            // str.zfill keeps a leading sign in front of the zeros.
            if let sign = text.first, sign == "-" || sign == "+" {
                return String(sign) + String(repeating: "0", count: width - text.count) + text.dropFirst()
            }
            return String(repeating: "0", count: width - text.count) + text
        }
        var items: [String] = []
        let letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
        if let b = letters.range(of: begin), let e = letters.range(of: end) {
            let from = letters.distance(from: letters.startIndex, to: b.lowerBound)
            let to = letters.distance(from: letters.startIndex, to: e.lowerBound)
            guard from <= to else { throw RangeError(description: "host range must have begin <= end") }
            guard step != 0 else { throw RangeError(description: "slice step cannot be zero") }
            let chars = Array(letters)
            if step > 0 {
                items = stride(from: from, through: to, by: step).map { String(chars[$0]) }
            }
        } else {
            guard let b = pythonInt(begin) else { throw RangeError(description: "invalid literal for int() with base 10: '\(begin)'") }
            guard let e = pythonInt(end) else { throw RangeError(description: "invalid literal for int() with base 10: '\(end)'") }
            guard step != 0 else { throw RangeError(description: "range() arg 3 must not be zero") }
            // Count first (without overflow) so a huge range fails before allocating.
            let count = rangeCount(from: b, through: e, step: step)
            try checkCount(count, pattern)
            if count > 0 {
                items.reserveCapacity(count)
                var value = b
                for index in 0..<count {
                    items.append(String(value))
                    if index + 1 < count { value += step }  // stays within [b, e]: no overflow
                }
            }
        }
        var hosts: [String] = []
        for item in items {
            let name = head + fill(item) + tail
            if name.contains("[") { hosts += try expand(name) } else { hosts.append(name) }
            try checkCount(hosts.count, pattern)
        }
        return hosts
    }

    /// How many values Python's `range(b, e + 1, step)` (step > 0) or
    /// `range(b, e + 1, step)` for a negative step yields, the way the loop above
    /// walks them; computed in wider arithmetic so extreme bounds cannot trap.
    static func rangeCount(from b: Int, through e: Int, step: Int) -> Int {
        let begin = Double(b), end = Double(e), stepSize = Double(step)
        if step > 0 {
            guard b <= e else { return 0 }
            let estimate = ((end - begin) / stepSize).rounded(.down) + 1
            if estimate > Double(Int.max / 2) { return Int.max }
            // Exact when the span fits in Int (the common case); the estimate otherwise.
            let (span, overflow) = e.subtractingReportingOverflow(b)
            return overflow ? Int(estimate) : span / step + 1
        }
        // Negative step: range(b, e + 1, step) yields values while value > e + 1.
        guard begin > end + 1 else { return 0 }
        let estimate = ((begin - (end + 1)) / -stepSize).rounded(.up)
        if estimate > Double(Int.max / 2) { return Int.max }
        let (stop, stopOverflow) = e.addingReportingOverflow(1)
        let (span, spanOverflow) = b.subtractingReportingOverflow(stop)
        if stopOverflow || spanOverflow { return Int(estimate) }
        let magnitude = step == Int.min ? UInt(Int.max) + 1 : UInt(-step)
        return Int((UInt(span) + magnitude - 1) / magnitude)
    }

    private static func checkCount(_ count: Int, _ pattern: String) throws {
        let limit = InputLimits.rangeHosts
        guard count > limit.value else { return }
        throw RangeError(description: "host range '\(pattern)' expands to more than \(limit.value) hosts (\(limit.hint))")
    }

    /// Python's `int(text)` for decimal text (surrounding whitespace, sign, `_`).
    static func pythonInt(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.contains("__") || trimmed.hasPrefix("_") || trimmed.hasSuffix("_") { return nil }
        return Int(trimmed.replacingOccurrences(of: "_", with: ""))
    }
}

/// Splits `host:port` / `[host]:port` and validates host names, IPv4 and IPv6
/// addresses (optionally containing ranges), like Ansible's `parse_address`.
public enum HostAddress {
    /// The host part and the port of `address`, or nil when it is not a recognisable
    /// host identifier (the caller then keeps the text unchanged).
    public static func parse(_ address: String, allowRanges: Bool) -> (host: String, port: Int?)? {
        var rest = address
        var port: Int?
        for regex in [bracketedHostPort, hostPort] {
            if let groups = match(regex, rest), groups.count == 2, let p = Int(groups[1]) {
                rest = groups[0]
                port = p
            }
        }
        guard match(ipv4, rest) != nil || match(ipv6, rest) != nil || match(hostname, rest) != nil else { return nil }
        if !allowRanges && rest.contains("[") { return nil }
        return (rest, port)
    }

    /// True for IPv4/IPv6 addresses (used for `inventory_hostname_short`).
    public static func isIPAddress(_ text: String) -> Bool {
        match(ipv4, text) != nil || match(ipv6, text) != nil
    }

    private static func match(_ regex: NSRegularExpression, _ text: String) -> [String]? {
        let ns = text as NSString
        guard let m = regex.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) else { return nil }
        return (1..<max(m.numberOfRanges, 1)).map { i in
            let r = m.range(at: i)
            return r.location == NSNotFound ? "" : ns.substring(with: r)
        }
    }

    private static let numericRange = #"\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]"#
    private static let hexRange = #"\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]"#
    private static let alphanumericRange = #"\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]"#
    private static let ipv6Part = "(?:[0-9a-f]{1,4}|\(hexRange))"
    private static let ipv4Part = "(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|\(numericRange))"
    private static let label = "(?:\\w|\(alphanumericRange))(?:[\\w-]|\(alphanumericRange))*(?<![_-])"

    private static func compile(_ pattern: String) -> NSRegularExpression {
        // The patterns are compile-time constants covered by tests, never user input.
        // swiftlint:disable:next force_try
        try! NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
    }

    private static let bracketedHostPort = compile(#"^\[(.+)\]:([0-9]+)$"#)
    private static let hostPort = compile(#"^((?:[^:\[\]]|\[[^\]]*\])*):([0-9]+)$"#)
    private static let ipv4 = compile("^(?:\(ipv4Part)\\.){3}\(ipv4Part)$")
    private static let ipv6: NSRegularExpression = {
        let p = ipv6Part
        let alternatives = [
            "(?:\(p):){7}\(p)",
            "(?:\(p):){1,6}:",
            "(?:\(p):)(?::\(p)){1,6}",
            "(?:\(p):){2}(?::\(p)){1,5}",
            "(?:\(p):){3}(?::\(p)){1,4}",
            "(?:\(p):){4}(?::\(p)){1,3}",
            "(?:\(p):){5}(?::\(p)){1,2}",
            "(?:\(p):){6}(?::\(p))",
            ":(?::\(p)){1,6}",
            "\(p)?::",
            "(?:0:){6}(?:\(p)\\.){3}\(p)",
            "::(?:ffff:)?(?:\(p)\\.){3}\(p)",
            "(?:0:){5}ffff:(?:\(p)\\.){3}\(p)",
        ]
        return compile("^(" + alternatives.joined(separator: "|") + ")$")
    }()
    private static let hostname = compile("^\(label)(?:\\.\(label))*$")
}
