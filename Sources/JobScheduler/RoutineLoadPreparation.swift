/// What the scheduler needs from Kafka, as a protocol so planning is testable without a broker.
public protocol KafkaMetadataSource {
    /// Partition ids of a topic; the error text is shown to users as StarRocks shows it.
    func partitions(brokers: String, topic: String, properties: [(String, String)]) throws -> [Int32]
    /// Low and high watermarks of the partitions, in one request round. A failure about one partition is
    /// thrown as ``PartitionFailure``.
    func watermarks(brokers: String, topic: String, partitions: [Int32], properties: [(String, String)]) throws -> [Int32: (low: Int64, high: Int64)]
}

/// A metadata request failed for one partition.
public struct PartitionFailure: Error, CustomStringConvertible {
    public var partition: Int32
    public var message: String
    public init(partition: Int32, message: String) { self.partition = partition; self.message = message }
    public var description: String { message }
}

/// The scheduler's prepare step for a NEED_SCHEDULE job (reference routine_load.md §2.2, §3.8): discover the
/// topic's partitions unless the job pins them, turn OFFSET_BEGINNING / OFFSET_END into real offsets for
/// partitions without progress, and record the latest source positions. Kafka failures pause the job
/// with StarRocks' reasons instead of failing anything else.
extension RoutineLoadJob {
    public mutating func prepare(using kafka: any KafkaMetadataSource, at now: Double) {
        let source = definition.source
        let properties = source.customProperties.filter { $0.key != "kafka_default_offsets" }.map { ($0.key, $0.value) }
        let partitions: [Int32]
        if let pinned = source.partitions {
            partitions = pinned
        } else {
            do { partitions = try kafka.partitions(brokers: source.brokerList, topic: source.topic, properties: properties) } catch {
                try? pause(ErrorReason(code: ErrorReason.partitions, message: "Job failed to fetch all current partition with error [\(error)]"), at: now)
                return
            }
        }
        let marks: [Int32: (low: Int64, high: Int64)]
        do {
            marks = try kafka.watermarks(brokers: source.brokerList, topic: source.topic, partitions: partitions, properties: properties)
        } catch {
            let p = (error as? PartitionFailure)?.partition ?? partitions.first ?? 0
            let reason = source.partitions == nil ? "failed to get offset of partition: \(p) in topic: \(source.topic), err: \(error)"
                                                  : "there is an invalid custom partition: \(p) for topic: \(source.topic)"
            try? pause(ErrorReason(code: ErrorReason.partitions, message: reason), at: now)
            return
        }
        var latest: [Int32: Int64] = [:]
        for (i, p) in partitions.enumerated() {
            guard let m = marks[p] else { continue }
            latest[p] = m.high
            guard progress[p] == nil else { continue }
            let start = source.offsets?[i] ?? source.defaultOffset ?? .end
            switch start {
            case .beginning: progress[p] = m.low
            case .end: progress[p] = m.high
            case .offset(let n): progress[p] = n
            }
        }
        currentPartitions = partitions
        latestOffsets = latest
    }
}
