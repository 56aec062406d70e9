import Testing
@testable import MySQLProtocol

@Suite struct PacketDecoderTests {
    private func framed(_ payload: [UInt8], seq: UInt8 = 0) -> [UInt8] {
        var s = seq
        return PacketDecoder.frame(payload, sequenceID: &s)
    }

    @Test func packetSplitAtEveryOffsetDecodesIdentically() throws {
        let payload: [UInt8] = [0x03] + Array("SELECT 1".utf8)
        let bytes = framed(payload) + framed([0x0E], seq: 0)
        for cut in 0...bytes.count {
            var d = PacketDecoder()
            d.append(bytes[0..<cut])
            var got: [Packet] = []
            while let p = try d.next() { got.append(p) }
            d.append(bytes[cut...])
            while let p = try d.next() { got.append(p) }
            #expect(got == [Packet(sequenceID: 0, payload: payload), Packet(sequenceID: 0, payload: [0x0E])], "cut at \(cut)")
        }
    }

    @Test func payloadsOf16MiBAndMoreAreSplitAndJoined() throws {
        for size in [0xFF_FFFF - 1, 0xFF_FFFF, 0xFF_FFFF + 10, 2 * 0xFF_FFFF] {
            let payload = [UInt8](repeating: 0x61, count: size)
            var seq: UInt8 = 5
            let bytes = PacketDecoder.frame(payload, sequenceID: &seq)
            let frames = size / 0xFF_FFFF + 1
            #expect(seq == UInt8(5 + frames), "one sequence id per frame")
            #expect(bytes.count == size + 4 * frames)
            var d = PacketDecoder()
            d.append(bytes)
            let p = try #require(try d.next())
            #expect(p.payload.count == size)
            #expect(p.sequenceID == UInt8(5 + frames - 1), "the answer continues after the last frame")
            #expect(try d.next() == nil)
        }
    }

    @Test func packetsWrittenInPlaceAreFramedLikeBuiltPayloads() {
        // In-place packets of every size class (including exactly 0xFFFFFF, which needs an empty continuation frame)
        // must give the bytes framing the same payloads one by one gives, with the sequence ids running on.
        let sizes = [0, 1, 250, 0x1_0203, 0xFF_FFFF - 1, 0xFF_FFFF, 0xFF_FFFF + 3, 7]
        var writer = PacketWriter()
        writer.sequenceID = 250
        var expected: [UInt8] = []
        var seq: UInt8 = 250
        for (i, size) in sizes.enumerated() {
            var payload = [UInt8](repeating: UInt8(i), count: size)
            if size > 0 { payload[size - 1] = 0xEE }
            if i < sizes.count - 1 { writer.packet { $0.raw(payload) } } else { writer.packet(payload) }   // the last one prebuilt
            PacketDecoder.frame(payload, sequenceID: &seq, into: &expected)
        }
        #expect(writer.bytes == expected)
        #expect(writer.sequenceID == seq)
        #expect(writer.payloads.map(\.count) == sizes)
        writer.clear()
        #expect(writer.isEmpty)
        #expect(writer.sequenceID == seq, "clearing the sent bytes keeps the sequence")
    }

    @Test func spilledAnswerIsTheSameBytesInWholePackets() {
        // A writer that spills once it holds `spillAt` bytes must hand over exactly the bytes an unspilled writer holds,
        // every chunk ending on a packet boundary, and keep no more than one packet past the threshold.
        final class Sink: @unchecked Sendable { var chunks: [[UInt8]] = [] }
        let sink = Sink()
        var spilling = PacketWriter(), whole = PacketWriter()
        spilling.spill = { sink.chunks.append($0); return true }
        spilling.spillAt = 1000
        let sizes = (0..<400).map { ($0 * 37) % 300 } + [5000, 0, 0xFF_FFFF, 3]
        for (i, size) in sizes.enumerated() {
            let payload = [UInt8](repeating: UInt8(i & 0xFF), count: size)
            for w in [0, 1] {
                if i % 2 == 0 {
                    if w == 0 { spilling.packet { $0.raw(payload) } } else { whole.packet { $0.raw(payload) } }
                } else {
                    if w == 0 { spilling.packet(payload) } else { whole.packet(payload) }
                }
            }
            #expect(spilling.count < 1000, "bytes past the threshold are spilled at the end of the packet")
        }
        #expect(sink.chunks.count > 10)
        #expect(sink.chunks.allSatisfy { $0.count >= 1000 })
        #expect(spilling.spilled == sink.chunks.reduce(0) { $0 + $1.count })
        #expect(sink.chunks.flatMap { $0 } + spilling.bytes == whole.bytes)
        var decoder = PacketDecoder(maxPacketSize: Int.max)
        var decoded: [Int] = []
        for chunk in sink.chunks + [spilling.bytes] {
            decoder.append(chunk)
            while let p = try? decoder.next() { decoded.append(p.payload.count) }
            #expect(decoder.takeBuffered().isEmpty, "a chunk ends where a packet ends")
        }
        #expect(decoded == sizes)
        #expect(!spilling.broken)
    }

    @Test func aFailedSpillBreaksTheWriterAndDropsTheRestOfTheAnswer() {
        final class Sink: @unchecked Sendable { var calls = 0 }
        let sink = Sink()
        var w = PacketWriter()
        w.spillAt = 100
        w.spill = { _ in sink.calls += 1; return sink.calls < 2 }         // the second spill finds the peer gone
        for _ in 0..<50 { w.packet([UInt8](repeating: 7, count: 60)) }
        #expect(w.broken)
        #expect(sink.calls == 2, "nothing is offered to a peer that is gone")
        #expect(w.count < 100, "what is written after the failure is dropped, not held")
        #expect(w.spilled + w.count == 50 * 64)
    }

    @Test func lengthEncodedStringsCountBytesNotCharacters() {
        var w = ByteWriter()
        w.lenencString("é🙂a")
        #expect(w.bytes == [7] + Array("é🙂a".utf8))
        let long = String(repeating: "ü", count: 200)              // 400 bytes: the 0xFC two-byte length form
        var l = ByteWriter()
        l.lenencString(long)
        #expect(l.bytes.prefix(3) == [0xFC, 0x90, 0x01])
        #expect(l.bytes.count == 403)
    }

    @Test func packetLargerThanTheLimitIsRejectedBeforeBuffering() {
        var d = PacketDecoder(maxPacketSize: 100)
        d.append([101, 0, 0, 0])
        #expect(throws: ProtocolError.packetTooLarge(101)) { try d.next() }
    }

    @Test func lengthEncodedIntegersRoundTrip() throws {
        for v: UInt64 in [0, 250, 251, 0xFFFF, 0x10000, 0xFF_FFFF, 0x100_0000, UInt64.max] {
            var w = ByteWriter()
            w.lenenc(v)
            var r = ByteReader(w.bytes)
            #expect(try r.lenenc() == v)
            #expect(r.isAtEnd)
        }
    }

    @Test func truncatedInputThrowsInsteadOfTrapping() {
        var r = ByteReader([0xFC, 0x01])
        #expect(throws: ProtocolError.truncated) { try r.lenenc() }
        var r2 = ByteReader([0xFB])
        #expect(throws: ProtocolError.self) { try r2.lenenc() }
    }
}
