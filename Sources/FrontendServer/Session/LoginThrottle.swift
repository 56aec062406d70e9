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
///
/// Checks in progress count too (``beginCheck(user:host:deadline:stop:clock:)``): failures so far plus checks under way never pass
/// the limit, so guesses sent on many connections at once cannot slip past the lock. A check past that waits for a turn
/// instead of being refused, so a connection pool logging in many times at once with the right password only queues
/// behind the checks ahead of it (a turn covers the hash check alone, never a wait for the client).
final class LoginThrottle: Sendable {
    struct Key: Hashable, Sendable { var user: String; var host: String }
    private struct Entry: Sendable {
        var failures = 0
        var lockedUntil: Double?
        var last: Double
        /// Password checks begun and not finished.
        var checking = 0
    }
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
        return refusal(user: user, host: host, until: until, now: now)
    }

    private func refusal(user: String, host: String, until: Double, now: Double) -> ERRPacket {
        let remaining = Int((until - now).rounded(.up))
        return ERRPacket(code: 3955, sqlState: "HY000",
                         message: "Access denied for user '\(user.prefix(Self.maxUserLength))'@'\(host)'. Account is blocked for "
                            + "\(Int(lockSeconds)) second(s) (\(remaining) second(s) remaining) due to \(maxAttempts) consecutive failed logins.")
    }

    /// The answer when a turn did not come before the login's deadline (checks of this account from this host held
    /// every turn all that time). 1040 rather than 1045: nothing was wrong with the password, and pools retry it.
    static func busy(user: String, host: String) -> ERRPacket {
        ERRPacket(code: 1040, sqlState: "08004", message: "Too many connections: logins of user '\(user.prefix(maxUserLength))'@'\(host)' "
                  + "are being checked at once; try again")
    }

    /// What ``beginCheck(user:host:deadline:stop:clock:)`` decided.
    enum Turn: Equatable {
        /// A turn is held: end it with ``failed(user:host:knownUser:heldTurn:now:)``, ``succeeded(user:host:heldTurn:)``
        /// or ``abandoned(user:host:)``.
        case go
        /// Check without a turn (the lockout is off, or the table is full of locks): nothing to end.
        case unguarded
        case refused(ERRPacket)
        case busy
    }

    /// Takes a turn to check a password of an existing account, waiting while the failures and the checks under way
    /// are at the limit: `.busy` once `deadline` passes or `stop` says the login is over, `.refused` while the account
    /// is locked from this host.
    func beginCheck(user: String, host: String, deadline: Double, stop: () -> Bool = { false },
                    clock: () -> Double = { Date().timeIntervalSince1970 }) -> Turn {
        guard maxAttempts > 0 else { return .unguarded }
        let key = Self.key(user, host)
        var pause = 0.002
        while true {
            let now = clock()
            let taken = table.withLock { t -> Turn? in
                var e = t.entries[key] ?? Entry(last: now)
                if let until = e.lockedUntil {
                    if until > now { return .refused(refusal(user: user, host: host, until: until, now: now)) }
                    e = Entry(last: now, checking: e.checking)                         // a lock that ran out starts a new count
                }
                guard e.failures + e.checking < maxAttempts else { return nil }
                if t.entries[key] == nil, t.entries.count >= Self.maxEntries { makeRoom(&t, now: now) }
                guard t.entries[key] != nil || t.entries.count < Self.maxEntries else { return .unguarded }
                e.checking += 1
                t.entries[key] = e
                return .go
            }
            if let taken { return taken }
            if now >= deadline || stop() { return .busy }
            Thread.sleep(forTimeInterval: pause)                                      // the turns ahead are hash checks
            pause = min(pause * 2, 0.05)
        }
    }

    /// Counts a failed login of an existing account (`knownUser`); locks at the limit. Ends its turn when it held one.
    func failed(user: String, host: String, knownUser: Bool, heldTurn: Bool = true, now: Double) {
        guard maxAttempts > 0 else { return }
        guard knownUser else {
            if heldTurn { abandoned(user: user, host: host) }                         // not counted, but the turn ends
            return
        }
        let key = Self.key(user, host)
        table.withLock { t in
            if t.entries[key] == nil, t.entries.count >= Self.maxEntries { makeRoom(&t, now: now) }
            guard t.entries[key] != nil || t.entries.count < Self.maxEntries else { return }
            var e = t.entries[key] ?? Entry(last: now)
            if heldTurn { e.checking = max(0, e.checking - 1) }
            if let until = e.lockedUntil, until <= now { e = Entry(last: now, checking: e.checking) }   // a lock that ran out starts a new count
            e.failures += 1
            e.last = now
            if e.failures >= maxAttempts { e.lockedUntil = now + lockSeconds }
            t.entries[key] = e
        }
    }

    /// A login went through: the count is cleared. Ends its turn when it held one.
    func succeeded(user: String, host: String, heldTurn: Bool = true) {
        finish(Self.key(user, host), heldTurn: heldTurn) { $0 = Entry(last: $0.last, checking: $0.checking) }
    }

    /// A check that ended without an answer (the client went away): neither a failure nor a success.
    func abandoned(user: String, host: String) {
        finish(Self.key(user, host)) { _ in }
    }

    private func finish(_ key: Key, heldTurn: Bool = true, _ change: (inout Entry) -> Void) {
        table.withLock { t in
            guard var e = t.entries[key] else { return }
            if heldTurn { e.checking = max(0, e.checking - 1) }
            change(&e)
            if e.checking == 0, e.failures == 0, e.lockedUntil == nil { t.entries.removeValue(forKey: key) } else { t.entries[key] = e }
        }
    }

    /// Drops counts that no longer matter (at most once a minute), then, if still full, the oldest count that is not a
    /// lock. Locks stay: filling the table must not unlock anyone.
    private func makeRoom(_ t: inout Table, now: Double) {
        if now - t.lastPurge > 60 {
            t.entries = t.entries.filter { ($0.value.lockedUntil ?? 0) > now || now - $0.value.last < lockSeconds || $0.value.checking > 0 }
            t.lastPurge = now
        }
        guard t.entries.count >= Self.maxEntries else { return }
        if let oldest = t.entries.filter({ ($0.value.lockedUntil ?? 0) <= now && $0.value.checking == 0 }).min(by: { $0.value.last < $1.value.last })?.key {
            t.entries.removeValue(forKey: oldest)
        }
    }
}
