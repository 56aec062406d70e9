import Foundation

/// Time-zone names the FE accepts: those the system's time-zone database knows.
enum KnownTimeZones {
    static func isValid(_ name: String) -> Bool { TimeZone(identifier: name) != nil }
}
