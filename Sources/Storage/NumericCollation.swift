import Foundation
import GRDB
import GRDBSQLite

/// DECIMAL and LARGEINT values are kept as decimal text, so a 128-bit integer or a DECIMAL(38) reads back exactly
/// (SQLite's numbers are 64-bit integers and doubles). Their columns are declared `TEXT COLLATE tr_numeric`: this
/// collation orders and equates such text by numeric value, so `=`, `<`, ORDER BY, GROUP BY, MIN/MAX, DISTINCT and key
/// lookups behave as on numbers. Arithmetic on them still goes through SQLite's numbers.
enum NumericCollation {
    static let name = "tr_numeric"

    static func register(on db: Database) {
        db.add(collation: DatabaseCollation(name) { a, b in compare(a, b) })
    }

    /// The same on a connection opened with SQLite's C API (segment files).
    static func register(on connection: OpaquePointer) {
        sqlite3_create_collation_v2(connection, name, SQLITE_UTF8, nil, { _, la, a, lb, b in
            let x = String(decoding: UnsafeRawBufferPointer(start: a, count: Int(la)), as: UTF8.self)
            let y = String(decoding: UnsafeRawBufferPointer(start: b, count: Int(lb)), as: UTF8.self)
            return Int32(NumericCollation.compare(x, y).rawValue)
        }, nil)
    }

    /// Numeric order of two decimal texts (`-12.50`, `170141183460469231731687303715884105727`); texts that are not
    /// plain decimals (exponents from older REAL values, garbage) compare as doubles, then bytewise.
    static func compare(_ a: String, _ b: String) -> ComparisonResult {
        if let x = Decimal(a), let y = Decimal(b) { return x.compare(y) }
        if let x = finite(a), let y = finite(b) { return x < y ? .orderedAscending : x > y ? .orderedDescending : .orderedSame }
        return a < b ? .orderedAscending : a > b ? .orderedDescending : .orderedSame
    }

    /// A number in decimal or exponent notation (`1.0e+20`, what SQLite makes of a REAL); never NaN or infinity,
    /// which would make the order inconsistent.
    private static func finite(_ s: String) -> Double? {
        guard s.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2B || $0 == 0x2D || $0 == 0x65 || $0 == 0x45 }),
              let d = Double(s), d.isFinite else { return nil }
        return d
    }

    /// A decimal text split into sign, integer digits without leading zeros, and fraction digits without trailing ones.
    struct Decimal {
        let negative: Bool
        let integer: Substring
        let fraction: Substring

        init?(_ text: String) {
            var s = Substring(text.trimmingCharacters(in: .whitespaces))
            var negative = false
            if s.first == "-" || s.first == "+" { negative = s.first == "-"; s = s.dropFirst() }
            let parts = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            guard !s.isEmpty, parts.count <= 2, parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                  !(parts[0].isEmpty && (parts.count == 1 || parts[1].isEmpty)) else { return nil }
            integer = parts[0].drop { $0 == "0" }
            fraction = parts.count == 2 ? parts[1].prefix(parts[1].count - parts[1].reversed().prefix { $0 == "0" }.count) : ""
            self.negative = negative && !(integer.isEmpty && fraction.isEmpty)        // -0 is 0
        }

        func compare(_ other: Decimal) -> ComparisonResult {
            if negative != other.negative { return negative ? .orderedAscending : .orderedDescending }
            let magnitude = Self.compareMagnitude(self, other)
            return negative ? magnitude.reversed : magnitude
        }

        private static func compareMagnitude(_ a: Decimal, _ b: Decimal) -> ComparisonResult {
            if a.integer.count != b.integer.count { return a.integer.count < b.integer.count ? .orderedAscending : .orderedDescending }
            if a.integer != b.integer { return a.integer < b.integer ? .orderedAscending : .orderedDescending }
            if a.fraction == b.fraction { return .orderedSame }
            return a.fraction < b.fraction ? .orderedAscending : .orderedDescending     // digits without trailing zeros
        }
    }
}

extension ComparisonResult {
    var reversed: ComparisonResult {
        switch self {
        case .orderedAscending: return .orderedDescending
        case .orderedDescending: return .orderedAscending
        case .orderedSame: return .orderedSame
        }
    }
}
