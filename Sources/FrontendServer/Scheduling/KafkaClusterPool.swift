import Foundation
import JobScheduler
import Kafka
import Synchronization

/// One open librdkafka metadata connection per Kafka cluster the jobs read from, reused by every request to it (a new
/// handle per request costs threads and a connection); connections idle for a minute are closed.
final class KafkaClusterPool: Sendable {
    private struct Entry: Sendable { var connection: KafkaMetadataConnection; var lastUsed: Double }
    private let entries = Mutex<[ClusterKey: Entry]>([:])
    static let idleSeconds: Double = 60

    func connection(_ key: ClusterKey, now: Double = Date().timeIntervalSince1970) throws(KafkaError) -> KafkaMetadataConnection {
        if let c = entries.withLock({ all -> KafkaMetadataConnection? in
            all[key]?.lastUsed = now
            return all[key]?.connection
        }) { return c }
        let c = try KafkaMetadataConnection(brokers: key.brokers, properties: key.settings)
        entries.withLock { all in
            all = all.filter { now - $0.value.lastUsed < Self.idleSeconds }
            all[key] = Entry(connection: c, lastUsed: now)
        }
        return c
    }

    /// A request failed: the connection is dropped, so the next one starts afresh.
    func discard(_ key: ClusterKey) { _ = entries.withLock { $0.removeValue(forKey: key) } }

    /// High watermarks of partitions of one cluster, in one request round.
    func highWatermarks(_ key: ClusterKey, _ partitions: [TopicPartition]) -> Result<[TopicPartition: Int64], SourceFailure> {
        do {
            let marks = try connection(key).highWatermarks(partitions.map { ($0.topic, $0.partition) })
            var out: [TopicPartition: Int64] = [:]
            for (topic, ps) in marks { for (p, high) in ps { out[TopicPartition(topic, p)] = high } }
            return .success(out)
        } catch {
            discard(key)
            if case .unreachable(let m) = error { return .failure(SourceFailure(m, unreachable: true)) }
            return .failure(SourceFailure("\(error)", unreachable: false))
        }
    }

    /// The partitions of topics of one cluster; topics whose request failed are left out.
    func partitions(_ key: ClusterKey, topics: [String]) -> [String: [Int32]] {
        var out: [String: [Int32]] = [:]
        for topic in topics {
            do { out[topic] = try connection(key).partitions(topic: topic) } catch {
                discard(key)
                break
            }
        }
        return out
    }
}

/// librdkafka behind the prepare step's protocol, over the pooled connection of the job's cluster.
struct PooledKafkaMetadata: KafkaMetadataSource {
    let pool: KafkaClusterPool
    let key: ClusterKey

    func partitions(brokers: String, topic: String, properties: [(String, String)]) throws -> [Int32] {
        do { return try pool.connection(key).partitions(topic: topic) } catch {
            pool.discard(key)
            if case .unreachable(let m) = error { throw SourceUnreachable(m) }
            throw error
        }
    }

    func offsets(brokers: String, topic: String, atTimes: [Int32: Int64], properties: [(String, String)]) throws -> [Int32: Int64] {
        do {
            let connection = try pool.connection(key)
            var found = try connection.offsets(topic: topic, atTimes: atTimes)
            // "None that recent" from a broker without a time index (kafka-mock) is checked by reading the partition.
            let unanswered = atTimes.keys.filter { (found[$0] ?? -1) < 0 }.sorted()
            if !unanswered.isEmpty {
                let marks = try connection.watermarks(topic: topic, partitions: unanswered)
                for p in unanswered {
                    guard let m = marks[p], let t = atTimes[p] else { continue }
                    found[p] = try KafkaTimeSearch.firstOffset(brokers: brokers, topic: topic, partition: p, low: m.low, high: m.high,
                                                               atOrAfter: t, properties: properties) ?? -1
                }
            }
            return found
        } catch {
            pool.discard(key)
            if case .unreachable(let m) = error { throw SourceUnreachable(m) }
            throw error
        }
    }

    func watermarks(brokers: String, topic: String, partitions: [Int32], properties: [(String, String)]) throws -> [Int32: (low: Int64, high: Int64)] {
        do { return try pool.connection(key).watermarks(topic: topic, partitions: partitions) } catch {
            pool.discard(key)
            switch error {
            case .unknownPartition(_, let p): throw PartitionFailure(partition: p, message: "Unknown partition \(p) of topic \(topic)")
            case .partitionFailed(let p, let message): throw PartitionFailure(partition: p, message: message)
            case .unreachable(let m): throw SourceUnreachable(m)
            default: throw error
            }
        }
    }
}
