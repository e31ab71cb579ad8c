import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `strftime`, `to_datetime`, and the seeded `random`/`shuffle` filters.
enum TimeFilters {
    static var all: [String: Filter] {
        [
            "strftime": Filter(strftime),
            "to_datetime": Filter(toDateTime),
            "random": Filter(random),
            "shuffle": Filter(shuffle),
        ]
    }

    /// C `strftime` of `tm`, with Python's `%f` (microseconds) added.
    static func format(_ pattern: String, tm time: tm, microsecond: Int = 0) -> String {
        var t = time
        let prepared = pattern.replacingOccurrences(of: "%f", with: String(format: "%06d", microsecond))
        var buffer = [Int8](repeating: 0, count: 1024 + prepared.utf8.count * 8)
        #if canImport(Glibc)
        let count = Glibc.strftime(&buffer, buffer.count, prepared, &t)
        #else
        let count = Darwin.strftime(&buffer, buffer.count, prepared, &t)
        #endif
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func strftime(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let pattern = FilterSupport.text(v)
        let utc = FilterSupport.bool(a.value(1, "utc"), false)
        var seconds = Date().timeIntervalSince1970
        if let given = a.value(0, "second"), !given.isNull {
            guard let s = try? NumberFilters.toFloat(given) else {
                throw FilterSupport.filterError("Invalid value for epoch value (\(given.pythonString))")
            }
            seconds = s
        }
        guard let whole = FilterSupport.exactInt(seconds.rounded(.down)), Swift.abs(whole) < 1 << 55 else {
            throw JinjaError(.runtime, "OverflowError: timestamp out of range for platform time_t")
        }
        var clock = time_t(whole)
        var t = tm()
        if utc { gmtime_r(&clock, &t) } else { localtime_r(&clock, &t) }
        return .string(format(pattern, tm: t))
    }

    static let monthNames = ["january", "february", "march", "april", "may", "june", "july",
                             "august", "september", "october", "november", "december"]
    static let dayNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    /// Python's `datetime.strptime` for the common directives.
    static func parse(_ text: String, format: String) throws -> PythonDateTime {
        let fail = JinjaError(.value, "time data \(Value.string(text).pythonRepr) does not match format \(Value.string(format).pythonRepr)")
        var year = 1900, month = 1, day = 1, hour = 0, minute = 0, second = 0, micro = 0
        var pm: Bool?
        let input = Array(text)
        var pos = 0
        func number(_ maxDigits: Int) throws -> Int {
            var digits = ""
            if pos < input.count, input[pos] == "+" || input[pos] == "-" , maxDigits > 4 { digits.append(input[pos]); pos += 1 }
            while pos < input.count, digits.count < maxDigits, input[pos].isASCII, input[pos].isNumber { digits.append(input[pos]); pos += 1 }
            guard let n = Int(digits) else { throw fail }
            return n
        }
        func name(_ names: [String]) throws -> Int {
            let rest = String(input[pos...]).lowercased()
            for (i, full) in names.enumerated() {
                if rest.hasPrefix(full) { pos += full.count; return i }
                if rest.hasPrefix(String(full.prefix(3))) { pos += 3; return i }
            }
            throw fail
        }
        let spec = Array(format)
        var i = 0
        while i < spec.count {
            let f = spec[i]
            if f == "%", i + 1 < spec.count {
                let d = spec[i + 1]
                i += 2
                switch d {
                case "Y": year = try number(4)
                case "y": let y = try number(2); year = y < 69 ? 2000 + y : 1900 + y
                case "m": month = try number(2)
                case "d": day = try number(2)
                case "H": hour = try number(2)
                case "I": hour = try number(2)
                case "M": minute = try number(2)
                case "S": second = try number(2)
                case "f":
                    let start = pos
                    let n = try number(6)
                    micro = n * Int(pow(10.0, Double(6 - (pos - start))))
                case "j":
                    let yday = try number(3)
                    month = 1; day = yday
                case "b", "B", "h": month = try name(monthNames) + 1
                case "a", "A": _ = try name(dayNames)
                case "p":
                    let rest = String(input[pos...]).lowercased()
                    if rest.hasPrefix("am") { pm = false } else if rest.hasPrefix("pm") { pm = true } else { throw fail }
                    pos += 2
                case "z":
                    while pos < input.count, "+-:0123456789Z".contains(input[pos]) { pos += 1 }
                case "%":
                    guard pos < input.count, input[pos] == "%" else { throw fail }
                    pos += 1
                default:
                    throw JinjaError(.value, "'\(d)' is a bad directive in format '\(format)'")
                }
            } else if f.isWhitespace {
                i += 1
                while pos < input.count, input[pos].isWhitespace { pos += 1 }
            } else {
                guard pos < input.count, input[pos] == f else { throw fail }
                pos += 1; i += 1
            }
        }
        guard pos == input.count else { throw JinjaError(.value, "unconverted data remains: \(String(input[pos...]))") }
        if let pm { hour = hour % 12 + (pm ? 12 : 0) }
        guard (1...12).contains(month), (0...23).contains(hour), (0...59).contains(minute), (0...61).contains(second) else { throw fail }
        var components = DateComponents()
        components.year = year; components.month = month; components.day = 1
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        if let first = calendar.date(from: components), let range = calendar.range(of: .day, in: .month, for: first) {
            if day > range.count {
                // %j: day-of-year overflows into later months.
                guard let date = calendar.date(byAdding: .day, value: day - 1, to: first) else { throw fail }
                let parts = calendar.dateComponents([.month, .day], from: date)
                month = parts.month ?? month; day = parts.day ?? day
            }
        }
        guard day >= 1 else { throw fail }
        return PythonDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second, microsecond: micro)
    }

    static func toDateTime(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        guard let text = v.stringValue else {
            throw JinjaError(.type, "strptime() argument 1 must be str, not \(v.pythonTypeName)")
        }
        let format = FilterSupport.string(a.value(0, "format"), "%Y-%m-%d %H:%M:%S")
        return .object(try parse(text, format: format))
    }

    static func random(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let start = a.value(0, "start") ?? .null
        let step = a.value(1, "step") ?? .null
        let seed = a.value(2, "seed") ?? .null
        var generator: PythonRandom? = seed.isNull ? nil : PythonRandom(seed: seed)
        switch v {
        case .int(let end):
            let s = start.isTruthy ? try FilterSupport.int(start, 0, name: "start") : 0
            let st = step.isTruthy ? try FilterSupport.int(step, 1, name: "step") : 1
            if generator != nil { return .int(try generator!.randrange(s, end, st)) }
            let (width, o1) = end.subtractingReportingOverflow(s)
            guard st != 0, !o1 else { throw JinjaError(.value, "empty range in randrange(\(s), \(end), \(st))") }
            let (padded, o2) = width.addingReportingOverflow(st > 0 ? st - 1 : st + 1)
            let count = o2 ? 0 : padded / st
            guard count > 0 else { throw JinjaError(.value, "empty range in randrange(\(s), \(end), \(st))") }
            return .int(s &+ st &* Int.random(in: 0..<count))
        case .list, .dict, .string, .unsafe:
            if start.isTruthy || step.isTruthy {
                throw FilterSupport.filterError("start and step can only be used with integer values")
            }
            let items = try FilterSupport.iterate(v)
            guard !items.isEmpty else { throw JinjaError(.runtime, "IndexError: Cannot choose from an empty sequence") }
            if generator != nil { return items[generator!.below(items.count)] }
            return items.randomElement()!
        default:
            throw FilterSupport.filterError("random can only be used on sequences and integers")
        }
    }

    static func shuffle(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        guard var items = try? FilterSupport.iterate(v) else { return v }
        let seed = a.value(0, "seed") ?? .null
        if seed.isTruthy {
            var generator = PythonRandom(seed: seed)
            generator.shuffle(&items)
        } else {
            items.shuffle()
        }
        return .list(items)
    }
}
