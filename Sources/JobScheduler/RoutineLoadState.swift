/// The states of a routine-load job and StarRocks' transition rule (reference routine_load.md §2.2):
/// every transition is allowed except PAUSED → PAUSED and any transition out of a final state.
///
/// ```
/// (create) → NEED_SCHEDULE ⇄ RUNNING         (scheduler splits into tasks / RESUME, partition change)
///            NEED_SCHEDULE | RUNNING → PAUSED  (PAUSE, errors)      PAUSED → NEED_SCHEDULE (RESUME)
///            any non-final → STOPPED (STOP) | CANCELLED (table or database dropped)
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
        !isFinal && !(self == .paused && next == .paused)
    }
}
