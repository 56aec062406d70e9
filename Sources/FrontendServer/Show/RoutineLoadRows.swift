import Expressions
import JobScheduler
import Synchronization

/// SHOW ROUTINE LOAD's cells per job, rendered again only when what they show changed (the job, its shown task count,
/// its watermarks and lag, its cluster's health): with a thousand jobs a SHOW then costs copying rows, not formatting a megabyte of JSON.
final class RoutineLoadRows: Sendable {
    /// What a job's row shows besides its definition and progress, as of a moment: computed once per job and SHOW.
    struct Key: Equatable {
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

        init(_ view: SchedulerCore.JobView, now: Double, unstableThreshold: Int) {
            revision = view.jobRevision
            taskCount = RoutineLoadScheduler.shownTasks(view).count
            source = view.source.isUnreachable ? view.source : nil
            latest = view.latest
            lag = view.lag(now: now)
            unstable = view.unstableReason(lag: lag, threshold: unstableThreshold)
        }
    }

    private struct Entry {
        var key: Key
        var row: [Value]
    }

    private let entries = Mutex<[Int64: Entry]>([:])

    /// How many jobs have a row kept.
    var count: Int { entries.withLock { $0.count } }

    /// The job's 22 SHOW ROUTINE LOAD cells; `unstableThreshold` is routine_load_unstable_threshold_second.
    func row(_ view: SchedulerCore.JobView, now: Double, unstableThreshold: Int) -> [Value] {
        let key = Key(view, now: now, unstableThreshold: unstableThreshold)
        return cached(view, key: key) ?? render(view, key: key)
    }

    /// The cells rendered before, if nothing they show has changed since (`key` is the job's as of now).
    func cached(_ view: SchedulerCore.JobView, key: Key) -> [Value]? {
        entries.withLock { entries in
            guard let e = entries[view.job.id], e.key == key else { return nil }
            return e.row
        }
    }

    /// Renders the cells and keeps them.
    func render(_ view: SchedulerCore.JobView, key: Key) -> [Value] {
        let row = RoutineLoadRendering.row(view, taskCount: key.taskCount, lag: key.lag, unstable: key.unstable)
        entries.withLock { $0[view.job.id] = Entry(key: key, row: row) }
        return row
    }
}
