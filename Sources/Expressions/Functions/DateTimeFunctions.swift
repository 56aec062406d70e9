import Foundation
import SQLParser

/// Date and time functions with MySQL/StarRocks semantics: from_unixtime, unix_timestamp, date_format,
/// str_to_date, date, to_date, year ... second, datediff.
enum DateTimeFunctions {
    static let all: [ScalarFunction] = [
        ScalarFunction("from_unixtime", 1...2, returns: FunctionLibrary.varchar) { a, ctx in
            guard let ts = a[0].integer, ts >= 0, ts <= 253_402_300_799 else { return .null }
            let format = a.count > 1 ? a[1].string : "%Y-%m-%d %H:%i:%s"
            guard let format else { return .null }
            return .string(DateFormat.format(Date(timeIntervalSince1970: Double(ts)), format, ctx.timeZone))
        },
        ScalarFunction("unix_timestamp", 0...1, returns: FunctionLibrary.bigint) { a, ctx in
            guard let s = a.first else { return .int(Int64(Date().timeIntervalSince1970)) }
            guard let d = parse(s, ctx) else { return .null }
            return .int(Int64(d.timeIntervalSince1970))
        },
        ScalarFunction("date_format", 2...2, returns: FunctionLibrary.varchar) { a, ctx in
            guard let d = parse(a[0], ctx), let f = a[1].string else { return .null }
            return .string(DateFormat.format(d, f, ctx.timeZone))
        },
        ScalarFunction("str_to_date", 2...2, returns: { _ in .datetime }) { a, ctx in
            guard let s = a[0].string, let f = a[1].string, let d = DateFormat.parse(s, f, ctx.timeZone) else { return .null }
            return .string(DateFormat.format(d, "%Y-%m-%d %H:%i:%s", ctx.timeZone))
        },
        ScalarFunction("date", 1...1, returns: { _ in .date }) { a, _ in datePart(a[0]) },
        ScalarFunction("to_date", 1...1, returns: { _ in .date }) { a, _ in datePart(a[0]) },
        field("year", .year), field("month", .month), field("day", .day), field("dayofmonth", .day),
        field("hour", .hour), field("minute", .minute), field("second", .second),
        ScalarFunction("datediff", 2...2, returns: FunctionLibrary.bigint) { a, ctx in
            guard let x = datePart(a[0]).string.flatMap({ parse(.string($0), ctx) }),
                  let y = datePart(a[1]).string.flatMap({ parse(.string($0), ctx) }) else { return .null }
            return .int(Int64(((x.timeIntervalSince1970 - y.timeIntervalSince1970) / 86400).rounded()))
        },
    ]

    private static func field(_ name: String, _ component: Calendar.Component) -> ScalarFunction {
        ScalarFunction(name, 1...1, returns: FunctionLibrary.bigint) { a, ctx in
            guard let d = parse(a[0], ctx) else { return .null }
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = ctx.timeZone
            return .int(Int64(cal.component(component, from: d)))
        }
    }

    private static func datePart(_ v: Value) -> Value {
        guard let s = v.string, let dt = try? Value.string(s).converted(to: .datetime) else { return .null }
        return .string(String(dt.text!.prefix(10)))
    }

    /// A datetime or date string in the session time zone.
    static func parse(_ v: Value, _ ctx: FunctionContext) -> Date? {
        guard let s = v.string, let canonical = try? Value.string(s).converted(to: .datetime).text else { return nil }
        return DateFormat.parse(String(canonical.prefix(19)), "%Y-%m-%d %H:%i:%s", ctx.timeZone)
    }
}

/// MySQL's date format specifiers (%Y %m %d %H %i %s ...), both ways.
public enum DateFormat {
    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    static let days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    public static func format(_ date: Date, _ format: String, _ tz: TimeZone) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = tz
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday, .nanosecond], from: date)
        let (y, mo, d, h, mi, s) = (c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
        func p(_ v: Int, _ n: Int = 2) -> String { let t = String(v); return String(repeating: "0", count: max(0, n - t.count)) + t }
        var out = ""
        var it = format.makeIterator()
        while let ch = it.next() {
            guard ch == "%", let spec = it.next() else { out.append(ch); continue }
            switch spec {
            case "Y": out += p(y, 4)
            case "y": out += p(y % 100)
            case "m": out += p(mo)
            case "c": out += String(mo)
            case "d": out += p(d)
            case "e": out += String(d)
            case "H": out += p(h)
            case "k": out += String(h)
            case "h", "I": out += p(h % 12 == 0 ? 12 : h % 12)
            case "l": out += String(h % 12 == 0 ? 12 : h % 12)
            case "i": out += p(mi)
            case "s", "S": out += p(s)
            case "f": out += p((c.nanosecond ?? 0) / 1000, 6)
            case "p": out += h < 12 ? "AM" : "PM"
            case "M": out += months[mo - 1]
            case "b": out += String(months[mo - 1].prefix(3))
            case "W": out += days[c.weekday! - 1]
            case "a": out += String(days[c.weekday! - 1].prefix(3))
            case "j": out += p(cal.ordinality(of: .day, in: .year, for: date) ?? 0, 3)
            case "T": out += "\(p(h)):\(p(mi)):\(p(s))"
            case "r": out += "\(p(h % 12 == 0 ? 12 : h % 12)):\(p(mi)):\(p(s)) \(h < 12 ? "AM" : "PM")"
            case "%": out += "%"
            default: out.append(spec)
            }
        }
        return out
    }

    /// Parses `text` by a MySQL format; nil if it does not match.
    static func parse(_ text: String, _ format: String, _ tz: TimeZone) -> Date? {
        var c = DateComponents(year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0)
        var pm: Bool?
        let s = Array(text)
        var i = 0
        func number(_ maxDigits: Int) -> Int? {
            var j = i
            while j < s.count, j - i < maxDigits, s[j].isASCIIDigit { j += 1 }
            guard j > i else { return nil }
            defer { i = j }
            return Int(String(s[i..<j]))
        }
        var it = format.makeIterator()
        while let ch = it.next() {
            if ch != "%" {
                guard i < s.count, s[i] == ch else { return nil }
                i += 1
                continue
            }
            guard let spec = it.next() else { return nil }
            switch spec {
            case "Y": guard let v = number(4) else { return nil }; c.year = v
            case "y": guard let v = number(2) else { return nil }; c.year = v < 70 ? 2000 + v : 1900 + v
            case "m", "c": guard let v = number(2) else { return nil }; c.month = v
            case "d", "e": guard let v = number(2) else { return nil }; c.day = v
            case "H", "k", "h", "I", "l": guard let v = number(2) else { return nil }; c.hour = v
            case "i": guard let v = number(2) else { return nil }; c.minute = v
            case "s", "S": guard let v = number(2) else { return nil }; c.second = v
            case "f": guard number(6) != nil else { return nil }
            case "p":
                guard i + 1 < s.count else { return nil }
                pm = String(s[i...(i + 1)]).uppercased() == "PM"; i += 2
            case "%": guard i < s.count, s[i] == "%" else { return nil }; i += 1
            default: return nil
            }
        }
        guard i == s.count else { return nil }
        if let pm, let h = c.hour { c.hour = (h % 12) + (pm ? 12 : 0) }
        guard let mo = c.month, (1...12).contains(mo), let d = c.day, (1...31).contains(d), (0...23).contains(c.hour!),
              (0...59).contains(c.minute!), (0...59).contains(c.second!) else { return nil }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = tz
        guard let date = cal.date(from: c), cal.component(.day, from: date) == d else { return nil }
        return date
    }
}
