import Foundation

/// Times as AWX prints them: ISO-8601 UTC with microseconds (`2026-12-07T12:00:00.123456Z`).
/// Stored as TEXT on both engines: the fixed width makes text order equal time order.
public enum Timestamp {
    public static func now() -> String { format(Date()) }

    public static func format(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        var whole = time_t(seconds.rounded(.down))
        var micro = Int(((seconds - Double(whole)) * 1_000_000).rounded())
        if micro >= 1_000_000 { micro -= 1_000_000; whole += 1 }
        var parts = tm()
        gmtime_r(&whole, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
                      Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), micro)
    }

    /// Parses the stored form back (used for expiry checks).
    public static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
