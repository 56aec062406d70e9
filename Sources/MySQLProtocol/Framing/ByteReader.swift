/// Reads MySQL wire primitives from a payload. Every read is bounds-checked and throws
/// ``ProtocolError/truncated`` instead of trapping: client bytes must never crash the server.
public struct ByteReader: Sendable {
    public let bytes: [UInt8]
    public private(set) var index: Int

    public init(_ bytes: [UInt8], index: Int = 0) { self.bytes = bytes; self.index = index }

    public var remaining: Int { bytes.count - index }
    public var isAtEnd: Bool { index >= bytes.count }

    public mutating func int1() throws(ProtocolError) -> UInt8 {
        guard remaining >= 1 else { throw .truncated }
        defer { index += 1 }
        return bytes[index]
    }
    public mutating func int2() throws(ProtocolError) -> UInt16 { UInt16(try fixed(2)) }
    public mutating func int3() throws(ProtocolError) -> UInt32 { UInt32(try fixed(3)) }
    public mutating func int4() throws(ProtocolError) -> UInt32 { UInt32(try fixed(4)) }
    public mutating func int8() throws(ProtocolError) -> UInt64 { try fixed(8) }

    private mutating func fixed(_ n: Int) throws(ProtocolError) -> UInt64 {
        guard remaining >= n else { throw .truncated }
        var v: UInt64 = 0
        for i in 0..<n { v |= UInt64(bytes[index + i]) << (8 * UInt64(i)) }
        index += n
        return v
    }

    /// Length-encoded integer; 0xFB (NULL) and 0xFF are not integers here.
    public mutating func lenenc() throws(ProtocolError) -> UInt64 {
        let first = try int1()
        switch first {
        case 0..<0xFB: return UInt64(first)
        case 0xFC: return UInt64(try int2())
        case 0xFD: return UInt64(try int3())
        case 0xFE: return try int8()
        default: throw .malformed("invalid length-encoded integer 0x\(String(first, radix: 16))")
        }
    }

    public mutating func bytes(_ n: Int) throws(ProtocolError) -> [UInt8] {
        guard n >= 0, remaining >= n else { throw .truncated }
        defer { index += n }
        return Array(bytes[index..<index + n])
    }
    public mutating func lenencBytes() throws(ProtocolError) -> [UInt8] {
        let n = try lenenc()
        guard n <= UInt64(remaining) else { throw .truncated }
        return try bytes(Int(n))
    }
    /// Bytes up to (not including) the next NUL; consumes the NUL. Without a NUL, takes the rest.
    public mutating func nulTerminated() -> [UInt8] {
        let start = index
        while index < bytes.count, bytes[index] != 0 { index += 1 }
        let out = Array(bytes[start..<index])
        if index < bytes.count { index += 1 }
        return out
    }
    public mutating func nulString() -> String { String(decoding: nulTerminated(), as: UTF8.self) }
    public mutating func rest() -> [UInt8] { defer { index = bytes.count }; return Array(bytes[index...]) }
}

/// A client sent bytes that do not form a valid packet. The connection answers with ERR or closes.
public enum ProtocolError: Error, Equatable, Sendable {
    case truncated
    case malformed(String)
    case packetTooLarge(Int)
    case outOfOrder(expected: UInt8, got: UInt8)
}
