import Foundation
import Testing
@testable import Expressions

/// SHOW's time text agrees with Foundation's formatter in the process's time zone, across eras, leap days and seconds.
@Suite struct DateTimeTextTests {
    static func reference(_ t: Double) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.calendar = Calendar(identifier: .gregorian)
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return f.string(from: Date(timeIntervalSince1970: t))
    }

    @Test func matchesFoundationsFormatter() {
        var generator = SystemRandomNumberGenerator()
        // From 1900 on (Foundation switches to the Julian calendar before 1582; MySQL never does).
        let samples: [Double] = [0, -1, 86_399.9, 951_782_400, 951_868_799, 1_718_031_441, 4_107_542_399, -2_208_988_800]
            + (0..<2000).map { _ in Double.random(in: -2_208_988_800...4_102_444_800, using: &generator).rounded(.down) }
        for t in samples { #expect(DateTimeText.format(epochSeconds: t) == Self.reference(t), "t = \(t)") }
    }

    @Test func civilDaysCoverTheCalendarsCorners() {
        #expect(DateTimeText.civil(days: 0) == (1970, 1, 1))
        #expect(DateTimeText.civil(days: 11_016) == (2000, 2, 29))
        #expect(DateTimeText.civil(days: -719_162) == (1, 1, 1))
        #expect(DateTimeText.civil(days: 2_932_896) == (9999, 12, 31))
    }
}
