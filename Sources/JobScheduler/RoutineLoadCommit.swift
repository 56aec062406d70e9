import Expressions
import Foundation
import TaskContract

/// The job side of the commit protocol (DESIGN.md "Data flow", reference routine_load.md §2.7, §3.7): a task
/// result is accepted only while the job is RUNNING and its progress still equals the task's begin offsets;
/// then progress, statistics and the error window move together. The catalog applies this inside the same
/// SQLite transaction that publishes the segment.
extension RoutineLoadJob {
    /// Applies a task's outcome. Throws (and changes nothing) if the task is stale: the job left RUNNING or
    /// another task already moved one of its partitions.
    public mutating func commit(_ outcome: TaskOutcome, begin: [Int32: Int64], at now: Double) throws(RoutineLoadError) {
        guard state == .running else { throw .invalid("the job is \(state.rawValue), not RUNNING") }
        for (p, offset) in begin where progress[p] != offset {
            throw .invalid("partition \(p) progress is \(progress[p].map(String.init) ?? "unset"), the task began at \(offset)")
        }
        guard min(outcome.totalRows, outcome.loadedRows, outcome.filteredRows, outcome.unselectedRows, outcome.receivedBytes, outcome.executeMillis) >= 0 else {
            throw .invalid("the task reported a negative count")
        }
        for (p, next) in outcome.endOffsets where next < (begin[p] ?? .max) {
            throw .invalid("the task reported partition \(p) at \(next), outside what it was given")
        }
        for (p, next) in outcome.endOffsets { progress[p] = next }
        for (p, ts) in outcome.timestamps { timestampProgress[p] = ts }
        for (p, high) in outcome.latestOffsets { latestOffsets[p] = max(latestOffsets[p] ?? 0, high) }
        statistics.totalRows += outcome.totalRows
        statistics.errorRows += outcome.filteredRows
        statistics.unselectedRows += outcome.unselectedRows
        statistics.receivedBytes += outcome.receivedBytes
        statistics.taskExecuteTimeMs += outcome.executeMillis
        if outcome.loadedRows > 0 { statistics.committedTaskNum += 1 } else { statistics.abortedTaskNum += 1 }
        if let url = outcome.errorLogURL {
            errorLogURLs.append(url)
            if errorLogURLs.count > 3 { errorLogURLs.removeFirst(errorLogURLs.count - 3) }
        }
        applyErrorWindow(outcome, at: now)
    }

    /// The window rule of §2.7: pause as soon as the window's error rows exceed max_error_number; the
    /// window resets when it has seen more than 10 × max_batch_rows rows, or after a pause.
    mutating func applyErrorWindow(_ outcome: TaskOutcome, at now: Double) {
        statistics.currentTotalRows += outcome.totalRows
        statistics.currentErrorRows += outcome.filteredRows
        let maxErrors = Int64(definition.job.maxErrorNumber)
        let exceeded = statistics.currentErrorRows > maxErrors
        if exceeded {
            let message = "Current error rows: \(statistics.currentErrorRows) is more than max error num: \(maxErrors). "
                + "Check the 'TrackingSQL' field for detailed information. If you are sure that the data has many errors, "
                + "you can set 'max_error_number' property to a greater value through ALTER ROUTINE LOAD and RESUME the job"
            try? pause(ErrorReason(code: ErrorReason.tooManyFailureRows, message: message), at: now)
        }
        if exceeded || statistics.currentTotalRows > Int64(definition.job.maxBatchRows) * 10 {
            statistics.currentTotalRows = 0
            statistics.currentErrorRows = 0
        }
    }

    /// Whether a task's filtered share exceeds max_filter_ratio; such a task is not committed (§2.7).
    public func exceedsFilterRatio(_ outcome: TaskOutcome) -> Bool {
        let ratio = definition.job.maxFilterRatio
        guard ratio < 1, outcome.totalRows > 0 else { return false }
        return Double(outcome.filteredRows) / Double(outcome.totalRows) > ratio
    }

    /// A task was aborted: counted, shown in OtherMsg, and for the failures StarRocks pauses on (too many filtered rows,
    /// an offset outside the log), the job pauses.
    public mutating func taskAborted(_ failure: TaskFailure, node: NodeID, at now: Double) {
        statistics.abortedTaskNum += 1
        otherMessage = "[\(DateTimeText.format(epochSeconds: now))] \(failure)"
        switch failure {
        case .tooManyFilteredRows:
            let message = "\(failure). Check the 'TrackingSQL' field for detailed information. If you are sure that the data has many errors, "
                + "you can set 'max_filter_ratio' property to a greater value through ALTER ROUTINE LOAD and RESUME the job"
            try? pause(ErrorReason(code: ErrorReason.tooManyFailureRows, message: message), at: now)
        case .offsetOutOfRange(let text):
            try? pause(ErrorReason(code: ErrorReason.tasksAbort, message: "be \(node) abort task with reason: \(text)"), at: now)
        default:
            break
        }
    }
}

extension RoutineLoadJob {
    /// Records high watermarks a task saw without consuming (LatestSourcePosition).
    public mutating func observeLatest(_ latest: [Int32: Int64]) {
        for (p, high) in latest { latestOffsets[p] = high }
    }
}
