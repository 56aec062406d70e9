/// Reading a JSON array into values, for ARRAY columns (writing JSON strings is SQLParser's `JSONString`). Numbers keep
/// their text, so a BIGINT, DECIMAL or LARGEINT element converts exactly; a nested array is handed on as its text for
/// the element type's own conversion.
public enum JSONText {
    /// The elements of a JSON array (`["a", 1, null, true, [2]]`): strings, numbers (as their text), `true`/`false` as
    /// 1/0, nulls, nested arrays as their JSON text; nil if `text` is not one well-formed JSON array of such values
    /// (objects are refused), or nests deeper than 64.
    public static func arrayElements(_ text: String) -> [Value]? {
        var reader = Reader(bytes: Array(text.utf8))
        reader.skipSpace()
        guard let items = reader.array(depth: 0) else { return nil }
        reader.skipSpace()
        return reader.i == reader.bytes.count ? items : nil
    }

    private struct Reader {
        let bytes: [UInt8]
        var i = 0

        mutating func skipSpace() { while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 } }

        mutating func accept(_ c: UInt8) -> Bool {
            guard i < bytes.count, bytes[i] == c else { return false }
            i += 1
            return true
        }

        mutating func array(depth: Int) -> [Value]? {
            guard depth < 64, accept(UInt8(ascii: "[")) else { return nil }
            var items: [Value] = []
            skipSpace()
            if accept(UInt8(ascii: "]")) { return items }
            while true {
                skipSpace()
                guard let v = value(depth: depth) else { return nil }
                items.append(v)
                skipSpace()
                if accept(UInt8(ascii: ",")) { continue }
                return accept(UInt8(ascii: "]")) ? items : nil
            }
        }

        mutating func value(depth: Int) -> Value? {
            guard i < bytes.count else { return nil }
            switch bytes[i] {
            case UInt8(ascii: "\""): return string().map(Value.string)
            case UInt8(ascii: "["):
                let start = i
                guard array(depth: depth + 1) != nil else { return nil }
                return .string(String(decoding: bytes[start..<i], as: UTF8.self))
            case UInt8(ascii: "t"): return word("true") ? .int(1) : nil
            case UInt8(ascii: "f"): return word("false") ? .int(0) : nil
            case UInt8(ascii: "n"): return word("null") ? .null : nil
            default: return number().map(Value.string)
            }
        }

        mutating func word(_ w: String) -> Bool {
            let u = Array(w.utf8)
            guard i + u.count <= bytes.count, Array(bytes[i..<i + u.count]) == u else { return false }
            i += u.count
            return true
        }

        /// JSON's number grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, returned as written.
        mutating func number() -> String? {
            let start = i
            func digits() -> Int { let s = i; while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }; return i - s }
            _ = accept(UInt8(ascii: "-"))
            if accept(UInt8(ascii: "0")) {} else if digits() == 0 { return nil }
            if accept(UInt8(ascii: ".")), digits() == 0 { return nil }
            if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
                i += 1
                if !accept(UInt8(ascii: "+")) { _ = accept(UInt8(ascii: "-")) }
                if digits() == 0 { return nil }
            }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }

        mutating func string() -> String? {
            guard accept(UInt8(ascii: "\"")) else { return nil }
            var out: [UInt8] = []
            while i < bytes.count {
                let c = bytes[i]
                i += 1
                switch c {
                case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard i < bytes.count else { return nil }
                    let e = bytes[i]
                    i += 1
                    switch e {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        guard var scalar = hex4() else { return nil }
                        if (0xD800..<0xDC00).contains(scalar) {             // a surrogate pair
                            guard word("\\u"), let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let u = Unicode.Scalar(scalar) else { return nil }
                        out.append(contentsOf: Array(String(Character(u)).utf8))
                    default: return nil
                    }
                case 0..<0x20: return nil                                   // control characters must be escaped
                default: out.append(c)
                }
            }
            return nil
        }

        mutating func hex4() -> UInt32? {
            guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else { return nil }
            i += 4
            return v
        }
    }
}
