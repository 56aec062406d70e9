import CRdKafka

/// One message as the consumer hands it out: the payload is only valid inside the callback.
public struct KafkaMessage {
    public var partition: Int32
    public var offset: Int64
    /// Message timestamp in milliseconds since the epoch, or -1.
    public var timestamp: Int64
    public var payload: UnsafeRawBufferPointer
}

/// What one poll of a ``KafkaPartitionConsumer`` produced.
public enum KafkaConsumerEvent {
    /// Messages were delivered to the callback.
    case messages(Int)
    /// The partition has no more messages right now; `next` is the offset the next message will get.
    case endOfPartition(partition: Int32, next: Int64)
    /// Nothing arrived within the timeout.
    case idle
}

/// A consumer assigned to explicit partitions at explicit offsets: no consumer-group rebalancing and no
/// offset commits (offsets live in the FE catalog). `auto.offset.reset=error` makes a start offset outside the
/// log an error instead of a silent jump, so no offset is ever skipped.
public final class KafkaPartitionConsumer {
    private let handle: OpaquePointer
    private let queue: OpaquePointer
    public private(set) var topic: String
    /// A poll reported an error: the consumer is not given to another task (``KafkaConsumerPool``).
    public private(set) var failed = false
    /// Topics this consumer has been assigned (librdkafka knows their leaders).
    private var knownTopics = Set<String>()
    /// The partitions of the current assignment, and the librdkafka topic handle seen to carry ``topic``: anything else
    /// a reused consumer might still hold from an earlier assignment is dropped, never handed to the task.
    private var assigned = Set<Int32>()
    /// `assigned` for partitions 0–63, checked per message without hashing.
    private var assignedMask: UInt64 = 0
    private var topicHandle: OpaquePointer?

    /// - Parameters:
    ///   - tuning: settings of the caller's own (queue sizes), applied before `properties`.
    ///   - properties: a job's `property.*` settings (e.g. SASL/SSL); refused unless ``KafkaPropertyPolicy`` allows
    ///     every one of them.
    public init(brokers: String, topic: String, start: [Int32: Int64], tuning: [(String, String)] = [],
                properties: [(String, String)] = []) throws(KafkaError) {
        self.topic = topic
        if let refusal = KafkaPropertyPolicy.firstRefusal(properties) ?? KafkaPropertyPolicy.fileRefusal(properties) { throw .failed(refusal) }
        handle = try KafkaHandle.make(RD_KAFKA_CONSUMER, settings: [
            ("bootstrap.servers", brokers), ("group.id", "tributary"), ("log_level", "0"),
            ("enable.partition.eof", "true"), ("enable.auto.commit", "false"), ("enable.auto.offset.store", "false"),
            ("auto.offset.reset", "error"), ("allow.auto.create.topics", "false"),
            ("fetch.wait.max.ms", "10"), ("socket.timeout.ms", "10000"),
        ] + tuning + KafkaPropertyPolicy.librdkafkaSettings(properties))
        queue = rd_kafka_queue_get_consumer(handle)
        do { try assign(topic: topic, start: start) } catch {
            rd_kafka_queue_destroy(queue)
            rd_kafka_destroy(handle)
            throw error
        }
    }

    deinit {
        rd_kafka_queue_destroy(queue)
        _ = rd_kafka_assign(handle, nil)
        rd_kafka_destroy(handle)
    }

    /// Reads `topic`'s partitions from the `start` offsets from now on (the next task of a pooled consumer).
    public func assign(topic: String, start: [Int32: Int64]) throws(KafkaError) {
        self.topic = topic
        if !knownTopics.isEmpty, !knownTopics.contains(topic) {
            // A topic new to this consumer: librdkafka would learn its leaders on its one-second metadata timer.
            // Ask now; if that fails, the assignment still works, a second later.
            if let rkt = rd_kafka_topic_new(handle, topic, nil) {
                var metadata: UnsafePointer<rd_kafka_metadata>?
                if rd_kafka_metadata(handle, 0, rkt, &metadata, 5_000) == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata {
                    rd_kafka_metadata_destroy(metadata)
                }
                rd_kafka_topic_destroy(rkt)
            }
        }
        knownTopics.insert(topic)
        let list = rd_kafka_topic_partition_list_new(Int32(start.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for (p, offset) in start.sorted(by: { $0.key < $1.key }) {
            rd_kafka_topic_partition_list_add(list, topic, p).pointee.offset = offset
        }
        let err = rd_kafka_assign(handle, list)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw .failed(String(cString: rd_kafka_err2str(err))) }
        assigned = Set(start.keys)
        assignedMask = start.keys.reduce(0) { $1 >= 0 && $1 < 64 ? $0 | (1 << UInt64($1)) : $0 }
        topicHandle = nil
    }

    /// Whether a message or event belongs to the current assignment.
    private func current(_ m: rd_kafka_message_t) -> Bool {
        let p = m.partition
        guard p >= 0 && p < 64 ? assignedMask & (1 << UInt64(p)) != 0 : assigned.contains(p), let rkt = m.rkt else { return false }
        if rkt == topicHandle { return true }
        guard let name = rd_kafka_topic_name(rkt), String(cString: name) == topic else { return false }
        topicHandle = rkt
        return true
    }

    /// Stops reading and drops whatever was fetched and not polled, so the next assignment starts clean. False if
    /// librdkafka refused (the consumer should then not be used again).
    public func unassign() -> Bool {
        assigned = []
        assignedMask = 0
        topicHandle = nil
        guard rd_kafka_assign(handle, nil) == RD_KAFKA_RESP_ERR_NO_ERROR else { return false }
        _ = rd_kafka_poll(handle, 0)                             // serve the main queue (errors, token refreshes) between tasks
        var batch = [UnsafeMutablePointer<rd_kafka_message_t>?](repeating: nil, count: 256)
        while true {
            let n = batch.withUnsafeMutableBufferPointer { rd_kafka_consume_batch_queue(queue, 0, $0.baseAddress, 256) }
            guard n > 0 else { return true }
            for i in 0..<n { rd_kafka_message_destroy(batch[i]) }
        }
    }

    /// Waits up to `timeoutMilliseconds` for the next batch (up to `maxMessages`) and hands each message
    /// to `body`. A consumer error (offset out of range, broker failure) is thrown with librdkafka's text
    /// and the partition it concerns.
    public func poll(timeoutMilliseconds: Int32, maxMessages: Int = 1024,
                     _ body: (KafkaMessage) -> Void) throws(KafkaError) -> [KafkaConsumerEvent] {
        var batch = [UnsafeMutablePointer<rd_kafka_message_t>?](repeating: nil, count: maxMessages)
        // What is there now; else wait for the first message only (a batch call would wait out the whole timeout for
        // a batch that a trickle never fills), then take what came with it.
        var n = batch.withUnsafeMutableBufferPointer { rd_kafka_consume_batch_queue(queue, 0, $0.baseAddress, maxMessages) }
        if n == 0, let first = rd_kafka_consume_queue(queue, timeoutMilliseconds) {
            batch[0] = first
            n = 1 + max(0, batch.withUnsafeMutableBufferPointer { rd_kafka_consume_batch_queue(queue, 0, $0.baseAddress! + 1, maxMessages - 1) })
        }
        guard n > 0 else { return [.idle] }
        defer { for i in 0..<n { rd_kafka_message_destroy(batch[i]) } }
        var events: [KafkaConsumerEvent] = []
        var delivered = 0
        var failure: KafkaError?
        var last: [Int32: Int64] = [:]                           // the last offset delivered per partition, until an EOF
        for i in 0..<n {
            let m = batch[i]!.pointee
            if m.rkt != nil, !current(m) { continue }            // left over from an earlier assignment
            switch m.err {
            case RD_KAFKA_RESP_ERR_NO_ERROR:
                var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
                let ts = rd_kafka_message_timestamp(batch[i], &type)
                let payload = UnsafeRawBufferPointer(start: m.payload, count: m.len)
                body(KafkaMessage(partition: m.partition, offset: m.offset, timestamp: ts, payload: payload))
                delivered += 1
                last[m.partition] = m.offset
            case RD_KAFKA_RESP_ERR__PARTITION_EOF:
                last[m.partition] = nil
                if delivered > 0 { events.append(.messages(delivered)); delivered = 0 }
                events.append(.endOfPartition(partition: m.partition, next: m.offset))
            default:
                let text = m.payload.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: m.len), as: UTF8.self) }
                    ?? String(cString: rd_kafka_err2str(m.err))
                if failure == nil { failure = .partitionFailed(partition: m.partition, text) }
            }
        }
        if let failure {
            failed = true
            throw failure
        }
        if delivered > 0 { events.append(.messages(delivered)) }
        // The fetch that brought a partition's last message also said where its log ends: at that end, say so now
        // rather than after one more (empty, fetch.wait.max.ms long) fetch, which is when librdkafka would.
        for (p, offset) in last.sorted(by: { $0.key < $1.key }) {
            var low: Int64 = 0, high: Int64 = 0
            guard rd_kafka_get_watermark_offsets(handle, topic, p, &low, &high) == RD_KAFKA_RESP_ERR_NO_ERROR, high == offset + 1 else { continue }
            events.append(.endOfPartition(partition: p, next: high))
        }
        return events
    }
}
