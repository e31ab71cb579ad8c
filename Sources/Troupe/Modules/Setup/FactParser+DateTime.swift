import Foundation
import Jinja

/// `date_time`: the host's local clock from one `date` call, the UTC forms computed here.
extension FactParser {
    mutating func collectDateTime() {
        guard let line = sections.command("date") else { return }
        let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard fields.count >= 13, let epoch = Int(fields[11]) else { return }
        let (year, month, day, hour, minute, second) = (fields[0], fields[1], fields[2], fields[3], fields[4], fields[5])
        // %N is GNU; BusyBox may print it literally or not at all.
        let nanos = fields[12].allSatisfy(\.isNumber) && !fields[12].isEmpty ? fields[12] : "000000000"
        let micro = String((nanos + "000000").prefix(6))
        let tz = fields[9]
        var utc = tm()
        var seconds = time_t(epoch)
        gmtime_r(&seconds, &utc)
        let utcDate = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", Int(utc.tm_year) + 1900, Int(utc.tm_mon) + 1,
                             Int(utc.tm_mday), Int(utc.tm_hour), Int(utc.tm_min), Int(utc.tm_sec))
        facts["date_time"] = .dict(.factDict([
            "date": .string("\(year)-\(month)-\(day)"),
            "day": .string(day),
            "epoch": .string(String(epoch)),
            "epoch_int": .string(String(epoch)),
            "hour": .string(hour),
            "iso8601": .string(utcDate + "Z"),
            "iso8601_basic": .string("\(year)\(month)\(day)T\(hour)\(minute)\(second)\(micro)"),
            "iso8601_basic_short": .string("\(year)\(month)\(day)T\(hour)\(minute)\(second)"),
            "iso8601_micro": .string(utcDate + "." + micro + "Z"),
            "minute": .string(minute),
            "month": .string(month),
            "second": .string(second),
            "time": .string("\(hour):\(minute):\(second)"),
            "tz": .string(tz),
            "tz_dst": .string(daylightSavingName(standard: tz)),
            "tz_offset": .string(fields[10]),
            "weekday": .string(fields[6]),
            "weekday_number": .string(fields[7]),
            "weeknumber": .string(fields[8]),
            "year": .string(year),
        ]))
    }

    /// Python's `time.tzname[1]`: the zone's daylight-saving name, found by asking `date`
    /// about January and July; zones without DST give their only name.
    func daylightSavingName(standard: String) -> String {
        func zone(_ command: String) -> (name: String, offset: Int)? {
            let parts = (sections.command(command) ?? "").split(separator: "|").map(String.init)
            guard parts.count == 2, let offset = Int(parts[1].replacingOccurrences(of: "+", with: "")) else { return nil }
            return (parts[0], offset)
        }
        guard let january = zone("tz_jan"), let july = zone("tz_jul") else { return standard }
        if january.offset == july.offset { return january.name }
        return january.offset > july.offset ? january.name : july.name
    }
}
