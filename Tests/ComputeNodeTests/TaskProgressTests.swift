import Foundation
import Testing
@testable import ComputeNode
@testable import Kafka

@Suite struct TaskProgressTests {
    private func message(_ p: Int32, _ offset: Int64, ts: Int64 = -1) -> KafkaMessage {
        KafkaMessage(partition: p, offset: offset, timestamp: ts, payload: UnsafeRawBufferPointer(start: nil, count: 0))
    }

    @Test func offsetsTimestampsAndEndsOfPartitionsAreTracked() {
        var read = ReadProgress(begin: [0: 10, 1: 0, 2: 5])
        let accepted = [read.accept(message(0, 10, ts: 100)), read.accept(message(0, 11, ts: 101)), read.accept(message(1, 0)),
                        read.accept(message(0, 11)),          // read already (the run moved on, the offset did not)
                        read.accept(message(2, 4))]           // before the task's range
        #expect(accepted == [true, true, true, false, false])
        read.reachedEnd(1, next: 1)
        read.reachedEnd(2, next: 7)                           // transaction markers past the last message
        read.flush()
        #expect(read.next == [0: 12, 1: 1, 2: 7] && read.timestamps == [0: 101] && read.latest == [1: 1, 2: 7])
        #expect(read.messages == 3 && !read.allAtEnd)
        read.reachedEnd(0, next: 12)
        #expect(read.allAtEnd)
        let more = read.accept(message(1, 1))
        #expect(more && !read.allAtEnd)                       // new data: partition 1 is no longer at its end
    }

    @Test func gapsInOffsetsNeverStallAPartition() {
        // read_committed transaction markers and compacted topics: offsets jump; progress is the offset after the last
        // message read (never a count of messages), and an end past the last message moves it on too.
        var read = ReadProgress(begin: [0: 0, 1: 100])
        for offset: Int64 in [0, 1, 5, 6, 40] { _ = read.accept(message(0, offset)) }
        _ = read.accept(message(1, 130))                      // the first 30 offsets of partition 1 were compacted away
        read.flush()
        #expect(read.next == [0: 41, 1: 131] && read.messages == 6)
        read.reachedEnd(0, next: 43)                          // a commit marker at 41 and an abort marker at 42
        read.reachedEnd(1, next: 131)
        #expect(read.next == [0: 43, 1: 131] && read.allAtEnd)
        var empty = ReadProgress(begin: [0: 7])                // nothing but markers from the start
        empty.reachedEnd(0, next: 9)
        #expect(empty.next == [0: 9] && empty.messages == 0)
    }

    @Test func messagesAndEndsOfPartitionsTheTaskWasNotGivenChangeNothing() {
        var read = ReadProgress(begin: [0: 10])
        let accepted = read.accept(message(3, 50))
        #expect(!accepted)
        read.reachedEnd(3, next: 900)
        read.flush()
        #expect(read.next.isEmpty && read.latest.isEmpty && !read.allAtEnd && read.messages == 0)
    }

    @Test func aTurnEndsEvenWhenItsWorkFails() throws {
        let turns = Turnstile()
        final class Order: @unchecked Sendable { let lock = NSLock(); var turns: [Int] = [] }
        let order = Order()
        let done = DispatchGroup()
        for turn in [2, 1, 0] {
            done.enter()
            Thread.detachNewThread {
                try? turns.inTurn(turn) {
                    order.lock.withLock { order.turns.append(turn) }
                    if turn == 1 { throw CancellationError() }
                }
                done.leave()
            }
        }
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(order.turns == [0, 1, 2])
    }

    /// A put waits while the queue holds its byte bound (but a chunk alone always goes in), and goes on once a
    /// decoder takes one.
    @Test func theQueueBoundsTheBytesWaiting() {
        let queue = ChunkQueue(capacity: 10, maxBytes: 4)
        @Sendable func chunk(_ text: String, _ n: Int) -> MessageChunk {
            var c = MessageChunk(sequence: n)
            Array(text.utf8).withUnsafeBytes { c.append($0) }
            return c
        }
        queue.put(chunk("abcdef", 0))                               // over the bound, but alone: accepted
        let second = DispatchSemaphore(value: 0)
        Thread.detachNewThread { queue.put(chunk("gh", 1)); second.signal() }
        #expect(second.wait(timeout: .now() + 0.3) == .timedOut)    // waits: 6 + 2 bytes > 4
        #expect(queue.take()?.sequence == 0)
        #expect(second.wait(timeout: .now() + 10) == .success)
        // What a take hands out no longer counts: 2 + 2 bytes fit after it.
        let ij = DispatchSemaphore(value: 0)
        Thread.detachNewThread { queue.put(chunk("ij", 2)); ij.signal() }
        #expect(ij.wait(timeout: .now() + 10) == .success)
        #expect(queue.take()?.sequence == 1)
        let third = DispatchSemaphore(value: 0)
        Thread.detachNewThread { queue.put(chunk("kl", 3)); third.signal() }
        #expect(third.wait(timeout: .now() + 10) == .success)
        // A put waiting for room is let go by close.
        let fourth = DispatchSemaphore(value: 0)
        Thread.detachNewThread { queue.put(chunk("mnop", 4)); fourth.signal() }
        #expect(fourth.wait(timeout: .now() + 0.3) == .timedOut)
        queue.close()
        #expect(fourth.wait(timeout: .now() + 10) == .success)
    }

    @Test func aClosedQueueHandsOutWhatIsLeftThenNothing() {
        let queue = ChunkQueue(capacity: 2)
        var chunk = MessageChunk(sequence: 0)
        "ab".utf8.withContiguousStorageIfAvailable { chunk.append(UnsafeRawBufferPointer($0)) }
        "".utf8.withContiguousStorageIfAvailable { chunk.append(UnsafeRawBufferPointer($0)) }
        queue.put(chunk)
        queue.close()
        let taken = queue.take()
        var payloads: [String] = []
        taken?.forEach { payloads.append(String(decoding: $0, as: UTF8.self)) }
        #expect(payloads == ["ab", ""])
        #expect(queue.take() == nil)
    }
}
