import Foundation

/// JSON text as Tributary writes it — one escaping rule for every JSON document it produces (SHOW cells, error logs,
/// Avro records and maps, ARRAY columns) — and the reading of a JSON array into values, for ARRAY columns.
public enum JSONText {
    /// A JSON string literal.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    /// The elements of a JSON array (`["a", 1, null, [2]]`): strings, integers, doubles, nulls, and nested arrays as
    /// their JSON text; nil if `text` is not a JSON array or holds an object.
    public static func arrayElements(_ text: String) -> [Value]? {
        guard let data = text.data(using: .utf8),
              let items = (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) as? [Any] else { return nil }
        var out: [Value] = []
        out.reserveCapacity(items.count)
        for item in items {
            switch item {
            case is NSNull: out.append(.null)
            case let s as String: out.append(.string(s))
            case let n as NSNumber:
                if String(cString: n.objCType) == "c" { out.append(.int(n.boolValue ? 1 : 0)); continue }     // true, false
                let d = n.doubleValue
                if d.rounded() == d, abs(d) < 9.0e15 { out.append(.int(n.int64Value)) } else { out.append(.double(d)) }
            case let nested as [Any]:
                guard let data = try? JSONSerialization.data(withJSONObject: nested), let t = String(data: data, encoding: .utf8) else { return nil }
                out.append(.string(t))
            default: return nil
            }
        }
        return out
    }
}
