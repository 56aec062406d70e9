import Foundation
import Kafka
import LoadPipeline

/// What a task's consumer has read: the next offset and last timestamp of each partition, the partitions at
/// their end, messages and bytes. Messages of one partition come in runs, so the current run is kept aside and
/// written to the dictionaries when another partition's message comes (``flush()`` before reading them).
struct ReadProgress {
    let begin: [Int32: Int64]
    private(set) var next: [Int32: Int64] = [:]
    private(set) var timestamps: [Int32: Int64] = [:]
    private(set) var latest: [Int32: Int64] = [:]
    private(set) var atEnd = Set<Int32>()
    private(set) var messages = 0
    private(set) var bytes: Int64 = 0
    /// The partition being read now and what has been accepted of it since it became current.
    private var run: (partition: Int32, next: Int64, timestamp: Int64, accepted: Bool)?

    init(begin: [Int32: Int64]) { self.begin = begin }

    var allAtEnd: Bool { atEnd.count >= begin.count }

    /// Counts `m` unless it was read already or lies before the task's range (librdkafka may deliver a message
    /// again); true when it is new.
    mutating func accept(_ m: KafkaMessage) -> Bool {
        if run?.partition != m.partition {
            flush()
            run = (m.partition, next[m.partition] ?? begin[m.partition] ?? .max, -1, false)
        }
        guard var current = run, m.offset >= current.next else { return false }
        current.next = m.offset + 1
        if m.timestamp >= 0 { current.timestamp = m.timestamp }
        if !current.accepted {
            current.accepted = true
            atEnd.remove(m.partition)
        }
        run = current
        messages += 1
        bytes += Int64(m.payload.count)
        return true
    }

    /// The partition has no more messages for now; an end beyond the last message (transaction markers) still
    /// moves its offset.
    mutating func reachedEnd(_ p: Int32, next end: Int64) {
        guard begin[p] != nil else { return }                   // not this task's partition
        flush()
        atEnd.insert(p)
        latest[p] = end
        if end > (next[p] ?? begin[p] ?? end) { next[p] = end }
    }

    mutating func flush() {
        guard let r = run else { return }
        run = nil
        guard r.accepted else { return }
        next[r.partition] = r.next
        if r.timestamp >= 0 { timestamps[r.partition] = r.timestamp }
    }
}

/// What a task's decoders made of its messages.
struct DecodeResult {
    var loaded = 0, filtered = 0, unselected = 0
    var rejected: [RejectedRow] = []

    mutating func add(_ r: LoadResult) {
        count(loaded: r.loadedRows, filtered: r.filteredRows, unselected: r.unselectedRows, rejected: r.rejected)
    }

    mutating func add(_ other: DecodeResult) {
        count(loaded: other.loaded, filtered: other.filtered, unselected: other.unselected, rejected: other.rejected)
    }

    private mutating func count(loaded l: Int, filtered f: Int, unselected u: Int, rejected r: [RejectedRow]) {
        loaded += l; filtered += f; unselected += u
        rejected += r.prefix(max(0, TaskRunner.rejectedSample - rejected.count))
    }
}

/// The decoders' results, gathered as each thread ends.
final class DecodeResults: @unchecked Sendable {
    private let lock = NSLock()
    private var sum = DecodeResult()
    func add(_ r: DecodeResult) { lock.withLock { sum.add(r) } }
    var total: DecodeResult { lock.withLock { sum } }
}
