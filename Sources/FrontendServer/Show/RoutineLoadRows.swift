import Expressions
import JobScheduler
import Synchronization

/// SHOW ROUTINE LOAD's row per job, kept in the text protocol's form (``TextRow``) and rendered again only when what it
/// shows changed (``SchedulerCore/ShownStamp``: the job, its shown task count, its watermarks and lag, its cluster's
/// health): with ten thousand jobs a SHOW then costs comparing stamps and copying bytes, not formatting 20 MB of JSON
/// and encoding two hundred thousand cells.
final class RoutineLoadRows: Sendable {
    /// What a kept row was rendered from.
    struct Key: Equatable {
        var stamp: SchedulerCore.ShownStamp
        /// routine_load_unstable_threshold_second, which decides UNSTABLE.
        var unstableThreshold: Int
    }

    /// A class: looking up ten thousand of them for a SHOW then counts one reference each, not one per field.
    private final class Entry: Sendable {
        let key: Key
        let row: [UInt8]
        init(key: Key, row: [UInt8]) { self.key = key; self.row = row }
    }

    private let entries = Mutex<[Int64: Entry]>([:])

    /// How many jobs have a row kept.
    var count: Int { entries.withLock { $0.count } }

    /// `body` given a lookup of the row kept for a job if it was rendered from `key`; one lock for every lookup.
    func withKept<R>(_ body: ((JobID, Key) -> [UInt8]?) -> R) -> R {
        entries.withLock { entries in
            body { id, key in
                guard let entry = entries[id.raw], entry.key == key else { return nil }
                return entry.row
            }
        }
    }

    /// The row kept for `view` if it was rendered from `key`, else the row rendered now (and kept). `now` is the moment
    /// `key` was taken.
    func row(_ view: SchedulerCore.JobView, key: Key, now: Double) -> [UInt8] {
        if let row = withKept({ $0(JobID(view.job.id), key) }) { return row }
        let lag = view.lag(now: now)
        let values = RoutineLoadRendering.row(view, taskCount: key.stamp.taskCount, lag: lag,
                                              unstable: view.unstableReason(lag: lag, threshold: key.unstableThreshold))
        let row = TextRow.encode(values)
        entries.withLock { $0[view.job.id] = Entry(key: key, row: row) }
        return row
    }
}
