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
    /// The segment could not be stored in the table's object store (retried from the committed offsets).
    case storage
}

/// A task failure with its kind.
public struct TaskError: Error, CustomStringConvertible, Sendable {
    public var kind: TaskFailureKind
    public var message: String
    public init(_ kind: TaskFailureKind, _ message: String) { self.kind = kind; self.message = message }
    public var description: String { message }
}

/// What a compute node reports for a finished task: where each partition ended and what became of the rows.
public struct TaskOutcome: Equatable, Sendable, Codable {
    /// Next offset to consume per partition after this task (only partitions that moved).
    public var endOffsets: [Int32: Int64]
    /// Kafka timestamp (ms) of the last consumed message per partition.
    public var timestamps: [Int32: Int64]
    /// High watermarks seen at partition end (LatestSourcePosition).
    public var latestOffsets: [Int32: Int64]
    public var loadedRows: Int64
    public var filteredRows: Int64
    public var unselectedRows: Int64
    public var receivedBytes: Int64
    public var executeMillis: Int64
    /// The error log of this task, if rows were rejected.
    public var errorLogURL: String?
    /// Bytes of the segment the task uploaded to its table's S3 volume (the commit checks the object has them).
    public var segmentBytes: Int64?

    public init(endOffsets: [Int32: Int64] = [:], timestamps: [Int32: Int64] = [:], latestOffsets: [Int32: Int64] = [:],
                loadedRows: Int64 = 0, filteredRows: Int64 = 0, unselectedRows: Int64 = 0, receivedBytes: Int64 = 0,
                executeMillis: Int64 = 0, errorLogURL: String? = nil, segmentBytes: Int64? = nil) {
        self.endOffsets = endOffsets; self.timestamps = timestamps; self.latestOffsets = latestOffsets
        self.loadedRows = loadedRows; self.filteredRows = filteredRows; self.unselectedRows = unselectedRows
        self.receivedBytes = receivedBytes; self.executeMillis = executeMillis; self.errorLogURL = errorLogURL
        self.segmentBytes = segmentBytes
    }

    public var totalRows: Int64 { loadedRows + filteredRows + unselectedRows }
    /// Whether the task consumed anything at all (an empty task commits nothing).
    public var consumedAnything: Bool { !endOffsets.isEmpty }
}
