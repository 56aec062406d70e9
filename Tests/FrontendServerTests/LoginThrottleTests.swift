import Foundation
import Synchronization
import Testing
@testable import FrontendServer

@Suite struct LoginThrottleTests {
    @Test func fiveFailuresLockTheUserFromThatHostForTheInterval() throws {
        let t = LoginThrottle(maxAttempts: 5, lockSeconds: 300, failureDelay: 0)
        for i in 0..<4 {
            t.failed(user: "root", host: "10.0.0.9", knownUser: true, now: Double(i))
            #expect(t.refusal(user: "root", host: "10.0.0.9", now: Double(i)) == nil)
        }
        t.failed(user: "root", host: "10.0.0.9", knownUser: true, now: 4)
        let refusal = try #require(t.refusal(user: "root", host: "10.0.0.9", now: 10))
        #expect(refusal.code == 3955 && refusal.message == "Access denied for user 'root'@'10.0.0.9'. Account is blocked for 300 second(s) "
                + "(294 second(s) remaining) due to 5 consecutive failed logins.")
        #expect(t.refusal(user: "root", host: "10.0.0.8", now: 10) == nil)          // other hosts are not locked out
        #expect(t.refusal(user: "alice", host: "10.0.0.9", now: 10) == nil)
        #expect(t.refusal(user: "root", host: "10.0.0.9", now: 305) == nil)         // the lock runs out
        t.failed(user: "root", host: "10.0.0.9", knownUser: true, now: 306)
        #expect(t.refusal(user: "root", host: "10.0.0.9", now: 306) == nil)         // and counting starts again
    }

    @Test func aSuccessClearsTheCountAndZeroTurnsTheLockoutOff() {
        let t = LoginThrottle(maxAttempts: 3, lockSeconds: 60, failureDelay: 0)
        t.failed(user: "u", host: "h", knownUser: true, now: 0); t.failed(user: "u", host: "h", knownUser: true, now: 0)
        t.succeeded(user: "u", host: "h")
        t.failed(user: "u", host: "h", knownUser: true, now: 1); t.failed(user: "u", host: "h", knownUser: true, now: 1)
        #expect(t.refusal(user: "u", host: "h", now: 1) == nil)
        let off = LoginThrottle(maxAttempts: 0, lockSeconds: 60, failureDelay: 0)
        for _ in 0..<100 { off.failed(user: "u", host: "h", knownUser: true, now: 0) }
        #expect(off.refusal(user: "u", host: "h", now: 0) == nil)
    }

    @Test func namesThatDoNotExistAreNotCountedSoNobodyIsLockedOutByThem() {
        let t = LoginThrottle(maxAttempts: 3, lockSeconds: 60, failureDelay: 0)
        for i in 0..<100 { t.failed(user: "nobody\(i % 2)", host: "10.0.0.9", knownUser: false, now: 0) }
        #expect(t.refusal(user: "root", host: "10.0.0.9", now: 1) == nil)
        #expect(t.refusal(user: "nobody0", host: "10.0.0.9", now: 1) == nil)
    }

    @Test func checksUnderWayCountWithTheFailures() {
        let t = LoginThrottle(maxAttempts: 3, lockSeconds: 60, failureDelay: 0)
        var now = 0.0
        let clock = { now }
        for _ in 0..<3 { #expect(t.beginCheck(user: "u", host: "h", deadline: 0, clock: clock) == .go) }
        #expect(t.beginCheck(user: "u", host: "h", deadline: 0, clock: clock) == .busy, "three checks under way hold every turn")
        #expect(t.beginCheck(user: "u", host: "other", deadline: 0, clock: clock) == .go, "other hosts have their own turns")
        t.abandoned(user: "u", host: "h")                                            // a client that went away: no failure
        #expect(t.beginCheck(user: "u", host: "h", deadline: 0, clock: clock) == .go)
        t.failed(user: "u", host: "h", knownUser: true, now: 1)
        t.failed(user: "u", host: "h", knownUser: true, now: 1)
        #expect(t.beginCheck(user: "u", host: "h", deadline: 0, clock: clock) == .busy, "two failures and one check: at the limit")
        t.failed(user: "u", host: "h", knownUser: true, now: 1)
        now = 2
        guard case .refused(let err) = t.beginCheck(user: "u", host: "h", deadline: 0, clock: clock) else {
            Issue.record("three failures lock the account")
            return
        }
        #expect(err.code == 3955)
        now = 100                                                                     // the lock ran out
        #expect(t.beginCheck(user: "u", host: "h", deadline: 0, clock: clock) == .go)
        t.succeeded(user: "u", host: "h")
        for _ in 0..<3 { #expect(t.beginCheck(user: "u", host: "h", deadline: 0, clock: clock) == .go) }
    }

    @Test func guessesSentInParallelGetNoMoreTurnsThanTheLimit() {
        // 64 threads at once, each holding its turn a while before failing: without counting checks under way, every
        // one of them would get a turn before the first failure was counted.
        let t = LoginThrottle(maxAttempts: 5, lockSeconds: 60, failureDelay: 0)
        let turns = Atomic<Int>(0), refused = Atomic<Int>(0)
        let group = DispatchGroup()
        for _ in 0..<64 {
            group.enter()
            Thread.detachNewThread {
                switch t.beginCheck(user: "root", host: "attacker", deadline: Date().timeIntervalSince1970 + 10) {
                case .go:
                    turns.add(1, ordering: .relaxed)
                    Thread.sleep(forTimeInterval: 0.05)
                    t.failed(user: "root", host: "attacker", knownUser: true, now: Date().timeIntervalSince1970)
                case .refused: refused.add(1, ordering: .relaxed)
                case .busy, .unguarded: break
                }
                group.leave()
            }
        }
        group.wait()
        #expect(turns.load(ordering: .relaxed) == 5)
        #expect(refused.load(ordering: .relaxed) == 59, "the rest waited for a turn and found the account locked")
    }

    @Test func aPoolLoggingInAtOnceWithTheRightPasswordAllGetIn() {
        let t = LoginThrottle(maxAttempts: 2, lockSeconds: 60, failureDelay: 0)
        let turns = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 64) { _ in
            if t.beginCheck(user: "app", host: "pool", deadline: Date().timeIntervalSince1970 + 10) == .go {
                turns.add(1, ordering: .relaxed)
                t.succeeded(user: "app", host: "pool")
            }
        }
        #expect(turns.load(ordering: .relaxed) == 64)
        #expect(t.refusal(user: "app", host: "pool", now: Date().timeIntervalSince1970) == nil)
    }

    @Test func aFullTableNeverDropsALock() {
        let t = LoginThrottle(maxAttempts: 2, lockSeconds: 600, failureDelay: 0)
        t.failed(user: "root", host: "victim", knownUser: true, now: 0)
        t.failed(user: "root", host: "victim", knownUser: true, now: 0)
        for i in 0..<(LoginThrottle.maxEntries + 500) { t.failed(user: "root", host: "h\(i)", knownUser: true, now: 1) }
        #expect(t.refusal(user: "root", host: "victim", now: 2) != nil)
        let long = String(repeating: "x", count: 1_000_000)
        t.failed(user: long, host: "h", knownUser: true, now: 3)
        #expect(t.refusal(user: long, host: "h", now: 3)?.message.count ?? 0 < 300)
    }
}
