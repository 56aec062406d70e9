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
        let hash = try verifier.verify(method: "POST", target: "/api/task", headers: headers(h), now: 1_010)
        #expect(verifier.bodyMatches(body, hash: hash) && !verifier.bodyMatches(body + [0x20], hash: hash))
        // The same request again is a replay.
        #expect(throws: NodeRequestVerifier.Refusal.replayed) {
            _ = try verifier.verify(method: "POST", target: "/api/task", headers: headers(h), now: 1_011)
        }
        let h2 = signer.headers(method: "POST", target: "/api/task", body: body, now: 1_000, nonce: "n2")
        for (method, target) in [("GET", "/api/task"), ("POST", "/api/task?id=x")] {
            #expect(throws: NodeRequestVerifier.Refusal.badSignature) {
                _ = try verifier.verify(method: method, target: target, headers: headers(h2), now: 1_000)
            }
        }
        var otherBody = h2
        otherBody[NodeRequestSigner.bodyHashHeader] = String(repeating: "0", count: 64)
        #expect(throws: NodeRequestVerifier.Refusal.badSignature) {
            _ = try verifier.verify(method: "POST", target: "/api/task", headers: headers(otherBody), now: 1_000)
        }
    }

    @Test func unsignedStaleOrForeignRequestsAreRefused() {
        let verifier = NodeRequestVerifier(token: token)
        #expect(throws: NodeRequestVerifier.Refusal.missing) {
            _ = try verifier.verify(method: "GET", target: "/api/heartbeat", headers: headers([:]), now: 0)
        }
        let old = NodeRequestSigner(token: token).headers(method: "GET", target: "/api/heartbeat", body: [], now: 1_000)
        #expect(throws: NodeRequestVerifier.Refusal.clockSkew) {
            _ = try verifier.verify(method: "GET", target: "/api/heartbeat", headers: headers(old), now: 1_000 + 301)
        }
        let foreign = NodeRequestSigner(token: "another-cluster-token").headers(method: "GET", target: "/api/heartbeat", body: [], now: 1_000)
        #expect(throws: NodeRequestVerifier.Refusal.badSignature) {
            _ = try verifier.verify(method: "GET", target: "/api/heartbeat", headers: headers(foreign), now: 1_000)
        }
        var garbled = old
        garbled["Authorization"] = "Basic cm9vdDo="
        #expect(throws: NodeRequestVerifier.Refusal.malformed) {
            _ = try verifier.verify(method: "GET", target: "/api/heartbeat", headers: headers(garbled), now: 1_000)
        }
    }

    @Test func answersAreBoundToTheRequestAndTheToken() {
        let node = NodeRequestVerifier(token: token)
        let fe = NodeRequestSigner(token: token)
        let report = Array(#"{"status":"finished"}"#.utf8)
        let signature = node.signResponse(nonce: "n1", status: 200, body: report)
        #expect(fe.verifyResponse(nonce: "n1", status: 200, body: report, signature: signature))
        #expect(!fe.verifyResponse(nonce: "n2", status: 200, body: report, signature: signature))          // another request's
        #expect(!fe.verifyResponse(nonce: "n1", status: 200, body: report + [0x20], signature: signature))  // altered
        #expect(!fe.verifyResponse(nonce: "n1", status: 404, body: report, signature: signature))
        #expect(!fe.verifyResponse(nonce: "n1", status: 200, body: report, signature: nil))
        #expect(!NodeRequestSigner(token: "another-cluster-token").verifyResponse(nonce: "n1", status: 200, body: report, signature: signature))
    }
}

@Suite struct TaskCipherTests {
    @Test func sealedTasksOpenOnlyWithTheTokenAndUnchanged() throws {
        let cipher = TaskCipher(token: "a-cluster-token-of-length")
        let plain = Array(#"{"upload":{"secretKey":"TOPSECRET"}}"#.utf8)
        let sealed = try cipher.seal(plain)
        #expect(!String(decoding: sealed, as: UTF8.self).contains("TOPSECRET"))
        #expect(try cipher.open(sealed) == plain)
        #expect(try cipher.seal(plain) != sealed)                               // a fresh nonce each time
        var changed = sealed
        changed[20] ^= 1
        #expect(throws: TaskCipher.Failure.self) { try cipher.open(changed) }
        #expect(throws: TaskCipher.Failure.self) { try TaskCipher(token: "another-cluster-token").open(sealed) }
        #expect(throws: TaskCipher.Failure.self) { try cipher.open(plain) }
        #expect(throws: TaskCipher.Failure.self) { try cipher.open([]) }
        #expect(try cipher.open(try cipher.seal([])) == [])
    }
}
