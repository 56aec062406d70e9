import Expressions
import Foundation
import TaskContract
import SQLParser

/// Where a Kafka partition starts: a named position, an explicit offset (StarRocks' −2 / −1 sentinels as cases), or
/// the first message at or after a time (`yyyy-MM-dd HH:mm:ss` in the job's time zone; Apache Doris has this).
public enum KafkaOffset: Equatable, Hashable, Sendable, Codable {
    case beginning, end
    case offset(Int64)
    case time(String)

    /// `OFFSET_BEGINNING`, `OFFSET_END` (case-insensitive), an integer ≥ 0 or a datetime.
    static func parse(_ text: String) throws(RoutineLoadError) -> KafkaOffset {
        let t = text.trimmed
        switch t.uppercased() {
        case "OFFSET_BEGINNING": return .beginning
        case "OFFSET_END": return .end
        default:
            if DateTimeText.parse(t, in: TimeZone(secondsFromGMT: 0)!) != nil { return .time(t) }
            guard let v = Int64(t) else {
                // StarRocks' text as it is (datetimes are Tributary's extension).
                throw .invalid("Invalid kafka offset: '\(t)'. Expected values should be an integer, OFFSET_BEGINNING, or OFFSET_END")
            }
            guard v >= 0 else { throw .invalid("Can not specify offset smaller than 0") }
            return .offset(v)
        }
    }
}

/// Job properties (PROPERTIES clause) with StarRocks' defaults (reference routine_load.md §1.4).
public struct RoutineLoadJobProperties: Equatable, Sendable, Codable {
    public var desiredConcurrentNumber = 5
    public var maxBatchInterval = 10
    public var maxBatchRows = 200_000
    public var maxErrorNumber = 0
    public var maxFilterRatio = 1.0
    public var strictMode = false
    public var timezone = "UTC"
    public var partialUpdate = false
    public var mergeCondition: String?
    public var format = LoadFormat.csv
    public var jsonpaths = ""
    public var jsonRoot = ""
    public var stripOuterArray = false
    public var trimSpace = false
    public var enclose: UInt8 = 0
    public var escape: UInt8 = 0
    public var logRejectedRecordNum = 0
    public var taskConsumeSecond = 15
    public var taskTimeoutSecond = 60
    public var pauseOnFatalParseError = false
}

/// FROM KAFKA (...) properties (reference §1.5).
public struct KafkaSource: Equatable, Sendable, Codable {
    public var brokerList: String
    public var topic: String
    /// Custom partitions with their start positions, in the order given; nil means all partitions of the topic.
    public var partitions: [Int32]?
    public var offsets: [KafkaOffset]?
    /// `property.kafka_default_offsets`.
    public var defaultOffset: KafkaOffset?
    /// `property.*` keys without the prefix, in the order given (group.id included).
    public var customProperties: [Property]
    public var groupIDGenerated: Bool
    public var schemaRegistryURL: String?
}

/// A validated CREATE ROUTINE LOAD: load mapping, job properties and source.
public struct RoutineLoadDefinition: Equatable, Sendable, Codable {
    public var load: RoutineLoadProperties
    public var job: RoutineLoadJobProperties
    public var source: KafkaSource
}

/// A refused routine-load statement; the frontend sends the text as StarRocks does.
public enum RoutineLoadError: Error, Equatable, Sendable {
    case invalid(String)
    case wrongName(String)
}
