import JobScheduler
import LoadPipeline
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

    public init(id: String, jobID: Int64, label: String, txnID: Int64, brokers: String, topic: String, properties: [Property],
                begin: [Int32: Int64], spec: LoadSpec, segment: String, consumeSeconds: Double,
                maxBatchRows: Int, maxBatchBytes: Int64) {
        self.id = id; self.jobID = jobID; self.label = label; self.txnID = txnID; self.brokers = brokers; self.topic = topic
        self.properties = properties; self.begin = begin; self.spec = spec; self.segment = segment
        self.consumeSeconds = consumeSeconds; self.maxBatchRows = maxBatchRows; self.maxBatchBytes = maxBatchBytes
    }
}

/// What a node answers about a task: still running, or finished with an outcome or a failure (its kind, which the FE's
/// pause decision reads, and its text, which users see).
public struct TaskReport: Codable, Equatable, Sendable {
    public enum Status: String, Codable, Sendable { case running, finished, failed }
    public var taskID: String
    public var txnID: Int64
    public var status: Status
    public var outcome: TaskOutcome?
    public var failure: String?
    public var failureKind: TaskFailureKind?

    public init(taskID: String, txnID: Int64, status: Status, outcome: TaskOutcome? = nil, failure: String? = nil,
                failureKind: TaskFailureKind? = nil) {
        self.taskID = taskID; self.txnID = txnID; self.status = status; self.outcome = outcome; self.failure = failure
        self.failureKind = failureKind
    }
}

/// Why a task failed on a node.
public enum TaskFailureKind: String, Codable, Equatable, Sendable {
    /// A start offset outside the log: StarRocks pauses the job and asks for ALTER ROUTINE LOAD.
    case offsetOutOfRange
    /// Kafka refused or went away (retried).
    case kafka
    /// The load cannot be planned or a row batch cannot be written (bad COLUMNS, segment I/O).
    case load
    /// The task itself was refused (invalid path, limits or settings).
    case invalidTask
}

/// A task failure with its kind.
public struct TaskError: Error, CustomStringConvertible, Sendable {
    public var kind: TaskFailureKind
    public var message: String
    public init(_ kind: TaskFailureKind, _ message: String) { self.kind = kind; self.message = message }
    public var description: String { message }
}
