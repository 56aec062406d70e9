import Expressions
import Foundation
/// What the scheduler needs from Kafka, as a protocol so planning is testable without a broker.
public protocol KafkaMetadataSource {
    /// Partition ids of a topic; the error text is shown to users as StarRocks shows it.
    func partitions(brokers: String, topic: String, properties: [(String, String)]) throws -> [Int32]
    /// Low and high watermarks of the partitions, in one request round. A failure about one partition is
    /// thrown as ``PartitionFailure``.
    func watermarks(brokers: String, topic: String, partitions: [Int32], properties: [(String, String)]) throws -> [Int32: (low: Int64, high: Int64)]
    /// The first offset whose message time (ms since the epoch) is at or after each partition's time; -1 when no
    /// message is that recent.
    func offsets(brokers: String, topic: String, atTimes: [Int32: Int64], properties: [(String, String)]) throws -> [Int32: Int64]
}

/// A metadata request failed for one partition (it does not exist, or the broker refused it).
public struct PartitionFailure: Error, CustomStringConvertible {
    public var partition: Int32
    public var message: String
    public init(partition: Int32, message: String) { self.partition = partition; self.message = message }
    public var description: String { message }
}

/// The brokers could not be reached (down, timed out, not resolvable): nothing is known about the topic, which is
/// not the same as the topic or a partition not existing.
public struct SourceUnreachable: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The scheduler's prepare step for a NEED_SCHEDULE job (reference routine_load.md §2.2, §3.8): discover the
/// topic's partitions unless the job pins them, turn OFFSET_BEGINNING / OFFSET_END into real offsets for
/// partitions without progress, and record the latest source positions. Kafka failures pause the job
/// with StarRocks' reasons instead of failing anything else — except that brokers that cannot be reached do not
/// pause a job that already knows its partitions and offsets (one resumed during an outage): it goes on with them, and
/// its tasks wait for Kafka to come back.
extension RoutineLoadJob {
    /// Whether the job can run on what it knows, without asking Kafka.
    var knowsItsPartitions: Bool { !currentPartitions.isEmpty && currentPartitions.allSatisfy { progress[$0] != nil } }

    /// Returns the failure when the brokers were unreachable and the job goes on with what it knows.
    @discardableResult
    public mutating func prepare(using kafka: any KafkaMetadataSource, at now: Double) -> SourceUnreachable? {
        let source = definition.source
        let properties = source.customProperties.filter { $0.key != "kafka_default_offsets" }.map { ($0.key, $0.value) }
        let partitions: [Int32]
        if let pinned = source.partitions {
            partitions = pinned
        } else {
            do { partitions = try kafka.partitions(brokers: source.brokerList, topic: source.topic, properties: properties) } catch {
                if let down = error as? SourceUnreachable, knowsItsPartitions { return down }
                try? pause(ErrorReason(code: ErrorReason.partitions, message: "Job failed to fetch all current partition with error [\(error)]"), at: now)
                return nil
            }
        }
        let marks: [Int32: (low: Int64, high: Int64)]
        do {
            marks = try kafka.watermarks(brokers: source.brokerList, topic: source.topic, partitions: partitions, properties: properties)
        } catch {
            if let down = error as? SourceUnreachable, knowsItsPartitions, Set(partitions) == Set(currentPartitions) { return down }
            let p = (error as? PartitionFailure)?.partition ?? partitions.first ?? 0
            // "Invalid custom partition" only when Kafka said so; a broker that cannot be reached is reported as such.
            let reason = source.partitions != nil && error is PartitionFailure
                ? "there is an invalid custom partition: \(p) for topic: \(source.topic)"
                : "failed to get offset of partition: \(p) in topic: \(source.topic), err: \(error)"
            try? pause(ErrorReason(code: ErrorReason.partitions, message: reason), at: now)
            return nil
        }
        var latest: [Int32: Int64] = [:]
        var times: [Int32: Int64] = [:]
        let zone = DateTimeText.timeZone(named: definition.job.timezone)
        for (i, p) in partitions.enumerated() {
            guard let m = marks[p] else { continue }
            latest[p] = m.high
            guard progress[p] == nil else { continue }
            let start = source.offsets?[i] ?? source.defaultOffset ?? .end
            switch start {
            case .beginning: progress[p] = m.low
            case .end: progress[p] = m.high
            case .offset(let n): progress[p] = n
            case .time(let text):
                guard let date = DateTimeText.parse(text, in: zone) else { continue }
                times[p] = max(0, Int64((date.timeIntervalSince1970 * 1000).rounded()))      // Kafka's times start at 1970
            }
        }
        if !times.isEmpty {
            // One ListOffsets-by-time request for every partition that starts at a time; none that recent: the end.
            do {
                let found = try kafka.offsets(brokers: source.brokerList, topic: source.topic, atTimes: times, properties: properties)
                for (p, _) in times { progress[p] = found[p].flatMap { $0 >= 0 ? $0 : nil } ?? marks[p]?.high }
            } catch {
                if error is SourceUnreachable { return SourceUnreachable("\(error)") }
                try? pause(ErrorReason(code: ErrorReason.partitions, message: "failed to get offsets by time in topic: \(source.topic), err: \(error)"), at: now)
                return nil
            }
        }
        currentPartitions = partitions
        latestOffsets = latest
        return nil
    }
}
