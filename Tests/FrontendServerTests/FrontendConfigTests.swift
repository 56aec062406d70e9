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
            query_port_typo
            """
        let (c, warnings) = FrontendConfig.parse(text)
        #expect(c.queryPort == 19030 && c.httpPort == 18030 && c.metaDir == "/var/lib/tributary" && c.sysLogLevel == "DEBUG")
        #expect(warnings.count == 3)
        #expect(warnings.contains { $0.contains("priority_networks is ignored") })
        #expect(warnings.contains { $0.contains("unknown key 'frobnicate'") })
    }

    @Test func badNumbersKeepTheDefault() {
        let (c, w) = FrontendConfig.parse("query_port = abc")
        #expect(c.queryPort == 9030)
        #expect(w.count == 1)
    }

    @Test func routineLoadAndComputeNodeKeys() {
        let (c, w) = FrontendConfig.parse("""
            embedded_compute_node = false
            max_routine_load_task_concurrent_num = 8
            max_routine_load_task_num_per_be = 2
            max_routine_load_batch_size = 1048576
            heartbeat_timeout_second = 1
            enable_ssl = maybe
            """)
        #expect(!c.embeddedComputeNode && c.maxRoutineLoadTaskConcurrentNum == 8 && c.maxRoutineLoadTaskNumPerBe == 2)
        #expect(c.maxRoutineLoadBatchSize == 1_048_576 && c.heartbeatIntervalSeconds == 1 && c.enableSSL)
        #expect(w == ["fe.conf line 6: enable_ssl must be true or false, got 'maybe'; keeping the default"])
    }
}

@Suite struct ComputeNodeConfigTests {
    @Test func cnConfIsReadWithWarnings() {
        let (c, w) = ComputeNodeConfig.parse("heartbeat_service_port = 19050\nstorage_root_path = /data/cn\ntask_slots = 4\nbogus = 1\n")
        #expect(c.heartbeatServicePort == 19050 && c.storageRootPath == "/data/cn" && c.taskSlots == 4)
        #expect(w == ["cn.conf line 4: unknown key 'bogus' ignored"])
    }
}
