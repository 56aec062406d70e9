import JobScheduler
import Kafka

/// librdkafka behind the scheduler's metadata protocol.
struct LibrdkafkaMetadata: KafkaMetadataSource {
    func partitions(brokers: String, topic: String, properties: [(String, String)]) throws -> [Int32] {
        do { return try KafkaMetadataClient(brokers: brokers, properties: properties).partitions(topic: topic) } catch .unreachable(let m) {
            throw SourceUnreachable(m)
        }
    }
    func watermarks(brokers: String, topic: String, partitions: [Int32], properties: [(String, String)]) throws -> [Int32: (low: Int64, high: Int64)] {
        do {
            return try KafkaMetadataClient(brokers: brokers, properties: properties).watermarks(topic: topic, partitions: partitions)
        } catch .unknownPartition(_, let p) {
            throw PartitionFailure(partition: p, message: "Unknown partition \(p) of topic \(topic)")
        } catch .partitionFailed(let p, let message) {
            throw PartitionFailure(partition: p, message: message)
        } catch .unreachable(let m) {
            throw SourceUnreachable(m)
        }
    }
}
