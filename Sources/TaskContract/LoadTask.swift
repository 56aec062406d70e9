import ObjectStore
import SQLParser

/// One routine-load task as the FE hands it to a compute node (JSON over HTTP for `tributary-cn`, a value
/// for the embedded node): where to consume, how to decode, where to write the segment, and when to stop.
public struct LoadTask: Codable, Equatable, Sendable {
    public var id: String
    public var jobID: Int64
    public var label: String
    public var txnID: Int64
    public var brokers: String
    public var topic: String
    /// `property.*` of the job, passed to librdkafka (security settings and the like).
    public var properties: [Property]
    /// Next offset to consume per partition.
    public var begin: [Int32: Int64]
    public var spec: LoadSpec
    /// The segment to write, named after the transaction (`db<d>/t<t>/txn<x>.seg`), relative to the node's own
    /// storage root: a task never names a directory.
    public var segment: String
    public var consumeSeconds: Double
    public var maxBatchRows: Int
    public var maxBatchBytes: Int64
    /// For a table on an S3 storage volume: where the finished segment is uploaded before the task reports.
    public var upload: SegmentUpload?

    public init(id: String, jobID: Int64, label: String, txnID: Int64, brokers: String, topic: String, properties: [Property],
                begin: [Int32: Int64], spec: LoadSpec, segment: String, consumeSeconds: Double,
                maxBatchRows: Int, maxBatchBytes: Int64) {
        self.id = id; self.jobID = jobID; self.label = label; self.txnID = txnID; self.brokers = brokers; self.topic = topic
        self.properties = properties; self.begin = begin; self.spec = spec; self.segment = segment
        self.consumeSeconds = consumeSeconds; self.maxBatchRows = maxBatchRows; self.maxBatchBytes = maxBatchBytes
    }
}

/// Where a task's segment goes once written: an object in the table's S3 volume, named after the transaction.
/// A node whose storage directory is not the FE's (every `tributary-cn`) deletes its local copy after the upload.
public struct SegmentUpload: Codable, Equatable, Sendable, CustomStringConvertible {
    public var volume: S3Config
    public var key: String
    public var keepLocalCopy: Bool

    public init(volume: S3Config, key: String, keepLocalCopy: Bool) {
        self.volume = volume; self.key = key; self.keepLocalCopy = keepLocalCopy
    }

    public var description: String { volume.displayURL(key) }
}
