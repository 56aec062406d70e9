import Testing
@testable import FrontendServer

@Suite struct ConnectionRegistryTests {
    @Test func socketsCountTowardTheLimitAndOneHostCannotTakeEveryPlaceWhileLoggingIn() {
        let r = ConnectionRegistry()
        #expect(ConnectionRegistry.loggingInPerHost(limit: 40) == 16 && ConnectionRegistry.loggingInPerHost(limit: 4096) == 256)
        for _ in 0..<16 { #expect(r.admit(limit: 40, host: "a")) }
        #expect(!r.admit(limit: 40, host: "a"), "host a has its share of sockets logging in")
        for _ in 0..<24 {                                        // host b's sockets log in as they come
            #expect(r.admit(limit: 40, host: "b"))
            r.loggedIn(host: "b")
        }
        #expect(!r.admit(limit: 40, host: "c"), "40 open: the limit")
        r.loggedIn(host: "a")
        #expect(!r.admit(limit: 40, host: "a"), "logging in frees the host's share, not a place")
        r.release(host: "a", loggedIn: true)
        #expect(r.admit(limit: 40, host: "a"), "a closed socket gives its place back")
        r.release(host: "b", loggedIn: true)
        #expect(!r.admit(limit: 40, host: "a"), "host a is at its share again")
        #expect(r.admit(limit: 40, host: "c"))
        #expect(r.attempts == 46, "refused attempts count as connections too")
    }
}
