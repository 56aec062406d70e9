/// Whether message bytes are well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF).
/// Runs on every message of a load, so ASCII, the common case, is checked 32 and 8 bytes at a time.
enum UTF8Validation {
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let n = bytes.count
        var i = 0
        let high: UInt64 = 0x8080_8080_8080_8080
        while i < n {
            // ASCII 32 bytes at a time, then 8.
            while i + 32 <= n {
                let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) | bytes.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
                    | bytes.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self) | bytes.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)
                guard word & high == 0 else { break }
                i += 32
            }
            while i + 8 <= n, bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) & high == 0 { i += 8 }
            guard i < n else { return true }
            let b0 = bytes[i]
            if b0 < 0x80 { i += 1; continue }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F              // no UTF-16 surrogates
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F              // nothing past U+10FFFF
            default: return false                            // continuation byte, overlong lead, 0xF5...
            }
            guard i + length <= n else { return false }
            let b1 = bytes[i + 1]
            guard b1 >= low, b1 <= high else { return false }
            for k in 2..<max(2, length) where bytes[i + k] & 0xC0 != 0x80 { return false }
            i += length
        }
        return true
    }
}
