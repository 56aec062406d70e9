import TaskContract
/// What the scheduler asks its driver to do. Effects carry values only; the driver performs each (catalog, Kafka,
/// node RPC) off the scheduler's owner and reports the result back as an event.
public enum SchedulerEffect: Equatable, Sendable {
    /// Run the prepare step (partition discovery, OFFSET_BEGINNING/END) for this copy of a NEED_SCHEDULE job; report
    /// ``SchedulerCore/prepared(_:_:unreachable:now:)``.
    case prepare(RoutineLoadJob)
    /// The partitions of these topics; report ``SchedulerCore/partitionsFetched(_:_:now:)``.
    case fetchPartitions(ClusterKey, topics: [String])
    /// The high watermarks of these partitions, in one request round; report ``SchedulerCore/watermarksFetched(_:_:now:)``.
    case fetchWatermarks(ClusterKey, [TopicPartition])
    /// The high watermarks of every non-final job's partitions, for lag alone; report
    /// ``SchedulerCore/lagRefreshed(_:_:sentAt:now:)`` with `sentAt`.
    case refreshLag(ClusterKey, [TopicPartition], sentAt: Double)
    /// Open a transaction for the task, build its load from `job` and the table, and send it to `node`; report
    /// ``SchedulerCore/taskStarted(_:_:now:)``.
    case start(TaskID, job: RoutineLoadJob, partitions: [Int32], begin: [Int32: Int64], node: NodeID)
    /// Ask `node` for the task's report; report ``SchedulerCore/taskPolled(_:_:now:)``.
    case poll(TaskID, node: NodeID)
    /// Commit the task's transaction with its outcome (the job's commit rule runs in the same catalog transaction);
    /// report ``SchedulerCore/committed(_:_:now:)``.
    case commit(TaskID, txn: TxnID, job: JobID, begin: [Int32: Int64], outcome: TaskOutcome, segment: String, node: NodeID)
    /// Abort the transaction (unless it committed) and delete its segment. Nothing is reported.
    case abort(TxnID, segment: String?, reason: String)
    /// Tell the node to drop the task's report. Nothing is reported.
    case forget(TaskID, node: NodeID)
    /// Apply `change` to the stored job with compare-and-set; report the stored job with ``SchedulerCore/jobSaved(_:now:)``.
    case save(JobID, JobChange)
    /// Bring the table cache up to date with a committed load.
    case catchUp(database: String, table: String)
}

/// A change the scheduler makes to a stored job. Applied by the driver to the job as stored now (a user's PAUSE that
/// came meanwhile wins): see ``RoutineLoadJob/apply(_:at:)``.
public enum JobChange: Equatable, Sendable {
    /// The prepare step's result (partitions, progress, latest positions, or a pause); `start` moves the job to RUNNING.
    case prepared(RoutineLoadJob, start: Bool)
    /// The topic's partitions changed: back to NEED_SCHEDULE.
    case reschedule
    case pause(ErrorReason)
    case taskAborted(TaskFailure, node: NodeID)
    /// High watermarks seen by a task that found nothing to load.
    case observeLatest([Int32: Int64])
}

/// Why a task did not commit, as a type: the pause decision reads it (StarRocks pauses on too many filtered rows and on
/// an offset outside the log), SHOW shows its text.
public enum TaskFailure: Error, Equatable, Sendable, CustomStringConvertible {
    case offsetOutOfRange(String)
    case tooManyFilteredRows(filtered: Int64, total: Int64)
    case timeout
    case nodeLost(NodeID)
    /// The node failed it for another reason (Kafka, decoding, writing), with the node's text.
    case failed(String)
    /// The FE could not commit it (stale, segment missing, catalog error).
    case notCommitted(String)

    public var description: String {
        switch self {
        case .offsetOutOfRange(let text), .failed(let text), .notCommitted(let text): return text
        case .tooManyFilteredRows(let f, let t): return "too many filtered rows: \(f) of \(t) rows were filtered"
        case .timeout: return "timeout by txn manager"
        case .nodeLost(let node): return "compute node \(node) is not available"
        }
    }
}

/// What a node answered about a task.
public enum PollResult: Equatable, Sendable {
    case running
    /// The node no longer knows the task (it restarted).
    case unknown
    /// The node did not answer; heartbeats decide whether it is lost.
    case unreachable
    case finished(TaskOutcome)
    case failed(TaskFailure)
}

/// How starting a task went.
public enum StartResult: Equatable, Sendable {
    /// The task runs under `txn`, writing `segment`.
    case started(txn: TxnID, segment: String)
    /// A transaction was opened but the node refused or could not be reached: the task counts as started and will time
    /// out, as in StarRocks (the text goes to OtherMsg).
    case submitFailed(txn: TxnID, segment: String, String)
    /// The load cannot be planned at all (bad COLUMNS, settings refused): the job pauses with this reason.
    case unplannable(String)
    /// Nothing started (the table is gone, the catalog refused): the task waits and tries again.
    case notStarted(String)
}
