import Foundation

/// AWX's schedule `rrule` text: `DTSTART;TZID=Zone:YYYYMMDDTHHMMSS` (or `DTSTART:…Z`)
/// followed by `RRULE:FREQ=…;INTERVAL=…;COUNT=…|UNTIL=…;BYDAY=…;BYMONTHDAY=…;BYHOUR=…;
/// BYMINUTE=…`, as python-dateutil reads it. Occurrences are computed in the zone of
/// DTSTART, so a daily 09:00 in Europe/Paris stays 09:00 across DST changes.
struct RRule: Sendable, Equatable {
    enum Frequency: String, Sendable { case MINUTELY, HOURLY, DAILY, WEEKLY, MONTHLY, YEARLY }

    struct ParseError: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    var start: Date
    var timeZone: TimeZone
    var frequency: Frequency
    var interval = 1
    var count: Int?
    var until: Date?
    /// 1 = Sunday … 7 = Saturday (Calendar's weekday numbers).
    var byDay: [Int] = []
    var byMonthDay: [Int] = []
    var byHour: [Int] = []
    var byMinute: [Int] = []

    static let weekdays = ["SU": 1, "MO": 2, "TU": 3, "WE": 4, "TH": 5, "FR": 6, "SA": 7]

    init(_ text: String) throws {
        var dtstart: (String, TimeZone)?
        var rule: [String: String] = [:]
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == " " }) where !line.isEmpty {
            if line.hasPrefix("DTSTART") {
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2 else { throw ParseError(description: "Invalid DTSTART: \(line)") }
                var zone = TimeZone(identifier: "UTC")!
                if let tzid = parts[0].split(separator: ";").first(where: { $0.hasPrefix("TZID=") }) {
                    guard let z = TimeZone(identifier: String(tzid.dropFirst(5))) else {
                        throw ParseError(description: "Invalid TZID: \(tzid.dropFirst(5))")
                    }
                    zone = z
                }
                dtstart = (String(parts[1]), zone)
            } else if line.hasPrefix("RRULE:") {
                for pair in line.dropFirst(6).split(separator: ";") {
                    let kv = pair.split(separator: "=", maxSplits: 1)
                    guard kv.count == 2 else { throw ParseError(description: "Invalid RRULE part: \(pair)") }
                    rule[String(kv[0]).uppercased()] = String(kv[1])
                }
            } else {
                throw ParseError(description: "Unsupported rrule line: \(line)")
            }
        }
        guard let dtstart else { throw ParseError(description: "DTSTART is required") }
        guard let start = Self.date(dtstart.0, zone: dtstart.1) else { throw ParseError(description: "Invalid DTSTART value: \(dtstart.0)") }
        guard let freqText = rule["FREQ"], let frequency = Frequency(rawValue: freqText.uppercased()) else {
            throw ParseError(description: "RRULE must have a FREQ of MINUTELY, HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY")
        }
        self.start = start
        self.timeZone = dtstart.1
        self.frequency = frequency
        if let text = rule["INTERVAL"] {
            guard let n = Int(text), n > 0 else { throw ParseError(description: "INTERVAL must be a positive integer") }
            interval = n
        }
        if let text = rule["COUNT"] {
            guard let n = Int(text), n > 0 else { throw ParseError(description: "COUNT must be a positive integer") }
            count = n
        }
        if let text = rule["UNTIL"] {
            if dtstart.1.identifier != "UTC" || dtstart.0.hasSuffix("Z"), !text.hasSuffix("Z") {
                throw ParseError(description: "RRULE UNTIL values must be specified in UTC when DTSTART is timezone-aware")
            }
            guard let date = Self.date(text, zone: dtstart.1) else { throw ParseError(description: "Invalid UNTIL: \(text)") }
            until = date
        }
        if count != nil && until != nil { throw ParseError(description: "RRULE may not contain both COUNT and UNTIL") }
        if let text = rule["BYDAY"] {
            byDay = try text.split(separator: ",").map { day in
                guard let n = Self.weekdays[String(day.suffix(2)).uppercased()] else { throw ParseError(description: "Invalid BYDAY: \(day)") }
                return n
            }
        }
        func numbers(_ key: String, _ range: ClosedRange<Int>) throws -> [Int] {
            guard let text = rule[key] else { return [] }
            return try text.split(separator: ",").map {
                guard let n = Int($0), range.contains(n) else { throw ParseError(description: "Invalid \(key): \($0)") }
                return n
            }
        }
        byMonthDay = try numbers("BYMONTHDAY", 1...31)
        byHour = try numbers("BYHOUR", 0...23)
        byMinute = try numbers("BYMINUTE", 0...59)
    }

    /// `YYYYMMDDTHHMMSS` in `zone`, or with a trailing `Z` in UTC.
    static func date(_ text: String, zone: TimeZone) -> Date? {
        var text = text
        var tz = zone
        if text.hasSuffix("Z") { text.removeLast(); tz = TimeZone(identifier: "UTC")! }
        let digits = text.filter(\.isNumber)
        guard digits.count == 14 || digits.count == 8 else { return nil }
        func part(_ from: Int, _ length: Int) -> Int {
            let start = digits.index(digits.startIndex, offsetBy: from)
            return Int(digits[start..<digits.index(start, offsetBy: length)]) ?? 0
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = tz
        let components = DateComponents(year: part(0, 4), month: part(4, 2), day: part(6, 2),
                                        hour: digits.count == 14 ? part(8, 2) : 0, minute: digits.count == 14 ? part(10, 2) : 0,
                                        second: digits.count == 14 ? part(12, 2) : 0)
        return calendar.date(from: components)
    }

    /// The first occurrence strictly after `after` (nil when the rule has ended).
    func next(after: Date) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let unit: Calendar.Component
        switch frequency {
        case .MINUTELY: unit = .minute
        case .HOURLY: unit = .hour
        case .DAILY: unit = .day
        case .WEEKLY: unit = .weekOfYear
        case .MONTHLY: unit = .month
        case .YEARLY: unit = .year
        }
        var produced = 0
        var step = 0
        // Bounded walk: enough for minutely rules years ahead without spinning forever.
        while step < 2_000_000 {
            guard let periodStart = calendar.date(byAdding: unit, value: step * interval, to: start) else { return nil }
            step += 1
            for candidate in expand(periodStart, calendar: calendar) where candidate >= start {
                if let until, candidate > until { return nil }
                produced += 1
                if let count, produced > count { return nil }
                if candidate > after { return candidate }
            }
        }
        return nil
    }

    /// The occurrences within one period of the rule (BYxxx expansion), in order.
    private func expand(_ periodStart: Date, calendar: Calendar) -> [Date] {
        var days: [Date] = [periodStart]
        if frequency == .WEEKLY, !byDay.isEmpty {
            let weekday = calendar.component(.weekday, from: periodStart)
            days = byDay.compactMap { day in
                // Weeks start on Monday (dateutil's default WKST).
                let offset = ((day + 5) % 7) - ((weekday + 5) % 7)
                return calendar.date(byAdding: .day, value: offset, to: periodStart)
            }.sorted()
        } else if frequency == .MONTHLY, !byMonthDay.isEmpty {
            days = byMonthDay.compactMap { day in
                var c = calendar.dateComponents([.year, .month, .hour, .minute, .second], from: periodStart)
                c.day = day
                guard let date = calendar.date(from: c), calendar.component(.month, from: date) == c.month else { return nil }
                return date
            }.sorted()
        } else if frequency == .DAILY || frequency == .MONTHLY || frequency == .YEARLY, !byDay.isEmpty {
            days = days.filter { byDay.contains(calendar.component(.weekday, from: $0)) }
        }
        guard !byHour.isEmpty || !byMinute.isEmpty else { return days }
        return days.flatMap { day -> [Date] in
            let hours = byHour.isEmpty ? [calendar.component(.hour, from: day)] : byHour
            let minutes = byMinute.isEmpty ? [calendar.component(.minute, from: day)] : byMinute
            return hours.flatMap { h in minutes.compactMap { m in calendar.date(bySettingHour: h, minute: m, second: 0, of: day) } }
        }.sorted()
    }
}
