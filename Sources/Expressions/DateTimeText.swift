import Foundation

/// `yyyy-MM-dd HH:mm:ss` in the FE's time zone: how SHOW output, information_schema and CURRENT_TIMESTAMP
/// defaults print a time.
public enum DateTimeText {
    public static func format(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return f.string(from: date)
    }

    public static func format(epochSeconds t: Double) -> String { format(Date(timeIntervalSince1970: t)) }
}
