import Foundation

/// Raw messages copied out of librdkafka by a task's consumer, in the order it read them, for one decoder.
struct MessageChunk: Sendable {
    /// Position in the task's read order: chunks reach the segment in this order.
    let sequence: Int
    private(set) var bytes: [UInt8] = []
    /// Where each message ends in `bytes`.
    private(set) var ends: [Int] = []

    init(sequence: Int, reserving bytes: Int = 0) {
        self.sequence = sequence
        self.bytes.reserveCapacity(bytes)
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

/// The bounded hand-off from a task's consumer to its decoders: `put` waits while `capacity` chunks are waiting,
/// so a slow decoder slows the consumer instead of growing memory; `take` returns nil once the queue is closed and
/// empty.
final class ChunkQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [MessageChunk] = []
    private var closed = false
    private let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    func put(_ chunk: MessageChunk) {
        condition.lock(); defer { condition.unlock() }
        while items.count >= capacity && !closed { condition.wait() }
        items.append(chunk)
        condition.broadcast()
    }

    func take() -> MessageChunk? {
        condition.lock(); defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        guard !items.isEmpty else { return nil }
        condition.broadcast()
        return items.removeFirst()
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
