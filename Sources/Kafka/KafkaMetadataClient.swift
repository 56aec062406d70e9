import CRdKafka

/// Metadata and watermark queries against a Kafka cluster through librdkafka: a timeout on every call, and typed errors
/// instead of hangs. ``KafkaMetadataConnection`` keeps one handle for many requests (the scheduler keeps one per
/// cluster, so a readiness check costs one request, not a client); ``KafkaMetadataClient`` makes a handle per call.
public struct KafkaMetadataClient: Sendable {
    public let brokers: String
    public let timeoutMilliseconds: Int32
    /// librdkafka settings passed through (`property.*` of a job, e.g. security settings), checked against
    /// ``KafkaPropertyPolicy`` before any handle is made.
    public let properties: [(String, String)]

    public init(brokers: String, timeoutMilliseconds: Int32 = 5000, properties: [(String, String)] = []) {
        self.brokers = brokers; self.timeoutMilliseconds = timeoutMilliseconds; self.properties = properties
    }

    /// The topic's partition ids, sorted.
    public func partitions(topic: String) throws(KafkaError) -> [Int32] { try connection().partitions(topic: topic) }

    /// Low and high watermarks of each partition (see ``KafkaMetadataConnection/watermarks(topic:partitions:)``).
    public func watermarks(topic: String, partitions: [Int32]) throws(KafkaError) -> [Int32: (low: Int64, high: Int64)] {
        guard !partitions.isEmpty else { return [:] }
        return try connection().watermarks(topic: topic, partitions: partitions)
    }

    private func connection() throws(KafkaError) -> KafkaMetadataConnection {
        try KafkaMetadataConnection(brokers: brokers, timeoutMilliseconds: timeoutMilliseconds, properties: properties)
    }

    /// Errors that mean no broker answered (rather than a broker saying no).
    static func isUnreachable(_ err: rd_kafka_resp_err_t) -> Bool {
        [RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__RESOLVE,
         RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE].contains(err)
    }
}

/// One librdkafka handle for metadata and offset requests to a cluster, kept open across requests. librdkafka handles
/// are thread-safe, so one connection serves concurrent requests.
public final class KafkaMetadataConnection: @unchecked Sendable {
    private let handle: OpaquePointer
    public let timeoutMilliseconds: Int32

    /// - Parameter properties: a job's `property.*` settings, refused unless ``KafkaPropertyPolicy`` allows them.
    public init(brokers: String, timeoutMilliseconds: Int32 = 5000, properties: [(String, String)] = []) throws(KafkaError) {
        if let refusal = KafkaPropertyPolicy.firstRefusal(properties) ?? KafkaPropertyPolicy.fileRefusal(properties) { throw .failed(refusal) }
        self.timeoutMilliseconds = timeoutMilliseconds
        handle = try KafkaHandle.make(RD_KAFKA_CONSUMER, settings: [
            ("bootstrap.servers", brokers), ("socket.timeout.ms", String(timeoutMilliseconds)),
            ("allow.auto.create.topics", "false"), ("log_level", "0")] + KafkaPropertyPolicy.librdkafkaSettings(properties))
    }

    deinit { rd_kafka_destroy(handle) }

    /// The topic's partition ids, sorted.
    public func partitions(topic: String) throws(KafkaError) -> [Int32] {
        guard let rkt = rd_kafka_topic_new(handle, topic, nil) else { throw .failed("cannot create a topic handle") }
        defer { rd_kafka_topic_destroy(rkt) }
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let err = rd_kafka_metadata(handle, 0, rkt, &metadata, timeoutMilliseconds)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else { throw Self.error(err, topic: topic) }
        defer { rd_kafka_metadata_destroy(metadata) }
        guard metadata.pointee.topic_cnt >= 1 else { throw .unknownTopic(topic) }
        let t = metadata.pointee.topics[0]
        guard t.err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw Self.error(t.err, topic: topic) }
        return (0..<Int(t.partition_cnt)).map { t.partitions[$0].id }.sorted()
    }

    /// Low and high watermarks (first available offset, next offset to be written) of each partition: two
    /// ListOffsets requests (earliest, latest) for all the partitions.
    public func watermarks(topic: String, partitions: [Int32]) throws(KafkaError) -> [Int32: (low: Int64, high: Int64)] {
        guard !partitions.isEmpty else { return [:] }
        let wanted = partitions.map { (topic, $0) }
        let low = try offsets(wanted, at: Int64(RD_KAFKA_OFFSET_BEGINNING))
        let high = try offsets(wanted, at: Int64(RD_KAFKA_OFFSET_END))
        var out: [Int32: (low: Int64, high: Int64)] = [:]
        for p in partitions { if let l = low[topic]?[p], let h = high[topic]?[p] { out[p] = (l, h) } }
        return out
    }

    /// The high watermark (the next offset to be written) of partitions of any topics, in one request round.
    public func highWatermarks(_ partitions: [(topic: String, partition: Int32)]) throws(KafkaError) -> [String: [Int32: Int64]] {
        guard !partitions.isEmpty else { return [:] }
        return try offsets(partitions, at: Int64(RD_KAFKA_OFFSET_END))
    }

    /// The first offset whose message timestamp (ms) is at or after each partition's time, in one request; -1 for a
    /// partition with no message that recent.
    public func offsets(topic: String, atTimes times: [Int32: Int64]) throws(KafkaError) -> [Int32: Int64] {
        let sorted = times.sorted { $0.key < $1.key }
        return try offsets(sorted.map { (topic, $0.key) }, at: sorted.map(\.value))[topic] ?? [:]
    }

    /// Each partition's offset for a logical position (`RD_KAFKA_OFFSET_BEGINNING` / `_END`), in one request.
    private func offsets(_ partitions: [(topic: String, partition: Int32)], at position: Int64) throws(KafkaError) -> [String: [Int32: Int64]] {
        try offsets(partitions, at: Array(repeating: position, count: partitions.count))
    }

    /// Each partition's offset for its own position: a logical one or a timestamp in ms (ListOffsets by time).
    private func offsets(_ partitions: [(topic: String, partition: Int32)], at positions: [Int64]) throws(KafkaError) -> [String: [Int32: Int64]] {
        guard let list = rd_kafka_topic_partition_list_new(Int32(partitions.count)) else { throw .failed("out of memory") }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for ((t, p), position) in zip(partitions, positions) { rd_kafka_topic_partition_list_add(list, t, p).pointee.offset = position }
        let err = rd_kafka_offsets_for_times(handle, list, Int32(timeoutMilliseconds))
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            if err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART { throw .unknownPartition(topic: partitions[0].topic, partition: partitions[0].partition) }
            if KafkaMetadataClient.isUnreachable(err) { throw .unreachable(String(cString: rd_kafka_err2str(err))) }
            throw .partitionFailed(partition: partitions[0].partition, String(cString: rd_kafka_err2str(err)))
        }
        var out: [String: [Int32: Int64]] = [:]
        for i in 0..<Int(list.pointee.cnt) {
            let e = list.pointee.elems[i]
            let topic = String(cString: e.topic)
            guard e.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                if e.err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART { throw .unknownPartition(topic: topic, partition: e.partition) }
                throw .partitionFailed(partition: e.partition, String(cString: rd_kafka_err2str(e.err)))
            }
            out[topic, default: [:]][e.partition] = e.offset
        }
        guard partitions.allSatisfy({ out[$0.topic]?[$0.partition] != nil }) else { throw .failed("the broker did not answer for every partition") }
        return out
    }

    private static func error(_ err: rd_kafka_resp_err_t, topic: String) -> KafkaError {
        let text = String(cString: rd_kafka_err2str(err))
        if KafkaMetadataClient.isUnreachable(err) { return .unreachable(text) }
        switch err {
        case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC: return .unknownTopic(topic)
        default: return .failed(text)
        }
    }
}
