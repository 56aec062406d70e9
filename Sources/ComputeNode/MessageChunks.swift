import Foundation

/// Raw messages copied out of librdkafka by a task's consumer, in the order it read them, for one decoder.
struct MessageChunk: Sendable {
    /// Position in the task's read order: chunks reach the segment in this order.
    let sequence: Int
    private(set) var bytes: [UInt8] = []
    /// Where each message ends in `bytes`.
    private(set) var ends: [Int] = []

    init(sequence: Int, reserving bytes: Int = 0, messages: Int = 0) {
        self.sequence = sequence
        self.bytes.reserveCapacity(bytes)
        ends.reserveCapacity(messages)
    }

    var count: Int { ends.count }

    mutating func append(_ payload: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: payload)
        ends.append(bytes.count)
    }

    /// Each message's payload, in order.
    func forEach(_ body: (UnsafeRawBufferPointer) -> Void) {
        bytes.withUnsafeBytes { all in
            var start = 0
            for end in ends {
                body(UnsafeRawBufferPointer(rebasing: all[start..<end]))
                start = end
            }
        }
    }
}

/// The bounded hand-off from a task's consumer to its decoders: `put` waits while `capacity` chunks or `maxBytes`
/// bytes are waiting (a chunk alone always fits), so a slow decoder slows the consumer instead of growing memory;
/// `take` returns nil once the queue is closed and empty. The bound is generous on purpose: messages wait here, copied
/// compactly, rather than in librdkafka, which keeps an allocation of a few hundred bytes per fetched message until
/// the consumer takes it; taken at once, that memory is freed and reused for the next fetch (a freshly started FE's
/// first 800k-row load made fewer minor page faults than with two chunks per decoder; see docs/benchmarks.md).
final class ChunkQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [MessageChunk] = []
    private var queuedBytes = 0
    private var closed = false
    private let capacity: Int
    private let maxBytes: Int

    init(capacity: Int, maxBytes: Int = .max) { self.capacity = max(1, capacity); self.maxBytes = maxBytes }

    func put(_ chunk: MessageChunk) {
        condition.lock(); defer { condition.unlock() }
        while !items.isEmpty && (items.count >= capacity || queuedBytes + chunk.bytes.count > maxBytes) && !closed { condition.wait() }
        items.append(chunk)
        queuedBytes += chunk.bytes.count
        condition.broadcast()
    }

    func take() -> MessageChunk? {
        condition.lock(); defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        guard !items.isEmpty else { return nil }
        condition.broadcast()
        let chunk = items.removeFirst()
        queuedBytes -= chunk.bytes.count
        return chunk
    }

    /// No more chunks will come; decoders finish what is queued.
    func close() {
        condition.lock(); defer { condition.unlock() }
        closed = true
        condition.broadcast()
    }
}

/// Lets decoders that finish in any order write in read order: `inTurn(n)` runs after turn n−1 has ended, and
/// the turn ends even when the body throws, so a failed chunk never blocks the ones after it. A primary-key
/// table's upserts of one key thus reach the segment in offset order.
final class Turnstile: @unchecked Sendable {
    private let condition = NSCondition()
    private var next = 0

    func inTurn<T>(_ turn: Int, _ body: () throws -> T) rethrows -> T {
        condition.lock()
        while next != turn { condition.wait() }
        condition.unlock()
        defer {
            condition.lock()
            next += 1
            condition.broadcast()
            condition.unlock()
        }
        return try body()
    }
}

/// The first error of any of a task's threads; the others see it and stop.
final class FirstFailure: @unchecked Sendable {
    private let lock = NSLock()
    private var error: (any Error)?
    var isSet: Bool { lock.withLock { error != nil } }
    var value: (any Error)? { lock.withLock { error } }
    func set(_ e: any Error) { lock.withLock { if error == nil { error = e } } }
}
