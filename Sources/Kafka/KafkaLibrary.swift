import CRdKafka

/// Facts about the linked librdkafka. The rest of the Kafka client (metadata, watermarks, the
/// partition-assigned consumer and the mock cluster) arrives with routine-load execution.
public enum KafkaLibrary {
    /// The librdkafka version string, e.g. "2.0.2".
    public static var version: String { String(cString: rd_kafka_version_str()) }
}
