import Dispatch
import Foundation
import JobScheduler
import Kafka
import LoadPipeline
import Storage

/// Runs one task to completion (reference routine_load.md §3.6): consume the task's partitions from their
/// begin offsets until task_consume_second, the byte or row cap, or the end of every partition; decode and
/// transform the messages; write the loaded rows as the transaction's segment; write rejected rows to an
/// error log. Never throws: every failure becomes a failed report the FE turns into an aborted transaction.
public struct TaskRunner: Sendable {
    /// Directory of error-log files, and the URL prefix they are served under.
    public let errorLogDirectory: String
    public let errorLogURLBase: String

    public init(errorLogDirectory: String, errorLogURLBase: String) {
        self.errorLogDirectory = errorLogDirectory; self.errorLogURLBase = errorLogURLBase
    }

    public func run(_ task: LoadTask) -> TaskReport {
        let started = DispatchTime.now()
        do {
            let outcome = try execute(task, started: started)
            return TaskReport(taskID: task.id, txnID: task.txnID, status: .finished, outcome: outcome)
        } catch {
            return TaskReport(taskID: task.id, txnID: task.txnID, status: .failed, failure: "\(error)")
        }
    }

    /// What one consumer of a task read and made of it (its rows went to the segment as it read).
    private struct GroupResult {
        var next: [Int32: Int64] = [:], timestamps: [Int32: Int64] = [:], latest: [Int32: Int64] = [:]
        var bytes: Int64 = 0
        var records = 0
        var loaded = 0, filtered = 0, unselected = 0
        var rejected: [RejectedRow] = []

        mutating func add(_ r: LoadResult) {
            count(loaded: r.loadedRows, filtered: r.filteredRows, unselected: r.unselectedRows, rejected: r.rejected)
        }

        /// Folds another consumer's result into this one.
        mutating func add(_ other: GroupResult) {
            next.merge(other.next) { $1 }
            timestamps.merge(other.timestamps) { $1 }
            latest.merge(other.latest) { $1 }
            bytes += other.bytes
            count(loaded: other.loaded, filtered: other.filtered, unselected: other.unselected, rejected: other.rejected)
        }

        private mutating func count(loaded l: Int, filtered f: Int, unselected u: Int, rejected r: [RejectedRow]) {
            loaded += l; filtered += f; unselected += u
            rejected += r.prefix(max(0, TaskRunner.rejectedSample - rejected.count))
        }
    }

    /// Up to this many consumers share a task's partitions, each decoding on its own thread
    /// (StarRocks' BE: max_consumer_num_per_group = 3).
    static let maxConsumersPerTask = 3
    /// Records decoded before they are converted and streamed into the segment, so writing overlaps reading.
    static let chunkRecords = 16_384
    /// Rejected rows kept for the error log per task.
    static let rejectedSample = 100

    /// A task from the network is checked before anything runs: its segment must stay inside the volume and
    /// its limits must be usable.
    static func validate(_ task: LoadTask) throws(LoadError) {
        let parts = task.segment.split(separator: "/")
        guard !task.segment.hasPrefix("/"), !parts.isEmpty, !parts.contains(".."), task.segment.hasSuffix(".seg") else {
            throw LoadError("invalid segment path: \(task.segment)")
        }
        guard task.consumeSeconds.isFinite, task.consumeSeconds > 0, task.consumeSeconds <= 86_400 else {
            throw LoadError("invalid consume time: \(task.consumeSeconds)")
        }
        guard task.maxBatchRows > 0, task.maxBatchBytes > 0 else { throw LoadError("invalid batch limits") }
    }

    private func execute(_ task: LoadTask, started: DispatchTime) throws -> TaskOutcome {
        try Self.validate(task)
        let plan = try LoadPlan(task.spec)
        let columns = task.spec.tableColumns.map { Relation.Column($0.name, $0.type, nullable: $0.nullable) }
        let segment = try SegmentWriter(path: (task.volumeRoot as NSString).appendingPathComponent(task.segment), columns: columns)
        let partitions = task.begin.keys.sorted()
        let n = max(1, min(Self.maxConsumersPerTask, partitions.count))
        let groups = (0..<n).map { g in stride(from: g, to: partitions.count, by: n).map { partitions[$0] } }
        let deadline = started.uptimeNanoseconds + UInt64(task.consumeSeconds * 1e9)
        let results = ResultSlots<GroupResult>(count: n)
        let budget = TaskBudget(rows: task.maxBatchRows, bytes: task.maxBatchBytes)
        let prefetch = Prefetch(task, consumers: n)
        // One thread per consumer, all at once: concurrentPerform would run only as many as there are cores, and a
        // consumer spends much of its time waiting on fetches.
        let done = DispatchGroup()
        for g in 0..<n {
            let begin = Dictionary(uniqueKeysWithValues: groups[g].map { ($0, task.begin[$0]!) })
            done.enter()
            Thread.detachNewThread {
                results.set(g, Result {
                    try consume(task, plan: plan, begin: begin, into: segment, deadline: deadline, budget: budget, prefetch: prefetch)
                })
                done.leave()
            }
        }
        done.wait()
        var merged = GroupResult()
        do {
            for r in results.all { merged.add(try r.get()) }
            if merged.loaded > 0 { try segment.finish() } else { segment.cancel() }
        } catch {
            segment.cancel()
            throw error
        }
        var url: String?
        if !merged.rejected.isEmpty { url = try writeErrorLog(task, merged.rejected) }
        let elapsed = Int64((DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000)
        return TaskOutcome(endOffsets: merged.next, timestamps: merged.timestamps, latestOffsets: merged.latest,
                           loadedRows: Int64(merged.loaded), filteredRows: Int64(merged.filtered),
                           unselectedRows: Int64(merged.unselected), receivedBytes: merged.bytes, executeMillis: max(1, elapsed),
                           errorLogURL: url)
    }

    /// One consumer: reads its partitions until the deadline, the task's shared row/byte budget or its own prefetch
    /// allowance is spent, or the end of every partition, streaming converted rows into the segment every
    /// ``chunkRecords`` records.
    private func consume(_ task: LoadTask, plan: LoadPlan, begin: [Int32: Int64], into segment: SegmentWriter, deadline: UInt64,
                         budget: TaskBudget, prefetch: Prefetch) throws -> GroupResult {
        let batch = LoadBatch(plan: plan)
        let consumer = try KafkaPartitionConsumer(brokers: task.brokers, topic: task.topic, start: begin,
                                                  properties: prefetch.settings + task.properties.map { ($0.key, $0.value) })
        var out = GroupResult()
        var atEnd = Set<Int32>()
        var counted = 0, countedBytes: Int64 = 0          // what this consumer has charged to the budget
        var messages = 0
        func drain() throws {
            out.records += batch.recordCount
            let r = try batch.finish()
            if !r.rows.isEmpty { try segment.append(r.rows, ops: r.ops) }
            out.add(r)
        }
        while atEnd.count < begin.count, budget.remains, prefetch.allows(messages: messages, bytes: out.bytes) {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else { break }
            // Short waits: a consumer whose partitions are quiet notices soon that the others have spent the budget.
            let wait = Int32(min(20, max(1, (deadline - now) / 1_000_000)))
            let events: [KafkaConsumerEvent]
            do {
                events = try consumer.poll(timeoutMilliseconds: wait) { m in
                    // Never a message twice: nothing before the task's range or what this consumer already read.
                    guard m.offset >= (out.next[m.partition] ?? begin[m.partition] ?? .max) else { return }
                    batch.add(m.payload)
                    messages += 1
                    out.next[m.partition] = m.offset + 1
                    if m.timestamp >= 0 { out.timestamps[m.partition] = m.timestamp }
                    out.bytes += Int64(m.payload.count)
                    atEnd.remove(m.partition)
                }
            } catch {
                throw Self.consumeFailure(error, at: out.next, begin: begin)
            }
            budget.spend(rows: out.records + batch.recordCount - counted, bytes: out.bytes - countedBytes)
            counted = out.records + batch.recordCount; countedBytes = out.bytes
            for case .endOfPartition(let p, let end) in events {
                atEnd.insert(p)
                out.latest[p] = end
                // An end beyond the last message (transaction markers) still moves the offset.
                if end > (out.next[p] ?? begin[p] ?? end) { out.next[p] = end }
            }
            if batch.recordCount >= Self.chunkRecords { try drain() }
        }
        try drain()
        return out
    }

    /// The task's failure text for a consumer error; an offset outside the log gets StarRocks' advice.
    static func consumeFailure(_ error: KafkaError, at next: [Int32: Int64], begin: [Int32: Int64]) -> LoadError {
        guard case .partitionFailed(let p, let text) = error, text.lowercased().contains("offset out of range") else {
            return LoadError("kafka consume failed, err: \(error)")
        }
        return LoadError("\(text), this is no data in partition: \(p) at offset: \(next[p] ?? begin[p] ?? -1). "
            + "you can modify kafka_offsets by alter routine load, then resume the job. "
            + "refer to https://docs.starrocks.io/docs/sql-reference/sql-statements/data-manipulation/ALTER_ROUTINE_LOAD")
    }

    /// One line per rejected row: `Error: <reason>. Row: <row>`, as StarRocks' error logs read.
    private func writeErrorLog(_ task: LoadTask, _ rows: [RejectedRow]) throws -> String {
        try FileManager.default.createDirectory(atPath: errorLogDirectory, withIntermediateDirectories: true)
        let name = "error_log_\(task.label.replacingOccurrences(of: "/", with: "_"))_\(task.txnID)"
        let text = rows.map { "Error: \($0.reason). Row: \($0.row)\n" }.joined()
        try Data(text.utf8).write(to: URL(fileURLWithPath: (errorLogDirectory as NSString).appendingPathComponent(name)))
        return errorLogURLBase + "/api/_load_error_log?file=" + name
    }
}

/// How much one consumer of a task may read, so it never waits on librdkafka's prefetch. librdkafka 2.0 stops
/// fetching for a consumer once `queued.min.messages` messages or `queued.max.messages.kbytes` are queued, and after
/// the application has drained that queue it fetches again only at its broker thread's next wake-up, up to a second
/// later (2.1 added `fetch.queue.backoff.ms` for this). So each consumer's queue is sized to twice its share of the
/// task's row cap, and the consumer stops one poll batch short of either threshold: what it reads in a task is
/// always already fetched. The shared ``TaskBudget`` still caps the task as a whole.
struct Prefetch: Sendable {
    let messages: Int
    let kilobytes: Int
    /// librdkafka settings for the task's consumers (a job's own `property.*` values come after, and win).
    let settings: [(String, String)]

    init(_ task: LoadTask, consumers: Int) {
        func user(_ key: String) -> Int? { task.properties.last { $0.key == key }.flatMap { Int($0.value) } }
        let userMessages = user("queued.min.messages"), userKilobytes = user("queued.max.messages.kbytes")
        let share = Int(min(Double(task.maxBatchRows) * 2 / Double(max(1, consumers)), 9_000_000))
        messages = userMessages ?? max(10_000, share + 2 * Self.pollBatch)
        kilobytes = userKilobytes ?? 65_536                          // librdkafka's default
        settings = [("queued.min.messages", String(messages))]
    }

    /// Messages one poll may return (``KafkaPartitionConsumer/poll``'s default).
    static let pollBatch = 1024

    func allows(messages read: Int, bytes: Int64) -> Bool {
        read + Self.pollBatch < messages && bytes < Int64(kilobytes) * 1024 * 3 / 4
    }
}

/// The row and byte caps of one task, shared by its consumers: whichever reads faster may take more, so a task
/// is not cut short while one consumer still has data and another has used up an even share. Checked per poll,
/// so a task may go over by one poll batch per consumer.
final class TaskBudget: @unchecked Sendable {
    private let lock = NSLock()
    private var rows: Int
    private var bytes: Int64
    init(rows: Int, bytes: Int64) { self.rows = rows; self.bytes = bytes }
    var remains: Bool { lock.withLock { rows > 0 && bytes > 0 } }
    func spend(rows r: Int, bytes b: Int64) { lock.withLock { rows -= r; bytes -= b } }
}

/// One result slot per concurrent worker.
private final class ResultSlots<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<T, any Error>?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<T, any Error>) { lock.withLock { slots[i] = r } }
    var all: [Result<T, any Error>] { lock.withLock { slots.map { $0 ?? .failure(LoadError("a consumer did not finish")) } } }
}
