import Foundation

/// A naive `datetime.datetime` as `to_datetime` returns it: readable fields
/// (`year` … `microsecond`), `strftime()`, `timestamp()`, `isoformat()`, and
/// subtraction yielding a ``PythonTimeDelta``.
public final class PythonDateTime: JinjaObject, @unchecked Sendable {
    /// Broken-down fields (naive, no time zone).
    public let year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, microsecond: Int

    /// A datetime from its fields (month and day are 1-based).
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, microsecond: Int = 0) {
        self.year = year; self.month = month; self.day = day
        self.hour = hour; self.minute = minute; self.second = second; self.microsecond = microsecond
    }

    /// Python's type name.
    public override var typeName: String { "datetime" }

    /// Seconds since 1970-01-01 treating the fields as UTC (used for differences).
    public var utcSeconds: Double {
        var components = DateComponents()
        components.year = year; components.month = month; components.day = day
        components.hour = hour; components.minute = minute; components.second = second
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = calendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
        return date.timeIntervalSince1970 + Double(microsecond) / 1_000_000
    }

    /// `str(datetime)`.
    public override var renderedString: String {
        let base = String(format: "%04d-%02d-%02d %02d:%02d:%02d", year, month, day, hour, minute, second)
        return microsecond == 0 ? base : base + String(format: ".%06d", microsecond)
    }

    /// Fields and bound methods (`strftime`, `isoformat`, `timestamp`, `weekday`, `date`).
    public override func attribute(_ name: String) -> Value? {
        switch name {
        case "year": return .int(year)
        case "month": return .int(month)
        case "day": return .int(day)
        case "hour": return .int(hour)
        case "minute": return .int(minute)
        case "second": return .int(second)
        case "microsecond": return .int(microsecond)
        case "strftime":
            return .object(DateTimeMethod("strftime") { args in
                .string(TimeFilters.format(args.first?.pythonString ?? "", tm: self.brokenDown, microsecond: self.microsecond))
            })
        case "isoformat":
            return .object(DateTimeMethod("isoformat") { _ in .string(self.renderedString.replacingOccurrences(of: " ", with: "T")) })
        case "timestamp":
            return .object(DateTimeMethod("timestamp") { _ in
                // Naive datetimes are local time in Python.
                var t = self.brokenDown
                t.tm_isdst = -1
                return .float(Double(mktime(&t)) + Double(self.microsecond) / 1_000_000)
            })
        case "weekday": return .object(DateTimeMethod("weekday") { _ in .int((Int(self.brokenDown.tm_wday) + 6) % 7) })
        case "date": return .object(DateTimeMethod("date") { _ in .string(String(format: "%04d-%02d-%02d", self.year, self.month, self.day)) })
        default: return nil
        }
    }

    /// The C `tm` of these fields (weekday and yday filled in).
    var brokenDown: tm {
        var t = tm()
        t.tm_year = Int32(year - 1900); t.tm_mon = Int32(month - 1); t.tm_mday = Int32(day)
        t.tm_hour = Int32(hour); t.tm_min = Int32(minute); t.tm_sec = Int32(second)
        var seconds = time_t(FilterSupport.exactInt(utcSeconds.rounded(.down)) ?? 0)
        var normalised = tm()
        gmtime_r(&seconds, &normalised)
        t.tm_wday = normalised.tm_wday
        t.tm_yday = normalised.tm_yday
        return t
    }

    /// `a - b` for datetimes.
    public static func subtract(_ a: PythonDateTime, _ b: PythonDateTime) -> PythonTimeDelta {
        PythonTimeDelta(seconds: a.utcSeconds - b.utcSeconds)
    }
}

/// `datetime.timedelta`: `days`, `seconds`, `microseconds`, `total_seconds()`.
public final class PythonTimeDelta: JinjaObject, @unchecked Sendable {
    /// The signed length in seconds.
    public let totalSeconds: Double
    /// A delta of `seconds`.
    public init(seconds: Double) { totalSeconds = seconds }
    /// Python's type name.
    public override var typeName: String { "timedelta" }

    /// `days`, `seconds`, `microseconds` and `total_seconds()`.
    public override func attribute(_ name: String) -> Value? {
        let days = FilterSupport.exactInt((totalSeconds / 86400).rounded(.down)) ?? 0
        let remainder = totalSeconds - Double(days) * 86400
        switch name {
        case "days": return .int(days)
        case "seconds": return .int(FilterSupport.exactInt(remainder.rounded(.down)) ?? 0)
        case "microseconds": return .int(FilterSupport.exactInt(((remainder - remainder.rounded(.down)) * 1_000_000).rounded()) ?? 0)
        case "total_seconds": return .object(DateTimeMethod("total_seconds") { _ in .float(self.totalSeconds) })
        default: return nil
        }
    }

    /// `str(timedelta)`: "1 day, 12:00:00".
    public override var renderedString: String {
        let days = FilterSupport.exactInt((totalSeconds / 86400).rounded(.down)) ?? 0
        let rest = FilterSupport.exactInt((totalSeconds - Double(days) * 86400).rounded(.down)) ?? 0
        let clock = String(format: "%d:%02d:%02d", rest / 3600, rest % 3600 / 60, rest % 60)
        if days == 0 { return clock }
        return "\(days) day\(Swift.abs(days) == 1 ? "" : "s"), \(clock)"
    }
}

/// A method bound to a runtime object (`dt.strftime`), callable from templates.
public final class DateTimeMethod: JinjaObject, @unchecked Sendable {
    let name: String
    let body: ([Value]) throws -> Value
    /// A method called `name` running `body` with the positional arguments.
    public init(_ name: String, _ body: @escaping ([Value]) throws -> Value) {
        self.name = name
        self.body = body
    }
    /// Python's type name.
    public override var typeName: String { "builtin_function_or_method" }
    /// Always callable.
    public override var isCallable: Bool { true }
    /// Runs the method.
    public override func call(_ arguments: Arguments, _ context: CallContext) throws -> Value {
        try body(arguments.positional)
    }
    /// How Python prints a bound method.
    public override var renderedString: String { "<built-in method \(name)>" }
}
