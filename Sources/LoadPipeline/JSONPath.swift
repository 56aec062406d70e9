import SQLParser

/// A JsonPath of the subset StarRocks loads use: `$`, `$.a.b`, `$.a[0]`, `$['a']`, `$["a"]`.
public struct JSONPath: Equatable, Sendable {
    enum Step: Equatable, Sendable { case key(String), index(Int) }
    let steps: [Step]
    public let text: String

    public init(_ text: String) throws(LoadError) {
        self.text = text
        var chars = Array(text.trimmed)
        guard chars.first == "$" else { throw LoadError("Invalid json path: \(text)") }
        chars.removeFirst()
        var steps: [Step] = []
        var i = 0
        while i < chars.count {
            if chars[i] == "." {
                i += 1
                var name = ""
                while i < chars.count, chars[i] != ".", chars[i] != "[" { name.append(chars[i]); i += 1 }
                guard !name.isEmpty else { throw LoadError("Invalid json path: \(text)") }
                steps.append(.key(name))
            } else if chars[i] == "[" {
                guard let close = chars[i...].firstIndex(of: "]") else { throw LoadError("Invalid json path: \(text)") }
                let inner = String(chars[(i + 1)..<close])
                if let n = Int(inner), n >= 0 { steps.append(.index(n)) }
                else if inner.count >= 2, let q = inner.first, q == "'" || q == "\"", inner.last == q { steps.append(.key(String(inner.dropFirst().dropLast()))) }
                else { throw LoadError("Invalid json path: \(text)") }
                i = close + 1
            } else {
                throw LoadError("Invalid json path: \(text)")
            }
        }
        self.steps = steps
    }

    /// The value at this path, or nil if a step does not exist.
    public func extract(from value: JSONValue) -> JSONValue? {
        var v = value
        for step in steps {
            switch step {
            case .key(let k): guard let next = v[k] else { return nil }; v = next
            case .index(let n): guard case .array(let items) = v, n < items.count else { return nil }; v = items[n]
            }
        }
        return v
    }
}
