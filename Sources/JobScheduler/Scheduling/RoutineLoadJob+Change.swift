/// Applying the scheduler's changes to a job as it is stored now: a change that no longer fits the stored state (the
/// user paused the job while it was being prepared) is dropped, so a statement always wins over the scheduler.
extension RoutineLoadJob {
    public mutating func apply(_ change: JobChange, at now: Double) {
        switch change {
        case .prepared(let prepared, let start):
            guard state == .needSchedule else { return }
            currentPartitions = prepared.currentPartitions
            for (p, next) in prepared.progress where progress[p] == nil { progress[p] = next }
            latestOffsets = prepared.latestOffsets
            if prepared.state == .paused, let why = prepared.reason {
                try? pause(why, at: now)
            } else if start {
                try? started()
            }
        case .reschedule:
            guard state == .running else { return }
            try? reschedule()
        case .pause(let why):
            try? pause(why, at: now)
        case .taskAborted(let failure, let node):
            taskAborted(failure, node: node, at: now)
        case .observeLatest(let latest):
            observeLatest(latest)
        }
    }
}
