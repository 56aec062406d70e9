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

    /// Why a JSON string could not be read (the JSON parser adds the offset).
    public struct StringFailure: Error { public let what: String }

    /// The rest of a JSON string whose first `out.count` bytes (after the opening quote) were read without escapes, from
    /// `bytes[i]` past its closing quote: escapes decoded (`\u` and four hex digits, surrogate pairs joined), control characters refused.
    /// Shared by the load pipeline's JSON parser and ``arrayElements(_:)``: one reading of JSON strings.
    public static func finishString(_ bytes: UnsafeRawBufferPointer, _ i: inout Int, _ out: inout [UInt8]) throws(StringFailure) -> String {
        func hex4() throws(StringFailure) -> UInt32 {
            guard i + 4 <= bytes.count else { throw StringFailure(what: "invalid \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[i]
                let d: UInt32
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
                default: throw StringFailure(what: "invalid \\u escape")
                }
                v = v * 16 + d
                i += 1
            }
            return v
        }
        while true {
            guard i < bytes.count else { throw StringFailure(what: "unterminated string") }
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
            guard c >= 0x20 else { throw StringFailure(what: "control character in string") }
            guard c == UInt8(ascii: "\\") else { out.append(c); i += 1; continue }
            i += 1
            guard i < bytes.count else { throw StringFailure(what: "unterminated string") }
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
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                    i += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw StringFailure(what: "invalid surrogate pair") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let u = Unicode.Scalar(scalar) else { throw StringFailure(what: "invalid \\u escape") }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: throw StringFailure(what: "invalid escape")
            }
        }
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
            var out: [UInt8] = [], at = i
            let text = bytes.withUnsafeBytes { raw in try? JSONText.finishString(raw, &at, &out) }
            i = at
            return text
        }
    }
}
