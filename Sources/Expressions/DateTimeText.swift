import Foundation

/// `yyyy-MM-dd HH:mm:ss` in the FE's time zone: how SHOW output, information_schema and CURRENT_TIMESTAMP
/// defaults print a time. Plain calendar arithmetic (proleptic Gregorian, as MySQL prints DATETIME) with the zone's
/// offset at that moment: SHOW ROUTINE LOAD prints a few times per job, and a DateFormatter per call cost more
/// than the rest of the row.
public enum DateTimeText {
    public static func format(_ date: Date) -> String {
        let t = date.timeIntervalSince1970
        guard t.isFinite, abs(t) < 253_402_300_800 else { return "0000-00-00 00:00:00" }    // outside years 0001–9999
        let local = Int64(t.rounded(.down)) + Int64(TimeZone.current.secondsFromGMT(for: date))
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let seconds = Int(local - days * 86_400)
        let (y, m, d) = civil(days: days)
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + " " + pad(seconds / 3600, 2) + ":" + pad(seconds / 60 % 60, 2) + ":"
            + pad(seconds % 60, 2)
    }

    public static func format(epochSeconds t: Double) -> String { format(Date(timeIntervalSince1970: t)) }

    /// A time zone as sessions and jobs name it: `SYSTEM`, an IANA name (`Asia/Tokyo`), `UTC`, or an offset
    /// (`+08:00`, `-03:30`). The one place these names are turned into zones.
    public static func timeZone(named name: String) -> TimeZone {
        guard name.uppercased() != "SYSTEM" else { return .current }
        if let tz = TimeZone(identifier: name) { return tz }
        let sign: Int = name.hasPrefix("-") ? -1 : 1
        let parts = name.drop { $0 == "+" || $0 == "-" }.split(separator: ":").compactMap { Int($0) }
        if parts.count == 2, let tz = TimeZone(secondsFromGMT: sign * (parts[0] * 3600 + parts[1] * 60)) { return tz }
        return .current
    }

    /// `yyyy-MM-dd HH:mm:ss` (or `yyyy-MM-dd`) as a moment in `zone`; nil for anything else.
    public static func parse(_ text: String, in zone: TimeZone) -> Date? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let shape = t.count == 10 ? "dddd-dd-dd" : "dddd-dd-dd dd:dd:dd"
        guard t.count == shape.count, zip(t, shape).allSatisfy({ $1 == "d" ? $0.isASCII && $0.isNumber : $0 == $1 }) else { return nil }
        return DateFormat.parse(t, t.count == 10 ? "%Y-%m-%d" : "%Y-%m-%d %H:%i:%s", zone)
    }

    /// Year, month, day of a count of days since 1970-01-01 (H. Hinnant's `civil_from_days`).
    static func civil(days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(yoe + era * 400 + (m <= 2 ? 1 : 0)), Int(m), Int(d))
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
