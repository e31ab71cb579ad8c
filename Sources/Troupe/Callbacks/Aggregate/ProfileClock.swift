import Foundation

/// The timestamp lines ansible.posix's `profile_tasks` and `profile_roles` print under each
/// task banner — `Saturday 21 November 2026  21:57:37 +0000 (0:00:00.017)       0:00:01.213 ****`
/// (now, time since the previous line, time since the run started) — and their helpers.
struct ProfileClock {
    /// `strftime` format of the "now" part; `iso8601` means `%Y-%m-%dT%H:%M:%S.%f`.
    var dateFormat: String
    private let started: Date
    private var previous: Date

    init(dateFormat: String = "%A %d %B %Y  %H:%M:%S %z", started: Date = Date()) {
        self.dateFormat = dateFormat == "iso8601" ? "%Y-%m-%dT%H:%M:%S.%f" : dateFormat
        self.started = started
        self.previous = started
    }

    /// The next timestamp line; the "since previous" part restarts from now.
    mutating func line(now: Date = Date()) -> String {
        let text = "\(Self.format(now, dateFormat)) (\(Self.duration(now.timeIntervalSince(previous))))       "
            + Self.duration(now.timeIntervalSince(started))
        previous = now
        return Self.filled(text)
    }

    /// `H:MM:SS.mmm`, milliseconds truncated.
    static func duration(_ seconds: TimeInterval) -> String {
        let millis = Int((max(0, seconds) * 1000).rounded(.down))
        let (totalSeconds, ms) = millis.quotientAndRemainder(dividingBy: 1000)
        let (totalMinutes, s) = totalSeconds.quotientAndRemainder(dividingBy: 60)
        let (h, m) = totalMinutes.quotientAndRemainder(dividingBy: 60)
        return "\(h):" + pad(m, 2) + ":" + pad(s, 2) + "." + pad(ms, 3)
    }

    /// The plugins' `filled`: the text, a space, then `fill` up to column 79 (at least three),
    /// and a trailing space.
    static func filled(_ text: String, fill: Character = "*") -> String {
        let message = text.isEmpty ? "" : text + " "
        let width = max(3, 79 - message.unicodeScalars.count)
        return message + String(repeating: fill, count: width) + " "
    }

    /// Python's `"{0:-<{w}}{1:->9}".format(name + " ", " 1.23s")`: the name padded with dashes
    /// to `width`, then the seconds right-aligned in nine columns of dashes.
    static func summaryLine(_ name: String, seconds: TimeInterval, width: Int) -> String {
        let left = name + " "
        let right = " " + String(format: "%.2f", seconds) + "s"
        return left + String(repeating: "-", count: max(0, width - left.unicodeScalars.count))
            + String(repeating: "-", count: max(0, 9 - right.unicodeScalars.count)) + right
    }

    /// Local time through C `strftime`, with Python's `%f` (microseconds) filled in first.
    static func format(_ date: Date, _ format: String) -> String {
        let micros = Int((date.timeIntervalSince1970 * 1_000_000).rounded(.down)) % 1_000_000
        let pattern = format.replacingOccurrences(of: "%f", with: pad(micros, 6))
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        localtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 256)
        let count = strftime(&buffer, buffer.count, pattern, &parts)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
