import SQLParser

/// A SQL value as it flows through results. Decimals keep their exact text.
public enum Value: Equatable, Hashable, Sendable {
    case null
    case int(Int64)
    case double(Double)
    case decimal(String)
    case string(String)
    case bytes([UInt8])

    public var isNull: Bool { self == .null }

    /// The value in MySQL's text protocol, or nil for NULL. Doubles print like MySQL: `1` not `1.0`,
    /// `1e20` not `1e+20`.
    public var text: String? {
        switch self {
        case .null: return nil
        case .int(let v): return String(v)
        case .double(let d): return Self.format(d)
        case .decimal(let s), .string(let s): return s
        case .bytes(let b): return String(decoding: b, as: UTF8.self)
        }
    }

    public static func format(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        var s = "\(d)"
        if let e = s.firstIndex(of: "e") {
            var mantissa = String(s[..<e])
            if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
            var exponent = String(s[s.index(after: e)...])
            if exponent.hasPrefix("+") { exponent.removeFirst() }
            s = mantissa + "e" + exponent
        }
        return s
    }

    /// A literal as a value (integers outside Int64 and decimals keep their text).
    public init(_ literal: Literal) {
        switch literal {
        case .null: self = .null
        case .boolean(let b): self = .int(b ? 1 : 0)
        case .integer(let s): self = Int64(s).map(Value.int) ?? .decimal(s)
        case .decimal(let s): self = .decimal(s)
        case .float(let s): self = Double(s).map(Value.double) ?? .string(s)
        case .string(let s): self = .string(s)
        }
    }

    /// The value as a literal expression, for binding session values into a query.
    public var literal: Literal {
        switch self {
        case .null: return .null
        case .int(let v): return .integer(String(v))
        case .double(let d): return .float("\(d)")
        case .decimal(let s): return .decimal(s)
        case .string(let s): return .string(s)
        case .bytes(let b): return .string(String(decoding: b, as: UTF8.self))
        }
    }
}
