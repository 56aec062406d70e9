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
    public let topic: String

    /// - Parameters:
    ///   - tuning: settings of the caller's own (queue sizes), applied before `properties`.
    ///   - properties: a job's `property.*` settings (e.g. SASL/SSL); refused unless ``KafkaPropertyPolicy`` allows
    ///     every one of them.
    public init(brokers: String, topic: String, start: [Int32: Int64], tuning: [(String, String)] = [],
                properties: [(String, String)] = []) throws(KafkaError) {
        self.topic = topic
        if let refusal = KafkaPropertyPolicy.firstRefusal(properties) ?? KafkaPropertyPolicy.fileRefusal(properties) { throw .failed(refusal) }
        let rk = try KafkaHandle.make(RD_KAFKA_CONSUMER, settings: [
            ("bootstrap.servers", brokers), ("group.id", "tributary"), ("log_level", "0"),
            ("enable.partition.eof", "true"), ("enable.auto.commit", "false"), ("enable.auto.offset.store", "false"),
            ("auto.offset.reset", "error"), ("allow.auto.create.topics", "false"),
            ("fetch.wait.max.ms", "50"), ("socket.timeout.ms", "10000"),
        ] + tuning + KafkaPropertyPolicy.librdkafkaSettings(properties))
        let list = rd_kafka_topic_partition_list_new(Int32(start.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for (p, offset) in start.sorted(by: { $0.key < $1.key }) {
            rd_kafka_topic_partition_list_add(list, topic, p).pointee.offset = offset
        }
        let err = rd_kafka_assign(rk, list)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            rd_kafka_destroy(rk)
            throw .failed(String(cString: rd_kafka_err2str(err)))
        }
        handle = rk
        queue = rd_kafka_queue_get_consumer(rk)
    }

    deinit {
        rd_kafka_queue_destroy(queue)
        _ = rd_kafka_assign(handle, nil)
        rd_kafka_destroy(handle)
    }

    /// Waits up to `timeoutMilliseconds` for the next batch (up to `maxMessages`) and hands each message
    /// to `body`. A consumer error (offset out of range, broker failure) is thrown with librdkafka's text
    /// and the partition it concerns.
    public func poll(timeoutMilliseconds: Int32, maxMessages: Int = 1024,
                     _ body: (KafkaMessage) -> Void) throws(KafkaError) -> [KafkaConsumerEvent] {
        var batch = [UnsafeMutablePointer<rd_kafka_message_t>?](repeating: nil, count: maxMessages)
        let n = batch.withUnsafeMutableBufferPointer {
            rd_kafka_consume_batch_queue(queue, timeoutMilliseconds, $0.baseAddress, maxMessages)
        }
        guard n > 0 else { return [.idle] }
        defer { for i in 0..<n { rd_kafka_message_destroy(batch[i]) } }
        var events: [KafkaConsumerEvent] = []
        var delivered = 0
        var failure: KafkaError?
        for i in 0..<n {
            let m = batch[i]!.pointee
            switch m.err {
            case RD_KAFKA_RESP_ERR_NO_ERROR:
                var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
                let ts = rd_kafka_message_timestamp(batch[i], &type)
                let payload = UnsafeRawBufferPointer(start: m.payload, count: m.len)
                body(KafkaMessage(partition: m.partition, offset: m.offset, timestamp: ts, payload: payload))
                delivered += 1
            case RD_KAFKA_RESP_ERR__PARTITION_EOF:
                if delivered > 0 { events.append(.messages(delivered)); delivered = 0 }
                events.append(.endOfPartition(partition: m.partition, next: m.offset))
            default:
                let text = m.payload.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: m.len), as: UTF8.self) }
                    ?? String(cString: rd_kafka_err2str(m.err))
                if failure == nil { failure = .partitionFailed(partition: m.partition, text) }
            }
        }
        if let failure { throw failure }
        if delivered > 0 { events.append(.messages(delivered)) }
        return events
    }
}
