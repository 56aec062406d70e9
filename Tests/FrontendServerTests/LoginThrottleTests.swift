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
