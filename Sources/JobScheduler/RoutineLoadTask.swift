import Foundation
import TaskContract

/// One task of a RUNNING job (reference routine_load.md §3.5): a fixed set of partitions consumed by one node
/// under one transaction. Tasks live in the FE's memory only; after a restart they are planned again from the
/// committed progress. A task is replaced, never reused: renewing gives a new id.
public struct RoutineLoadTask: Equatable, Sendable {
    public let id: String
    public let jobID: Int64
    public let partitions: [Int32]
    public let createTime: Double
    /// Not started before this time (max_batch_interval after a caught-up task, at once with a backlog).
    public var notBefore: Double
    public var lastScheduledTime: Double?
    public var executeStartTime: Double?
    public var nodeID: Int64?
    /// The node of the task this one renews; preferred when it has a free slot.
    public var previousNodeID: Int64?
    public var txnID: Int64 = -1
    public var txnStatus = "UNKNOWN"
    public var segment: String?
    /// Next offset per partition when the task started.
    public var begin: [Int32: Int64] = [:]
    public var message: String?

    public init(jobID: Int64, partitions: [Int32], now: Double, notBefore: Double, previousNodeID: Int64? = nil, message: String? = nil) {
        id = UUID().uuidString.lowercased()
        self.jobID = jobID; self.partitions = partitions; createTime = now; self.notBefore = notBefore
        self.previousNodeID = previousNodeID; self.message = message
    }

    public var isRunning: Bool { executeStartTime != nil }

    /// The task that follows this one on the same partitions.
    public func renewed(now: Double, notBefore: Double, message: String?) -> RoutineLoadTask {
        RoutineLoadTask(jobID: jobID, partitions: partitions, now: now, notBefore: notBefore, previousNodeID: nodeID ?? previousNodeID, message: message)
    }
}
