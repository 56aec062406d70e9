import Testing
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
}
