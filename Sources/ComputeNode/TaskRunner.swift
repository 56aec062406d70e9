import Dispatch
import Foundation
import Kafka
import LoadPipeline
import ObjectStore
import SQLParser
import Storage
import TaskContract

/// Runs one task to completion (reference routine_load.md §3.6): consume the task's partitions from their
/// begin offsets until task_consume_second, the byte or row cap, or the end of every partition; decode and
/// transform the messages; write the loaded rows as the transaction's segment; write rejected rows to an
/// error log. Never throws: every failure becomes a failed report the FE turns into an aborted transaction.
public struct TaskRunner: Sendable {
    /// The node's own storage directory: segments are written under it, never anywhere a task names.
    public let segmentRoot: String
    /// Directory of error-log files, and the URL prefix they are served under.
    public let errorLogDirectory: String
    public let errorLogURLBase: String
    /// Consumers handed from one task to the next.
    public let consumers: KafkaConsumerPool
    /// S3 clients by volume settings, so uploads reuse their connections.
    let objectStores = ObjectStoreClients()
    /// Avro schema registries by URL, each caching the schemas it gave.
    let schemaRegistries = SchemaRegistries()

    public init(segmentRoot: String, errorLogDirectory: String, errorLogURLBase: String, consumers: KafkaConsumerPool = KafkaConsumerPool()) {
        self.segmentRoot = segmentRoot; self.errorLogDirectory = errorLogDirectory; self.errorLogURLBase = errorLogURLBase
        self.consumers = consumers
    }

    public func run(_ task: LoadTask) -> TaskReport {
        let started = DispatchTime.now()
        do {
            try Self.validate(task)
        } catch {
            return TaskReport(taskID: task.id, txnID: task.txnID, status: .failed, failure: "\(error)", failureKind: .invalidTask)
        }
        do {
            let outcome = try execute(task, started: started)
            return TaskReport(taskID: task.id, txnID: task.txnID, status: .finished, outcome: outcome)
        } catch let error as TaskError {
            return TaskReport(taskID: task.id, txnID: task.txnID, status: .failed, failure: error.message, failureKind: error.kind)
        } catch let error as KafkaError {
            return TaskReport(taskID: task.id, txnID: task.txnID, status: .failed, failure: "\(error)", failureKind: .kafka)
        } catch {
            return TaskReport(taskID: task.id, txnID: task.txnID, status: .failed, failure: "\(error)", failureKind: .load)
        }
    }

    /// Messages per chunk handed to a decoder (tests make it small to cross chunk boundaries often).
    var chunkMessages = 8192
    /// Decoder threads per task; at most ``maxDecodersPerTask``.
    var decoders = min(TaskRunner.maxDecodersPerTask, max(1, ProcessInfo.processInfo.activeProcessorCount))

    /// Up to this many threads decode a task's messages (StarRocks' BE runs up to 3 consumers per task,
    /// max_consumer_num_per_group; here one consumer reads and up to 3 threads decode).
    static let maxDecodersPerTask = 3
    /// A chunk is handed over at ``chunkMessages`` messages or this many bytes, whichever comes first.
    static let chunkBytes = 4 << 20
    /// What may wait between the consumer and the decoders (see ``ChunkQueue``): up to 64 chunks or 32 MB. Messages
    /// read before the consume deadline are still decoded after it, so a task can end past task_consume_second by the
    /// time its decoders take for what is queued here.
    static let queuedChunks = 64
    static let queuedBytes = 32 << 20
    /// Rejected rows kept for the error log per task.
    static let rejectedSample = 100

    /// A task from the network is checked before anything runs: its segment must be a name the FE gives
    /// (`db<n>/t<n>/txn<n>.seg`, inside the node's storage root), its limits usable, its Kafka settings allowed.
    static func validate(_ task: LoadTask) throws(LoadError) {
        guard SegmentName.isValid(task.segment) else { throw LoadError("invalid segment path: \(task.segment)") }
        guard task.consumeSeconds.isFinite, task.consumeSeconds > 0, task.consumeSeconds <= 86_400 else {
            throw LoadError("invalid consume time: \(task.consumeSeconds)")
        }
        guard task.maxBatchRows > 0, task.maxBatchBytes > 0 else { throw LoadError("invalid batch limits") }
        if let refusal = KafkaPropertyPolicy.firstRefusal(task.properties.map { ($0.key, $0.value) }) { throw LoadError(refusal) }
        if let upload = task.upload {
            // Only the key the FE derives from the segment's name, and only an http(s) endpoint in its normal form.
            guard upload.volume.isWellFormed, upload.key == upload.volume.key(task.segment) else {
                throw LoadError("invalid segment upload \(upload)")
            }
        }
    }

    /// One librdkafka consumer (from the node's pool, handed on to the next task) reads all the task's partitions and
    /// copies the messages into chunks; decoder threads turn chunks into rows and append them to the segment in read
    /// order. The reading thread does little per message, so decoding is spread evenly however the data is spread
    /// over partitions.
    private func execute(_ task: LoadTask, started: DispatchTime) throws -> TaskOutcome {
        let plan = try LoadPlan(task.spec)
        let schemas: (any AvroSchemaSource)?
        if task.spec.format == .avro {
            guard let url = task.spec.schemaRegistryURL else { throw LoadError("an Avro load needs confluent.schema.registry.url") }
            schemas = try schemaRegistries.registry(url)
        } else {
            schemas = nil
        }
        let columns = task.spec.tableColumns.map { Relation.Column($0.name, $0.type, nullable: $0.nullable) }
        let segment = try SegmentWriter(path: (segmentRoot as NSString).appendingPathComponent(task.segment), columns: columns)
        if let updated = plan.updateColumns, let json = try? JSONEncoder().encode(updated) {
            segment.setMeta(Segment.updateColumnsKey, String(decoding: json, as: UTF8.self))
        }
        if task.spec.keysType == .primary, let condition = task.spec.mergeCondition { segment.setMeta(Segment.mergeConditionKey, condition) }
        let prefetch = Prefetch(task)
        let consumer: KafkaPartitionConsumer
        do {
            consumer = try consumers.consumer(brokers: task.brokers, topic: task.topic, start: task.begin, tuning: prefetch.settings,
                                              properties: task.properties.map { ($0.key, $0.value) })
        } catch {
            segment.cancel()
            throw error
        }
        let queue = ChunkQueue(capacity: Self.queuedChunks, maxBytes: Self.queuedBytes)
        let turns = Turnstile(), failure = FirstFailure()
        let budget = TaskBudget(rows: task.maxBatchRows, bytes: task.maxBatchBytes)
        let decoded = DecodeResults()
        let done = DispatchGroup()
        for _ in 0..<decoders {
            done.enter()
            let decoder = Thread {
                decoded.add(Self.decode(queue, plan: plan, into: segment, turns: turns, budget: budget, failure: failure, schemas: schemas))
                done.leave()
            }
            decoder.stackSize = Parser.threadStackSize               // decoders evaluate COLUMNS and WHERE
            decoder.name = "tributary-decoder"
            decoder.start()
        }
        var read = ReadProgress(begin: task.begin)
        do {
            let deadline = started.uptimeNanoseconds + UInt64(task.consumeSeconds * 1e9)
            try self.read(consumer, task, into: queue, progress: &read, deadline: deadline, budget: budget, prefetch: prefetch, failure: failure)
        } catch {
            failure.set(error)
        }
        queue.close()
        consumers.giveBack(consumer)
        done.wait()
        let result = decoded.total
        do {
            if let error = failure.value { throw error }
            if result.loaded > 0 { try segment.finish() } else { segment.cancel() }
        } catch {
            segment.cancel()
            throw error
        }
        var uploaded: Int64?
        if result.loaded > 0, let upload = task.upload { uploaded = try store(task.segment, upload) }
        var url: String?
        if !result.rejected.isEmpty { url = try writeErrorLog(task, result.rejected) }
        let elapsed = Int64((DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000)
        return TaskOutcome(endOffsets: read.next, timestamps: read.timestamps, latestOffsets: read.latest,
                           loadedRows: Int64(result.loaded), filteredRows: Int64(result.filtered),
                           unselectedRows: Int64(result.unselected), receivedBytes: read.bytes, executeMillis: max(1, elapsed),
                           errorLogURL: url, segmentBytes: uploaded)
    }

    /// Uploads a finished segment to its table's volume and returns its size; a node that is not the FE's drops its
    /// own copy afterwards.
    private func store(_ segment: String, _ upload: SegmentUpload) throws -> Int64 {
        let path = (segmentRoot as NSString).appendingPathComponent(segment)
        defer { if !upload.keepLocalCopy { try? FileManager.default.removeItem(atPath: path) } }
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int else {
            throw TaskError(.storage, "segment \(segment) was not written")
        }
        do { try objectStores.client(upload.volume).upload(file: path, to: upload.key) } catch {
            throw TaskError(.storage, "\(error)")
        }
        return Int64(size)
    }

    /// The reading side: polls until the deadline, the task's row/byte budget or the prefetch allowance is spent,
    /// the end of every partition, or a decoder failed; hands a chunk over every ``chunkMessages`` messages.
    private func read(_ consumer: KafkaPartitionConsumer, _ task: LoadTask, into queue: ChunkQueue, progress: inout ReadProgress,
                      deadline: UInt64, budget: TaskBudget, prefetch: Prefetch, failure: FirstFailure) throws(TaskError) {
        var chunk = MessageChunk(sequence: 0, messages: chunkMessages)
        while !progress.allAtEnd, budget.remains, prefetch.allows(messages: progress.messages, bytes: progress.bytes), !failure.isSet {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else { break }
            // Short waits, so a decoder's failure or the deadline is noticed soon.
            let wait = Int32(min(20, max(1, (deadline - now) / 1_000_000)))
            let before = (progress.messages, progress.bytes)
            let events: [KafkaConsumerEvent]
            do {
                events = try consumer.poll(timeoutMilliseconds: wait) { m in
                    if progress.accept(m) { chunk.append(m.payload) }
                }
            } catch {
                progress.flush()
                throw Self.consumeFailure(error, at: progress.next, begin: task.begin)
            }
            budget.spend(rows: progress.messages - before.0, bytes: progress.bytes - before.1)
            for case .endOfPartition(let p, let end) in events { progress.reachedEnd(p, next: end) }
            if chunk.count >= chunkMessages || chunk.bytes.count >= Self.chunkBytes {
                queue.put(chunk)
                chunk = MessageChunk(sequence: chunk.sequence + 1, reserving: chunk.bytes.count, messages: chunkMessages)   // chunks are alike in size
            }
        }
        progress.flush()
        if chunk.count > 0 { queue.put(chunk) }
    }

    /// The decoding side: one thread's loop over chunks, with a ``LoadBatch`` of its own. Conversion runs in
    /// parallel; the segment append waits for the chunk's turn.
    private static func decode(_ queue: ChunkQueue, plan: LoadPlan, into segment: SegmentWriter, turns: Turnstile,
                               budget: TaskBudget, failure: FirstFailure, schemas: (any AvroSchemaSource)?) -> DecodeResult {
        let batch = LoadBatch(plan: plan, evaluator: SQLiteExpressionEvaluator(), avroSchemas: schemas)
        var out = DecodeResult()
        while let chunk = queue.take() {
            guard !failure.isSet else { turns.inTurn(chunk.sequence) {}; continue }
            chunk.forEach { batch.add($0) }
            let records = batch.recordCount
            budget.spend(rows: records - chunk.count, bytes: 0)        // the reader charged one row per message
            let result = Result { () throws(LoadError) -> LoadResult in try batch.finish() }
            do {
                try turns.inTurn(chunk.sequence) {
                    let r = try result.get()
                    if !r.rows.isEmpty { try segment.append(r.rows, ops: r.ops) }
                }
                out.add(try result.get())
            } catch {
                failure.set(error)
            }
        }
        return out
    }

    /// The task's failure for a consumer error; an offset outside the log gets StarRocks' advice.
    static func consumeFailure(_ error: KafkaError, at next: [Int32: Int64], begin: [Int32: Int64]) -> TaskError {
        guard case .partitionFailed(let p, let text) = error, text.lowercased().contains("offset out of range") else {
            return TaskError(.kafka, "kafka consume failed, err: \(error)")
        }
        return TaskError(.offsetOutOfRange, "\(text), this is no data in partition: \(p) at offset: \(next[p] ?? begin[p] ?? -1). "
            + "you can modify kafka_offsets by alter routine load, then resume the job. "
            + "refer to https://docs.starrocks.io/docs/sql-reference/sql-statements/data-manipulation/ALTER_ROUTINE_LOAD")
    }

    /// One line per rejected row: `Error: <reason>. Row: <row>`, as StarRocks' error logs read.
    private func writeErrorLog(_ task: LoadTask, _ rows: [RejectedRow]) throws -> String {
        try FileManager.default.createDirectory(atPath: errorLogDirectory, withIntermediateDirectories: true)
        // The random part makes the URL the only way to the file (the route serving it needs no signature).
        let label = String(task.label.unicodeScalars.filter { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }.prefix(160))
        var rng = SystemRandomNumberGenerator()
        let random = (0..<2).map { _ in String(rng.next() as UInt64, radix: 16).leftPadded(to: 16) }.joined()
        let name = "error_log_\(label)_\(task.txnID)_\(random)"
        let text = rows.map { "Error: \($0.reason). Row: \($0.row)\n" }.joined()
        try Data(text.utf8).write(to: URL(fileURLWithPath: (errorLogDirectory as NSString).appendingPathComponent(name)))
        return errorLogURLBase + "/api/_load_error_log?file=" + name
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
