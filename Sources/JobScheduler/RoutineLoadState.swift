/// The states of a routine-load job and the transitions StarRocks allows between them. The job
/// state machine, planner and scheduler that drive these states arrive with routine-load jobs.
///
/// ```
///                 +-----------------+
/// NEED_SCHEDULE --+-> RUNNING <-----+--- (RESUME) --- PAUSED
///      ^          |     |                               ^
///      |          |     +------- (PAUSE / error) -------+
///      +----------+---------------- (RESUME) -----------+
/// any non-final state --(STOP)--> STOPPED; --(table dropped)--> CANCELLED
/// ```
public enum RoutineLoadState: String, Sendable, Codable, CaseIterable {
    case needSchedule = "NEED_SCHEDULE"
    case running = "RUNNING"
    case paused = "PAUSED"
    case stopped = "STOPPED"
    case cancelled = "CANCELLED"

    public var isFinal: Bool { self == .stopped || self == .cancelled }

    /// Whether StarRocks allows moving from `self` to `next`.
    public func canTransition(to next: RoutineLoadState) -> Bool {
        switch (self, next) {
        case (.needSchedule, .running), (.needSchedule, .paused), (.running, .paused), (.running, .needSchedule),
             (.paused, .needSchedule): return true
        case (let from, .stopped), (let from, .cancelled): return !from.isFinal
        default: return false
        }
    }
}
