import CRdKafka

/// Facts about the linked librdkafka.
public enum KafkaLibrary {
    /// The librdkafka version string, e.g. "2.0.2".
    public static var version: String { String(cString: rd_kafka_version_str()) }
}

/// A Kafka request that failed, with librdkafka's text.
public enum KafkaError: Error, Equatable, Sendable {
    /// Brokers did not answer within the timeout (down, unreachable, wrong address).
    case unreachable(String)
    case unknownTopic(String)
    case unknownPartition(topic: String, partition: Int32)
    /// A request about one partition failed for another reason.
    case partitionFailed(partition: Int32, String)
    case failed(String)
}

/// librdkafka's text, as users see it in reasons and messages.
extension KafkaError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .unreachable(let m), .failed(let m): return m
        case .unknownTopic(let t): return "Unknown topic or partition: \(t)"
        case .unknownPartition(let t, let p): return "Unknown partition \(p) of topic \(t)"
        case .partitionFailed(_, let m): return m
        }
    }
}
