import CRdKafka

/// Metadata and watermark queries against a Kafka cluster through librdkafka: a short-lived handle per
/// request, a timeout on every call, and typed errors instead of hangs. The only consumer of these
/// answers is the routine-load scheduler (partition discovery, OFFSET_BEGINNING/END resolution, lag).
public struct KafkaMetadataClient: Sendable {
    public let brokers: String
    public let timeoutMilliseconds: Int32
    /// librdkafka settings passed through (`property.*` of a job, e.g. security settings).
    public let properties: [(String, String)]

    public init(brokers: String, timeoutMilliseconds: Int32 = 5000, properties: [(String, String)] = []) {
        self.brokers = brokers; self.timeoutMilliseconds = timeoutMilliseconds; self.properties = properties
    }

    /// The topic's partition ids, sorted.
    public func partitions(topic: String) throws(KafkaError) -> [Int32] {
        try withHandle { (rk) throws(KafkaError) -> [Int32] in
            guard let rkt = rd_kafka_topic_new(rk, topic, nil) else { throw .failed("cannot create a topic handle") }
            defer { rd_kafka_topic_destroy(rkt) }
            var metadata: UnsafePointer<rd_kafka_metadata>?
            let err = rd_kafka_metadata(rk, 0, rkt, &metadata, timeoutMilliseconds)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else { throw Self.error(err, topic: topic) }
            defer { rd_kafka_metadata_destroy(metadata) }
            guard metadata.pointee.topic_cnt >= 1 else { throw .unknownTopic(topic) }
            let t = metadata.pointee.topics[0]
            guard t.err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw Self.error(t.err, topic: topic) }
            return (0..<Int(t.partition_cnt)).map { t.partitions[$0].id }.sorted()
        }
    }

    /// Low and high watermarks (first available offset, next offset to be written) of each partition, over
    /// one connection.
    public func watermarks(topic: String, partitions: [Int32]) throws(KafkaError) -> [Int32: (low: Int64, high: Int64)] {
        try withHandle { (rk) throws(KafkaError) -> [Int32: (low: Int64, high: Int64)] in
            var out: [Int32: (low: Int64, high: Int64)] = [:]
            for p in partitions {
                var low: Int64 = 0, high: Int64 = 0
                let err = rd_kafka_query_watermark_offsets(rk, topic, p, &low, &high, Int32(timeoutMilliseconds))
                guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    if err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART { throw .unknownPartition(topic: topic, partition: p) }
                    throw .partitionFailed(partition: p, String(cString: rd_kafka_err2str(err)))
                }
                out[p] = (low, high)
            }
            return out
        }
    }

    private func withHandle<T>(_ body: (OpaquePointer) throws(KafkaError) -> T) throws(KafkaError) -> T {
        let rk = try KafkaHandle.make(RD_KAFKA_CONSUMER, settings: [
            ("bootstrap.servers", brokers), ("socket.timeout.ms", String(timeoutMilliseconds)),
            ("allow.auto.create.topics", "false"), ("log_level", "0")] + properties)
        defer { rd_kafka_destroy(rk) }
        return try body(rk)
    }

    private static func error(_ err: rd_kafka_resp_err_t, topic: String) -> KafkaError {
        let text = String(cString: rd_kafka_err2str(err))
        switch err {
        case RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__RESOLVE:
            return .unreachable(text)
        case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC: return .unknownTopic(topic)
        default: return .failed(text)
        }
    }
}
