import Expressions

/// The fast path for the common JSON message: one or more flat-enough objects whose wanted fields are
/// top-level keys (simple mode, or jsonpaths like `$.key`). Values go straight into a row without building a
/// document tree; unwanted values are skipped unparsed. Anything else (a top-level array, json_root, a key
/// with escapes, malformed input) answers nil, and the tree parser handles the whole message with its exact
/// semantics and error texts. The result equals what the tree path produces.
struct JSONRowScanner {
    /// Field index by top-level key.
    let fields: [String: Int]
    let width: Int

    /// Rows of every object in the message, or nil to fall back to the tree parser.
    func rows(_ bytes: UnsafeRawBufferPointer) -> [[Value]]? {
        var p = JSONParser(bytes)
        var out: [[Value]] = []
        p.skipSpace()
        while p.i < bytes.count {
            guard bytes[p.i] == UInt8(ascii: "{"), let row = object(&p) else { return nil }
            out.append(row)
            p.skipSpace()
        }
        return out.isEmpty ? nil : out
    }

    private func object(_ p: inout JSONParser) -> [Value]? {
        var row = [Value](repeating: .null, count: width)
        p.i += 1
        p.skipSpace()
        if p.i < p.bytes.count, p.bytes[p.i] == UInt8(ascii: "}") { p.i += 1; return row }
        while true {
            p.skipSpace()
            guard p.i < p.bytes.count, p.bytes[p.i] == UInt8(ascii: "\"") else { return nil }
            // Keys are plain (no escapes) on this path.
            let start = p.i + 1
            var end = start
            while end < p.bytes.count, p.bytes[end] != UInt8(ascii: "\""), p.bytes[end] != UInt8(ascii: "\\"), p.bytes[end] >= 0x20 { end += 1 }
            guard end < p.bytes.count, p.bytes[end] == UInt8(ascii: "\"") else { return nil }
            let key = String(decoding: UnsafeRawBufferPointer(rebasing: p.bytes[start..<end]), as: UTF8.self)
            p.i = end + 1
            p.skipSpace()
            guard p.i < p.bytes.count, p.bytes[p.i] == UInt8(ascii: ":") else { return nil }
            p.i += 1
            p.skipSpace()
            guard p.i < p.bytes.count else { return nil }
            if let index = fields[key] {
                guard let v = value(&p) else { return nil }
                row[index] = v                                   // a repeated key: the last one wins, as in the tree path
            } else {
                guard (try? p.value(depth: 1)) != nil else { return nil }
            }
            p.skipSpace()
            guard p.i < p.bytes.count else { return nil }
            if p.bytes[p.i] == UInt8(ascii: ",") { p.i += 1; continue }
            if p.bytes[p.i] == UInt8(ascii: "}") { p.i += 1; return row }
            return nil
        }
    }

    /// A wanted value as the load sees it (the same conversions as ``LoadBatch``'s tree path).
    private func value(_ p: inout JSONParser) -> Value? {
        switch p.bytes[p.i] {
        case UInt8(ascii: "\""): return (try? p.string()).map(Value.string)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            guard let n = try? p.number() else { return nil }
            return Int64(n).map(Value.int) ?? .string(n)
        default:
            guard let v = try? p.value(depth: 1) else { return nil }
            return LoadBatch.value(v)
        }
    }
}
