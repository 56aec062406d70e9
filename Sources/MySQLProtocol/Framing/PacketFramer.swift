/// A logical MySQL packet: the joined payload and the sequence id of its last frame, which the
/// answer continues from.
public struct Packet: Equatable, Sendable {
    public var sequenceID: UInt8
    public var payload: [UInt8]
    public init(sequenceID: UInt8, payload: [UInt8]) { self.sequenceID = sequenceID; self.payload = payload }
}

/// Splits a byte stream into packets: 3-byte length + sequence id + payload. Frames of exactly
/// 0xFFFFFF bytes continue in the next frame and are joined. A partial frame stays buffered and
/// nothing is returned until it is complete, so input may arrive in any pieces.
public struct PacketDecoder: Sendable {
    public static let maxFrame = 0xFF_FFFF
    public let maxPacketSize: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var pending: Packet?      // continuation frames collected so far

    public init(maxPacketSize: Int = 64 << 20) { self.maxPacketSize = maxPacketSize }

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        dropConsumed()
        buffer.append(contentsOf: bytes)
    }

    /// Appends bytes straight from a read buffer (one copy, without the generic path's per-element loop).
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        dropConsumed()
        buffer.append(contentsOf: bytes)
    }

    /// Once every buffered byte has been framed, the buffer starts over instead of growing.
    private mutating func dropConsumed() {
        if start > 0, start == buffer.count { buffer.removeAll(keepingCapacity: true); start = 0 }
    }

    /// Removes and returns the bytes not yet framed (after an SSLRequest they are the start of TLS).
    public mutating func takeBuffered() -> [UInt8] {
        defer { buffer.removeAll(); start = 0 }
        return Array(buffer[start...])
    }

    /// The next complete packet, or nil if more bytes are needed.
    public mutating func next() throws(ProtocolError) -> Packet? {
        while true {
            guard buffer.count - start >= 4 else { return nil }
            let length = Int(buffer[start]) | Int(buffer[start + 1]) << 8 | Int(buffer[start + 2]) << 16
            let seq = buffer[start + 3]
            let soFar = pending?.payload.count ?? 0
            if soFar + length > maxPacketSize { throw .packetTooLarge(soFar + length) }
            guard buffer.count - start >= 4 + length else { return nil }
            let body = buffer[(start + 4)..<(start + 4 + length)]
            start += 4 + length
            if start > 1 << 16, start * 2 > buffer.count { buffer.removeSubrange(0..<start); start = 0 }
            if var p = pending {
                p.payload.append(contentsOf: body)
                p.sequenceID = seq
                pending = p
            } else {
                pending = Packet(sequenceID: seq, payload: Array(body))
            }
            if length < Self.maxFrame {
                defer { pending = nil }
                return pending
            }
        }
    }

    /// Frames a payload, splitting at 0xFFFFFF; each frame takes the next sequence id.
    public static func frame(_ payload: [UInt8], sequenceID: inout UInt8) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + 4)
        frame(payload, sequenceID: &sequenceID, into: &out)
        return out
    }

    /// The same frames appended to `out` (a connection's send buffer), without an array of their own.
    public static func frame(_ payload: [UInt8], sequenceID: inout UInt8, into out: inout [UInt8]) {
        var offset = 0
        while true {
            let n = min(maxFrame, payload.count - offset)
            out.append(UInt8(n & 0xFF)); out.append(UInt8((n >> 8) & 0xFF)); out.append(UInt8((n >> 16) & 0xFF))
            out.append(sequenceID)
            sequenceID &+= 1
            out.append(contentsOf: payload[offset..<offset + n])
            offset += n
            if n < maxFrame { return }
        }
    }
}
