/// The framed bytes of a connection's answer, written in place: each packet's 4-byte header is reserved, its payload
/// written straight after it, then the header filled in with the length and the next sequence id. A payload of
/// 0xFFFFFF bytes or more is split into continuation frames, as ``PacketDecoder/frame(_:sequenceID:into:)`` does.
/// A result set of any size is encoded without an array per packet. No I/O of its own: the driver sends ``bytes`` and
/// clears them, and may take them earlier through ``spill``.
public struct PacketWriter: Sendable {
    private var writer: ByteWriter
    /// The sequence id the next packet takes: the request's id + 1 when an answer starts.
    public var sequenceID: UInt8 = 0
    /// Takes the framed bytes once they reach ``spillAt``, at the end of a packet, and they are forgotten: a large answer
    /// goes out while the rest of it is written, so the client reads the first rows while the last are encoded and the
    /// buffer holds about that much (plus one packet), whatever the size of the answer. Returns false when the bytes
    /// could not be delivered (the peer is gone): the writer is then ``broken``. Nil: everything waits for the driver.
    public var spill: (@Sendable ([UInt8]) -> Bool)?
    public var spillAt = 256 << 10
    /// Bytes handed to ``spill`` so far; `spilled + count` is everything written.
    public private(set) var spilled = 0
    /// A spill failed: the rest of the answer is dropped as it is written, and the driver should stop answering (a
    /// multi-statement query runs no further statement) and close.
    public private(set) var broken = false

    public init(capacity: Int = 16 << 10) { writer = ByteWriter(capacity: capacity) }

    /// Everything framed so far.
    public var bytes: [UInt8] { writer.bytes }
    public var count: Int { writer.count }
    public var isEmpty: Bool { writer.bytes.isEmpty }

    /// A packet whose payload was built elsewhere.
    public mutating func packet(_ payload: [UInt8]) {
        PacketDecoder.frame(payload, sequenceID: &sequenceID, into: &writer.bytes)
        spillIfFull()
    }

    /// A packet whose payload `body` writes in place.
    public mutating func packet(_ body: (inout ByteWriter) -> Void) {
        let start = writer.count
        writer.int4(0)                                      // the header, filled in below
        body(&writer)
        let length = writer.count - start - 4
        guard length < PacketDecoder.maxFrame else {
            let payload = Array(writer.bytes[(start + 4)...])
            writer.bytes.removeSubrange(start...)
            packet(payload)
            return
        }
        writer.bytes[start] = UInt8(length & 0xFF)
        writer.bytes[start + 1] = UInt8((length >> 8) & 0xFF)
        writer.bytes[start + 2] = UInt8(length >> 16)
        writer.bytes[start + 3] = sequenceID
        sequenceID &+= 1
        spillIfFull()
    }

    private mutating func spillIfFull() {
        guard writer.count >= spillAt, let spill else { return }        // the size first: a small answer never touches the closure
        if !broken, !spill(writer.bytes) { broken = true }
        spilled += writer.count
        writer.bytes.removeAll(keepingCapacity: true)
    }

    /// Forgets what was sent; the storage is kept unless an answer made it larger than `keepingUpTo` bytes (so an idle
    /// connection holds at most that much after a large answer).
    public mutating func clear(keepingUpTo limit: Int = 256 << 10) {
        writer.bytes.removeAll(keepingCapacity: writer.bytes.capacity <= limit)
    }

    /// The payloads written so far, for tests and tools (reads the frames back).
    public var payloads: [[UInt8]] {
        var decoder = PacketDecoder(maxPacketSize: Int.max)
        decoder.append(bytes)
        var out: [[UInt8]] = []
        while let p = try? decoder.next() { out.append(p.payload) }
        return out
    }
}
