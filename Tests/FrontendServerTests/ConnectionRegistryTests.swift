import Testing
@testable import FrontendServer

@Suite struct ConnectionRegistryTests {
    @Test func socketsCountTowardTheLimitAndOneHostCannotTakeEveryPlaceWhileLoggingIn() {
        let r = ConnectionRegistry()
        #expect(ConnectionRegistry.loggingInPerHost(limit: 64) == 16 && ConnectionRegistry.loggingInPerHost(limit: 4096) == 256)
        for _ in 0..<24 {                                        // host b's sockets log in as they come
            #expect(r.admit(limit: 64, host: "b"))
            r.loggedIn(host: "b")
        }
        for _ in 0..<16 { #expect(r.admit(limit: 64, host: "a")) }
        #expect(!r.admit(limit: 64, host: "a"), "more than half the places taken: host a has its share of sockets logging in")
        #expect(r.admit(limit: 64, host: "c"), "another host still gets in")
        r.loggedIn(host: "a")
        #expect(r.admit(limit: 64, host: "a"), "a login frees a share")
        #expect(!r.admit(limit: 64, host: "a"))
        r.release(host: "a", loggedIn: false)
        #expect(r.admit(limit: 64, host: "a"), "so does a socket that closed before logging in")
        for _ in 0..<22 {
            #expect(r.admit(limit: 64, host: "c"))
            r.loggedIn(host: "c")
        }
        #expect(!r.admit(limit: 64, host: "d"), "64 open: the limit")
        r.release(host: "b", loggedIn: true)
        #expect(r.admit(limit: 64, host: "d"), "a closed socket gives its place back")
        #expect(r.attempts == 24 + 16 + 1 + 1 + 1 + 1 + 1 + 22 + 1 + 1, "refused attempts count as connections too")
    }

    @Test func aBurstFromOneAddressIsNotRefusedWhileHalfThePlacesAreFree() {
        let r = ConnectionRegistry()
        for _ in 0..<32 { #expect(r.admit(limit: 64, host: "gateway")) }   // nobody has logged in yet
        #expect(!r.admit(limit: 64, host: "gateway"), "half the places taken: the share applies")
        #expect(r.admit(limit: 64, host: "elsewhere"))
    }
}
