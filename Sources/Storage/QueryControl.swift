import Foundation
import Synchronization

/// Stops a running query from outside and bounds it from inside: `KILL QUERY` (or the mysql CLI's Ctrl-C) calls
/// ``interrupt()`` from another connection's thread; the statement's own thread checks ``check()`` while SQLite runs
/// (a progress handler every few thousand VM steps) and while rows are gathered, against the `query_timeout`
/// deadline and the memory budget (`query_mem_limit`, or `exec_mem_limit` when that is 0). One per connection.
public final class QueryControl: Sendable {
    /// Why a statement was stopped.
    public enum Stop: Error, Equatable, Sendable {
        case interrupted
        case timeout(seconds: Int)
        case memory(used: Int64, limit: Int64)
    }

    private struct Limits: Sendable {
        var deadline: UInt64 = .max
        var timeoutSeconds = 0
        var memoryLimit: Int64 = .max
    }

    private let interrupted = Atomic<Bool>(false)
    private let limits = Mutex(Limits())
    /// Bytes the statement holds in gathered rows and materialized tables (read and written by its own thread).
    private let used = Atomic<Int64>(0)
    /// Called by ``interrupt()`` as well, to wake SQLite at once (sqlite3_interrupt on the engine's connection).
    private let wake = Mutex<(@Sendable () -> Void)?>(nil)

    public init() {}

    /// A timeout longer than this (ten years) is taken as this one, so no setting can overflow the deadline.
    static let longestTimeout = 315_360_000

    /// Starts a statement: clears an interrupt aimed at an earlier one and sets its limits (0 = none).
    public func begin(timeoutSeconds: Int, memoryLimit: Int64) {
        interrupted.store(false, ordering: .relaxed)
        used.store(0, ordering: .relaxed)
        limits.withLock {
            let seconds = min(max(0, timeoutSeconds), Self.longestTimeout)
            $0.timeoutSeconds = seconds
            $0.deadline = seconds > 0 ? DispatchTime.now().uptimeNanoseconds &+ UInt64(seconds) * 1_000_000_000 : .max
            $0.memoryLimit = memoryLimit > 0 ? memoryLimit : .max
        }
    }

    /// Stops the running statement, if any; safe from any thread.
    public func interrupt() {
        interrupted.store(true, ordering: .relaxed)
        wake.withLock { $0 }?()
    }

    func setWake(_ body: @escaping @Sendable () -> Void) { wake.withLock { $0 = body } }

    /// What the last statement held at most (its rows and materialized tables, as counted for the budget).
    public var heldBytes: Int64 { used.load(ordering: .relaxed) }

    /// Counts `bytes` more held by the statement.
    func charge(_ bytes: Int64) { used.add(bytes, ordering: .relaxed) }

    /// Why the statement must stop now, or nil.
    public var stop: Stop? {
        if interrupted.load(ordering: .relaxed) { return .interrupted }
        let l = limits.withLock { $0 }
        if l.deadline != .max, DispatchTime.now().uptimeNanoseconds >= l.deadline { return .timeout(seconds: l.timeoutSeconds) }
        let u = used.load(ordering: .relaxed)
        if u > l.memoryLimit { return .memory(used: u, limit: l.memoryLimit) }
        return nil
    }

    /// Throws why the statement must stop.
    func check() throws(Stop) {
        if let s = stop { throw s }
    }
}
