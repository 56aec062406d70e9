import Testing
@testable import FrontendServer

/// The Host header and client address rules of the authenticated HTTP routes.
@Suite struct HostPolicyTests {
    @Test(arguments: [("127.0.0.1:8030", true), ("localhost:8030", true), ("LOCALHOST", true), ("10.1.2.3", true), ("[::1]:8030", true),
                      ("attacker.example", false), ("attacker.example:8030", false), ("127.0.0.1.nip.io", false), ("", false),
                      ("fe.internal:8030", true), ("999.1.1.1", false)])
    func hostHeaders(_ header: String, _ allowed: Bool) {
        #expect(HostPolicy.allows(host: header, extra: ["fe.internal"]) == allowed)
    }

    @Test func aStarAllowsAnyNameAndNoHeaderIsRefused() {
        #expect(HostPolicy.allows(host: "anything.example", extra: ["*"]))
        #expect(!HostPolicy.allows(host: nil, extra: ["*"]))
    }

    @Test func loopbackAddresses() {
        #expect(HostPolicy.isLoopback("127.0.0.1") && HostPolicy.isLoopback("127.8.9.10") && HostPolicy.isLoopback("::1"))
        #expect(!HostPolicy.isLoopback("10.0.0.1") && !HostPolicy.isLoopback("128.0.0.1") && !HostPolicy.isLoopback("::ffff:10.0.0.1"))
    }
}

/// Shards' expositions merged family by family.
@Suite struct PrometheusTextTests {
    @Test func familiesAppearOnceWithEveryShardsSamples() {
        let a = "# HELP lag Lag\n# TYPE lag gauge\nlag{job_name=\"a\"} 1.0\n# HELP rows Rows\n# TYPE rows counter\nrows{job_name=\"a\"} 5\n"
        let b = "# HELP lag Lag\n# TYPE lag gauge\nlag{job_name=\"b\"} 2.0\n"
        let empty = "# HELP rows Rows\n# TYPE rows counter\n"
        #expect(PrometheusText.merge([a, b, empty]) ==
                "# HELP lag Lag\n# TYPE lag gauge\nlag{job_name=\"a\"} 1.0\nlag{job_name=\"b\"} 2.0\n# HELP rows Rows\n# TYPE rows counter\nrows{job_name=\"a\"} 5\n")
        #expect(PrometheusText.merge([empty, ""]) == "")
    }
}
