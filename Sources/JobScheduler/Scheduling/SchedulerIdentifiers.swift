import SQLParser

/// Typed identifiers of the scheduler's world, so a job id cannot be passed where a transaction id belongs.
public struct JobID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let raw: Int64
    public init(_ raw: Int64) { self.raw = raw }
    public static func < (a: JobID, b: JobID) -> Bool { a.raw < b.raw }
    public var description: String { String(raw) }
}

public struct TaskID: Hashable, Sendable, CustomStringConvertible {
    public let raw: String
    public init(_ raw: String) { self.raw = raw }
    public var description: String { raw }
}

public struct TxnID: Hashable, Sendable, CustomStringConvertible {
    public let raw: Int64
    public init(_ raw: Int64) { self.raw = raw }
    public var description: String { String(raw) }
}

public struct NodeID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let raw: Int64
    public init(_ raw: Int64) { self.raw = raw }
    public static func < (a: NodeID, b: NodeID) -> Bool { a.raw < b.raw }
    public var description: String { String(raw) }
}

/// The Kafka cluster a job reads from, as a client sees it: its broker list and librdkafka settings. Jobs with the
/// same key share metadata and watermark requests.
public struct ClusterKey: Hashable, Sendable {
    public let brokers: String
    /// `property.*` settings without Tributary's own, sorted.
    public let properties: [Property]

    public init(brokers: String, properties: [Property]) {
        self.brokers = brokers
        self.properties = properties.filter { $0.key != "kafka_default_offsets" }.sorted { ($0.key, $0.value) < ($1.key, $1.value) }
    }

    public init(_ source: KafkaSource) { self.init(brokers: source.brokerList, properties: source.customProperties.filter { $0.key != "group.id" }) }

    public var settings: [(String, String)] { properties.map { ($0.key, $0.value) } }
}

public struct TopicPartition: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let topic: String
    public let partition: Int32
    public init(_ topic: String, _ partition: Int32) { self.topic = topic; self.partition = partition }
    public static func < (a: TopicPartition, b: TopicPartition) -> Bool { (a.topic, a.partition) < (b.topic, b.partition) }
    public var description: String { "\(topic)/\(partition)" }
}
