import CatalogStore
import Foundation
import JobScheduler
import Kafka
import Logging

/// The routine-load scheduler round, every `routine_load_scheduler_interval_second`: each NEED_SCHEDULE job
/// is prepared (partitions discovered, start offsets resolved against Kafka; Kafka failures pause it with
/// StarRocks' reason). Splitting jobs into tasks needs alive compute nodes, which arrive with load execution;
/// until then prepared jobs stay NEED_SCHEDULE, as StarRocks keeps them when no node is alive.
/// Runs on its own thread so Kafka timeouts never hold a client connection.
final class RoutineLoadDaemon: @unchecked Sendable {
    private let catalog: CatalogStore
    private let interval: TimeInterval
    private let logger: Logger
    private let kafka: any KafkaMetadataSource

    init(catalog: CatalogStore, interval: TimeInterval, logger: Logger, kafka: any KafkaMetadataSource = LibrdkafkaMetadata()) {
        self.catalog = catalog; self.interval = interval; self.logger = logger; self.kafka = kafka
    }

    func start() {
        let thread = Thread { [self] in
            while true {
                Thread.sleep(forTimeInterval: interval)
                round()
            }
        }
        thread.name = "tributary-routine-load"
        thread.start()
    }

    /// One scheduler round (also called directly by tests).
    func round() {
        guard let stored = try? catalog.routineLoadJobs(database: nil) else { return }
        for s in stored where s.state == RoutineLoadState.needSchedule.rawValue {
            guard let job = RoutineLoadJob(stored: s) else { continue }
            var prepared = job
            prepared.prepare(using: kafka, at: Date().timeIntervalSince1970)
            guard prepared != job, let data = try? JSONEncoder().encode(prepared) else { continue }
            // Compare-and-set: a PAUSE or STOP that happened meanwhile wins; the next round sees it.
            _ = try? catalog.updateRoutineLoadJob(id: job.id, state: prepared.state.rawValue,
                                                  document: String(decoding: data, as: UTF8.self), expected: s.document)
            if prepared.state == .paused { logger.warning("routine load job \(job.name) paused: \(prepared.displayedReason)") }
        }
    }
}

/// librdkafka behind the scheduler's metadata protocol.
struct LibrdkafkaMetadata: KafkaMetadataSource {
    func partitions(brokers: String, topic: String, properties: [(String, String)]) throws -> [Int32] {
        try KafkaMetadataClient(brokers: brokers, properties: properties).partitions(topic: topic)
    }
    func watermarks(brokers: String, topic: String, partitions: [Int32], properties: [(String, String)]) throws -> [Int32: (low: Int64, high: Int64)] {
        do {
            return try KafkaMetadataClient(brokers: brokers, properties: properties).watermarks(topic: topic, partitions: partitions)
        } catch .unknownPartition(_, let p) {
            throw PartitionFailure(partition: p, message: "Unknown partition \(p) of topic \(topic)")
        } catch .partitionFailed(let p, let message) {
            throw PartitionFailure(partition: p, message: message)
        }
    }
}

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
