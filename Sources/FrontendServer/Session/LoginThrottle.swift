import Foundation
import MySQLProtocol
import Synchronization

/// Failed logins, in the spirit of MySQL's `FAILED_LOGIN_ATTEMPTS` / `PASSWORD_LOCK_TIME`: after
/// `max_failed_login_attempts` failures in a row for a user from one host, logins of that user from that host are
/// refused for `password_lock_interval_seconds` (also with the right password), and every failed login is answered
/// only after a short delay. A successful login clears the count. As in MySQL, logins as users that do not exist are
/// delayed but not counted, so guessing names cannot grow the table, and a client that mistypes a name cannot lock
/// out other users of its host. Counts live in memory (an FE restart clears them); the table is bounded, and a lock is
/// never dropped to make room.
final class LoginThrottle: Sendable {
    struct Key: Hashable, Sendable { var user: String; var host: String }
    private struct Entry: Sendable { var failures = 0; var lockedUntil: Double?; var last: Double }
    private struct Table: Sendable { var entries: [Key: Entry] = [:]; var lastPurge: Double = 0 }

    let maxAttempts: Int
    let lockSeconds: Double
    /// Pause before a failed login is answered.
    let failureDelay: Double
    private let table = Mutex(Table())
    static let maxEntries = 10_000
    /// User names are cut to this length in the table (MySQL's own limit is 32).
    static let maxUserLength = 64

    init(maxAttempts: Int, lockSeconds: Int, failureDelay: Double = 0.3) {
        self.maxAttempts = maxAttempts; self.lockSeconds = Double(lockSeconds); self.failureDelay = failureDelay
    }

    private static func key(_ user: String, _ host: String) -> Key { Key(user: String(user.prefix(maxUserLength)), host: host) }

    /// The error refusing a login of `user` from `host` now, or nil when it may try.
    func refusal(user: String, host: String, now: Double) -> ERRPacket? {
        guard maxAttempts > 0 else { return nil }
        let until = table.withLock { t -> Double? in t.entries[Self.key(user, host)]?.lockedUntil.flatMap { $0 > now ? $0 : nil } }
        guard let until else { return nil }
        let remaining = Int((until - now).rounded(.up))
        return ERRPacket(code: 3955, sqlState: "HY000",
                         message: "Access denied for user '\(user.prefix(Self.maxUserLength))'@'\(host)'. Account is blocked for "
                            + "\(Int(lockSeconds)) second(s) (\(remaining) second(s) remaining) due to \(maxAttempts) consecutive failed logins.")
    }

    /// Counts a failed login of an existing account (`knownUser`); locks at the limit.
    func failed(user: String, host: String, knownUser: Bool, now: Double) {
        guard maxAttempts > 0, knownUser else { return }
        let key = Self.key(user, host)
        table.withLock { t in
            if t.entries[key] == nil, t.entries.count >= Self.maxEntries { makeRoom(&t, now: now) }
            guard t.entries[key] != nil || t.entries.count < Self.maxEntries else { return }
            var e = t.entries[key] ?? Entry(last: now)
            if let until = e.lockedUntil, until <= now { e = Entry(last: now) }       // a lock that ran out starts a new count
            e.failures += 1
            e.last = now
            if e.failures >= maxAttempts { e.lockedUntil = now + lockSeconds }
            t.entries[key] = e
        }
    }

    func succeeded(user: String, host: String) {
        _ = table.withLock { $0.entries.removeValue(forKey: Self.key(user, host)) }
    }

    /// Drops counts that no longer matter (at most once a minute), then, if still full, the oldest count that is not a
    /// lock. Locks stay: filling the table must not unlock anyone.
    private func makeRoom(_ t: inout Table, now: Double) {
        if now - t.lastPurge > 60 {
            t.entries = t.entries.filter { ($0.value.lockedUntil ?? 0) > now || now - $0.value.last < lockSeconds }
            t.lastPurge = now
        }
        guard t.entries.count >= Self.maxEntries else { return }
        if let oldest = t.entries.filter({ ($0.value.lockedUntil ?? 0) <= now }).min(by: { $0.value.last < $1.value.last })?.key {
            t.entries.removeValue(forKey: oldest)
        }
    }
}
