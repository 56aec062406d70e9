import Foundation
import Testing
@testable import Storage

@Suite struct NumericCollationTests {
    @Test func decimalTextIsOrderedByValue() {
        let ordered = ["-170141183460469231731687303715884105728", "-9223372036854775809", "-1.5", "-1.25", "-0.5", "0", "0.05", "0.5",
                       "1", "1.25", "9", "10", "9223372036854775807", "9223372036854775808", "100000000000000000000",
                       "170141183460469231731687303715884105727"]
        for (i, a) in ordered.enumerated() {
            for (j, b) in ordered.enumerated() {
                let expected: ComparisonResult = i < j ? .orderedAscending : i > j ? .orderedDescending : .orderedSame
                #expect(NumericCollation.compare(a, b) == expected, "\(a) vs \(b)")
            }
        }
        #expect(NumericCollation.compare("1.50", "1.5") == .orderedSame)
        #expect(NumericCollation.compare("-0", "0.000") == .orderedSame)
        #expect(NumericCollation.compare("007", "7") == .orderedSame)
        #expect(NumericCollation.compare("1.0e+21", "99999999999999999999") == .orderedDescending)   // older REAL values
        #expect(NumericCollation.compare("abc", "abd") == .orderedAscending)
    }
}
