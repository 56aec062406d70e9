import Testing
@testable import ComputeNode

@Suite struct NodeAuthenticationTests {
    let token = "0123456789abcdef-cluster"
    let body = Array(#"{"id":"t1"}"#.utf8)

    private func headers(_ h: [String: String]) -> (String) -> String? { { name in h.first { $0.key.lowercased() == name.lowercased() }?.value } }

    @Test func aSignedRequestPassesOnceAndOnlyUnchanged() throws {
        let signer = NodeRequestSigner(token: token)
        let verifier = NodeRequestVerifier(token: token)
        let h = signer.headers(method: "POST", target: "/api/task", body: body, now: 1_000, nonce: "n1")
        try verifier.verify(method: "POST", target: "/api/task", body: body, headers: headers(h), now: 1_010)
        // The same request again is a replay.
        #expect(throws: NodeRequestVerifier.Refusal.replayed) {
            try verifier.verify(method: "POST", target: "/api/task", body: body, headers: headers(h), now: 1_011)
        }
        let h2 = signer.headers(method: "POST", target: "/api/task", body: body, now: 1_000, nonce: "n2")
        for (method, target, b) in [("GET", "/api/task", body), ("POST", "/api/task?id=x", body), ("POST", "/api/task", body + [0x20])] {
            #expect(throws: NodeRequestVerifier.Refusal.badSignature) {
                try verifier.verify(method: method, target: target, body: b, headers: headers(h2), now: 1_000)
            }
        }
    }

    @Test func unsignedStaleOrForeignRequestsAreRefused() {
        let verifier = NodeRequestVerifier(token: token)
        #expect(throws: NodeRequestVerifier.Refusal.missing) {
            try verifier.verify(method: "GET", target: "/api/heartbeat", body: [], headers: headers([:]), now: 0)
        }
        let old = NodeRequestSigner(token: token).headers(method: "GET", target: "/api/heartbeat", body: [], now: 1_000)
        #expect(throws: NodeRequestVerifier.Refusal.clockSkew) {
            try verifier.verify(method: "GET", target: "/api/heartbeat", body: [], headers: headers(old), now: 1_000 + 301)
        }
        let foreign = NodeRequestSigner(token: "another-cluster-token").headers(method: "GET", target: "/api/heartbeat", body: [], now: 1_000)
        #expect(throws: NodeRequestVerifier.Refusal.badSignature) {
            try verifier.verify(method: "GET", target: "/api/heartbeat", body: [], headers: headers(foreign), now: 1_000)
        }
        var garbled = old
        garbled["Authorization"] = "Basic cm9vdDo="
        #expect(throws: NodeRequestVerifier.Refusal.malformed) {
            try verifier.verify(method: "GET", target: "/api/heartbeat", body: [], headers: headers(garbled), now: 1_000)
        }
    }
}
