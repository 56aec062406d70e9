/// The counters SHOW ROUTINE LOAD reports in Statistic, plus the error window (reference routine_load.md
/// §2.7, §4.4). Stored in the job document, so they change in the same SQLite transaction as the data.
public struct RoutineLoadStatistics: Equatable, Sendable, Codable {
    public var totalRows: Int64 = 0
    public var errorRows: Int64 = 0
    public var unselectedRows: Int64 = 0
    public var receivedBytes: Int64 = 0
    /// Starts at 1, as in StarRocks, so rates never divide by zero.
    public var taskExecuteTimeMs: Int64 = 1
    public var committedTaskNum: Int64 = 0
    public var abortedTaskNum: Int64 = 0
    /// The error window: rows and error rows since the window last reset.
    public var currentTotalRows: Int64 = 0
    public var currentErrorRows: Int64 = 0

    public init() {}

    public var loadedRows: Int64 { totalRows - errorRows - unselectedRows }
    public var receivedBytesRate: Int64 { receivedBytes * 1000 / taskExecuteTimeMs }
    public var loadRowsRate: Int64 { loadedRows * 1000 / taskExecuteTimeMs }
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

    public init(endOffsets: [Int32: Int64] = [:], timestamps: [Int32: Int64] = [:], latestOffsets: [Int32: Int64] = [:],
                loadedRows: Int64 = 0, filteredRows: Int64 = 0, unselectedRows: Int64 = 0, receivedBytes: Int64 = 0,
                executeMillis: Int64 = 0, errorLogURL: String? = nil) {
        self.endOffsets = endOffsets; self.timestamps = timestamps; self.latestOffsets = latestOffsets
        self.loadedRows = loadedRows; self.filteredRows = filteredRows; self.unselectedRows = unselectedRows
        self.receivedBytes = receivedBytes; self.executeMillis = executeMillis; self.errorLogURL = errorLogURL
    }

    public var totalRows: Int64 { loadedRows + filteredRows + unselectedRows }
    /// Whether the task consumed anything at all (an empty task commits nothing).
    public var consumedAnything: Bool { !endOffsets.isEmpty }
}
