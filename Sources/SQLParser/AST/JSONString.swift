/// The one rule for writing a JSON string literal, in the lowest module so the parser (array literals) and everything
/// above it (SHOW cells, error logs, Avro records, ARRAY columns) escape alike.
public enum JSONString {
    /// `s` as a JSON string literal: `"`, `\` and control characters escaped, everything else (multi-byte UTF-8
    /// included) as is.
    public static func quoted(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 2)
        append(quoted: s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `s` as a JSON string literal to `out`'s UTF-8: SHOW ROUTINE LOAD writes ten thousand rows of these, so
    /// a string with nothing to escape (the usual case) is copied whole, not a character at a time.
    public static func append(quoted s: String, to out: inout [UInt8]) {
        var s = s
        out.append(0x22)
        s.withUTF8 { utf8 in
            guard utf8.contains(where: { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 }) else { return out.append(contentsOf: utf8) }
            for b in utf8 {
                switch b {
                case 0x22: out += [0x5C, 0x22]
                case 0x5C: out += [0x5C, 0x5C]
                case 0x0A: out += [0x5C, 0x6E]
                case 0x0D: out += [0x5C, 0x72]
                case 0x09: out += [0x5C, 0x74]
                case ..<0x20: out += [0x5C, 0x75, 0x30, 0x30, hex(b >> 4), hex(b & 0xF)]     // \u00XX
                default: out.append(b)                       // bytes of multi-byte characters are all >= 0x80
                }
            }
        }
        out.append(0x22)
    }

    private static func hex(_ n: UInt8) -> UInt8 { n < 10 ? 0x30 + n : 0x61 + n - 10 }
}
