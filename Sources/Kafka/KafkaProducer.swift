import CRdKafka

/// A plain producer, for tests, benchmarks and demos (Tributary itself only consumes).
public final class KafkaProducer {
    private let handle: OpaquePointer
    private var topics: [String: OpaquePointer] = [:]

    public init(brokers: String, properties: [(String, String)] = []) throws(KafkaError) {
        handle = try KafkaHandle.make(RD_KAFKA_PRODUCER, settings: [
            ("bootstrap.servers", brokers), ("log_level", "0"), ("linger.ms", "5"),
        ] + properties)
    }

    deinit {
        _ = rd_kafka_flush(handle, 5000)
        for t in topics.values { rd_kafka_topic_destroy(t) }
        rd_kafka_destroy(handle)
    }

    /// Queues one message; `partition` nil lets the partitioner pick by key.
    public func send(topic: String, partition: Int32? = nil, key: [UInt8]? = nil, value: [UInt8]) throws(KafkaError) {
        if topics[topic] == nil { topics[topic] = rd_kafka_topic_new(handle, topic, nil) }
        guard let rkt = topics[topic] else { throw .failed("cannot create a topic handle for \(topic)") }
        while true {
            let status = value.withUnsafeBytes { v in
                (key ?? []).withUnsafeBytes { k in
                    rd_kafka_produce(rkt, partition ?? -1 /* RD_KAFKA_PARTITION_UA */, 0x2 /* RD_KAFKA_MSG_F_COPY */,
                                     UnsafeMutableRawPointer(mutating: v.baseAddress), v.count,
                                     key == nil ? nil : k.baseAddress, key?.count ?? 0, nil)
                }
            }
            if status == 0 { rd_kafka_poll(handle, 0); return }
            let err = rd_kafka_last_error()
            guard err == RD_KAFKA_RESP_ERR__QUEUE_FULL else { throw .failed(String(cString: rd_kafka_err2str(err))) }
            rd_kafka_poll(handle, 100)
        }
    }

    /// Waits until every queued message is delivered.
    public func flush(timeoutMilliseconds: Int32 = 10_000) throws(KafkaError) {
        let err = rd_kafka_flush(handle, timeoutMilliseconds)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw .failed(String(cString: rd_kafka_err2str(err))) }
    }
}
