import Expressions
import Foundation

/// The fast path for the common JSON message: one or more flat-enough objects whose wanted fields are
/// top-level keys (simple mode, or jsonpaths like `$.key`). Values go straight into a row without building a
/// document tree; unwanted values are skipped unparsed. Anything else (a top-level array, json_root, a key
/// with escapes, malformed input) answers false, and the tree parser handles the whole message with its exact
/// semantics and error texts. The result equals what the tree path produces.
struct JSONRowScanner {
    /// The UTF-8 bytes of each wanted top-level key, by field index: keys are matched as bytes, without
    /// making a String or hashing one per member.
    let keys: [[UInt8]]
    let width: Int

    init(keys: [String], width: Int) {
        self.keys = keys.map { Array($0.utf8) }; self.width = width
    }

    /// Appends the rows of every object in the message to `rows`; false (and `rows` untouched) to fall back to
    /// the tree parser.
    func rows(_ bytes: UnsafeRawBufferPointer, into rows: inout [[Value]]) -> Bool {
        var p = JSONParser(bytes)
        let before = rows.count
        p.skipSpace()
        while p.i < bytes.count {
            guard bytes[p.i] == UInt8(ascii: "{"), let row = object(&p) else {
                rows.removeSubrange(before...)
                return false
            }
            rows.append(row)
            p.skipSpace()
        }
        return rows.count > before
    }

    /// The field index of the key in `bytes[start..<end]`.
    private func field(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int? {
        let length = end - start
        for (index, key) in keys.enumerated() where key.count == length {
            if key.withUnsafeBytes({ memcmp($0.baseAddress!, bytes.baseAddress! + start, length) == 0 }) { return index }
        }
        return nil
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
            let index = field(p.bytes, start, end)
            p.i = end + 1
            p.skipSpace()
            guard p.i < p.bytes.count, p.bytes[p.i] == UInt8(ascii: ":") else { return nil }
            p.i += 1
            p.skipSpace()
            guard p.i < p.bytes.count else { return nil }
            if let index {
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
            if let n = integer(&p) { return .int(n) }
            guard let n = try? p.number() else { return nil }
            return Int64(n).map(Value.int) ?? .string(n)
        default:
            guard let v = try? p.value(depth: 1) else { return nil }
            return LoadBatch.value(v)
        }
    }

    /// A plain integer (`-?[0-9]+` that fits Int64, followed by a delimiter) read in place, as `Int64(text)` would
    /// read it; nil, with the position unchanged, for anything else (fractions, exponents, overflow).
    private func integer(_ p: inout JSONParser) -> Int64? {
        var i = p.i
        let negative = p.bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        let first = i
        var magnitude: UInt64 = 0
        while i < p.bytes.count, p.bytes[i] &- UInt8(ascii: "0") < 10 {
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(p.bytes[i] &- UInt8(ascii: "0")))
            guard !o1, !o2 else { return nil }
            magnitude = a
            i += 1
        }
        guard i > first else { return nil }
        if i < p.bytes.count, p.bytes[i] == UInt8(ascii: ".") || p.bytes[i] | 0x20 == UInt8(ascii: "e") { return nil }
        let value: Int64
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            value = magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        } else {
            guard magnitude <= UInt64(Int64.max) else { return nil }
            value = Int64(magnitude)
        }
        p.i = i
        return value
    }
}
