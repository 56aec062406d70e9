import Foundation

/// Splits CSV message bytes into rows of fields (reference routine_load.md §7.1): multi-byte column
/// separators and row delimiters (up to 50 bytes, hex forms accepted), RFC 4180 enclose with doubled
/// enclose as a literal, an escape byte valid inside and outside enclose, trim_space around fields,
/// and `\N` as NULL. An empty line is not a row.
public struct CSVReader: Sendable {
    let separator: [UInt8]
    let delimiter: [UInt8]
    let enclose: UInt8
    let escape: UInt8
    let trimSpace: Bool

    public init(separator: String, delimiter: String, enclose: UInt8 = 0, escape: UInt8 = 0, trimSpace: Bool = false) {
        self.separator = Self.bytes(separator)
        self.delimiter = Self.bytes(delimiter)
        self.enclose = enclose; self.escape = escape; self.trimSpace = trimSpace
    }

    /// `\x01`, `\x01\x02` or `0x0102` (pairs of hex digits) as bytes; anything else as its UTF-8.
    static func bytes(_ text: String) -> [UInt8] {
        let lower = text.lowercased()
        var hex = ""
        if lower.hasPrefix("0x") { hex = String(lower.dropFirst(2)) }
        else if lower.hasPrefix("\\x") { hex = lower.replacingOccurrences(of: "\\x", with: "") }
        let digits = Array(hex)
        guard !digits.isEmpty, digits.count % 2 == 0, digits.allSatisfy(\.isHexDigit) else { return Array(text.utf8) }
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
    }

    private func matches(_ pattern: [UInt8], _ bytes: UnsafeRawBufferPointer, at i: Int) -> Bool {
        guard !pattern.isEmpty, i + pattern.count <= bytes.count, bytes[i] == pattern[0] else { return false }
        for k in 1..<pattern.count where bytes[i + k] != pattern[k] { return false }
        return true
    }

    /// Calls `row` with the fields of each row in `bytes` (nil for `\N`).
    public func read(_ bytes: UnsafeRawBufferPointer, row: ([String?]) -> Void) {
        if escape == 0, enclose == 0, separator.count == 1, delimiter.count == 1 {
            readPlain(bytes, separator: separator[0], delimiter: delimiter[0], row: row)
            return
        }
        var fields: [String?] = []
        var field: [UInt8] = []
        var enclosed = false, inEnclose = false
        func endField() {
            var content = field[...]
            if trimSpace, !enclosed {
                while let f = content.first, f == 0x20 || f == 0x09 { content = content.dropFirst() }
                while let l = content.last, l == 0x20 || l == 0x09 { content = content.dropLast() }
            }
            if !enclosed, content.count == 2, content.first == UInt8(ascii: "\\"), content.last == UInt8(ascii: "N") {
                fields.append(nil)
            } else {
                fields.append(String(decoding: content, as: UTF8.self))
            }
            field.removeAll(keepingCapacity: true)
            enclosed = false
        }
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if escape != 0, b == escape, i + 1 < n { field.append(bytes[i + 1]); i += 2; continue }
            if enclose != 0, b == enclose {
                if inEnclose {
                    if i + 1 < n, bytes[i + 1] == enclose { field.append(b); i += 2; continue }
                    inEnclose = false
                } else if !enclosed, field.allSatisfy({ trimSpace && ($0 == 0x20 || $0 == 0x09) }) {
                    field.removeAll(keepingCapacity: true)
                    inEnclose = true; enclosed = true
                } else {
                    field.append(b)
                }
                i += 1
                continue
            }
            if !inEnclose {
                if matches(separator, bytes, at: i) { endField(); i += separator.count; continue }
                if matches(delimiter, bytes, at: i) {
                    if !fields.isEmpty || !field.isEmpty || enclosed { endField(); row(fields) }
                    fields.removeAll(keepingCapacity: true)
                    i += delimiter.count
                    continue
                }
            }
            if enclosed, !inEnclose, b == 0x20 || b == 0x09, trimSpace { i += 1; continue }
            field.append(b)
            i += 1
        }
        if !fields.isEmpty || !field.isEmpty || enclosed { endField(); row(fields) }
    }

    /// The common case — one-byte separator and delimiter, no enclose or escape — without copying bytes: each field is
    /// made from the message in place. Same rows and fields as the general loop.
    private func readPlain(_ bytes: UnsafeRawBufferPointer, separator: UInt8, delimiter: UInt8, row: ([String?]) -> Void) {
        var fields: [String?] = []
        fields.reserveCapacity(16)
        func field(_ from: Int, _ to: Int) -> String? {
            var lo = from, hi = to
            if trimSpace {
                while lo < hi, bytes[lo] == 0x20 || bytes[lo] == 0x09 { lo += 1 }
                while hi > lo, bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09 { hi -= 1 }
            }
            if hi - lo == 2, bytes[lo] == UInt8(ascii: "\\"), bytes[lo + 1] == UInt8(ascii: "N") { return nil }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[lo..<hi]), as: UTF8.self)
        }
        var start = 0
        for i in 0..<bytes.count {
            let b = bytes[i]
            if b == separator {
                fields.append(field(start, i))
                start = i + 1
            } else if b == delimiter {
                if !fields.isEmpty || i > start { fields.append(field(start, i)); row(fields) }
                fields.removeAll(keepingCapacity: true)
                start = i + 1
            }
        }
        if !fields.isEmpty || bytes.count > start { fields.append(field(start, bytes.count)); row(fields) }
    }
}
