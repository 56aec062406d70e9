import Foundation
import SQLParser

/// Reading a JSON array into values, for ARRAY columns (writing JSON strings is SQLParser's `JSONString`).
public enum JSONText {
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
