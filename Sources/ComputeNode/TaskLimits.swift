import Foundation
import TaskContract

/// How much a task's consumer may read, so it never waits on librdkafka's prefetch. librdkafka 2.0 stops fetching
/// once `queued.min.messages` messages or `queued.max.messages.kbytes` are queued, and fetches again only after a
/// one-second back-off (later versions made the pause configurable as `fetch.queue.backoff.ms`). So the queue is
/// sized to the task's row cap plus two poll batches, and the consumer stops one poll batch short of either
/// threshold: what it reads in a task is always already fetched. The ``TaskBudget`` still caps rows and bytes.
struct Prefetch: Sendable {
    let messages: Int
    let kilobytes: Int
    /// librdkafka settings for the task's consumer (a job's own `property.*` values come after, and win).
    let settings: [(String, String)]

    init(_ task: LoadTask) {
        func user(_ key: String) -> Int? { task.properties.last { $0.key == key }.flatMap { Int($0.value) } }
        messages = user("queued.min.messages") ?? max(10_000, min(task.maxBatchRows, 9_000_000) + 2 * Self.pollBatch)
        kilobytes = user("queued.max.messages.kbytes") ?? Self.defaultKilobytes
        settings = [("queued.min.messages", String(messages)), ("queued.max.messages.kbytes", String(kilobytes))]
    }

    /// Messages one poll may return (``KafkaPartitionConsumer/poll``'s default).
    static let pollBatch = 1024
    /// Three times librdkafka's default queue (64 MB): a task of large messages reads up to 144 MB before it ends
    /// (as much as the three consumers per task of earlier versions did).
    static let defaultKilobytes = 3 * 65_536

    func allows(messages read: Int, bytes: Int64) -> Bool {
        read + Self.pollBatch < messages && bytes < Int64(kilobytes) * 1024 * 3 / 4
    }
}

/// The row and byte caps of one task. The consumer charges one row per message as it reads; a decoder corrects
/// that by what a chunk's messages really held (a message may carry several rows, or none). Checked per poll, so a
/// task may go over by one poll batch, or by the rows of messages still being decoded.
final class TaskBudget: @unchecked Sendable {
    private let lock = NSLock()
    private var rows: Int
    private var bytes: Int64
    init(rows: Int, bytes: Int64) { self.rows = rows; self.bytes = bytes }
    var remains: Bool { lock.withLock { rows > 0 && bytes > 0 } }
    func spend(rows r: Int, bytes b: Int64) { lock.withLock { rows -= r; bytes -= b } }
}
