import Foundation
import SQLParser

/// Math functions (SQLite's math extension is not always compiled in).
enum MathFunctions {
    static let all: [ScalarFunction] = [
        unary("sqrt") { $0 < 0 ? nil : sqrt($0) }, unary("ln") { $0 <= 0 ? nil : log($0) }, unary("log10") { $0 <= 0 ? nil : log10($0) },
        unary("log2") { $0 <= 0 ? nil : log2($0) }, unary("exp") { exp($0) }, unary("sin") { sin($0) }, unary("cos") { cos($0) },
        ScalarFunction("pow", 2...2, returns: FunctionLibrary.double) { a, _ in
            guard let x = a[0].number, let y = a[1].number else { return .null }
            let r = Foundation.pow(x, y)
            return r.isFinite ? .double(r) : .null
        },
        ScalarFunction("mod", 2...2, returns: { t in t.allSatisfy { $0?.isInteger == true } ? .bigint : .double }) { a, _ in
            if case .int(let x) = a[0], case .int(let y) = a[1] { return y == 0 ? .null : .int(x % y) }
            guard let x = a[0].number, let y = a[1].number, y != 0 else { return .null }
            return .double(fmod(x, y))
        },
        ScalarFunction("greatest", 1...64, returns: FunctionLibrary.widest) { a, _ in extreme(a, greatest: true) },
        ScalarFunction("least", 1...64, returns: FunctionLibrary.widest) { a, _ in extreme(a, greatest: false) },
        ScalarFunction("truncate", 2...2, returns: FunctionLibrary.double) { a, _ in
            guard let x = a[0].number, let d = a[1].integer else { return .null }
            let f = Foundation.pow(10.0, Double(d))
            return .double((x * f).rounded(.towardZero) / f)
        },
        ScalarFunction("pi", 0...0, returns: FunctionLibrary.double) { _, _ in .double(Double.pi) },
    ]

    private static func unary(_ name: String, _ f: @escaping @Sendable (Double) -> Double?) -> ScalarFunction {
        ScalarFunction(name, 1...1, returns: FunctionLibrary.double) { a, _ in
            guard let x = a[0].number, let r = f(x), r.isFinite else { return .null }
            return .double(r)
        }
    }

    /// GREATEST / LEAST: NULL if any argument is NULL; numeric comparison when all are numbers, else text.
    private static func extreme(_ a: [Value], greatest: Bool) -> Value {
        guard !a.contains(.null) else { return .null }
        let nums = a.compactMap(\.number)
        var best = 0
        for i in 1..<a.count {
            let better = nums.count == a.count ? (greatest ? nums[i] > nums[best] : nums[i] < nums[best])
                                               : (greatest ? a[i].text! > a[best].text! : a[i].text! < a[best].text!)
            if better { best = i }
        }
        return a[best]
    }
}
