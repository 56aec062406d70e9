import Foundation
import SQLParser

/// A scalar function: its arity, result type and a pure implementation over values. The same
/// definitions are registered into SQLite for queries and will run in the load pipeline, so loads
/// and queries agree. Bad input gives NULL, as in StarRocks.
public struct ScalarFunction: Sendable {
    public let name: String
    public let arity: ClosedRange<Int>
    public let returnType: @Sendable ([SQLType?]) -> SQLType?
    public let evaluate: @Sendable ([Value], FunctionContext) -> Value

    /// The name it is registered under in SQLite: prefixed, so no library function can collide with
    /// SQLite's keywords (`right`) or built-ins (`date`, `replace`).
    public var sqliteName: String { "tr_" + name }

    public init(_ name: String, _ arity: ClosedRange<Int>, returns: @escaping @Sendable ([SQLType?]) -> SQLType?,
                _ evaluate: @escaping @Sendable ([Value], FunctionContext) -> Value) {
        self.name = name; self.arity = arity; self.returnType = returns; self.evaluate = evaluate
    }
}

/// What functions may depend on besides their arguments: the session's time zone.
public struct FunctionContext: Sendable {
    public var timeZone: TimeZone
    public init(timeZone: TimeZone = .current) { self.timeZone = timeZone }
}

/// Every scalar function by lower-case name.
public enum FunctionLibrary {
    public static let functions: [String: ScalarFunction] = {
        var all: [String: ScalarFunction] = [:]
        for f in DateTimeFunctions.all + StringFunctions.all + MathFunctions.all { all[f.name] = f }
        return all
    }()

    public static func function(named name: String) -> ScalarFunction? { functions[name.lowercased()] }

    static let varchar: @Sendable ([SQLType?]) -> SQLType? = { _ in .varchar(SQLType.stringLength) }
    static let bigint: @Sendable ([SQLType?]) -> SQLType? = { _ in .bigint }
    static let double: @Sendable ([SQLType?]) -> SQLType? = { _ in .double }
    static let first: @Sendable ([SQLType?]) -> SQLType? = { $0.first ?? nil }
    /// The widest argument type: any floating or decimal argument makes the result DOUBLE.
    static let widest: @Sendable ([SQLType?]) -> SQLType? = { types in
        if types.contains(where: { if case .decimal? = $0 { return true }; return $0 == .double || $0 == .float }) { return .double }
        return types.first ?? nil
    }
}

extension Value {
    /// The value as a number, or nil (strings are parsed like StarRocks' implicit casts).
    public var number: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .decimal(let s), .string(let s): return Double(s.trimmed)
        default: return nil
        }
    }
    public var integer: Int64? {
        switch self {
        case .int(let i): return i
        default: return number.flatMap { $0.isFinite && abs($0) < 9.2e18 ? Int64($0) : nil }
        }
    }
    var string: String? { self == .null ? nil : text }
}
