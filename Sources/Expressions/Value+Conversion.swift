import SQLParser

/// Why a value cannot be stored in a column of some type.
public struct ConversionError: Error, Equatable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// StarRocks' conversions of loaded values to a column type (strict mode): numbers must parse and fit,
/// strings must fit their length in bytes, dates must be real calendar dates. The result is the
/// canonical stored form: integers as `.int`, decimals as fixed-scale text, dates as `YYYY-MM-DD`.
extension Value {
    public func converted(to type: SQLType) throws(ConversionError) -> Value {
        if self == .null { return .null }
        switch type {
        case .boolean:
            switch self {
            case .int(let i): return .int(i == 0 ? 0 : 1)
            case .double(let d): return .int(d == 0 ? 0 : 1)
            default:
                switch (text ?? "").trimmed.lowercased() {
                case "1", "true": return .int(1)
                case "0", "false": return .int(0)
                default: throw fail(type)
                }
            }
        case .tinyint, .smallint, .int, .bigint: return try integer(in: type.integerRange!, type)
        case .largeint:
            let s = (text ?? "").trimmed
            let digits = s.hasPrefix("-") || s.hasPrefix("+") ? s.dropFirst() : Substring(s)
            guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), digits.count <= 39 else { throw fail(type) }
            return Int64(s).map(Value.int) ?? .decimal(s)
        case .float, .double:
            switch self {
            case .int(let i): return .double(Double(i))
            case .double: return self
            default:
                guard let d = Double((text ?? "").trimmed), d.isFinite else { throw fail(type) }
                return .double(d)
            }
        case .decimal(let p, let s):
            guard let d = Self.decimal(text ?? "", precision: p, scale: s) else { throw fail(type) }
            return .decimal(d)
        case .date:
            guard let d = Self.date(text ?? "") else { throw fail(type) }
            return .string(d)
        case .datetime:
            guard let d = Self.datetime(text ?? "") else { throw fail(type) }
            return .string(d)
        case .char(let n), .varchar(let n):
            let s = text ?? ""
            guard s.utf8.count <= n else {
                throw ConversionError("value is \(s.utf8.count) bytes, longer than \(type.describeName)")
            }
            return .string(s)
        case .array(let inner):
            // A JSON array whose every element converts to the element type; stored as the JSON text StarRocks shows
            // (`[1,2,3]`, `["a","b"]`, `null` for a NULL element).
            guard let elements = JSONText.arrayElements(text ?? "") else { throw fail(type) }
            var parts: [String] = []
            parts.reserveCapacity(elements.count)
            for element in elements {
                let c = try element.converted(to: inner)
                switch (c, inner) {
                case (.null, _): parts.append("null")
                case (_, .boolean), (_, .tinyint), (_, .smallint), (_, .int), (_, .bigint), (_, .largeint), (_, .float), (_, .double),
                     (_, .decimal), (_, .array): parts.append(c.text ?? "null")
                default: parts.append(JSONString.quoted(c.text ?? ""))
                }
            }
            return .string("[" + parts.joined(separator: ",") + "]")
        default:
            return .string(text ?? "")
        }
    }

    private func fail(_ type: SQLType) -> ConversionError {
        ConversionError("'\(text ?? "NULL")' is not a valid \(type.describeName)")
    }

    private func integer(in range: ClosedRange<Int64>, _ type: SQLType) throws(ConversionError) -> Value {
        let v: Int64?
        switch self {
        case .int(let i): v = i
        case .double(let d): v = d.isFinite && d >= -9.2e18 && d <= 9.2e18 ? Int64(d) : nil
        default:
            let s = (text ?? "").trimmed
            if let i = Int64(s) { v = i } else if let d = Double(s), d.isFinite, d >= -9.2e18, d <= 9.2e18, s.contains(".") { v = Int64(d) } else { v = nil }
        }
        guard let v else { throw fail(type) }
        guard range.contains(v) else { throw ConversionError("\(v) is out of range for \(type.describeName)") }
        return .int(v)
    }

    /// Fixed-scale decimal text, rounded half away from zero; nil if not a number or too many integer digits.
    public static func decimal(_ raw: String, precision: Int, scale: Int) -> String? {
        var s = raw.trimmed
        var negative = false
        if s.hasPrefix("-") { negative = true; s.removeFirst() } else if s.hasPrefix("+") { s.removeFirst() }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, !s.isEmpty else { return nil }
        var intPart = Array(parts[0]), frac = parts.count == 2 ? Array(parts[1]) : []
        guard intPart.allSatisfy(\.isASCIIDigit), frac.allSatisfy(\.isASCIIDigit), !(intPart.isEmpty && frac.isEmpty) else { return nil }
        var roundUp = false
        if frac.count > scale { roundUp = frac[scale] >= "5"; frac = Array(frac[0..<scale]) }
        while frac.count < scale { frac.append("0") }
        var digits = intPart + frac
        if roundUp {
            var i = digits.count - 1
            while i >= 0 {
                if digits[i] == "9" { digits[i] = "0"; i -= 1 } else { digits[i] = Character(String(digits[i].wholeNumberValue! + 1)); break }
            }
            if i < 0 { digits.insert("1", at: 0) }
        }
        intPart = Array(digits[0..<(digits.count - scale)])
        frac = Array(digits[(digits.count - scale)...])
        while intPart.count > 1, intPart.first == "0" { intPart.removeFirst() }
        if intPart.isEmpty { intPart = ["0"] }
        guard intPart.count <= precision - scale || (intPart == ["0"]) else { return nil }
        let body = String(intPart) + (scale > 0 ? "." + String(frac) : "")
        let isZero = !body.contains { $0 != "0" && $0 != "." }
        return (negative && !isZero ? "-" : "") + body
    }

    /// `YYYY-MM-DD` from `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYYMMDD` or a datetime's date part.
    static func date(_ raw: String) -> String? {
        let s = raw.trimmed
        if s.count == 8, s.allSatisfy(\.isASCIIDigit) {
            return validDate(Int(s.prefix(4))!, Int(s.dropFirst(4).prefix(2))!, Int(s.suffix(2))!)
        }
        let datePart = s.split(whereSeparator: { $0 == " " || $0 == "T" }).first.map(String.init) ?? ""
        let f = datePart.split(whereSeparator: { $0 == "-" || $0 == "/" })
        guard f.count == 3, f[0].count == 4, let y = Int(f[0]), let m = Int(f[1]), let d = Int(f[2]) else { return nil }
        if datePart.count != s.count, datetime(s) == nil { return nil }
        return validDate(y, m, d)
    }

    /// `YYYY-MM-DD HH:MM:SS[.ffffff]` from common datetime spellings; a date alone means midnight.
    static func datetime(_ raw: String) -> String? {
        var s = raw.trimmed
        if s.count == 14, s.allSatisfy(\.isASCIIDigit) {
            let c = Array(s)
            s = String(c[0..<4]) + "-" + String(c[4..<6]) + "-" + String(c[6..<8]) + " " + String(c[8..<10]) + ":" + String(c[10..<12]) + ":" + String(c[12..<14])
        }
        let halves = s.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "T" })
        guard let first = halves.first, let day = date(String(first)) else { return nil }
        guard halves.count == 2 else { return day + " 00:00:00" }
        var time = String(halves[1])
        var fraction = ""
        if let dot = time.firstIndex(of: ".") {
            fraction = String(time[time.index(after: dot)...])
            time = String(time[..<dot])
            guard fraction.count <= 6, fraction.allSatisfy(\.isASCIIDigit) else { return nil }
        }
        let t = time.split(separator: ":")
        guard t.count == 3 || t.count == 2, let h = Int(t[0]), let mi = Int(t[1]), (0...23).contains(h), (0...59).contains(mi) else { return nil }
        let sec = t.count == 3 ? Int(t[2]) : 0
        guard let sec, (0...59).contains(sec) else { return nil }
        let frac = fraction.isEmpty || Int(fraction) == 0 ? "" : "." + fraction.padding(toLength: 6, withPad: "0")
        return day + " " + pad2(h) + ":" + pad2(mi) + ":" + pad2(sec) + frac
    }

    private static func validDate(_ y: Int, _ m: Int, _ d: Int) -> String? {
        guard (0...9999).contains(y), (1...12).contains(m), d >= 1 else { return nil }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        guard d <= days else { return nil }
        return String(repeating: "0", count: 4 - String(y).count) + String(y) + "-" + pad2(m) + "-" + pad2(d)
    }

    private static func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
}

extension String {
    func padding(toLength n: Int, withPad c: Character) -> String { count >= n ? self : self + String(repeating: c, count: n - count) }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
