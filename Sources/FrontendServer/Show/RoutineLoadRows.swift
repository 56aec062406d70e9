import Expressions
import JobScheduler
import Synchronization

/// SHOW ROUTINE LOAD's cells per job, rendered again only when what they show changed (the job, its shown task count,
/// its cluster's health): with a thousand jobs a SHOW then costs copying rows, not formatting a megabyte of JSON.
final class RoutineLoadRows: Sendable {
    private struct Entry {
        /// The job's revision in the scheduler (``SchedulerCore/JobView/jobRevision``): comparing it, not the job, keeps
        /// a SHOW of ten thousand unchanged jobs from comparing ten thousand job definitions.
        var revision: UInt64
        var taskCount: Int
        /// The cluster's health as the row shows it: nil while the brokers answer (every answer moves `reachedAt`,
        /// which only an unreachable job's OtherMsg shows).
        var source: SchedulerCore.SourceHealth?
        var latest: [Int32: Int64]
        var lag: [PartitionLag]
        var unstable: ErrorReason?
        var row: [Value]
    }

    private let entries = Mutex<[Int64: Entry]>([:])

    /// The job's 22 SHOW ROUTINE LOAD cells; `unstableThreshold` is routine_load_unstable_threshold_second.
    func row(_ view: SchedulerCore.JobView, now: Double, unstableThreshold: Int) -> [Value] {
        let job = view.job, taskCount = RoutineLoadScheduler.shownTasks(view).count
        let source = view.source.isUnreachable ? view.source : nil
        let lag = view.lag(now: now), unstable = view.unstableReason(now: now, threshold: unstableThreshold)
        let cached: [Value]? = entries.withLock { entries in
            guard let e = entries[job.id], e.taskCount == taskCount, e.source == source, e.lag == lag, e.unstable == unstable,
                  e.latest == view.latest, e.revision == view.jobRevision else { return nil }
            return e.row
        }
        if let cached { return cached }
        let row = RoutineLoadRendering.row(view, taskCount: taskCount, lag: lag, unstable: unstable)
        entries.withLock { $0[job.id] = Entry(revision: view.jobRevision, taskCount: taskCount, source: source, latest: view.latest, lag: lag, unstable: unstable, row: row) }
        return row
    }
}
