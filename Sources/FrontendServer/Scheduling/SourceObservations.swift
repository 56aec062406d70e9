import Foundation

/// What the scheduler last learned from each job's Kafka cluster: when a watermark check or a task last reached it,
/// and the failure if a later attempt did not. SHOW ROUTINE LOAD uses it to tell a position that is current from one
/// that is only the last known (the brokers are down), instead of showing a reassuring lag of 0. In memory: after a
/// restart, the first check or task tells again.
final class SourceObservations: @unchecked Sendable {
    struct State: Equatable {
        var reachedAt: Double?
        var failure: (at: Double, message: String)?
        static func == (a: State, b: State) -> Bool {
            a.reachedAt == b.reachedAt && a.failure?.at == b.failure?.at && a.failure?.message == b.failure?.message
        }
        /// The brokers did not answer the latest attempt.
        var isUnreachable: Bool { failure.map { $0.at >= (reachedAt ?? 0) } ?? false }
    }

    private let lock = NSLock()
    private var states: [Int64: State] = [:]

    func reached(_ jobID: Int64, at now: Double) {
        lock.withLock {
            var s = states[jobID] ?? State()
            s.reachedAt = now
            s.failure = nil
            states[jobID] = s
        }
    }

    func failed(_ jobID: Int64, _ message: String, at now: Double) {
        lock.withLock {
            var s = states[jobID] ?? State()
            s.failure = (now, message)
            states[jobID] = s
        }
    }

    func state(of jobID: Int64) -> State { lock.withLock { states[jobID] ?? State() } }

    func forget(_ jobID: Int64) { lock.withLock { _ = states.removeValue(forKey: jobID) } }
}
