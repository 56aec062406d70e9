/// One task of a RUNNING job (reference routine_load.md §3.5): a fixed set of partitions consumed by one node under one
/// transaction at a time. Tasks live in the scheduler's memory only; after a restart they are planned again from the
/// committed progress. Its life is an explicit ``Phase``:
///
/// ```
/// waiting(until) ──due──▶ checking ──data──▶ (queued for a slot) ──▶ starting ──txn + submit──▶ running ──report──▶ committing
///      ▲                     │ no data / Kafka down                                              │ lost, timeout, failure │
///      └─────────────────────┴───────────────────────── renewed (a new id) ◀─────────────────────┴────────────────────────┘
/// ```
public struct ScheduledTask: Equatable, Sendable {
    public enum Phase: Equatable, Sendable {
        /// Waiting for its next batch, or for a node slot.
        case waiting(until: Double)
        /// Due since `since`; waiting for its cluster's watermarks to tell whether there is new data.
        case checking(since: Double)
        /// New data, but every node slot is taken: started, in the order tasks got here, as slots free up.
        case queued(since: Double)
        /// New data: a transaction is being opened and the task sent to `node`.
        case starting(node: NodeID, since: Double)
        /// Sent to `node` under `txn`, writing `segment`.
        case running(Run)
        /// Reported; its transaction is being committed.
        case committing(Run)
    }

    /// A task that holds a transaction on a node.
    public struct Run: Equatable, Sendable {
        public var txn: TxnID
        public var segment: String
        public var node: NodeID
        public var startedAt: Double
        public var lastPoll: Double
    }

    public let id: TaskID
    public let jobID: JobID
    public let partitions: [Int32]
    public let createTime: Double
    public internal(set) var phase: Phase
    /// The node of the task this one renews; preferred while it has a free slot.
    public let previousNode: NodeID?
    /// Next offset per partition when the task started.
    public internal(set) var begin: [Int32: Int64] = [:]
    public internal(set) var lastScheduledTime: Double?
    public internal(set) var message: String?

    init(id: TaskID, jobID: JobID, partitions: [Int32], now: Double, notBefore: Double, previousNode: NodeID? = nil, message: String? = nil) {
        self.id = id; self.jobID = jobID; self.partitions = partitions; createTime = now
        phase = .waiting(until: notBefore); self.previousNode = previousNode; self.message = message
    }

    /// The run (transaction, node) of a task that holds one.
    public var run: Run? {
        switch phase {
        case .running(let r), .committing(let r): return r
        default: return nil
        }
    }

    /// The node a task occupies a slot of.
    public var occupiedNode: NodeID? {
        switch phase {
        case .starting(let node, _): return node
        case .running(let r), .committing(let r): return r.node
        default: return nil
        }
    }

    /// Transaction status as SHOW ROUTINE LOAD TASK shows it.
    public var transactionStatus: String {
        switch phase {
        case .running: return "PREPARE"
        case .committing: return "COMMITTED"
        default: return "UNKNOWN"
        }
    }

    public var executeStartTime: Double? { run?.startedAt }
}
