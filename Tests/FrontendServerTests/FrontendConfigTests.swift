import Testing
import ComputeNode
@testable import FrontendServer

@Suite struct FrontendConfigTests {
    @Test func starRocksStyleConfigIsReadWithWarningsForUnknownAndIgnoredKeys() {
        let text = """
            # comment
            query_port = 19030
            http_port=18030
            meta_dir = /var/lib/tributary
            sys_log_level = debug
            priority_networks = 10.0.0.0/8
            frobnicate = yes
            """
        let (c, warnings) = try! FrontendConfig.parse(text)
        #expect(c.queryPort == 19030 && c.httpPort == 18030 && c.metaDir == "/var/lib/tributary" && c.sysLogLevel == "DEBUG")
        #expect(warnings.count == 2)
        #expect(warnings.contains { $0.contains("priority_networks is ignored") })
        #expect(warnings.contains { $0.contains("unknown key 'frobnicate'") })
    }

    @Test func invalidValuesOfKnownKeysStopTheStartWithTheLineAtFault() {
        for (text, message) in [
            ("query_port = abc", "fe.conf line 1: query_port must be an integer from 0 to 65535, got 'abc'"),
            ("# c\nhttp_port = 70000", "fe.conf line 2: http_port must be an integer from 1 to 65535, got '70000'"),
            ("enable_ssl = maybe", "fe.conf line 1: enable_ssl must be true or false, got 'maybe'"),
            ("bind_address = localhost", "fe.conf line 1: bind_address must be an IPv4 address, got 'localhost'"),
            ("sys_log_level = LOUD", "fe.conf line 1: sys_log_level must be DEBUG, INFO, WARN or ERROR, got 'LOUD'"),
            ("query_port_typo", "fe.conf line 1: expected 'key = value', got 'query_port_typo'"),
            ("cluster_token = short", "fe.conf line 1: cluster_token must be at least 16 characters (or empty for a generated one)"),
        ] {
            #expect(throws: FrontendConfig.Invalid(description: message)) { _ = try FrontendConfig.parse(text) }
        }
    }

    @Test func routineLoadAndComputeNodeKeys() {
        let (c, w) = try! FrontendConfig.parse("""
            embedded_compute_node = false
            max_routine_load_task_concurrent_num = 8
            max_routine_load_task_num_per_be = 2
            max_routine_load_batch_size = 1048576
            heartbeat_timeout_second = 1
            cluster_token = 0123456789abcdef0123
            """)
        #expect(!c.embeddedComputeNode && c.maxRoutineLoadTaskConcurrentNum == 8 && c.maxRoutineLoadTaskNumPerBe == 2)
        #expect(c.maxRoutineLoadBatchSize == 1_048_576 && c.heartbeatIntervalSeconds == 1 && c.enableSSL)
        #expect(c.clusterToken == "0123456789abcdef0123" && w.isEmpty)
    }
}

@Suite struct FrontendConfigShowTests {
    @Test func everyShownKeyIsOneFeConfReadsAndShowsWhatIsInEffect() throws {
        var config = try FrontendConfig.parse("query_port = 19030\nmax_failed_login_attempts = 7\ncluster_token = 0123456789abcdef0123").0
        config.storageRootPath = "/data/volume"
        let shown = config.shownEntries
        #expect(shown.map(\.key) == shown.map(\.key).sorted())
        #expect(shown.first { $0.key == "cluster_token" }?.value == "******")
        let text = shown.filter { !["cluster_token", "run_mode"].contains($0.key) }.map { "\($0.key) = \($0.value)" }.joined(separator: "\n")
        let (reparsed, warnings) = try FrontendConfig.parse(text)
        #expect(warnings.isEmpty, "\(warnings)")
        var expected = config
        expected.clusterToken = reparsed.clusterToken
        #expect(reparsed == expected)
    }
}

@Suite struct ComputeNodeConfigTests {
    @Test func cnConfIsReadWithWarnings() throws {
        let (c, w) = try ComputeNodeConfig.parse("heartbeat_service_port = 19050\nstorage_root_path = /data/cn\ntask_slots = 4\nbogus = 1\n"
            + "cluster_token = \"0123456789abcdef\"\n")
        #expect(c.heartbeatServicePort == 19050 && c.storageRootPath == "/data/cn" && c.taskSlots == 4 && c.clusterToken == "0123456789abcdef")
        #expect(w == ["cn.conf line 4: unknown key 'bogus' ignored"])
    }

    @Test func cnConfRefusesInvalidValues() {
        #expect(throws: (any Error).self) { _ = try ComputeNodeConfig.parse("heartbeat_service_port = 0") }
        #expect(throws: (any Error).self) { _ = try ComputeNodeConfig.parse("task_slots = many") }
        #expect(throws: (any Error).self) { _ = try ComputeNodeConfig.parse("bind_address = 1.2.3") }
    }
}
