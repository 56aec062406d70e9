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
