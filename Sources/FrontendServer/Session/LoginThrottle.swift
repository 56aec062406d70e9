import Foundation
import MySQLProtocol
import Synchronization

/// Failed logins, in the spirit of MySQL's `FAILED_LOGIN_ATTEMPTS` / `PASSWORD_LOCK_TIME`: after
/// `max_failed_login_attempts` failures in a row for a user from one host, logins of that user from that host are
/// refused for `password_lock_interval_seconds` (also with the right password), and every failed login is answered
/// only after a short delay. A successful login clears the count. Counts live in memory (an FE restart clears them)
/// and are bounded, so random user names cannot grow them without limit.
final class LoginThrottle: Sendable {
    struct Key: Hashable, Sendable { var user: String; var host: String }
    private struct Entry: Sendable { var failures = 0; var lockedUntil: Double?; var last: Double }

    let maxAttempts: Int
    let lockSeconds: Double
    /// Pause before a failed login is answered.
    let failureDelay: Double
    private let entries = Mutex<[Key: Entry]>([:])
    static let maxEntries = 10_000

    init(maxAttempts: Int, lockSeconds: Int, failureDelay: Double = 0.3) {
        self.maxAttempts = maxAttempts; self.lockSeconds = Double(lockSeconds); self.failureDelay = failureDelay
    }

    /// The error refusing a login of `user` from `host` now, or nil when it may try.
    func refusal(user: String, host: String, now: Double) -> ERRPacket? {
        guard maxAttempts > 0, let until = entries.withLock({ $0[Key(user: user, host: host)]?.lockedUntil }), until > now else { return nil }
        let remaining = Int((until - now).rounded(.up))
        return ERRPacket(code: 3955, sqlState: "HY000",
                         message: "Access denied for user '\(user)'@'\(host)'. Account is blocked for \(Int(lockSeconds)) second(s) "
                            + "(\(remaining) second(s) remaining) due to \(maxAttempts) consecutive failed logins.")
    }

    /// Counts a failed login; locks the account for this host once the count reaches the limit.
    func failed(user: String, host: String, now: Double) {
        guard maxAttempts > 0 else { return }
        entries.withLock { all in
            if all.count >= Self.maxEntries { all = all.filter { ($0.value.lockedUntil ?? 0) > now || now - $0.value.last < lockSeconds } }
            if all.count >= Self.maxEntries, let oldest = all.min(by: { $0.value.last < $1.value.last })?.key { all.removeValue(forKey: oldest) }
            let key = Key(user: user, host: host)
            var e = all[key] ?? Entry(last: now)
            if let until = e.lockedUntil, until <= now { e = Entry(last: now) }       // a lock that ran out starts a new count
            e.failures += 1
            e.last = now
            if e.failures >= maxAttempts { e.lockedUntil = now + lockSeconds }
            all[key] = e
        }
    }

    func succeeded(user: String, host: String) {
        _ = entries.withLock { $0.removeValue(forKey: Key(user: user, host: host)) }
    }
}
