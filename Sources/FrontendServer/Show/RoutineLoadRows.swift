import Expressions
import JobScheduler
import Synchronization

/// SHOW ROUTINE LOAD's cells per job, rendered again only when what they show changed (the job, its shown task count,
/// its cluster's health): with a thousand jobs a SHOW then costs copying rows, not formatting a megabyte of JSON.
final class RoutineLoadRows: Sendable {
    private struct Entry {
        var job: RoutineLoadJob
        var taskCount: Int
        /// The cluster's health as the row shows it: nil while the brokers answer (every answer moves `reachedAt`,
        /// which only an unreachable job's OtherMsg shows).
        var source: SchedulerCore.SourceHealth?
        var row: [Value]
    }

    private let entries = Mutex<[Int64: Entry]>([:])

    /// The job's 22 SHOW ROUTINE LOAD cells.
    func row(_ view: SchedulerCore.JobView) -> [Value] {
        let job = view.job, taskCount = RoutineLoadScheduler.shownTasks(view).count
        let source = view.source.isUnreachable ? view.source : nil
        let cached: [Value]? = entries.withLock { entries in
            guard let e = entries[job.id], e.taskCount == taskCount, e.source == source, e.job == job else { return nil }
            return e.row
        }
        if let cached { return cached }
        let row = RoutineLoadRendering.row(job, taskCount: taskCount, source: view.source)
        entries.withLock { $0[job.id] = Entry(job: job, taskCount: taskCount, source: source, row: row) }
        return row
    }
}
