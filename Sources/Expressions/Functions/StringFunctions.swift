import SQLParser

/// String functions beyond what SQLite has natively.
enum StringFunctions {
    static let all: [ScalarFunction] = [
        ScalarFunction("lpad", 3...3, returns: FunctionLibrary.varchar) { a, _ in pad(a, left: true) },
        ScalarFunction("rpad", 3...3, returns: FunctionLibrary.varchar) { a, _ in pad(a, left: false) },
        ScalarFunction("right", 2...2, returns: FunctionLibrary.first) { a, _ in
            guard let s = a[0].string, let n = a[1].integer else { return .null }
            return .string(String(s.suffix(max(0, Int(n)))))
        },
        ScalarFunction("reverse", 1...1, returns: FunctionLibrary.first) { a, _ in a[0].string.map { .string(String($0.reversed())) } ?? .null },
        ScalarFunction("instr", 2...2, returns: FunctionLibrary.bigint) { a, _ in locate(a[1], in: a[0]) },
        ScalarFunction("locate", 2...2, returns: FunctionLibrary.bigint) { a, _ in locate(a[0], in: a[1]) },
        ScalarFunction("split_part", 3...3, returns: FunctionLibrary.varchar) { a, _ in
            guard let s = a[0].string, let sep = a[1].string, !sep.isEmpty, let n = a[2].integer, n >= 1 else { return .null }
            let parts = s.components(separatedBy: sep)
            return n <= parts.count ? .string(parts[Int(n) - 1]) : .null
        },
        ScalarFunction("repeat", 2...2, returns: FunctionLibrary.varchar) { a, _ in
            guard let s = a[0].string, let n = a[1].integer else { return .null }
            let count = Int(max(0, min(n, Int64(maxResultBytes))))
            guard count == 0 || s.utf8.count <= maxResultBytes / count else { return .null }    // past the limit: NULL
            return .string(String(repeating: s, count: count))
        },
        ScalarFunction("starts_with", 2...2, returns: { _ in .boolean }) { a, _ in
            guard let s = a[0].string, let p = a[1].string else { return .null }
            return .int(s.hasPrefix(p) ? 1 : 0)
        },
    ]

    /// Longest string a function builds (characters, or bytes for `repeat`); a longer result is NULL. A function runs
    /// inside one SQLite step, where neither KILL QUERY nor query_timeout can stop it, so its work must be bounded.
    static let maxResultBytes = 16 << 20

    private static func pad(_ a: [Value], left: Bool) -> Value {
        guard let s = a[0].string, let n = a[1].integer, let p = a[2].string, n >= 0, n <= Int64(maxResultBytes) else { return .null }
        let len = Int(n), have = s.count
        if have >= len { return .string(String(s.prefix(len))) }
        guard !p.isEmpty else { return .null }
        let padding = Array(p)
        var fill = ""
        fill.reserveCapacity(len - have)
        for i in 0..<(len - have) { fill.append(padding[i % padding.count]) }
        return .string(left ? fill + s : s + fill)
    }

    private static func locate(_ needle: Value, in hay: Value) -> Value {
        guard let n = needle.string, let h = hay.string else { return .null }
        guard !n.isEmpty else { return .int(1) }
        guard let r = h.range(of: n) else { return .int(0) }
        return .int(Int64(h.distance(from: h.startIndex, to: r.lowerBound) + 1))
    }
}

extension String {
    func components(separatedBy sep: String) -> [String] {
        var out: [String] = []
        var rest = Substring(self)
        while let r = rest.range(of: sep) {
            out.append(String(rest[..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        out.append(String(rest))
        return out
    }
}
